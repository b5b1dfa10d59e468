//! Step 2: the base release and the hotfix version.
//!
//! The base is the highest release tag by semver over all tags (not `git describe`, which answers the
//! nearest tag, possibly a pre-release or an old one). The hotfix is its patch + 1. A hotfix tag or
//! branch that already exists on the remote means someone is already doing this: refuse.

use anyhow::{bail, Result};

use crate::flow::Ctx;
use crate::logic::registry;
use crate::logic::tag_scheme;
use crate::logic::version::{latest_release, line_of, next_patch, Release};
use crate::ops::index::{self, IndexFile};
use crate::record::{Hotfix, Line, Plan};

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let remote = ctx.settings.remote.clone();
    ctx.git().fetch_tags(&remote)?;

    if ctx.rec.plan.is_some() {
        for plan in ctx.rec.plans() {
            ctx.ui.ok(format!(
                "Base release {}, hotfix version {} (recorded earlier)",
                plan.base_tag, plan.version
            ));
        }
        return Ok(());
    }

    // `--base-tag` names an older line to patch, and a hotfix chained from a rollback starts from
    // the yanked release; otherwise the base is the highest release of the crate's own tag scheme.
    let mut package = ctx.package()?;
    let tags = ctx.git().tags()?;
    let requested = ctx.rec.request.base_tag.clone();
    let (prefix, shipper) = super::step02_scheme::find(ctx, &package, &tags, requested.as_deref())?;
    // Never tagged on its own: the hotfix is the release of the crate that ships it, with it; the
    // request says so from now on, so that every later step (and a resume) works on that crate.
    let shipped = match shipper {
        Some(shipper) => {
            let asked = package;
            package = shipper.package;
            ctx.ui.info(format!(
                "{asked_name} has no release tags of its own; it ships in {name}'s releases ({name} \
                 pins {pin}): this hotfix releases {name} {next} with it",
                asked_name = asked.name,
                name = package.name,
                pin = shipper.pin,
                next = next_patch(&shipper.newest.version),
            ));
            ctx.settings.package = Some(package.name.clone());
            ctx.rec.request.package = Some(package.name.clone());
            Some((asked, shipper.pin))
        }
        None => None,
    };
    let preset = match requested.as_deref() {
        Some(tag) => match latest_release([tag], &prefix).filter(|_| tags.iter().any(|t| t == tag))
        {
            Some(release) => Some(release),
            None => {
                let said = not_a_release(ctx, &package.name, tag, &tags)?;
                return Err(crate::error::Usage(said).into());
            }
        },
        None => None,
    };
    // A hotfix of a line starts from the line's newest release, which has every fix made since:
    // a base whose next patch was released already is an older release of its line.
    if let (Some(base), true) = (&preset, ctx.settings.lines.is_empty()) {
        let next = format!("{prefix}{}", next_patch(&base.version));
        let taken = tags.contains(&next);
        if let Some(newer) = tag_scheme::newer_in_line(&tags, &prefix, base).filter(|_| taken) {
            return Err(crate::error::Usage(format!(
                "--base-tag {}: not the newest release of the {} line — {} is. A hotfix of the line \
                 starts from its newest release, so that it keeps every fix made since. Nothing \
                 was changed.\nDid you mean --base-tag {}?",
                base.tag,
                line_of(&base.version),
                newer.tag,
                newer.tag
            ))
            .into());
        }
    }
    let preset_given = preset.is_some();
    let lines = ctx.settings.lines.clone();
    let bases: Vec<Release> = if lines.is_empty() {
        match preset.or_else(|| latest_release(tags.iter().map(String::as_str), &prefix)) {
            Some(base) => vec![base],
            None => bail!(
                "No release tags found for {name}: no tag looks like {shown} (tag-prefix). Tag the \
                 release you shipped (`git tag -a {prefix}X.Y.Z <commit>` and `git push {remote} {prefix}X.Y.Z`), \
                 or change tag-prefix in {place}; then run caro-hotfix again.",
                name = package.name,
                shown = tag_scheme::shown(&prefix),
                place = super::step02_scheme::where_to_set(ctx, &package),
            ),
        }
    } else {
        crate::logic::version::line_bases(&lines, &tags, &prefix, preset.as_ref())
            .map_err(crate::error::Usage)?
    };
    let several = bases.len() > 1;
    if several {
        ctx.ui.info(format!(
            "Release lines of this incident: {}",
            bases
                .iter()
                .map(|b| format!("{} (from {})", line_of(&b.version), b.tag))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Named by the maintainer (`--base-tag`, several `--line`s), not found as the newest release.
    let chosen = preset_given || several;
    let mut plans = Vec::new();
    for (i, base) in bases.into_iter().enumerate() {
        if several {
            ctx.ui.blank();
            ctx.ui
                .line(format!("  ── Line {} ──", line_of(&base.version)));
        }
        plans.push(plan_line(
            ctx,
            &package,
            &tags,
            &prefix,
            base,
            chosen,
            i == 0,
        )?);
        if let (Some((crate_, pin)), Some(plan)) = (shipped.as_ref(), plans.last_mut()) {
            if !plan.together.iter().any(|t| t.crate_name == crate_.name) {
                let release = Release {
                    tag: plan.base_tag.clone(),
                    version: semver::Version::parse(&plan.base_version)?,
                };
                let tag = plan.tag.clone();
                let with = shipped_with(ctx, crate_, pin, &package, &release, &tag)?;
                plan.together.push(with);
            }
        }
    }
    let first = plans.remove(0);
    ctx.rec.plan = Some(first);
    ctx.rec.lines = plans.into_iter().map(Line::new).collect();
    Ok(())
}

/// `--base-tag` that is no release tag: a branch of the remote (its newest release named), or a
/// tag in another scheme, or a mistake ([`tag_scheme::not_a_release`]).
fn not_a_release(
    ctx: &mut Ctx<Hotfix>,
    crate_name: &str,
    given: &str,
    tags: &[String],
) -> Result<String> {
    let remote = ctx.settings.remote.clone();
    let head = format!("refs/heads/{given}");
    let Some(sha) = ctx.git().remote_sha(&remote, &head)? else {
        return Ok(tag_scheme::not_a_release(given, tags));
    };
    if !ctx.git().has_commit(&sha)? {
        ctx.git()
            .fetch("read the branch named by --base-tag", &remote, &head)?;
    }
    let mut releases: Vec<Release> = tag_scheme::candidates(tags, crate_name)
        .iter()
        .flat_map(|c| tag_scheme::releases(tags, &c.prefix))
        .collect();
    releases.sort_by(|a, b| b.version.cmp_precedence(&a.version));
    for release in releases.iter().take(200) {
        if ctx.git().is_ancestor(&release.tag, &sha)? {
            return Ok(format!(
                "--base-tag {given}: {given} is a branch of {remote}, not a tag; the newest release \
                 of {crate_name} on it is {}. Nothing was changed.\nDid you mean --base-tag {}?",
                release.tag, release.tag
            ));
        }
    }
    Ok(format!(
        "--base-tag {given}: {given} is a branch of {remote}, not a tag, and it holds no release \
         of {crate_name}. Pass the tag of the release to patch."
    ))
}

/// The crate asked for, released inside `package`'s release (its tag is `package`'s), published
/// first since `package` requires it.
fn shipped_with(
    ctx: &mut Ctx<Hotfix>,
    crate_: &crate::ops::cargo::Package,
    pin: &str,
    package: &crate::ops::cargo::Package,
    base: &Release,
    tag: &str,
) -> Result<crate::record::Together> {
    let Some(at_base) = super::step02_scheme::version_at(ctx, crate_, &base.tag)? else {
        bail!(
            "{} ships in {}'s releases, but {} has no {}. Nothing was changed.",
            crate_.name,
            package.name,
            base.tag,
            crate_.name
        );
    };
    let version = next_patch(&at_base);
    ctx.ui.info(format!(
        "Released together: {} {at_base} → {version}, tagged {tag} (ships in {}'s releases, \
         which pin {pin})",
        crate_.name, package.name
    ));
    Ok(crate::record::Together {
        crate_name: crate_.name.clone(),
        base_version: at_base.to_string(),
        version: version.to_string(),
        tag: tag.to_string(),
        why: format!(
            "ships in {}'s releases ({} pins {pin})",
            package.name, package.name
        ),
        before: true,
    })
}

/// The plan of one line: its base release, the hotfix version and tag, the crates released with
/// it, the route of its fix. `first`: the incident's first line, which takes the strategy asked for;
/// every other line goes through its maintenance branch.
fn plan_line(
    ctx: &mut Ctx<Hotfix>,
    package: &crate::ops::cargo::Package,
    tags: &[String],
    prefix: &str,
    base: Release,
    chosen: bool,
    first: bool,
) -> Result<Plan> {
    let remote = ctx.settings.remote.clone();
    super::step02_scheme::check_base(ctx, package, &base)?;
    let hotfix = next_patch(&base.version);
    let tag = format!("{prefix}{hotfix}");
    let branch = format!("hotfix/{tag}");

    let which = if chosen {
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
    ctx.ui.info(format!(
        "Release: {} {} → {hotfix}",
        package.name, base.version
    ));
    let together = super::step02_together::find(ctx, package, &base.tag, &hotfix)?;

    let mut wanted = vec![format!("refs/tags/{tag}"), format!("refs/heads/{branch}")];
    wanted.extend(
        together
            .iter()
            .filter(|t| t.tag != tag)
            .map(|t| format!("refs/tags/{}", t.tag)),
    );
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
    let crate_name = package.name.clone();
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

    let base_branch = match ctx.settings.base_branch.clone().filter(|_| first) {
        Some(b) => b,
        None => match ctx.git().remote_default_branch(&remote)? {
            Some(b) => b,
            None => bail!(
                "could not tell the default branch of {remote} (its HEAD is not set): pass --base BRANCH"
            ),
        },
    };
    // An older line: a newer release than the base exists.
    let newest = latest_release(tags.iter().map(String::as_str), prefix);
    let older_line = newest.is_some_and(|n| n.version > base.version);
    let requested = if first {
        ctx.settings.strategy
    } else {
        crate::config::Strategy::Maintenance
    };
    let route = super::step02_strategy::choose(
        ctx,
        package,
        &base,
        &base_branch,
        older_line,
        requested,
        first,
    )?;
    let publisher =
        super::step02_publishing::check(ctx, &crate_name, &base.tag, &route.base_branch)?;

    Ok(Plan {
        crate_name,
        base_tag: base.tag,
        base_version: base.version.to_string(),
        version: hotfix.to_string(),
        tag,
        branch,
        base_branch: route.base_branch,
        trunk: route.trunk,
        strategy: route.strategy,
        tag_prefix: prefix.to_string(),
        together,
        line_branch_exists: route.line_branch_exists,
        targets: crate::record::Targets {
            library: package.has_lib(),
            binary: package
                .targets
                .iter()
                .any(|t| t.kind.iter().any(|k| k == "bin")),
        },
        publisher,
    })
}
