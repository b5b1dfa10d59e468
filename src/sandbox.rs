//! The rehearsal's throwaway clone.
//!
//! A `--dry-run` runs the local steps for real, but in a clone made for the occasion, so the diffs shown
//! and the tests run are real while the maintainer's repository — branches, tags, index, stash, config
//! — stays byte-for-byte as it was. The clone fetches from the same remote URL, so read-only queries
//! see the real remote; writes to the remote are stopped by the runner.
//!
//! The clone's tests would otherwise build every dependency from nothing in the clone's own
//! `target/`. [`share_build_cache`] points the clone's cargo at a directory of its own inside the
//! repository's `target/` (`target/caro-hotfix-rehearsal`), which outlives the clone, and
//! [`seed`] fills it with the dependencies the maintainer's own builds already compiled
//! (`target/debug`, `target/release`): a rehearsal after a normal build compiles only the
//! repository's own crates. Cargo names a registry dependency's artifacts by a hash that does not
//! depend on where the workspace is, so the copies are fresh for the clone's cargo. The repository's
//! own crates are not copied (their sources in the clone are new files; cargo would rebuild them
//! anyway), copies keep their modification times (cargo's freshness checks compare them), and each
//! copy lands by rename (a kill leaves no half-copied artifact). Libraries (`.rlib`, `.rmeta`, `.so`)
//! are hard links, so a target directory of gigabytes is reused in milliseconds without taking space:
//! rustc replaces such a file when it builds it again (new file, rename), so a rebuild in the
//! rehearsal never writes into the maintainer's copy; dep-info and fingerprints, which cargo and
//! rustc rewrite in place, are copied. The repository's own `target/debug` is only read (tested by
//! forcing such a rebuild in `tests/testsuite/dry_run.rs`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::TempDir;

use crate::ops::git::Git;
use crate::runner::{Cmd, Runner};

/// The rehearsal's build directory, inside the repository's `target/`.
pub const TARGET_SUBDIR: &str = "caro-hotfix-rehearsal";

/// Clones `repo` into a new temporary directory, pointing `remote` at the real remote's URL.
pub fn create(runner: &mut Runner, repo: &Path, remote: &str) -> Result<TempDir> {
    let url = Git::new(runner, repo)
        .remote_url(remote)?
        .with_context(|| format!("the remote `{remote}` has no URL"))?;
    let url = absolute_url(repo, &url);
    let (name, email) = {
        let mut git = Git::new(runner, repo);
        (git.config("user.name")?, git.config("user.email")?)
    };
    let dir = tempfile::Builder::new()
        .prefix("caro-hotfix-rehearsal-")
        .tempdir()
        .context("could not create a temporary directory for the rehearsal")?;
    // git clones into an existing directory when it is empty; the TempDir then owns the whole clone.
    let clone = dir.path().to_path_buf();
    Git::clone_for_rehearsal(runner, repo, &clone, remote)?;
    let mut git = Git::new(runner, &clone);
    git.set_config(&format!("remote.{remote}.url"), &url)?;
    if let Some(name) = name {
        git.set_config("user.name", &name)?;
    }
    if let Some(email) = email {
        git.set_config("user.email", &email)?;
    }
    Ok(dir)
}

/// Points every cargo command from now on (the clone's lock update, tests and audit) at
/// `<repo>/target/caro-hotfix-rehearsal`, and returns that directory.
///
/// Only where the repository has a `target/` directory that git ignores, so a rehearsal never leaves
/// an untracked file in the work tree, and only when `CARGO_TARGET_DIR` is not set already (then
/// the clone's cargo shares that directory anyway).
pub fn share_build_cache(
    runner: &mut Runner,
    env: &crate::env::Env,
    repo: &Path,
) -> Result<Option<PathBuf>> {
    if env.get("CARGO_TARGET_DIR").is_some() {
        return Ok(None);
    }
    let target = repo.join("target");
    if !target.is_dir() {
        return Ok(None);
    }
    let ignored = runner.probe(
        &Cmd::new("git", "check that git ignores target/")
            .args(["check-ignore", "--quiet", "--", "target/"])
            .cwd(repo),
    )?;
    if !ignored.success() {
        return Ok(None);
    }
    let dir = target.join(TARGET_SUBDIR);
    runner.set_env("CARGO_TARGET_DIR", &dir);
    Ok(Some(dir))
}

/// Seeds the rehearsal's build directory `dir` from the repository's `target/`, leaving out the
/// repository's own crates (as `cargo metadata` names them).
pub fn reuse_builds(runner: &mut Runner, repo: &Path, dir: &Path) -> Result<Seeded> {
    let local = local_crates(&crate::ops::cargo::metadata(runner, repo)?);
    Ok(seed(&repo.join("target"), dir, &local)?)
}

/// What [`seed`] copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    /// Artifacts, fingerprints and build-script outputs reused (top-level entries).
    pub entries: usize,
    /// Bytes copied; libraries are hard-linked and count nothing.
    pub bytes: u64,
    /// The profile directories they came from (`debug`, `release`), relative to `target/`.
    pub profiles: Vec<String>,
}

/// Copies into the rehearsal's build directory `to` what the maintainer's builds in `target`
/// compiled and `to` lacks: the entries of `deps/`, `build/` and `.fingerprint/` of every profile
/// directory, except those of `local` crates (the repository's own packages and targets, named as
/// cargo names them, `-` or `_`). Existing entries are left alone.
pub fn seed(target: &Path, to: &Path, local: &HashSet<String>) -> std::io::Result<Seeded> {
    let mut seeded = Seeded::default();
    let mut profiles: Vec<_> = std::fs::read_dir(target)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != TARGET_SUBDIR && e.path().join(".fingerprint").is_dir())
        .collect();
    profiles.sort_by_key(|e| e.file_name());
    for profile in profiles {
        let mut copied_any = false;
        for part in ["deps", "build", ".fingerprint"] {
            let from = profile.path().join(part);
            let Ok(entries) = std::fs::read_dir(&from) else {
                continue;
            };
            let into = to.join(profile.file_name()).join(part);
            std::fs::create_dir_all(&into)?;
            for entry in entries.filter_map(|e| e.ok()) {
                let name = entry.file_name();
                let Some(text) = name.to_str() else { continue };
                if text.starts_with(crate::fsx::COPY_TEMP) {
                    continue;
                }
                let dest = into.join(&name);
                if is_local(text, local) || dest.symlink_metadata().is_ok() {
                    continue;
                }
                let link = part == "deps" && is_replaced_by_rustc(text);
                seeded.bytes += crate::fsx::copy_into_place(&entry.path(), &dest, link)?;
                seeded.entries += 1;
                copied_any = true;
            }
        }
        if copied_any {
            seeded
                .profiles
                .push(profile.file_name().to_string_lossy().into_owned());
        }
    }
    Ok(seeded)
}

/// Libraries that rustc writes to a new file and renames over the old one when it builds them
/// again: a hard link to the maintainer's copy is never written through. (Its dep-info, `.d`, is
/// rewritten in place, and cargo rewrites fingerprints in place: those are copied.)
fn is_replaced_by_rustc(name: &str) -> bool {
    [".rlib", ".rmeta", ".so", ".dylib"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Whether a `deps/`, `build/` or `.fingerprint/` entry belongs to one of the `local` crates:
/// `libname-hash.rlib`, `name-hash.d`, `name-hash` (a test or build script), `name-hash/`.
fn is_local(entry: &str, local: &HashSet<String>) -> bool {
    let stem = entry.split('.').next().unwrap_or(entry);
    let Some((name, _hash)) = stem.rsplit_once('-') else {
        return false;
    };
    let name = name.replace('-', "_");
    local.contains(&name) || name.strip_prefix("lib").is_some_and(|n| local.contains(n))
}

/// The names cargo gives the artifacts of these packages: package and target names, `-` as `_`.
pub fn local_crates(metadata: &crate::ops::cargo::Metadata) -> HashSet<String> {
    metadata
        .packages
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(p.targets.iter().map(|t| &t.name)))
        .map(|n| n.replace('-', "_"))
        .collect()
}

/// A local remote given as a relative path is relative to the repository, not to the clone.
fn absolute_url(repo: &Path, url: &str) -> String {
    let looks_local = !url.contains("://") && !url.contains(':');
    let path = Path::new(url);
    if looks_local && path.is_relative() {
        repo.join(path).display().to_string()
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Ui;

    fn repo(gitignore: Option<&str>, target: bool) -> TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        // Through the runner, like everything else that starts a program here.
        let (ui, _t) = Ui::capture();
        Runner::new(ui, false)
            .with_env("GIT_CONFIG_GLOBAL", "/dev/null")
            .with_env("GIT_CONFIG_NOSYSTEM", "1")
            .run(
                &crate::runner::Cmd::new("git", "create a test repository")
                    .args(["init", "-q"])
                    .cwd(dir.path()),
            )
            .expect("git init");
        if let Some(text) = gitignore {
            std::fs::write(dir.path().join(".gitignore"), text).expect(".gitignore");
        }
        if target {
            std::fs::create_dir(dir.path().join("target")).expect("target/");
        }
        dir
    }

    fn share(dir: &Path) -> (Option<PathBuf>, Runner) {
        let (ui, _t) = Ui::capture();
        // No global or user excludes file either: only the repository's .gitignore decides.
        let mut runner = Runner::new(ui, true)
            .with_env("GIT_CONFIG_GLOBAL", "/dev/null")
            .with_env("GIT_CONFIG_NOSYSTEM", "1")
            .with_env("HOME", dir)
            .with_env("XDG_CONFIG_HOME", dir);
        let shared =
            share_build_cache(&mut runner, &crate::env::Env::process(), dir).expect("share");
        (shared, runner)
    }

    #[test]
    fn the_clone_builds_inside_an_ignored_target_directory() {
        if crate::env::Env::process().get("CARGO_TARGET_DIR").is_some() {
            return; // then cargo shares that directory already, and nothing is set
        }
        for ignore in ["/target\n", "target/\n", "target\n"] {
            let dir = repo(Some(ignore), true);
            let (shared, _) = share(dir.path());
            assert_eq!(
                shared,
                Some(dir.path().join("target").join(TARGET_SUBDIR)),
                "{ignore:?}"
            );
            // Nothing is created: cargo makes the directory when it first builds.
            assert!(!dir.path().join("target").join(TARGET_SUBDIR).exists());
        }
    }

    #[test]
    fn the_repositorys_own_crates_are_recognised_by_cargos_file_names() {
        let local: HashSet<String> = ["minicrate", "mini_tool"].map(String::from).into();
        for own in [
            "libminicrate-0a1b2c3d4e5f6789.rlib",
            "libminicrate-0a1b2c3d4e5f6789.rmeta",
            "minicrate-0a1b2c3d4e5f6789.d",
            "minicrate-0a1b2c3d4e5f6789",
            "mini-tool-0a1b2c3d4e5f6789",
            "mini_tool-0a1b2c3d4e5f6789",
        ] {
            assert!(is_local(own, &local), "{own}");
        }
        for dependency in [
            "libserde-0a1b2c3d4e5f6789.rlib",
            "serde_json-0a1b2c3d4e5f6789",
            "libminicrate_helpers-0a1b2c3d4e5f6789.rlib",
            "no-hash",
        ] {
            assert!(!is_local(dependency, &local), "{dependency}");
        }
    }

    #[test]
    fn seeding_copies_only_what_is_missing_and_keeps_modification_times() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("target");
        let to = target.join(TARGET_SUBDIR);
        let debug = target.join("debug");
        for sub in [
            "deps",
            ".fingerprint/serde-1111",
            "build/serde-2222/out",
            "incremental/x",
        ] {
            std::fs::create_dir_all(debug.join(sub)).expect("dirs");
        }
        let files = [
            "deps/libserde-1111.rlib",
            "deps/libminicrate-3333.rlib",
            ".fingerprint/serde-1111/lib-serde",
            "build/serde-2222/out/generated.rs",
            "incremental/x/big",
        ];
        for f in files {
            std::fs::write(debug.join(f), f).expect("file");
        }
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(debug.join(".fingerprint/serde-1111/lib-serde"))
            .and_then(|f| f.set_modified(old))
            .expect("mtime");
        // Already in the rehearsal's directory: kept as it is.
        std::fs::create_dir_all(to.join("debug/build")).expect("dirs");
        std::fs::create_dir(to.join("debug/build/serde-2222")).expect("dir");
        let local: HashSet<String> = ["minicrate".to_string()].into();

        let seeded = seed(&target, &to, &local).expect("seed");
        assert_eq!(seeded.entries, 2, "{seeded:?}");
        assert_eq!(seeded.profiles, vec!["debug".to_string()]);
        // The library is the maintainer's file, hard-linked; the fingerprint a copy, as old.
        use std::os::unix::fs::MetadataExt;
        let inode = |p: &Path| std::fs::metadata(p).expect("metadata").ino();
        assert_eq!(
            inode(&to.join("debug/deps/libserde-1111.rlib")),
            inode(&debug.join("deps/libserde-1111.rlib"))
        );
        let fingerprint = to.join("debug/.fingerprint/serde-1111/lib-serde");
        assert_ne!(
            inode(&fingerprint),
            inode(&debug.join(".fingerprint/serde-1111/lib-serde"))
        );
        assert_eq!(
            std::fs::metadata(&fingerprint)
                .and_then(|m| m.modified())
                .expect("mtime"),
            old
        );
        assert!(!to.join("debug/deps/libminicrate-3333.rlib").exists());
        assert!(!to.join("debug/build/serde-2222/out").exists());
        assert!(!to.join("debug/incremental").exists());
        assert!(!to.join(TARGET_SUBDIR).exists());
        // A second time there is nothing left to copy.
        assert_eq!(seed(&target, &to, &local).expect("seed").entries, 0);
    }

    #[test]
    fn nothing_is_shared_without_an_ignored_target_directory() {
        for (ignore, target) in [
            (Some("/target\n"), false),
            (None, true),
            (Some("*.log\n"), true),
        ] {
            let dir = repo(ignore, target);
            let (shared, _) = share(dir.path());
            assert_eq!(shared, None, "{ignore:?} {target}");
        }
    }
}
