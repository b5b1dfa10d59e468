//! cargo: package discovery, lock file updates, tests and the audit, packaging and publishing.
//!
//! `cargo publish` finds the registry's token itself (its credential providers,
//! `CARGO_REGISTRY_TOKEN`, `CARGO_REGISTRIES_<NAME>_TOKEN`): caro-hotfix never reads, passes or
//! prints one.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::runner::{Cmd, Effect, Output, Runner};

/// The parts of `cargo metadata --no-deps` the wizard uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub packages: Vec<Package>,
    pub workspace_root: PathBuf,
    #[serde(default)]
    pub workspace_members: Vec<String>,
    /// `default-members` of a virtual workspace (cargo 1.71 and later say them).
    #[serde(default)]
    pub workspace_default_members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub id: String,
    pub manifest_path: PathBuf,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// A dependency as the manifest names it (`ffi = { package = "openssl-sys", … }`: name
/// `openssl-sys`, rename `ffi`).
#[derive(Debug, Clone, Deserialize)]
pub struct Dependency {
    pub name: String,
    #[serde(default)]
    pub rename: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    pub name: String,
    pub kind: Vec<String>,
}

impl Package {
    /// Whether `cargo test --lib` has something to run.
    pub fn has_lib(&self) -> bool {
        self.targets.iter().any(|t| {
            t.kind
                .iter()
                .any(|k| matches!(k.as_str(), "lib" | "rlib" | "dylib" | "proc-macro"))
        })
    }

    /// Whether `cargo test --test '*'` has something to run.
    pub fn has_integration_tests(&self) -> bool {
        self.targets
            .iter()
            .any(|t| t.kind.iter().any(|k| k == "test"))
    }
}

impl Metadata {
    /// The package to hotfix: the one named, or the one whose manifest is the root `Cargo.toml`.
    pub fn select(&self, name: Option<&str>, root_manifest: &Path) -> Result<&Package> {
        match name {
            Some(name) => self
                .packages
                .iter()
                .find(|p| p.name == name)
                .with_context(|| {
                    let names: Vec<&str> = self.packages.iter().map(|p| p.name.as_str()).collect();
                    let meant = self
                        .meant(name)
                        .map(|(p, why)| format!("\nDid you mean --package {p} ({why})?"))
                        .unwrap_or_default();
                    format!(
                        "--package {name}: no such package in this workspace (packages: {}){meant}",
                        names.join(", ")
                    )
                }),
            None => {
                let root = root_manifest
                    .canonicalize()
                    .unwrap_or_else(|_| root_manifest.to_path_buf());
                match self.packages.iter().find(|p| {
                    p.manifest_path
                        .canonicalize()
                        .unwrap_or_else(|_| p.manifest_path.clone())
                        == root
                }) {
                    Some(p) => Ok(p),
                    // A virtual workspace with one default member: the package cargo builds.
                    None if self.workspace_default_members.len() == 1 => self
                        .packages
                        .iter()
                        .find(|p| p.id == self.workspace_default_members[0])
                        .context("the workspace's default member is not among its packages"),
                    None => {
                        let names: Vec<&str> =
                            self.packages.iter().map(|p| p.name.as_str()).collect();
                        bail!(
                            "Cargo.toml is a virtual workspace: pass --package NAME to choose the crate to hotfix (packages: {})",
                            names.join(", ")
                        )
                    }
                }
            }
        }
    }
}

impl Metadata {
    /// The member whose directory holds `dir` (the nearest, as cargo finds a package), unless that
    /// is the workspace's root.
    pub fn member_at(&self, dir: &Path) -> Option<&Package> {
        let dir = dir.canonicalize().ok()?;
        let root = self.workspace_root.canonicalize().ok()?;
        self.packages
            .iter()
            .filter_map(|p| {
                let own = p.manifest_path.parent()?.canonicalize().ok()?;
                (own != root && dir.starts_with(&own)).then_some((own.components().count(), p))
            })
            .max_by_key(|(depth, _)| *depth)
            .map(|(_, p)| p)
    }

    /// The package a `--package` that names none may mean: the one in that directory, the one a
    /// member's dependency renames to it, the one spelled with `-` for `_` (or the reverse).
    fn meant(&self, given: &str) -> Option<(String, String)> {
        let root = self.workspace_root.canonicalize().ok();
        let wanted = given.trim_end_matches('/');
        for p in &self.packages {
            let dir = p.manifest_path.parent()?;
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            let relative = root
                .as_ref()
                .and_then(|r| dir.strip_prefix(r).ok())
                .map(|d| d.to_string_lossy().replace('\\', "/"));
            if relative.as_deref() == Some(wanted) {
                return Some((p.name.clone(), format!("the package in {wanted}/")));
            }
        }
        for p in &self.packages {
            for d in &p.dependencies {
                let is_member = self.packages.iter().any(|m| m.name == d.name);
                if is_member && d.rename.as_deref() == Some(given) {
                    return Some((d.name.clone(), format!("{} calls it {given}", p.name)));
                }
            }
        }
        let norm = |s: &str| s.replace('_', "-").to_ascii_lowercase();
        self.packages
            .iter()
            .find(|p| norm(&p.name) == norm(given))
            .map(|p| (p.name.clone(), "spelled so in its manifest".to_string()))
    }
}

/// `cargo metadata --no-deps`: offline, and fast even for large workspaces.
pub fn metadata(runner: &mut Runner, dir: &Path) -> Result<Metadata> {
    let out = runner.query(
        &Cmd::new("cargo", "read the workspace's packages")
            .cwd(dir)
            .args(["metadata", "--no-deps", "--format-version", "1"]),
    )?;
    serde_json::from_str(&out.stdout).context("could not read the output of `cargo metadata`")
}

/// Whether Cargo.lock already holds what the manifests ask (`cargo metadata --locked`): `Ok(None)`
/// when it does, `Ok(Some(reason))` when cargo would change it, `Err` when cargo could not tell
/// (offline without the dependencies' sources, say).
pub fn lock_is_current(runner: &mut Runner, dir: &Path) -> Result<Option<String>> {
    let out = runner.probe(
        &Cmd::new("cargo", "check that Cargo.lock matches the manifests")
            .cwd(dir)
            .args(["metadata", "--locked", "--offline", "--format-version", "1"]),
    )?;
    if out.success() {
        return Ok(None);
    }
    let said = out.stderr.trim().to_string();
    if said.contains("lock file") || said.contains("Cargo.lock") {
        Ok(Some(said))
    } else {
        bail!("{said}")
    }
}

/// How cargo brought Cargo.lock in line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filled {
    /// Offline, from what this machine's cargo cache holds.
    Offline,
    /// Offline it could not (`said`: why), so as the maintainer's cargo is configured (online).
    Online { said: String },
}

/// Lets cargo bring Cargo.lock in line with the bumped versions, keeping every locked dependency
/// where it is (`cargo metadata` resolves with the lock file; `cargo update --workspace` would
/// re-resolve the members' dependencies too). Offline first; when the cache lacks what cargo needs
/// (a lock file that lagged its manifests makes cargo resolve afresh), as cargo is configured.
pub fn fill_lock(runner: &mut Runner, dir: &Path) -> Result<Filled> {
    let offline = runner.run_unchecked(
        &Cmd::new("cargo", "update Cargo.lock for the new versions (offline)")
            .cwd(dir)
            .effect(Effect::Local)
            .args(["metadata", "--offline", "--format-version", "1"]),
    )?;
    if offline.success() {
        return Ok(Filled::Offline);
    }
    let said = first_error(&offline.stderr);
    runner.run(
        &Cmd::new(
            "cargo",
            "update Cargo.lock for the new versions, resolving as cargo is configured",
        )
        .cwd(dir)
        .effect(Effect::Local)
        .args(["metadata", "--format-version", "1"]),
    )?;
    Ok(Filled::Online { said })
}

/// The first `error:` line cargo wrote (else its first line), without the prefix.
fn first_error(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or_default();
    line.trim_start_matches("error:").trim().to_string()
}

/// Runs one configured command (tests, pre-tag checks) with a spinner; the output is returned
/// whatever the result. `purpose` completes "failed to …".
pub fn run_argv(runner: &mut Runner, dir: &Path, argv: &[String], purpose: &str) -> Result<Output> {
    let Some((program, args)) = argv.split_first() else {
        bail!("an empty test command");
    };
    Ok(runner.run_unchecked(
        &Cmd::new(program, purpose)
            .cwd(dir)
            .effect(Effect::Local)
            .args(args)
            .long_running(),
    )?)
}

/// `cargo audit --json`; the caller reads stdout before trusting the exit code.
pub fn audit(runner: &mut Runner, dir: &Path) -> Result<Output> {
    Ok(runner.run_unchecked(
        &Cmd::new("cargo", "audit the dependencies")
            .cwd(dir)
            .args(["audit", "--json"])
            .long_running(),
    )?)
}

/// The index URL cargo's configuration gives for a named registry (`[registries.NAME] index`),
/// looked up as cargo does: `CARGO_REGISTRIES_<NAME>_INDEX`, then `.cargo/config.toml` (or
/// `.cargo/config`) in `dir` and its ancestors, then `$CARGO_HOME/config.toml`.
pub fn registry_index(env: &crate::env::Env, dir: &Path, name: &str) -> Option<String> {
    let env_key = format!(
        "CARGO_REGISTRIES_{}_INDEX",
        name.to_ascii_uppercase().replace('-', "_")
    );
    if let Some(url) = env.var(&env_key) {
        return Some(url);
    }
    let cargo_home = env
        .get("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env.get("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let candidates = dir
        .ancestors()
        .flat_map(|d| [d.join(".cargo/config.toml"), d.join(".cargo/config")])
        .chain(
            cargo_home
                .into_iter()
                .flat_map(|h| [h.join("config.toml"), h.join("config")]),
        );
    for path in candidates {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
            continue;
        };
        if let Some(url) = doc
            .get("registries")
            .and_then(|r| r.get(name))
            .and_then(|r| r.get("index"))
            .and_then(|i| i.as_str())
        {
            return Some(url.to_string());
        }
    }
    None
}

/// `cargo yank --version X NAME [--registry R]`: cargo finds the registry's index and token itself.
pub fn yank(
    runner: &mut Runner,
    dir: &Path,
    name: &str,
    version: &str,
    registry: Option<&str>,
) -> Result<Output> {
    let mut cmd = Cmd::new("cargo", "yank the version")
        .cwd(dir)
        .effect(Effect::Remote)
        .args(["yank", "--version", version, name]);
    if let Some(r) = registry {
        cmd = cmd.args(["--registry", r]);
    }
    Ok(runner.run_unchecked(&cmd)?)
}

/// Where `cargo publish` uploads: a registry named in cargo's configuration, an index URL, or
/// cargo's default (crates.io).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    Default,
    Registry(String),
    Index(String),
}

impl Upload {
    fn args(&self) -> Vec<String> {
        match self {
            Upload::Default => Vec::new(),
            Upload::Registry(name) => vec!["--registry".into(), name.clone()],
            Upload::Index(url) => vec!["--index".into(), url.clone()],
        }
    }
}

/// The first cargo that publishes several packages in one `cargo publish` (1.90), in dependency
/// order, waiting for each to reach the index before the packages that need it.
const MULTI_PACKAGE: (u64, u64) = (1, 90);

/// `cargo --version`: (major, minor), `None` when it cannot be read.
pub fn version(runner: &mut Runner) -> Option<(u64, u64)> {
    let out = runner
        .probe(&Cmd::new("cargo", "read cargo's version").arg("--version"))
        .ok()?;
    parse_version(&out.stdout)
}

/// `cargo 1.95.0 (f2d3ce0bd 2026-03-21)` → (1, 95).
fn parse_version(text: &str) -> Option<(u64, u64)> {
    let number = text.split_whitespace().nth(1)?;
    let mut parts = number.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Whether this cargo publishes several packages in one run.
pub fn publishes_several(version: Option<(u64, u64)>) -> bool {
    version.is_some_and(|v| v >= MULTI_PACKAGE)
}

/// The argument vector of `cargo publish --locked [--dry-run] [--registry R] -p A [-p B…]`, as it
/// is shown and run.
pub fn publish_args(packages: &[String], to: &Upload, dry_run: bool) -> Vec<String> {
    let mut args = vec!["publish".to_string(), "--locked".to_string()];
    if dry_run {
        args.push("--dry-run".into());
    }
    args.extend(to.args());
    for p in packages {
        args.push("-p".into());
        args.push(p.clone());
    }
    args
}

/// `cargo publish --locked …` in `dir` (a clean worktree of the tag), building in `target_dir`;
/// a dry run only packages and builds. The output is returned whatever the result.
pub fn publish(
    runner: &mut Runner,
    dir: &Path,
    target_dir: &Path,
    packages: &[String],
    to: &Upload,
    dry_run: bool,
) -> Result<Output> {
    let effect = if dry_run {
        Effect::Local
    } else {
        Effect::Remote
    };
    let purpose = if dry_run {
        "rehearse the publish"
    } else {
        "publish the crate"
    };
    Ok(runner.run_unchecked(
        &Cmd::new("cargo", purpose)
            .cwd(dir)
            .effect(effect)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .args(publish_args(packages, to, dry_run))
            .long_running(),
    )?)
}

/// `cargo package --locked --no-verify -p A [-p B…]` in `dir`: the `.crate` files a publish
/// uploads, in `target_dir/package/`, to compare with what a registry already holds.
pub fn package(
    runner: &mut Runner,
    dir: &Path,
    target_dir: &Path,
    packages: &[String],
    to: &Upload,
) -> Result<Output> {
    let mut args = vec![
        "package".to_string(),
        "--locked".into(),
        "--no-verify".into(),
    ];
    args.extend(to.args());
    for p in packages {
        args.push("-p".into());
        args.push(p.clone());
    }
    Ok(runner.probe(
        &Cmd::new("cargo", "package the crates as a publish would")
            .cwd(dir)
            .effect(Effect::Local)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .args(args)
            .long_running(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    #[test]
    fn a_virtual_workspace_with_one_default_member_selects_it() {
        // The shape of `cargo metadata --no-deps` for `default-members = ["tracing"]`.
        let json = r#"{"packages": [
            {"name": "tracing", "version": "0.1.44", "id": "path+file:///w/tracing#0.1.44",
             "manifest_path": "/w/tracing/Cargo.toml"},
            {"name": "tracing-core", "version": "0.1.36", "id": "path+file:///w/tracing-core#0.1.36",
             "manifest_path": "/w/tracing-core/Cargo.toml"}],
            "workspace_root": "/w", "workspace_members": [],
            "workspace_default_members": ["path+file:///w/tracing#0.1.44"]}"#;
        let meta: Metadata = serde_json::from_str(json).expect("metadata");
        let root = Path::new("/w/Cargo.toml");
        assert_eq!(meta.select(None, root).expect("selected").name, "tracing");
        let err = meta.select(Some("tracing_core"), root).unwrap_err();
        assert!(
            format!("{err:#}")
                .contains("Did you mean --package tracing-core (spelled so in its manifest)?"),
            "{err:#}"
        );
    }

    #[test]
    fn several_packages_are_published_in_one_run_from_cargo_1_90() {
        assert_eq!(
            parse_version("cargo 1.95.0 (f2d3ce0bd 2026-03-21)"),
            Some((1, 95))
        );
        assert_eq!(
            parse_version("cargo 1.89.0-nightly (abc 2025-06-01)"),
            Some((1, 89))
        );
        assert!(publishes_several(parse_version(
            "cargo 1.90.0 (x 2025-09-18)"
        )));
        assert!(!publishes_several(parse_version(
            "cargo 1.89.0 (x 2025-08-07)"
        )));
        assert!(!publishes_several(parse_version("not cargo")));
        assert_eq!(
            publish_args(
                &["mybase".into(), "myapp".into()],
                &Upload::Registry("test".into()),
                false
            )
            .join(" "),
            "publish --locked --registry test -p mybase -p myapp"
        );
    }

    #[test]
    fn a_registry_index_is_found_in_the_environment_given_then_in_cargo_home() {
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            home.path().join("config.toml"),
            "[registries.internal]\nindex = \"sparse+https://home.example/index/\"\n",
        )
        .expect("config");
        let repo = tempfile::tempdir().expect("tempdir");
        let env = Env::of([
            (
                "CARGO_REGISTRIES_MY_CORP_INDEX",
                "sparse+https://env.example/",
            ),
            ("CARGO_HOME", home.path().to_str().expect("utf-8")),
        ]);
        assert_eq!(
            registry_index(&env, repo.path(), "my-corp").as_deref(),
            Some("sparse+https://env.example/")
        );
        assert_eq!(
            registry_index(&env, repo.path(), "internal").as_deref(),
            Some("sparse+https://home.example/index/")
        );
        assert_eq!(
            registry_index(&Env::of::<&str, &str>([]), repo.path(), "internal"),
            None
        );
    }
}
