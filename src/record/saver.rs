//! Writes the records of a run without making its steps wait for the disk.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};

use anyhow::Result;

use super::store::prepare;
use super::Tracked;
use crate::fsx;
use crate::runner::JournalEntry;

/// Writes the records of a run off its critical path, in order, on a thread of their own.
///
/// Each record write still goes to a temp file, is fsync'd and renamed into place; only the waiting
/// for the disk moves out of the way of the next step's read-only work. What keeps resume safe is
/// the [`Saver::barrier`]: the runner calls it before every command that changes something, so no
/// change is made while an earlier save is still on its way; at that point the record is at most
/// as old as after a kill just before that save, which resume is built (and tested) for. A save
/// that fails stops the run at the next barrier, save or flush, with the reason.
#[derive(Default)]
pub struct Saver {
    shared: Arc<(Mutex<Progress>, Condvar)>,
    sender: Option<mpsc::Sender<(PathBuf, String)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct Progress {
    queued: usize,
    failed: Option<String>,
}

impl Saver {
    /// Like [`store::save`], but the record's write is queued: it returns once the journal is appended and
    /// the record's text is made.
    pub fn save<R: Tracked>(
        &mut self,
        path: &Path,
        record: &mut R,
        new: Vec<JournalEntry>,
    ) -> Result<()> {
        wait(&self.shared, None).map_err(anyhow::Error::msg)?;
        let text = prepare(path, record, new)?;
        if self.sender.is_none() {
            let (sender, jobs) = mpsc::channel::<(PathBuf, String)>();
            let shared = Arc::clone(&self.shared);
            let spawned = std::thread::Builder::new()
                .name("caro-hotfix-record".into())
                .spawn(move || {
                    for (path, text) in jobs {
                        // A panic must not leave the job counted forever (every barrier would
                        // wait for it): it becomes this save's error.
                        let written =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                fsx::write_atomic(&path, text.as_bytes())
                            }))
                            .unwrap_or_else(|_| {
                                Err(anyhow::anyhow!("the writer of {} failed", path.display()))
                            });
                        let (progress, done) = &*shared;
                        let mut p = progress.lock().unwrap_or_else(|e| e.into_inner());
                        p.queued -= 1;
                        if let Err(err) = written {
                            p.failed.get_or_insert_with(|| format!("{err:#}"));
                        }
                        done.notify_all();
                    }
                });
            match spawned {
                Ok(thread) => {
                    self.sender = Some(sender);
                    self.thread = Some(thread);
                }
                // No thread to be had: write it here and now.
                Err(_) => return fsx::write_atomic(path, text.as_bytes()),
            }
        }
        let (progress, _) = &*self.shared;
        progress.lock().unwrap_or_else(|e| e.into_inner()).queued += 1;
        if let Some(sender) = &self.sender {
            if let Err(mpsc::SendError((path, text))) = sender.send((path.to_path_buf(), text)) {
                progress.lock().unwrap_or_else(|e| e.into_inner()).queued -= 1;
                return fsx::write_atomic(&path, text.as_bytes());
            }
        }
        Ok(())
    }

    /// Waits until every queued record is on disk; the first failed write is the error.
    pub fn flush(&self) -> Result<()> {
        wait(&self.shared, None).map_err(anyhow::Error::msg)
    }

    /// What the runner calls before a command that changes something: [`Saver::flush`], with
    /// the error as text.
    pub fn barrier(&self) -> impl Fn() -> std::result::Result<(), String> + Send + Sync + 'static {
        let shared = Arc::clone(&self.shared);
        move || wait(&shared, None)
    }

    /// Waits at most `limit` for the queued records (for Ctrl-C, which must not hang on a stuck disk).
    pub fn drain(&self, limit: std::time::Duration) -> impl Fn() + Send + Sync + 'static {
        let shared = Arc::clone(&self.shared);
        move || {
            let _ = wait(&shared, Some(limit));
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        let _ = self.flush();
        self.sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn wait(
    shared: &(Mutex<Progress>, Condvar),
    limit: Option<std::time::Duration>,
) -> std::result::Result<(), String> {
    let (progress, done) = shared;
    let mut p = progress.lock().unwrap_or_else(|e| e.into_inner());
    let deadline = limit.map(|l| std::time::Instant::now() + l);
    while p.queued > 0 {
        p = match deadline {
            None => done.wait(p).unwrap_or_else(|e| e.into_inner()),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    break;
                }
                done.wait_timeout(p, left)
                    .unwrap_or_else(|e| e.into_inner())
                    .0
            }
        };
    }
    match &p.failed {
        Some(err) => Err(format!(
            "the hotfix record could not be saved: {err}. Nothing was changed after its last save; \
             fix the cause (disk space, permissions of .git/caro-hotfix/), then run `caro-hotfix resume`"
        )),
        None => Ok(()),
    }
}
