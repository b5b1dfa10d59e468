//! Step 2: the base release and the hotfix version.
//!
//! The base is the highest release tag by semver over all tags (not `git describe`, which answers the
//! nearest tag, possibly a pre-release or an old one). The hotfix is its patch + 1. A hotfix tag or
//! branch that already exists on the remote means someone is already doing this: refuse.

use anyhow::{bail, Result};

use super::Ctx;
use crate::logic::registry;
use crate::logic::version::{latest_release, next_patch};
use crate::ops::index::{self, IndexFile};

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let remote = ctx.opts.remote.clone();
    ctx.git().fetch_tags(&remote)?;

    if let (Some(tag), Some(version), Some(_)) = (
        ctx.state.base_tag.clone(),
        ctx.state.version.clone(),
        ctx.state.base_branch.clone(),
    ) {
        ctx.ui.ok(format!(
            "Base release {tag}, hotfix version {version} (recorded earlier)"
        ));
        return Ok(());
    }

    let prefix = ctx.config.tag_prefix.clone();
    // A hotfix chained from a rollback starts from the yanked release, not from the highest one.
    let preset = match (ctx.state.base_tag.clone(), ctx.state.base_version.clone()) {
        (Some(tag), Some(version)) => semver::Version::parse(&version)
            .ok()
            .map(|version| crate::logic::version::Release { tag, version }),
        _ => None,
    };
    let tags = ctx.git().tags()?;
    let Some(base) = preset.or_else(|| latest_release(tags.iter().map(String::as_str), &prefix))
    else {
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

    let which = if ctx.state.base_tag.is_some() {
        "Base release"
    } else {
        "Latest release"
    };
    ctx.ui.info(format!("{which}: {}", base.tag));
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

    // Already published (by hand, or by another machine)? Then this version is taken.
    let crate_name = ctx.package()?.name;
    let url = ctx.index_url(&crate_name)?;
    match index::fetch(&mut ctx.runner, &url) {
        Ok(IndexFile::Found(file)) if registry::version_line(&file, &hotfix.to_string()).is_some() => bail!(
            "{crate_name} {hotfix} is already on the registry ({url}) although no tag {tag} exists: \
             someone published it without tagging. Tag the published commit as {tag} and push the tag, \
             then run caro-hotfix again (the hotfix becomes the next patch)."
        ),
        Ok(_) => {}
        Err(e) => ctx.ui.warn(format!(
            "could not check the registry for {crate_name} {hotfix} ({e:#}); going on"
        )),
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
    warn_if_ahead(ctx, &remote, &base.tag, &base_branch, &tag)?;

    ctx.state.base_tag = Some(base.tag);
    ctx.state.base_version = Some(base.version.to_string());
    ctx.state.version = Some(hotfix.to_string());
    ctx.state.tag = None;
    ctx.state.branch = Some(branch);
    ctx.state.base_branch = Some(base_branch);
    Ok(())
}

/// Tagging the squash merge on a branch that moved on since the base release ships those commits
/// too. Say so, with the way out.
fn warn_if_ahead(
    ctx: &mut Ctx,
    remote: &str,
    base_tag: &str,
    base_branch: &str,
    tag: &str,
) -> Result<()> {
    let tracking = format!("{remote}/{base_branch}");
    if ctx.git().resolve_commit(&tracking)?.is_none() {
        return Ok(());
    }
    let ahead = ctx.git().commits(&format!("{base_tag}..{tracking}"))?.len();
    if ahead > 0 {
        ctx.ui.warn(format!(
            "{base_branch} has {ahead} commit{} since {base_tag} that {} not released. The fix is squash-merged \
             into {base_branch} and {tag} is put on that merge, so {} ship in {tag} too.\n   \
             To ship only the fix, stop here (Ctrl-C) and target a maintenance branch made from {base_tag}: \
             `git push {remote} {base_tag}^{{commit}}:refs/heads/release/{base_tag}` then `--base release/{base_tag}`.",
            if ahead == 1 { "" } else { "s" },
            if ahead == 1 { "is" } else { "are" },
            if ahead == 1 { "it would" } else { "they would" },
        ));
    }
    Ok(())
}
