//! caro-hotfix: an emergency hotfix of a Rust crate in sixteen typed, checked, resumable steps.
//!
//! `main.rs` parses the command line and calls [`main_with`]; tests call [`run`] with their own
//! [`Io`] (a captured transcript, scripted answers, a `PATH` with stand-ins) to drive the wizard
//! in-process. The layout:
//!
//! - `cli`: commands and options. `steps`: the sixteen steps and the driver. `preflight`: the checks
//!   before step 1. `logic`: pure functions (versions, manifests, changelog, SECURITY.md, audit output).
//! - `runner`: the only place that starts programs; `ops`: typed git/cargo/gh wrappers over it.
//! - `prompt`: the only place that asks; `ui`: the only place that prints; `texts`: what is printed at
//!   length; `state`: the record in `.git/caro-hotfix/`; `sandbox`: the rehearsal's clone.

pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod fsx;
pub mod interrupt;
pub mod logic;
pub mod manage;
pub mod ops;
pub mod preflight;
pub mod prompt;
pub mod rollback;
pub mod runner;
pub mod sandbox;
pub mod state;
pub mod steps;
pub mod texts;
pub mod ui;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::error::Usage;
use crate::logic::{advisory_id, Incident};
use crate::ops::git::Git;
use crate::prompt::{Backend, Prompter};
use crate::runner::Runner;
use crate::state::State;
use crate::steps::{Ctx, Options};
use crate::ui::Ui;

/// The world the wizard talks to: where it prints, where answers come from, what programs it finds.
pub struct Io {
    pub ui: Ui,
    /// Answers; `None` means "decide": dialoguer on a terminal, defaults for a fire drill.
    pub backend: Option<Box<dyn Backend>>,
    /// `PATH` for child processes (tests put stand-ins first); `None` inherits.
    pub path: Option<OsString>,
    /// Extra environment for child processes.
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
}

/// Runs the parsed command line against the real world and returns the exit code.
pub fn main_with(cli: Cli) -> u8 {
    apply_color(cli.global.color);
    interrupt::install();
    match run(cli, Io::real()) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("{} {err:#}", console::style("error:").red().bold());
            error::exit_code(&err)
        }
    }
}

fn apply_color(choice: ColorChoice) {
    match choice {
        ColorChoice::Always => {
            console::set_colors_enabled(true);
            console::set_colors_enabled_stderr(true);
        }
        ColorChoice::Never => {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                console::set_colors_enabled(false);
                console::set_colors_enabled_stderr(false);
            }
        }
    }
}

/// Runs one command of caro-hotfix.
pub fn run(cli: Cli, io: Io) -> Result<()> {
    let g = cli.global.clone();
    if g.non_interactive && !g.dry_run {
        return Err(Usage(
            "--non-interactive is only for rehearsals: use it together with --dry-run (a fire drill). \
             A real hotfix needs a person to type `yes` and `done`."
                .into(),
        )
        .into());
    }
    if let Some(interval) = g.poll_interval {
        if !(interval.is_finite() && interval >= 0.0) {
            return Err(Usage(format!(
                "--poll-interval {interval}: give a number of seconds, e.g. 15 or 0.5"
            ))
            .into());
        }
    }
    match cli.command {
        None => {
            let description = cli.description.unwrap_or_default();
            start(description, cli.start, g, io, false)
        }
        Some(Command::Resume) => resume(g, io),
        Some(Command::Status { json }) => status(&g, io, json),
        Some(Command::Abort) => abort(&g, io),
        Some(Command::Rollback { version }) => rollback(g, io, version),
        Some(Command::Demo { keep }) => demo(g, io, keep),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "caro-hotfix", &mut out);
            io.ui.data(String::from_utf8_lossy(&out).trim_end());
            Ok(())
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .context("could not render the man page")?;
            io.ui.data(String::from_utf8_lossy(&out).trim_end());
            Ok(())
        }
    }
}

/// The prompter for this run, or a usage error when nobody could answer.
fn prompter(
    io_backend: Option<Box<dyn Backend>>,
    g: &cli::GlobalOpts,
    ui: &Ui,
) -> Result<Prompter> {
    if let Some(backend) = io_backend {
        return Ok(Prompter::new(backend));
    }
    if g.dry_run && g.non_interactive {
        return Ok(Prompter::new(Box::new(prompt::Defaults::new(ui.clone()))));
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Usage(
            "caro-hotfix needs an interactive terminal (stdin or stderr is not one): it asks for typed \
             confirmations. Run it in a terminal, or rehearse without one: --dry-run --non-interactive."
                .into(),
        )
        .into());
    }
    Ok(Prompter::new(Box::new(prompt::Dialoguer::new())))
}

/// What every command that works on a repository needs: output, runner, prompter, the repository.
struct Session {
    ui: Ui,
    runner: Runner,
    prompter: Prompter,
    repo: PathBuf,
    record: PathBuf,
    config: Config,
}

fn open_session(
    g: &mut cli::GlobalOpts,
    io: Io,
    tolerated: &[&str],
    offline: bool,
) -> Result<Session> {
    let ui = io.ui.clone();
    let dir = directory(g, &io);
    if !dir.is_dir() {
        return Err(Usage(format!("-C {}: no such directory", dir.display())).into());
    }
    let mut runner = runner_for(&io, g.dry_run);
    let prompter = prompter(io.backend, g, &ui)?;
    if offline {
        runner = runner.with_offline(&["gh", "curl"]);
    }

    // The project's configuration, read before preflight: it may name the remote. A manifest that
    // cannot be read is left to preflight to report with the rest.
    let config = {
        let mut git = Git::new(&mut runner, &dir);
        if git.is_work_tree() {
            match git.toplevel() {
                Ok(top) => match std::fs::read_to_string(top.join("Cargo.toml")) {
                    Ok(text) => match Config::from_manifest(&text) {
                        Ok(c) => c,
                        Err(e) if text.parse::<toml_edit::DocumentMut>().is_ok() => return Err(e),
                        Err(_) => Config::default(),
                    },
                    Err(_) => Config::default(),
                },
                Err(_) => Config::default(),
            }
        } else {
            Config::default()
        }
    };
    // Flags win over the configuration.
    if g.remote.is_none() {
        g.remote = config.remote.clone();
    }
    if g.registry.is_none() {
        g.registry = config.registry.clone();
    }
    if g.registry_index.is_none() {
        g.registry_index = config.registry_index.clone();
    }

    let problems = preflight::check(&mut runner, &dir, g.remote(), tolerated);
    if !problems.is_empty() {
        ui.line("caro-hotfix cannot start:");
        for p in &problems {
            ui.line(format!("  ✗ {p}"));
        }
        bail!(
            "{} problem{} to fix before the hotfix can go on (nothing was changed)",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
    }
    let repo = Git::new(&mut runner, &dir).toplevel()?;
    let common = Git::new(&mut runner, &repo).common_dir()?;
    let record = state::record_path(&common);
    Ok(Session {
        ui,
        runner,
        prompter,
        repo,
        record,
        config,
    })
}

/// `caro-hotfix demo`: builds the sample and rehearses the hotfix there, offline.
fn demo(g: cli::GlobalOpts, io: Io, keep: bool) -> Result<()> {
    let sandbox = tempfile::Builder::new()
        .prefix("caro-hotfix-demo-")
        .tempdir()
        .context("could not create a temporary directory for the demo")?;
    if !keep {
        let path = sandbox.path().to_path_buf();
        interrupt::before_exit("demo sandbox", move || {
            let _ = std::fs::remove_dir_all(&path);
        });
    }
    let ui = io.ui.clone();
    ui.line(format!(
        "caro-hotfix demo: a sample crate `{}` with releases v0.9.0 and v1.0.0 (and a pre-release \
         v1.1.0-beta.1 that is never a base), unreleased work on main, and a bare origin, in {}",
        demo::CRATE,
        sandbox.path().display()
    ));
    ui.line("The hotfix is rehearsed there: local steps for real, every remote command printed. No network, no GitHub.");
    let sample = {
        let mut runner = runner_for(&io, false);
        demo::build(&mut runner, sandbox.path())?
    };
    let mut g = g;
    g.dry_run = true;
    // Nothing to confirm for real in a demo: without a terminal it runs as a fire drill.
    if io.backend.is_none() && !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal())
    {
        g.non_interactive = true;
    }
    g.directory = Some(sample);
    g.remote = Some("origin".into());
    let answers = cli::StartOpts {
        severity: Some(cli::SeverityArg::High),
        impact: Some("A crafted frame makes parse_frame read past the end of its input".into()),
        advisories: vec!["RUSTSEC-2099-0001".into()],
        credit: Some("A. Researcher".into()),
        ..cli::StartOpts::default()
    };
    let result = start(demo::DESCRIPTION.to_string(), answers, g, io, true);
    interrupt::forget("demo sandbox");
    ui.blank();
    if keep {
        let path = sandbox.keep();
        ui.line(format!(
            "The demo's sandbox is kept in {} (sample/ and origin.git/).",
            path.display()
        ));
    } else {
        ui.line(format!(
            "The demo's sandbox {} is removed (pass --keep to keep it).",
            sandbox.path().display()
        ));
    }
    result
}

fn start(
    description: String,
    start: cli::StartOpts,
    mut g: cli::GlobalOpts,
    io: Io,
    demo: bool,
) -> Result<()> {
    if description.trim().is_empty() {
        return Err(Usage("give a description of what the hotfix fixes, e.g. caro-hotfix \"RUSTSEC-2025-0001 memory safety issue in the parser\"".into()).into());
    }
    let mut start = start;
    for id in &mut start.advisories {
        *id = advisory_id::validate(id).map_err(|e| Usage(format!("--advisory: {e:#}")))?;
    }
    let mut session = open_session(&mut g, io, &[], demo)?;
    if let Some(existing) = state::load(&session.record)? {
        bail!(
            "a hotfix is already in progress ({}, at step {}): continue it with `caro-hotfix resume`, \
             see it with `caro-hotfix status`, or forget it with `caro-hotfix abort`",
            existing.label(),
            existing.first_unfinished().unwrap_or(16)
        );
    }
    // The crate to hotfix must be known before the typed `yes` (a virtual workspace needs --package).
    let repo = session.repo.clone();
    ops::cargo::metadata(&mut session.runner, &repo)?
        .select(start.package.as_deref(), &repo.join("Cargo.toml"))?;
    // Answers given as flags are part of the record from the start, so a hotfix resumed before
    // step 4 does not ask them again.
    let incident = Incident {
        description,
        severity: start.severity.map(Into::into),
        impact: start.impact.clone().unwrap_or_default(),
        advisory_ids: start.advisories.clone(),
        credit: start.credit.clone().unwrap_or_default(),
    };
    let mut state = State::new(incident, g.remote(), g.dry_run, &steps::step_titles());
    for (given, what) in [
        (start.impact.is_some(), "impact"),
        (!start.advisories.is_empty(), "advisories"),
        (start.credit.is_some(), "credit"),
    ] {
        if given {
            state.mark_answered(what);
        }
    }
    state.package = start.package.clone();
    state.fix_from = start.fix_from.clone();
    state.requested_base_branch = start.base.clone();
    let mode = if demo { Mode::Demo } else { Mode::Start };
    drive(session, state, start, g, None, mode)
}

/// The repository's top and its record path, without preflight (status works on a dirty tree).
fn locate(g: &cli::GlobalOpts, io: &Io, runner: &mut Runner) -> Result<(PathBuf, PathBuf)> {
    let dir = directory(g, io);
    let mut git = Git::new(runner, &dir);
    if !git.is_work_tree() {
        bail!("{} is not inside a git work tree: run caro-hotfix in your crate's repository, or pass -C PATH", dir.display());
    }
    let repo = git.toplevel()?;
    let common = Git::new(runner, &repo).common_dir()?;
    Ok((repo, state::record_path(&common)))
}

/// Where the command works: `-C PATH` (relative to the current directory) or the current directory.
fn directory(g: &cli::GlobalOpts, io: &Io) -> PathBuf {
    match &g.directory {
        Some(d) => io.cwd.join(d),
        None => io.cwd.clone(),
    }
}

/// A runner with the `PATH` and environment the caller chose (the real ones, or a test's).
fn runner_for(io: &Io, dry_run: bool) -> Runner {
    let mut runner = Runner::new(io.ui.clone(), dry_run);
    if let Some(path) = &io.path {
        runner = runner.with_path(path.clone());
    }
    for (k, v) in &io.env {
        runner = runner.with_env(k.clone(), v.clone());
    }
    runner
}

fn status(g: &cli::GlobalOpts, io: Io, json: bool) -> Result<()> {
    let mut runner = runner_for(&io, false);
    let (_, record) = locate(g, &io, &mut runner)?;
    // A running wizard's save on its way lands within a millisecond or two: wait for it, so the
    // step shown is the one running.
    state::settle(&record, std::time::Duration::from_secs(2));
    // The hotfix in progress, else a rollback in progress.
    let state = match state::load(&record)? {
        Some(s) => Some(s),
        None => match record.parent() {
            Some(dir) => state::load(&dir.join("rollback.toml"))?,
            None => None,
        },
    };
    manage::status(&io.ui, state.as_ref(), json)
}

fn abort(g: &cli::GlobalOpts, io: Io) -> Result<()> {
    let mut runner = runner_for(&io, false);
    let (repo, record) = locate(g, &io, &mut runner)?;
    let Some(state) = state::load(&record)? else {
        io.ui.line("No hotfix in progress: nothing to abort.");
        return Ok(());
    };
    let ui = io.ui.clone();
    let mut prompter = prompter(io.backend, g, &ui)?;
    manage::abort(&ui, &mut runner, &mut prompter, &repo, &record, &state)
}

/// Continues the recorded hotfix at its first unfinished step, with the options it was started with.
fn resume(mut g: cli::GlobalOpts, io: Io) -> Result<()> {
    if g.dry_run {
        return Err(Usage(
            "a rehearsal leaves no record to resume; run the rehearsal again instead".into(),
        )
        .into());
    }
    // What the interrupted step may rightly have left modified: SECURITY.md between steps 4 and 6;
    // the manifests, lock file and changelog when step 6 was cut short before its commit; the
    // changelog when step 8 was cut short before recording the audit's findings.
    let at_step = {
        let mut runner = runner_for(&io, false);
        locate(&g, &io, &mut runner)
            .ok()
            .and_then(|(_, record)| state::load(&record).ok().flatten())
            .and_then(|s| s.first_unfinished())
    };
    let mut tolerated = vec!["SECURITY.md"];
    match at_step {
        Some(6) => tolerated.extend(["Cargo.toml", "Cargo.lock", "CHANGELOG.md"]),
        Some(8) => tolerated.push("CHANGELOG.md"),
        _ => {}
    }
    let session = open_session(&mut g, io, &tolerated, false)?;
    if let Some(state) = state::load(&session.record)? {
        let start = cli::StartOpts {
            fix_from: state.fix_from.clone(),
            base: state.requested_base_branch.clone(),
            package: state.package.clone(),
            ..cli::StartOpts::default()
        };
        g.remote = Some(state.remote.clone());
        session.ui.line(format!(
            "Resuming the hotfix {} at step {}",
            state.label(),
            state.first_unfinished().unwrap_or(16)
        ));
        let record = session.record.clone();
        return drive(session, state, start, g, Some(record), Mode::Resume);
    }
    let rollback_record = session
        .record
        .parent()
        .map(|d| d.join("rollback.toml"))
        .unwrap_or_default();
    if let Some(state) = state::load(&rollback_record)? {
        g.remote = Some(state.remote.clone());
        session.ui.line(format!(
            "Resuming the rollback of {} at step {}",
            state.label(),
            state.first_unfinished().unwrap_or(1)
        ));
        return drive(
            session,
            state,
            cli::StartOpts::default(),
            g,
            Some(rollback_record),
            Mode::Rollback,
        );
    }
    bail!("no hotfix or rollback is in progress here (no record in .git/caro-hotfix/); start one with `caro-hotfix \"<description>\"`")
}

/// `caro-hotfix rollback [--version X.Y.Z]`.
fn rollback(mut g: cli::GlobalOpts, io: Io, version: Option<String>) -> Result<()> {
    let requested = version
        .as_deref()
        .map(logic::version::parse_version_arg)
        .transpose()
        .map_err(|e| Usage(format!("--version: {e:#}")))?;
    let mut session = open_session(&mut g, io, &[], false)?;
    let common = session
        .record
        .parent()
        .and_then(|d| d.parent())
        .map(PathBuf::from)
        .context("the record has no git directory")?;
    let record = state::rollback_record_path(&common);
    if let Some(existing) = state::load(&record)? {
        bail!(
            "a rollback of {} is already in progress (at step {}): continue it with `caro-hotfix resume`",
            existing.label(),
            existing.first_unfinished().unwrap_or(1)
        );
    }
    let manifest = std::fs::read_to_string(session.repo.join("Cargo.toml"))
        .context("could not read Cargo.toml")?;
    let config = Config::from_manifest(&manifest)?;
    let history = state::completed(&common)?;
    let repo = session.repo.clone();
    // A rehearsal reads the tags it has: fetching would change the repository's refs.
    if !g.dry_run {
        Git::new(&mut session.runner, &repo).fetch_tags(g.remote())?;
    }
    let (version, how) = match requested {
        Some(v) => (v, "as asked"),
        None => match history.first().and_then(|s| s.version.as_deref()) {
            Some(v) => (
                semver::Version::parse(v)?,
                "the last hotfix caro-hotfix completed",
            ),
            None => {
                let tags = Git::new(&mut session.runner, &repo).tags()?;
                let latest = logic::version::latest_release(tags.iter().map(String::as_str), &config.tag_prefix)
                    .context("no --version given, no completed hotfix recorded, and no release tags: pass --version X.Y.Z")?;
                (latest.version, "the highest release tag")
            }
        },
    };
    let original = history
        .iter()
        .find(|s| s.version.as_deref() == Some(version.to_string().as_str()));
    let meta = ops::cargo::metadata(&mut session.runner, &repo)?;
    let package = meta.select(None, &repo.join("Cargo.toml"))?;
    let tag = format!("{}{version}", config.tag_prefix);
    session
        .ui
        .line(format!("Rolling back {} {version} ({how}).", package.name));
    let state = rollback::new_state(
        &version,
        &tag,
        &package.name,
        g.remote(),
        g.dry_run,
        original,
    );
    drive(
        session,
        state,
        cli::StartOpts::default(),
        g,
        None,
        Mode::Rollback,
    )
}

/// How the driver is entered: a new hotfix, a resumed one (checked against the record first), the
/// demo (a rehearsal on the sample crate that offers its fix at step 5), or a rollback.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    Resume,
    Demo,
    Rollback,
}

/// A workspace member hotfixed with `--package` may keep its own `[package.metadata.hotfix]`
/// (a tag prefix of its own, its test commands): it applies over the top-level tables.
fn member_config(runner: &mut Runner, repo: &Path, name: &str, config: &mut Config) -> Result<()> {
    let root = repo.join("Cargo.toml");
    let meta = ops::cargo::metadata(runner, repo)?;
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
    let text = std::fs::read_to_string(&member.manifest_path)
        .with_context(|| format!("could not read {shown}"))?;
    config.apply_member(&text, &shown)
}

/// Builds the step context and runs the driver.
fn drive(
    session: Session,
    state: State,
    start: cli::StartOpts,
    g: cli::GlobalOpts,
    record: Option<PathBuf>,
    mode: Mode,
) -> Result<()> {
    let Session {
        ui,
        mut runner,
        prompter,
        repo,
        mut config,
        ..
    } = session;
    if let Some(name) = start.package.as_deref() {
        member_config(&mut runner, &repo, name, &mut config)?;
    }
    let mut ctx = Ctx {
        ui: ui.clone(),
        runner,
        prompter,
        opts: Options {
            remote: g.remote().to_string(),
            dry_run: g.dry_run,
            non_interactive: g.non_interactive,
            start,
            poll_interval: g.poll_interval,
            registry: g.registry.clone(),
            registry_index: g.registry_index.clone(),
            demo: mode == Mode::Demo,
        },
        config,
        origin_repo: repo.clone(),
        repo,
        state,
        record,
        sandbox: None,
        scratch: None,
        next_hotfix: None,
        saver: state::Saver::default(),
    };
    let barrier = ctx.saver.barrier();
    ctx.runner.set_barrier(barrier);
    interrupt::before_exit("record", ctx.saver.drain(std::time::Duration::from_secs(2)));
    let mut result = match mode {
        Mode::Resume => steps::reconcile::check(&mut ctx).and_then(|()| steps::drive(&mut ctx)),
        Mode::Rollback => steps::drive_steps(&mut ctx, &rollback::STEPS),
        Mode::Start | Mode::Demo => steps::drive(&mut ctx),
    };
    // A rollback chains into the next hotfix, from the yanked tag, when the maintainer asked for it.
    if let (Ok(()), Some(next)) = (&result, ctx.next_hotfix.take()) {
        let incident = Incident {
            description: next.description,
            ..ctx.state.incident.clone()
        };
        let mut state = State::new(incident, g.remote(), g.dry_run, &steps::step_titles());
        state.base_tag = Some(next.base_tag);
        state.base_version = Some(next.base_version);
        ctx.state = state;
        ctx.record = None;
        ui.blank();
        ui.line("The next hotfix starts now.");
        result = steps::drive(&mut ctx);
    }
    // Every record save is on disk before the run reports its end (or its error).
    let saved = ctx.saver.flush();
    let result = result.and(saved);
    // The clone goes with `ctx` (its TempDir); the Ctrl-C handler need not remove it any more.
    interrupt::forget("rehearsal clone");
    if g.dry_run && ctx.sandbox.is_some() {
        ui.blank();
        ui.line(format!(
            "Rehearsal over: the throwaway clone {} is removed; your repository and {} are unchanged.",
            ctx.repo.display(),
            g.remote()
        ));
    }
    result
}
