//! Is the published crate the tagged source? The `.crate` archive (bytes already downloaded) is
//! checked against the index's checksum, unpacked in memory, and compared with the tag's tree (the
//! blob ids `git ls-tree -r` lists), without any I/O here.
//!
//! What must hold, file by file:
//!
//! - `.cargo_vcs_info.json` names the tagged commit (`git.sha1`); its `path_in_vcs` says where the
//!   package lives in the repository (a workspace member's directory).
//! - `Cargo.toml.orig` is the tag's `Cargo.toml` (the manifest as written; cargo normalises the
//!   packaged `Cargo.toml`, which is therefore exempt, as is the `Cargo.lock` cargo generates).
//! - Every other packaged file is the tag's file of the same path, byte for byte: its git blob id
//!   (SHA-1 of `blob <len>\0<bytes>`, or SHA-256 in a SHA-256 repository) equals the tag's.
//!
//! Files of the tag that the package leaves out (cargo's `include`/`exclude`) are not a difference.
//! A file at the package's root that is not at that path in the tag matches when the tag has the
//! same bytes elsewhere: cargo copies a `readme` or `license-file` from outside the package there.

use std::collections::BTreeMap;
use std::io::Read;

use sha1::Digest;

pub mod manifest;
pub mod tree;

pub use tree::{Missing, Tree};

/// An unpacked `.crate`: each file's path inside the package (without the `name-version/` top
/// directory) and its bytes.
#[derive(Debug, Default)]
pub struct Package {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// One way the published crate differs from the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file's bytes differ from the tag's file.
    Changed(String),
    /// The package has a file the tag does not have.
    NotInTag(String),
    /// `.cargo_vcs_info.json` is missing, unreadable, or names another commit.
    VcsInfo(String),
    /// `.cargo_vcs_info.json` says `"dirty": true`.
    Dirty,
    /// The tag has the path only through a link that leaves the repository, dangles or loops.
    Link(String, Missing),
    /// The normalised `Cargo.toml` says something the tag's manifest does not.
    Manifest(String),
    /// The packaged `Cargo.lock` has a package the tag's does not.
    Lock(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Changed(p) => write!(f, "{p}: differs from the tag's file"),
            Difference::NotInTag(p) => write!(f, "{p}: not in the tag"),
            Difference::VcsInfo(why) => write!(f, ".cargo_vcs_info.json: {why}"),
            Difference::Dirty => write!(
                f,
                ".cargo_vcs_info.json: says `\"dirty\": true`: the crate was packaged from a work \
                 tree with uncommitted changes (`cargo publish --allow-dirty`). Check the publishing \
                 job for a step that writes or generates files before `cargo publish`, or a publish \
                 by hand from a work tree with changes"
            ),
            Difference::Link(p, Missing::Leaves(link, target)) => write!(
                f,
                "{p}: the tag's symlink {link} → {target} leaves the repository"
            ),
            Difference::Link(p, Missing::Dangles(link, target)) => write!(
                f,
                "{p}: the tag's symlink {link} → {target} leads to no file of the tag"
            ),
            Difference::Link(p, Missing::TooDeep(link)) => write!(
                f,
                "{p}: the tag's symlink {link} loops (more than {} links)",
                tree::MAX_LINKS
            ),
            Difference::Link(p, Missing::Submodule(sub)) => write!(
                f,
                "{p}: in the tag it is inside the submodule {sub}, not a file of the tag"
            ),
            Difference::Link(p, Missing::Unread(link)) => {
                write!(f, "{p}: the tag's symlink {link} was not read")
            }
            Difference::Link(p, Missing::Absent) => write!(f, "{p}: not in the tag"),
            Difference::Manifest(why) => write!(f, "Cargo.toml: {why}"),
            Difference::Lock(why) => write!(f, "Cargo.lock: {why}"),
        }
    }
}

/// The sha256 of `bytes`, lowercase hex (the index's `cksum`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Unpacks a `.crate` (a gzip-compressed tar whose entries are under `name-version/`).
pub fn unpack(bytes: &[u8], name: &str, version: &str) -> Result<Package, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        let start =
            String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).replace(['\n', '\r'], " ");
        return Err(format!(
            "the download is not a gzip-compressed tarball (a .crate file); it starts with {start:?}"
        ));
    }
    let top = format!("{name}-{version}/");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let entries = archive
        .entries()
        .map_err(|e| format!("the .crate file is not a readable tarball: {e}"))?;
    let mut package = Package::default();
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("the .crate file is damaged: {e}"))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        let path = entry
            .path()
            .map_err(|e| format!("the .crate file has an unreadable path: {e}"))?
            .to_string_lossy()
            .replace('\\', "/");
        let Some(inside) = path.strip_prefix(&top) else {
            return Err(format!(
                "the .crate file has `{path}`, outside its `{top}` directory: it is not {name} {version}"
            ));
        };
        if inside.split('/').any(|part| part == "..") {
            return Err(format!(
                "the .crate file has a path that climbs out: `{path}`"
            ));
        }
        if !kind.is_file() {
            // Cargo packages regular files only; anything else is reported as it is.
            package
                .files
                .insert(inside.to_string(), format!("<{kind:?}>").into_bytes());
            continue;
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| format!("the .crate file is damaged at `{path}`: {e}"))?;
        package.files.insert(inside.to_string(), data);
    }
    if package.files.is_empty() {
        return Err("the .crate file holds no files".into());
    }
    Ok(package)
}

/// The tag's tree as `git ls-tree -r --full-tree <tag>` prints it (files, links, submodules).
pub fn parse_ls_tree(text: &str) -> Tree {
    Tree::parse(text)
}

/// The git blob id of `bytes` in a repository whose ids look like `like` (40 hex: SHA-1, 64: SHA-256).
pub fn blob_id(bytes: &[u8], like: &str) -> String {
    let header = format!("blob {}\0", bytes.len());
    if like.len() == 64 {
        let mut h = sha2::Sha256::new();
        h.update(header.as_bytes());
        h.update(bytes);
        hex(&h.finalize())
    } else {
        let mut h = sha1::Sha1::new();
        h.update(header.as_bytes());
        h.update(bytes);
        hex(&h.finalize())
    }
}

/// What `.cargo_vcs_info.json` names: the commit, the package's directory, and whether the work
/// tree was dirty.
fn vcs_info(package: &Package) -> Result<(String, String, bool), String> {
    let Some(bytes) = package.files.get(".cargo_vcs_info.json") else {
        return Err("missing: the crate was not packaged from a git checkout".into());
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
    let sha1 = value
        .pointer("/git/sha1")
        .and_then(|v| v.as_str())
        .ok_or("names no commit (`git.sha1`)")?;
    let dir = value
        .get("path_in_vcs")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .trim_matches('/');
    let dirty = value
        .pointer("/git/dirty")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    Ok((sha1.to_string(), dir.to_string(), dirty))
}

/// The tag as the comparison needs it: the commit, its tree, the target text of each link
/// ([`Tree::link_ids`]), and the text of the manifests and lock files [`Tag::texts_wanted`] lists.
#[derive(Debug, Clone, Default)]
pub struct Tag {
    pub commit: String,
    pub tree: Tree,
    /// A link's blob id → its target text.
    pub targets: BTreeMap<String, String>,
    /// A path in the tag → its text.
    pub texts: BTreeMap<String, String>,
}

impl Tag {
    /// The `Cargo.toml` and `Cargo.lock` files the comparison of `package` reads: (path in the tag,
    /// blob id), in the package's directory and every one above it (the workspace root is the
    /// nearest whose manifest has `[workspace]`). Read them after the link targets.
    pub fn texts_wanted(&self, package: &Package) -> Vec<(String, String)> {
        let dir = vcs_info(package).map(|v| v.1).unwrap_or_default();
        let mut parts: Vec<String> = tree::normalise(&[], &dir).unwrap_or_default();
        let mut out = Vec::new();
        loop {
            for file in ["Cargo.toml", "Cargo.lock"] {
                let path = join(&parts.join("/"), file);
                if let Ok(found) = self.tree.resolve(&path, &self.targets) {
                    out.push((path, found.id));
                }
            }
            if parts.pop().is_none() {
                return out;
            }
        }
    }
}

fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    }
}

/// What became of the packaged `Cargo.lock`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum LockCheck {
    /// The package has none.
    #[default]
    NotPackaged,
    /// The tag commits none: nothing to compare it with.
    TagHasNone,
    /// Compared, this many packages.
    Packages(usize),
}

/// What a comparison looked at, and every way the package differs from the tag.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub differences: Vec<Difference>,
    /// Packaged files compared.
    pub files: usize,
    /// Of them, found in the tag through a symlink.
    pub through_links: usize,
    /// Dependencies of the normalised manifest checked against the tag's (`None`: not checked).
    pub dependencies: Option<usize>,
    pub lock: LockCheck,
}

impl Verdict {
    /// "91 files (3 through symlinks)".
    pub fn files_compared(&self) -> String {
        let files = plural(self.files, "file");
        match self.through_links {
            0 => files,
            n => format!(
                "{files} ({n} through symlink{})",
                if n == 1 { "" } else { "s" }
            ),
        }
    }

    /// "91 files (3 through symlinks), manifest (12 dependencies), Cargo.lock (62 packages)", and
    /// when the tag commits no lock, "…; Cargo.lock not checked: the tag commits none".
    pub fn compared(&self) -> String {
        let mut out = self.files_compared();
        if let Some(n) = self.dependencies {
            out += &format!(
                ", manifest ({n} {})",
                if n == 1 { "dependency" } else { "dependencies" }
            );
        }
        match self.lock {
            LockCheck::NotPackaged => {}
            LockCheck::TagHasNone => out += "; Cargo.lock not checked: the tag commits none",
            LockCheck::Packages(n) => out += &format!(", Cargo.lock ({})", plural(n, "package")),
        }
        out
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Every way `package`, published as `name` `version`, differs from `tag`. Each packaged path is
/// looked up as a checkout of the tag gives it to `cargo package`: through the links on its way;
/// the normalised `Cargo.toml` and the `Cargo.lock` are checked for what they mean
/// ([`manifest`]).
pub fn compare(package: &Package, tag: &Tag, name: &str, version: &str) -> Verdict {
    let commit = tag.commit.as_str();
    let tree = &tag.tree;
    let targets = &tag.targets;
    let mut verdict = Verdict::default();
    let dir = match vcs_info(package) {
        Ok((sha1, dir, dirty)) => {
            if sha1 != commit {
                verdict.differences.push(Difference::VcsInfo(format!(
                    "names commit {sha1}, not the tagged commit {commit}"
                )));
            }
            if dirty {
                verdict.differences.push(Difference::Dirty);
            }
            dir
        }
        Err(why) => {
            verdict.differences.push(Difference::VcsInfo(why));
            String::new()
        }
    };
    let in_tag = |path: &str| join(&dir, path);
    let (manifests, copied, target_paths) =
        check_manifests(package, tag, &dir, name, version, &mut verdict);
    let mut unmatched = std::collections::BTreeSet::new();
    for (path, bytes) in &package.files {
        verdict.files += 1;
        let tag_path = match path.as_str() {
            ".cargo_vcs_info.json" | "Cargo.toml" | "Cargo.lock" => continue,
            "Cargo.toml.orig" => in_tag("Cargo.toml"),
            other => in_tag(other),
        };
        let found = match tree.resolve(&tag_path, targets) {
            // cargo copies the manifest's `readme` or `license-file` from outside the package
            // (`../README.md`) to its root: it is compared with that file of the tag.
            Err(Missing::Absent) if copied.contains_key(path) => {
                tree.resolve(&copied[path], targets)
            }
            other => other,
        };
        match found {
            Err(Missing::Absent) => {
                unmatched.insert(path.as_str());
                verdict.differences.push(Difference::NotInTag(path.clone()))
            }
            Err(why) => {
                unmatched.insert(path.as_str());
                verdict
                    .differences
                    .push(Difference::Link(path.clone(), why))
            }
            Ok(found) => {
                if found.id != blob_id(bytes, &found.id) {
                    unmatched.insert(path.as_str());
                    verdict.differences.push(Difference::Changed(path.clone()));
                } else if found.links > 0 {
                    verdict.through_links += 1;
                }
            }
        }
    }
    if manifests {
        for (what, path) in target_paths {
            let packaged = tree::normalise(&[], &path).map(|p| p.join("/"));
            match packaged {
                Some(p) if package.files.contains_key(&p) || unmatched.contains(p.as_str()) => {}
                _ => verdict.differences.push(Difference::Manifest(format!(
                    "{what} names {path}, which is not packaged"
                ))),
            }
        }
    }
    verdict
}

/// The normalised manifest and the lock file: whether the manifests could be read, the files
/// copied from outside the package, and the target paths the normalised manifest names.
fn check_manifests(
    package: &Package,
    tag: &Tag,
    dir: &str,
    name: &str,
    version: &str,
    verdict: &mut Verdict,
) -> (bool, BTreeMap<String, String>, Vec<(String, String)>) {
    let none = (false, BTreeMap::new(), Vec::new());
    let at = |path: &str| join(dir, path);
    let read = |path: &str| -> Result<serde_json::Value, String> {
        let text = tag
            .texts
            .get(path)
            .ok_or_else(|| format!("the tag's {path} was not read"))?;
        manifest::parse(text).map_err(|e| format!("the tag's {path} is {e}"))
    };
    let member = match tag.tree.resolve(&at("Cargo.toml"), &tag.targets) {
        Ok(_) => read(&at("Cargo.toml")),
        Err(_) => Err(format!(
            "the tag has no {} (the package's directory, as `.cargo_vcs_info.json`'s path_in_vcs \
             says)",
            at("Cargo.toml")
        )),
    };
    let member = match member {
        Ok(m) => m,
        Err(why) => {
            verdict.differences.push(Difference::Manifest(why));
            return none;
        }
    };
    // The workspace root: the nearest manifest at or above the package with `[workspace]`.
    let mut parts: Vec<String> = tree::normalise(&[], dir).unwrap_or_default();
    let mut root = None;
    loop {
        let d = parts.join("/");
        let path = join(&d, "Cargo.toml");
        if let Some(doc) = tag.texts.get(&path).and_then(|t| manifest::parse(t).ok()) {
            if doc.get("workspace").is_some() {
                root = Some((d, doc));
                break;
            }
        }
        if parts.pop().is_none() {
            break;
        }
    }
    let lock_dir = root
        .as_ref()
        .map(|(d, _)| d.clone())
        .unwrap_or_else(|| dir.to_string());
    let manifests = manifest::TagManifests { member, root };
    let copied = manifest::copied_files(&manifests, dir);
    let packaged = match package
        .files
        .get("Cargo.toml")
        .map(|b| manifest::parse(&String::from_utf8_lossy(b)))
    {
        Some(Ok(doc)) => doc,
        Some(Err(why)) => {
            verdict.differences.push(Difference::Manifest(why));
            return (false, copied, Vec::new());
        }
        None => {
            verdict
                .differences
                .push(Difference::Manifest("missing from the package".into()));
            return (false, copied, Vec::new());
        }
    };
    let check = manifest::check_manifest(&packaged, &manifests, dir, name, version);
    verdict.dependencies = Some(check.dependencies);
    verdict
        .differences
        .extend(check.problems.into_iter().map(Difference::Manifest));
    if let Some(bytes) = package.files.get("Cargo.lock") {
        let lock = join(&lock_dir, "Cargo.lock");
        if tag.tree.resolve(&lock, &tag.targets).is_err() {
            verdict.lock = LockCheck::TagHasNone;
        } else {
            match (
                manifest::parse(&String::from_utf8_lossy(bytes)),
                read(&lock),
            ) {
                (Ok(shipped), Ok(tagged)) => {
                    let (problems, n) = manifest::check_lock(&shipped, &tagged);
                    verdict.lock = LockCheck::Packages(n);
                    verdict
                        .differences
                        .extend(problems.into_iter().map(Difference::Lock));
                }
                (Err(why), _) | (_, Err(why)) => verdict.differences.push(Difference::Lock(why)),
            }
        }
    }
    (true, copied, check.target_paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_file(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        ));
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, path, *data)
                .expect("append");
        }
        builder.into_inner().expect("tar").finish().expect("gzip")
    }

    /// The tag whose tree is `files` (path, bytes), every text read as step 12 reads it.
    fn tag(commit: &str, files: &[(&str, &[u8])]) -> Tag {
        let line = |p: &str, data: &[u8]| format!("100644 blob {}\t{p}\n", blob_id(data, commit));
        let tree = parse_ls_tree(&files.iter().map(|(p, d)| line(p, d)).collect::<String>());
        let texts = files
            .iter()
            .filter(|(p, _)| p.ends_with("Cargo.toml") || p.ends_with("Cargo.lock"))
            .map(|(p, d)| (p.to_string(), String::from_utf8_lossy(d).into_owned()))
            .collect();
        Tag {
            commit: commit.to_string(),
            tree,
            targets: BTreeMap::new(),
            texts,
        }
    }

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n", &"0".repeat(40)),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        // The empty blob of a SHA-256 repository.
        assert_eq!(
            blob_id(b"", &"0".repeat(64)),
            "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    const MEMBER: &[u8] =
        b"[package]\nname = \"m\"\nversion = \"1.0.0\"\nreadme = \"../../README.md\"\n";
    const NORMALISED: &[u8] =
        b"[package]\nname = \"m\"\nversion = \"1.0.0\"\nreadme = \"README.md\"\n[lib]\npath = \"src/lib.rs\"\n";

    #[test]
    fn a_package_equal_to_the_tag_has_no_difference_and_one_changed_file_is_named() {
        let commit = "a".repeat(40);
        let vcs = format!(r#"{{"git":{{"sha1":"{commit}"}},"path_in_vcs":"crates/m"}}"#);
        let files: [(&str, &[u8]); 6] = [
            ("m-1.0.0/.cargo_vcs_info.json", vcs.as_bytes()),
            ("m-1.0.0/Cargo.toml", NORMALISED),
            ("m-1.0.0/Cargo.toml.orig", MEMBER),
            ("m-1.0.0/Cargo.lock", b"version = 4\n"),
            ("m-1.0.0/src/lib.rs", b"fn a() {}\n"),
            // The readme copied from the workspace root (`readme = "../../README.md"`).
            ("m-1.0.0/README.md", b"read me"),
        ];
        let package = unpack(&crate_file(&files), "m", "1.0.0").expect("unpack");
        let tagged: [(&str, &[u8]); 4] = [
            ("crates/m/Cargo.toml", MEMBER),
            ("crates/m/src/lib.rs", b"fn a() {}\n"),
            ("README.md", b"read me"),
            ("crates/other/NOTES.md", b"notes"),
        ];
        let verdict = compare(&package, &tag(&commit, &tagged), "m", "1.0.0");
        assert_eq!(verdict.differences, []);
        assert_eq!(
            verdict.compared(),
            "6 files, manifest (0 dependencies); Cargo.lock not checked: the tag commits none"
        );

        // A root file in no commit whose bytes are some other file of the tag is not the tag's:
        // only the manifest's readme and license-file are copied from outside.
        let mut notes = unpack(&crate_file(&files), "m", "1.0.0").expect("unpack");
        notes.files.insert("NOTES.md".into(), b"notes".to_vec());
        assert_eq!(
            compare(&notes, &tag(&commit, &tagged), "m", "1.0.0").differences,
            [Difference::NotInTag("NOTES.md".into())]
        );
        // The readme's bytes are compared with the readme's path, not with any blob.
        let mut readme = unpack(&crate_file(&files), "m", "1.0.0").expect("unpack");
        readme.files.insert("README.md".into(), b"notes".to_vec());
        assert_eq!(
            compare(&readme, &tag(&commit, &tagged), "m", "1.0.0").differences,
            [Difference::Changed("README.md".into())]
        );

        let changed: [(&str, &[u8]); 3] = [
            ("crates/m/Cargo.toml", MEMBER),
            ("crates/m/src/lib.rs", b"fn a() { evil() }\n"),
            ("README.md", b"read me"),
        ];
        assert_eq!(
            compare(&package, &tag(&"b".repeat(40), &changed), "m", "1.0.0").differences,
            [
                Difference::VcsInfo(format!(
                    "names commit {commit}, not the tagged commit {}",
                    "b".repeat(40)
                )),
                Difference::Changed("src/lib.rs".into()),
            ]
        );
        // The lib.path of the normalised manifest must be a packaged file.
        let mut nolib = unpack(&crate_file(&files), "m", "1.0.0").expect("unpack");
        nolib.files.remove("src/lib.rs");
        assert_eq!(
            compare(&nolib, &tag(&commit, &tagged), "m", "1.0.0").differences,
            [Difference::Manifest(
                "lib.path names src/lib.rs, which is not packaged".into()
            )]
        );
    }

    #[test]
    fn a_committed_lock_is_compared_and_a_gained_package_named() {
        let commit = "c".repeat(40);
        let vcs = format!(r#"{{"git":{{"sha1":"{commit}"}},"path_in_vcs":""}}"#);
        let lock = b"version = 4\n[[package]]\nname = \"m\"\nversion = \"1.0.0\"\n";
        let evil = b"version = 4\n[[package]]\nname = \"m\"\nversion = \"1.0.0\"\n[[package]]\nname = \"evil\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let manifest = b"[package]\nname = \"m\"\nversion = \"1.0.0\"\n";
        let tagged: [(&str, &[u8]); 3] = [
            ("Cargo.toml", manifest),
            ("Cargo.lock", lock),
            ("src/main.rs", b"fn main() {}\n"),
        ];
        let packaged = |lock: &[u8]| {
            let files: [(&str, &[u8]); 5] = [
                ("m-1.0.0/.cargo_vcs_info.json", vcs.as_bytes()),
                ("m-1.0.0/Cargo.toml", manifest),
                ("m-1.0.0/Cargo.toml.orig", manifest),
                ("m-1.0.0/Cargo.lock", lock),
                ("m-1.0.0/src/main.rs", b"fn main() {}\n"),
            ];
            unpack(&crate_file(&files), "m", "1.0.0").expect("unpack")
        };
        let verdict = compare(&packaged(lock), &tag(&commit, &tagged), "m", "1.0.0");
        assert_eq!(verdict.differences, []);
        assert_eq!(verdict.lock, LockCheck::Packages(1));
        let verdict = compare(&packaged(evil), &tag(&commit, &tagged), "m", "1.0.0");
        assert_eq!(verdict.differences.len(), 1, "{:?}", verdict.differences);
        assert_eq!(
            verdict.differences[0].to_string(),
            "Cargo.lock: has evil 1.0.0 (registry+https://github.com/rust-lang/crates.io-index), \
             which the tag's Cargo.lock does not have"
        );
    }

    #[test]
    fn bad_archives_are_named() {
        let e = unpack(b"<html>Not Found</html>", "m", "1.0.0").expect_err("html");
        assert!(e.contains("not a gzip-compressed tarball"), "{e}");
        assert!(e.contains("<html>Not Found"), "{e}");
        let e = unpack(&[0x1f, 0x8b, 0, 1, 2], "m", "1.0.0").expect_err("truncated");
        assert!(e.contains(".crate file"), "{e}");
        let other = crate_file(&[("x-9.9.9/src/lib.rs", b"")]);
        let e = unpack(&other, "m", "1.0.0").expect_err("other crate");
        assert!(e.contains("outside its `m-1.0.0/` directory"), "{e}");
        let e = compare(
            &unpack(&crate_file(&[("m-1.0.0/src/lib.rs", b"")]), "m", "1.0.0").expect("unpack"),
            &Tag::default(),
            "m",
            "1.0.0",
        )
        .differences;
        assert_eq!(
            e,
            [
                Difference::VcsInfo(
                    "missing: the crate was not packaged from a git checkout".into()
                ),
                Difference::Manifest(
                    "the tag has no Cargo.toml (the package's directory, as \
                     `.cargo_vcs_info.json`'s path_in_vcs says)"
                        .into()
                ),
                Difference::NotInTag("src/lib.rs".into())
            ]
        );
    }
}
