//! The record in `.git/caro-hotfix/`: status, a refused second start, abort, resume, a damaged record.

use crate::support::*;

fn flags() -> Vec<&'static str> {
    vec![
        "--severity",
        "high",
        "--impact",
        "reads",
        "--credit",
        "Grace",
        "--advisory",
        "RUSTSEC-2026-0042",
        DESCRIPTION,
    ]
}

/// The origin refuses pushes, so a run stops at step 9 with steps 1–8 done.
fn stopped_at_step_nine() -> Fixture {
    let fx = Fixture::new();
    fx.refuse_pushes();
    let out = fx
        .caro(&flags())
        .answers(vec![say("yes"), fx.commit_fix_then("done"), say("y")])
        .run();
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    fx
}

#[test]
fn status_without_a_hotfix_says_so() {
    let fx = Fixture::new();
    let out = fx.caro(&["status"]).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(out.transcript.contains("No hotfix in progress"));
    let out = fx.caro(&["status", "--json"]).run();
    let v: serde_json::Value = serde_json::from_str(out.transcript.trim()).expect("json");
    assert_eq!(v["in_progress"], false);
}

#[test]
fn status_shows_every_step_of_a_hotfix_in_progress() {
    let fx = stopped_at_step_nine();
    let out = fx.caro(&["status"]).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    assert!(t.contains("Hotfix v1.0.11: RUSTSEC-2026-0042"), "{t}");
    // Read at step 9 (the stand-in's `gh repo view`: the remote is a path) and recorded.
    assert!(
        t.contains("repository: example/minicrate (https://github.com/example/minicrate)\n"),
        "{t}"
    );
    assert!(t.contains("branch: hotfix/v1.0.11 → main"), "{t}");
    assert!(
        t.contains("strategy: main (PR into the trunk, tag the squash merge)"),
        "{t}"
    );
    assert!(t.contains("✓  8. Quick security audit"), "{t}");
    assert!(t.contains("audit skipped"), "{t}");
    // Stopped (no run is working on it): the step in progress shows as interrupted.
    assert!(t.contains("!  9. Push and open the PR"), "{t}");
    assert!(t.contains("interrupted"), "{t}");
    assert!(t.contains("· 16. Summary"), "{t}");

    let out = fx.caro(&["status", "--json"]).run();
    let v: serde_json::Value = serde_json::from_str(out.transcript.trim()).expect("json");
    assert_eq!(v["in_progress"], true);
    assert_eq!(v["current_step"], 9);
    assert_eq!(v["version"], "1.0.11");
    assert_eq!(v["base_tag"], "v1.0.10");
    assert_eq!(v["steps"][4]["status"], "done");
    assert_eq!(v["steps"][8]["status"], "in-progress");
    assert_eq!(v["repository"], "example/minicrate");
    assert_eq!(v["repository_url"], "https://github.com/example/minicrate");
    assert_eq!(v["repository_recorded"], true);
    assert!(v.get("journal").is_none());
}

/// Before step 4 (which drafts the advisory) the record names no repository yet: status shows the one
/// the recorded remote's configured URL names (before `insteadOf`), and says where it comes from.
#[test]
fn status_names_the_repository_of_the_remote_before_step_4() {
    let fx = Fixture::new();
    let url = "https://github.com/acme/widget.git";
    let origin = fx.origin.canonicalize().expect("origin");
    git(
        &fx.work,
        &[
            "config",
            &format!("url.{}.insteadOf", origin.display()),
            url,
        ],
    );
    git(&fx.work, &["remote", "set-url", "origin", url]);
    // No answers for step 4's questions: the run stops there, before the advisory is drafted.
    let out = fx.caro(&[DESCRIPTION]).answers(vec![say("yes")]).run();
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(out.transcript.contains("[4/16]"), "{}", out.explain());
    let out = fx.caro(&["status"]).run();
    assert!(
        out.transcript.contains(
            "repository: acme/widget (https://github.com/acme/widget), from the remote `origin`"
        ),
        "{}",
        out.explain()
    );
    let out = fx.caro(&["status", "--json"]).run();
    let v: serde_json::Value = serde_json::from_str(out.transcript.trim()).expect("json");
    assert_eq!(v["repository"], "acme/widget");
    assert_eq!(v["repository_url"], "https://github.com/acme/widget");
    assert_eq!(v["repository_recorded"], false);
}

#[test]
fn a_second_start_is_refused_and_points_at_resume_status_abort() {
    let fx = stopped_at_step_nine();
    let before = fx.snapshot();
    let out = fx.caro(&[DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    for word in [
        "already in progress",
        "v1.0.11",
        "step 9",
        "caro-hotfix resume",
        "caro-hotfix status",
        "caro-hotfix abort",
    ] {
        assert!(out.error().contains(word), "{word}: {}", out.explain());
    }
    assert!(fx.snapshot() == before);
}

#[test]
fn abort_forgets_the_record_and_deletes_nothing() {
    let fx = stopped_at_step_nine();
    let branch_tip = git(&fx.work, &["rev-parse", "hotfix/v1.0.11"]);
    let out = fx.caro(&["abort"]).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("local branch hotfix/v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("git branch -D hotfix/v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(!fx.work.join(".git/caro-hotfix/state.toml").exists());
    assert_eq!(git(&fx.work, &["rev-parse", "hotfix/v1.0.11"]), branch_tip);
    let history: Vec<_> = std::fs::read_dir(fx.work.join(".git/caro-hotfix/history"))
        .expect("history")
        .collect();
    assert_eq!(history.len(), 1);
    // A new hotfix can start now (it finds the branch and asks).
    let out = fx.caro(&["status"]).run();
    assert!(out.transcript.contains("No hotfix in progress"));
}

#[test]
fn abort_needs_the_typed_yes() {
    let fx = stopped_at_step_nine();
    let out = fx.caro(&["abort"]).answers(vec![say("y")]).run();
    assert_eq!(out.code, 3, "{}", out.explain());
    assert!(fx.work.join(".git/caro-hotfix/state.toml").exists());
}

#[test]
fn a_damaged_record_is_a_clear_error_naming_the_file() {
    let fx = Fixture::new();
    write(
        &fx.work.join(".git/caro-hotfix/state.toml"),
        "version = [unclosed\n",
    );
    for args in [vec!["status"], vec!["resume"], vec![DESCRIPTION]] {
        let out = fx.caro(&args).run();
        assert_eq!(out.code, 1, "{args:?}: {}", out.explain());
        assert!(
            out.error().contains("caro-hotfix/state.toml"),
            "{args:?}: {}",
            out.explain()
        );
        assert!(
            out.error().contains("damaged"),
            "{args:?}: {}",
            out.explain()
        );
    }
}

#[test]
fn resume_after_failing_tests_continues_without_doing_anything_twice() {
    real_gates();
    let fx = Fixture::new();
    fx.refuse_pushes();
    let work = fx.work.clone();
    let out = fx
        .caro(&flags())
        .answers(vec![
            say("yes"),
            do_then_say(
                move || {
                    let broken = FIXED_LIB_RS
                        .replace("record_len(&[200, 1]), 1)", "record_len(&[200, 1]), 9)");
                    write(&work.join("src/lib.rs"), &broken);
                    git(&work, &["commit", "-q", "-am", "hotfix: bound record_len"]);
                },
                "done",
            ),
        ])
        .run();
    assert!(
        out.error().contains("the tests failed"),
        "{}",
        out.explain()
    );
    // The maintainer fixes the test and resumes.
    write(&fx.work.join("src/lib.rs"), FIXED_LIB_RS);
    git(
        &fx.work,
        &["commit", "-q", "-am", "hotfix: correct the new test"],
    );
    let out = fx.caro(&["resume"]).answers(vec![say("y")]).run();
    assert!(
        out.transcript
            .contains("Resuming the hotfix v1.0.11 at step 7"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[6/16]"), "{}", out.explain());
    assert!(
        out.transcript.contains("All tests passed"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    let bumps = git(
        &fx.work,
        &["log", "--format=%s", "--grep=Bump version", "v1.0.10..HEAD"],
    );
    assert_eq!(bumps.lines().count(), 1, "{bumps}");
}

#[test]
fn a_record_whose_branch_was_deleted_by_hand_is_refused_and_nothing_changes() {
    let fx = stopped_at_step_nine();
    git(&fx.work, &["checkout", "-q", "main"]);
    git(&fx.work, &["branch", "-q", "-D", "hotfix/v1.0.11"]);
    let before = fx.snapshot();
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("no longer matches the hotfix record"),
        "{}",
        out.explain()
    );
    assert!(
        out.error()
            .contains("the branch hotfix/v1.0.11 named in the record does not exist any more"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("caro-hotfix abort"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains(".git/caro-hotfix/state.toml"),
        "{}",
        out.explain()
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn a_rewritten_fix_or_version_is_named_on_resume() {
    let fx = stopped_at_step_nine();
    // The maintainer amends the bump commit and changes the version by hand.
    let manifest = read(&fx.work.join("Cargo.toml")).replace("1.0.11", "1.0.12");
    write(&fx.work.join("Cargo.toml"), &manifest);
    git(&fx.work, &["commit", "-q", "-a", "--amend", "--no-edit"]);
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("version-bump commit"),
        "{}",
        out.explain()
    );
    assert!(
        out.error()
            .contains("Cargo.toml on hotfix/v1.0.11 says version 1.0.12, the record says 1.0.11"),
        "{}",
        out.explain()
    );
}

#[test]
fn resume_switches_back_to_the_hotfix_branch() {
    let fx = stopped_at_step_nine();
    git(&fx.work, &["checkout", "-q", "main"]);
    let out = fx.caro(&["resume"]).run();
    // Pushes are still refused: the run gets back to step 9 on the right branch.
    assert!(
        out.transcript.contains("Switched back to hotfix/v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    assert_eq!(
        git(&fx.work, &["branch", "--show-current"]),
        "hotfix/v1.0.11"
    );
}

#[test]
fn resume_does_not_ask_again_what_was_answered_empty() {
    let fx = Fixture::new();
    // --credit "" says "no credit"; the impact is left to the prompt, which the first run never
    // answers (the test script runs dry there): it stops inside step 4.
    let out = fx
        .caro(&[
            "--severity",
            "high",
            "--credit",
            "",
            "--advisory",
            "RUSTSEC-2026-0042",
            DESCRIPTION,
        ])
        .answers(vec![say("yes")])
        .run();
    assert!(
        out.error().contains("no answer left for: Impact"),
        "{}",
        out.explain()
    );
    // The resumed step 4 asks the impact (answered empty this time) and nothing else, then waits
    // for the fix.
    let out = fx.caro(&["resume"]).answers(vec![say("")]).run();
    assert!(out.transcript.contains("? Impact"), "{}", out.explain());
    assert!(!out.transcript.contains("? Credit"), "{}", out.explain());
    assert!(
        out.error().contains("no answer left for: Type 'done'"),
        "{}",
        out.explain()
    );
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    let record: toml_edit::DocumentMut = record.parse().expect("the record is TOML");
    let answered: Vec<&str> = record["answered"]
        .as_array()
        .expect("answered")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(answered, ["advisories", "credit", "impact"]);
}

/// A hotfix stopped between steps 4 and 6 leaves step 4's SECURITY.md entry uncommitted: `abort`
/// names it and offers it back, so the next start is not refused for a dirty tree.
#[test]
fn abort_offers_back_the_uncommitted_security_md_entry() {
    for restore in [false, true] {
        let fx = Fixture::new();
        let security = fx.work.join("SECURITY.md");
        let before = std::fs::read_to_string(&security).ok();
        // The script ends at step 5's `done`: the run stops there, its record kept.
        let mut args = STEP4_FLAGS.to_vec();
        args.extend(["--registry-index", NO_REGISTRY, DESCRIPTION]);
        let out = fx.caro(&args).answers(vec![say("yes")]).run();
        assert_eq!(out.code, 1, "{}", out.explain());
        assert_ne!(
            std::fs::read_to_string(&security).ok(),
            before,
            "step 4 wrote its entry"
        );

        let answer = if restore { "y" } else { "n" };
        let out = fx
            .caro(&["abort"])
            .answers(vec![say("yes"), say(answer)])
            .run();
        assert_eq!(out.code, 0, "{}", out.explain());
        if restore {
            assert!(
                out.transcript.contains("Restored SECURITY.md"),
                "{}",
                out.explain()
            );
            assert_eq!(std::fs::read_to_string(&security).ok(), before);
            assert_eq!(git(&fx.work, &["status", "--porcelain"]), "");
        } else {
            assert!(
                out.transcript
                    .contains("uncommitted edit of SECURITY.md (step 4)"),
                "{}",
                out.explain()
            );
            assert_ne!(
                std::fs::read_to_string(&security).ok(),
                before,
                "nothing dropped unasked"
            );
        }
    }
}
