//! `--dry-run`: the local steps run for real in a throwaway clone; the repository and the remote are
//! byte-for-byte as before.

mod support;

use support::*;

const DESCRIPTION: &str = "RUSTSEC-2026-0042 out-of-bounds read in record_len";

#[test]
fn a_rehearsal_leaves_repository_and_remote_untouched() {
    let fx = Fixture::new();
    // Some local state a rehearsal must not disturb: a stash, a local branch, a local tag.
    write(&fx.work.join("src/lib.rs"), "// stashed work\n");
    git(&fx.work, &["stash", "-q"]);
    git(&fx.work, &["branch", "feature/x"]);
    git(&fx.work, &["tag", "local-only"]);
    let before = fx.snapshot();

    let out = fx.run(
        &[
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
        ],
        vec![say("yes"), say("done"), say("y")],
    );
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
        "[dry-run] would run: $ gh pr create --title '🚨 SECURITY HOTFIX: v1.0.11' --body-file",
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
    assert!(
        out.transcript.contains("SECURITY HOTFIX v1.0.11 PUBLISHED"),
        "{}",
        out.explain()
    );
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
    let fx = Fixture::new();
    let before = fx.snapshot();
    let out = fx.run_with_defaults(&["--dry-run", "--non-interactive", DESCRIPTION]);
    assert!(
        out.transcript.contains("(non-interactive)"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("[8/16]"), "{}", out.explain());
    assert!(fx.snapshot() == before);
}

#[test]
fn non_interactive_without_dry_run_is_refused() {
    let fx = Fixture::new();
    let out = fx.run(&["--non-interactive", DESCRIPTION], vec![]);
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
