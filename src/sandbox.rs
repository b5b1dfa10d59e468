//! The rehearsal's throwaway clone.
//!
//! A `--dry-run` runs the local steps for real, but in a clone made for the occasion, so the diffs shown
//! and the tests run are real while the maintainer's repository — branches, tags, index, stash, config
//! — stays byte-for-byte as it was. The clone fetches from the same remote URL, so read-only queries
//! see the real remote; writes to the remote are stopped by the runner.

use std::path::Path;

use anyhow::{Context, Result};
use tempfile::TempDir;

use crate::ops::git::Git;
use crate::runner::Runner;

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
