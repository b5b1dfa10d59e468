//! The sixteen steps as a linear state machine: an ordered list, and a driver that runs them in order,
//! records progress after each, and starts at the first unfinished one.
//!
//! A step is a function of [`Ctx`]. Steps never spawn processes or prompt directly: they go through
//! `ctx.runner` (via the typed wrappers in `ops`) and `ctx.prompter`. Every step first checks whether its
//! effect is already there, so running it again after an interruption does nothing twice.

mod advisory;
mod announce;
mod audit;
mod backport;
mod base;
mod branch;
mod bump;
mod confirm;
mod document;
mod fix;
mod merge;
mod pr;
mod publish;
pub mod reconcile;
mod review;
mod strategy;
mod summary;
mod test;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::StartOpts;
use crate::config::Config;
use crate::ops::git::Git;
use crate::prompt::Prompter;
use crate::runner::Runner;
use crate::state::{self, State, StepStatus};
use crate::ui::Ui;

/// One step: its number, what it achieves, and the code that achieves it.
pub struct Step {
    pub number: u8,
    pub title: &'static str,
    pub run: fn(&mut Ctx) -> Result<()>,
}

/// The sixteen steps, in order.
pub const STEPS: [Step; 16] = [
    Step {
        number: 1,
        title: "Confirm the emergency",
        run: confirm::run,
    },
    Step {
        number: 2,
        title: "Identify the base version",
        run: base::run,
    },
    Step {
        number: 3,
        title: "Create the hotfix branch",
        run: branch::run,
    },
    Step {
        number: 4,
        title: "Document the issue",
        run: document::run,
    },
    Step {
        number: 5,
        title: "Apply the minimal fix",
        run: fix::run,
    },
    Step {
        number: 6,
        title: "Update version and changelog",
        run: bump::run,
    },
    Step {
        number: 7,
        title: "Run the tests",
        run: test::run,
    },
    Step {
        number: 8,
        title: "Quick security audit",
        run: audit::run,
    },
    Step {
        number: 9,
        title: "Push and open the PR",
        run: pr::run,
    },
    Step {
        number: 10,
        title: "Wait for review",
        run: review::run,
    },
    Step {
        number: 11,
        title: "Merge and tag",
        run: merge::run,
    },
    Step {
        number: 12,
        title: "Watch the publish",
        run: publish::run,
    },
    Step {
        number: 13,
        title: "Publish the security advisory",
        run: advisory::run,
    },
    Step {
        number: 14,
        title: "Announce the hotfix",
        run: announce::run,
    },
    Step {
        number: 15,
        title: "Backport the fix",
        run: backport::run,
    },
    Step {
        number: 16,
        title: "Summary",
        run: summary::run,
    },
];

/// crates.io's sparse index.
pub const DEFAULT_INDEX: &str = "https://index.crates.io/";

/// `(number, title)` of every step, for a new record.
pub fn step_titles() -> Vec<(u8, &'static str)> {
    STEPS.iter().map(|s| (s.number, s.title)).collect()
}

/// Options of a run that steps consult.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub remote: String,
    pub dry_run: bool,
    pub non_interactive: bool,
    pub start: StartOpts,
    pub poll_interval: Option<f64>,
    pub registry: Option<String>,
    pub registry_index: Option<String>,
    /// `caro-hotfix demo`: step 5 offers the sample fix.
    pub demo: bool,
}

/// Everything a step may use.
pub struct Ctx {
    pub ui: Ui,
    pub runner: Runner,
    pub prompter: Prompter,
    pub opts: Options,
    pub config: Config,
    /// The repository the user ran in.
    pub origin_repo: PathBuf,
    /// Where local steps act: the repository itself, or the throwaway clone of a rehearsal.
    pub repo: PathBuf,
    pub state: State,
    /// The record file; `None` until step 1 is confirmed (nothing is written before that).
    pub record: Option<PathBuf>,
    /// Keeps the rehearsal's clone alive until the run ends.
    pub sandbox: Option<tempfile::TempDir>,
    /// A rehearsed rollback keeps its record and texts here, never in the repository.
    pub scratch: Option<tempfile::TempDir>,
    /// Set by a rollback whose maintainer chose to start the next hotfix at once.
    pub next_hotfix: Option<crate::rollback::NextHotfix>,
    /// Writes the record without making the steps wait for the disk; flushed before anything
    /// changes (through the runner's barrier) and before the record is archived or forgotten.
    pub saver: state::Saver,
}

impl Ctx {
    pub fn git(&mut self) -> Git<'_> {
        Git::new(&mut self.runner, &self.repo)
    }

    /// Saves the record atomically, and appends the commands run since the last save to its journal.
    pub fn save(&mut self) -> Result<()> {
        let new = self.runner.take_journal();
        match &self.record {
            Some(path) => self.saver.save(path, &mut self.state, new),
            None => {
                self.state.journal.extend(new);
                Ok(())
            }
        }
    }

    /// The hotfix version decided at step 2.
    pub fn version(&self) -> Result<semver::Version> {
        let v = self
            .state
            .version
            .as_deref()
            .context("the hotfix version is not decided yet (step 2 has not run)")?;
        semver::Version::parse(v)
            .with_context(|| format!("the record's version `{v}` is not semver"))
    }

    pub fn base_tag(&self) -> Result<String> {
        self.state
            .base_tag
            .clone()
            .context("the base tag is not decided yet (step 2 has not run)")
    }

    pub fn branch(&self) -> Result<String> {
        self.state
            .branch
            .clone()
            .context("the hotfix branch is not decided yet (step 2 has not run)")
    }

    /// A path inside the repository, as messages show it (relative to the repository).
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.repo)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Records a one-line note on the current step.
    pub fn note(&mut self, number: u8, note: impl Into<String>) {
        if let Some(step) = self.state.step_mut(number) {
            step.note = Some(note.into());
        }
    }
}

/// The moment the hotfix starts (step 1 confirmed): a rehearsal moves into its throwaway clone, and
/// the record is written from now on.
pub fn begin(ctx: &mut Ctx) -> Result<()> {
    if ctx.opts.dry_run && ctx.sandbox.is_none() {
        let sandbox = crate::sandbox::create(&mut ctx.runner, &ctx.origin_repo, &ctx.opts.remote)?;
        ctx.repo = sandbox.path().to_path_buf();
        ctx.ui.ok(format!(
            "Rehearsal: working in a throwaway clone at {}; the repository and the remote stay untouched",
            ctx.repo.display()
        ));
        // Ctrl-C ends the process at once, without the TempDir's clean-up: the handler removes it.
        let clone = sandbox.path().to_path_buf();
        crate::interrupt::before_exit("rehearsal clone", move || {
            let _ = std::fs::remove_dir_all(&clone);
        });
        ctx.sandbox = Some(sandbox);
        let origin_repo = ctx.origin_repo.clone();
        if let Some(dir) = crate::sandbox::share_build_cache(&mut ctx.runner, &origin_repo)? {
            let shown = dir
                .strip_prefix(&origin_repo)
                .unwrap_or(&dir)
                .display()
                .to_string();
            ctx.ui.ok(format!(
                "Rehearsal: the clone builds in {shown}, kept between rehearsals so dependencies are built once"
            ));
            let bar = ctx
                .ui
                .spinner("Reusing the dependencies your own builds compiled");
            let seeded = crate::sandbox::reuse_builds(&mut ctx.runner, &origin_repo, &dir)
                .with_context(|| format!("could not copy your builds into {shown}"));
            bar.finish_and_clear();
            match seeded {
                Ok(seeded) if seeded.entries > 0 => ctx.ui.ok(format!(
                    "Rehearsal: reused {} dependency artifacts from your own builds in target/{} (libraries hard-linked, {:.1} MB copied)",
                    seeded.entries,
                    seeded.profiles.join(", target/"),
                    seeded.bytes as f64 / 1_000_000.0,
                )),
                Ok(_) => {}
                Err(err) => ctx.ui.warn(format!(
                    "{err:#}; the clone builds its dependencies itself (slower, nothing else changes)"
                )),
            }
        }
    }
    let common = ctx.git().common_dir()?;
    ctx.record = Some(state::record_path(&common));
    ctx.save()
}

impl Ctx {
    pub fn gh(&mut self) -> crate::ops::gh::Gh<'_> {
        crate::ops::gh::Gh::new(&mut self.runner, &self.repo)
    }

    /// The directory of the record, where the PR body, advisory JSON and announcement are kept.
    pub fn state_dir(&self) -> Result<PathBuf> {
        let record = self
            .record
            .as_ref()
            .context("the hotfix has no record yet (step 1 has not run)")?;
        Ok(record.parent().map(PathBuf::from).unwrap_or_default())
    }

    /// Writes a file into the record's directory and returns its path.
    pub fn keep_file(&self, name: &str, contents: &str) -> Result<PathBuf> {
        let path = self.state_dir()?.join(name);
        crate::fsx::write_atomic(&path, contents.as_bytes())?;
        Ok(path)
    }

    /// `--poll-interval`, or the poller's own default.
    pub fn poll_interval(&self, default_secs: f64) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.opts.poll_interval.unwrap_or(default_secs))
    }

    /// `owner/name` and URL on GitHub, read once and recorded.
    pub fn github(&mut self) -> Result<(String, String)> {
        if let (Some(r), Some(u)) = (&self.state.github_repo, &self.state.github_url) {
            return Ok((r.clone(), u.clone()));
        }
        // The demo has no GitHub: its sample answers as if it lived at github.com/example/<crate>.
        let name = self
            .state
            .crate_name
            .clone()
            .unwrap_or_else(|| "crate".into());
        let simulated = format!(
            r#"{{"nameWithOwner":"example/{name}","url":"https://github.com/example/{name}"}}"#
        );
        let (repo, url) = self.gh().repo(&simulated)?;
        self.state.github_repo = Some(repo.clone());
        self.state.github_url = Some(url.clone());
        Ok((repo, url))
    }

    /// The values the texts of steps 9–16 are filled with.
    pub fn facts(&mut self) -> Result<crate::texts::Facts> {
        let version = self.version()?.to_string();
        let (repo, repo_url) = self.github()?;
        let crate_name = match self.state.crate_name.clone() {
            Some(n) => n,
            None => self.package()?.name,
        };
        let mut fix_subjects = Vec::new();
        for c in self.state.fix_commits.clone() {
            let message = self.git().message(&c).unwrap_or_default();
            fix_subjects.push(message.lines().next().unwrap_or("").to_string());
        }
        let maintainer = self
            .git()
            .config("user.name")?
            .unwrap_or_else(|| "the maintainer".into());
        Ok(crate::texts::Facts {
            crate_name,
            repo,
            repo_url,
            base_version: self.state.base_version.clone().unwrap_or_default(),
            tag: format!("{}{version}", self.config.tag_prefix),
            version,
            base_tag: self.base_tag()?,
            incident: self.state.incident.clone(),
            fix_subjects,
            tests_summary: self.state.tests_summary.clone(),
            audit: self.state.audit.clone(),
            maintainer,
            on_crates_io: self.opts.registry.is_none(),
        })
    }

    /// The URL of the crate's file in the sparse index that is watched for the publish.
    pub fn index_url(&self, crate_name: &str) -> Result<String> {
        let root = match (&self.opts.registry_index, &self.opts.registry) {
            (Some(url), _) => url.clone(),
            (None, Some(name)) => crate::ops::cargo::registry_index(&self.origin_repo, name)
                .with_context(|| {
                    format!(
                        "--registry {name}: cargo's configuration has no [registries.{name}] index; \
                         add it to .cargo/config.toml or pass --registry-index URL"
                    )
                })?,
            (None, None) => DEFAULT_INDEX.to_string(),
        };
        Ok(crate::logic::registry::index_url(&root, crate_name))
    }

    /// The tag of the hotfix, `vX.Y.Z`.
    pub fn tag(&self) -> Result<String> {
        Ok(format!("{}{}", self.config.tag_prefix, self.version()?))
    }

    /// Says something outside the repository was done (pushed, opened, merged, published); a
    /// rehearsal says it only simulated it, so its transcript never claims what did not happen.
    pub fn remote_ok(&self, text: impl AsRef<str>) {
        if self.opts.dry_run {
            self.ui.ok(format!("(simulated) {}", text.as_ref()));
        } else {
            self.ui.ok(text);
        }
    }

    /// The branch the PR targets, decided at step 2.
    pub fn base_branch(&self) -> Result<String> {
        self.state
            .base_branch
            .clone()
            .context("the PR's base branch is not recorded (step 2 has not run)")
    }

    /// The PR number recorded at step 9.
    pub fn pr_number(&self) -> Result<u64> {
        self.state
            .pr_number
            .context("the hotfix PR is not recorded (step 9 has not run)")
    }

    /// The package being hotfixed, as cargo sees it now.
    pub fn package(&mut self) -> Result<crate::ops::cargo::Package> {
        let repo = self.repo.clone();
        let meta = crate::ops::cargo::metadata(&mut self.runner, &repo)?;
        Ok(meta
            .select(self.opts.start.package.as_deref(), &repo.join("Cargo.toml"))?
            .clone())
    }

    /// The CHANGELOG of the package: its own when it keeps one, else the repository's.
    pub fn changelog_path(&mut self) -> Result<PathBuf> {
        let package = self.package()?;
        Ok(self.changelog_of(&package))
    }

    /// [`Ctx::changelog_path`] for a package already read.
    pub fn changelog_of(&self, package: &crate::ops::cargo::Package) -> PathBuf {
        let dir = package
            .manifest_path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| self.repo.clone());
        [dir.join("CHANGELOG.md"), self.repo.join("CHANGELOG.md")]
            .into_iter()
            .find(|p| p.exists())
            .unwrap_or_else(|| self.repo.join("CHANGELOG.md"))
    }
}

/// SECURITY.md: the one at the top, or `.github/SECURITY.md` when only that exists.
pub fn security_md_path(repo: &Path) -> PathBuf {
    let top = repo.join("SECURITY.md");
    let github = repo.join(".github").join("SECURITY.md");
    if !top.exists() && github.exists() {
        github
    } else {
        top
    }
}

/// Runs every unfinished step in order, saving the record after each.
pub fn drive(ctx: &mut Ctx) -> Result<()> {
    drive_steps(ctx, &STEPS)
}

/// Runs every unfinished step of `steps` (the hotfix's sixteen, or the rollback's) in order.
pub fn drive_steps(ctx: &mut Ctx, steps: &[Step]) -> Result<()> {
    let total = steps.len();
    // The save that ends a step also starts the next one: one atomic write between two steps,
    // not two back to back (each costs an fsync). A kill in between leaves the next step "in
    // progress", which is where resume starts anyway.
    let mut started_by_last_save = false;
    for (i, step) in steps.iter().enumerate() {
        let status = ctx
            .state
            .step_mut(step.number)
            .map(|s| s.status)
            .unwrap_or(StepStatus::Pending);
        if matches!(status, StepStatus::Done | StepStatus::Skipped) {
            continue;
        }
        ctx.ui.step(step.number, total, step.title);
        let recorded = if ctx.record.is_some() { step.number } else { 0 };
        crate::interrupt::at_step(recorded, ctx.opts.dry_run);
        if !std::mem::take(&mut started_by_last_save) {
            if let Some(record) = ctx.state.step_mut(step.number) {
                record.status = StepStatus::InProgress;
                record.started_at.get_or_insert_with(state::now);
            }
            ctx.save()?;
        }
        let result = (step.run)(ctx);
        match result {
            Ok(()) => {
                let now = state::now();
                if let Some(record) = ctx.state.step_mut(step.number) {
                    record.status = StepStatus::Done;
                    record.finished_at = Some(now.clone());
                }
                let next = steps[i + 1..].iter().find(|s| {
                    ctx.state.steps.iter().any(|r| {
                        r.number == s.number
                            && !matches!(r.status, StepStatus::Done | StepStatus::Skipped)
                    })
                });
                if let Some(next) = next {
                    if let Some(record) = ctx.state.step_mut(next.number) {
                        record.status = StepStatus::InProgress;
                        record.started_at.get_or_insert(now);
                    }
                    started_by_last_save = true;
                }
                ctx.save()?;
            }
            Err(err) => {
                ctx.ui.line(format!(
                    "{} {}",
                    console::style("✗").red().for_stderr(),
                    step.title
                ));
                // Before step 3 nothing exists but the record: forget it, so the hotfix can simply be
                // started again (with other options). Later, the step stays in progress and what it
                // recorded is kept for `resume`.
                if ctx.state.kind.is_none() && step.number <= 2 {
                    if let Some(path) = ctx.record.take() {
                        let _ = ctx.saver.flush();
                        let _ = state::forget(&path);
                    }
                } else {
                    let _ = ctx.save();
                }
                return Err(err.context(format!(
                    "step {} ({}) did not finish",
                    step.number,
                    step.title.to_lowercase()
                )));
            }
        }
    }
    if ctx.state.completed_at.is_some() {
        if let Some(path) = ctx.record.take() {
            let name = match ctx.state.kind.as_deref() {
                Some(kind) => format!(
                    "{kind}-{}",
                    ctx.state.version.as_deref().unwrap_or("unknown")
                ),
                None => ctx
                    .state
                    .version
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
            };
            ctx.saver.flush()?;
            let kept = state::archive(&path, &ctx.state, &name)?;
            ctx.ui.ok(format!(
                "The hotfix is complete; its record is kept in {}",
                ctx.shown(&kept)
            ));
        }
    }
    Ok(())
}
