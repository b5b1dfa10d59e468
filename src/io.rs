//! The world a run talks to: where it prints, where answers come from, the environment it reads and
//! hands to its programs. `main` gives the real one; tests give their own.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use crate::prompt::Backend;
use crate::ui::Ui;

/// What a run is given from outside.
pub struct Io {
    pub ui: Ui,
    /// Answers; `None` means "decide": dialoguer on a terminal, defaults for a fire drill.
    pub backend: Option<Box<dyn Backend>>,
    /// `PATH` for child processes and for finding programs (tests put stand-ins first); `None`
    /// inherits.
    pub path: Option<OsString>,
    /// Environment variables set for child processes, and seen by caro-hotfix itself.
    pub env: Vec<(OsString, OsString)>,
    /// The directory `-C` is relative to.
    pub cwd: PathBuf,
}

impl Io {
    /// The real terminal and environment.
    pub fn real() -> Io {
        Io {
            ui: Ui::terminal(),
            backend: None,
            path: None,
            env: Vec::new(),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    /// The environment caro-hotfix reads: the process's, with this `Io`'s variables and `PATH` on top.
    pub fn environment(&self) -> Env {
        let mut env = Env::process();
        for (k, v) in &self.env {
            env.vars.insert(k.clone(), v.clone());
        }
        if let Some(path) = &self.path {
            env.vars.insert("PATH".into(), path.clone());
        }
        env
    }
}

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
    pub fn of<K: Into<OsString>, V: Into<OsString>>(pairs: impl IntoIterator<Item = (K, V)>) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
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

    /// The clock: fixed by `CARO_HOTFIX_NOW`, else the system's.
    pub fn clock(&self) -> anyhow::Result<crate::clock::Clock> {
        match self.var("CARO_HOTFIX_NOW") {
            Some(at) if !at.is_empty() => crate::clock::Clock::fixed(&at),
            _ => Ok(crate::clock::Clock::system()),
        }
    }
}
