//! Ctrl-C: the terminal is restored, one line says where the hotfix stopped, and the process exits 130.
//!
//! The record is saved when each step starts and whenever a step learns something (PR number, merge
//! commit…), so stopping at once loses nothing `resume` needs. Child processes are in the same
//! foreground process group and receive the same SIGINT, so they stop too.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;

type Hook = Box<dyn Fn() + Send + Sync>;
static BEFORE_EXIT: Mutex<Vec<(&'static str, Hook)>> = Mutex::new(Vec::new());

/// Something the handler does before exiting, in the order registered: let the record's pending
/// save reach the disk, remove a rehearsal's throwaway clone. A hook registered again under the
/// same `name` replaces the earlier one.
pub fn before_exit(name: &'static str, hook: impl Fn() + Send + Sync + 'static) {
    if let Ok(mut hooks) = BEFORE_EXIT.lock() {
        hooks.retain(|(n, _)| *n != name);
        hooks.push((name, Box::new(hook)));
    }
}

/// Forgets the hook registered under `name` (what it would clean up is gone already).
pub fn forget(name: &'static str) {
    if let Ok(mut hooks) = BEFORE_EXIT.lock() {
        hooks.retain(|(n, _)| *n != name);
    }
}

static CURRENT_STEP: AtomicU8 = AtomicU8::new(0);
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed: the handler is ending the run.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Called where an interruption shows (a program stopped by SIGINT): lets the handler, which runs on
/// its own thread, end the process with its one line and exit 130 — instead of the step reporting a
/// failure meanwhile. Returns if no handler does within a few seconds (no handler installed, or a
/// SIGINT that did not come from the terminal); the caller then reports an interruption itself.
pub fn wait_for_exit() {
    use std::time::{Duration, Instant};
    let start = Instant::now();
    // Up to a second for the handler to start (the signal may reach the program first)…
    while !requested() {
        if start.elapsed() > Duration::from_secs(1) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // …then time for its hooks (the record's last save, the clone's removal) and its exit.
    while start.elapsed() < Duration::from_secs(6) {
        std::thread::sleep(Duration::from_millis(20));
    }
}
static REHEARSAL: AtomicBool = AtomicBool::new(false);

/// Tells the handler which step is running (0: nothing recorded yet) and whether it is a rehearsal.
pub fn at_step(number: u8, rehearsal: bool) {
    CURRENT_STEP.store(number, Ordering::SeqCst);
    REHEARSAL.store(rehearsal, Ordering::SeqCst);
}

/// Installs the handler; only the real binary calls this (tests drive the wizard in-process).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        REQUESTED.store(true, Ordering::SeqCst);
        // From now on the wizard says nothing more: its steps may be failing because their programs
        // were stopped, and that is not what happened.
        crate::ui::silence();
        if let Ok(hooks) = BEFORE_EXIT.lock() {
            for (_, hook) in hooks.iter() {
                hook();
            }
        }
        let step = CURRENT_STEP.load(Ordering::SeqCst);
        if REHEARSAL.load(Ordering::SeqCst) {
            crate::ui::interrupted(&format!("\nrehearsal interrupted at step {step} — your repository and the remote are unchanged, and its throwaway clone is removed"));
        } else if step == 0 {
            crate::ui::interrupted("\ninterrupted before the hotfix started — nothing was changed");
        } else {
            crate::ui::interrupted(&format!(
                "\ninterrupted at step {step} — run `caro-hotfix resume` to continue"
            ));
        }
        std::process::exit(130);
    });
}
