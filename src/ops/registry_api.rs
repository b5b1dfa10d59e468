//! The registry beyond its index files, fetched with curl like the index (`ops/index.rs`): the
//! index's `config.json`, the web API (`GET /api/v1/crates/{name}` and `…/{name}/{version}`) and the
//! `.crate` download.
//!
//! Every request names caro-hotfix in the User-Agent (crates.io's API refuses requests without one).
//! A `429 Too Many Requests` is an answer, not an error: its `Retry-After` (seconds) is handed to the
//! poller. All of these only read, so a rehearsal runs them; the demo, whose curl is offline, gets
//! [`Http::simulated`] answers and says nothing about them.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::logic::registry::{self, RegistryConfig};
use crate::ops::index::user_agent;
use crate::runner::{Cmd, Runner};

/// One HTTP answer.
#[derive(Debug, Clone, Default)]
pub struct Http {
    pub status: u16,
    /// The body (empty when it was written to a file).
    pub body: String,
    /// `Retry-After`, when given in seconds.
    pub retry_after: Option<Duration>,
    /// curl is offline (the demo): nothing was asked.
    pub simulated: bool,
}

const MARK: &str = "\ncaro-hotfix-http-status:";

/// GETs `url` quietly; with `output`, the body goes to that file (a download) instead of stdout.
pub fn get(runner: &mut Runner, url: &str, purpose: &str, output: Option<&Path>) -> Result<Http> {
    let headers_file = tempfile::Builder::new()
        .prefix("caro-hotfix-registry-headers-")
        .tempfile()
        .context("could not create a temporary file for the registry's headers")?;
    let max_time = if output.is_some() { "300" } else { "30" };
    let mut cmd = Cmd::new("curl", purpose)
        .args([
            "--silent",
            "--show-error",
            "--location",
            "--max-time",
            max_time,
        ])
        .args(["--user-agent", &user_agent()])
        .arg("--dump-header")
        .arg(headers_file.path())
        .args(["--write-out", &format!("{MARK}%{{http_code}}")]);
    if let Some(file) = output {
        cmd = cmd.arg("--output").arg(file);
    }
    let out = runner.query(&cmd.arg(url))?;
    if out.simulated {
        return Ok(Http {
            simulated: true,
            ..Http::default()
        });
    }
    let (body, status) = out
        .stdout
        .rsplit_once(MARK)
        .context("curl did not report an HTTP status")?;
    let status: u16 = status
        .trim()
        .parse()
        .with_context(|| format!("curl reported no HTTP status for {url}"))?;
    let headers = std::fs::read_to_string(headers_file.path()).unwrap_or_default();
    Ok(Http {
        status,
        body: body.to_string(),
        retry_after: retry_after(&headers),
        simulated: false,
    })
}

/// `Retry-After: N` (seconds) of the last response in curl's `--dump-header` output. The HTTP-date
/// form is not read: the poller's own back-off applies then.
pub(crate) fn retry_after(headers: &str) -> Option<Duration> {
    let last = headers
        .split("\n\n")
        .flat_map(|block| block.split("\r\n\r\n"))
        .filter(|block| block.trim_start().starts_with("HTTP/"))
        .last()?;
    last.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, value)| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The registry's `config.json` under the index root; `None` when curl is offline (the demo).
pub fn config(runner: &mut Runner, index_root: &str) -> Result<Option<RegistryConfig>> {
    let root = index_root.strip_prefix("sparse+").unwrap_or(index_root);
    let url = format!("{}/config.json", root.trim_end_matches('/'));
    let http = get(runner, &url, "read the registry's config.json", None)?;
    if http.simulated {
        return Ok(None);
    }
    if http.status != 200 {
        bail!("the registry's {url} answered HTTP {}", http.status);
    }
    registry::parse_config(&http.body, &url)
        .map(Some)
        .map_err(anyhow::Error::msg)
}

/// What the API says about a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateAnswer {
    /// 404: no such crate on this registry.
    NotFound,
    Found {
        /// `crate.trustpub_only`: new versions only through trusted publishing. `None`: the
        /// registry does not say (older crates.io, other registries).
        trustpub_only: Option<bool>,
    },
    /// 429, with the seconds it asks to wait.
    RateLimited(Option<Duration>),
    /// curl is offline (the demo).
    Simulated,
}

/// `GET {api}/api/v1/crates/{name}`.
pub fn crate_info(runner: &mut Runner, api: &str, name: &str) -> Result<CrateAnswer> {
    let url = format!("{api}/api/v1/crates/{name}");
    let http = get(runner, &url, "ask the registry's API about the crate", None)?;
    if http.simulated {
        return Ok(CrateAnswer::Simulated);
    }
    match http.status {
        200 => {
            let value: serde_json::Value = serde_json::from_str(&http.body)
                .with_context(|| format!("the registry's API answered {url} with no JSON"))?;
            let krate = value
                .get("crate")
                .with_context(|| format!("the registry's API answered {url} without `crate`"))?;
            Ok(CrateAnswer::Found {
                trustpub_only: krate.get("trustpub_only").and_then(|v| v.as_bool()),
            })
        }
        404 => Ok(CrateAnswer::NotFound),
        429 => Ok(CrateAnswer::RateLimited(http.retry_after)),
        other => bail!("the registry's API answered HTTP {other} for {url}"),
    }
}

/// What the API says about one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionAnswer {
    /// 404: the API does not know the version (yet).
    Unknown,
    Known {
        yanked: bool,
        /// The sha256 of the `.crate` the registry holds, when the API gives it.
        checksum: Option<String>,
    },
    RateLimited(Option<Duration>),
}

/// `GET {api}/api/v1/crates/{name}/{version}`.
pub fn version_info(
    runner: &mut Runner,
    api: &str,
    name: &str,
    version: &str,
) -> Result<VersionAnswer> {
    let url = format!("{api}/api/v1/crates/{name}/{version}");
    let http = get(
        runner,
        &url,
        "ask the registry's API about the version",
        None,
    )?;
    if http.simulated {
        return Ok(VersionAnswer::Unknown);
    }
    match http.status {
        200 => {
            let value: serde_json::Value = serde_json::from_str(&http.body)
                .with_context(|| format!("the registry's API answered {url} with no JSON"))?;
            let yanked = value
                .pointer("/version/yanked")
                .and_then(|v| v.as_bool())
                .with_context(|| {
                    format!("the registry's API answered {url} without `version.yanked`")
                })?;
            let checksum = value
                .pointer("/version/checksum")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            Ok(VersionAnswer::Known { yanked, checksum })
        }
        404 => Ok(VersionAnswer::Unknown),
        429 => Ok(VersionAnswer::RateLimited(http.retry_after)),
        other => bail!("the registry's API answered HTTP {other} for {url}"),
    }
}

/// Downloads `url` into memory (through a temporary file curl writes).
pub fn download(runner: &mut Runner, url: &str) -> Result<Vec<u8>> {
    let file = tempfile::Builder::new()
        .prefix("caro-hotfix-download-")
        .suffix(".crate")
        .tempfile()
        .context("could not create a temporary file for the download")?;
    let http = get(
        runner,
        url,
        "download the published crate",
        Some(file.path()),
    )?;
    match http.status {
        200 => std::fs::read(file.path())
            .with_context(|| format!("could not read the download of {url}")),
        404 | 410 => bail!(
            "the registry answered HTTP {} for the download {url}: the index lists the version, \
             but its .crate file is not there (yet)",
            http.status
        ),
        other => bail!("the registry answered HTTP {other} for the download {url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_from_the_last_response() {
        let headers = "HTTP/1.1 301 Moved\r\nRetry-After: 1\r\n\r\n\
                       HTTP/1.1 429 Too Many Requests\r\nretry-after: 7\r\n\r\n";
        assert_eq!(retry_after(headers), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("HTTP/1.1 429 x\r\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n"),
            None
        );
        assert_eq!(retry_after(""), None);
    }
}
