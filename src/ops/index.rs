//! The registry's sparse index, fetched with curl (a User-Agent naming caro-hotfix, as crates.io asks).

use anyhow::{Context, Result};

use crate::runner::{Cmd, Runner};

/// What the index says about a crate's file.
pub enum IndexFile {
    /// 404: the crate (or this file) is not there yet.
    Missing,
    Found(String),
}

pub fn user_agent() -> String {
    format!(
        "caro-hotfix/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Fetches one index file, quietly (it is polled).
pub fn fetch(runner: &mut Runner, url: &str) -> Result<IndexFile> {
    const MARK: &str = "\ncaro-hotfix-http-status:";
    let out = runner.query(
        &Cmd::new("curl", "read the registry index")
            .args(["--silent", "--show-error", "--location", "--max-time", "30"])
            .args(["--user-agent", &user_agent()])
            .args(["--write-out", &format!("{MARK}%{{http_code}}")])
            .arg(url)
            .simulate(format!("{MARK}404")),
    )?;
    let (body, status) = out
        .stdout
        .rsplit_once(MARK)
        .context("curl did not report an HTTP status")?;
    match status.trim() {
        "200" => Ok(IndexFile::Found(body.to_string())),
        "404" | "410" => Ok(IndexFile::Missing),
        other => anyhow::bail!("the registry index answered HTTP {other} for {url}"),
    }
}
