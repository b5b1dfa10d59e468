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
use crate::record::Hotfix;

/// What step 2 found out about the base branch.
pub struct Ahead {
    pub commits: usize,
    /// Commits touching anything but CHANGELOG.md.
    pub beyond_changelog: usize,
    /// Commits touching `src/`.
    pub in_src: usize,
}

/// The strategy chosen, with the branch the PR targets and the trunk (which gets the forward-port
/// with `maintenance`).
pub struct Route {
    pub strategy: Strategy,
    pub base_branch: String,
    pub trunk: String,
}

/// Decides the strategy.
pub fn choose(
    ctx: &mut Ctx<Hotfix>,
    base_tag: &str,
    base_version: &semver::Version,
    trunk: &str,
    older_line: bool,
) -> Result<Route> {
    let remote = ctx.settings.remote.clone();
    let ahead = ahead(ctx, &remote, base_tag, trunk)?;
    if ahead.commits > 0 {
        ctx.ui.warn(format!(
            "{trunk} has {} commit{} not in {base_tag}, {} of them in src/ ({} touching more than CHANGELOG.md).",
            ahead.commits,
            if ahead.commits == 1 { "" } else { "s" },
            ahead.in_src,
            ahead.beyond_changelog
        ));
    }
    let requested = ctx.settings.strategy;
    let maintenance_branch = format!("release/{}.{}", base_version.major, base_version.minor);
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
            ctx.ui.info(format!(
                "Strategy: maintenance — the PR targets {maintenance_branch}; the fix is forward-ported to {trunk} at step 15"
            ));
            Ok(Route {
                strategy: Strategy::Maintenance,
                base_branch: maintenance_branch,
                trunk: trunk.to_string(),
            })
        }
        _ => {
            ctx.ui
                .info(format!("Strategy: main — the PR targets {trunk}"));
            Ok(Route {
                strategy: Strategy::Main,
                base_branch: trunk.to_string(),
                trunk: trunk.to_string(),
            })
        }
    }
}

fn ahead(ctx: &mut Ctx<Hotfix>, remote: &str, base_tag: &str, trunk: &str) -> Result<Ahead> {
    let tracking = format!("{remote}/{trunk}");
    if ctx.git().resolve_commit(&tracking)?.is_none() {
        return Ok(Ahead {
            commits: 0,
            beyond_changelog: 0,
            in_src: 0,
        });
    }
    let range = format!("{base_tag}..{tracking}");
    let mut git = ctx.git();
    Ok(Ahead {
        commits: git.count(&range, &[])?,
        beyond_changelog: git.count(&range, &[".", ":(exclude)CHANGELOG.md"])?,
        in_src: git.count(&range, &["src/"])?,
    })
}
