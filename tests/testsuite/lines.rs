//! Every supported line in one incident (issue #18): `--line X.Y` (repeatable) and `lines = [...]`.
//! The fix is made on the newest line and carried to each older one with `git cherry-pick -x`; each
//! line gets its own branch, bump, tests, audit, PR, merge, tag and publish; one advisory, one
//! announcement, one summary.
//!
//! The fixtures: [`Fixture::new`] (lines 1.0 and 0.9) and [`Fixture::three_lines`] (1.0, 0.9, 0.8),
//! or [`Fixture::three_lines_conflicting_on_0_8`], whose 0.8 line has another `record_len`, so the
//! fix conflicts there.

use crate::support::*;

/// The fixture itself, with plain git: the fix made on the newest line cherry-picks cleanly onto
/// v0.9.9 and onto v0.8.3 of [`Fixture::three_lines`], and conflicts in src/lib.rs on v0.8.3 of
/// [`Fixture::three_lines_conflicting_on_0_8`] only.
#[test]
fn the_three_line_fixture_takes_the_fix_everywhere_but_where_it_must_conflict() {
    for (fx, conflicts_on_0_8) in [
        (Fixture::three_lines(), false),
        (Fixture::three_lines_conflicting_on_0_8(), true),
    ] {
        let w = &fx.work;
        let tags = git(w, &["tag", "--list"]);
        assert_eq!(
            tags.lines().collect::<Vec<_>>(),
            ["v0.8.3", "v0.9.9", "v1.0.0", "v1.0.10"]
        );
        for tag in ["v0.8.3", "v0.9.9", "v1.0.0", "v1.0.10"] {
            assert_eq!(
                git(w, &["cat-file", "-t", tag]),
                "tag",
                "{tag} is annotated"
            );
            let manifest = git(w, &["show", &format!("{tag}:Cargo.toml")]);
            assert!(
                manifest.contains(&format!("version = \"{}\"", &tag[1..])),
                "{tag}: {manifest}"
            );
        }
        // Pushed, with unreleased work on main.
        assert_eq!(
            git(w, &["rev-parse", "main"]),
            git(w, &["rev-parse", "origin/main"])
        );
        assert_eq!(git(w, &["rev-list", "--count", "v1.0.10..main"]), "1");
        let remote_tags = git(w, &["ls-remote", "--tags", "origin"]);
        assert_eq!(remote_tags.matches("^{}").count(), 4, "{remote_tags}");

        git(w, &["checkout", "-q", "-b", "hotfix/v1.0.11", "v1.0.10"]);
        commit_fix_in(w);
        let fix = git(w, &["rev-parse", "HEAD"]);

        git(w, &["checkout", "-q", "-b", "hotfix/v0.9.10", "v0.9.9"]);
        assert!(git_ok(w, &["cherry-pick", "-x", &fix]), "0.9 takes the fix");
        assert_eq!(read(&w.join("src/lib.rs")), FIXED_LIB_RS);
        let message = git(w, &["log", "-1", "--format=%B"]);
        assert!(
            message.contains(&format!("(cherry picked from commit {fix})")),
            "{message}"
        );

        git(w, &["checkout", "-q", "-b", "hotfix/v0.8.4", "v0.8.3"]);
        let picked = git_ok(w, &["cherry-pick", "-x", &fix]);
        assert_eq!(picked, !conflicts_on_0_8, "cherry-pick onto v0.8.3");
        if conflicts_on_0_8 {
            let status = git(w, &["status", "--porcelain"]);
            assert_eq!(status, "UU src/lib.rs", "{status}");
            git(w, &["cherry-pick", "--abort"]);
        } else {
            assert_eq!(read(&w.join("src/lib.rs")), FIXED_LIB_RS);
        }
    }
}
