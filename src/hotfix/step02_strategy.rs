//! Part of step 2: how the fix reaches a release — straight into the base branch (`main`, the
//! reference's way) or through a maintenance branch made from the base tag (`maintenance`).
//!
//! Tagging the squash merge on a base branch that moved on since the base release ships every
//! unreleased commit in the "minimal" hotfix. So the commits the base branch has beyond the base tag
//! are counted and shown, and the choice is explained; `maintenance` is recommended when any of them
//! touches more than the changelog.

use anyhow::{bail, Result};

use crate::config::Strategy;
use crate::flow::Ctx;
use crate::ops::cargo::Package;
use crate::record::Hotfix;

/// What step 2 found out about the base branch.
pub struct Ahead {
    pub commits: usize,
    /// Commits touching anything but a CHANGELOG.md.
    pub beyond_changelog: usize,
    /// Commits touching the crate's own directory (`src/` for a crate at the top, `tokio/` in a
    /// workspace).
    pub in_crate: usize,
    /// That directory, as shown.
    pub crate_dir: String,
}

impl Ahead {
    /// `main has 1 commit not in v1.0.0, in src/.` — `14 commits …, 3 of them in src/, 2 of them
    /// editing only a CHANGELOG.md.`: one commit never reads as a list of many.
    pub fn sentence(&self, trunk: &str, base_tag: &str) -> String {
        let n = self.commits;
        let changelog_only = n - self.beyond_changelog.min(n);
        let mut parts = Vec::new();
        if self.beyond_changelog > 0 {
            parts.push(crate::ui::of_them(
                self.in_crate,
                n,
                &format!("in {}", self.crate_dir),
            ));
        }
        if changelog_only > 0 {
            parts.push(crate::ui::of_them(
                changelog_only,
                n,
                "editing only a CHANGELOG.md",
            ));
        }
        format!(
            "{trunk} has {} not in {base_tag}, {}.",
            crate::ui::count(n, "commit"),
            parts.join(", ")
        )
    }
}

/// The strategy chosen, with the branch the PR targets and the trunk (which gets the forward-port
/// with `maintenance`).
pub struct Route {
    pub strategy: Strategy,
    pub base_branch: String,
    pub trunk: String,
    /// The maintenance branch already exists on the remote.
    pub line_branch_exists: bool,
}

/// Decides the strategy.
pub fn choose(
    ctx: &mut Ctx<Hotfix>,
    package: &Package,
    base: &crate::logic::version::Release,
    trunk: &str,
    older_line: bool,
    requested: Strategy,
    forward: bool,
) -> Result<Route> {
    let base_tag = base.tag.as_str();
    let remote = ctx.settings.remote.clone();
    let ahead = ahead(ctx, package, &remote, base_tag, trunk)?;
    if ahead.commits > 0 {
        ctx.ui.warn(ahead.sentence(trunk, base_tag));
    }
    // The line's branch matters only where the fix may go through it.
    let straight = !older_line
        && (requested == Strategy::Main
            || (requested == Strategy::Ask && ahead.beyond_changelog == 0));
    let (maintenance_branch, line_branch_exists) = if straight {
        (String::new(), false)
    } else {
        // The tag scheme: the base tag without its version.
        let prefix = base
            .tag
            .strip_suffix(&base.version.to_string())
            .unwrap_or_default();
        super::step02_branch::find(ctx, &remote, &package.name, prefix, base, trunk)?
    };
    let strategy = match requested {
        Strategy::Main if older_line => bail!(
            "{base_tag} is not the newest release: patching an older line needs the maintenance strategy \
             (`--strategy maintenance`), so the fix is released from {maintenance_branch} and the newer \
             line is not disturbed"
        ),
        Strategy::Main | Strategy::Maintenance => requested,
        Strategy::Ask if older_line => {
            ctx.ui.info(format!(
                "{base_tag} is an older line: the hotfix goes through {maintenance_branch}."
            ));
            Strategy::Maintenance
        }
        Strategy::Ask if ahead.beyond_changelog == 0 => Strategy::Main,
        Strategy::Ask => {
            ctx.ui.line(format!(
                "\n  How should the fix reach a release?\n  \
                 • maintenance (recommended): PR into {maintenance_branch} (made from {base_tag} if it does not exist), \
                 tag that merge — the release contains only the fix — then forward-port the fix to {trunk}.\n  \
                 • main: PR into {trunk} and tag the squash merge, as the reference does — the release also \
                 ships the {} unreleased commit{} of {trunk}.",
                ahead.commits,
                if ahead.commits == 1 { "" } else { "s" }
            ));
            match ctx
                .prompter
                .select("Strategy", &["maintenance", "main"], 0)?
            {
                0 => Strategy::Maintenance,
                _ => Strategy::Main,
            }
        }
    };
    match strategy {
        Strategy::Maintenance => {
            if forward {
                ctx.ui.info(format!(
                    "Strategy: maintenance — the PR targets {maintenance_branch}; the fix is forward-ported to {trunk} at step 15"
                ));
            } else {
                ctx.ui.info(format!(
                    "Strategy: maintenance — the PR targets {maintenance_branch} (an older line of this incident)"
                ));
            }
            if !line_branch_exists {
                ctx.ui.info(format!(
                    "No branch on {remote} holds this line yet: {maintenance_branch} is made from {base_tag} at step 9"
                ));
            }
            Ok(Route {
                strategy: Strategy::Maintenance,
                base_branch: maintenance_branch,
                trunk: trunk.to_string(),
                line_branch_exists,
            })
        }
        _ => {
            ctx.ui
                .info(format!("Strategy: main — the PR targets {trunk}"));
            Ok(Route {
                strategy: Strategy::Main,
                base_branch: trunk.to_string(),
                trunk: trunk.to_string(),
                line_branch_exists: false,
            })
        }
    }
}

fn ahead(
    ctx: &mut Ctx<Hotfix>,
    package: &Package,
    remote: &str,
    base_tag: &str,
    trunk: &str,
) -> Result<Ahead> {
    let manifest = super::step02_scheme::relative_manifest(ctx, package);
    let dir = manifest
        .rsplit_once('/')
        .map(|(dir, _)| dir.to_string())
        .unwrap_or_default();
    // A crate at the top of the repository: its code is `src/`; a member: its directory.
    let crate_dir = if dir.is_empty() {
        "src/".to_string()
    } else {
        format!("{dir}/")
    };
    let tracking = format!("{remote}/{trunk}");
    if ctx.git().resolve_commit(&tracking)?.is_none() {
        return Ok(Ahead {
            commits: 0,
            beyond_changelog: 0,
            in_crate: 0,
            crate_dir,
        });
    }
    let range = format!("{base_tag}..{tracking}");
    let mut git = ctx.git();
    Ok(Ahead {
        commits: git.count(&range, &[])?,
        beyond_changelog: git.count(&range, &[".", ":(exclude,glob)**/CHANGELOG.md"])?,
        in_crate: git.count(&range, &[crate_dir.as_str()])?,
        crate_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::Ahead;

    fn says(commits: usize, beyond_changelog: usize, in_crate: usize) -> String {
        Ahead {
            commits,
            beyond_changelog,
            in_crate,
            crate_dir: "src/".into(),
        }
        .sentence("main", "v1.0.0")
    }

    #[test]
    fn the_unreleased_work_is_counted_in_one_sentence() {
        assert_eq!(says(1, 1, 1), "main has 1 commit not in v1.0.0, in src/.");
        assert_eq!(
            says(1, 1, 0),
            "main has 1 commit not in v1.0.0, none in src/."
        );
        assert_eq!(
            says(1, 0, 0),
            "main has 1 commit not in v1.0.0, editing only a CHANGELOG.md."
        );
        assert_eq!(
            says(2, 2, 1),
            "main has 2 commits not in v1.0.0, 1 of them in src/."
        );
        assert_eq!(
            says(3, 0, 0),
            "main has 3 commits not in v1.0.0, all editing only a CHANGELOG.md."
        );
        assert_eq!(
            says(14, 12, 3),
            "main has 14 commits not in v1.0.0, 3 of them in src/, 2 of them editing only a \
             CHANGELOG.md."
        );
    }
}
