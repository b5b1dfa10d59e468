//! Step 12's comparison on archives the real `cargo package` makes (issue 24), in the shapes real
//! workspaces have: a member whose LICENSE-MIT is a symlink to the root's, a member whose `src` is
//! a symlinked directory, `readme = "../README.md"` and an inherited readme, `version.workspace =
//! true`, a binary with a registry dependency and a committed Cargo.lock, a member with `include`.
//! Each archive is its tag; each tampering a compromised pipeline could make (the checksum
//! recomputed: the archive is changed in memory) is named. The workspace is built and packaged
//! once for the whole module (`cargo package --workspace --offline`, one cargo run).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use caro_hotfix::logic::published::{self, Package};
use caro_hotfix::ops::git::Git;
use caro_hotfix::runner::Runner;
use caro_hotfix::ui::Ui;

const VERSION: &str = "0.3.1";

struct Fixture {
    repo: PathBuf,
    commit: String,
    /// member → its `.crate`.
    crates: BTreeMap<String, Vec<u8>>,
    /// `lic` packaged from a work tree with a changed file (`--allow-dirty`).
    dirty: Vec<u8>,
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap_or_else(|e| panic!("{program} could not be started (is it installed?): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn link(root: &Path, path: &str, target: &str) {
    std::os::unix::fs::symlink(target, root.join(path)).expect("symlink");
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("caro-hotfix-test-packaged-")
            .tempdir()
            .expect("tempdir")
            .keep();
        let repo = dir.join("repo");
        write(
            &repo,
            "Cargo.toml",
            &format!(
                "[workspace]\nmembers = [\"lic\", \"linked\", \"app\", \"incl\"]\nresolver = \"2\"\n\n\
                 [workspace.package]\nversion = \"{VERSION}\"\nedition = \"2021\"\n\
                 license = \"MIT\"\nreadme = \"README.md\"\n\n\
                 [workspace.dependencies]\nitoa = {{ version = \"1\", default-features = false }}\n"
            ),
        );
        write(&repo, "README.md", "# The workspace\n");
        write(&repo, "LICENSE-MIT", "MIT License\n\nCopyright (c) the authors\n");
        write(&repo, ".gitignore", "/target\n");
        // lic: its licence a symlink to the root's, its readme the root's (`../README.md`).
        write(
            &repo,
            "lic/Cargo.toml",
            "[package]\nname = \"lic\"\nversion.workspace = true\nedition.workspace = true\n\
             license.workspace = true\ndescription = \"links its licence\"\nreadme = \"../README.md\"\n",
        );
        write(&repo, "lic/src/lib.rs", "pub fn lic() -> u8 {\n    1\n}\n");
        link(&repo, "lic/LICENSE-MIT", "../LICENSE-MIT");
        // linked: `src` is a symlinked directory (serde's `src/core → ../../serde_core/src`).
        write(
            &repo,
            "linked/Cargo.toml",
            "[package]\nname = \"linked\"\nversion.workspace = true\nedition.workspace = true\n\
             license.workspace = true\ndescription = \"a linked source directory\"\n",
        );
        write(&repo, "shared/src/lib.rs", "pub mod inner;\n");
        write(&repo, "shared/src/inner.rs", "pub fn inner() -> u8 {\n    2\n}\n");
        link(&repo, "linked/src", "../shared/src");
        // app: a binary with a registry dependency (inherited) and the committed workspace lock.
        write(
            &repo,
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion.workspace = true\nedition.workspace = true\n\
             license.workspace = true\ndescription = \"a binary\"\n\n\
             [[bin]]\nname = \"app\"\npath = \"src/main.rs\"\n\n\
             [dependencies]\nitoa.workspace = true\n\n\
             [target.'cfg(unix)'.dev-dependencies]\nitoa = \"1\"\n",
        );
        write(
            &repo,
            "app/src/main.rs",
            "fn main() {\n    println!(\"{}\", itoa::Buffer::new().format(1));\n}\n",
        );
        // incl: `include`, an inherited readme, and a file left out of the package.
        write(
            &repo,
            "incl/Cargo.toml",
            "[package]\nname = \"incl\"\nversion.workspace = true\nedition.workspace = true\n\
             license.workspace = true\nreadme.workspace = true\ndescription = \"include\"\n\
             include = [\"src/**/*.rs\", \"Cargo.toml\"]\n",
        );
        write(&repo, "incl/src/lib.rs", "pub fn incl() {}\n");
        write(&repo, "incl/notes.txt", "not packaged\n");
        run(&repo, "cargo", &["generate-lockfile", "--offline"]);
        run(&repo, "git", &["init", "-q", "-b", "main"]);
        run(&repo, "git", &["add", "-A"]);
        run(
            &repo,
            "git",
            &["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "v0.3.1"],
        );
        let commit = run(&repo, "git", &["rev-parse", "HEAD"]);
        run(
            &repo,
            "cargo",
            &["package", "--workspace", "--no-verify", "--offline"],
        );
        let crates = ["lic", "linked", "app", "incl"]
            .into_iter()
            .map(|m| {
                let path = repo.join(format!("target/package/{m}-{VERSION}.crate"));
                let bytes = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (m.to_string(), bytes)
            })
            .collect();
        write(&repo, "lic/src/lib.rs", "pub fn lic() -> u8 {\n    3\n}\n");
        run(
            &repo,
            "cargo",
            &["package", "-p", "lic", "--no-verify", "--offline", "--allow-dirty"],
        );
        let dirty = std::fs::read(repo.join(format!("target/package/lic-{VERSION}.crate")))
            .expect("the dirty .crate");
        run(&repo, "git", &["checkout", "-q", "--", "lic/src/lib.rs"]);
        Fixture {
            repo,
            commit,
            crates,
            dirty,
        }
    })
}

/// The `.crate` with its top directory `from-VERSION/` renamed `to-VERSION/` (and so its file
/// name), nothing else changed: what a pipeline that ships another member under our name uploads.
fn renamed(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::Read;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    let (old, new) = (format!("{from}-{VERSION}/"), format!("{to}-{VERSION}/"));
    for entry in archive.entries().expect("a tarball") {
        let mut entry = entry.expect("an entry");
        let path = entry.path().expect("a path").to_string_lossy().into_owned();
        let path = path.replacen(&old, &new, 1);
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        let mut header = entry.header().clone();
        builder
            .append_data(&mut header, path, data.as_slice())
            .expect("append");
    }
    builder.into_inner().expect("tar").finish().expect("gzip")
}

fn unpack(bytes: &[u8], member: &str) -> Package {
    published::unpack(bytes, member, VERSION).expect("unpack")
}

/// Step 12's comparison (the tag read with the same code): every difference, as said.
fn verdict(package: &Package, name: &str, commit: &str) -> published::Verdict {
    let fx = fixture();
    let (ui, _transcript) = Ui::capture();
    let mut runner = Runner::new(ui, false);
    let tag = Git::new(&mut runner, &fx.repo)
        .published_tag(commit, package)
        .expect("git reads the tag");
    published::compare(package, &tag, name, VERSION)
}

fn said(v: &published::Verdict) -> Vec<String> {
    v.differences.iter().map(ToString::to_string).collect()
}

#[test]
fn each_shape_packaged_by_real_cargo_is_its_tagged_source() {
    let fx = fixture();
    let mut seen = BTreeMap::new();
    for (member, bytes) in &fx.crates {
        let package = unpack(bytes, member);
        let v = verdict(&package, member, &fx.commit);
        assert_eq!(said(&v), Vec::<String>::new(), "{member}");
        seen.insert(member.as_str(), v.compared());
    }
    let lock = seen["app"]
        .split("Cargo.lock (")
        .nth(1)
        .unwrap_or_else(|| panic!("app's lock compared: {}", seen["app"]));
    assert_eq!(lock, "2 packages)", "app and itoa");
    assert!(
        seen["app"].contains("manifest (2 dependencies)"),
        "{}",
        seen["app"]
    );
    assert!(
        seen["lic"].contains("(1 through symlink)"),
        "{}",
        seen["lic"]
    );
    assert!(
        seen["linked"].contains("(2 through symlinks)"),
        "{}",
        seen["linked"]
    );
    let incl = unpack(&fx.crates["incl"], "incl");
    assert!(!incl.files.contains_key("notes.txt"), "left out by include");
    assert!(incl.files.contains_key("README.md"), "the inherited readme");
}

#[test]
fn each_tampering_of_a_real_archive_stops_naming_the_file() {
    let fx = fixture();
    let app = || unpack(&fx.crates["app"], "app");
    let lic = || unpack(&fx.crates["lic"], "lic");
    let append = |mut p: Package, file: &str, text: &str| {
        let mut bytes = p.files.remove(file).expect("packaged");
        bytes.extend_from_slice(text.as_bytes());
        p.files.insert(file.to_string(), bytes);
        p
    };
    let gained_dependency = append(
        app(),
        "Cargo.toml",
        "\n[dependencies.evil]\nversion = \"1\"\n",
    );
    let gained_package = append(
        app(),
        "Cargo.lock",
        "\n[[package]]\nname = \"evil\"\nversion = \"1.0.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let changed_byte = append(lic(), "src/lib.rs", "\n");
    let mut extra = lic();
    extra
        .files
        .insert("src/extra.rs".into(), b"pub fn extra() {}\n".to_vec());
    // A root file in no commit whose bytes are another file of the tag.
    let mut lookalike = lic();
    let inner = std::fs::read(fx.repo.join("shared/src/inner.rs")).expect("read");
    lookalike.files.insert("NOTES.md".into(), inner);
    let cases: Vec<(&str, Package, &str, &str)> =
        vec![
        (
            "the normalised manifest gains a dependency",
            gained_dependency,
            "app",
            "Cargo.toml: [dependencies] has evil, which the tag's manifest does not have",
        ),
        (
            "Cargo.lock gains a package",
            gained_package,
            "app",
            "Cargo.lock: has evil 1.0.0 (registry+https://github.com/rust-lang/crates.io-index), \
             which the tag's Cargo.lock does not have",
        ),
        (
            "another member's archive renamed",
            unpack(&renamed(&fx.crates["lic"], "lic", "linked"), "linked"),
            "linked",
            "Cargo.toml: names the package lic 0.3.1, not linked 0.3.1",
        ),
        (
            "a root file in no commit with another file's bytes",
            lookalike,
            "lic",
            "NOTES.md: not in the tag",
        ),
        (
            "a changed byte",
            changed_byte,
            "lic",
            "src/lib.rs: differs from the tag's file",
        ),
        ("an extra file", extra, "lic", "src/extra.rs: not in the tag"),
    ];
    for (what, package, name, expected) in cases {
        let v = verdict(&package, name, &fx.commit);
        assert!(
            said(&v).iter().any(|d| d == expected),
            "{what}: expected {expected:?} among {:?}",
            said(&v)
        );
    }
    // The renamed archive is also another directory of the tag.
    let other_member = unpack(&renamed(&fx.crates["lic"], "lic", "linked"), "linked");
    let v = verdict(&other_member, "linked", &fx.commit);
    assert!(
        said(&v)
            .iter()
            .any(|d| d.contains("path_in_vcs is lic/, the directory of lic in the tag")),
        "{:?}",
        said(&v)
    );
    // Another commit (the same tree, another commit id).
    let other = run(
        &fx.repo,
        "git",
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "commit-tree",
            "-m",
            "another",
            &format!("{}^{{tree}}", fx.commit),
        ],
    );
    let v = verdict(&lic(), "lic", &other);
    assert_eq!(
        said(&v),
        [format!(
            ".cargo_vcs_info.json: names commit {}, not the tagged commit {other}",
            fx.commit
        )]
    );
}

#[test]
fn a_dirty_archive_names_the_flag() {
    let fx = fixture();
    let v = verdict(&unpack(&fx.dirty, "lic"), "lic", &fx.commit);
    let said = said(&v);
    assert!(
        said.iter()
            .any(|d| d.contains("`\"dirty\": true`") && d.contains("uncommitted changes")),
        "{said:?}"
    );
    assert!(
        said.contains(&"src/lib.rs: differs from the tag's file".to_string()),
        "{said:?}"
    );
}
