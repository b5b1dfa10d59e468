//! caro-hotfix: an emergency hotfix of a Rust crate in sixteen typed, checked, resumable steps.
//!
//! `main.rs` parses the command line and calls [`main_with`]; tests call [`run`] with their own
//! [`Io`] (a captured transcript, scripted answers, a `PATH` with stand-ins) to drive the wizard
//! in-process. The layout (docs/architecture.md draws it):
//!
//! - `cli`: the command line. `commands/`: one file per command; they build a record's request and
//!   the [`settings::Settings`], and hand over to a flow.
//! - `flow/`: what the two flows share: a step, the driver, the context, the rehearsal's clone.
//!   `hotfix/`: the sixteen steps, one file each, listed 1 → 16. `rollback`: the rollback's steps.
//! - `record/`: the typed records in `.git/caro-hotfix/` and the one type owning its paths.
//! - `runner`: the only place that starts programs; `ops/`: typed git/cargo/gh/registry calls over it.
//! - `prompt`: the only place that asks; `ui`: the only place that prints and styles; `texts`: what is
//!   printed at length; `io`: the environment; `clock`: the one wall clock; `error`: kinds, exit codes
//!   and hints, rendered once.
//! - `logic/`: pure functions (versions, manifests, changelog, SECURITY.md, audit output).

// Printing belongs to `ui` (see also clippy.toml's house rules).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod env;
pub mod error;
pub mod flow;
pub mod fsx;
pub mod hotfix;
pub mod interrupt;
pub mod io;
pub mod logic;
pub mod ops;
pub mod preflight;
pub mod prompt;
pub mod record;
pub mod rollback;
pub mod runner;
pub mod sample;
pub mod sandbox;
pub mod settings;
pub mod texts;
pub mod ui;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
pub use crate::env::Env;
use crate::error::Usage;
pub use crate::io::Io;

/// Runs the parsed command line against the real world and returns the exit code.
pub fn main_with(cli: Cli) -> u8 {
    let io = Io::real();
    ui::apply_color(cli.global.color, &io.environment());
    interrupt::install();
    let ui = io.ui.clone();
    match run(cli, io) {
        Ok(()) => 0,
        Err(err) => {
            ui.error(&error::render(&err));
            error::exit_code(&err)
        }
    }
}

/// Runs one command of caro-hotfix.
pub fn run(cli: Cli, io: Io) -> Result<()> {
    let g = cli.global;
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
            if let Some(command) = cli::mistyped_command(&description) {
                return Err(Usage(format!(
                    "`{}` is not a command: did you mean `caro-hotfix {command}`? (To start a hotfix, \
                     describe it in more than one word: caro-hotfix \"RUSTSEC-2025-0001 out-of-bounds read in the parser\")",
                    description.trim()
                ))
                .into());
            }
            commands::start::run(description, cli.start, &g, io, None)
        }
        Some(Command::Resume { now }) => commands::resume::run(&g, io, now),
        Some(Command::Status { json }) => commands::status::run(&g, io, json),
        Some(Command::Abort) => commands::abort::run(&g, io),
        Some(Command::FollowUp { version, json }) => {
            commands::follow_up::run(&g, io, version, json)
        }
        Some(Command::Rollback { version }) => commands::rollback::run(&g, io, version),
        Some(Command::Demo { keep }) => commands::demo::run(&g, io, keep),
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
