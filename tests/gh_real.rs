//! Steps 9–16 with the REAL gh (Debian's gh 2.23, /usr/bin/gh) against the GitHub emulator
//! (`tests/support/github_emulator.py`): the fixture's remotes have GitHub-style URLs mapped to bare
//! repositories, and what GitHub holds afterwards is read from the emulator's state.
//!
//! Without /usr/bin/gh these tests fail (they never pass silently): `.ci/run` installs it.

// Tests start real programs and read the environment to build their fixtures.
#![allow(clippy::disallowed_methods)]

#[path = "support/emulator.rs"]
mod emulator;
mod support;

use std::path::PathBuf;

use emulator::Emulator;
use serde_json::json;
use support::index_server::IndexServer;
use support::*;

const CANONICAL: &str = "example/minicrate";
const FORK: &str = "maintainer/minicrate";

fn args<'a>(index: &'a str, poll: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--poll-interval",
        poll,
        "--registry-index",
        index,
        "--severity",
        "critical",
        "--impact",
        "Remote attackers can read past the buffer",
        "--advisory",
        "RUSTSEC-2026-0042",
        "--credit",
        "@grace",
    ];
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// yes, the fix committed while the wizard waits for done, the audit skipped, then `more`.
fn answers(fx: &Fixture, more: Vec<Answer>) -> Vec<Answer> {
    let mut a = vec![say("yes"), fx.commit_fix_then("done"), say("y")];
    a.extend(more);
    a
}

/// A fixture whose `origin` is the canonical repository on the emulator.
fn world() -> (Fixture, Emulator, IndexServer) {
    let fx = Fixture::new();
    let origin = fx.origin.clone();
    let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
    let index = IndexServer::start(CRATE);
    index.add_version("1.0.10");
    (fx, emu, index)
}

fn run(fx: &Fixture, emu: &Emulator, args: &[&str], answers: Vec<Answer>) -> Outcome {
    let env = emu.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fx.run_with_env(args, answers, &env)
}

fn origin_git(fx: &Fixture, args: &[&str]) -> String {
    let mut full = vec!["--git-dir", fx.origin.to_str().expect("utf-8 path")];
    full.extend_from_slice(args);
    git(fx.dir.path(), &full)
}

fn merged(emu: &Emulator) -> Vec<serde_json::Value> {
    emu.pulls(CANONICAL)
        .into_iter()
        .filter(|p| p["state"] == "MERGED")
        .collect()
}

/// Defect 3: `origin` is the maintainer's fork, the project is `canonical`: the PR is opened on
/// the canonical repository, derived from the remote's configured URL (gh alone acts on the fork,
/// or on nothing: with `insteadOf` it cannot match any remote).
#[test]
fn the_pr_is_opened_on_the_chosen_remote_not_on_the_fork() {
    let fx = Fixture::new();
    let fork: PathBuf = fx.dir.path().join("fork.git");
    git(
        fx.dir.path(),
        &["clone", "-q", "--bare", "origin.git", "fork.git"],
    );
    let origin = fx.origin.clone();
    let emu = Emulator::start(
        &fx,
        &[(CANONICAL, &origin), (FORK, &fork)],
        &[("origin", FORK), ("canonical", CANONICAL)],
    );
    let index = IndexServer::start(CRATE);
    index.add_version("1.0.10");
    let url = index.url();
    // Stops at the review question (the script has no answer for it).
    let out = run(
        &fx,
        &emu,
        &args(&url, "0.05", &["--remote", "canonical"]),
        answers(&fx, vec![]),
    );
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.explain().contains("Merge PR #1 without review?"),
        "{}",
        out.explain()
    );
    let prs = emu.pulls(CANONICAL);
    assert_eq!(prs.len(), 1, "{}", out.explain());
    assert_eq!(prs[0]["head"], "hotfix/v1.0.11", "{:#}", prs[0]);
    assert!(emu.pulls(FORK).is_empty());
    assert!(
        out.transcript.contains(
            "GitHub repository: example/minicrate (http://github.localhost/example/minicrate)"
        ),
        "{}",
        out.explain()
    );
    // Every gh request named the canonical repository.
    for r in emu.requests() {
        let path = r["path"].as_str().unwrap_or_default();
        assert!(!path.contains("maintainer/"), "{r:#}");
    }
}
