//! The two files `cargo package` writes rather than copies, checked for what they mean, not their
//! bytes (each cargo version normalises differently):
//!
//! - the normalised `Cargo.toml`, the manifest cargo builds from: it names the released crate and
//!   version; every dependency of every table (`[target.'cfg(..)'.*]` ones too) is the tag's, with
//!   `workspace = true` resolved from the tag's workspace root; `build` and `lib.path` are the
//!   tag's (or cargo's defaults), and every target path is a packaged file (which the file check
//!   compares with the tag);
//! - the packaged `Cargo.lock`: every package in it is in the lock the tag commits (at the package
//!   directory or the workspace root), the workspace's own members at their versions aside.
//!
//! Plus what those manifests say about files copied from outside the package: the `readme` and
//! `license-file` (inherited too), which cargo puts at the package's root.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::tree::normalise;

/// Dependency tables, with Cargo's old underscore spellings read as the hyphenated ones.
const KINDS: [(&str, &str); 5] = [
    ("dependencies", "dependencies"),
    ("dev-dependencies", "dev-dependencies"),
    ("build-dependencies", "build-dependencies"),
    ("dev_dependencies", "dev-dependencies"),
    ("build_dependencies", "build-dependencies"),
];

/// A TOML document as a JSON value (tables are objects), or why it is not TOML.
pub fn parse(text: &str) -> Result<Value, String> {
    toml_edit::de::from_str::<Value>(text).map_err(|e| {
        let first = e.to_string();
        let first = first.lines().last().unwrap_or("").trim().to_string();
        format!("not valid TOML ({first})")
    })
}

/// The tag's manifests for the package: its own and its workspace root's (the nearest directory
/// at or above it whose `Cargo.toml` has `[workspace]`), with their directories in the tag.
pub struct TagManifests {
    pub member: Value,
    pub root: Option<(String, Value)>,
}

impl TagManifests {
    /// `[workspace.package] <field>` of the root.
    fn inherited(&self, field: &str) -> Option<&Value> {
        self.root
            .as_ref()
            .and_then(|(_, r)| r.pointer(&format!("/workspace/package/{field}")))
    }

    /// `[package] <field>`, resolved through `field.workspace = true`; with where a path in it is
    /// relative to (`Some(root dir)` when inherited).
    fn package_field(&self, field: &str) -> Option<(&Value, Option<&str>)> {
        let value = self.member.get("package")?.get(field)?;
        if is_inherited(value) {
            let root = self.root.as_ref().map(|(d, _)| d.as_str());
            return self.inherited(field).map(|v| (v, root));
        }
        Some((value, None))
    }
}

fn is_inherited(value: &Value) -> bool {
    value.get("workspace").and_then(Value::as_bool) == Some(true)
}

/// One dependency as it matters to a build: what is compared between the two manifests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Dep {
    version: Option<String>,
    package: Option<String>,
    optional: bool,
    default_features: bool,
    /// An inherited dependency whose member and workspace disagree on `default-features`: cargo's
    /// choice between the two has changed across versions, so either is the tag's.
    either_default: bool,
    features: BTreeSet<String>,
    /// `registry-index` (the normalised form) or `registry` (a name, as written).
    registry: Option<String>,
}

impl Dep {
    fn read(value: &Value) -> Dep {
        if let Some(v) = value.as_str() {
            return Dep {
                version: Some(v.to_string()),
                default_features: true,
                ..Dep::default()
            };
        }
        let s = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
        Dep {
            version: s("version"),
            package: s("package"),
            either_default: false,
            optional: value.get("optional").and_then(Value::as_bool) == Some(true),
            default_features: value
                .get("default-features")
                .or_else(|| value.get("default_features"))
                .and_then(Value::as_bool)
                .unwrap_or(true),
            features: value
                .get("features")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            registry: s("registry-index").or_else(|| s("registry")),
        }
    }

    /// A member's `foo = { workspace = true, features = [..], optional = .. }` with the root's
    /// `[workspace.dependencies] foo`.
    fn inherit(member: &Value, root: &Value) -> Dep {
        let mut dep = Dep::read(root);
        let own = Dep::read(member);
        dep.features.extend(own.features);
        dep.optional = own.optional;
        if member
            .get("default-features")
            .or_else(|| member.get("default_features"))
            .is_some()
        {
            dep.either_default = dep.default_features != own.default_features;
        }
        dep
    }
}

/// Every dependency of a manifest: (table, name) → the value as written, `[target.X.dependencies]`
/// named `target.X.dependencies`.
fn dependency_tables(doc: &Value) -> BTreeMap<(String, String), &Value> {
    let mut tables: Vec<(String, &Value)> = vec![(String::new(), doc)];
    if let Some(targets) = doc.get("target").and_then(Value::as_object) {
        tables.extend(targets.iter().map(|(cfg, t)| (format!("target.{cfg}."), t)));
    }
    let mut out = BTreeMap::new();
    for (prefix, table) in tables {
        for (key, kind) in KINDS {
            if let Some(deps) = table.get(key).and_then(Value::as_object) {
                for (name, value) in deps {
                    out.insert((format!("{prefix}{kind}"), name.clone()), value);
                }
            }
        }
    }
    out
}

/// The checks of the normalised manifest; each entry of `problems` is one sentence about it.
pub struct ManifestCheck {
    pub problems: Vec<String>,
    pub dependencies: usize,
    /// Target paths the normalised manifest names (each must be a packaged file).
    pub target_paths: Vec<(String, String)>,
}

/// Checks the packaged (normalised) manifest against the tag's, for the crate `name` `version`.
pub fn check_manifest(
    packaged: &Value,
    tag: &TagManifests,
    dir: &str,
    name: &str,
    version: &str,
) -> ManifestCheck {
    let mut problems = Vec::new();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("(none)").to_string();
    let at = if dir.is_empty() {
        "the repository's root".to_string()
    } else {
        format!("{dir}/")
    };

    // The crate and version this hotfix released, in both manifests.
    let packaged_name = text(packaged.pointer("/package/name"));
    let packaged_version = text(packaged.pointer("/package/version"));
    if packaged_name != name || packaged_version != version {
        problems.push(format!(
            "names the package {packaged_name} {packaged_version}, not {name} {version}"
        ));
    }
    let tag_name = text(tag.member.pointer("/package/name"));
    let tag_version = text(tag.package_field("version").map(|(v, _)| v));
    if tag_name != name {
        problems.push(format!(
            "`.cargo_vcs_info.json`'s path_in_vcs is {at}, the directory of {tag_name} in the \
             tag, not of {name}: this is another package's archive"
        ));
    } else if tag_version != version {
        problems.push(format!(
            "the tag's {name} at {at} is version {tag_version}, not {version}"
        ));
    }

    // Every dependency comes from the tag.
    let ours = dependency_tables(&tag.member);
    let workspace_deps = tag
        .root
        .as_ref()
        .and_then(|(_, r)| r.pointer("/workspace/dependencies"));
    let mut dependencies = 0;
    for ((table, dep_name), value) in dependency_tables(packaged) {
        dependencies += 1;
        let Some(written) = ours.get(&(table.clone(), dep_name.clone())) else {
            problems.push(format!(
                "[{table}] has {dep_name}, which the tag's manifest does not have"
            ));
            continue;
        };
        let tagged = if is_inherited(written) {
            match workspace_deps.and_then(|w| w.get(&dep_name)) {
                Some(root) => Dep::inherit(written, root),
                None => {
                    problems.push(format!(
                        "[{table}] {dep_name}: the tag's manifest inherits it \
                         (`workspace = true`) but the tag's workspace root has no \
                         [workspace.dependencies] {dep_name}"
                    ));
                    continue;
                }
            }
        } else {
            Dep::read(written)
        };
        let shipped = Dep::read(value);
        for why in dep_differences(&shipped, &tagged) {
            problems.push(format!("[{table}] {dep_name}: {why}"));
        }
    }

    // Target paths: `build` and `lib.path` are the tag's (or cargo's defaults); every path is
    // collected for the caller to require as packaged.
    let mut target_paths = Vec::new();
    let path_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let shipped_build = packaged.pointer("/package/build");
    let tagged_build = tag.member.pointer("/package/build");
    match (shipped_build.and_then(Value::as_str), tagged_build) {
        (Some(path), Some(Value::String(written))) if !same_path(path, written) => problems.push(
            format!("`build` is {path}, the tag's manifest says {written}"),
        ),
        (Some(path), Some(Value::Bool(false))) => problems.push(format!(
            "`build` is {path}, the tag's manifest says `build = false`"
        )),
        (Some(path), None) if !same_path(path, "build.rs") => problems.push(format!(
            "`build` is {path}, the tag's manifest names none (cargo's default is build.rs)"
        )),
        _ => {}
    }
    if let Some(path) = shipped_build.and_then(Value::as_str) {
        target_paths.push(("build".to_string(), path.to_string()));
    }
    if let Some(path) = path_of(packaged.pointer("/lib/path")) {
        let written = path_of(tag.member.pointer("/lib/path"));
        let expected = written.clone().unwrap_or_else(|| "src/lib.rs".into());
        if !same_path(&path, &expected) {
            problems.push(format!(
                "`lib.path` is {path}, the tag's is {expected}{}",
                if written.is_none() {
                    " (cargo's default)"
                } else {
                    ""
                }
            ));
        }
        target_paths.push(("lib.path".to_string(), path));
    }
    for kind in ["bin", "example", "test", "bench"] {
        let written: BTreeMap<String, String> = tag
            .member
            .get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| {
                Some((
                    t.get("name")?.as_str()?.into(),
                    t.get("path")?.as_str()?.into(),
                ))
            })
            .collect();
        for target in packaged
            .get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(path) = path_of(target.get("path")) else {
                continue;
            };
            let target_name = text(target.get("name"));
            if let Some(expected) = written.get(&target_name) {
                if !same_path(&path, expected) {
                    problems.push(format!(
                        "[[{kind}]] {target_name}'s path is {path}, the tag's is {expected}"
                    ));
                }
            }
            target_paths.push((format!("[[{kind}]] {target_name}"), path));
        }
    }
    ManifestCheck {
        problems,
        dependencies,
        target_paths,
    }
}

fn same_path(a: &str, b: &str) -> bool {
    normalise(&[], a) == normalise(&[], b)
}

fn dep_differences(shipped: &Dep, tagged: &Dep) -> Vec<String> {
    let mut out = Vec::new();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    if shipped.version != tagged.version {
        out.push(format!(
            "version requirement {}, the tag's is {}",
            show(&shipped.version),
            show(&tagged.version)
        ));
    }
    if shipped.package != tagged.package {
        out.push(format!(
            "package {}, the tag's is {}",
            show(&shipped.package),
            show(&tagged.package)
        ));
    }
    if shipped.optional != tagged.optional {
        out.push(format!(
            "optional = {}, the tag's is {}",
            shipped.optional, tagged.optional
        ));
    }
    if shipped.default_features != tagged.default_features && !tagged.either_default {
        out.push(format!(
            "default-features = {}, the tag's is {}",
            shipped.default_features, tagged.default_features
        ));
    }
    if shipped.features != tagged.features {
        let gained: Vec<&str> = shipped
            .features
            .difference(&tagged.features)
            .map(String::as_str)
            .collect();
        let lost: Vec<&str> = tagged
            .features
            .difference(&shipped.features)
            .map(String::as_str)
            .collect();
        out.push(format!(
            "features gained [{}], lost [{}]",
            gained.join(", "),
            lost.join(", ")
        ));
    }
    // cargo writes `registry-index` (a URL) for a `registry = "name"`: a name cannot be checked
    // without the publisher's cargo config, so only a URL is compared, and a registry the tag does
    // not name at all is a difference.
    match (&shipped.registry, &tagged.registry) {
        (Some(url), None) => out.push(format!(
            "comes from the registry {url}, the tag's from the default registry"
        )),
        (Some(url), Some(written)) if written.contains("://") && written != url => out.push(
            format!("comes from the registry {url}, the tag's from {written}"),
        ),
        (None, Some(written)) => out.push(format!(
            "comes from the default registry, the tag's from {written}"
        )),
        _ => {}
    }
    out
}

/// The package's root files cargo copies from outside its directory: packaged name → the path in
/// the tag (the manifest's `readme` and `license-file`, inherited ones relative to the workspace
/// root).
pub fn copied_files(tag: &TagManifests, dir: &str) -> BTreeMap<String, String> {
    let base: Vec<String> = normalise(&[], dir).unwrap_or_default();
    let mut out = BTreeMap::new();
    for field in ["readme", "license-file"] {
        let Some((Value::String(path), relative_to)) = tag.package_field(field) else {
            continue;
        };
        let from = match relative_to {
            Some(root) => normalise(&[], root).unwrap_or_default(),
            None => base.clone(),
        };
        let Some(parts) = normalise(&from, path) else {
            continue;
        };
        // Inside the package it is packaged at its own path; only a file outside is copied.
        if parts.starts_with(&base) && parts.len() > base.len() {
            continue;
        }
        if let Some(file) = parts.last() {
            out.insert(file.clone(), parts.join("/"));
        }
    }
    out
}

/// One `[[package]]` of a lock file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Locked {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
}

fn locked(doc: &Value) -> Vec<Locked> {
    doc.get("package")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
            Locked {
                name: s("name").unwrap_or_default(),
                version: s("version").unwrap_or_default(),
                source: s("source"),
                checksum: s("checksum"),
            }
        })
        .collect()
}

/// Every package of the packaged lock that the tag's lock does not have, as a sentence each; and
/// how many packages were compared. A package of the tag's own workspace (no `source` in the tag's
/// lock) matches at the version this commit has, whatever source the packaged lock gives it.
pub fn check_lock(packaged: &Value, tagged: &Value) -> (Vec<String>, usize) {
    let ours: BTreeSet<Locked> = locked(tagged).into_iter().collect();
    let members: BTreeSet<(String, String)> = ours
        .iter()
        .filter(|l| l.source.is_none())
        .map(|l| (l.name.clone(), l.version.clone()))
        .collect();
    let shipped = locked(packaged);
    let mut problems = Vec::new();
    for l in &shipped {
        if ours.contains(l) || members.contains(&(l.name.clone(), l.version.clone())) {
            continue;
        }
        let same_name: Vec<&str> = ours
            .iter()
            .filter(|o| o.name == l.name)
            .map(|o| o.version.as_str())
            .collect();
        let source = l.source.as_deref().unwrap_or("no source");
        problems.push(if same_name.is_empty() {
            format!(
                "has {} {} ({source}), which the tag's Cargo.lock does not have",
                l.name, l.version
            )
        } else if same_name.contains(&l.version.as_str()) {
            format!(
                "has {} {} with another source or checksum than the tag's Cargo.lock ({source})",
                l.name, l.version
            )
        } else {
            format!(
                "has {} {}, the tag's Cargo.lock has {} {}",
                l.name,
                l.version,
                l.name,
                same_name.join(", ")
            )
        });
    }
    (problems, shipped.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(text: &str) -> Value {
        parse(text).expect("toml")
    }

    fn tag(member: &str, root: Option<&str>) -> TagManifests {
        TagManifests {
            member: toml(member),
            root: root.map(|r| (String::new(), toml(r))),
        }
    }

    const ROOT: &str = r#"
[workspace]
members = ["crates/m"]
[workspace.package]
version = "1.2.4"
readme = "README.md"
[workspace.dependencies]
serde = { version = "1", default-features = false }
log = "0.4"
"#;

    const MEMBER: &str = r#"
[package]
name = "m"
version.workspace = true
readme.workspace = true
license-file = "../../LICENSE"
[dependencies]
serde = { workspace = true, features = ["derive"] }
other = { path = "../other", version = "0.3" }
log = { workspace = true, default-features = false }
[target.'cfg(unix)'.dependencies]
libc = "0.2"
[dev-dependencies]
tester = { path = "../tester" }
"#;

    /// What cargo 1.9x writes for MEMBER (the shape of a real normalised manifest).
    const NORMALISED: &str = r#"
[package]
edition = "2015"
name = "m"
version = "1.2.4"
build = false
readme = "README.md"
license-file = "LICENSE"
[lib]
name = "m"
path = "src/lib.rs"
[dependencies.log]
version = "0.4"
[dependencies.other]
version = "0.3"
[dependencies.serde]
version = "1"
features = ["derive"]
default-features = false
[target."cfg(unix)".dependencies.libc]
version = "0.2"
"#;

    #[test]
    fn an_inheriting_member_matches_its_normalised_manifest() {
        let t = tag(MEMBER, Some(ROOT));
        let c = check_manifest(&toml(NORMALISED), &t, "crates/m", "m", "1.2.4");
        assert_eq!(c.problems, Vec::<String>::new());
        assert_eq!(c.dependencies, 4);
        // `log`: the member says `default-features = false`, the workspace nothing; cargo has
        // written either (it warns that the member's is ignored), both are the tag's.
        let without = NORMALISED.replace(
            "[dependencies.log]\nversion = \"0.4\"\n",
            "[dependencies.log]\nversion = \"0.4\"\ndefault-features = false\n",
        );
        let c = check_manifest(&toml(&without), &t, "crates/m", "m", "1.2.4");
        assert_eq!(c.problems, Vec::<String>::new());
        // serde's workspace entry says `default-features = false`: true is not the tag's.
        let defaults = NORMALISED.replace("default-features = false\n", "");
        assert_eq!(
            check_manifest(&toml(&defaults), &t, "crates/m", "m", "1.2.4").problems,
            ["[dependencies] serde: default-features = true, the tag's is false"]
        );
        assert_eq!(c.target_paths, [("lib.path".into(), "src/lib.rs".into())]);
        assert_eq!(
            copied_files(&t, "crates/m"),
            BTreeMap::from([
                ("README.md".to_string(), "README.md".to_string()),
                ("LICENSE".to_string(), "LICENSE".to_string())
            ])
        );
    }

    #[test]
    fn a_gained_or_changed_dependency_a_wrong_version_or_another_members_archive_is_named() {
        let t = tag(MEMBER, Some(ROOT));
        let gained = format!("{NORMALISED}\n[dependencies.evil]\nversion = \"6.6.6\"\n");
        assert_eq!(
            check_manifest(&toml(&gained), &t, "crates/m", "m", "1.2.4").problems,
            ["[dependencies] has evil, which the tag's manifest does not have"]
        );
        let widened = NORMALISED.replace("version = \"0.3\"", "version = \">=0.3\"");
        assert_eq!(
            check_manifest(&toml(&widened), &t, "crates/m", "m", "1.2.4").problems,
            ["[dependencies] other: version requirement >=0.3, the tag's is 0.3"]
        );
        let elsewhere = NORMALISED.replace(
            "default-features = false\n",
            "default-features = false\nregistry-index = \"https://evil.example/index\"\n",
        );
        assert_eq!(
            check_manifest(&toml(&elsewhere), &t, "crates/m", "m", "1.2.4").problems,
            ["[dependencies] serde: comes from the registry https://evil.example/index, the tag's \
              from the default registry"]
        );
        // The released version is 1.2.5: the archive of 1.2.4 is not it.
        let p = check_manifest(&toml(NORMALISED), &t, "crates/m", "m", "1.2.5").problems;
        assert_eq!(
            p,
            [
                "names the package m 1.2.4, not m 1.2.5",
                "the tag's m at crates/m/ is version 1.2.4, not 1.2.5"
            ]
        );
        // Another member's archive renamed: its manifest and directory are the other member's.
        let other = tag(
            "[package]\nname = \"other\"\nversion = \"1.2.4\"\n",
            Some(ROOT),
        );
        let renamed = NORMALISED.replace("name = \"m\"\nversion", "name = \"other\"\nversion");
        let p = check_manifest(&toml(&renamed), &other, "crates/other", "m", "1.2.4").problems;
        assert_eq!(p[0], "names the package other 1.2.4, not m 1.2.4");
        assert!(
            p[1].contains("the directory of other in the tag, not of m"),
            "{p:?}"
        );
    }

    #[test]
    fn build_and_lib_paths_are_the_tags() {
        let t = tag(MEMBER, Some(ROOT));
        let moved = NORMALISED
            .replace("build = false", "build = \"src/gen.rs\"")
            .replace("path = \"src/lib.rs\"", "path = \"src/other.rs\"");
        let c = check_manifest(&toml(&moved), &t, "crates/m", "m", "1.2.4");
        assert_eq!(
            c.problems,
            [
                "`build` is src/gen.rs, the tag's manifest names none (cargo's default is build.rs)",
                "`lib.path` is src/other.rs, the tag's is src/lib.rs (cargo's default)"
            ]
        );
        assert_eq!(c.target_paths.len(), 2);
    }

    #[test]
    fn a_lock_with_a_package_the_tag_has_not_is_named_and_members_are_the_commits() {
        let tagged = toml(
            r#"
version = 4
[[package]]
name = "app"
version = "0.2.0"
dependencies = ["itoa"]
[[package]]
name = "itoa"
version = "1.0.11"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aa"
"#,
        );
        let same = toml(
            r#"
version = 4
[[package]]
name = "app"
version = "0.2.0"
[[package]]
name = "itoa"
version = "1.0.11"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aa"
"#,
        );
        assert_eq!(check_lock(&same, &tagged), (vec![], 2));
        let gained = toml(
            r#"
[[package]]
name = "itoa"
version = "1.0.12"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bb"
[[package]]
name = "evil"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cc"
"#,
        );
        assert_eq!(
            check_lock(&gained, &tagged).0,
            [
                "has itoa 1.0.12, the tag's Cargo.lock has itoa 1.0.11",
                "has evil 0.1.0 (registry+https://github.com/rust-lang/crates.io-index), which \
                 the tag's Cargo.lock does not have"
            ]
        );
    }
}
