//! gh, the GitHub CLI: every GitHub call goes through here.

use std::path::Path;

use anyhow::Result;

use crate::runner::{Cmd, Output, Runner};

/// `gh auth status`: whether gh can talk to GitHub for us.
pub fn auth_status(runner: &mut Runner, dir: &Path) -> Result<Output> {
    Ok(runner.probe(
        &Cmd::new("gh", "check that gh is logged in")
            .cwd(dir)
            .args(["auth", "status"]),
    )?)
}
