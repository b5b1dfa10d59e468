//! Fault injection: the real binary, typed at in a pseudo-terminal, is killed with SIGKILL inside each
//! of the sixteen steps; `caro-hotfix resume` then finishes the hotfix, and the result must equal that
//! of an uninterrupted run — no commit, PR, tag, label or advisory twice, nothing missing.
//!
//! Where the kill lands, so that it is provably inside step k (`[k/16]` shown, the record saying step k
//! is in progress) and not, through the latency of reading the terminal, in some later step:
//! - at a question the step is waiting at (1: `yes`; 4: the credit, started without `--credit`; 5:
//!   `done`, the fix already committed; 8: the audit), or while the step's real `cargo test` runs (7);
//! - on the step's first git or cargo program, held by a stand-in until the kill (2, 3, 14, 16), or
//!   on step 6's `git commit`, after the manifest, lock file and CHANGELOG were edited and staged;
//! - on the step's characteristic gh call, held by the gh stand-in's `delay` knob (9 `pr create`, after
//!   the push and the labels; 10 `pr checks`; 11 the `pr view` of the merge commit, right after the
//!   merge; 12 `run watch`; 13 the advisory `api` call).
//!
//! A held program does nothing: it dies with its terminal, as a real one would before its request was
//! sent. Step 15 is held on the first program started once it began: its own first, or — when it runs
//! none (no release branches are configured here, and it takes microseconds) — step 16's first.
//!
//! The registry: 1.0.10 is published from the start; 1.0.11 appears once the tag v1.0.11 is on the
//! origin (plus one more poll, so step 12 first sees it missing and watches the workflow), as a
//! release workflow triggered by the tag would publish it. Tying it to the tag rather than to a count
//! of polls keeps it right however many polls the killed run and the resumed run make.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::index_server::IndexServer;
use crate::support::*;
use rexpect::process::signal::Signal;
use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

const TAG: &str = "v1.0.11";
/// The `--credit` of STEP4_FLAGS.
const CREDIT: &str = "Grace Reporter";
const SUMMARY: &str = "SECURITY HOTFIX v1.0.11 PUBLISHED";

macro_rules! killed_at {
    ($($name:ident => $step:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                killed_then_resumed($step);
            }
        )*
    };
}

killed_at! {
    killed_at_step_01_of_16_then_resumed => 1,
    killed_at_step_02_of_16_then_resumed => 2,
    killed_at_step_03_of_16_then_resumed => 3,
    killed_at_step_04_of_16_then_resumed => 4,
    killed_at_step_05_of_16_then_resumed => 5,
    killed_at_step_06_of_16_then_resumed => 6,
    killed_at_step_07_of_16_then_resumed => 7,
    killed_at_step_08_of_16_then_resumed => 8,
    killed_at_step_09_of_16_then_resumed => 9,
    killed_at_step_10_of_16_then_resumed => 10,
    killed_at_step_11_of_16_then_resumed => 11,
    killed_at_step_12_of_16_then_resumed => 12,
    killed_at_step_13_of_16_then_resumed => 13,
    killed_at_step_14_of_16_then_resumed => 14,
    killed_at_step_15_of_16_then_resumed => 15,
    killed_at_step_16_of_16_then_resumed => 16,
}

/// Where the kill of step `step` lands (see the module documentation).
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// When this text appears: a question the step waits at, or a command it runs.
    Text(&'static str),
    /// On the first git or cargo program started while the record shows the step in one of `states`
    /// (with `arg` among its arguments, when given), held until the kill.
    Program {
        states: &'static [&'static str],
        arg: Option<&'static str>,
    },
    /// On the gh call whose arguments contain this, held by the gh stand-in's `delay` knob.
    Gh(&'static str),
}

fn kill_at(step: u8) -> KillAt {
    const IN_PROGRESS: &[&str] = &["in-progress"];
    match step {
        1 => KillAt::Text("must type 'yes'"),
        // Started without --credit, step 4 asks for it: the kill lands while it waits.
        4 => KillAt::Text("Credit (who reported it"),
        5 => KillAt::Text("Type 'done' when fix is committed"),
        6 => KillAt::Program {
            states: IN_PROGRESS,
            arg: Some("commit"),
        },
        // Held, not killed at its text: the test command can finish, and step 7 with it, before a
        // kill on its "$ …" line lands. The fixture's test command is the quick `cargo --version`
        // (support::QUICK_GATES; the tree is compared with the reference run's, which has it too);
        // a real `cargo test` interrupted is terminal::ctrl_c_while_a_program_runs_….
        7 => KillAt::Program {
            states: IN_PROGRESS,
            arg: Some("--version"),
        },
        8 => KillAt::Text("Continue without the audit? (y/n)"),
        9 => KillAt::Gh("pr create"),
        10 => KillAt::Gh("pr checks"),
        11 => KillAt::Gh("state,mergeCommit"),
        12 => KillAt::Gh("run watch"),
        // Step 4 lists and creates the advisory; step 13's first call of its own reads it back.
        13 => KillAt::Gh("security-advisories/GHSA-"),
        15 => KillAt::Program {
            states: &["in-progress", "done"],
            arg: None,
        },
        _ => KillAt::Program {
            states: IN_PROGRESS,
            arg: None,
        },
    }
}

fn killed_then_resumed(step: u8) {
    let reference = reference();
    let fx = Fixture::new();
    let registry = Registry::start(&fx);
    let url = registry.url();
    let before = fx.snapshot();

    let mut args = start_args(&url);
    if step == 4 {
        args.retain(|a| *a != "--credit" && *a != CREDIT);
    }
    let first = run_and_kill(&fx, &args, step);
    let record = fx.work.join(".git/caro-hotfix/state.toml");
    if step > 1 {
        // The kill landed inside step `step`: the record says so.
        use caro_hotfix::record::Tracked;
        let state = caro_hotfix::record::store::load::<caro_hotfix::record::Hotfix>(&record)
            .expect("a readable record")
            .unwrap_or_else(|| panic!("no record after the kill at step {step}\n{first}"));
        let at = state.first_unfinished();
        // Step 15 may run no program at all: then the kill lands on step 16's first.
        let expected: &[u8] = if step == 15 { &[15, 16] } else { &[step] };
        assert!(
            at.is_some_and(|at| expected.contains(&at)),
            "the kill meant for step {step} landed at step {at:?}\n{first}"
        );
    } else {
        assert!(!record.exists(), "a record was written before `yes`");
    }

    let out = if step == 1 {
        // Killed at the `yes` question: nothing was recorded, nothing changed; start afresh.
        let status = fx.caro(&["status"]).run();
        assert_eq!(status.code, 0, "{}", status.explain());
        assert!(
            status.transcript.contains("No hotfix in progress"),
            "{}",
            status.explain()
        );
        assert!(
            fx.snapshot() == before,
            "killed before `yes`, yet the repository or the origin changed\n--- first run ---\n{first}"
        );
        fx.caro(&start_args(&url)).answers(start_answers(&fx)).run()
    } else {
        let mut answers = Vec::new();
        if step == 4 {
            answers.push(say(CREDIT));
        }
        if step < 5 {
            answers.push(fx.commit_fix_then("done"));
        } else if step == 5 {
            // The fix was committed before the kill.
            answers.push(say("done"));
        }
        if step <= 8 {
            answers.push(say("y"));
        }
        if step <= 13 {
            // The typed yes that publishes the advisory.
            answers.push(say("yes"));
        }
        fx.caro(&[
            "resume",
            "--poll-interval",
            "0.05",
            "--registry-index",
            &url,
        ])
        .answers(answers)
        .run()
    };
    let context = format!(
        "killed at step {step}\n--- first run (pty, until the kill) ---\n{first}\n--- {} ---\n{}",
        if step == 1 { "fresh start" } else { "resume" },
        out.explain()
    );
    assert_eq!(out.code, 0, "{context}");
    assert!(out.transcript.contains(SUMMARY), "{context}");
    let got = final_state(&fx, &context);
    got.assert_same_as(reference, &context);
}

/// A hotfix of an older release, killed in step 2 before it recorded the base: resume continues
/// with what was asked (`--base-tag`, `--strategy`), not the newest release and the default strategy.
#[test]
fn killed_in_step_2_of_an_older_release_resumes_on_that_release() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.0");
    index.add_version("1.0.10");
    index.publish_after("1.0.1", 1);
    let url = index.url();
    let mut args = start_args(&url);
    let description = args.pop().expect("the description");
    args.extend([
        "--base-tag",
        "v1.0.0",
        "--strategy",
        "maintenance",
        description,
    ]);
    let first = run_and_kill(&fx, &args, 2);

    let out = fx
        .caro(&[
            "resume",
            "--poll-interval",
            "0.05",
            "--registry-index",
            &url,
        ])
        .answers(vec![fx.commit_fix_then("done"), say("y"), say("yes")])
        .run();
    let context = format!(
        "--- first run (pty, until the kill) ---\n{first}\n--- resume ---\n{}",
        out.explain()
    );
    assert_eq!(out.code, 0, "{context}");
    assert!(out.transcript.contains("Base release: v1.0.0"), "{context}");
    assert!(
        out.transcript.contains("This hotfix will be: v1.0.1"),
        "{context}"
    );
    assert_eq!(fx.gh_prs()[0]["base"], "release/1.0", "{context}");
    let tags = origin_git(&fx, &["tag", "--list"]);
    assert!(tags.lines().any(|t| t == "v1.0.1"), "{tags}\n{context}");
    assert!(!tags.lines().any(|t| t == "v1.0.11"), "{tags}\n{context}");
}

// ---------------------------------------------------------------------------------------------------
// The uninterrupted reference run, once per test process.

/// What an uninterrupted hotfix leaves behind.
#[derive(Debug, PartialEq, Eq)]
struct FinalState {
    /// Branch names on the origin.
    branches: Vec<String>,
    /// `v1.0.11^{tree}`, and the files of that tree.
    tree: String,
    files: BTreeMap<String, String>,
    /// `git rev-list --count v1.0.10..main` on the origin.
    commits_on_main: usize,
    /// Subjects of the PR head's commits since v1.0.10 (the hotfix branch as reviewed).
    pr_commits: Vec<String>,
    /// Every `gh label create` call, sorted.
    label_creates: Vec<Vec<String>>,
}

impl FinalState {
    fn assert_same_as(&self, reference: &FinalState, context: &str) {
        assert_eq!(
            self.branches, reference.branches,
            "branches on the origin differ from the uninterrupted run\n{context}"
        );
        for (path, text) in &reference.files {
            assert_eq!(
                self.files.get(path),
                Some(text),
                "{path} at {TAG} differs from the uninterrupted run\n{context}"
            );
        }
        assert_eq!(
            self.files.keys().collect::<Vec<_>>(),
            reference.files.keys().collect::<Vec<_>>(),
            "the files at {TAG} differ from the uninterrupted run\n{context}"
        );
        assert_eq!(
            self.tree, reference.tree,
            "the tree of {TAG} differs from the uninterrupted run\n{context}"
        );
        assert_eq!(
            self.commits_on_main, reference.commits_on_main,
            "commits on main since v1.0.10 differ from the uninterrupted run\n{context}"
        );
        assert_eq!(
            self.pr_commits, reference.pr_commits,
            "the PR's commits differ from the uninterrupted run\n{context}"
        );
        assert_eq!(
            self.label_creates, reference.label_creates,
            "`gh label create` calls differ from the uninterrupted run\n{context}"
        );
    }
}

fn reference() -> &'static FinalState {
    static REFERENCE: OnceLock<FinalState> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let fx = Fixture::new();
        let registry = Registry::start(&fx);
        let out = fx
            .caro(&start_args(&registry.url()))
            .answers(start_answers(&fx))
            .run();
        let context = format!("the uninterrupted reference run\n{}", out.explain());
        assert_eq!(out.code, 0, "{context}");
        assert!(out.transcript.contains(SUMMARY), "{context}");
        final_state(&fx, &context)
    })
}

/// Checks what every finished hotfix must show, and reads what is compared with the reference.
fn final_state(fx: &Fixture, context: &str) -> FinalState {
    // The tag: annotated, on the tip of main.
    assert_eq!(
        origin_git(fx, &["cat-file", "-t", TAG]),
        "tag",
        "{TAG} is not an annotated tag\n{context}"
    );
    let tagged = origin_git(fx, &["rev-parse", &format!("{TAG}^{{commit}}")]);
    let main = origin_git(fx, &["rev-parse", "refs/heads/main"]);
    assert_eq!(tagged, main, "{TAG} is not on the tip of main\n{context}");

    // One PR, one merge, one advisory.
    let calls = fx.gh_calls();
    let count = |pred: &dyn Fn(&[String]) -> bool| calls.iter().filter(|a| pred(a)).count();
    let starts = |a: &[String], words: &[&str]| {
        a.len() >= words.len() && a.iter().zip(words).all(|(x, w)| x == w)
    };
    let shown_calls = || {
        calls
            .iter()
            .map(|a| format!("  gh {}", a.join(" ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        count(&|a| starts(a, &["pr", "create"])),
        1,
        "`gh pr create` not called exactly once:\n{}\n{context}",
        shown_calls()
    );
    assert_eq!(
        count(&|a| starts(a, &["pr", "merge"])),
        1,
        "`gh pr merge` not called exactly once:\n{}\n{context}",
        shown_calls()
    );
    let advisory_post = |a: &[String]| {
        a.first().is_some_and(|x| x == "api")
            && a.windows(2)
                .any(|w| (w[0] == "-X" || w[0] == "--method") && w[1].eq_ignore_ascii_case("POST"))
    };
    assert_eq!(
        count(&advisory_post),
        1,
        "the advisory was not POSTed exactly once:\n{}\n{context}",
        shown_calls()
    );
    let prs = fx.gh_prs();
    assert_eq!(
        prs.as_array().map(Vec::len),
        Some(1),
        "not exactly one PR: {prs:#}\n{context}"
    );
    let advisories = std::fs::read_to_string(fx.gh_state().join("advisories.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .unwrap_or(serde_json::json!([]));
    assert_eq!(
        advisories.as_array().map(Vec::len),
        Some(1),
        "not exactly one advisory: {advisories:#}\n{context}"
    );

    // The record is archived.
    let dir = fx.work.join(".git/caro-hotfix");
    assert!(
        dir.join("history/1.0.11.toml").is_file(),
        "the record was not moved to .git/caro-hotfix/history/1.0.11.toml\n{context}"
    );
    assert!(
        !dir.join("state.toml").exists(),
        "a record is still in progress\n{context}"
    );

    let branches = origin_git(
        fx,
        &["for-each-ref", "--format=%(refname:short)", "refs/heads/"],
    );
    let tree = origin_git(fx, &["rev-parse", &format!("{TAG}^{{tree}}")]);
    let mut files = BTreeMap::new();
    for path in origin_git(fx, &["ls-tree", "-r", "--name-only", TAG]).lines() {
        let text = origin_git(fx, &["show", &format!("{TAG}:{path}")]);
        files.insert(path.to_string(), text);
    }
    let commits_on_main = origin_git(fx, &["rev-list", "--count", "v1.0.10..refs/heads/main"])
        .parse()
        .expect("a count");
    let head = prs[0]["headRefOid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let pr_commits = origin_git(
        fx,
        &[
            "log",
            "--reverse",
            "--format=%s",
            &format!("v1.0.10..{head}"),
        ],
    )
    .lines()
    .map(str::to_string)
    .collect();
    let mut label_creates: Vec<Vec<String>> = calls
        .iter()
        .filter(|a| starts(a, &["label", "create"]))
        .cloned()
        .collect();
    label_creates.sort();
    FinalState {
        branches: branches.lines().map(str::to_string).collect(),
        tree,
        files,
        commits_on_main,
        pr_commits,
        label_creates,
    }
}

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

// ---------------------------------------------------------------------------------------------------
// Starting, answering, killing.

fn start_args(index: &str) -> Vec<&str> {
    let mut args = vec!["--poll-interval", "0.05", "--registry-index", index];
    args.extend(STEP4_FLAGS);
    args.push(DESCRIPTION);
    args
}

/// yes; the fix committed while the wizard waits for done; the audit skipped; the advisory published.
fn start_answers(fx: &Fixture) -> Vec<Answer> {
    vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")]
}

fn spawn(fx: &Fixture, args: &[&str]) -> PtySession {
    spawn_command(fx.binary(args), Some(120_000)).expect("spawn caro-hotfix in a pty")
}

/// Starts the hotfix with the real binary in a pty, types like a person up to step `step`, and kills
/// it there with SIGKILL. Returns what it printed.
fn run_and_kill(fx: &Fixture, args: &[&str], step: u8) -> String {
    let kill = kill_at(step);
    let hold = match kill {
        KillAt::Program { states, arg } => Some(Hold::install(fx, step, states, arg)),
        KillAt::Gh(needle) => {
            fx.set_gh_knobs(&serde_json::json!({
                "delay": [{"match": needle, "seconds": 90, "times": 1}]
            }));
            None
        }
        KillAt::Text(_) => None,
    };
    let mut p = spawn(fx, args);
    let mut seen = String::new();
    expect(&mut p, &mut seen, "[1/16]");
    expect(&mut p, &mut seen, "must type 'yes'");
    if step > 1 {
        p.send_line("yes").expect("type yes");
        for n in 2..=step {
            expect(&mut p, &mut seen, &format!("[{n}/16]"));
            if n == step {
                break;
            }
            match n {
                5 => {
                    expect(&mut p, &mut seen, "Type 'done' when fix is committed");
                    fx.commit_fix();
                    p.send_line("done").expect("type done");
                }
                8 => {
                    expect(&mut p, &mut seen, "Continue without the audit? (y/n)");
                    p.send_line("y").expect("type y");
                }
                13 => {
                    expect(&mut p, &mut seen, "Publish the advisory now?");
                    p.send_line("yes").expect("type yes");
                }
                _ => {}
            }
        }
    }
    // Wait until the kill provably lands inside the step.
    let held_pid = match kill {
        KillAt::Text(text) => {
            if step > 1 {
                expect(&mut p, &mut seen, text);
            }
            if step == 5 {
                // The maintainer committed the fix, then the machine died before `done`.
                fx.commit_fix();
            }
            None
        }
        KillAt::Program { .. } => {
            let held = hold
                .as_ref()
                .expect("hold installed")
                .wait(Duration::from_secs(120))
                .unwrap_or_else(|| panic!("step {step}: no program was held\n{seen}"));
            seen.push_str(&format!("\n<held: {}>", held.1));
            Some(held.0)
        }
        KillAt::Gh(needle) => {
            let call = fx
                .wait_for_delayed_gh(needle, Duration::from_secs(120))
                .unwrap_or_else(|| panic!("step {step}: `gh {needle}` never started\n{seen}"));
            seen.push_str(&format!("\n<held: gh {}>", call.argv.join(" ")));
            Some(call.pid)
        }
    };
    // A save of the record may still be on its way (its fsync runs beside the steps' read-only
    // commands): the kill comes once it is in place, so the record names the step killed in.
    fx.settle_record();
    let status = p.process.kill(Signal::SIGKILL).expect("kill caro-hotfix");
    assert!(
        matches!(status, WaitStatus::Signaled(_, Signal::SIGKILL, _)),
        "caro-hotfix was not killed at step {step} but ended with {status:?}\n{seen}"
    );
    seen.push_str("\n<SIGKILL>\n");
    // The terminal goes too: rexpect's reader thread retries a read that fails with EIO (the
    // terminal of a dead process) for as long as the session lives.
    drop(p);
    if let Some(pid) = held_pid {
        // The held program dies with its terminal, having done nothing.
        let deadline = Instant::now() + Duration::from_secs(10);
        while alive(pid) {
            assert!(
                Instant::now() < deadline,
                "the held program (pid {pid}) outlived the kill at step {step}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    drop(hold);
    seen
}

/// Holds the first git or cargo program the wizard starts while its record shows step `step` in one
/// of `states` (and, with `arg`, only one with that argument): stand-ins for git and cargo, first on
/// the wizard's `PATH`, run the real programs, except that one call, which reports itself in
/// `held/call` and sleeps until its caller is gone, then exits 129 having done nothing. Dropping it
/// removes the stand-ins.
struct Hold<'a> {
    fx: &'a Fixture,
    held: PathBuf,
}

impl<'a> Hold<'a> {
    fn install(fx: &'a Fixture, step: u8, states: &[&str], arg: Option<&str>) -> Hold<'a> {
        let spec = fx.dir.path().join("hold.sh");
        let held = fx.dir.path().join("held");
        let record = fx.work.join(".git/caro-hotfix/state.toml");
        write(
            &spec,
            &format!(
                "hold_step={step}\nhold_states='{}'\nhold_arg='{}'\n",
                states.join(" "),
                arg.unwrap_or("")
            ),
        );
        for program in ["git", "cargo"] {
            let real = which(program);
            fx.stand_in(
                program,
                &format!(
                    r#"#!/bin/sh
# Test stand-in: the real {program}, except the one call held for a kill (see fault_injection.rs).
spec='{spec}'
if [ -f "$spec" ]; then
  . "$spec"
  # A save on its way: the journal's last `# save N` is ahead of the record's revision. Wait for it.
  i=0
  while [ $i -lt 1000 ]; do
    mark=$(grep '^# save ' '{journal}' 2>/dev/null | tail -n 1 | cut -d' ' -f3)
    rev=$(awk '/^revision = / {{ print $3; exit }}' '{record}' 2>/dev/null)
    [ -z "$mark" ] || [ "${{rev:-0}}" -ge "$mark" ] && break
    sleep 0.01; i=$((i+1))
  done
  status=$(awk -v want="$hold_step" '/^\[/ {{ num = "" }} /^number = / {{ num = $3 }} /^status = / {{ if (num == want) {{ gsub(/"/, "", $3); print $3 }} }}' '{record}' 2>/dev/null)
  case " $hold_states " in
    *" $status "*)
      hit=1
      if [ -n "$hold_arg" ]; then
        hit=0
        for a in "$@"; do [ "$a" = "$hold_arg" ] && hit=1; done
      fi
      if [ "$hit" = 1 ] && mkdir '{held}' 2>/dev/null; then
        echo "$$ {program} $*" > '{held}/call.tmp' && mv '{held}/call.tmp' '{held}/call'
        while kill -0 "$PPID" 2>/dev/null; do sleep 0.05; done
        exit 129
      fi;;
  esac
fi
exec '{real}' "$@"
"#,
                    spec = spec.display(),
                    record = record.display(),
                    journal = fx.work.join(".git/caro-hotfix/state.journal.toml").display(),
                    held = held.display(),
                    real = real.display(),
                ),
            );
        }
        Hold { fx, held }
    }

    /// Waits for the held call: its pid and what it is.
    fn wait(&self, timeout: Duration) -> Option<(u32, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(text) = std::fs::read_to_string(self.held.join("call")) {
                let (pid, what) = text.trim().split_once(' ')?;
                return Some((pid.parse().ok()?, what.to_string()));
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.fx.dir.path().join("hold.sh"));
        self.fx.remove_stand_in("git");
        self.fx.remove_stand_in("cargo");
    }
}

/// The real `program` on the test's `PATH`.
pub(crate) fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(program))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

/// Waits for `needle` in the output, keeping everything read in `seen`.
fn expect(p: &mut PtySession, seen: &mut String, needle: &str) {
    match p.exp_string(needle) {
        Ok(before) => {
            seen.push_str(&before);
            seen.push_str(needle);
        }
        Err(e) => panic!("waiting for {needle:?}: {e}\n--- output so far ---\n{seen}"),
    }
}

/// Whether process `pid` still runs (a zombie does not).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------------
// The registry: 1.0.11 is published when the tag reaches the origin.

struct Registry {
    server: Arc<IndexServer>,
    stop: Arc<AtomicBool>,
    watcher: Option<JoinHandle<()>>,
}

impl Registry {
    fn start(fx: &Fixture) -> Registry {
        let server = Arc::new(IndexServer::publishing(CRATE, &fx.origin));
        server.add_version("1.0.10");
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = {
            let server = Arc::clone(&server);
            let stop = Arc::clone(&stop);
            let origin = fx.origin.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if tag_on(&origin) {
                        // The poll that may be under way still misses it, the next one finds it.
                        server.publish_after("1.0.11", 1);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        };
        Registry {
            server,
            stop,
            watcher: Some(watcher),
        }
    }

    fn url(&self) -> String {
        self.server.url()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(w) = self.watcher.take() {
            let _ = w.join();
        }
    }
}

/// Whether the bare origin has the tag (loose or packed).
fn tag_on(origin: &Path) -> bool {
    origin.join("refs/tags").join(TAG).exists()
        || std::fs::read_to_string(origin.join("packed-refs"))
            .is_ok_and(|t| t.lines().any(|l| l.ends_with(&format!("refs/tags/{TAG}"))))
}
