//! Issue 28, an embargo that holds, with the REAL gh against the GitHub emulator and the test
//! registry: an embargoed hotfix of two lines is reviewed in the advisory's temporary private fork,
//! waits for its disclosure time, then ships at once. Everything public is scanned: every update of
//! a ref of the public repository is logged by a `post-receive` hook of the bare origin (with the
//! time), and at each question of the run and at each stop, refs and their history, PR titles and
//! bodies, branch names, tags and releases are searched for the fix commits, the fix's lines and the
//! description's words — nothing before release day.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::gh_real::{origin_git, CANONICAL};
use crate::lines::World;
use crate::support::*;

/// 1 d 3 h after the fixture's clock (`NOW`, 2026-11-13T08:30Z): a Saturday, warned about.
const DISCLOSE_AT: &str = "2026-11-14T11:30Z";
/// The disclosure time, as the clock of a later run says it.
const AT_DISCLOSURE: &str = "2026-11-14T12:30:00+01:00";

/// Words of the description, impact and credit that must not be public before disclosure (the
/// fixture's code names `record_len` already, so the fix is found by its own lines instead).
const SECRET_WORDS: [&str; 4] = ["out-of-bounds", "attackers", "buffer", "grace"];

/// The fix, committed with a message that says nothing of the vulnerability.
fn neutral_fix(fx: &Fixture) -> Answer {
    let work = fx.work.clone();
    do_then_say(
        move || {
            write(&work.join("src/lib.rs"), FIXED_LIB_RS);
            git(&work, &["add", "src/lib.rs"]);
            git(&work, &["commit", "-q", "-m", "fix: check a length"]);
        },
        "done",
    )
}

/// A `post-receive` hook on the bare origin: every ref update, with the time, in `push-log.txt`.
fn log_pushes(fx: &Fixture) -> PathBuf {
    let log = fx.dir.path().join("push-log.txt");
    let hook = fx.origin.join("hooks/post-receive");
    std::fs::create_dir_all(hook.parent().expect("hooks dir")).expect("hooks dir");
    write(
        &hook,
        &format!(
            "#!/bin/sh\nwhile read old new ref; do echo \"$(date +%s.%N) $ref $new\" >> '{}'; done\n",
            log.display()
        ),
    );
    std::process::Command::new("chmod")
        .args(["+x", hook.to_str().expect("utf-8")])
        .status()
        .expect("chmod");
    log
}

/// The fix commits of both lines (the hotfix branches' commits on top of their base tags, the
/// version bump aside), read from the work tree.
fn fix_commits(fx: &Fixture) -> Vec<String> {
    let mut out = Vec::new();
    for (branch, base) in [("hotfix/v1.0.11", "v1.0.10"), ("hotfix/v0.9.10", "v0.9.9")] {
        for line in git(
            &fx.work,
            &["log", "--format=%H %s", &format!("{base}..{branch}")],
        )
        .lines()
        {
            let (sha, subject) = line.split_once(' ').expect("sha subject");
            if !subject.starts_with("chore: Bump version") {
                out.push(sha.to_string());
            }
        }
    }
    out
}

/// The lines the fix adds (what an attacker reads in a diff).
fn fix_lines(fx: &Fixture, fix: &str) -> Vec<String> {
    git(&fx.work, &["show", "--format=", fix])
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| l[1..].trim().to_string())
        // What only the fix says: its code, not the braces and attributes any test module has.
        .filter(|l| l.len() > 12 && !l.starts_with("#["))
        .collect()
}

/// Everything public that holds the fix or describes the vulnerability, one finding a line.
fn public_scan(w: &World, fixes: &[String], added: &[String]) -> Vec<String> {
    let fx = &w.fx;
    let mut found = Vec::new();
    let refs = origin_git(fx, &["for-each-ref", "--format=%(refname)"]);
    for fix in fixes {
        let has = std::process::Command::new("git")
            .args([
                "--git-dir",
                fx.origin.to_str().expect("utf-8"),
                "cat-file",
                "-e",
            ])
            .arg(format!("{fix}^{{commit}}"))
            .status()
            .is_ok_and(|s| s.success());
        if has {
            let holding = origin_git(
                fx,
                &["for-each-ref", "--contains", fix, "--format=%(refname)"],
            );
            if !holding.is_empty() {
                found.push(format!("fix {fix} on {holding}"));
            }
        }
    }
    for r in refs.lines() {
        if r.contains("hotfix") || r.ends_with("v1.0.11") || r.ends_with("v0.9.10") {
            found.push(format!("ref {r}"));
        }
    }
    let history = origin_git(fx, &["log", "--all", "-p", "--format=%H%n%B"]);
    for line in added {
        if history.contains(line.as_str()) {
            found.push(format!("history has the fix's line `{line}`"));
        }
    }
    let mut texts = vec![("history", history.to_lowercase())];
    for p in w.emu.pulls(CANONICAL) {
        texts.push(("PR", format!("{} {}", p["title"], p["body"]).to_lowercase()));
        found.push(format!("public PR #{} from {}", p["number"], p["head"]));
    }
    for r in w.emu.repo(CANONICAL)["releases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        texts.push(("release", r.to_string().to_lowercase()));
    }
    for (what, text) in texts {
        for word in SECRET_WORDS {
            if text.contains(word) {
                found.push(format!("{what} names `{word}`"));
            }
        }
    }
    found
}

/// The logged ref updates of the origin that hold a fix commit: (time, ref).
fn pushes_holding_the_fix(fx: &Fixture, log: &Path, fixes: &[String]) -> Vec<(f64, String)> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut out = Vec::new();
    for line in text.lines() {
        let mut parts = line.split(' ');
        let (Some(t), Some(r), Some(new)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if new.chars().all(|c| c == '0') {
            continue;
        }
        let holds = fixes.iter().any(|fix| {
            git_ok(
                fx.dir.path(),
                &[
                    "--git-dir",
                    fx.origin.to_str().expect("utf-8"),
                    "merge-base",
                    "--is-ancestor",
                    fix,
                    new,
                ],
            )
        });
        if holds {
            out.push((t.parse().unwrap_or(0.0), r.to_string()));
        }
    }
    out
}

/// The emulator's advisory fork of the canonical repository, while it exists.
fn fork_slug(w: &World) -> Option<String> {
    w.emu.state()["repos"]
        .as_object()?
        .iter()
        .find(|(_, r)| r["advisory_fork"].is_string())
        .map(|(k, _)| k.clone())
}

/// The whole embargo of two lines: private review in the advisory's fork, nothing public before
/// the disclosure time (scanned at each question and each stop, and every ref update logged);
/// `resume` before the time stops and says when; at the time, everything ships and the fork goes.
#[test]
fn an_embargoed_two_line_hotfix_is_reviewed_in_private_and_ships_at_the_disclosure_time() {
    let w = World::two();
    // GitHub makes the fork asynchronously: it is there a moment after the 202.
    w.emu.knobs(json!({"fork_ready_seconds": 0.3}));
    let log = log_pushes(&w.fx);
    let scans = std::rc::Rc::new(std::cell::RefCell::new(Vec::<(String, Vec<String>)>::new()));
    let scan_at = |what: &'static str| {
        let scans = scans.clone();
        let port = w.emu.port;
        let origin = w.fx.origin.clone();
        move || {
            // The emulator's view and the origin's refs, as anyone could read them now.
            let state =
                crate::support::emulator::control_at(port, "GET", "/_control/state", json!({}));
            let pulls = state["repos"][CANONICAL]["pulls"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let refs = git(
                origin.parent().expect("dir"),
                &[
                    "--git-dir",
                    origin.to_str().expect("utf-8"),
                    "for-each-ref",
                    "--format=%(refname)",
                ],
            );
            let mut found: Vec<String> =
                pulls.iter().map(|p| format!("PR {}", p["head"])).collect();
            found.extend(
                refs.lines()
                    .filter(|r| r.contains("hotfix"))
                    .map(String::from),
            );
            scans.borrow_mut().push((what.to_string(), found));
        }
    };
    let args = w.args(&["--embargo", "--disclose-at", DISCLOSE_AT]);
    let out = w.run(
        &args,
        vec![
            do_then_say(scan_at("step 1"), "yes"),
            neutral_fix(&w.fx),
            // Step 9: review in the advisory's fork.
            do_then_say(
                scan_at("step 9, after steps 5-8"),
                "in the advisory's private fork",
            ),
        ],
    );
    let t = out.explain();
    assert_eq!(out.code, 0, "{t}");
    assert!(t.contains("The disclosure falls on a Saturday"), "{t}");
    assert!(
        t.contains("The embargo holds: disclosure at 2026-11-14 11:30 UTC, in 1 d 3 h."),
        "{t}"
    );
    assert!(t.contains("Pre-notification kit written to"), "{t}");
    let fixes = fix_commits(&w.fx);
    assert_eq!(fixes.len(), 2, "one fix commit per line: {fixes:?}");
    let added = fix_lines(&w.fx, &fixes[0]);
    assert!(!added.is_empty());
    for (at, found) in scans.borrow().iter() {
        assert!(found.is_empty(), "public at {at}: {found:?}\n{t}");
    }
    let found = public_scan(&w, &fixes, &added);
    assert!(
        found.is_empty(),
        "public before disclosure: {found:#?}\n{t}"
    );
    assert!(pushes_holding_the_fix(&w.fx, &log, &fixes).is_empty());

    // The private fork: private, one PR per line carrying the local gates with their commits.
    let fork = fork_slug(&w).expect("the advisory's private fork");
    let ghsa = w.emu.advisories(CANONICAL)[0]["ghsa_id"]
        .as_str()
        .expect("ghsa")
        .to_lowercase();
    assert_eq!(fork, format!("example/minicrate-{ghsa}"));
    let repo = w.emu.repo(&fork);
    assert_eq!(repo["private"], true);
    assert_eq!(repo["workflows"], json!([]), "no Actions in a private fork");
    let private: Vec<Value> = repo["pulls"].as_array().cloned().unwrap_or_default();
    assert_eq!(private.len(), 2, "{private:#?}");
    for p in &private {
        let body = p["body"].as_str().unwrap_or("");
        assert!(body.contains("### Local gates"), "{body}");
        for gate in [
            "- tests: passed",
            "- audit: clean on `",
            "- cargo package: passed on `",
        ] {
            assert!(body.contains(gate), "{gate}: {body}");
        }
    }
    // The kit: the notice and each line's patch.
    let kit = w.fx.work.join(".git/caro-hotfix/kit");
    let notice = read(&kit.join("EMBARGO-NOTICE.md"));
    assert!(
        notice.contains("do not disclose before 2026-11-14 11:30 UTC"),
        "{notice}"
    );
    assert!(notice.contains(DESCRIPTION), "{notice}");
    for line in ["1.0", "0.9"] {
        let patches: Vec<_> = std::fs::read_dir(kit.join(line))
            .expect("kit dir")
            .collect();
        assert_eq!(patches.len(), 1, "{line}: one fix commit, one patch");
    }
    // `status` shows the embargo, the review and the gates with their commits.
    let status = w.run(&["status"], vec![]);
    for said in [
        "embargo: disclosure at 2026-11-14 11:30 UTC",
        "embargo: private phase",
        "private review: approved in the advisory's private fork by bob",
        "gate 1.0 cargo package: passed on ",
        "gate 0.9 tests: passed",
    ] {
        assert!(
            status.transcript.contains(said),
            "{said}\n{}",
            status.explain()
        );
    }

    // Before the time, `resume` stops again and names it.
    let early = w.resume(vec![]);
    assert_eq!(early.code, 0, "{}", early.explain());
    assert!(
        early
            .transcript
            .contains("disclosure at 2026-11-14 11:30 UTC, in 1 d 3 h"),
        "{}",
        early.explain()
    );
    assert!(public_scan(&w, &fixes, &added).is_empty());

    // At the time: release day, every line, then the advisory.
    let day = w.run_env(
        &["resume"],
        vec![say("yes")],
        &[("CARO_HOTFIX_NOW", AT_DISCLOSURE)],
    );
    let t = day.explain();
    // Kept for a reader: release day as the maintainer sees it.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(kept.join("embargo-release-day.txt"), &day.transcript).expect("keep it");
    assert_eq!(day.code, 0, "{t}");
    assert!(
        t.contains("Release day begins (the disclosure time 2026-11-14 11:30 UTC has come)"),
        "{t}"
    );
    let pulls = w.pulls();
    assert_eq!(pulls.len(), 2, "{pulls:#?}");
    for p in &pulls {
        assert_eq!(p["state"], "MERGED", "{p:#}");
        let body = p["body"].as_str().unwrap_or("");
        assert!(
            body.contains(
                "**Reviewed before disclosure**: approved in the advisory's private fork by bob"
            ),
            "{body}"
        );
    }
    assert_eq!(w.emu.advisories(CANONICAL)[0]["state"], "published");
    assert!(
        fork_slug(&w).is_none(),
        "the fork is removed when the advisory is published"
    );
    assert!(t.contains("Exposure window: "), "{t}");
    // The first public appearance of the fix, from the origin's own log.
    let first = pushes_holding_the_fix(&w.fx, &log, &fixes);
    assert!(!first.is_empty(), "the fix was never pushed");
    let report = format!(
        "first public ref holding the fix: {} at {:.3}\nall: {first:#?}\n",
        first[0].1, first[0].0
    );
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("embargo-public-log.txt"),
        &report,
    )
    .expect("keep the log");
}

/// A fix commit already on a public branch during the embargo is said plainly, and release day is
/// offered; declined, nothing is pushed. The review here is local, recorded with who reviewed.
#[test]
fn a_leaked_fix_is_said_plainly_and_release_day_is_offered() {
    let w = World::two();
    let args = w.args(&["--embargo", "--disclose-at", DISCLOSE_AT]);
    let out = w.run(
        &args,
        vec![
            say("yes"),
            neutral_fix(&w.fx),
            say("locally"),
            say("Ada Reviewer"),
            say("yes"),
        ],
    );
    let t = out.explain();
    assert_eq!(out.code, 0, "{t}");
    assert!(t.contains("Private review recorded: Ada Reviewer"), "{t}");
    assert!(fork_slug(&w).is_none(), "a local review makes no fork");
    // Someone pushes the fix to a public branch.
    git(
        &w.fx.work,
        &["push", "-q", "origin", "hotfix/v1.0.11:refs/heads/oops"],
    );
    let out = w.resume(vec![say("no")]);
    let t = out.explain();
    assert_eq!(out.code, 1, "{t}");
    assert!(
        t.contains("the fix is public: the embargo is broken"),
        "{t}"
    );
    assert!(t.contains("on origin/oops"), "{t}");
    assert!(t.contains("Go to release day now"), "{t}");
    assert!(w.pulls().is_empty());
    assert!(!origin_git(&w.fx, &["for-each-ref", "--format=%(refname)"]).contains("hotfix/"));
}

/// `resume --now` before the disclosure time goes to release day after a typed `yes`; main moved
/// meanwhile, so the tests run again on the fix merged onto it; the real binary is killed (SIGKILL) inside release day, once the second line's public PR is open; a
/// resume finishes it with one of each thing: one PR per line, merged; one tag and one release
/// each; one advisory, published.
#[test]
fn killed_inside_release_day_the_resume_makes_one_of_each() {
    use crate::support::screen::Typist;
    use rexpect::process::signal::Signal;
    let w = World::two();
    let args = w.args(&["--embargo", "--disclose-at", DISCLOSE_AT]);
    let out = w.run(
        &args,
        vec![
            say("yes"),
            neutral_fix(&w.fx),
            say("locally"),
            say("Ada Reviewer"),
            say("yes"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(out.transcript.contains("in 1 d 3 h"), "{}", out.explain());

    // Meanwhile someone pushes to main, the first line's PR base: release day merges the fix onto
    // it and runs the tests there again before anything goes public.
    let other = w.fx.dir.path().join("someone-else");
    git(
        w.fx.dir.path(),
        &[
            "clone",
            "-q",
            w.fx.origin.to_str().expect("utf-8"),
            other.to_str().expect("utf-8"),
        ],
    );
    write(
        &other.join("NOTES.md"),
        "A note pushed during the embargo.\n",
    );
    git(&other, &["add", "NOTES.md"]);
    git(
        &other,
        &[
            "-c",
            "user.name=Someone",
            "-c",
            "user.email=someone@example.com",
            "commit",
            "-q",
            "-m",
            "docs: a note",
        ],
    );
    git(&other, &["push", "-q", "origin", "main"]);

    let mut cmd = w.fx.binary(&["resume", "--now"]);
    for (k, v) in w.emu.env() {
        cmd.env(k, v);
    }
    let mut t = Typist::start(&cmd, 120_000);
    t.expect("Disclosing early: the disclosure time is 2026-11-14 11:30 UTC, in 1 d 3 h");
    t.answer("Go to release day now", "yes");
    t.expect("main moved on origin since the private review");
    t.expect("All tests passed");
    t.expect("Opened PR #1");
    t.expect("Opened PR #2");
    w.fx.settle_record();
    t.p.process.kill(Signal::SIGKILL).expect("kill caro-hotfix");
    let seen = t.seen.clone();
    drop(t);

    let out = w.resume(vec![say("yes")]);
    let context = format!("{seen}\n<SIGKILL>\n{}", out.explain());
    assert_eq!(out.code, 0, "{context}");
    assert!(
        !out.transcript.contains("Release day begins"),
        "begun once: {context}"
    );
    let pulls = w.pulls();
    assert_eq!(pulls.len(), 2, "{pulls:#?}\n{context}");
    for (p, head) in pulls.iter().zip(["hotfix/v1.0.11", "hotfix/v0.9.10"]) {
        assert_eq!(p["head"], head, "{context}");
        assert_eq!(p["state"], "MERGED", "{p:#}\n{context}");
    }
    for tag in ["v1.0.11", "v0.9.10"] {
        assert_eq!(
            origin_git(&w.fx, &["cat-file", "-t", tag]),
            "tag",
            "{context}"
        );
        let releases = w.releases().iter().filter(|r| r["tag_name"] == tag).count();
        assert_eq!(releases, 1, "{tag}: {context}");
    }
    let advisories = w.emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{context}");
    assert_eq!(advisories[0]["state"], "published", "{context}");
    // The tests ran again on the merge with the moved main, once, and the record says so.
    let record = read(&w.fx.work.join(".git/caro-hotfix/history/1.0.11.toml"));
    assert_eq!(
        record.matches("what = \"tests after main moved\"").count(),
        1,
        "{record}"
    );
    let main = origin_git(&w.fx, &["log", "--format=%s", "main"]);
    assert!(main.contains("docs: a note"), "{main}");
}

// ---------------------------------------------------------------------------------------------------
// The exposure window's benchmark (run by `benches/run.sh exposure`; results in docs/performance.md).

/// CI on the public PR, the publish workflow, and the reviewer, in seconds: the emulator's checks
/// stay pending `CI`, the tag's release run completes after `PUBLISH`, and the public review (the
/// hotfix without a private phase) comes `REVIEW` after the PR is opened — standing for the hours a
/// real review takes, kept short so the bench runs in a minute.
const CI: f64 = 3.0;
const PUBLISH: f64 = 3.0;
const REVIEW: f64 = 10.0;

/// The window as the archived record has it: (first public ref holding the fix, advisory published).
fn recorded_window(fx: &Fixture) -> (String, String, f64) {
    let text = read(&fx.work.join(".git/caro-hotfix/history/1.0.11.toml"));
    let value: toml_edit::DocumentMut = text.parse().expect("the archived record");
    let e = &value["embargo"];
    let from = e["first_public"]
        .as_str()
        .expect("first_public")
        .to_string();
    let to = e["disclosed"].as_str().expect("disclosed").to_string();
    let secs = |t: &str| t.parse::<jiff::Timestamp>().expect("RFC 3339").as_second();
    let span = (secs(&to) - secs(&from)) as f64;
    (from, to, span)
}

/// The window measured outside the tool: the origin's post-receive log (first ref holding the fix)
/// to the moment the run saw the advisory published (its end; step 13 publishes it last).
fn one_window(embargo: bool) -> (f64, f64, String) {
    let w = World::two();
    w.emu.knobs(json!({
        "reviews": [],
        "checks_pending_seconds": CI,
        "tag_runs": [{"workflow": "Release", "file": "release.yml", "script": [
            {"at": 0, "status": "in_progress"},
            {"at": PUBLISH, "status": "completed", "conclusion": "success"}
        ]}],
    }));
    let log = log_pushes(&w.fx);
    let real_clock = [("CARO_HOTFIX_NOW", "")];
    let ended;
    if embargo {
        let later = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(1))
            .expect("an hour later")
            .strftime("%Y-%m-%dT%H:%MZ")
            .to_string();
        let args = w.args(&["--embargo", "--disclose-at", &later]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let private = vec![
            say("yes"),
            neutral_fix(&w.fx),
            say("locally"),
            say("Ada Reviewer"),
            say("yes"),
        ];
        let out = w.run_env(&args, private, &real_clock);
        assert_eq!(out.code, 0, "{}", out.explain());
        let out = w.run_env(
            &["resume", "--now"],
            vec![say("yes"), say("yes")],
            &real_clock,
        );
        ended = now_secs();
        assert_eq!(out.code, 0, "{}", out.explain());
    } else {
        let args = w.args(&[]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // Nobody approves on GitHub: the maintainer types `yes` once the review is done, REVIEW after
        // the first PR opened (the second line's was reviewed meanwhile).
        let reviewed = do_then_say(
            || std::thread::sleep(std::time::Duration::from_secs_f64(REVIEW)),
            "yes",
        );
        let answers = vec![
            say("yes"),
            neutral_fix(&w.fx),
            reviewed,
            say("yes"),
            say("yes"),
        ];
        let out = w.run_env(&args, answers, &real_clock);
        ended = now_secs();
        assert_eq!(out.code, 0, "{}", out.explain());
    }
    let fixes = fix_commits_archived(&w.fx);
    let first = pushes_holding_the_fix(&w.fx, &log, &fixes);
    let measured = ended - first.first().expect("the fix went public").0;
    let (from, to, recorded) = recorded_window(&w.fx);
    (measured, recorded, format!("{from} → {to}"))
}

fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
}

/// The fix commits once the hotfix is done (its branches are gone; the squash merges are new
/// commits): every line's, as the archived record has them.
fn fix_commits_archived(fx: &Fixture) -> Vec<String> {
    let text = read(&fx.work.join(".git/caro-hotfix/history/1.0.11.toml"));
    let record: toml_edit::DocumentMut = text.parse().expect("the archived record");
    let commits = |fix: &toml_edit::Item| -> Vec<String> {
        fix["commits"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = commits(&record["fix"]);
    if let Some(lines) = record["lines"].as_array_of_tables() {
        for line in lines {
            out.extend(commits(&line["fix"]));
        }
    }
    assert_eq!(out.len(), 2, "one fix commit per line: {out:?}");
    out
}

/// The benchmark: the same two-line hotfix with and without the private phase, on the emulator and
/// the test registry, with the real clock. Prints (and keeps in `CARGO_TARGET_TMPDIR/exposure-window.md`)
/// both windows, measured from the origin's own push log and as the record has them.
#[test]
#[ignore = "a benchmark (about a minute): benches/run.sh exposure"]
fn exposure_window_bench() {
    let (with, with_recorded, with_span) = one_window(true);
    let (without, without_recorded, without_span) = one_window(false);
    let table = format!(
        "| hotfix of two lines | exposure window (push log → advisory published) | as recorded | recorded span |\n\
         |---|---|---|---|\n\
         | with the private phase (embargo, reviewed before) | {with:.1} s | {with_recorded:.0} s | {with_span} |\n\
         | without (reviewed in the public PR) | {without:.1} s | {without_recorded:.0} s | {without_span} |\n\
         \n\
         CI {CI} s per PR, publish workflow {PUBLISH} s, public review {REVIEW} s after the PR opens.\n"
    );
    println!("{table}");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("exposure-window.md"),
        &table,
    )
    .expect("keep the table");
}

/// A disclosure time that is no RFC 3339 time with an offset stops before anything starts (exit 2);
/// one in the past is said at step 4 and another asked for; `status` names the time decided.
#[test]
fn a_bad_disclosure_time_is_said_and_another_asked_for() {
    let fx = Fixture::new();
    let out = fx
        .caro(&["--disclose-at", "2026-12-09T16:00", DESCRIPTION])
        .run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error().contains(
            "--disclose-at: `2026-12-09T16:00` has no offset: end it with Z (UTC) or +HH:MM"
        ),
        "{}",
        out.explain()
    );
    assert!(!fx.work.join(".git/caro-hotfix/state.toml").exists());

    let mut args: Vec<&str> = STEP4_FLAGS.to_vec();
    args.extend(["--disclose-at", "2026-11-01T00:00Z", DESCRIPTION]);
    let out = fx
        .caro(&args)
        .answers(vec![say("yes"), say(DISCLOSE_AT)])
        .run();
    let t = out.explain();
    assert!(
        t.contains("2026-11-01 00:00 UTC is in the past (now: 2026-11-13 08:30 UTC): give a time still to come"),
        "{t}"
    );
    assert!(
        t.contains("Disclosure at 2026-11-14 11:30 UTC, in 1 d 3 h"),
        "{t}"
    );
    let status = fx.caro(&["status"]).run();
    assert!(
        status
            .transcript
            .contains("embargo: disclosure at 2026-11-14 11:30 UTC"),
        "{}",
        status.explain()
    );
}

/// `--dry-run --non-interactive --embargo`: the private phase rehearsed (a local review, nothing
/// pushed anywhere), the wait said, release day rehearsed; the origin untouched.
#[test]
fn a_fire_drill_of_an_embargo_rehearses_both_phases() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let mut args: Vec<&str> = vec![
        "--dry-run",
        "--non-interactive",
        "--embargo",
        "--disclose-at",
        DISCLOSE_AT,
    ];
    args.extend(STEP4_FLAGS);
    args.push(DESCRIPTION);
    let out = fx.caro(&args).unscripted().run();
    let t = out.explain();
    assert_eq!(out.code, 0, "{t}");
    assert!(t.contains("Private review recorded: (fire drill)"), "{t}");
    assert!(
        t.contains("(simulated) The real run stops here until the disclosure time, 2026-11-14 11:30 UTC (in 1 d 3 h)"),
        "{t}"
    );
    assert!(t.contains("Release day begins (rehearsed)"), "{t}");
    assert_eq!(fx.snapshot(), before, "a rehearsal changes nothing");
}
