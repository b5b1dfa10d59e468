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
    // The tree that is hotfixed is the base tag's, not the checkout's: read the members there.
    let root = ctx.git().show_file(base_tag, "Cargo.toml")?;
    let shared = root
        .as_deref()
        .and_then(|r| manifest::workspace_version(r).ok().flatten());
    let mut members: Vec<(Package, manifest::Member, Version)> = Vec::new();
    let mut main = None;
    for p in &meta.packages {
        if !meta.workspace_members.is_empty() && !meta.workspace_members.contains(&p.id) {
            continue;
        }
        let relative = step02_scheme::relative_manifest(ctx, p);
        let Some(text) = ctx.git().show_file(base_tag, &relative)? else {
            continue; // not in that tree: nothing of it was released from there
        };
        let Ok(m) = manifest::member(&text, root.as_deref()) else {
            continue;
        };
        let version = match &m.version {
            PackageVersion::Literal(v) => Some(v.clone()),
            PackageVersion::Inherited => shared.clone(),
        };
        let Some(version) = version else { continue };
        if m.name != p.name {
            continue;
        }
        if p.name == package.name {
            main = Some(m);
        } else if m.publish {
            members.push((p.clone(), m, version));
        }
    }
    let Some(main) = main else {
        return Ok(Vec::new());
    };
    let shares = main.version == PackageVersion::Inherited;
    let main_version = match &main.version {
        PackageVersion::Literal(v) => v.clone(),
        PackageVersion::Inherited => shared.clone().unwrap_or_else(|| hotfix.clone()),
    };

    // (member, why, its version at the tag), in discovery order; the hotfixed crate's new version
    // drives the first round.
    let mut released: Vec<(String, Version, Version)> =
        vec![(package.name.clone(), main_version, hotfix.clone())];
    let mut found: Vec<(Package, String, Version)> = Vec::new();
    if shares {
        for (p, m, at) in &members {
            if m.version == PackageVersion::Inherited {
                found.push((p.clone(), "shares the workspace version".into(), at.clone()));
                released.push((p.name.clone(), at.clone(), hotfix.clone()));
            }
        }
    }
    let mut i = 0;
    while i < released.len() {
        let (name, old, new) = released[i].clone();
        for (p, m, at) in &members {
            if found.iter().any(|(f, _, _)| f.name == p.name) {
                continue;
            }
            // A requirement the old version met and the new one does not: it must move, and the
            // member with it.
            let pin = m.requires.iter().find(|(dep, req)| {
                dep == &name
                    && VersionReq::parse(req).is_ok_and(|r| r.matches(&old) && !r.matches(&new))
            });
            if let Some((_, req)) = pin {
                found.push((p.clone(), format!("requires {name} {req}"), at.clone()));
                released.push((p.name.clone(), at.clone(), next_patch(at)));
            }
        }
        i += 1;
    }
    let requires_of_main: Vec<String> = main.requires.iter().map(|(d, _)| d.clone()).collect();

    let mut together = Vec::new();
    for (member, why, at_base) in found {
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
        let before = requires_of_main.contains(&member.name);
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
