//! Waiting for the registry, shared by the publish (hotfix step 12) and the yank (rollback step 3).
//!
//! A version is visible when **both** the registry's web API reports it and the sparse index file
//! has its line: crates.io's API knows a new version at once, while CDN edges can serve a stale
//! index file for minutes, and cargo (so every user) reads the index. A yank is seen the same way,
//! both saying `yanked`.
//!
//! Polls back off (×1.5 from the poll interval, up to six times it), for up to a time limit
//! (`publish-timeout`, default 15 minutes). A `429 Too Many Requests` waits what its `Retry-After`
//! asks (within the limit). While waiting, each change of what is missing is said once.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::Ctx;
use crate::logic::registry::{self, RegistryConfig};
use crate::ops::index::{self, IndexCache, IndexFile};
use crate::ops::registry_api::{self, VersionAnswer};
use crate::record::Tracked;

/// What is awaited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The version published (its yanked flag does not matter).
    Published,
    /// The version yanked.
    Yanked,
}

/// The registry a watch talks to: its `config.json` (API and downloads) and the crate's index file.
pub struct Registry {
    pub config: RegistryConfig,
    pub index_url: String,
}

/// What one look found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Look {
    api: bool,
    index: bool,
    /// The index file, when it has the awaited line.
    file: Option<String>,
}

/// Reads the registry's `config.json` beside the crate's index file. A missing or incomplete one is
/// an error that names it.
pub fn registry<R: Tracked>(ctx: &mut Ctx<R>, crate_name: &str) -> Result<Registry> {
    let index_url = ctx.index_url(crate_name)?;
    let root = registry::index_root(&index_url, crate_name);
    match registry_api::config(&mut ctx.runner, &root)? {
        Some(config) => Ok(Registry { config, index_url }),
        None => bail!("curl is offline here: the registry cannot be asked"),
    }
}

/// One look at the API and the index; `Err(wait)` when either answered 429.
fn look<R: Tracked>(
    ctx: &mut Ctx<R>,
    reg: &Registry,
    name: &str,
    version: &str,
    want: Want,
    cache: &mut IndexCache,
) -> Result<std::result::Result<Look, (Option<Duration>, &'static str)>> {
    let api = match registry_api::version_info(&mut ctx.runner, &reg.config.api, name, version)? {
        VersionAnswer::RateLimited(after) => return Ok(Err((after, "API"))),
        VersionAnswer::Unknown => false,
        VersionAnswer::Known { yanked, .. } => want == Want::Published || yanked,
    };
    let (index, file) = match index::fetch_cached(&mut ctx.runner, &reg.index_url, cache)? {
        IndexFile::RateLimited(after) => return Ok(Err((after, "index"))),
        IndexFile::Missing => (false, None),
        IndexFile::Found(file) => match registry::version_line(&file, version) {
            Some(yanked) if want == Want::Published || yanked => (true, Some(file)),
            _ => (false, None),
        },
    };
    Ok(Ok(Look { api, index, file }))
}

/// Whether the version is already as wanted, with one look (no waiting): the index file when it is.
pub fn seen_now<R: Tracked>(
    ctx: &mut Ctx<R>,
    reg: &Registry,
    name: &str,
    version: &str,
    want: Want,
) -> Result<Option<String>> {
    match look(ctx, reg, name, version, want, &mut IndexCache::default())? {
        Ok(Look {
            api: true,
            index: true,
            file,
        }) => Ok(file),
        _ => Ok(None),
    }
}

/// Polls until the version is as wanted on both, and returns the index file then.
pub fn wait<R: Tracked>(
    ctx: &mut Ctx<R>,
    reg: &Registry,
    name: &str,
    version: &str,
    want: Want,
    interval: Duration,
    timeout: Duration,
) -> Result<String> {
    let what = match want {
        Want::Published => "published",
        Want::Yanked => "yanked",
    };
    let cap = interval * 6;
    ctx.ui.info(format!(
        "Watching the registry's API ({}) and index ({}) for {name} {version} {what}: every {}, \
         backing off to {}, for up to {}; if it is not visible on both by then, this step stops \
         and can be resumed to look again.",
        reg.config.api,
        reg.index_url,
        crate::ui::duration(interval),
        crate::ui::duration(cap),
        crate::ui::duration(timeout)
    ));
    let spinner = ctx.ui.spinner(format!(
        "Waiting for {name} {version} {what} on the registry"
    ));
    let start = Instant::now();
    let mut cache = IndexCache::default();
    let mut delay = interval;
    let mut said: Option<(bool, bool)> = None;
    let mut last: Option<(bool, bool)> = None;
    let mut last_error: Option<String> = None;
    loop {
        let pause = match look(ctx, reg, name, version, want, &mut cache) {
            Ok(Ok(Look {
                api: true,
                index: true,
                file,
            })) => {
                spinner.finish_and_clear();
                return Ok(file.unwrap_or_default());
            }
            Ok(Ok(seen)) => {
                let state = (seen.api, seen.index);
                if said != Some(state) && (seen.api || seen.index) {
                    ctx.ui.info(missing(name, version, what, state));
                    said = Some(state);
                }
                last = Some(state);
                delay
            }
            Ok(Err((after, who))) => {
                let asked = after.unwrap_or(delay);
                ctx.ui.info(format!(
                    "The registry's {who} answered 429 Too Many Requests: waiting {}{}",
                    crate::ui::duration(asked),
                    if after.is_some() {
                        " as its Retry-After asks"
                    } else {
                        ""
                    }
                ));
                asked
            }
            // A failed request (a CDN hiccup, the network gone for a moment) is one more "not yet".
            Err(e) => {
                last_error = Some(format!("{e:#}"));
                delay
            }
        };
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            break;
        }
        std::thread::sleep(pause.min(timeout - elapsed));
        delay = (delay.mul_f64(1.5)).min(cap).max(interval);
    }
    spinner.finish_and_clear();
    let state = match last {
        Some(state) => missing(name, version, what, state),
        None => "the registry did not answer".into(),
    };
    let last_error = last_error
        .map(|e| format!("\nThe last failed request: {e}"))
        .unwrap_or_default();
    bail!(
        "{name} {version} is not visible yet as {what} on the registry after {}: {state}.{last_error}\n\
         The CDN can lag; the limit is `publish-timeout` in [package.metadata.hotfix].",
        crate::ui::duration(timeout)
    )
}

/// Which of the two is still missing, said plainly.
fn missing(name: &str, version: &str, what: &str, (api, index): (bool, bool)) -> String {
    match (api, index) {
        (true, false) => format!(
            "the registry's API has {name} {version} {what}; the index file does not show it yet \
             (CDN edges can serve a stale index file for minutes)"
        ),
        (false, true) => {
            format!("the index file shows {name} {version} {what}; the registry's API does not yet")
        }
        _ => format!("neither the registry's API nor its index shows {name} {version} {what} yet"),
    }
}
