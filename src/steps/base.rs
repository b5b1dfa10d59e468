//! Step 2: the base release and the hotfix version.
//!
//! The base is the highest release tag by semver over all tags (not `git describe`, which answers the
//! nearest tag, possibly a pre-release or an old one). The hotfix is its patch + 1. A hotfix tag or
//! branch that already exists on the remote means someone is already doing this: refuse.

use anyhow::{bail, Result};

use super::Ctx;
use crate::logic::version::{latest_release, next_patch};

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let remote = ctx.opts.remote.clone();
    ctx.git().fetch_tags(&remote)?;

    if let (Some(tag), Some(version)) = (ctx.state.base_tag.clone(), ctx.state.version.clone()) {
        ctx.ui.ok(format!(
            "Base release {tag}, hotfix version {version} (recorded earlier)"
        ));
        return Ok(());
    }

    let tags = ctx.git().tags()?;
    let prefix = ctx.config.tag_prefix.clone();
    let Some(base) = latest_release(tags.iter().map(String::as_str), &prefix) else {
        bail!(
            "No release tags found\n\
             Cannot create hotfix without a base release: a release tag looks like {prefix}1.2.3 \
             (pre-releases are not bases). Tag the release you shipped \
             (`git tag -a {prefix}X.Y.Z <commit>` and `git push {remote} {prefix}X.Y.Z`), \
             or set tag-prefix in [package.metadata.hotfix], then run caro-hotfix again."
        );
    };
    let hotfix = next_patch(&base.version);
    let tag = format!("{prefix}{hotfix}");
    let branch = format!("hotfix/{tag}");

    ctx.ui.info(format!("Latest release: {}", base.tag));
    ctx.ui.info(format!("Base version: {}", base.version));
    ctx.ui.info(format!(
        "This hotfix will be: {tag} (patch bump of {})",
        base.tag
    ));

    let wanted = [format!("refs/tags/{tag}"), format!("refs/heads/{branch}")];
    let present = ctx.git().remote_refs(&remote, &wanted)?;
    if !present.is_empty() {
        bail!(
            "{} already exists on {remote}: a hotfix {tag} has been started or released already.\n\
             If it is yours, continue it with `caro-hotfix resume` on the machine that started it; \
             otherwise coordinate with whoever pushed it before starting another.",
            present.join(" and ")
        );
    }

    let base_branch = match ctx
        .opts
        .start
        .base
        .clone()
        .or_else(|| ctx.config.base_branch.clone())
    {
        Some(b) => b,
        None => match ctx.git().remote_default_branch(&remote)? {
            Some(b) => b,
            None => bail!(
                "could not tell the default branch of {remote} (its HEAD is not set): pass --base BRANCH"
            ),
        },
    };
    ctx.ui.info(format!("The PR will target: {base_branch}"));

    ctx.state.base_tag = Some(base.tag);
    ctx.state.base_version = Some(base.version.to_string());
    ctx.state.version = Some(hotfix.to_string());
    ctx.state.tag = None;
    ctx.state.branch = Some(branch);
    ctx.state.base_branch = Some(base_branch);
    Ok(())
}
