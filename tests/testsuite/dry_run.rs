//! `--dry-run`: the local steps run for real in a throwaway clone; the repository and the remote are
//! byte-for-byte as before.

use crate::support::*;

#[test]
fn a_rehearsal_leaves_repository_and_remote_untouched() {
    let fx = Fixture::new();
    // Some local state a rehearsal must not disturb: a stash, a local branch, a local tag.
    write(&fx.work.join("src/lib.rs"), "// stashed work\n");
    git(&fx.work, &["stash", "-q"]);
    git(&fx.work, &["branch", "feature/x"]);
    git(&fx.work, &["tag", "local-only"]);
    let before = fx.snapshot();

    let out = fx
        .caro(&[
            "--dry-run",
            "--severity",
            "high",
            "--impact",
            "reads",
            "--credit",
            "",
            "--advisory",
            "RUSTSEC-2026-0042",
            DESCRIPTION,
        ])
        .answers(vec![say("yes"), say("done"), say("y"), say("yes")])
        .run();
    assert!(
        out.transcript
            .contains("Rehearsal: this is a throwaway clone at"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("placeholder"), "{}", out.explain());
    // The real steps ran in the clone: a version bump, tests, the audit question.
    assert!(
        out.transcript.contains("Cargo.toml: version 1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("All tests passed"),
        "{}",
        out.explain()
    );
    // The remote half is printed exactly, not run: push, PR, merge, tag push, advisory.
    assert_eq!(out.code, 0, "{}", out.explain());
    for shown in [
        "[dry-run] would run: $ git push -u origin hotfix/v1.0.11",
        "[dry-run] would run: $ gh pr create --title '🚨 SECURITY HOTFIX: minicrate 1.0.11' --body-file",
        "[dry-run] would run: $ gh pr merge 0 --squash --delete-branch --match-head-commit",
        "[dry-run] would run: $ git push origin v1.0.11",
        "[dry-run] would run: $ gh api repos/{owner}/{repo}/security-advisories -X POST",
    ] {
        assert!(
            out.transcript.contains(shown),
            "missing {shown:?}:\n{}",
            out.explain()
        );
    }
    // Its last screen says it was a rehearsal, never that anything was published.
    assert!(
        out.transcript
            .contains("REHEARSAL of SECURITY HOTFIX v1.0.11 — nothing was published"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("PUBLISHED"), "{}", out.explain());
    assert!(
        out.transcript
            .contains("✓ (simulated) Tag v1.0.11 created and pushed"),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("is complete"), "{}", out.explain());
    // Nothing reached the gh stand-in that changes anything.
    for call in fx.gh_calls() {
        let joined = call.join(" ");
        assert!(
            [
                "auth status",
                "repo view",
                "label list",
                "api repos/{owner}/{repo}/security-advisories"
            ]
            .iter()
            .any(|ok| joined.starts_with(ok))
                && !joined.contains("-X"),
            "a rehearsal ran `gh {joined}`"
        );
    }
    let after = fx.snapshot();
    assert!(
        after == before,
        "the rehearsal changed something:\n{}",
        diff(&before, &after)
    );
    assert!(out.transcript.contains("unchanged"), "{}", out.explain());
}

#[test]
fn a_fire_drill_needs_no_answers() {
    real_gates();
    let fx = Fixture::new();
    let before = fx.snapshot();
    let tap = snapshot::JournalTap::start(&fx);
    let out = fx
        .caro(&["--dry-run", "--non-interactive", DESCRIPTION])
        .unscripted()
        .run();
    assert!(
        out.transcript.contains("(non-interactive)"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("[8/16]"), "{}", out.explain());
    assert!(fx.snapshot() == before);
    assert_eq!(out.code, 0, "{}", out.explain());

    // The plan, whole: every command the drill ran or would run (its journal, kept through a hard
    // link while the throwaway clone existed), and what it showed step by step.
    let journal = tap.text();
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("fire_drill_commands", snapshot::journal_commands(&journal));
        insta::assert_snapshot!("fire_drill_transcript", out.transcript);
    });
}

#[test]
fn non_interactive_without_dry_run_is_refused() {
    let fx = Fixture::new();
    let out = fx.caro(&["--non-interactive", DESCRIPTION]).run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(out.error().contains("--dry-run"), "{}", out.explain());
}

fn diff(a: &Snapshot, b: &Snapshot) -> String {
    let mut d = String::new();
    if a.work_refs != b.work_refs {
        d += &format!("refs:\n{}\n--\n{}\n", a.work_refs, b.work_refs);
    }
    if a.head != b.head {
        d += "HEAD\n";
    }
    if a.stash != b.stash {
        d += "stash\n";
    }
    if a.index != b.index {
        d += "index\n";
    }
    if a.config != b.config {
        d += "config\n";
    }
    if a.work_files != b.work_files {
        d += "work files\n";
    }
    if a.git_dir_entries != b.git_dir_entries {
        d += &format!(
            "git dir: {:?}\n--\n{:?}\n",
            a.git_dir_entries, b.git_dir_entries
        );
    }
    if a.origin != b.origin {
        d += "origin\n";
    }
    d
}

/// The maintainer's own `cargo` in the work tree (offline, the default target directory).
fn cargo(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("cargo")
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("cargo");
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The one file in `dir` whose name starts with `prefix`, and its modification time.
fn artifact(dir: &std::path::Path, prefix: &str) -> (String, std::time::SystemTime) {
    let found: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry"))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(prefix) && name.ends_with(".rlib")
        })
        .collect();
    assert_eq!(found.len(), 1, "{prefix}* in {}", dir.display());
    let modified = found[0]
        .metadata()
        .and_then(|m| m.modified())
        .expect("mtime");
    (
        found[0].file_name().to_string_lossy().into_owned(),
        modified,
    )
}

#[test]
fn a_rehearsal_after_a_normal_build_does_not_rebuild_dependencies() {
    real_gates();
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        return; // then every build shares that directory already, and nothing is seeded
    }
    let fx = Fixture::new();
    // A dependency from outside the repository, as a registry crate is: the same sources for the
    // maintainer's build and the rehearsal's.
    let helper = fx.dir.path().join("helper");
    write(
        &helper.join("Cargo.toml"),
        "[package]\nname = \"caro-test-helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"lib.rs\"\n",
    );
    write(
        &helper.join("lib.rs"),
        "pub fn one() -> usize {\n    1\n}\n",
    );
    // Released as 1.0.11, so the hotfix (1.0.12) branches from a tag that has the dependency.
    let manifest = manifest("1.0.11").replace(
        "[dependencies]\n",
        &format!(
            "[dependencies]\ncaro-test-helper = {{ path = \"{}\" }}\n",
            helper.display()
        ),
    );
    write(&fx.work.join("Cargo.toml"), &manifest);
    cargo(&fx.work, &["generate-lockfile", "--offline"]);
    git(
        &fx.work,
        &["commit", "-q", "-am", "release 1.0.11, with the helper"],
    );
    git(&fx.work, &["tag", "-a", "v1.0.11", "-m", "v1.0.11"]);
    git(&fx.work, &["push", "-q", "origin", "main", "v1.0.11"]);
    // The maintainer's normal build.
    cargo(&fx.work, &["test", "--no-run", "--quiet"]);
    let (helper_rlib, built) = artifact(&fx.work.join("target/debug/deps"), "libcaro_test_helper-");
    let started = std::time::SystemTime::now();

    let out = fx
        .caro(&["--dry-run", "--non-interactive", DESCRIPTION])
        .unscripted()
        .run();
    assert!(out.transcript.contains("[8/16]"), "{}", out.explain());
    assert!(
        out.transcript
            .contains("Rehearsal: the clone builds in target/caro-hotfix-rehearsal"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript
            .contains("from your own builds in target/debug"),
        "{}",
        out.explain()
    );
    let deps = fx.work.join("target/caro-hotfix-rehearsal/debug/deps");
    // The dependency was not compiled again: the rehearsal's tests used the maintainer's artifact.
    assert_eq!(
        artifact(&deps, "libcaro_test_helper-"),
        (helper_rlib, built)
    );
    // The crate itself was: its sources in the clone are the rehearsal's, trial fix and bump included.
    let (_, crate_built) = artifact(&deps, "libminicrate-");
    assert!(
        crate_built >= started,
        "the crate was not rebuilt in the rehearsal"
    );

    // Even when a rehearsal builds a reused dependency again (here: its fingerprint no longer
    // matches), the maintainer's own build is not written through the hard links.
    let theirs = helper_files(&fx.work.join("target/debug"));
    let fingerprints = fx
        .work
        .join("target/caro-hotfix-rehearsal/debug/.fingerprint");
    for entry in std::fs::read_dir(&fingerprints).expect("fingerprints") {
        let dir = entry.expect("entry").path();
        if dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("caro-test-helper-"))
        {
            write(&dir.join("lib-caro_test_helper"), "0000000000000000");
        }
    }
    let out = fx
        .caro(&["--dry-run", "--non-interactive", DESCRIPTION])
        .unscripted()
        .run();
    assert!(out.transcript.contains("[8/16]"), "{}", out.explain());
    assert_ne!(
        artifact(&deps, "libcaro_test_helper-").1,
        built,
        "the dependency was not built again, so this test proves nothing"
    );
    assert_eq!(helper_files(&fx.work.join("target/debug")), theirs);
}

/// Every file of the helper crate's build under `profile` (deps and fingerprints): name, inode,
/// bytes.
fn helper_files(profile: &std::path::Path) -> Vec<(String, u64, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    let mut files = Vec::new();
    for part in ["deps", ".fingerprint"] {
        let mut stack = vec![profile.join(part)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir") {
                let path = entry.expect("entry").path();
                let name = path.display().to_string();
                if path.is_dir() {
                    stack.push(path);
                } else if name.contains("caro_test_helper") || name.contains("caro-test-helper") {
                    let meta = std::fs::metadata(&path).expect("metadata");
                    files.push((name, meta.ino(), std::fs::read(&path).expect("read")));
                }
            }
        }
    }
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    files
}
