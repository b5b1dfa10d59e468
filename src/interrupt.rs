//! Ctrl-C: the terminal is restored, one line says where the hotfix stopped, and the process exits 130.
//!
//! The record is saved when each step starts and whenever a step learns something (PR number, merge
//! commit…), so stopping at once loses nothing `resume` needs. Child processes are in the same
//! foreground process group and receive the same SIGINT, so they stop too.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;

type Hook = Box<dyn Fn() + Send + Sync>;
static BEFORE_EXIT: Mutex<Option<Hook>> = Mutex::new(None);

/// What the handler does before exiting: let the record's pending save reach the disk.
pub fn before_exit(hook: impl Fn() + Send + Sync + 'static) {
    if let Ok(mut slot) = BEFORE_EXIT.lock() {
        *slot = Some(Box::new(hook));
    }
}

static CURRENT_STEP: AtomicU8 = AtomicU8::new(0);
static REHEARSAL: AtomicBool = AtomicBool::new(false);

/// Tells the handler which step is running (0: nothing recorded yet) and whether it is a rehearsal.
pub fn at_step(number: u8, rehearsal: bool) {
    CURRENT_STEP.store(number, Ordering::SeqCst);
    REHEARSAL.store(rehearsal, Ordering::SeqCst);
}

/// Installs the handler; only the real binary calls this (tests drive the wizard in-process).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        if let Ok(slot) = BEFORE_EXIT.lock() {
            if let Some(hook) = slot.as_ref() {
                hook();
            }
        }
        let step = CURRENT_STEP.load(Ordering::SeqCst);
        if REHEARSAL.load(Ordering::SeqCst) {
            eprintln!("\nrehearsal interrupted at step {step} — your repository and the remote are unchanged");
        } else if step == 0 {
            eprintln!("\ninterrupted before the hotfix started — nothing was changed");
        } else {
            eprintln!("\ninterrupted at step {step} — run `caro-hotfix resume` to continue");
        }
        std::process::exit(130);
    });
}
