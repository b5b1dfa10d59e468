//! [`Ctx`]: everything a step may use — output, the process runner, the prompter, the settings, the
//! clock, the repository — and the record `R` of the flow it belongs to.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::clock::Clock;
use crate::env::Env;
use crate::ops::gh::Gh;
use crate::ops::git::Git;
use crate::prompt::Prompter;
use crate::record::{Layout, Saver, Tracked};
use crate::runner::Runner;
use crate::settings::{Settings, DEFAULT_INDEX};
use crate::ui::Ui;

/// What a step works with. `R` is the flow's record: [`crate::record::Hotfix`] or
/// [`crate::record::Rollback`].
pub struct Ctx<R> {
    pub ui: Ui,
    pub runner: Runner,
    pub prompter: Prompter,
    pub settings: Settings,
    pub clock: Clock,
    pub env: Env,
    /// The repository the user ran in.
    pub origin_repo: PathBuf,
    /// Where local steps act: the repository itself, or the throwaway clone of a rehearsal.
    pub repo: PathBuf,
    /// What the flow has been asked, decided and done.
    pub rec: R,
    /// Where the record is written; `None` until the first step is confirmed (nothing is written
    /// before that).
    pub record_file: Option<PathBuf>,
    /// The `.git/caro-hotfix/` directory (a scratch one in a rehearsed rollback).
    pub layout: Option<Layout>,
    /// Keeps the rehearsal's clone alive until the run ends.
    pub sandbox: Option<tempfile::TempDir>,
    /// A rehearsed rollback keeps its record and texts here, never in the repository.
    pub scratch: Option<tempfile::TempDir>,
    /// Writes the record without making the steps wait for the disk; flushed before anything
    /// changes (through the runner's barrier) and before the record is archived or forgotten.
    pub saver: Saver,
    /// The repository's run lock, held until the run ends (none in a rehearsal).
    pub lock: Option<crate::record::lock::RunLock>,
}

impl<R: Tracked> Ctx<R> {
    pub fn git(&mut self) -> Git<'_> {
        Git::new(&mut self.runner, &self.repo)
    }

    pub fn gh(&mut self) -> Gh<'_> {
        Gh::new(&mut self.runner, &self.repo, self.clock.clone()).on(self.rec.github_repo())
    }

    /// Saves the record atomically, and appends the commands run since the last save to its journal.
    pub fn save(&mut self) -> Result<()> {
        let typed = self.prompter.take_typed();
        if !typed.is_empty() {
            let now = self.clock.now();
            self.rec.confirmed(&now, typed);
        }
        let new = self.runner.take_journal();
        match &self.record_file {
            Some(path) => self.saver.save(path, &mut self.rec, new),
            None => {
                self.rec.journal_mut().extend(new);
                Ok(())
            }
        }
    }

    /// A path inside the repository, as messages show it (relative to the repository).
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.repo)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Records a one-line note on a step.
    pub fn note(&mut self, number: u8, note: impl Into<String>) {
        self.rec.note(number, note.into());
    }

    /// Writes a text into `.git/caro-hotfix/` and returns its path.
    pub fn keep_file(&self, name: &str, contents: &str) -> Result<PathBuf> {
        let layout = self
            .layout
            .as_ref()
            .context("there is no record yet (the first step has not run)")?;
        let path = layout.kept(name);
        crate::fsx::write_atomic(&path, contents.as_bytes())?;
        Ok(path)
    }

    /// `--poll-interval`, or the poller's own default.
    pub fn poll_interval(&self, default_secs: f64) -> std::time::Duration {
        self.settings.poll_interval(default_secs)
    }

    /// The refresh of gh's own watch loops: `--poll-interval` in whole seconds (at least 1, gh's
    /// unit) when it was given; gh's defaults otherwise.
    pub fn watch_interval(&self) -> Option<u64> {
        self.settings
            .poll_interval
            .map(|secs| secs.round().max(1.0) as u64)
    }

    /// The URL of the crate's file in the sparse index that is watched for the publish.
    pub fn index_url(&self, crate_name: &str) -> Result<String> {
        let root = match (&self.settings.registry_index, &self.settings.registry) {
            (Some(url), _) => url.clone(),
            (None, Some(name)) => {
                crate::ops::cargo::registry_index(&self.env, &self.origin_repo, name).with_context(
                    || {
                        format!(
                    "--registry {name}: cargo's configuration has no [registries.{name}] index; \
                         add it to .cargo/config.toml or pass --registry-index URL"
                )
                    },
                )?
            }
            (None, None) => DEFAULT_INDEX.to_string(),
        };
        Ok(crate::logic::registry::index_url(&root, crate_name))
    }

    /// Says something outside the repository was done (pushed, opened, merged, published); a
    /// rehearsal says it only simulated it, so its transcript never claims what did not happen.
    pub fn remote_ok(&self, text: impl AsRef<str>) {
        if self.settings.dry_run {
            self.ui.ok(format!("(simulated) {}", text.as_ref()));
        } else {
            self.ui.ok(text);
        }
    }
}
