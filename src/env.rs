//! The environment caro-hotfix reads, as a value: read once from the process by `main` (or made by
//! a test), then handed down. Nothing else reads the process environment (clippy.toml).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};

/// Environment variables, read once: the only way caro-hotfix reads its environment (CARGO_HOME,
/// CARGO_REGISTRIES_*, CARGO_TARGET_DIR, NO_COLOR, CARO_HOTFIX_NOW…), so a test can set them.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
}

impl Env {
    /// The process's environment.
    #[allow(clippy::disallowed_methods)] // The one place that reads the process environment.
    pub fn process() -> Env {
        Env {
            vars: std::env::vars_os().collect(),
        }
    }

    /// An environment of exactly these variables.
    pub fn of<K: Into<OsString>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// Sets (or replaces) a variable.
    pub fn set(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) {
        self.vars.insert(key.into(), value.into());
    }

    pub fn get(&self, key: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(key)).map(OsString::as_os_str)
    }

    /// A variable as text; `None` when unset or not UTF-8.
    pub fn var(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.to_str()).map(str::to_string)
    }

    /// Set to something non-empty (`NO_COLOR`'s rule).
    pub fn is_set(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !v.is_empty())
    }

    /// The clock: fixed by `CARO_HOTFIX_NOW`, else the system's; its pauses between attempts
    /// scaled by `CARO_HOTFIX_BACKOFF_SCALE` and logged to `CARO_HOTFIX_PAUSE_LOG` when set (tests;
    /// see [`crate::clock`]).
    pub fn clock(&self) -> anyhow::Result<crate::clock::Clock> {
        let clock = match self.var("CARO_HOTFIX_NOW") {
            Some(at) if !at.is_empty() => crate::clock::Clock::fixed(&at)?,
            _ => crate::clock::Clock::system(),
        };
        let clock = match self.get("CARO_HOTFIX_PAUSE_LOG") {
            Some(log) if !log.is_empty() => clock.logging_pauses(log.into()),
            _ => clock,
        };
        match self.var("CARO_HOTFIX_BACKOFF_SCALE") {
            Some(factor) if !factor.is_empty() => clock.with_backoff_scale(&factor),
            _ => Ok(clock),
        }
    }
}
