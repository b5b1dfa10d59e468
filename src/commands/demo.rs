//! `caro-hotfix demo`: the whole sixteen steps, rehearsed on the sample crate (`sample.rs`) in a
//! throwaway sandbox. The same code as `--dry-run` runs there: local steps for real, every remote
//! command printed. gh and curl are never started (no network, no GitHub account needed).

use anyhow::{Context, Result};

use crate::cli::{GlobalOpts, SeverityArg, StartOpts};
use crate::io::Io;
use crate::sample;

pub fn run(g: &GlobalOpts, io: Io, keep: bool) -> Result<()> {
    let sandbox = tempfile::Builder::new()
        .prefix("caro-hotfix-demo-")
        .tempdir()
        .context("could not create a temporary directory for the demo")?;
    if !keep {
        let path = sandbox.path().to_path_buf();
        crate::interrupt::before_exit("demo sandbox", move || {
            let _ = std::fs::remove_dir_all(&path);
        });
    }
    let ui = io.ui.clone();
    ui.line(format!(
        "caro-hotfix demo: a sample crate `{}` with releases v0.9.0 and v1.0.0 (and a pre-release \
         v1.1.0-beta.1 that is never a base), unreleased work on main, and a bare origin, in {}",
        sample::CRATE,
        sandbox.path().display()
    ));
    ui.line("The hotfix is rehearsed there, on both release lines (1.0 and 0.9): local steps for real, every remote command printed. No network, no GitHub.");
    let built = {
        let env = io.environment();
        let mut runner = super::runner_for(&io, &env, false);
        sample::build(&mut runner, sandbox.path())?
    };
    let mut g = g.clone();
    g.dry_run = true;
    // Nothing to confirm for real in a demo: without a terminal it runs as a fire drill.
    if io.backend.is_none() && !crate::prompt::can_ask() {
        g.non_interactive = true;
    }
    g.directory = Some(built);
    g.remote = Some("origin".into());
    let answers = StartOpts {
        severity: Some(SeverityArg::High),
        impact: Some("A crafted frame makes parse_frame read past the end of its input".into()),
        advisories: vec!["RUSTSEC-2099-0001".into()],
        credit: Some("A. Researcher".into()),
        // Both supported lines in one incident: the fix is made on 1.0 and cherry-picked to 0.9.
        lines: vec!["1.0".into(), "0.9".into()],
        ..StartOpts::default()
    };
    let result = super::start::run(
        sample::DESCRIPTION.to_string(),
        answers,
        &g,
        io,
        Some(sample::FIX),
    );
    crate::interrupt::forget("demo sandbox");
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
