//! The real binary in a pseudo-terminal, typed at like a person: `yes`, `done`, `y` + Enter.

use std::process::Command;

use crate::support::screen::{Screen, COLS};
use crate::support::*;
use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

fn spawn(fx: &Fixture, args: &[&str]) -> PtySession {
    in_a_pty(fx.binary(args))
}

fn in_a_pty(cmd: Command) -> PtySession {
    spawn_command(cmd, Some(120_000)).expect("spawn caro-hotfix in a pty")
}

/// Steps 1–4 answered by flags (step 4's answers) and a typed `yes`: the wizard then waits at
/// step 5 for `done`.
fn started_to_step_five(cmd: Command) -> PtySession {
    let mut p = in_a_pty(cmd);
    p.exp_string("must type 'yes'").expect("step 1");
    p.send_line("yes").expect("yes");
    p.exp_string("Type 'done' when fix is committed")
        .expect("step 5");
    p
}

/// Step 4's answers as flags, then the description.
const ANSWERED: [&str; 9] = [
    "--severity",
    "high",
    "--impact",
    "reads",
    "--credit",
    "",
    "--advisory",
    "RUSTSEC-2026-0042",
    DESCRIPTION,
];

fn exit_code(p: &mut PtySession) -> i32 {
    match p.process.wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("caro-hotfix did not exit normally: {other:?}"),
    }
}

#[test]
fn typing_y_instead_of_yes_declines_with_exit_3() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let mut p = spawn(&fx, &[DESCRIPTION]);
    p.exp_string("EMERGENCY HOTFIX WORKFLOW").expect("warning");
    p.exp_string("must type 'yes'").expect("question");
    p.send_line("y").expect("type");
    p.exp_string("normal release workflow")
        .expect("instructions");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 3);
    assert!(fx.snapshot() == before);
}

#[test]
fn without_a_terminal_it_stops_at_once_with_exit_2() {
    let fx = Fixture::new();
    let out = fx
        .binary(&[DESCRIPTION])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs an interactive terminal"), "{stderr}");
    assert!(stderr.contains("--dry-run --non-interactive"), "{stderr}");
}

#[test]
fn a_maintainer_types_through_steps_one_to_eight() {
    let fx = Fixture::new();
    // Pushes are refused, so the run stops at step 9 with nothing sent.
    fx.refuse_pushes();
    let mut p = spawn(&fx, &[DESCRIPTION]);
    p.exp_string("must type 'yes'").expect("step 1");
    p.send_line("yes").expect("yes");
    p.exp_string("This hotfix will be: v1.0.11")
        .expect("step 2");
    // Step 4, asked because no flags were given: severity (a selection), impact, ids, credit.
    p.exp_string("Severity").expect("severity");
    p.send_line("").expect("Critical is the default");
    p.exp_string("Impact").expect("impact");
    p.send_line("Reads past the end of the buffer")
        .expect("impact");
    p.exp_string("Advisory ids").expect("ids");
    p.send_line("").expect("the id found in the description");
    p.exp_string("Credit").expect("credit");
    p.send_line("Grace Reporter").expect("credit");
    p.exp_string("Advisory: RUSTSEC-2026-0042")
        .expect("id taken from the description");
    p.exp_string("Type 'done' when fix is committed")
        .expect("step 5");
    fx.commit_fix();
    p.send_line("done").expect("done");
    p.exp_string("All tests passed").expect("step 7");
    p.exp_string("Continue without the audit? (y/n)")
        .expect("step 8");
    // A y/n needs Enter: the key alone does not answer.
    p.send("y").expect("y");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("").expect("Enter");
    p.exp_string("[9/16]").expect("step 9");
    p.exp_string("pushes are disabled").expect("refused push");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 1);
    let security = read(&fx.work.join("SECURITY.md"));
    assert!(security.contains("Grace Reporter"), "{security}");
    assert!(
        security.contains("Reads past the end of the buffer"),
        "{security}"
    );
}

#[test]
fn ctrl_c_at_a_prompt_says_where_it_stopped_and_exits_130() {
    let fx = Fixture::new();
    let mut p = started_to_step_five(fx.binary(&ANSWERED));
    p.send_control('c').expect("ctrl-c");
    // rexpect reads bytes one by one, so match around the (UTF-8) dash.
    p.exp_string("interrupted at step 5").expect("message");
    p.exp_string("run `caro-hotfix resume` to continue")
        .expect("message");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 130);
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("version = \"1.0.11\""), "{record}");
    // The record resumes at step 5; status says the step was interrupted (no run is alive).
    let out = fx.caro(&["status"]).run();
    assert!(
        out.transcript.contains("!  5. Apply the minimal fix"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("interrupted"), "{}", out.explain());
}

/// Ctrl-C while a program runs (here the tests of step 7) stops the program and the wizard alike:
/// the run ends as interrupted — exit 130, one line naming the step — never as the step's failure,
/// although the program it was waiting for died. Three times, each resumed, so a race between the
/// stopped program and the interrupt handler would show.
#[test]
fn ctrl_c_while_a_program_runs_is_an_interruption_not_a_failure() {
    real_gates();
    let fx = Fixture::new();
    let real = crate::fault_injection::which("cargo");
    // The tests take long: a stand-in cargo whose `test` waits; everything else is the real cargo.
    fx.stand_in(
        "cargo",
        &format!(
            "#!/bin/sh\nif [ \"$1\" = test ]; then echo 'running 3 tests'; sleep 60; exit 0; fi\nexec '{}' \"$@\"\n",
            real.display()
        ),
    );
    let mut p = in_a_pty(fx.binary(&ANSWERED));
    p.exp_string("must type 'yes'").expect("step 1");
    p.send_line("yes").expect("yes");
    p.exp_string("Type 'done' when fix is committed")
        .expect("step 5");
    fx.commit_fix();
    p.send_line("done").expect("done");
    for round in 0..3 {
        let seen = p.exp_string("$ cargo test").expect("step 7's tests start");
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_control('c').expect("ctrl-c");
        let rest = p.exp_eof().expect("the run ends");
        assert_eq!(exit_code(&mut p), 130, "round {round}: {seen}{rest}");
        assert!(
            rest.contains("interrupted at step 7"),
            "round {round}: {rest}"
        );
        for wrong in ["did not finish", "tests failed", "error:", "✗"] {
            assert!(!rest.contains(wrong), "round {round}: {wrong:?} in {rest}");
        }
        if round < 2 {
            p = in_a_pty(fx.binary(&["resume"]));
        }
    }
}

#[test]
fn the_demo_runs_from_yes_through_done_to_the_summary() {
    let fx = Fixture::new(); // only for PATH and a scratch directory
    let mut p = spawn(&fx, &["demo"]);
    p.exp_string("must type 'yes'").expect("step 1");
    p.send_line("yes").expect("yes");
    p.exp_string("Release lines of this incident: 1.0 (from v1.0.0), 0.9 (from v0.9.0)")
        .expect("the demo patches both lines; the pre-release is no line's base");
    p.exp_string("Base release: v1.0.0")
        .expect("the pre-release is not the base");
    p.exp_string("main has 1 commit not in v1.0.0")
        .expect("unreleased work is counted");
    p.exp_string("maintenance (recommended)")
        .expect("the strategy is explained");
    p.send_line("")
        .expect("Enter takes the recommended maintenance strategy");
    p.exp_string("the PR targets release/1.0")
        .expect("maintenance chosen");
    p.exp_string("the PR targets release/0.9 (an older line of this incident)")
        .expect("the older line goes through its maintenance branch, without a question");
    p.exp_string("Apply the sample fix for you? (y/n)")
        .expect("the demo's offer");
    // A stray `y` without Enter does not answer; with the `n` typed after it the line reads `yn`,
    // which answers nothing either: the question is asked again, and `n` then declines.
    p.send("y").expect("y");
    std::thread::sleep(std::time::Duration::from_millis(400));
    p.send("n").expect("n");
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.send_line("").expect("Enter");
    p.exp_string("Type y or n, then Enter")
        .expect("asked again");
    p.send_line("n").expect("n");
    p.exp_string("Type 'done' when fix is committed")
        .expect("step 5");
    p.send_line("done").expect("done");
    p.exp_string("continuing with an empty placeholder commit")
        .expect("no sample fix was applied");
    p.exp_string("Cherry-picked onto hotfix/v0.9.1")
        .expect("the fix carried to the 0.9 line");
    p.exp_string("All tests passed").expect("step 7");
    p.exp_string("Continue without the audit? (y/n)")
        .expect("step 8");
    p.send_line("y").expect("y");
    p.exp_string("audit skipped on this line too")
        .expect("asked once for both lines");
    p.exp_string("would run: $ gh pr create")
        .expect("step 9 printed, not run");
    p.exp_string("--base release/0.9 --head hotfix/v0.9.1")
        .expect("the 0.9 line's PR into its maintenance branch");
    p.exp_string("Publish the advisory now? (type 'yes')")
        .expect("step 13 asks before it publishes");
    p.send_line("yes").expect("yes");
    // rexpect reads bytes one by one, so match around the (UTF-8) dash.
    p.exp_string("REHEARSAL of SECURITY HOTFIX v1.0.1, v0.9.1")
        .expect("the summary, saying it was a rehearsal");
    p.exp_string("nothing was published")
        .expect("the summary, saying it was a rehearsal");
    p.exp_string("is removed (pass --keep to keep it)")
        .expect("sandbox");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 0);
}

#[test]
fn done_before_the_fix_is_committed_is_refused_then_accepted() {
    real_gates();
    let fx = Fixture::new();
    let mut p = started_to_step_five(fx.binary(&ANSWERED));
    p.send_line("done").expect("done too early");
    p.exp_string("There is no commit on hotfix/v1.0.11 since v1.0.10 yet")
        .expect("explained");
    p.exp_string("Type 'done' when fix is committed")
        .expect("asked again");
    fx.commit_fix();
    p.send_line("done").expect("done");
    p.exp_string("The fix: 1 commit on top of v1.0.10")
        .expect("accepted");
    p.exp_string("[7/16]").expect("step 7");
    // Ctrl-C while the tests run: the child stops, the step is named, and resume is the way on.
    p.send_control('c').expect("ctrl-c");
    p.exp_string("interrupted at step 7").expect("message");
    p.exp_string("caro-hotfix resume").expect("names resume");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 130);
}

#[test]
fn ctrl_c_in_a_rehearsal_removes_its_throwaway_clone() {
    let fx = Fixture::new();
    // The clone goes to the temporary directory; this test's own, so nothing else is counted.
    let tmp = fx.dir.path().join("tmp");
    std::fs::create_dir(&tmp).expect("tmp");
    let clones = || -> Vec<String> {
        std::fs::read_dir(&tmp)
            .expect("tmp")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("caro-hotfix-rehearsal-"))
            .collect()
    };
    let mut cmd = fx.binary(&ANSWERED);
    cmd.arg("--dry-run").env("TMPDIR", &tmp);
    let mut p = started_to_step_five(cmd);
    assert_eq!(
        clones().len(),
        1,
        "the rehearsal works in a clone in TMPDIR"
    );
    let before = fx.snapshot();
    p.send_control('c').expect("ctrl-c");
    p.exp_string("rehearsal interrupted at step 5")
        .expect("message");
    p.exp_string("its throwaway clone is removed")
        .expect("says so");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 130);
    assert_eq!(clones(), Vec::<String>::new(), "the clone was left behind");
    assert!(fx.snapshot() == before, "the repository changed");
}

fn has_colour_codes(text: &str) -> bool {
    // SGR sequences: ESC [ digits/semicolons m
    text.split('\u{1b}').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|r| {
            let params: String = r
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            r[params.len()..].starts_with('m')
        })
    })
}

fn fire_drill_in_a_pty(fx: &Fixture, no_color: bool) -> String {
    let mut cmd = fx.binary(&["demo", "--non-interactive", "--dry-run"]);
    cmd.current_dir(fx.dir.path()).env("TERM", "xterm-256color");
    if !no_color {
        cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    }
    let mut p = in_a_pty(cmd);
    let out = p.exp_eof().expect("eof");
    assert_eq!(exit_code(&mut p), 0, "{out}");
    out
}

#[test]
fn no_color_means_no_colour_codes() {
    let fx = Fixture::new();
    let coloured = fire_drill_in_a_pty(&fx, false);
    assert!(
        has_colour_codes(&coloured),
        "colours should be on in a terminal by default"
    );
    let plain = fire_drill_in_a_pty(&fx, true);
    assert!(plain.contains("REHEARSAL of SECURITY HOTFIX"));
    assert!(
        !has_colour_codes(&plain),
        "NO_COLOR output has colour codes"
    );
}

#[test]
fn the_demo_completes_without_a_terminal() {
    let fx = Fixture::new();
    let out = fx
        .binary(&["demo"])
        .current_dir(fx.dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(non-interactive)"), "{stderr}");
    assert!(
        stderr.contains("REHEARSAL of SECURITY HOTFIX v1.0.1, v0.9.1 — nothing was published"),
        "{stderr}"
    );
    assert!(!stderr.contains("PUBLISHED"), "{stderr}");
}

/// One run per repository: while a hotfix waits at step 5 in one terminal, `status` in another says
/// a run is working on it, and `resume` and `abort` are refused — naming the process and what it is
/// doing — without touching anything. Once the first run is gone (killed), its lock is taken over.
#[test]
fn a_second_run_is_refused_while_the_first_waits_at_step_five() {
    let fx = Fixture::new();
    let mut p = started_to_step_five(fx.binary(&ANSWERED));
    fx.settle_record();
    let before = fx.snapshot();

    let status = fx.caro(&["status"]).run();
    assert_eq!(status.code, 0, "{}", status.explain());
    assert!(
        status
            .transcript
            .contains("A run is working on it now: `caro-hotfix start`"),
        "{}",
        status.explain()
    );
    assert!(
        status.transcript.contains("running"),
        "{}",
        status.explain()
    );

    for (args, answers) in [(vec!["resume"], vec![]), (vec!["abort"], vec![say("yes")])] {
        let out = fx.caro(&args).answers(answers).run();
        assert_eq!(out.code, 1, "{}", out.explain());
        let error = out.error();
        assert!(
            error.contains("another caro-hotfix run is working in this repository: `caro-hotfix start` (process"),
            "{}",
            out.explain()
        );
        assert!(error.contains("at step 5"), "{}", out.explain());
        assert!(error.contains("Nothing was changed"), "{}", out.explain());
    }
    assert!(fx.snapshot() == before, "a refused run changed something");

    // The first run dies without a word; its lock goes with it, and the next run goes on.
    p.process
        .kill(rexpect::process::signal::Signal::SIGKILL)
        .expect("kill");
    // rexpect's reader thread retries the failing read of a dead terminal while the session lives.
    drop(p);
    let status = fx.caro(&["status"]).run();
    assert!(
        status.transcript.contains("interrupted"),
        "{}",
        status.explain()
    );
    assert!(
        status.transcript.contains("No run is working on it"),
        "{}",
        status.explain()
    );
    let out = fx
        .caro(&["abort"])
        .answers(vec![say("yes"), say("n")])
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());
}

/// Types through the demo in a pseudo-terminal started by `sh -c script` (the script runs the demo
/// its own way), answering like a person; returns everything the terminal showed.
fn demo_typed_through(fx: &Fixture, script: &str) -> String {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]).current_dir(fx.dir.path());
    cmd.env("PATH", fx.path());
    let mut p = in_a_pty(cmd);
    let mut seen = String::new();
    let mut step = |p: &mut PtySession, needle: &str, answer: &str| {
        let before = p
            .exp_string(needle)
            .unwrap_or_else(|e| panic!("{needle}: {e}\n{seen}"));
        seen.push_str(&before);
        seen.push_str(needle);
        p.send_line(answer).expect("answer");
    };
    step(&mut p, "must type 'yes'", "yes");
    step(&mut p, "Strategy", "");
    step(&mut p, "Apply the sample fix for you? (y/n)", "y");
    step(&mut p, "Type 'done' when fix is committed", "done");
    step(&mut p, "Continue without the audit? (y/n)", "y");
    step(&mut p, "Publish the advisory now? (type 'yes')", "yes");
    let rest = p.exp_eof().expect("the demo ends");
    seen.push_str(&rest);
    assert_eq!(exit_code(&mut p), 0, "{seen}");
    seen
}

/// The whole demo read at 80 columns, as the terminal shows it (a VT100 screen model applies the
/// bytes: redraws and carriage returns land where a terminal puts them): no line longer than the
/// terminal, prose one column short of the edge, paragraphs wrapped once, continuations indented
/// like their first line, tables that fit or are lists (see [`Screen::problems`]). The screen is
/// kept in `CARGO_TARGET_TMPDIR/demo-80.txt`, to be read.
#[test]
fn the_demo_at_80_columns_reads_as_a_terminal_shows_it() {
    let fx = Fixture::new();
    let bin = env!("CARGO_BIN_EXE_caro-hotfix");
    let seen = demo_typed_through(&fx, &format!("stty cols {COLS} rows 24; exec '{bin}' demo"));
    let screen = Screen::of(&seen);
    let text = screen.text();
    screen.keep("demo");
    assert!(
        text.contains("REHEARSAL of SECURITY HOTFIX v1.0.1"),
        "{text}"
    );
    let problems = screen.problems();
    assert!(
        problems.is_empty(),
        "{} problems at 80 columns:\n{}\n--- the screen ---\n{text}",
        problems.len(),
        problems.join("\n")
    );
}

/// The screen model and its rules on bytes made to show each defect of issue 31 (and a layout
/// without them), so the 80-column tests above cannot pass by finding nothing.
#[test]
fn the_80_column_rules_find_each_defect_they_name() {
    // As rexpect hands the terminal's bytes over: one char per byte.
    let screen = |rows: &[&str]| {
        let bytes = rows.join("\r\n") + "\r\n";
        Screen::of(&bytes.bytes().map(char::from).collect::<String>())
    };
    let url = "https://github.com/example/frame-parser/security/advisories/GHSA-0000-0000-0000";
    let long = "word ".repeat(30);
    // Wrapped once, continuations hung, the URL as indented as it still fits, a table that fits,
    // a spinner's row redrawn by a carriage return and an erase (only the last drawing stays).
    let good = screen(&[
        "  • maintenance (recommended): PR into release/1.0 (made from v1.0.0 if it does",
        "    not exist), tag that merge.",
        "  • Advisory:",
        &format!(" {url}"),
        "⠋ waiting for the checks (1 s), a row long enough to be seen if it stayed\r\x1b[2K✓ All checks passed",
        "  release/1.0  has the fix: the PR was squash-merged into it",
        "  main         forward-port PR https://github.com/example/frame-parser/pull/0",
    ]);
    assert_eq!(good.problems(), Vec::<String>::new(), "{}", good.text());
    assert_eq!(good.rows()[4], "✓ All checks passed");
    for (defect, rows) in [
        ("longer than the terminal", vec![long.as_str()]),
        ("prose reaching the last column", vec![&"a ".repeat(40)[..]]),
        // Wrapped twice: `with an` alone mid-sentence.
        (
            "a short row in the middle of a sentence",
            vec![
                "You may commit a trial fix there; typing done without a new commit continues ab",
                "with an",
                "empty placeholder commit labelled \"placeholder\".",
            ],
        ),
        // The URL after its label at column 0, where 1 column of indent fits.
        (
            "a continuation indented 0 instead of 1",
            vec!["  • Advisory:", url],
        ),
        // A continuation not hung under its command.
        (
            "a continuation indented 0 instead of 2",
            vec![
                "[dry-run] would run: $ gh pr view 0 --json state,headRefOid --repo example/fra",
                "example/frame-parser",
            ],
        ),
        // A table whose row does not fit.
        (
            "a table row that does not fit",
            vec![
                "Line  Base    Hotfix  Merged into  PR https://github.com/example/frame-parser",
                "https://github.com/example/frame-parser/pull/0",
            ],
        ),
    ] {
        let shown = screen(&rows);
        let problems = shown.problems();
        assert!(
            problems.iter().any(|p| p.contains(defect)),
            "{defect:?} not found in {problems:#?}\n{}",
            shown.text()
        );
    }
}

/// A run can be logged: `caro-hotfix … 2>&1 | tee hotfix.log` still asks its questions on the
/// terminal, and the log gets the whole transcript.
#[test]
fn a_run_piped_to_tee_still_asks_on_the_terminal_and_logs_everything() {
    let fx = Fixture::new();
    let bin = env!("CARGO_BIN_EXE_caro-hotfix");
    let log = fx.dir.path().join("hotfix.log");
    let seen = demo_typed_through(&fx, &format!("'{bin}' demo 2>&1 | tee '{}'", log.display()));
    let logged = read(&log);
    for needle in [
        "[1/16] Confirm the emergency",
        "Committed the sample fix",
        "REHEARSAL of SECURITY HOTFIX v1.0.1",
    ] {
        assert!(
            logged.contains(needle),
            "{needle:?} not in the log:\n{logged}"
        );
    }
    assert!(
        !logged.contains("needs an interactive terminal"),
        "{logged}"
    );
    assert!(seen.contains("nothing was published"), "{seen}");
}

/// An impact left empty at step 4 is asked for at step 9, on the terminal, before anything is pushed.
#[test]
fn an_empty_impact_is_asked_for_on_the_terminal_before_the_push() {
    let fx = Fixture::new();
    fx.refuse_pushes();
    let mut args = ANSWERED.to_vec();
    let at = args
        .iter()
        .position(|a| *a == "--impact")
        .expect("--impact");
    args[at + 1] = "";
    let mut p = started_to_step_five(fx.binary(&args));
    fx.commit_fix();
    p.send_line("done").expect("done");
    p.exp_string("Continue without the audit? (y/n)")
        .expect("step 8");
    p.send_line("y").expect("y");
    p.exp_string("The impact is still empty")
        .expect("step 9 says so");
    p.exp_string("Impact (who is affected, and how)")
        .expect("and asks");
    p.send_line("").expect("Enter alone");
    p.exp_string("Impact (who is affected, and how)")
        .expect("asked again: an empty impact is no answer");
    p.send_line("Reads past the end of the buffer")
        .expect("the impact");
    p.exp_string("pushes are disabled")
        .expect("then the push, refused here");
    p.exp_eof().expect("eof");
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(
        record.contains("impact = \"Reads past the end of the buffer\""),
        "{record}"
    );
}

/// `caro-hotfix staus` in a terminal is a usage error that names the command meant — not the start
/// of a hotfix described as "staus" (no `yes` is asked, nothing is written).
#[test]
fn a_typo_of_a_command_in_a_terminal_is_not_a_hotfix() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let mut p = spawn(&fx, &["staus"]);
    p.exp_string("did you mean `caro-hotfix status`?")
        .expect("the command meant");
    let rest = p.exp_eof().expect("eof");
    assert!(!rest.contains("must type 'yes'"), "{rest}");
    assert_eq!(exit_code(&mut p), 2);
    assert!(fx.snapshot() == before);
}
