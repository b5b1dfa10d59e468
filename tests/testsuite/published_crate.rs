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

/// The real crate, the real tree and the link targets it needs.
fn real(crate_file: &str, ls_tree: &str) -> (Vec<u8>, published::Tree, BTreeMap<String, String>) {
    let bytes = std::fs::read(fixtures().join(crate_file)).expect("vendored .crate");
    let tree = published::parse_ls_tree(
        &std::fs::read_to_string(fixtures().join(ls_tree)).expect("vendored tree"),
    );
    let targets = tree
        .link_ids()
        .map(|id| {
            let text = std::fs::read_to_string(fixtures().join("blobs").join(id))
                .unwrap_or_else(|e| panic!("the vendored target of link blob {id}: {e}"));
            (id.to_string(), text)
        })
        .collect();
    (bytes, tree, targets)
}

#[test]
fn thiserror_impl_1_0_69_with_symlinked_licences_is_its_tagged_source() {
    let (bytes, tree, targets) = real("thiserror-impl-1.0.69.crate", "thiserror-41938bd.ls-tree");
    let package = published::unpack(&bytes, "thiserror-impl", "1.0.69").expect("unpack");
    let commit = "41938bd3a03a70d34ed8e53d99c89c770c7c9c41";
    let verdict = published::compare(&package, commit, &tree, &targets);
    assert_eq!(verdict.differences, []);
    assert_eq!(verdict.files_compared(), "15 files (2 through symlinks)");
    // Without following links, the two licence files would be "changed" (the link's text).
    let unresolved = published::compare(&package, commit, &tree, &BTreeMap::new());
    assert_eq!(
        unresolved.differences.len(),
        2,
        "{:?}",
        unresolved.differences
    );
    // Another commit is still another commit.
    let other = published::compare(&package, &"0".repeat(40), &tree, &targets);
    assert!(matches!(
        other.differences.as_slice(),
        [Difference::VcsInfo(_)]
    ));
}

#[test]
fn serde_1_0_228_with_a_symlinked_source_directory_is_its_tagged_source() {
    let (bytes, tree, targets) = real("serde-1.0.228.crate", "serde-a866b33.ls-tree");
    let package = published::unpack(&bytes, "serde", "1.0.228").expect("unpack");
    let commit = "a866b336f14aa57a07f0d0be9f8762746e64ecb4";
    let verdict = published::compare(&package, commit, &tree, &targets);
    assert_eq!(verdict.differences, []);
    let through = package
        .files
        .keys()
        .filter(|p| p.starts_with("src/core/"))
        .count();
    assert!(through > 10, "serde/src/core/ holds serde_core's sources");
    // src/core/* (the directory link) and the four file links at the package's root.
    assert_eq!(verdict.through_links, through + 4);
    // One changed byte in a file reached through the directory link is named.
    let mut tampered = package;
    tampered
        .files
        .get_mut("src/core/de/mod.rs")
        .expect("packaged")
        .push(b'\n');
    let verdict = published::compare(&tampered, commit, &tree, &targets);
    assert_eq!(
        verdict.differences,
        [Difference::Changed("src/core/de/mod.rs".into())]
    );
}
