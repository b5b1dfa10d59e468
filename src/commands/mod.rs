//! One file per command; this module holds what they share: opening a session on the repository
//! (the prompter, the runner, the project's configuration, preflight) and building a step context.
//!
//! A command parses nothing itself (`cli` did) and decides nothing a step decides: it turns the
//! command line into a record's [`crate::record::Request`] and [`Settings`], and hands over to a flow.

pub mod abort;
pub mod demo;
pub mod follow_up;
pub mod resume;
pub mod rollback;
pub mod start;
pub mod status;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::GlobalOpts;
use crate::clock::Clock;
use crate::config::Config;
use crate::env::Env;
use crate::error::Usage;
use crate::flow::Ctx;
use crate::io::Io;
use crate::ops::git::Git;
use crate::prompt::{self, Backend, Prompter};
use crate::record::lock::RunLock;
use crate::record::{Layout, Saver, Tracked};
use crate::runner::Runner;
use crate::settings::Settings;
use crate::ui::Ui;

/// The prompter for this run, or a usage error when nobody could answer.
fn prompter(io_backend: Option<Box<dyn Backend>>, g: &GlobalOpts, ui: &Ui) -> Result<Prompter> {
    if let Some(backend) = io_backend {
        return Ok(Prompter::new(backend));
    }
    if g.dry_run && g.non_interactive {
        return Ok(Prompter::new(Box::new(prompt::Defaults::new(ui.clone()))));
    }
    if !prompt::can_ask() {
        return Err(Usage(
            "caro-hotfix needs an interactive terminal (stdin is not one): it asks for typed \
             confirmations. Run it in a terminal (its output may be piped, e.g. to `tee`), or rehearse \
             without one: --dry-run --non-interactive."
                .into(),
        )
        .into());
    }
    Ok(Prompter::new(Box::new(prompt::Dialoguer::new())))
}

/// What every command that works on a repository needs: output, runner, prompter, the repository,
/// its `.git/caro-hotfix/`, the project's configuration, the environment and the clock.
pub struct Session {
    /// The repository's run lock (none in a rehearsal, which changes nothing).
    pub lock: Option<RunLock>,
    pub ui: Ui,
    pub runner: Runner,
    pub prompter: Prompter,
    pub repo: PathBuf,
    pub layout: Layout,
    pub project: Config,
    pub env: Env,
    pub clock: Clock,
}

/// Opens a session: the project's configuration, then preflight (every problem at once).
/// `tolerated` are paths a resumed step may rightly have left modified; `offline` programs are only
/// printed (the demo has no GitHub).
pub fn open(g: &GlobalOpts, io: Io, tolerated: &[&str], offline: bool) -> Result<Session> {
    let ui = io.ui.clone();
    let env = io.environment();
    let clock = env.clock().map_err(|e| Usage(format!("{e:#}")))?;
    let dir = directory(g, &io);
    if !dir.is_dir() {
        return Err(Usage(format!("-C {}: no such directory", dir.display())).into());
    }
    let mut runner = runner_for(&io, &env, g.dry_run);
    let prompter = prompter(io.backend, g, &ui)?;
    if offline {
        runner = runner.with_offline(&["gh", "curl"]);
    }

    // The project's configuration, read before preflight: it may name the remote. A manifest that
    // cannot be read is left to preflight to report with the rest.
    let project = {
        let mut git = Git::new(&mut runner, &dir);
        match git.is_work_tree().then(|| git.toplevel()) {
            Some(Ok(top)) => match std::fs::read_to_string(top.join("Cargo.toml")) {
                Ok(text) => match Config::from_manifest(&text) {
                    Ok(c) => c,
                    Err(e) if text.parse::<toml_edit::DocumentMut>().is_ok() => return Err(e),
                    Err(_) => Config::default(),
                },
                Err(_) => Config::default(),
            },
            _ => Config::default(),
        }
    };
    let remote = Settings::remote_for_start(g, &project);
    // The host gh must be logged in to: the one the hotfix's repository is on (an unknown remote
    // is reported by preflight with the rest).
    let host = crate::ops::gh::derive(&mut runner, &dir, &remote, project.repository.as_deref())
        .ok()
        .flatten()
        .map(|g| crate::ops::gh::host_of(&g));
    let problems = crate::preflight::check(&mut runner, &dir, &remote, host.as_deref(), tolerated);
    if !problems.is_empty() {
        ui.line("caro-hotfix cannot start:");
        for p in &problems {
            ui.line(format!("  ✗ {p}"));
        }
        anyhow::bail!(
            "{} to fix before the hotfix can go on (nothing was changed)",
            crate::ui::count(problems.len(), "problem")
        );
    }
    let repo = Git::new(&mut runner, &dir).toplevel()?;
    let common = Git::new(&mut runner, &repo).common_dir()?;
    Ok(Session {
        lock: None,
        ui,
        runner,
        prompter,
        repo,
        layout: Layout::in_git_dir(&common),
        project,
        env,
        clock,
    })
}

impl Session {
    /// Takes the repository's run lock for `command` (`resume`, `abort`…): one run at a time. A
    /// second run is refused, told who holds it and what it is doing, and changes nothing. A
    /// rehearsal takes no lock.
    pub fn lock(&mut self, command: &str, dry_run: bool) -> Result<()> {
        if dry_run {
            return Ok(());
        }
        self.lock = Some(RunLock::acquire(
            &self.layout,
            command,
            &self.clock.now(),
            crate::record::lock::doing(&self.layout),
        )?);
        Ok(())
    }
}

/// The repository's top and its `.git/caro-hotfix/`, without preflight (status works on a dirty
/// tree).
pub fn locate(g: &GlobalOpts, io: &Io, runner: &mut Runner) -> Result<(PathBuf, Layout)> {
    let dir = directory(g, io);
    let mut git = Git::new(runner, &dir);
    if !git.is_work_tree() {
        anyhow::bail!("{} is not inside a git work tree: run caro-hotfix in your crate's repository, or pass -C PATH", dir.display());
    }
    let repo = git.toplevel()?;
    let common = Git::new(runner, &repo).common_dir()?;
    Ok((repo, Layout::in_git_dir(&common)))
}

/// Where the command works: `-C PATH` (relative to the current directory) or the current directory.
fn directory(g: &GlobalOpts, io: &Io) -> PathBuf {
    match &g.directory {
        Some(d) => io.cwd.join(d),
        None => io.cwd.clone(),
    }
}

/// A runner with the `PATH` and environment the caller chose (the real ones, or a test's).
pub fn runner_for(io: &Io, env: &Env, dry_run: bool) -> Runner {
    let mut runner = Runner::new(io.ui.clone(), dry_run);
    if let Some(path) = env.get("PATH") {
        runner = runner.with_path(path.to_os_string());
    }
    for (k, v) in &io.env {
        runner = runner.with_env(k.clone(), v.clone());
    }
    runner
}

/// A workspace member hotfixed with `--package` may keep its own `[package.metadata.hotfix]`
/// (a tag prefix of its own, its test commands): it applies over the top-level tables — as
/// committed at `at` (the recorded configuration commit) when given.
pub fn member_config(
    runner: &mut Runner,
    repo: &Path,
    name: &str,
    at: Option<&str>,
    config: &mut Config,
) -> Result<()> {
    let root = repo.join("Cargo.toml");
    let meta = crate::ops::cargo::metadata(runner, repo)?;
    let member = meta.select(Some(name), &root)?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if same(&member.manifest_path, &root) {
        return Ok(());
    }
    let canonical = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    let shown = member
        .manifest_path
        .strip_prefix(repo)
        .or_else(|_| member.manifest_path.strip_prefix(&canonical))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| member.manifest_path.display().to_string());
    let committed = match at {
        Some(commit) => Git::new(runner, repo).show_file(commit, &shown)?,
        None => None,
    };
    let text = match committed {
        Some(text) => text,
        None => std::fs::read_to_string(&member.manifest_path)
            .with_context(|| format!("could not read {shown}"))?,
    };
    config.apply_member(&text, &shown)
}

/// The step context of a flow over `rec`, with the settings resolved once.
pub fn context<R: Tracked>(
    session: Session,
    g: &GlobalOpts,
    rec: R,
    request: &crate::record::Request,
    record_file: Option<PathBuf>,
) -> Result<Ctx<R>> {
    let Session {
        lock,
        ui,
        mut runner,
        prompter,
        repo,
        layout,
        mut project,
        env,
        clock,
    } = session;
    // A resumed hotfix keeps the configuration it started with when what is checked out does not
    // descend from that commit (the hotfix branch, cut from the base tag; a backport branch). A
    // checkout that does (main after the merge, with a setting committed since) is read as it is.
    let at = match request.config_commit.as_deref() {
        Some(commit) if !Git::new(&mut runner, &repo).is_ancestor(commit, "HEAD")? => Some(commit),
        _ => None,
    };
    if let Some(commit) = at {
        let text = Git::new(&mut runner, &repo).show_file(commit, "Cargo.toml")?;
        if let Some(recorded) = text.map(|t| Config::from_manifest(&t)).transpose()? {
            project = recorded;
        }
    }
    if let Some(name) = request.package.as_deref() {
        member_config(&mut runner, &repo, name, at, &mut project)?;
    }
    let settings = Settings::resolve(g, request, project, &env);
    let saver = Saver::default();
    runner.set_barrier(saver.barrier());
    crate::interrupt::before_exit("record", saver.drain(std::time::Duration::from_secs(2)));
    let layout = record_file.as_ref().map(|_| layout);
    Ok(Ctx {
        ui,
        runner,
        prompter,
        settings,
        clock,
        env,
        origin_repo: repo.clone(),
        repo,
        rec,
        record_file,
        layout,
        sandbox: None,
        scratch: None,
        saver,
        lock,
    })
}

/// Ends a flow's run: every record save is on disk before the run reports its end (or its error),
/// and a rehearsal says its clone is gone.
pub fn finish<R: Tracked>(ctx: Ctx<R>, result: Result<()>) -> Result<()> {
    // A stop to wait for a time is said, and is no failure.
    let result = match result {
        Err(e) if e.downcast_ref::<crate::error::Waiting>().is_some() => {
            ctx.ui.blank();
            ctx.ui.line(format!("⏳ {e}"));
            Ok(())
        }
        other => other,
    };
    let saved = ctx.saver.flush();
    let result = result.and(saved);
    // The clone goes with `ctx` (its TempDir); the Ctrl-C handler need not remove it any more.
    crate::interrupt::forget("rehearsal clone");
    if ctx.settings.dry_run && ctx.sandbox.is_some() {
        ctx.ui.blank();
        ctx.ui.line(format!(
            "Rehearsal over: the throwaway clone {} is removed; your repository and {} are unchanged.",
            ctx.repo.display(),
            ctx.settings.remote
        ));
    }
    result
}
