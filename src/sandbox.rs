//! The rehearsal's throwaway clone.
//!
//! A `--dry-run` runs the local steps for real, but in a clone made for the occasion, so the diffs shown
//! and the tests run are real while the maintainer's repository — branches, tags, index, stash, config
//! — stays byte-for-byte as it was. The clone fetches from the same remote URL, so read-only queries
//! see the real remote; writes to the remote are stopped by the runner.
//!
//! The clone's tests would otherwise build every dependency from nothing in the clone's own
//! `target/`. [`share_build_cache`] points the clone's cargo at a directory of its own inside the
//! repository's `target/` (`target/caro-hotfix-rehearsal`), which outlives the clone: the second
//! and later rehearsals find their dependencies built. Cargo names a registry dependency's artifacts
//! by a hash that does not depend on where the workspace is, and a workspace member's by its path
//! relative to the workspace root, so the clone's fresh paths change nothing. The repository's own
//! `target/debug` is not written to.

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
pub fn share_build_cache(runner: &mut Runner, repo: &Path) -> Result<Option<PathBuf>> {
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
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
        let shared = share_build_cache(&mut runner, dir).expect("share");
        (shared, runner)
    }

    #[test]
    fn the_clone_builds_inside_an_ignored_target_directory() {
        if std::env::var_os("CARGO_TARGET_DIR").is_some() {
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
