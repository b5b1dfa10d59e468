//! Step 2: the base release and the hotfix version.
//!
//! The base is the highest release tag by semver over all tags (not `git describe`, which answers the
//! nearest tag, possibly a pre-release or an old one). The hotfix is its patch + 1. A hotfix tag or
//! branch that already exists on the remote means someone is already doing this: refuse.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::version::{latest_release, next_patch};
use crate::logic::{manifest, registry};
use crate::ops::index::{self, IndexFile};
use crate::record::{Hotfix, Plan};

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let remote = ctx.settings.remote.clone();
    ctx.git().fetch_tags(&remote)?;

    if let Some(plan) = &ctx.rec.plan {
        ctx.ui.ok(format!(
            "Base release {}, hotfix version {} (recorded earlier)",
            plan.base_tag, plan.version
        ));
        return Ok(());
    }

    let prefix = ctx.settings.tag_prefix.clone();
    // `--base-tag` names an older line to patch, and a hotfix chained from a rollback starts from
    // the yanked release; otherwise the base is the highest release.
    let tags = ctx.git().tags()?;
    let preset = match ctx.rec.request.base_tag.clone() {
        Some(tag) => {
            let release = latest_release([tag.as_str()], &prefix);
            if release.is_none() || !tags.contains(&tag) {
                bail!(
                    "--base-tag {tag}: not a release tag of this repository (release tags look like {prefix}1.2.3 and must exist: `git tag --list '{prefix}*'`)"
                );
            }
            release
        }
        None => None,
    };
    let preset_given = preset.is_some();
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

    let which = if preset_given {
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
    let package = ctx.package()?;
    warn_if_manifest_differs(ctx, &package, &base.tag, &base.version, &hotfix)?;

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
    let crate_name = package.name;
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

    let base_branch = match ctx.settings.base_branch.clone() {
        Some(b) => b,
        None => match ctx.git().remote_default_branch(&remote)? {
            Some(b) => b,
            None => bail!(
                "could not tell the default branch of {remote} (its HEAD is not set): pass --base BRANCH"
            ),
        },
    };
    // An older line: a newer release than the base exists.
    let newest = latest_release(tags.iter().map(String::as_str), &prefix);
    let older_line = newest.is_some_and(|n| n.version > base.version);
    let route =
        super::step02_strategy::choose(ctx, &base.tag, &base.version, &base_branch, older_line)?;
    super::step02_publishing::check(ctx, &crate_name, &base.tag, &route.base_branch)?;

    ctx.rec.plan = Some(Plan {
        crate_name,
        base_tag: base.tag,
        base_version: base.version.to_string(),
        version: hotfix.to_string(),
        tag,
        branch,
        base_branch: route.base_branch,
        trunk: route.trunk,
        strategy: route.strategy,
    });
    Ok(())
}

/// A base tag whose Cargo.toml names another version (the tag was put on the wrong commit, or the
/// version was never bumped for that release) is worth knowing before the hotfix is built on it.
/// The hotfix is numbered from the tag either way; step 6 sets the manifest to it.
fn warn_if_manifest_differs(
    ctx: &mut Ctx<Hotfix>,
    package: &crate::ops::cargo::Package,
    base_tag: &str,
    base: &semver::Version,
    hotfix: &semver::Version,
) -> Result<()> {
    let repo = ctx.repo.canonicalize().unwrap_or_else(|_| ctx.repo.clone());
    let Ok(relative) = package.manifest_path.strip_prefix(&repo) else {
        return Ok(());
    };
    let relative = relative.to_string_lossy().replace('\\', "/");
    let Some(text) = ctx.git().show_file(base_tag, &relative)? else {
        return Ok(());
    };
    let at_tag = match manifest::package_info(&text).map(|i| i.version) {
        Ok(manifest::PackageVersion::Literal(v)) => Some(v),
        Ok(manifest::PackageVersion::Inherited) => ctx
            .git()
            .show_file(base_tag, "Cargo.toml")?
            .and_then(|root| manifest::workspace_version(&root).ok().flatten()),
        Err(_) => None,
    };
    if let Some(found) = at_tag {
        if found.cmp_precedence(base) != std::cmp::Ordering::Equal {
            ctx.ui.warn(format!(
                "{base_tag}'s {relative} says version {found}, not {base}: the tag and the manifest \
                 disagree. The hotfix is numbered from the tag ({hotfix}) and step 6 sets {relative} \
                 to {hotfix}. If {base_tag} is on the wrong commit, stop at the next question \
                 (Ctrl-C, then `caro-hotfix abort`) and fix the tag first."
            ));
        }
    }
    Ok(())
}
