//! `caro-hotfix resume`: continues the recorded hotfix (or rollback) at its first unfinished step,
//! with exactly what it was started with — the record's request, not this command line.

use anyhow::{bail, Result};

use crate::cli::GlobalOpts;
use crate::error::Usage;
use crate::io::Io;
use crate::record::{store, Hotfix, Rollback, Tracked};

pub fn run(g: &GlobalOpts, io: Io, now: bool) -> Result<()> {
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
        let env = io.environment();
        let mut runner = super::runner_for(&io, &env, false);
        super::locate(g, &io, &mut runner)
            .ok()
            .and_then(|(_, layout)| store::load::<Hotfix>(&layout.hotfix()).ok().flatten())
            .and_then(|h| h.first_unfinished())
    };
    let mut tolerated = vec!["SECURITY.md"];
    match at_step {
        Some(6) => tolerated.extend(["Cargo.toml", "Cargo.lock", "CHANGELOG.md"]),
        Some(8) => tolerated.push("CHANGELOG.md"),
        _ => {}
    }
    let mut session = super::open(g, io, &tolerated, false)?;
    session.lock("resume", false)?;
    let record = session.layout.hotfix();
    if let Some(hotfix) = store::load::<Hotfix>(&record)? {
        session.ui.line(format!(
            "Resuming the hotfix {} at step {}",
            hotfix.label(),
            hotfix.first_unfinished().unwrap_or(16)
        ));
        let request = hotfix.request.clone();
        let mut ctx = super::context(session, g, hotfix, &request, Some(record))?;
        ctx.settings.disclose_now = now;
        let result = crate::hotfix::complete_converted(&mut ctx)
            .and_then(|()| crate::hotfix::reconcile(&mut ctx))
            .and_then(|()| crate::hotfix::drive(&mut ctx));
        return super::finish(ctx, result);
    }
    let record = session.layout.rollback();
    if let Some(rollback) = store::load::<Rollback>(&record)? {
        session.ui.line(format!(
            "Resuming the rollback of {} at step {}",
            rollback.label(),
            rollback.first_unfinished().unwrap_or(1)
        ));
        let request = rollback.request.clone();
        let ctx = super::context(session, g, rollback, &request, Some(record))?;
        return super::rollback::drive_then_chain(ctx);
    }
    bail!("no hotfix or rollback is in progress here (no record in .git/caro-hotfix/); start one with `caro-hotfix \"<description>\"`")
}
