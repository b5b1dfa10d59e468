//! Step 12's comparison on real published crates (issue 24): the `.crate` files crates.io serves and
//! the real trees of their repositories at the commit `.cargo_vcs_info.json` names
//! (`tests/fixtures/published/SOURCE.md`). Symlinked licence files (thiserror-impl) and a symlinked
//! source directory (serde's `src/core → ../../serde_core/src`) are the tag's files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caro_hotfix::logic::published::{self, Difference};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published")
}

fn vendored_blob(id: &str) -> String {
    std::fs::read_to_string(fixtures().join("blobs").join(id))
        .unwrap_or_else(|e| panic!("the vendored blob {id}: {e}"))
}

/// The real crate unpacked, and the real tag as step 12 reads it: the tree, the target of every
/// link, then the manifests on the package's way up (vendored blobs, `SOURCE.md`).
fn real(
    crate_file: &str,
    ls_tree: &str,
    name: &str,
    version: &str,
    commit: &str,
) -> (published::Package, published::Tag) {
    let bytes = std::fs::read(fixtures().join(crate_file)).expect("vendored .crate");
    let package = published::unpack(&bytes, name, version).expect("unpack");
    let tree = published::parse_ls_tree(
        &std::fs::read_to_string(fixtures().join(ls_tree)).expect("vendored tree"),
    );
    let targets = tree
        .link_ids()
        .map(|id| (id.to_string(), vendored_blob(id)))
        .collect();
    let mut tag = published::Tag {
        commit: commit.to_string(),
        tree,
        targets,
        texts: BTreeMap::new(),
    };
    for (path, id) in tag.texts_wanted(&package) {
        tag.texts.insert(path, vendored_blob(&id));
    }
    (package, tag)
}

#[test]
fn thiserror_impl_1_0_69_with_symlinked_licences_is_its_tagged_source() {
    let commit = "41938bd3a03a70d34ed8e53d99c89c770c7c9c41";
    let (package, tag) = real(
        "thiserror-impl-1.0.69.crate",
        "thiserror-41938bd.ls-tree",
        "thiserror-impl",
        "1.0.69",
        commit,
    );
    // impl/Cargo.toml and the workspace root's (the thiserror package); neither commits a lock.
    assert_eq!(
        tag.texts.keys().collect::<Vec<_>>(),
        ["Cargo.toml", "impl/Cargo.toml"]
    );
    let verdict = published::compare(&package, &tag, "thiserror-impl", "1.0.69");
    assert_eq!(verdict.differences, []);
    assert_eq!(
        verdict.compared(),
        "15 files (2 through symlinks), manifest (3 dependencies)"
    );
    // Without following links, the two licence files would be "changed" (the link's text).
    let unresolved = published::Tag {
        targets: BTreeMap::new(),
        ..tag.clone()
    };
    let unresolved = published::compare(&package, &unresolved, "thiserror-impl", "1.0.69");
    assert_eq!(
        unresolved.differences.len(),
        2,
        "{:?}",
        unresolved.differences
    );
    // Another commit is still another commit.
    let other = published::Tag {
        commit: "0".repeat(40),
        ..tag.clone()
    };
    let other = published::compare(&package, &other, "thiserror-impl", "1.0.69");
    assert!(matches!(
        other.differences.as_slice(),
        [Difference::VcsInfo(_)]
    ));
    // thiserror-impl's archive is not thiserror's.
    let renamed = published::compare(&package, &tag, "thiserror", "1.0.69");
    assert_eq!(
        renamed
            .differences
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "Cargo.toml: names the package thiserror-impl 1.0.69, not thiserror 1.0.69",
            "Cargo.toml: `.cargo_vcs_info.json`'s path_in_vcs is impl/, the directory of \
             thiserror-impl in the tag, not of thiserror: this is another package's archive"
        ]
    );
}

#[test]
fn serde_1_0_228_with_a_symlinked_source_directory_is_its_tagged_source() {
    let commit = "a866b336f14aa57a07f0d0be9f8762746e64ecb4";
    let (package, tag) = real(
        "serde-1.0.228.crate",
        "serde-a866b33.ls-tree",
        "serde",
        "1.0.228",
        commit,
    );
    let verdict = published::compare(&package, &tag, "serde", "1.0.228");
    assert_eq!(verdict.differences, []);
    let through = package
        .files
        .keys()
        .filter(|p| p.starts_with("src/core/"))
        .count();
    assert!(through > 10, "serde/src/core/ holds serde_core's sources");
    // src/core/* (the directory link) and the four file links at the package's root.
    assert_eq!(verdict.through_links, through + 4);
    // serde_core and serde_derive; serde commits no Cargo.lock, but cargo packages one.
    assert!(
        verdict
            .compared()
            .ends_with("manifest (2 dependencies); Cargo.lock not checked: the tag commits none"),
        "{}",
        verdict.compared()
    );
    // One changed byte in a file reached through the directory link is named.
    let mut tampered = package;
    tampered
        .files
        .get_mut("src/core/de/mod.rs")
        .expect("packaged")
        .push(b'\n');
    let verdict = published::compare(&tampered, &tag, "serde", "1.0.228");
    assert_eq!(
        verdict.differences,
        [Difference::Changed("src/core/de/mod.rs".into())]
    );
}
