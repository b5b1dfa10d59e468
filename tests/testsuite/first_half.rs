//! Steps 1–8 on a real repository with a bare origin and a real fixture crate, driven in-process
//! with scripted answers.

use crate::support::*;

fn flags() -> Vec<&'static str> {
    let mut flags = STEP4_FLAGS.to_vec();
    flags.push(DESCRIPTION);
    flags
}

/// The origin refuses every push (as branch protection would), so these tests of steps 1–8 stop
/// at step 9 with nothing sent.
fn refusing_pushes(fx: Fixture) -> Fixture {
    fx.refuse_pushes();
    fx
}

fn stopped_at_push(out: &Outcome) -> bool {
    out.code == 1
        && out.error().contains("failed to push the hotfix branch")
        && out.error().contains("pushes are disabled")
}

/// yes at step 1, the fix committed while the wizard waits for done, the audit skipped (absent).
fn happy_answers(fx: &Fixture) -> Vec<Answer> {
    vec![
        say("yes"),
        fx.commit_fix_then("done"),
        say("y"), // continue without the audit (cargo-audit is not installed here)
    ]
}

#[test]
fn steps_one_to_eight_prepare_the_hotfix_branch() {
    real_gates();
    let fx = refusing_pushes(Fixture::new());
    let out = fx.caro(&flags()).answers(happy_answers(&fx)).run();
    // The run stops at step 9, which this version does not do yet; everything before it is done.
    assert!(
        out.transcript.contains("[8/16] Quick security audit"),
        "{}",
        out.explain()
    );
    assert!(stopped_at_push(&out), "{}", out.explain());
    let w = &fx.work;

    assert_eq!(git(w, &["branch", "--show-current"]), "hotfix/v1.0.11");
    // Two commits on top of the base tag: the fix, then the bump — and the bump has exactly its files.
    let subjects = git(w, &["log", "--format=%s", "v1.0.10..HEAD"]);
    assert_eq!(
        subjects,
        "chore: Bump version to 1.0.11 for security hotfix\nhotfix: bound record_len by the input length"
    );
    let files = git(w, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "CHANGELOG.md\nCargo.lock\nCargo.toml\nSECURITY.md");
    // The unreleased work on main is not on the hotfix branch.
    assert!(!w.join("NOTES.md").exists());

    // Cargo.toml: only the version value changed; the comment after it and everything else kept.
    assert_eq!(read(&w.join("Cargo.toml")), manifest("1.0.11"));
    assert!(read(&w.join("Cargo.lock")).contains("name = \"minicrate\"\nversion = \"1.0.11\""));

    let changelog = read(&w.join("CHANGELOG.md"));
    let heading = format!("## [1.0.11] - {TODAY} [SECURITY HOTFIX]");
    let at = changelog
        .find(&heading)
        .unwrap_or_else(|| panic!("no section:\n{changelog}"));
    assert!(at > changelog.find("## [Unreleased]").expect("unreleased"));
    assert!(at < changelog.find("## [1.0.10]").expect("1.0.10"));
    for needle in [
        "RUSTSEC-2026-0042",
        "Remote attackers can read past the buffer",
        "Critical",
        "Grace Reporter",
        "[Unreleased]: https://github.com/example/minicrate/compare/v1.0.11...HEAD",
        "[1.0.11]: https://github.com/example/minicrate/compare/v1.0.10...v1.0.11",
    ] {
        assert!(
            changelog.contains(needle),
            "missing {needle:?} in:\n{changelog}"
        );
    }
    let security = read(&w.join("SECURITY.md"));
    assert!(security.contains("minicrate 1.0.11"), "{security}");
    assert!(security.contains("RUSTSEC-2026-0042"), "{security}");

    // The audit was skipped and said so; the tests ran and were counted.
    assert!(
        out.transcript.contains("cargo-audit is not installed"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("audit skipped"));
    assert!(
        out.transcript.contains("2 unit tests passed"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("1 integration test passed"),
        "{}",
        out.explain()
    );

    // The result builds with --locked, and nothing was pushed.
    let build = std::process::Command::new("cargo")
        .args(["build", "--locked", "--offline", "--quiet"])
        .current_dir(w)
        .output()
        .expect("cargo build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(!git_ok(
        &fx.origin,
        &["rev-parse", "--verify", "refs/heads/hotfix/v1.0.11"]
    ));

    // The record lives in the git directory, not the work tree.
    let record = read(&w.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("version = \"1.0.11\""), "{record}");
    assert!(record.contains("base_tag = \"v1.0.10\""), "{record}");
}

#[test]
fn anything_but_yes_at_step_one_exits_3_and_changes_nothing() {
    for answer in ["y", "Yes", "no", ""] {
        let fx = Fixture::new();
        let before = fx.snapshot();
        let out = fx.caro(&[DESCRIPTION]).answers(vec![say(answer)]).run();
        assert_eq!(out.code, 3, "answer {answer:?}: {}", out.explain());
        assert!(
            out.error().contains("normal release workflow"),
            "{}",
            out.explain()
        );
        assert!(
            fx.snapshot() == before,
            "answer {answer:?} changed the repository"
        );
    }
}

#[test]
fn no_release_tags_is_a_clear_error() {
    let fx = Fixture::empty();
    git(&fx.work, &["tag", "v2.0.0-rc.1"]);
    git(&fx.work, &["tag", "nightly"]);
    fx.push_all();
    let out = fx.caro(&[DESCRIPTION]).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("No release tags found"),
        "{}",
        out.explain()
    );
    assert!(out
        .error()
        .contains("Cannot create hotfix without a base release"));
    assert_eq!(git(&fx.work, &["branch", "--show-current"]), "main");
}

#[test]
fn a_dirty_tree_is_refused_before_anything_happens() {
    let fx = Fixture::new();
    write(&fx.work.join("src/lib.rs"), "// half-done work\n");
    write(&fx.work.join("scratch.txt"), "notes\n");
    git(&fx.work, &["add", "scratch.txt"]);
    write(&fx.work.join("untracked.rs"), "\n");
    let before = fx.snapshot();
    let out = fx.caro(&[DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    // Every problem at once, each with what to do, named relative to the repository.
    assert!(
        out.transcript.contains("staged changes: scratch.txt"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("uncommitted changes: src/lib.rs"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("untracked files: untracked.rs"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("git stash"));
    assert!(fx.snapshot() == before);
}

#[test]
fn missing_gh_is_named_by_preflight() {
    let fx = Fixture::new();
    fx.remove_stand_in("gh");
    // A PATH with only git on it: gh (and the rest) are missing.
    let only_git = fx.dir.path().join("only-git");
    std::fs::create_dir_all(&only_git).expect("dir");
    let real_git = std::env::split_paths(&std::env::var_os("PATH").expect("PATH"))
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .expect("git on PATH");
    std::os::unix::fs::symlink(real_git, only_git.join("git")).expect("symlink");
    let out = fx
        .caro(&[DESCRIPTION])
        .path(only_git.into_os_string())
        .run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.transcript.contains("`gh` was not found on PATH"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("https://cli.github.com"));
    assert!(out.transcript.contains("`cargo` was not found on PATH"));
}

#[test]
fn gh_not_logged_in_is_named_by_preflight() {
    let fx = Fixture::new();
    fx.stand_in(
        "gh",
        "#!/bin/sh\necho 'You are not logged into any GitHub hosts.' >&2\nexit 1\n",
    );
    let out = fx.caro(&[DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.transcript.contains("gh auth login"),
        "{}",
        out.explain()
    );
}

#[test]
fn an_unknown_remote_is_named() {
    let fx = Fixture::new();
    let out = fx.caro(&["--remote", "upstream", DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.transcript
            .contains("unknown remote `upstream` (remotes here: origin)"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_failing_test_suite_stops_at_step_seven_with_its_output() {
    real_gates();
    let fx = Fixture::new();
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        do_then_say(
            move || {
                let broken = FIXED_LIB_RS.replace(
                    "assert_eq!(super::record_len(&[200, 1]), 1);",
                    "assert_eq!(super::record_len(&[200, 1]), 7);",
                );
                write(&work.join("src/lib.rs"), &broken);
                git(
                    &work,
                    &["commit", "-q", "-am", "hotfix: a fix with a wrong test"],
                );
            },
            "done",
        ),
    ];
    let out = fx.caro(&flags()).answers(answers).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("the tests failed"),
        "{}",
        out.explain()
    );
    assert!(out.error().contains("caro-hotfix resume"));
    // The failing test's own output is shown.
    assert!(
        out.transcript.contains("never_claims_more_than_there_is"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("left: 1"), "{}", out.explain());
    assert!(!out.transcript.contains("[8/16]"));
}

#[test]
fn audit_findings_are_listed_and_recorded_in_the_changelog() {
    let fx = refusing_pushes(Fixture::new());
    fx.fake_audit("vulnerable-and-unmaintained", 1);
    let mut answers = happy_answers(&fx);
    answers.pop();
    answers.push(say("y")); // Continue anyway? (y/n)
    let out = fx.caro(&flags()).answers(answers).run();
    assert!(
        out.transcript.contains("RUSTSEC-2099-0001"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("Continue anyway? (y/n)"));
    let changelog = read(&fx.work.join("CHANGELOG.md"));
    assert!(changelog.contains("RUSTSEC-2099-0001"), "{changelog}");
    assert!(changelog.contains("RUSTSEC-2099-0002"), "{changelog}");
    assert_eq!(
        git(&fx.work, &["log", "-1", "--format=%s"]),
        "docs: Record cargo audit findings for 1.0.11"
    );
}

#[test]
fn audit_findings_declined_exits_3() {
    let fx = Fixture::new();
    fx.fake_audit("vulnerable-and-unmaintained", 1);
    let mut answers = happy_answers(&fx);
    answers.pop();
    answers.push(say("n"));
    let out = fx.caro(&flags()).answers(answers).run();
    assert_eq!(out.code, 3, "{}", out.explain());
    assert!(out.error().contains("cargo update -p"), "{}", out.explain());
}

#[test]
fn a_clean_audit_just_passes() {
    let fx = refusing_pushes(Fixture::new());
    fx.fake_audit("clean", 0);
    let mut answers = happy_answers(&fx);
    answers.pop(); // no question at step 8
    let out = fx.caro(&flags()).answers(answers).run();
    assert!(
        out.transcript
            .contains("cargo audit: no known vulnerabilities"),
        "{}",
        out.explain()
    );
    assert!(stopped_at_push(&out), "{}", out.explain());
}

#[test]
fn an_offline_audit_says_why_it_was_skipped() {
    let fx = refusing_pushes(Fixture::new());
    fx.fake_audit("offline-fetch-failure", 1);
    let out = fx.caro(&flags()).answers(happy_answers(&fx)).run();
    assert!(
        out.transcript.contains("couldn't fetch advisory database"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("audit skipped"));
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("outcome = \"skipped\""), "{record}");
}

#[test]
fn hostile_text_stays_literal_everywhere() {
    let fx = refusing_pushes(Fixture::new());
    let hostile =
        "RUSTSEC-2026-0042 $(touch pwned) `touch pwned2` \"quoted\" 'single'\nsecond line";
    let impact = "$(touch pwned3) and `id`";
    let credit = "O'Brien \"Bobby\" $(touch pwned4)";
    let answers = happy_answers(&fx);
    let out = fx
        .caro(&[
            "--severity",
            "high",
            "--impact",
            impact,
            "--credit",
            credit,
            "--advisory",
            "RUSTSEC-2026-0042",
            hostile,
        ])
        .answers(answers)
        .run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    let w = &fx.work;
    let changelog = read(&w.join("CHANGELOG.md"));
    let security = read(&w.join("SECURITY.md"));
    let message = git(w, &["log", "-1", "--format=%B"]);
    for text in [&changelog, &security, &message] {
        assert!(text.contains("$(touch pwned)"), "{text}");
        assert!(text.contains("`touch pwned2`"), "{text}");
        assert!(text.contains("\"quoted\" 'single'"), "{text}");
    }
    assert!(changelog.contains(impact) && security.contains(impact));
    assert!(changelog.contains(credit) && security.contains(credit));
    assert!(message.contains("second line"), "{message}");
    // No file called pwned anywhere.
    for dir in [
        fx.dir.path(),
        w.as_path(),
        &std::env::current_dir().expect("cwd"),
    ] {
        for name in ["pwned", "pwned2", "pwned3", "pwned4"] {
            assert!(
                !dir.join(name).exists(),
                "{} appeared in {}",
                name,
                dir.display()
            );
        }
    }
}

#[test]
fn fix_from_cherry_picks_a_prepared_fix() {
    let fx = refusing_pushes(Fixture::new());
    let w = &fx.work;
    git(w, &["checkout", "-q", "-b", "prepared-fix", "v1.0.10"]);
    fx.commit_fix();
    let fix = git(w, &["rev-parse", "HEAD"]);
    git(w, &["checkout", "-q", "main"]);
    let mut args = flags();
    args.splice(0..0, ["--fix-from", "prepared-fix"]);
    let out = fx.caro(&args).answers(vec![say("yes"), say("y")]).run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    let body = git(w, &["log", "-1", "--format=%B", "HEAD~1"]);
    assert!(
        body.contains(&format!("(cherry picked from commit {fix})")),
        "{body}"
    );
    assert_eq!(read(&w.join("src/lib.rs")), FIXED_LIB_RS);
}

#[test]
fn done_without_a_commit_asks_again() {
    let fx = refusing_pushes(Fixture::new());
    let work = fx.work.clone();
    let answers = vec![
        say("yes"),
        say("done"),     // nothing committed yet: explained, asked again
        say("finished"), // not the word: asked again
        do_then_say(
            move || {
                write(&work.join("src/lib.rs"), FIXED_LIB_RS);
            },
            "done", // changed but not committed: explained, asked again
        ),
        do_then_say(
            {
                let work = fx.work.clone();
                move || git(&work, &["commit", "-q", "-am", "hotfix: bound record_len"]).truncate(0)
            },
            "done",
        ),
        say("y"),
    ];
    let out = fx.caro(&flags()).answers(answers).run();
    assert!(stopped_at_push(&out), "{}", out.explain());
    assert!(
        out.transcript
            .contains("no commit on hotfix/v1.0.11 since v1.0.10"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("Type exactly `done`"));
    assert!(out.transcript.contains("These changes are not committed"));
}

#[test]
fn an_existing_local_branch_asks_before_continuing_on_it() {
    let fx = Fixture::new();
    let w = &fx.work;
    git(w, &["checkout", "-q", "-b", "hotfix/v1.0.11", "v1.0.10"]);
    fx.commit_fix();
    git(w, &["checkout", "-q", "main"]);
    let out = fx.caro(&flags()).answers(vec![say("yes"), say("n")]).run();
    assert_eq!(out.code, 3, "{}", out.explain());
    assert!(out
        .transcript
        .contains("Continue on existing branch? (y/n)"));
    assert_eq!(git(w, &["branch", "--show-current"]), "main");
}

#[test]
fn a_bad_advisory_id_is_a_usage_error() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let out = fx.caro(&["--advisory", "RUSTSEC-26-1", DESCRIPTION]).run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error().contains("RUSTSEC-YYYY-NNNN"),
        "{}",
        out.explain()
    );
    assert!(fx.snapshot() == before);
}

#[test]
fn the_base_is_the_highest_release_on_the_remote_not_the_nearest_tag() {
    let fx = Fixture::new();
    // Someone released v1.0.11 from another machine; this clone has not seen the tag yet.
    fx.commit_version("1.0.11", "release 1.0.11");
    git(&fx.work, &["tag", "v1.0.11"]);
    git(&fx.work, &["push", "-q", "origin", "v1.0.11"]);
    git(&fx.work, &["tag", "-d", "v1.0.11"]);
    git(&fx.work, &["reset", "-q", "--hard", "HEAD~1"]);
    let out = fx.caro(&flags()).answers(vec![say("yes")]).run();
    assert!(
        out.transcript.contains("Latest release: v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("This hotfix will be: v1.0.12"),
        "{}",
        out.explain()
    );
    assert_eq!(
        git(&fx.work, &["branch", "--show-current"]),
        "hotfix/v1.0.12"
    );
}

#[test]
fn the_hotfix_refuses_when_its_branch_already_exists_on_the_remote() {
    let fx = Fixture::new();
    git(
        &fx.work,
        &[
            "push",
            "-q",
            "origin",
            "v1.0.10^{commit}:refs/heads/hotfix/v1.0.11",
        ],
    );
    let out = fx.caro(&flags()).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("refs/heads/hotfix/v1.0.11 already exists on origin"),
        "{}",
        out.explain()
    );
}
