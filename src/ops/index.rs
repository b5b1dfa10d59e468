//! The registry's sparse index, fetched with curl (a User-Agent naming caro-hotfix, as crates.io asks).
//!
//! Polls are conditional. An [`IndexCache`] remembers, per URL, the `ETag` of the last `200` and the
//! body it came with; the next fetch of that URL sends `If-None-Match`, and the server's
//! `304 Not Modified` (headers only, a few hundred bytes) means "unchanged": the remembered body is
//! returned. An index file that has not changed is what almost every poll sees, so a poll costs one
//! small 304 instead of the whole file (crates.io's index and cargo itself work this way).

use std::collections::HashMap;

use anyhow::{bail, Context, Result};

use crate::runner::{Cmd, Runner};

/// What the index says about a crate's file.
pub enum IndexFile {
    /// 404: the crate (or this file) is not there yet.
    Missing,
    Found(String),
    /// 429 Too Many Requests, with the `Retry-After` seconds when given.
    RateLimited(Option<std::time::Duration>),
}

/// What a poller remembers between fetches: per URL, the last `ETag` and the body it validates.
///
/// Keep one for the length of a polling loop and pass it to every [`fetch_cached`] of that loop.
#[derive(Debug, Default, Clone)]
pub struct IndexCache {
    entries: HashMap<String, Cached>,
}

#[derive(Debug, Clone)]
struct Cached {
    etag: String,
    body: String,
}

impl IndexCache {
    /// The `ETag` the next fetch of `url` sends in `If-None-Match`, if any.
    pub fn etag(&self, url: &str) -> Option<&str> {
        self.entries.get(url).map(|c| c.etag.as_str())
    }
}

pub fn user_agent() -> String {
    format!(
        "caro-hotfix/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Fetches one index file, quietly, unconditionally (a single look, nothing to compare with).
pub fn fetch(runner: &mut Runner, url: &str) -> Result<IndexFile> {
    fetch_cached(runner, url, &mut IndexCache::default())
}

/// Fetches one index file, quietly (it is polled), sending `If-None-Match` with the `ETag` that
/// `cache` holds for `url`; a `304` returns the body remembered with that `ETag`.
pub fn fetch_cached(runner: &mut Runner, url: &str, cache: &mut IndexCache) -> Result<IndexFile> {
    const MARK: &str = "\ncaro-hotfix-http-status:";
    // curl writes the response headers here (every response's, when it follows redirects).
    let headers_file = tempfile::Builder::new()
        .prefix("caro-hotfix-index-headers-")
        .tempfile()
        .context("could not create a temporary file for the registry index's headers")?;
    let mut cmd = Cmd::new("curl", "read the registry index")
        .args(["--silent", "--show-error", "--location", "--max-time", "30"])
        .args(["--user-agent", &user_agent()])
        .arg("--dump-header")
        .arg(headers_file.path())
        .args(["--write-out", &format!("{MARK}%{{http_code}}")]);
    if let Some(etag) = cache.etag(url) {
        cmd = cmd.args(["--header", &format!("If-None-Match: {etag}")]);
    }
    let out = runner.query(&cmd.arg(url).simulate(format!("{MARK}404")))?;
    let (body, status) = out
        .stdout
        .rsplit_once(MARK)
        .context("curl did not report an HTTP status")?;
    let headers = std::fs::read_to_string(headers_file.path()).unwrap_or_default();
    match status.trim() {
        "200" => {
            match etag(&headers) {
                Some(etag) => {
                    cache.entries.insert(
                        url.to_string(),
                        Cached {
                            etag,
                            body: body.to_string(),
                        },
                    );
                }
                None => {
                    cache.entries.remove(url);
                }
            }
            Ok(IndexFile::Found(body.to_string()))
        }
        "304" => match cache.entries.get(url) {
            Some(cached) => Ok(IndexFile::Found(cached.body.clone())),
            None => bail!(
                "the registry index answered 304 Not Modified for {url} to a request that had no \
                 If-None-Match"
            ),
        },
        "404" | "410" => {
            cache.entries.remove(url);
            Ok(IndexFile::Missing)
        }
        "429" => Ok(IndexFile::RateLimited(
            crate::ops::registry_api::retry_after(&headers),
        )),
        other => bail!("the registry index answered HTTP {other} for {url}"),
    }
}

/// The `ETag` of the last response in curl's `--dump-header` output (earlier blocks are redirects).
fn etag(headers: &str) -> Option<String> {
    let last = headers
        .split("\n\n")
        .flat_map(|block| block.split("\r\n\r\n"))
        .filter(|block| block.trim_start().starts_with("HTTP/"))
        .last()?;
    last.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("etag"))
        .map(|(_, value)| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_read_from_the_last_response() {
        let headers = "HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\nETag: \"old\"\r\n\r\n\
                       HTTP/2 200\r\ncontent-type: text/plain\r\netag: W/\"abc:1\"\r\n\r\n";
        assert_eq!(etag(headers).as_deref(), Some("W/\"abc:1\""));
    }

    #[test]
    fn no_etag_when_the_last_response_has_none() {
        let headers = "HTTP/1.1 302 Found\r\nETag: \"x\"\r\nLocation: /b\r\n\r\n\
                       HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n";
        assert_eq!(etag(headers), None);
        assert_eq!(etag(""), None);
        assert_eq!(etag("HTTP/1.1 200 OK\nETag:   \n\n"), None);
    }
}
