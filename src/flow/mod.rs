//! What the hotfix and the rollback share: a flow is an ordered list of [`Step`]s, run by one driver
//! that records progress after each and starts at the first unfinished one.
//!
//! A step is a function of [`Ctx`]. Steps never spawn processes or prompt directly: they go through
//! `ctx.runner` (via the typed wrappers in `ops`) and `ctx.prompter`. Every step first checks whether
//! its effect is already there, so running it again after an interruption does nothing twice.
//!
//! - `ctx`: the context a step works with.
//! - `rehearsal`: the moment a flow begins — a rehearsal moves into its throwaway clone.

mod ctx;
pub mod registry_watch;
pub mod rehearsal;

use anyhow::Result;

pub use ctx::Ctx;

use crate::error::StepFailed;
use crate::record::{store, StepStatus, Tracked};

/// One step: its number, what it achieves, and the code that achieves it.
pub struct Step<R> {
    pub number: u8,
    pub title: &'static str,
    pub run: fn(&mut Ctx<R>) -> Result<()>,
}

/// `(number, title)` of every step, for a new record.
pub fn titles<R>(steps: &[Step<R>]) -> Vec<(u8, &'static str)> {
    steps.iter().map(|s| (s.number, s.title)).collect()
}

/// Runs every unfinished step of `steps` in order, saving the record after each. A failed step
/// stays in progress, with what it recorded kept for `resume` (the error says so, see
/// [`StepFailed`]) — except before anything but the record exists (`forgettable` steps), when the
/// record is forgotten so the run can simply be started again.
pub fn drive<R: Tracked>(ctx: &mut Ctx<R>, steps: &[Step<R>], forgettable: u8) -> Result<()> {
    let total = steps.len();
    // The save that ends a step also starts the next one: one atomic write between two steps,
    // not two back to back (each costs an fsync). A kill in between leaves the next step "in
    // progress", which is where resume starts anyway.
    let mut started_by_last_save = false;
    for (i, step) in steps.iter().enumerate() {
        let status = ctx
            .rec
            .step_mut(step.number)
            .map(|s| s.status)
            .unwrap_or(StepStatus::Pending);
        if matches!(status, StepStatus::Done | StepStatus::Skipped) {
            continue;
        }
        ctx.ui.step(step.number, total, step.title);
        let recorded = if ctx.record_file.is_some() {
            step.number
        } else {
            0
        };
        crate::interrupt::at_step(recorded, ctx.settings.dry_run);
        if !std::mem::take(&mut started_by_last_save) {
            let now = ctx.clock.now();
            if let Some(record) = ctx.rec.step_mut(step.number) {
                record.status = StepStatus::InProgress;
                record.started_at.get_or_insert(now);
            }
            ctx.save()?;
        }
        let result = (step.run)(ctx);
        // The typed confirmations belong to the step that asked them (the save below starts the
        // next one).
        let typed = ctx.prompter.take_typed();
        if !typed.is_empty() {
            let now = ctx.clock.now();
            ctx.rec.confirmed(&now, typed);
        }
        match result {
            Ok(()) => {
                let now = ctx.clock.now();
                if let Some(record) = ctx.rec.step_mut(step.number) {
                    record.status = StepStatus::Done;
                    record.finished_at = Some(now.clone());
                }
                let next = steps[i + 1..].iter().find(|s| {
                    ctx.rec.steps().iter().any(|r| {
                        r.number == s.number
                            && !matches!(r.status, StepStatus::Done | StepStatus::Skipped)
                    })
                });
                if let Some(next) = next {
                    if let Some(record) = ctx.rec.step_mut(next.number) {
                        record.status = StepStatus::InProgress;
                        record.started_at.get_or_insert(now);
                    }
                    started_by_last_save = true;
                }
                ctx.save()?;
            }
            Err(err) if err.downcast_ref::<crate::error::Waiting>().is_some() => {
                // Not a failure: the step waits for its time and starts again at `resume`.
                ctx.save()?;
                return Err(err);
            }
            Err(err) => {
                if crate::interrupt::requested() {
                    // Ctrl-C: the handler ends the run (exit 130); no step failed.
                    crate::interrupt::wait_for_exit();
                }
                ctx.ui.failed(step.title);
                let resumable = if step.number <= forgettable {
                    if let Some(path) = ctx.record_file.take() {
                        let _ = ctx.saver.flush();
                        let _ = store::forget(&path);
                    }
                    false
                } else {
                    let _ = ctx.save();
                    ctx.record_file.is_some() && !ctx.settings.dry_run
                };
                return Err(err.context(StepFailed {
                    number: step.number,
                    title: step.title,
                    resumable,
                }));
            }
        }
    }
    if ctx.rec.run().completed_at.is_some() {
        if let (Some(path), Some(layout)) = (ctx.record_file.take(), ctx.layout.clone()) {
            ctx.saver.flush()?;
            let name = ctx.rec.history_name();
            let kept = store::archive(&path, &layout.history(), &ctx.rec, &name)?;
            if ctx.settings.dry_run {
                // Its record went into the throwaway clone (or scratch directory) and goes with it.
                ctx.ui.ok(format!(
                    "The rehearsal of the {} is over; nothing in it happened for real",
                    ctx.rec.what()
                ));
            } else {
                let shown = kept
                    .strip_prefix(&ctx.repo)
                    .unwrap_or(&kept)
                    .display()
                    .to_string();
                ctx.ui.ok(format!(
                    "The {} is complete; its record is kept in {shown}",
                    ctx.rec.what()
                ));
            }
        }
    }
    Ok(())
}
