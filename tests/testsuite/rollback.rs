//! `caro-hotfix rollback` with a real `cargo yank` against a registry served on 127.0.0.1.

use crate::support::index_server::IndexServer;
use crate::support::screen::Typist;
use crate::support::*;

const TOKEN: &str = "local-registry-token-1234";

/// v1.0.11 is released (tag on the origin, line in the index); the registry `local` is named in a
/// `.cargo/config.toml` of the test's directory, its token in the environment.
fn released() -> (Fixture, IndexServer) {
    let fx = Fixture::new();
    // 1.0.11 released from v1.0.10 (its manifest says 1.0.11), main left where it was.
    git(
        &fx.work,
        &["checkout", "-q", "-b", "release-1.0.11", "v1.0.10"],
    );
    fx.commit_version("1.0.11", "release 1.0.11");
    git(&fx.work, &["tag", "-a", "v1.0.11", "-m", "v1.0.11"]);
    git(&fx.work, &["checkout", "-q", "main"]);
    git(&fx.work, &["branch", "-q", "-D", "release-1.0.11"]);
    git(&fx.work, &["push", "-q", "origin", "v1.0.11"]);
    let index = IndexServer::start(CRATE);
    index.add_version("1.0.10");
    index.add_version("1.0.11");
    index.require_token(TOKEN);
    write(
        &fx.dir.path().join(".cargo/config.toml"),
        &format!("[registries.local]\nindex = \"sparse+{}\"\n", index.url()),
    );
    (fx, index)
}

/// The registry's token in cargo's environment, and cargo online (the yank).
fn env(token: &str) -> [(&'static str, &str); 2] {
    [
        ("CARGO_REGISTRIES_LOCAL_TOKEN", token),
        ("CARGO_NET_OFFLINE", "false"),
    ]
}

fn run(fx: &Fixture, args: &[&str], answers: Vec<Answer>, token: &str) -> Outcome {
    env(token)
        .into_iter()
        .fold(fx.caro(args).answers(answers), |run, (k, v)| run.env(k, v))
        .run()
}

const ARGS: [&str; 6] = [
    "rollback",
    "--version",
    "v1.0.11",
    "--registry",
    "local",
    "--poll-interval",
];

fn args() -> Vec<&'static str> {
    let mut a = ARGS.to_vec();
    a.push("0.05");
    a
}

#[test]
fn a_rollback_yanks_deletes_the_release_keeps_the_tag_and_writes_the_advisory() {
    let (fx, index) = released();
    let tag_before = git(&fx.work, &["rev-parse", "v1.0.11"]);
    let out = run(
        &fx,
        &args(),
        vec![
            say("yes"),
            say("parse() now rejects valid empty frames"),
            say(""),
            say("n"),
        ],
        TOKEN,
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    // cargo yank really ran against the local registry and the index now says so.
    assert!(
        out.transcript
            .contains("$ cargo yank --version 1.0.11 minicrate --registry local"),
        "{}",
        out.explain()
    );
    let deletes: Vec<_> = index
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0].path, "/api/v1/crates/minicrate/1.0.11/yank");
    let file = std::process::Command::new("curl")
        .args(["-sS", &index.file_url()])
        .output()
        .expect("curl");
    let file = String::from_utf8_lossy(&file.stdout);
    assert!(
        file.lines()
            .any(|l| l.contains("\"vers\":\"1.0.11\"") && l.contains("\"yanked\":true")),
        "{file}"
    );
    assert!(
        file.lines()
            .any(|l| l.contains("\"vers\":\"1.0.10\"") && l.contains("\"yanked\":false")),
        "{file}"
    );
    // The GitHub release is deleted without --cleanup-tag; the tag stays on the origin.
    let calls = fx.gh_calls();
    assert!(
        calls
            .iter()
            .any(|c| c == &["release", "delete", "v1.0.11", "--yes"]),
        "{calls:?}"
    );
    assert!(!calls.iter().flatten().any(|a| a == "--cleanup-tag"));
    assert_eq!(
        git(&fx.origin, &["rev-parse", "refs/tags/v1.0.11"]),
        tag_before,
        "the tag must stay for the audit trail"
    );
    // The advisory: the regression; the previous version named as still vulnerable (pinned only
    // by choice); the next hotfix as the way out, with the timeline.
    let advisory = read(&fx.work.join(".git/caro-hotfix/rollback-advisory-1.0.11.md"));
    for needle in [
        "parse() now rejects valid empty frames",
        "**Do not simply downgrade**: 1.0.10, the release before it, still has the vulnerability",
        "cargo update -p minicrate --precise 1.0.10",
        "**The way out**: minicrate 1.0.12",
        "within 24 hours",
    ] {
        assert!(advisory.contains(needle), "{needle:?} missing:\n{advisory}");
    }
    assert!(!advisory.contains('$'), "{advisory}");
    snapshot::settings().bind(|| insta::assert_snapshot!("rollback_advisory", advisory));
    // The rollback is recorded and finished.
    assert!(fx
        .work
        .join(".git/caro-hotfix/history/rollback-1.0.11.toml")
        .exists());
    // The token never reached the screen.
    assert!(!out.transcript.contains(TOKEN));
}

#[test]
fn a_refused_yank_is_explained_saved_and_retried_by_resume() {
    let (fx, index) = released();
    let out = run(&fx, &args(), vec![say("yes")], "a-wrong-token");
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("cargo could not yank minicrate 1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("required permissions"),
        "cargo's own message: {}",
        out.explain()
    );
    assert!(
        out.error().contains("`cargo login --registry local`"),
        "{}",
        out.explain()
    );
    assert!(out.error().contains("caro-hotfix resume"));
    assert!(fx.work.join(".git/caro-hotfix/rollback.toml").exists());
    let out = fx.caro(&["status"]).run();
    assert!(
        out.transcript.contains("Rollback of v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("!  2. Yank the version"),
        "{}",
        out.explain()
    );

    let out = run(
        &fx,
        &["resume", "--registry", "local", "--poll-interval", "0.05"],
        vec![say("a regression"), say(""), say("n")],
        TOKEN,
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("Resuming the rollback of v1.0.11 at step 2"),
        "{}",
        out.explain()
    );
    let file = std::process::Command::new("curl")
        .args(["-sS", &index.file_url()])
        .output()
        .expect("curl");
    assert!(String::from_utf8_lossy(&file.stdout).contains("\"vers\":\"1.0.11\",\"deps\":[],"));
    assert!(
        index
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count()
            == 2
    );
}

#[test]
fn a_version_that_was_never_published_is_named() {
    let (fx, index) = released();
    git(
        &fx.work,
        &["tag", "-a", "v1.0.12", "-m", "v1.0.12", "v1.0.10^{commit}"],
    );
    let mut a = args();
    a[2] = "1.0.12";
    let out = run(&fx, &a, vec![say("yes")], TOKEN);
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("minicrate 1.0.12 was never published"),
        "{}",
        out.explain()
    );
    assert!(index.requests().iter().all(|r| r.method != "DELETE"));
}

#[test]
fn no_github_release_is_not_an_error() {
    let (fx, _index) = released();
    fx.set_gh_knobs(&serde_json::json!({"releases": []}));
    let out = run(
        &fx,
        &args(),
        vec![say("yes"), say("a regression"), say(""), say("n")],
        TOKEN,
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("There is no GitHub release for v1.0.11"),
        "{}",
        out.explain()
    );
}

#[test]
fn the_next_hotfix_starts_from_the_yanked_tag_at_patch_plus_one() {
    let (fx, _index) = released();
    // Pushes are refused from here on, so the chained hotfix stops at step 9 with steps 1–8 done.
    fx.refuse_pushes();
    let work = fx.work.clone();
    let out = run(
        &fx,
        &args(),
        vec![
            say("yes"),
            say("a regression"),
            say(""),
            say("y"),   // start the next hotfix
            say(""),    // its description: the suggestion
            say("yes"), // its step 1
            say("Critical"),
            say("reads"),
            say(""),
            say(""),
            do_then_say(
                move || {
                    write(&work.join("src/lib.rs"), FIXED_LIB_RS);
                    git(
                        &work,
                        &["commit", "-q", "-am", "hotfix: fix the regression too"],
                    );
                },
                "done",
            ),
            say("y"),
        ],
        TOKEN,
    );
    assert!(
        out.error().contains("pushes are disabled"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("Base release: v1.0.11"),
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
    assert!(git_ok(
        &fx.work,
        &["merge-base", "--is-ancestor", "v1.0.11", "HEAD"]
    ));
    let record = read(&fx.work.join(".git/caro-hotfix/state.toml"));
    assert!(record.contains("and the regression in 1.0.11"), "{record}");
}

#[test]
fn a_rehearsed_rollback_prints_the_exact_commands_and_changes_nothing() {
    let (fx, index) = released();
    let before = fx.snapshot();
    let out = run(
        &fx,
        &[
            "rollback",
            "--version",
            "1.0.11",
            "--registry",
            "local",
            "--dry-run",
        ],
        vec![say("yes"), say("a regression"), say(""), say("n")],
        TOKEN,
    );
    assert!(
        out.transcript.contains(
            "[dry-run] would run: $ cargo yank --version 1.0.11 minicrate --registry local"
        ),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript
            .contains("[dry-run] would run: $ gh release delete v1.0.11 --yes"),
        "{}",
        out.explain()
    );
    assert!(index.requests().iter().all(|r| r.method != "DELETE"));
    assert!(fx
        .gh_calls()
        .iter()
        .all(|c| c.first().map(String::as_str) != Some("release")));
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("ROLLBACK: minicrate 1.0.11 has been yanked"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript
            .contains("The rehearsal of the rollback is over; nothing in it happened for real"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("is complete"), "{}", out.explain());
    assert!(
        fx.snapshot() == before,
        "a rehearsed rollback changed the repository"
    );
}

#[test]
fn without_a_version_the_last_completed_hotfix_is_rolled_back_and_its_advisory_updated() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 1);
    index.require_token(TOKEN);
    write(
        &fx.dir.path().join(".cargo/config.toml"),
        &format!("[registries.local]\nindex = \"sparse+{}\"\n", index.url()),
    );
    let url = index.url();
    let out = fx
        .caro(&[
            "--poll-interval",
            "0.05",
            "--registry-index",
            &url,
            "--severity",
            "high",
            "--impact",
            "reads",
            "--credit",
            "Grace",
            "--advisory",
            "RUSTSEC-2026-0042",
            "RUSTSEC-2026-0042 out-of-bounds read",
        ])
        .answers(vec![
            say("yes"),
            fx.commit_fix_then("done"),
            say("y"),
            say("yes"),
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.explain());

    let out = run(
        &fx,
        &["rollback", "--registry", "local", "--poll-interval", "0.05"],
        vec![
            say("yes"),
            say("a regression"),
            say("by Friday"),
            say("y"),
            say("n"),
        ],
        TOKEN,
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript
            .contains("Rolling back minicrate 1.0.11 (the last hotfix caro-hotfix completed)"),
        "{}",
        out.explain()
    );
    // The last PATCH (step 13 updated and published the advisory before).
    let patch = fx
        .gh_calls()
        .into_iter()
        .rev()
        .find(|c| c.iter().any(|a| a == "PATCH"))
        .expect("the advisory was updated");
    assert!(
        patch[1].starts_with("repos/{owner}/{repo}/security-advisories/GHSA-"),
        "{patch:?}"
    );
    assert!(patch.iter().any(|a| a == "--input"));
    let advisory = read(&fx.work.join(".git/caro-hotfix/rollback-advisory-1.0.11.md"));
    assert!(
        advisory.contains("RUSTSEC-2026-0042 out-of-bounds read"),
        "{advisory}"
    );
    assert!(advisory.contains("by Friday"), "{advisory}");
    // What reached gh: the file after --input, the notice on top of the advisory's description,
    // whose details stay.
    let input = patch
        .iter()
        .skip_while(|a| *a != "--input")
        .nth(1)
        .expect("the file after --input");
    assert!(
        input.ends_with(".git/caro-hotfix/rollback-advisory-1.0.11.json"),
        "{input}"
    );
    let sent: serde_json::Value =
        serde_json::from_str(&read(std::path::Path::new(input))).expect("the PATCH body");
    let description = sent["description"].as_str().expect("a description");
    assert!(
        description.starts_with(advisory.trim_end()),
        "{description}"
    );
    assert!(description.contains("### Impact\n\nreads"), "{description}");
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("rollback_advisory_after_a_hotfix", advisory);
        insta::assert_snapshot!(
            "rollback_advisory_json",
            serde_json::to_string_pretty(&sent).expect("json")
        );
    });
}

/// In a terminal of 80 columns, typed like a person: the rehearsed rollback's advisory tells the
/// truth about the versions — the previous release is named as still vulnerable, the next hotfix as
/// the way out — and the run ends as a rehearsal, never "complete". Read as the terminal shows it,
/// every row holds to the layout rules of `Screen::problems` (the screen is kept in
/// `CARGO_TARGET_TMPDIR/rollback-80.txt`).
#[test]
fn in_a_terminal_the_rollback_text_names_the_previous_release_as_vulnerable() {
    let (fx, _index) = released();
    let mut cmd = fx.binary(&[
        "rollback",
        "--version",
        "1.0.11",
        "--registry",
        "local",
        "--dry-run",
    ]);
    for (k, v) in env(TOKEN) {
        cmd.env(k, v);
    }
    let mut t = Typist::start(&cmd, 60_000);
    t.answer("must type 'yes'", "yes");
    t.expect("What regression does 1.0.11 cause?");
    t.answer("Regression", "parse() rejects valid empty frames");
    t.answer("When will the fixed hotfix be out?", "");
    t.answer("Start the next hotfix now? (y/n)", "n");
    let (code, screen) = t.finish();
    screen.keep("rollback");
    let seen = screen.text();
    assert_eq!(code, 0, "{seen}");
    for needle in [
        "**Do not simply downgrade**: 1.0.10, the release before it, still has the vulnerability",
        "**The way out**: minicrate 1.0.12",
        "The way out for users is the next hotfix, v1.0.12 from v1.0.11",
        "The rehearsal of the rollback is over",
    ] {
        assert!(screen.says(needle), "{needle:?} missing:\n{seen}");
    }
    for wrong in ["downgrade to", "is complete", TOKEN] {
        assert!(!screen.says(wrong), "{wrong:?} shown:\n{seen}");
    }
    let problems = screen.problems();
    assert!(
        problems.is_empty(),
        "{} problems at 80 columns:\n{}\n--- the screen ---\n{seen}",
        problems.len(),
        problems.join("\n")
    );
}
