//! Part of step 2: which tags are the crate's releases, and whether the base tag really holds it.
//!
//! Without `tag-prefix`, the usual schemes are tried against the tags ([`tag_scheme::candidates`]);
//! a scheme fits when the crate's own manifest, at the newest tag the scheme reads, says that tag's
//! version. A tag that belongs to a sibling crate (regex's `1.13.1` when hotfixing regex-syntax)
//! therefore never becomes the base. Whatever the scheme, the base tag must hold the crate at the
//! tag's version, or the hotfix stops here, before anything changes.

use anyhow::{bail, Result};
use semver::Version;

use crate::flow::Ctx;
use crate::logic::manifest;
use crate::logic::tag_scheme::{self, Candidate};
use crate::logic::version::Release;
use crate::ops::cargo::Package;
use crate::record::Hotfix;

use super::step02_ships::Shipper;

/// The scheme of the crate's release tags: `tag-prefix` when set, the prefix of `--base-tag` when
/// given, else the one scheme that fits the manifests (asked when two do). When none fits, the
/// crate whose releases ship it, if one does ([`super::step02_ships`]): its scheme and itself.
pub fn find(
    ctx: &mut Ctx<Hotfix>,
    package: &Package,
    tags: &[String],
    base_tag: Option<&str>,
) -> Result<(String, Option<Shipper>)> {
    if let Some(prefix) = ctx.settings.tag_prefix.clone() {
        if tag_scheme::releases(tags, &prefix).is_empty() {
            // Configured, but reading no tag: say what the tags themselves say.
            let found = match detect(ctx, package, tags)? {
                Detected::None(said) => said,
                Detected::One(c) => format!(
                    "{}\nSet `tag-prefix = \"{}\"` instead (or remove tag-prefix); then run \
                     caro-hotfix again.",
                    found_line(package, &c),
                    c.prefix
                ),
                Detected::Several(fits) => format!(
                    "{} both hold {}'s releases; set `tag-prefix` to one of {} instead; then \
                     run caro-hotfix again.",
                    fits.iter()
                        .map(|c| format!(
                            "{} (newest {})",
                            tag_scheme::shown(&c.prefix),
                            c.newest.tag
                        ))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    package.name,
                    fits.iter()
                        .map(|c| format!("\"{}\"", c.prefix))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            bail!(
                "tag-prefix = \"{prefix}\" (configured) reads no tag of this repository: no tag \
                 looks like {}. Nothing was changed.\nWithout it, the tags say: {found}",
                tag_scheme::shown(&prefix)
            );
        }
        ctx.ui.info(format!(
            "Release tags of {}: {} (tag-prefix)",
            package.name,
            tag_scheme::shown(&prefix)
        ));
        return Ok((prefix, None));
    }
    if let Some(tag) = base_tag {
        if let Some(prefix) = tag_scheme::prefix_of(tag) {
            return Ok((prefix.to_string(), None));
        }
        // Not a release tag at all: the caller says so, naming the releases that exist.
        return Ok((String::new(), None));
    }
    match detect(ctx, package, tags)? {
        Detected::None(said) => match super::step02_ships::find(ctx, package, tags)? {
            Some(shipper) => Ok((shipper.prefix.clone(), Some(shipper))),
            None => bail!("{said}"),
        },
        Detected::One(c) => {
            ctx.ui.info(found_line(package, &c));
            Ok((c.prefix, None))
        }
        Detected::Several(fits) => {
            let items: Vec<String> = fits
                .iter()
                .map(|c| format!("{} (newest {})", tag_scheme::shown(&c.prefix), c.newest.tag))
                .collect();
            ctx.ui.warn(format!(
                "Two tag schemes both hold {}'s releases: {}. The default is {}, which holds the \
                 newest release ({}). Set `tag-prefix` in {} to choose for good.",
                package.name,
                items.join(" and "),
                tag_scheme::shown(&fits[0].prefix),
                fits[0].newest.tag,
                where_to_set(ctx, package)
            ));
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let i = ctx
                .prompter
                .select("Which tags are the releases?", &refs, 0)?;
            Ok((fits[i].prefix.clone(), None))
        }
    }
}

/// What the tags say about the crate's scheme.
enum Detected {
    /// No scheme fits: the whole message.
    None(String),
    One(Candidate),
    /// Several fit, the one holding the newest release first.
    Several(Vec<Candidate>),
}

/// The usual schemes, tried against the manifests at their newest tags.
fn detect(ctx: &mut Ctx<Hotfix>, package: &Package, tags: &[String]) -> Result<Detected> {
    let mut fits: Vec<Candidate> = Vec::new();
    for candidate in tag_scheme::candidates(tags, &package.name) {
        if fits_scheme(ctx, package, tags, &candidate)? {
            fits.push(candidate);
        }
    }
    // Schemes that agree on the newest release (`v1.0.0` and `wscore-v1.0.0` on one commit) are
    // one answer: the one that names the crate is the more precise.
    if fits.len() > 1
        && fits
            .iter()
            .all(|c| c.newest.version == fits[0].newest.version)
    {
        let named = fits
            .iter()
            .position(|c| c.prefix.contains(package.name.as_str()))
            .unwrap_or(0);
        fits = vec![fits.swap_remove(named)];
    }
    // The newest releases first: a scheme last used years ago (openssl's `v0.9.23` beside
    // `openssl-v0.10.73`) is never the default.
    fits.sort_by(|a, b| b.newest.version.cmp_precedence(&a.newest.version));
    Ok(match fits.len() {
        0 => Detected::None(no_scheme(ctx, package, tags)),
        1 => Detected::One(fits.remove(0)),
        _ => Detected::Several(fits),
    })
}

/// `Release tags of tokio: tokio-X.Y.Z — found 6 such tags; tokio-1.53.1 holds tokio 1.53.1`.
fn found_line(package: &Package, c: &Candidate) -> String {
    format!(
        "Release tags of {}: {} — found {} such tag{}; {} holds {} {}",
        package.name,
        tag_scheme::shown(&c.prefix),
        c.count,
        if c.count == 1 { "" } else { "s" },
        c.newest.tag,
        package.name,
        c.newest.version
    )
}

/// Stops unless the base tag holds the crate at the tag's version.
pub fn check_base(ctx: &mut Ctx<Hotfix>, package: &Package, base: &Release) -> Result<()> {
    let relative = relative_manifest(ctx, package);
    match version_at(ctx, package, &base.tag)? {
        Some(found) if same(&found, &base.version) => Ok(()),
        found => {
            let said = match found {
                Some(v) => format!(
                    "{relative} at {} says {} {v}, not {}",
                    base.tag, package.name, base.version
                ),
                None => format!("{} has no {relative} for {}", base.tag, package.name),
            };
            let tags = ctx.git().tags()?;
            let mut fitting = Vec::new();
            for candidate in tag_scheme::candidates(&tags, &package.name) {
                if holds(ctx, package, &candidate.newest)? {
                    fitting.push(format!(
                        "`tag-prefix = \"{}\"` fits ({} holds {} {})",
                        candidate.prefix,
                        candidate.newest.tag,
                        package.name,
                        candidate.newest.version
                    ));
                }
            }
            let hint = if fitting.is_empty() {
                format!(
                    "Tag {}'s releases where they were made, or pass --base-tag with a tag that holds it.",
                    package.name
                )
            } else {
                format!(
                    "{}: set it in {}.",
                    fitting.join("; "),
                    where_to_set(ctx, package)
                )
            };
            bail!(
                "{} is not a release of {}: {said}. Nothing was changed.\n{hint}",
                base.tag,
                package.name,
            )
        }
    }
}

/// The crate's version as its manifest says it at `tag` (the workspace's when it inherits it).
pub fn version_at(ctx: &mut Ctx<Hotfix>, package: &Package, tag: &str) -> Result<Option<Version>> {
    let relative = relative_manifest(ctx, package);
    let text = match ctx.git().show_file(tag, &relative)? {
        Some(text) => text,
        // Not there at the tag: the package may have moved since (`tracing/` → `crates/tracing/`);
        // its directory is the tag's.
        None => match moved_manifest(ctx, &package.name, tag)? {
            Some(text) => text,
            None => return Ok(None),
        },
    };
    Ok(match manifest::package_info(&text) {
        Ok(info) if info.name != package.name => None,
        Ok(info) => match info.version {
            manifest::PackageVersion::Literal(v) => Some(v),
            manifest::PackageVersion::Inherited => ctx
                .git()
                .show_file(tag, "Cargo.toml")?
                .and_then(|root| manifest::workspace_version(&root).ok().flatten()),
        },
        Err(_) => None,
    })
}

/// The crate's manifest in the tag's tree when it is not where the work tree has it: a
/// `Cargo.toml` in a directory named after the crate whose `[package]` is the crate.
fn moved_manifest(ctx: &mut Ctx<Hotfix>, name: &str, tag: &str) -> Result<Option<String>> {
    let listing = ctx.git().ls_tree(tag)?;
    let paths: Vec<String> = listing
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, path)| path.to_string()))
        .filter(|path| {
            let dir = path.strip_suffix("/Cargo.toml").unwrap_or_default();
            dir.rsplit('/').next() == Some(name) && !dir.starts_with("vendor/")
        })
        .collect();
    for path in paths {
        if let Some(text) = ctx.git().show_file(tag, &path)? {
            if manifest::package_info(&text).is_ok_and(|info| info.name == name) {
                return Ok(Some(text));
            }
        }
    }
    Ok(None)
}

/// Where `tag-prefix` goes for this crate: its own manifest's `[package.metadata.hotfix]`.
pub fn where_to_set(ctx: &Ctx<Hotfix>, package: &Package) -> String {
    format!(
        "[package.metadata.hotfix] of {}",
        relative_manifest(ctx, package)
    )
}

/// A scheme fits when one of its newest few release tags holds the crate at that version (the very
/// newest may be the mistake: that is for [`check_base`] to say).
fn fits_scheme(
    ctx: &mut Ctx<Hotfix>,
    package: &Package,
    tags: &[String],
    candidate: &Candidate,
) -> Result<bool> {
    for release in tag_scheme::releases(tags, &candidate.prefix).iter().take(3) {
        if holds(ctx, package, release)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn holds(ctx: &mut Ctx<Hotfix>, package: &Package, release: &Release) -> Result<bool> {
    Ok(version_at(ctx, package, &release.tag)?.is_some_and(|v| same(&v, &release.version)))
}

fn same(a: &Version, b: &Version) -> bool {
    a.cmp_precedence(b) == std::cmp::Ordering::Equal
}

pub fn relative_manifest(ctx: &Ctx<Hotfix>, package: &Package) -> String {
    let repo = ctx.repo.canonicalize().unwrap_or_else(|_| ctx.repo.clone());
    let path = package
        .manifest_path
        .canonicalize()
        .unwrap_or_else(|_| package.manifest_path.clone());
    path.strip_prefix(&repo)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| "Cargo.toml".into())
}

/// No scheme fits: the tags seen, the prefix closest to them, and where to set it.
fn no_scheme(ctx: &Ctx<Hotfix>, package: &Package, tags: &[String]) -> String {
    let seen = tag_scheme::prefixes_seen(tags);
    let name = &package.name;
    if seen.is_empty() {
        return format!(
            "No release tags found for {name}\nCannot create hotfix without a base release: no tag \
             in this repository ends in a version X.Y.Z (pre-releases are not bases). Tag the release you shipped \
             (`git tag -a v{version} <commit>`, then push the tag), or name the scheme your tags \
             use with `tag-prefix` in {place}; then run caro-hotfix again.",
            version = package.version,
            place = where_to_set(ctx, package)
        );
    }
    let listed: Vec<String> = seen
        .iter()
        .take(6)
        .map(|(p, n, newest)| {
            format!(
                "{} ({n} tag{}, newest {newest})",
                tag_scheme::shown(p),
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect();
    let closest = tag_scheme::closest_prefix(&seen, name).unwrap_or_default();
    format!(
        "No release tags found for {name}: no tag scheme holds {name}'s releases (its manifest at \
         the tag must say the tag's version).\nTags seen: {}.\nIf {name}'s releases are tagged \
         {}, set `tag-prefix = \"{closest}\"` in {}, or pass --base-tag with the release to patch; \
         then run caro-hotfix again.",
        listed.join(", "),
        tag_scheme::shown(&closest),
        where_to_set(ctx, package)
    )
}
