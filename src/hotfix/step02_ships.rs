//! Part of step 2: a crate never tagged on its own, shipped inside another crate's releases.
//!
//! time-rs/time tags only `vX.Y.Z` for `time`; `time-macros` (0.2.x) has no tag of its own and is
//! released with `time`, which pins it exactly (`time-macros = { path = …, version = "=0.2.32" }` in
//! `[workspace.dependencies]`, `workspace = true` in `time/Cargo.toml`). When no tag scheme holds a
//! crate's releases, the crate that ships it is looked for: a workspace member whose own tags fit
//! and whose manifest at its newest tag pins the crate exactly, at the version the crate has in
//! that tag's tree. The hotfix is then that member's, the crate released with it, as its
//! maintainers release it.

use anyhow::Result;
use semver::Version;

use crate::flow::Ctx;
use crate::logic::manifest;
use crate::logic::tag_scheme;
use crate::logic::version::Release;
use crate::ops::cargo::{self, Package};
use crate::record::Hotfix;

use super::step02_scheme;

/// The crate that ships the one asked for, and how.
pub struct Shipper {
    pub package: Package,
    /// The shipping crate's tag scheme.
    pub prefix: String,
    /// Its newest release, which pins the crate.
    pub newest: Release,
    /// The exact requirement, `=0.2.32`.
    pub pin: String,
}

/// The version an exact requirement names (`=0.2.32`, `= 0.2.32`), none for any other.
pub fn exact_pin(req: &str) -> Option<Version> {
    let rest = req.trim().strip_prefix('=')?.trim();
    if rest.contains([',', '*', '<', '>', '^', '~', '=']) {
        return None;
    }
    Version::parse(rest).ok()
}

/// The workspace member whose newest release pins `package` exactly at the version `package` has
/// in that release's tree; none when no member does.
pub fn find(ctx: &mut Ctx<Hotfix>, package: &Package, tags: &[String]) -> Result<Option<Shipper>> {
    let repo = ctx.repo.clone();
    let meta = cargo::metadata(&mut ctx.runner, &repo)?;
    for other in &meta.packages {
        if other.name == package.name
            || (!meta.workspace_members.is_empty() && !meta.workspace_members.contains(&other.id))
        {
            continue;
        }
        for candidate in tag_scheme::candidates(tags, &other.name) {
            let newest = candidate.newest.clone();
            let holds = step02_scheme::version_at(ctx, other, &newest.tag)?
                .is_some_and(|v| v.cmp_precedence(&newest.version).is_eq());
            if !holds {
                continue;
            }
            let relative = step02_scheme::relative_manifest(ctx, other);
            let Some(text) = ctx.git().show_file(&newest.tag, &relative)? else {
                continue;
            };
            let root = ctx.git().show_file(&newest.tag, "Cargo.toml")?;
            let Ok(member) = manifest::member(&text, root.as_deref()) else {
                continue;
            };
            let Some((_, pin)) = member
                .requires
                .iter()
                .find(|(dep, req)| dep == &package.name && exact_pin(req).is_some())
            else {
                continue;
            };
            let pinned = exact_pin(pin);
            let at_tag = step02_scheme::version_at(ctx, package, &newest.tag)?;
            if let (Some(p), Some(a)) = (pinned, at_tag) {
                if p.cmp_precedence(&a).is_eq() {
                    return Ok(Some(Shipper {
                        package: other.clone(),
                        prefix: candidate.prefix,
                        newest,
                        pin: pin.trim().to_string(),
                    }));
                }
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exact_requirement_pins() {
        // time's [workspace.dependencies] at v0.3.55: `version = "=0.2.32"`.
        assert_eq!(exact_pin("=0.2.32"), Some(Version::new(0, 2, 32)));
        assert_eq!(exact_pin(" = 1.0.228"), Some(Version::new(1, 0, 228)));
        assert_eq!(exact_pin("0.2.32"), None);
        assert_eq!(exact_pin("^0.2.32"), None);
        assert_eq!(exact_pin("=0.2"), None);
        assert_eq!(exact_pin(">=0.2.32, <0.3"), None);
    }
}
