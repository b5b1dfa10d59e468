//! The world a run talks to: where it prints, where answers come from, the environment it reads and
//! hands to its programs. `main` gives the real one; tests give their own.

use std::ffi::OsString;
use std::path::PathBuf;

pub use crate::env::Env;
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
            env.set(k.clone(), v.clone());
        }
        if let Some(path) = &self.path {
            env.set("PATH", path.clone());
        }
        env
    }
}
