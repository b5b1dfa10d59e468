//! Reading and bumping versions in `Cargo.toml`: the package version, an inherited
//! `[workspace.package]` version, and the requirements other manifests hold on a path dependency.
//!
//! The reference bumps the version with `sed`, which also rewrites every other `version =` line and
//! only works with BSD sed. Here toml_edit finds exactly the value to change, and only that value's
//! bytes are replaced in the original text (using the spans toml_edit records while parsing), so
//! comments, spacing, table order and the value's own trailing comment stay byte-for-byte as the
//! maintainer wrote them. Each result is parsed again before it is returned, so a broken manifest is
//! never handed back.

use std::ops::Range;

use anyhow::{anyhow, bail, Context, Result};
use semver::{Version, VersionReq};
use toml_edit::{DocumentMut, ImDocument, Item, TableLike};

/// The package's version as written in its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageVersion {
    /// `version = "1.2.3"`
    Literal(Version),
    /// `version.workspace = true`: the number lives in the workspace's `[workspace.package]`.
    Inherited,
}

/// What the wizard needs from `[package]`: which crate, and where its version lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    pub name: String,
    pub version: PackageVersion,
}

/// Dependency tables that can name a path dependency (the underscore spellings are Cargo's old,
/// still accepted forms).
const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "dev_dependencies",
    "build_dependencies",
];

/// Reads `[package] name` and `version`.
pub fn package_info(manifest: &str) -> Result<PackageInfo> {
    let doc = parse(manifest)?;
    let package = package_table(&doc)?;
    let name = package
        .get("name")
        .and_then(Item::as_str)
        .ok_or_else(|| anyhow!("[package] has no `name = \"…\"`: add the crate's name"))?
        .to_string();
    let version = match package.get("version") {
        None => bail!(
            "[package] has no version: add `version = \"X.Y.Z\"` (a crate that is published needs one)"
        ),
        Some(item) if is_inherited(item) => PackageVersion::Inherited,
        Some(item) => PackageVersion::Literal(read_version(item, "[package] version")?),
    };
    Ok(PackageInfo { name, version })
}

/// Reads `[workspace.package] version`, the number members with `version.workspace = true` use.
pub fn workspace_version(manifest: &str) -> Result<Option<Version>> {
    let doc = parse(manifest)?;
    match workspace_package(&doc).and_then(|t| t.get("version")) {
        None => Ok(None),
        Some(item) => read_version(item, "[workspace.package] version").map(Some),
    }
}

/// Sets `[package] version`, changing nothing else.
pub fn set_package_version(manifest: &str, new: &Version) -> Result<String> {
    let doc = parse(manifest)?;
    let package = package_table(&doc)?;
    let item = match package.get("version") {
        None => bail!("[package] has no version to bump: add `version = \"X.Y.Z\"` first"),
        Some(item) if is_inherited(item) => bail!(
            "this package inherits its version (`version.workspace = true`): \
             set [workspace.package] version in the workspace's Cargo.toml instead"
        ),
        Some(item) => item,
    };
    let span = string_span(item, "[package] version")?;
    let text = splice(manifest, vec![(span, new.to_string())]);
    check_result(&text)?;
    Ok(text)
}

/// Sets `[workspace.package] version`, changing nothing else.
pub fn set_workspace_version(manifest: &str, new: &Version) -> Result<String> {
    let doc = parse(manifest)?;
    let item = workspace_package(&doc)
        .and_then(|t| t.get("version"))
        .ok_or_else(|| {
            anyhow!(
                "this manifest has no [workspace.package] version to set: \
                 the package's version must be bumped in its own [package] table"
            )
        })?;
    let span = string_span(item, "[workspace.package] version")?;
    let text = splice(manifest, vec![(span, new.to_string())]);
    check_result(&text)?;
    Ok(text)
}

/// Rewrites the version requirement of every path dependency on `crate_name` to `new`.
///
/// A dependency with both `path` and `version` is a workspace sibling that is also published; after
/// the bump, a requirement such as `=1.0.0` would no longer match and the build (or `cargo publish`)
/// would fail. The operator is kept (`"=1.0.0"` → `"=1.0.1"`, `"^1.0"` → `"^1.0.1"`). Requirements
/// that cannot simply be moved up (`<2`, `>=1, <2`, `1.*`) are left alone, as are registry
/// dependencies (no `path`), which must keep pointing at published versions.
///
/// With [`Requirements::Minimal`] (the default), a requirement the new version still meets (`"1"`,
/// `"^1.0"`, `">=1.0.0"`) stays byte for byte: only pins and bounds that would exclude it move.
///
/// Returns the text and whether anything changed; unchanged text is returned as given.
pub fn update_path_dependency_requirements(
    manifest: &str,
    crate_name: &str,
    new: &Version,
    mode: Requirements,
) -> Result<(String, bool)> {
    let doc = parse(manifest)?;
    let root = doc.as_table();
    let mut tables: Vec<&dyn TableLike> = Vec::new();
    for name in DEPENDENCY_TABLES {
        tables.extend(root.get(name).and_then(Item::as_table_like));
    }
    if let Some(targets) = root.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            if let Some(target) = target.as_table_like() {
                for name in DEPENDENCY_TABLES {
                    tables.extend(target.get(name).and_then(Item::as_table_like));
                }
            }
        }
    }
    if let Some(deps) = root
        .get("workspace")
        .and_then(Item::as_table_like)
        .and_then(|w| w.get("dependencies"))
        .and_then(Item::as_table_like)
    {
        tables.push(deps);
    }

    let mut edits = Vec::new();
    for table in tables {
        for (key, entry) in table.iter() {
            let Some(entry) = entry.as_table_like() else {
                continue;
            };
            let name = entry.get("package").and_then(Item::as_str).unwrap_or(key);
            if name != crate_name || !entry.contains_key("path") {
                continue;
            }
            let Some(version) = entry.get("version") else {
                continue;
            };
            let Some(old) = version.as_str() else {
                continue;
            };
            let still_met = VersionReq::parse(old.trim()).is_ok_and(|r| r.matches(new));
            if mode == Requirements::Minimal && still_met {
                continue;
            }
            let Some(bumped) = bump_requirement(old, new) else {
                continue;
            };
            if bumped != old {
                let span = string_span(version, "a dependency's version requirement")?;
                edits.push((span, bumped));
            }
        }
    }
    if edits.is_empty() {
        return Ok((manifest.to_string(), false));
    }
    let text = splice(manifest, edits);
    check_result(&text)?;
    Ok((text, true))
}

/// What step 2 reads of a workspace member's manifest (at the base tag) to tell whether it is
/// released together with the hotfixed crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub version: PackageVersion,
    /// `publish = false` (or an empty registry list) makes a member that is never released.
    pub publish: bool,
    /// Its requirements on path dependencies (normal and build; dev-dependencies do not reach
    /// users): (package name, requirement). A `{ workspace = true }` entry is resolved against the
    /// `[workspace.dependencies]` of `root`.
    pub requires: Vec<(String, String)>,
}

/// Reads a member's name, version, publish setting and path requirements; `root` is the workspace's
/// top-level manifest (for inherited dependencies).
pub fn member(manifest: &str, root: Option<&str>) -> Result<Member> {
    let info = package_info(manifest)?;
    let doc = parse(manifest)?;
    let package = package_table(&doc)?;
    let publish = match package.get("publish") {
        Some(item) => match (item.as_bool(), item.as_array()) {
            (Some(b), _) => b,
            (_, Some(list)) => !list.is_empty(),
            _ => true,
        },
        None => true,
    };
    let root_doc = root.and_then(|r| parse(r).ok());
    let inherited = |key: &str| -> Option<(String, String)> {
        let deps = root_doc
            .as_ref()?
            .get("workspace")?
            .get("dependencies")?
            .as_table_like()?;
        let entry = deps.get(key)?.as_table_like()?;
        entry.get("path")?;
        let name = entry.get("package").and_then(Item::as_str).unwrap_or(key);
        let req = entry.get("version")?.as_str()?;
        Some((name.to_string(), req.to_string()))
    };
    let root = doc.as_table();
    let mut tables: Vec<&dyn TableLike> = Vec::new();
    for name in ["dependencies", "build-dependencies", "build_dependencies"] {
        tables.extend(root.get(name).and_then(Item::as_table_like));
    }
    if let Some(targets) = root.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            if let Some(target) = target.as_table_like() {
                for name in ["dependencies", "build-dependencies", "build_dependencies"] {
                    tables.extend(target.get(name).and_then(Item::as_table_like));
                }
            }
        }
    }
    let mut requires = Vec::new();
    for table in tables {
        for (key, entry) in table.iter() {
            let Some(entry) = entry.as_table_like() else {
                continue;
            };
            if entry.get("workspace").and_then(Item::as_bool) == Some(true) {
                requires.extend(inherited(key));
                continue;
            }
            if !entry.contains_key("path") {
                continue;
            }
            let name = entry.get("package").and_then(Item::as_str).unwrap_or(key);
            if let Some(req) = entry.get("version").and_then(Item::as_str) {
                requires.push((name.to_string(), req.to_string()));
            }
        }
    }
    Ok(Member {
        name: info.name,
        version: info.version,
        publish,
        requires,
    })
}

/// How other members' requirements on a released crate change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirements {
    /// Only where the new version no longer meets them.
    Minimal,
    /// Always moved up to the new version (cargo-release's way; `dependent-requirements = "upgrade"`).
    Upgrade,
}

/// `"=1.0.0"` → `"=1.0.1"`, keeping the operator and its spacing; `None` when the requirement is not
/// a single lower-bound-style comparator with a plain version.
fn bump_requirement(req: &str, new: &Version) -> Option<String> {
    let body = req.trim();
    if body.contains(',') || VersionReq::parse(body).is_err() {
        return None;
    }
    let op_len = body
        .find(|c: char| !matches!(c, '=' | '^' | '~' | '>' | '<' | ' '))
        .unwrap_or(body.len());
    let (op, version) = body.split_at(op_len);
    if !matches!(op.trim(), "" | "=" | "^" | "~" | ">=") {
        return None;
    }
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<&str> = core.split('.').collect();
    let plain = parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    plain.then(|| format!("{op}{new}"))
}

fn parse(manifest: &str) -> Result<ImDocument<&str>> {
    ImDocument::parse(manifest).map_err(|e| anyhow!("Cargo.toml is not valid TOML: {e}"))
}

fn package_table<'d>(doc: &'d ImDocument<&str>) -> Result<&'d dyn TableLike> {
    doc.get("package")
        .and_then(Item::as_table_like)
        .ok_or_else(|| {
            anyhow!(
                "this manifest has no [package] table (a virtual workspace); pass --package NAME"
            )
        })
}

fn workspace_package<'d>(doc: &'d ImDocument<&str>) -> Option<&'d dyn TableLike> {
    doc.get("workspace")
        .and_then(Item::as_table_like)
        .and_then(|w| w.get("package"))
        .and_then(Item::as_table_like)
}

/// `version.workspace = true` (dotted) or `version = { workspace = true }` (inline).
fn is_inherited(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

fn read_version(item: &Item, what: &str) -> Result<Version> {
    let text = item
        .as_str()
        .ok_or_else(|| anyhow!("{what} must be a string such as \"1.2.3\""))?;
    Version::parse(text.trim()).map_err(|e| {
        anyhow!("{what} `{text}` is not a semver version ({e}): write it as X.Y.Z, e.g. \"1.2.3\"")
    })
}

/// Where a string value's text sits in the original manifest, quotes included.
fn string_span(item: &Item, what: &str) -> Result<Range<usize>> {
    item.as_value()
        .filter(|v| v.is_str())
        .and_then(|v| v.span())
        .ok_or_else(|| anyhow!("{what} must be a string such as \"1.2.3\""))
}

/// Replaces each span (a quoted string) by `new` quoted the same way; everything else is untouched.
fn splice(original: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut text = original.to_string();
    for (span, new) in edits {
        let quote = if original[span.clone()].starts_with('\'') {
            '\''
        } else {
            '"'
        };
        text.replace_range(span, &format!("{quote}{new}{quote}"));
    }
    text
}

fn check_result(text: &str) -> Result<()> {
    text.parse::<DocumentMut>()
        .map(drop)
        .context("internal error: the edited Cargo.toml no longer parses; it was not written")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const SINGLE: &str = r#"# The caro crate.
[package]
name    =   "caro"   # the name
version = "1.0.0" # keep me
edition = "2021"

[dependencies]
serde = { version = "1.0.0", features = ["derive"] }
# version = "1.0.0" in a comment
regex = "1.0.0"

[dependencies.tokio]
version = "1.0.0"
"#;

    #[test]
    fn reads_name_and_literal_version() {
        assert_eq!(
            package_info(SINGLE).unwrap(),
            PackageInfo {
                name: "caro".into(),
                version: PackageVersion::Literal(v("1.0.0"))
            }
        );
    }

    #[test]
    fn bumps_only_the_package_version_keeping_everything_else() {
        let out = set_package_version(SINGLE, &v("1.0.1")).unwrap();
        assert_eq!(
            out,
            SINGLE.replacen(
                "version = \"1.0.0\" # keep me",
                "version = \"1.0.1\" # keep me",
                1
            )
        );
        assert_eq!(
            package_info(&out).unwrap().version,
            PackageVersion::Literal(v("1.0.1"))
        );
    }

    #[test]
    fn odd_spacing_table_order_and_quotes_are_kept() {
        let manifest = "[dependencies]\nfoo='1.0.0'\n\n[package]\r\nversion   =   '0.9.0'   # odd\r\nname='x'\r\n[features]\ndefault=[]\n";
        let out = set_package_version(manifest, &v("0.9.1")).unwrap();
        assert_eq!(
            out,
            "[dependencies]\nfoo='1.0.0'\n\n[package]\r\nversion   =   '0.9.1'   # odd\r\nname='x'\r\n[features]\ndefault=[]\n"
        );
    }

    #[test]
    fn inherited_version_is_reported_and_bumped_in_the_workspace() {
        let member = "[package]\nname = \"caro\"\nversion.workspace = true\n";
        assert_eq!(
            package_info(member).unwrap().version,
            PackageVersion::Inherited
        );
        let inline = "[package]\nname = \"caro\"\nversion = { workspace = true }\n";
        assert_eq!(
            package_info(inline).unwrap().version,
            PackageVersion::Inherited
        );
        let err = set_package_version(member, &v("1.0.1"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("[workspace.package]"), "{err}");

        let root = "[workspace]\nmembers = [\"caro\"]\n\n[workspace.package]\n# shared\nversion = \"1.0.0\"  # all crates\nedition = \"2021\"\n\n[workspace.dependencies]\nserde = { version = \"1.0.0\" }\n";
        assert_eq!(workspace_version(root).unwrap(), Some(v("1.0.0")));
        let out = set_workspace_version(root, &v("1.0.1")).unwrap();
        assert_eq!(
            out,
            root.replacen(
                "version = \"1.0.0\"  # all",
                "version = \"1.0.1\"  # all",
                1
            )
        );
        assert_eq!(workspace_version(&out).unwrap(), Some(v("1.0.1")));
    }

    #[test]
    fn workspace_version_absent() {
        assert_eq!(workspace_version(SINGLE).unwrap(), None);
        let ws = "[workspace]\nmembers = []\n";
        assert_eq!(workspace_version(ws).unwrap(), None);
        let err = set_workspace_version(ws, &v("1.0.1"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no [workspace.package] version"), "{err}");
    }

    #[test]
    fn virtual_workspace_asks_for_package() {
        let err = package_info("[workspace]\nmembers = [\"a\"]\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "this manifest has no [package] table (a virtual workspace); pass --package NAME"
        );
    }

    #[test]
    fn clear_errors_for_bad_manifests() {
        let err = package_info("[package\nname = 1").unwrap_err().to_string();
        assert!(err.starts_with("Cargo.toml is not valid TOML: "), "{err}");
        assert!(err.contains("line 1"), "{err}");

        let err = package_info("[package]\nname = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no version"), "{err}");

        let err = package_info("[package]\nname = \"x\"\nversion = \"1.0\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`1.0` is not a semver version"), "{err}");

        let err = package_info("[package]\nname = \"x\"\nversion = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("must be a string"), "{err}");

        let err = package_info("[package]\nversion = \"1.0.0\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no `name"), "{err}");

        let err = workspace_version("[workspace.package]\nversion = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[workspace.package] version `x`"), "{err}");
    }

    #[test]
    fn path_dependency_requirements_in_a_member_manifest() {
        let member = r#"[package]
name = "caro-cli"
version = "1.0.0"

[dependencies]
caro = { path = "../caro", version = "=1.0.0" }   # exact on purpose
other = { version = "1.0.0" }
caro-registry = { package = "caro", version = "1.0.0" }

[dev-dependencies.caro]
path = "../caro"
version = "^1.0"

[build-dependencies]
renamed = { package = "caro", path = "../caro", version = "~1.0.0" }

[target.'cfg(unix)'.dependencies]
caro.path = "../caro"
caro.version = "1.0.0"

[target.'cfg(windows)'.dependencies]
caro = { path = "../caro" }
"#;
        let (out, changed) =
            update_path_dependency_requirements(member, "caro", &v("1.0.1"), Requirements::Upgrade)
                .unwrap();
        assert!(changed);
        let expected = member
            .replace(
                r#"version = "=1.0.0" }   # exact"#,
                r#"version = "=1.0.1" }   # exact"#,
            )
            .replace(r#"version = "^1.0""#, r#"version = "^1.0.1""#)
            .replace(r#"version = "~1.0.0""#, r#"version = "~1.0.1""#)
            .replace(r#"caro.version = "1.0.0""#, r#"caro.version = "1.0.1""#);
        assert_eq!(out, expected);
        // The package's own version and registry dependencies are untouched.
        assert!(out.contains("name = \"caro-cli\"\nversion = \"1.0.0\""));
        assert!(out.contains(r#"other = { version = "1.0.0" }"#));
        assert!(out.contains(r#"caro-registry = { package = "caro", version = "1.0.0" }"#));
    }

    #[test]
    fn a_members_requirements_publish_setting_and_inherited_pins_are_read() {
        let root = "[workspace]\n[workspace.package]\nversion = \"4.6.6\"\n[workspace.dependencies]\nclap_builder = { path = \"clap_builder\", version = \"=4.6.6\" }\nserde = \"1\"\n";
        let clap = "[package]\nname = \"clap\"\nversion.workspace = true\n[dependencies]\nclap_builder.workspace = true\nclap_derive = { path = \"clap_derive\", version = \"=4.6.6\", optional = true }\nserde = \"1\"\n[dev-dependencies]\nclap_lex = { path = \"clap_lex\", version = \"=1.0.0\" }\n";
        let m = member(clap, Some(root)).unwrap();
        assert_eq!(m.name, "clap");
        assert_eq!(m.version, PackageVersion::Inherited);
        assert!(m.publish);
        assert_eq!(
            m.requires,
            [
                ("clap_builder".to_string(), "=4.6.6".to_string()),
                ("clap_derive".to_string(), "=4.6.6".to_string())
            ]
        );
        let private = "[package]\nname = \"benches\"\nversion = \"0.0.0\"\npublish = false\n";
        assert!(!member(private, None).unwrap().publish);
    }

    #[test]
    fn minimal_mode_moves_only_requirements_the_new_version_breaks() {
        let member = r#"[package]
name = "caro-cli"
version = "1.0.0"

[dependencies]
caro = { path = "../caro", version = "=1.0.0" }   # pinned
caro-macros = { package = "caro", path = "../caro", version = "1" }
[dev-dependencies]
caro = { path = "../caro", version = "1.0.0" }
[build-dependencies]
caro = { path = "../caro", version = ">=1.0.0, <1.0.1" }
"#;
        let (out, changed) =
            update_path_dependency_requirements(member, "caro", &v("1.0.1"), Requirements::Minimal)
                .unwrap();
        assert!(changed);
        // Only the exact pin moves; `"1"` and `"1.0.0"` still match 1.0.1 and stay byte for byte;
        // the bounded range cannot simply be moved up and is left for the build to report.
        assert_eq!(
            out,
            member.replace(
                r#"version = "=1.0.0" }   # pinned"#,
                r#"version = "=1.0.1" }   # pinned"#
            )
        );
    }

    #[test]
    fn path_dependency_requirements_in_workspace_dependencies() {
        let root = r#"[workspace]
members = ["caro", "caro-cli"]

[workspace.package]
version = "1.0.0"

[workspace.dependencies]
caro = { path = "caro", version = "1.0.0" }
serde = "1.0.0"
"#;
        let (out, changed) =
            update_path_dependency_requirements(root, "caro", &v("1.0.1"), Requirements::Upgrade)
                .unwrap();
        assert!(changed);
        assert_eq!(
            out,
            root.replace(
                r#"caro = { path = "caro", version = "1.0.0" }"#,
                r#"caro = { path = "caro", version = "1.0.1" }"#
            )
        );
    }

    #[test]
    fn nothing_to_update_returns_the_same_text() {
        let manifest = "[dependencies]\ncaro = { path = \"../caro\" }\nserde = \"1\"\nx = { workspace = true }\ncaro2 = { version = \"1.0.0\" }\n";
        let (out, changed) = update_path_dependency_requirements(
            manifest,
            "caro",
            &v("1.0.1"),
            Requirements::Upgrade,
        )
        .unwrap();
        assert!(!changed);
        assert_eq!(out, manifest);
        // Already up to date: no change either.
        let current = "[dependencies]\ncaro = { path = \"../caro\", version = \"1.0.1\" }\n";
        let (out, changed) = update_path_dependency_requirements(
            current,
            "caro",
            &v("1.0.1"),
            Requirements::Upgrade,
        )
        .unwrap();
        assert!(!changed);
        assert_eq!(out, current);
    }

    #[test]
    fn requirements_that_cannot_be_moved_up_are_left_alone() {
        let n = v("1.0.1");
        assert_eq!(bump_requirement("1.0.0", &n).as_deref(), Some("1.0.1"));
        assert_eq!(bump_requirement("= 1.0.0", &n).as_deref(), Some("= 1.0.1"));
        assert_eq!(bump_requirement(">=1.0", &n).as_deref(), Some(">=1.0.1"));
        assert_eq!(bump_requirement("1", &n).as_deref(), Some("1.0.1"));
        assert_eq!(bump_requirement("<2", &n), None);
        assert_eq!(bump_requirement(">1.0.0", &n), None);
        assert_eq!(bump_requirement(">=1.0, <2", &n), None);
        assert_eq!(bump_requirement("1.*", &n), None);
        assert_eq!(bump_requirement("*", &n), None);
        assert_eq!(bump_requirement("not a req", &n), None);

        let manifest = "[dependencies]\ncaro = { path = \"../caro\", version = \">=1.0, <2\" }\n";
        let (out, changed) = update_path_dependency_requirements(
            manifest,
            "caro",
            &v("1.0.1"),
            Requirements::Upgrade,
        )
        .unwrap();
        assert!(!changed);
        assert_eq!(out, manifest);
    }
}
