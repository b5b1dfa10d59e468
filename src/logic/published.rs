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

/// What a comparison looked at, and every way the package differs from the tag.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub differences: Vec<Difference>,
    /// Packaged files compared.
    pub files: usize,
    /// Of them, found in the tag through a symlink.
    pub through_links: usize,
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
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Every way `package` differs from the tag whose commit is `commit` and whose tree is `tree`
/// (from [`parse_ls_tree`]); `targets` maps each link's blob id ([`Tree::link_ids`]) to its
/// target text. Each packaged path is looked up as a checkout of the tag gives it to `cargo
/// package`: through the links on its way.
pub fn compare(
    package: &Package,
    commit: &str,
    tree: &Tree,
    targets: &BTreeMap<String, String>,
) -> Verdict {
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
    let in_tag = |path: &str| {
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    let blobs: std::collections::BTreeSet<&str> =
        tree.entries.values().map(|e| e.id.as_str()).collect();
    let like = tree
        .entries
        .values()
        .next()
        .map(|e| e.id.as_str())
        .unwrap_or(commit);
    for (path, bytes) in &package.files {
        verdict.files += 1;
        let tag_path = match path.as_str() {
            ".cargo_vcs_info.json" | "Cargo.toml" | "Cargo.lock" => continue,
            "Cargo.toml.orig" => in_tag("Cargo.toml"),
            other => in_tag(other),
        };
        match tree.resolve(&tag_path, targets) {
            // cargo copies a `readme` or `license-file` from outside the package (`../README.md`)
            // to its root: the same bytes elsewhere in the tag are the tagged file.
            Err(Missing::Absent)
                if !path.contains('/') && blobs.contains(blob_id(bytes, like).as_str()) => {}
            Err(Missing::Absent) => verdict.differences.push(Difference::NotInTag(path.clone())),
            Err(why) => verdict
                .differences
                .push(Difference::Link(path.clone(), why)),
            Ok(found) => {
                if found.id != blob_id(bytes, &found.id) {
                    verdict.differences.push(Difference::Changed(path.clone()));
                } else if found.links > 0 {
                    verdict.through_links += 1;
                }
            }
        }
    }
    verdict
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

    fn none() -> BTreeMap<String, String> {
        BTreeMap::new()
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

    #[test]
    fn a_package_equal_to_the_tag_has_no_difference_and_one_changed_file_is_named() {
        let commit = "a".repeat(40);
        let vcs = format!(r#"{{"git":{{"sha1":"{commit}"}},"path_in_vcs":"crates/m"}}"#);
        let files: [(&str, &[u8]); 5] = [
            ("m-1.0.0/.cargo_vcs_info.json", vcs.as_bytes()),
            ("m-1.0.0/Cargo.toml", b"normalised"),
            ("m-1.0.0/Cargo.toml.orig", b"[package]\n"),
            ("m-1.0.0/Cargo.lock", b"generated"),
            ("m-1.0.0/src/lib.rs", b"fn a() {}\n"),
        ];
        let package = unpack(&crate_file(&files), "m", "1.0.0").expect("unpack");
        let line = |p: &str, data: &[u8]| format!("100644 blob {}\t{p}\n", blob_id(data, &commit));
        let tree = parse_ls_tree(
            &(line("crates/m/Cargo.toml", b"[package]\n")
                + &line("crates/m/src/lib.rs", b"fn a() {}\n")
                + &line("README.md", b"other")),
        );
        assert_eq!(compare(&package, &commit, &tree, &none()).differences, []);

        // A readme copied from the workspace root (`readme = "../../README.md"`) is the tag's file.
        let with_readme: [(&str, &[u8]); 2] = [
            ("m-1.0.0/.cargo_vcs_info.json", vcs.as_bytes()),
            ("m-1.0.0/README.md", b"other"),
        ];
        let readme = unpack(&crate_file(&with_readme), "m", "1.0.0").expect("unpack");
        assert_eq!(compare(&readme, &commit, &tree, &none()).differences, []);

        let tree = parse_ls_tree(
            &(line("crates/m/Cargo.toml", b"[package]\n")
                + &line("crates/m/src/lib.rs", b"fn a() { evil() }\n")),
        );
        assert_eq!(
            compare(&package, &"b".repeat(40), &tree, &none()).differences,
            [
                Difference::VcsInfo(format!(
                    "names commit {commit}, not the tagged commit {}",
                    "b".repeat(40)
                )),
                Difference::Changed("src/lib.rs".into()),
            ]
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
            "c",
            &Tree::default(),
            &none(),
        )
        .differences;
        assert_eq!(
            e,
            [
                Difference::VcsInfo(
                    "missing: the crate was not packaged from a git checkout".into()
                ),
                Difference::NotInTag("src/lib.rs".into())
            ]
        );
    }
}
