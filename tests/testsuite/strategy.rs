//! Ship only the fix: the maintenance strategy, the reference's main strategy, several release lines,
//! and a project's configuration — end to end with the gh stand-in and a bare origin.

use crate::support::index_server::IndexServer;
use crate::support::*;

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

/// Replaces the fixture's `[package.metadata.hotfix]` settings on main (committed and pushed).
fn configure(fx: &Fixture, settings: &str) {
    let manifest = read(&fx.work.join("Cargo.toml"));
    let at = manifest
        .find("[package.metadata.hotfix]")
        .expect("hotfix table");
    write(
        &fx.work.join("Cargo.toml"),
        // The test registry plays the publishing workflow (the fixture's own `publish` setting).
        &format!(
            "{}[package.metadata.hotfix]\npublish = \"workflow\"\n{settings}",
            &manifest[..at]
        ),
    );
    git(&fx.work, &["commit", "-q", "-am", "configure caro-hotfix"]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
}

fn run(fx: &Fixture, index: &IndexServer, extra: &[&str], answers: Vec<Answer>) -> Outcome {
    let url = index.url();
    let mut args = vec![
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
    ];
    args.extend_from_slice(extra);
    args.push(DESCRIPTION);
    fx.caro(&args).answers(answers).run()
}

fn fix_then_done(fx: &Fixture) -> Answer {
    fx.commit_fix_then("done")
}

fn index(fx: &Fixture) -> IndexServer {
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 1);
    index
}

#[test]
fn with_unreleased_work_on_main_the_maintenance_strategy_ships_only_the_fix() {
    let fx = Fixture::new();
    configure(&fx, "strategy = \"ask\"\n");
    let index = index(&fx);
    let out = run(
        &fx,
        &index,
        &[],
        vec![
            say("yes"),
            say("maintenance"),
            fix_then_done(&fx),
            say("y"),
            say("yes"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    // The commits of main beyond the base tag are counted and maintenance is recommended.
    assert!(
        out.transcript.contains("main has 2 commits not in v1.0.10"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("maintenance (recommended)"),
        "{}",
        out.explain()
    );

    // release/1.0 was made from the base tag; the PR went there; the tag is on that merge.
    let prs = fx.gh_prs();
    assert_eq!(prs[0]["base"], "release/1.0");
    let tagged = origin_git(&fx, &["rev-parse", "v1.0.11^{commit}"]);
    assert_eq!(tagged, origin_git(&fx, &["rev-parse", "release/1.0"]));
    assert_eq!(
        origin_git(&fx, &["rev-parse", "release/1.0^"]),
        origin_git(&fx, &["rev-parse", "v1.0.10^{commit}"])
    );
    // The release has the fix and not main's unreleased feature.
    let files = origin_git(&fx, &["ls-tree", "-r", "--name-only", "v1.0.11"]);
    assert!(!files.lines().any(|f| f == "NOTES.md"), "{files}");
    assert!(origin_git(&fx, &["show", "v1.0.11:src/lib.rs"]).contains("claimed.min"));
    assert!(origin_git(&fx, &["show", "v1.0.11:Cargo.toml"]).contains("version = \"1.0.11\""));

    // The forward-port PR into main carries the fix commit only — not the version bump.
    let forward = prs
        .as_array()
        .expect("prs")
        .iter()
        .find(|p| p["base"] == "main")
        .expect("a forward-port PR into main");
    assert_eq!(forward["head"], "forward-port/v1.0.11");
    let commits = origin_git(&fx, &["log", "--format=%s", "main..forward-port/v1.0.11"]);
    assert_eq!(commits, "hotfix: bound record_len by the input length");
    let changed = origin_git(&fx, &["diff", "--name-only", "main...forward-port/v1.0.11"]);
    assert_eq!(changed, "src/lib.rs");
    assert!(
        out.transcript.contains("Where the fix is:"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("forward-port PR"),
        "{}",
        out.explain()
    );
    // The strategy is recorded and shown by status.
    let record = read(&fx.work.join(".git/caro-hotfix/history/1.0.11.toml"));
    assert!(record.contains("strategy = \"maintenance\""), "{record}");
}

#[test]
fn when_main_equals_the_base_tag_the_reference_strategy_needs_no_question() {
    let fx = Fixture::new();
    // main back at the release (as if the feature was reverted), with the default configuration.
    configure(&fx, "");
    let w = &fx.work;
    let manifest = read(&w.join("Cargo.toml"));
    git(w, &["reset", "-q", "--hard", "v1.0.10"]);
    // No hotfix settings but who publishes (the test registry plays the workflow).
    write(&w.join("Cargo.toml"), &manifest);
    git(w, &["commit", "-q", "-am", "only the publish setting"]);
    git(w, &["tag", "-f", "-a", "v1.0.10", "-m", "v1.0.10"]);
    git(w, &["push", "-q", "-f", "origin", "main", "v1.0.10"]);
    let index = index(&fx);
    let out = run(
        &fx,
        &index,
        &[],
        vec![say("yes"), fix_then_done(&fx), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        !out.transcript
            .contains("How should the fix reach a release?"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("Strategy: main"),
        "{}",
        out.explain()
    );
    assert_eq!(fx.gh_prs()[0]["base"], "main");
    assert_eq!(
        origin_git(&fx, &["rev-parse", "v1.0.11^{commit}"]),
        origin_git(&fx, &["rev-parse", "main"])
    );
}

#[test]
fn two_release_branches_get_two_backport_prs_and_a_table() {
    let fx = Fixture::new();
    let w = &fx.work;
    git(
        w,
        &[
            "push",
            "-q",
            "origin",
            "v0.9.9^{commit}:refs/heads/release/0.9",
        ],
    );
    git(
        w,
        &[
            "push",
            "-q",
            "origin",
            "v1.0.0^{commit}:refs/heads/release/1.0.0-lts",
        ],
    );
    configure(
        &fx,
        "strategy = \"main\"\nrelease-branches = [\"release/0.9\", \"release/1.0.0-lts\"]\n",
    );
    let index = index(&fx);
    let out = run(
        &fx,
        &index,
        &[],
        vec![say("yes"), fix_then_done(&fx), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let prs = fx.gh_prs();
    let prs = prs.as_array().expect("prs");
    for (line, head) in [
        ("release/0.9", "backport/v1.0.11-release-0.9"),
        ("release/1.0.0-lts", "backport/v1.0.11-release-1.0.0-lts"),
    ] {
        let pr = prs
            .iter()
            .find(|p| p["base"] == line)
            .unwrap_or_else(|| panic!("no PR into {line}"));
        assert_eq!(pr["head"], head);
        // Only the fix travels: each line keeps its own version.
        let changed = origin_git(&fx, &["diff", "--name-only", &format!("{line}...{head}")]);
        assert_eq!(changed, "src/lib.rs", "{line}");
        assert!(out.transcript.contains(line), "{}", out.explain());
    }
    assert!(
        out.transcript.contains("Where the fix is:"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_projects_configuration_is_obeyed() {
    let fx = Fixture::empty();
    let w = &fx.work;
    // Tags with a prefix, custom labels and a single test command.
    let settings = "tag-prefix = \"minicrate-v\"\nlabels = [\"sec\"]\ntest-commands = [[\"cargo\", \"test\", \"--lib\"]]\nstrategy = \"main\"\n";
    let manifest = |v: &str| {
        let m = manifest(v);
        let at = m.find("[package.metadata.hotfix]").expect("table");
        format!(
            "{}[package.metadata.hotfix]\npublish = \"workflow\"\n{settings}",
            &m[..at]
        )
    };
    write(&w.join("Cargo.toml"), &manifest("1.2.3"));
    write(&w.join("Cargo.lock"), &lockfile("1.2.3"));
    git(w, &["commit", "-q", "-am", "release 1.2.3"]);
    git(w, &["tag", "-a", "minicrate-v1.2.3", "-m", "1.2.3"]);
    git(w, &["tag", "-a", "v9.9.9", "-m", "not ours: no prefix"]);
    git(w, &["push", "-q", "origin", "main", "--tags"]);
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.publish_after("1.2.4", 1);
    let out = run(
        &fx,
        &index,
        &[],
        vec![say("yes"), fix_then_done(&fx), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("Latest release: minicrate-v1.2.3"),
        "{}",
        out.explain()
    );
    assert!(origin_git(&fx, &["cat-file", "-t", "minicrate-v1.2.4"]) == "tag");
    assert_eq!(fx.gh_prs()[0]["labels"], serde_json::json!(["sec"]));
    assert!(
        out.transcript.contains("$ cargo test --lib"),
        "{}",
        out.explain()
    );
    assert!(
        !out.transcript.contains("$ cargo test --test"),
        "{}",
        out.explain()
    );
}

#[test]
fn an_unknown_configuration_key_is_refused_naming_key_file_and_shape() {
    let fx = Fixture::new();
    configure(&fx, "strategy = \"main\"\nlabel = [\"sec\"]\n");
    let before = fx.snapshot();
    let out = fx.caro(&[DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("Cargo.toml: package.metadata.hotfix.label: unknown setting `label`"),
        "{}",
        out.explain()
    );
    assert!(
        out.error().contains("known: remote, base-branch"),
        "{}",
        out.explain()
    );
    assert!(fx.snapshot() == before);

    configure(&fx, "test-commands = \"cargo test\"\n");
    let out = fx.caro(&[DESCRIPTION]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("test-commands must be a list of argument lists"),
        "{}",
        out.explain()
    );
}

#[test]
fn an_older_line_is_patched_only_through_maintenance() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.0");
    index.add_version("1.0.10");
    let out = run(
        &fx,
        &index,
        &["--base-tag", "v1.0.0", "--strategy", "main"],
        vec![say("yes")],
    );
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error()
            .contains("patching an older line needs the maintenance strategy"),
        "{}",
        out.explain()
    );

    index.publish_after("1.0.1", 1);
    let out = run(
        &fx,
        &index,
        &["--base-tag", "v1.0.0", "--strategy", "maintenance"],
        vec![say("yes"), fix_then_done(&fx), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("Base release: v1.0.0"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("This hotfix will be: v1.0.1"),
        "{}",
        out.explain()
    );
    assert_eq!(fx.gh_prs()[0]["base"], "release/1.0");
    assert!(
        out.transcript.contains("is not marked Latest"),
        "{}",
        out.explain()
    );
    let edits =
        std::fs::read_to_string(fx.gh_state().join("releases.json")).expect("releases.json");
    assert!(edits.contains("\"latest\": false"), "{edits}");
}
