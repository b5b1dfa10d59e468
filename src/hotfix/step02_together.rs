//! Part of step 2: the workspace members released together with the hotfixed crate.
//!
//! A member that requires the crate with a requirement the new version no longer meets (clap's
//! `clap_builder = "=4.6.6"`, serde's pin on serde_core) must change that requirement, and a member
//! that shares the crate's version (`version.workspace = true` on both) changes version with it:
//! either way its published form would differ from what users have, so it is released too — bumped
//! to its own next patch, tagged in its own scheme, watched on the registry. Members of those, in
//! turn, follow. A member that cannot be released that way (no tag holds its base) stops the hotfix
//! here, before anything changes.

use anyhow::{bail, Result};
use semver::{Version, VersionReq};

use crate::flow::Ctx;
use crate::logic::manifest::{self, PackageVersion};
use crate::logic::tag_scheme;
use crate::logic::version::next_patch;
use crate::ops::cargo::{self, Package};
use crate::record::{Hotfix, Together};

use super::step02_scheme;

/// The crates released with `package` (going from `base` to `hotfix`), each named on screen.
pub fn find(
    ctx: &mut Ctx<Hotfix>,
    package: &Package,
    base_tag: &str,
    hotfix: &Version,
) -> Result<Vec<Together>> {
    let repo = ctx.repo.clone();
    let meta = cargo::metadata(&mut ctx.runner, &repo)?;
    let members: Vec<Package> = meta
        .packages
        .iter()
        .filter(|p| meta.workspace_members.is_empty() || meta.workspace_members.contains(&p.id))
        .cloned()
        .collect();
    let shares = inherits(package);

    // (member, why), in discovery order; the hotfixed crate's new version drives the first round.
    let mut released: Vec<(String, Version)> = vec![(package.name.clone(), hotfix.clone())];
    let mut found: Vec<(Package, String)> = Vec::new();
    if shares {
        for m in members
            .iter()
            .filter(|m| m.name != package.name && inherits(m))
        {
            found.push((m.clone(), "shares the workspace version".into()));
            released.push((m.name.clone(), hotfix.clone()));
        }
    }
    let mut i = 0;
    while i < released.len() {
        let (name, new) = released[i].clone();
        for m in &members {
            if m.name == package.name || found.iter().any(|(f, _)| f.name == m.name) {
                continue;
            }
            let pin = m.dependencies.iter().find(|d| {
                d.name == name
                    && d.path.is_some()
                    && VersionReq::parse(&d.req).is_ok_and(|r| !r.matches(&new))
            });
            if let Some(dep) = pin {
                let why = format!("requires {name} {}", dep.req);
                let own = match m.version.parse::<Version>() {
                    Ok(v) => next_patch(&v),
                    Err(_) => continue,
                };
                found.push((m.clone(), why));
                released.push((m.name.clone(), own));
            }
        }
        i += 1;
    }

    let mut together = Vec::new();
    for (member, why) in found {
        let Some(at_base) = step02_scheme::version_at(ctx, &member, base_tag)? else {
            bail!(
                "{} {why}, so it must be released with {} {hotfix}, but {base_tag} has no manifest \
                 for {}. Nothing was changed. Release {} first, or hotfix it on its own.",
                member.name,
                package.name,
                member.name,
                member.name
            );
        };
        let version = next_patch(&at_base);
        let tags = ctx.git().tags()?;
        let mut prefix = None;
        for candidate in tag_scheme::candidates(&tags, &member.name) {
            let tag = format!("{}{at_base}", candidate.prefix);
            if tags.contains(&tag)
                && step02_scheme::version_at(ctx, &member, &tag)?
                    .is_some_and(|v| v.cmp_precedence(&at_base).is_eq())
            {
                prefix = Some(candidate.prefix);
                break;
            }
        }
        let Some(prefix) = prefix else {
            bail!(
                "{} {why}, so it must be released with {} {hotfix} (as {} {version}), but no tag \
                 holds {} {at_base}, the version {base_tag} has: its release has no base to number \
                 from. Nothing was changed. Tag {} {at_base} (in its scheme), then run caro-hotfix again.",
                member.name,
                package.name,
                member.name,
                member.name,
                member.name
            );
        };
        let before = package
            .dependencies
            .iter()
            .any(|d| d.name == member.name && d.path.is_some() && d.kind.is_none());
        let tag = format!("{prefix}{version}");
        ctx.ui.info(format!(
            "Released together: {} {at_base} → {version}, tagged {tag} ({} {why})",
            member.name, member.name
        ));
        together.push(Together {
            crate_name: member.name.clone(),
            base_version: at_base.to_string(),
            version: version.to_string(),
            tag,
            why,
            before,
        });
    }
    Ok(together)
}

/// Whether a member takes its version from `[workspace.package]`.
fn inherits(package: &Package) -> bool {
    std::fs::read_to_string(&package.manifest_path)
        .ok()
        .and_then(|text| manifest::package_info(&text).ok())
        .is_some_and(|info| info.version == PackageVersion::Inherited)
}
