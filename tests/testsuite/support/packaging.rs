//! The `.crate` of a version, as a publish would make it: the real `cargo package --no-verify` run
//! in a clone of the fixture's repository at the version's tag (optionally with one file replaced
//! first, for a pipeline that ships something else). Used by the test registry
//! (`index_server.rs`) the first time a version's archive is needed.

use std::path::{Path, PathBuf};

/// Where versions are packaged from, and how the packaged crate is tampered with.
#[derive(Debug, Clone)]
pub struct Source {
    pub repo: PathBuf,
    /// One file replaced before packaging: (path in the package, contents).
    pub tamper: Option<(String, String)>,
}

/// `cargo package --no-verify` of `name` at the tag of `version` in `source.repo`.
pub fn package(source: &Source, name: &str, version: &str) -> Option<Vec<u8>> {
    let git = |dir: &Path, args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    };
    let tags = git(&source.repo, &["tag", "--list"])?;
    let tag = tags.lines().find(|t| {
        t.strip_suffix(version)
            .is_some_and(|p| p.is_empty() || p.ends_with('v') || p.ends_with('-'))
    })?;
    let dir = tempfile::Builder::new()
        .prefix("caro-hotfix-test-package-")
        .tempdir()
        .ok()?;
    let checkout = dir.path().join("src");
    let repo = source.repo.to_str()?;
    let checkout_str = checkout.to_str()?;
    git(
        dir.path(),
        &["clone", "-q", "--branch", tag, repo, checkout_str],
    )?;
    let mut cargo = std::process::Command::new("cargo");
    cargo
        .args(["package", "--no-verify", "--offline", "--package", name])
        .current_dir(&checkout)
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env("CARGO_TERM_COLOR", "never");
    if let Some((path, contents)) = &source.tamper {
        std::fs::write(checkout.join(path), contents).ok()?;
        cargo.arg("--allow-dirty");
    }
    let out = cargo.output().ok()?;
    if !out.status.success() {
        eprintln!(
            "test registry: cargo package of {name} {version} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    std::fs::read(
        dir.path()
            .join("target/package")
            .join(format!("{name}-{version}.crate")),
    )
    .ok()
}
