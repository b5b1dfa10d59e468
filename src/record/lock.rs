//! One run per repository at a time: `.git/caro-hotfix/lock`, held (an advisory file lock) for the
//! life of a start, resume, rollback or abort. The operating system releases it when the process
//! ends, however it ends, so a lock left by a dead process is simply taken over. The file names the
//! holder — process id, command, since when — for the run that is refused and for `status`.
//!
//! The file exists only while a run holds it: the run removes it when it ends (a killed run leaves
//! it, unlocked, for the next run to take over), so a run that changed nothing leaves nothing. A run
//! that locked a file another run removed meanwhile notices (the path no longer names that file)
//! and locks the new one. A rehearsal takes no lock: it changes nothing in the repository.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{store, Hotfix, Layout, Rollback, Tracked};

/// The lock of a running run; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct RunLock {
    file: Option<File>,
    path: std::path::PathBuf,
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked, then unlocked by closing: a run that opened it meanwhile
        // finds the path gone and starts over on a new file.
        let _ = std::fs::remove_file(&self.path);
        self.file.take();
    }
}

/// Whether `file` is still what `path` names (not removed or replaced since it was opened).
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Who holds the lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: String,
    pub command: String,
    pub since: String,
}

impl Holder {
    fn parse(text: &str) -> Holder {
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                .unwrap_or("?")
                .trim_matches('"')
                .to_string()
        };
        Holder {
            pid: field("pid"),
            command: field("command"),
            since: field("since"),
        }
    }
}

fn open(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    crate::fsx::open_in_place(path, true)
        .with_context(|| format!("could not open {}", path.display()))
}

fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.read_to_string(&mut text);
    Holder::parse(&text)
}

impl RunLock {
    /// Takes the lock for `command`, or says who holds it (and, from the record, what it is doing)
    /// without touching anything.
    pub fn acquire(
        layout: &Layout,
        command: &str,
        now: &str,
        doing: Option<String>,
    ) -> Result<RunLock> {
        let path = layout.lock();
        let mut attempts = 0;
        let mut file = loop {
            attempts += 1;
            let mut file = open(&path)?;
            match file.try_lock() {
                Ok(()) if still_at(&file, &path) => break file,
                // Removed by the run that held it, between our open and our lock: again.
                Ok(()) => continue,
                // `status` looks for a moment; a run that is really there stays.
                Err(TryLockError::WouldBlock) if attempts < 4 => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                    continue;
                }
                Err(TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file);
                    bail!(
                        "another caro-hotfix run is working in this repository: `caro-hotfix {}` (process {}, since {}){}. \
                         Only one run at a time: wait for it to finish, or stop it (Ctrl-C in its terminal), then run \
                         this again. Nothing was changed.",
                        holder.command,
                        holder.pid,
                        holder.since,
                        doing.map(|d| format!(", {d}")).unwrap_or_default()
                    );
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("could not lock {}", path.display()))
                }
            }
        };
        let text = format!(
            "pid = {}\ncommand = \"{}\"\nsince = \"{now}\"\n",
            std::process::id(),
            command.replace('"', "'")
        );
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .with_context(|| format!("could not write {}", path.display()))?;
        Ok(RunLock {
            file: Some(file),
            path,
        })
    }
}

/// Who holds the lock now; `None` when no run is alive (a stale file from a dead process included).
pub fn holder(layout: &Layout) -> Option<Holder> {
    let path = layout.lock();
    let mut file = crate::fsx::open_in_place(&path, false).ok()?;
    match file.try_lock() {
        Ok(()) => None,
        Err(_) => Some(read_holder(&mut file)),
    }
}

/// What the run in progress is doing, from the records: "on the hotfix v1.0.11, at step 5".
pub fn doing(layout: &Layout) -> Option<String> {
    if let Ok(Some(h)) = store::load::<Hotfix>(&layout.hotfix()) {
        return Some(format!(
            "on the hotfix {}, at step {}",
            h.label(),
            h.first_unfinished().unwrap_or(16)
        ));
    }
    if let Ok(Some(r)) = store::load::<Rollback>(&layout.rollback()) {
        return Some(format!(
            "on the rollback of {}, at step {}",
            r.label(),
            r.first_unfinished().unwrap_or(1)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_refused_naming_the_first_and_the_lock_is_free_once_it_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let layout = Layout::in_git_dir(dir.path());
        assert_eq!(holder(&layout), None);
        let first =
            RunLock::acquire(&layout, "resume", "2026-12-01T03:00:00+00:00", None).expect("first");
        let held = holder(&layout).expect("held");
        assert_eq!(held.command, "resume");
        assert_eq!(held.pid, std::process::id().to_string());
        let err = RunLock::acquire(&layout, "abort", "later", Some("at step 5".into()))
            .expect_err("second");
        let text = err.to_string();
        assert!(text.contains("`caro-hotfix resume`"), "{text}");
        assert!(text.contains("at step 5"), "{text}");
        assert!(text.contains("Nothing was changed"), "{text}");
        drop(first);
        assert_eq!(
            holder(&layout),
            None,
            "a dropped lock is free, its file left behind"
        );
        RunLock::acquire(&layout, "abort", "later", None).expect("taken over");
    }
}
