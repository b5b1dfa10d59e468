//! The hotfix's record: `.git/caro-hotfix/state.toml`, in the git directory, never the work tree.
//!
//! Branch switches and `git clean` cannot touch it, and it is found from any worktree through
//! `git rev-parse --git-common-dir`. It is human-readable TOML, written atomically after every step and
//! every change of state inside a long step, so a kill at any point leaves the old or the new record.
//!
//! The journal of commands run lives beside the live record, in `state.journal.toml`, and only grows:
//! each save appends the commands run since the last one instead of rewriting all of them, so a save
//! costs the same at step 16 as at step 1. A finished hotfix's record in `history/` holds both in one
//! file.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::fsx;
use crate::logic::Incident;
use crate::runner::JournalEntry;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Pending,
    InProgress,
    Done,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    pub number: u8,
    pub title: String,
    pub status: StepStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// One line on what the step found or decided ("audit skipped: cargo-audit not installed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the audit of step 8 concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// `clean`, `findings` or `skipped`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

/// Everything the hotfix has decided and done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub tool_version: String,
    /// Counts the saves of a live record. Each save marks its number in the journal first
    /// (`# save N`), so a record whose `revision` is behind the journal's last mark has a save on
    /// its way (see [`Saver`] and [`settle`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub revision: u64,
    /// `None` for a hotfix; `rollback` for a rollback's record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub started_at: String,
    pub dry_run: bool,
    pub remote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_from: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_base_branch: Option<String>,
    pub incident: Incident,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The branch the PR targets (`release/X.Y` with the maintenance strategy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_branch: Option<String>,
    /// The project's default branch (receives the forward-port with the maintenance strategy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trunk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<crate::config::Strategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_port_pr: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_commits: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bump_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_number: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_url: Option<String>,
    /// `owner/name` on GitHub, read at step 9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_repo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backport_prs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// The answers of step 4 already given, as a flag or at the prompt, even when empty
    /// (`impact`, `advisories`, `credit`): a resumed step 4 does not ask them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    pub steps: Vec<StepRecord>,
    /// Every command run, in order. Kept in `state.journal.toml` while the hotfix is live (see
    /// [`save`]), in this file once it is in `history/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
}

impl State {
    pub fn new(incident: Incident, remote: &str, dry_run: bool, steps: &[(u8, &str)]) -> Self {
        State {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            revision: 0,
            kind: None,
            started_at: now(),
            dry_run,
            remote: remote.to_string(),
            package: None,
            fix_from: Vec::new(),
            requested_base_branch: None,
            incident,
            crate_name: None,
            original_branch: None,
            base_tag: None,
            base_version: None,
            version: None,
            branch: None,
            base_branch: None,
            trunk: None,
            strategy: None,
            forward_port_pr: None,
            fix_commits: Vec::new(),
            bump_commit: None,
            tests_summary: None,
            audit: None,
            pr_number: None,
            pr_url: None,
            merge_commit: None,
            tag: None,
            advisory_url: None,
            github_repo: None,
            github_url: None,
            backport_prs: Vec::new(),
            completed_at: None,
            answered: Vec::new(),
            steps: steps
                .iter()
                .map(|(number, title)| StepRecord {
                    number: *number,
                    title: title.to_string(),
                    status: StepStatus::Pending,
                    started_at: None,
                    finished_at: None,
                    note: None,
                })
                .collect(),
            journal: Vec::new(),
        }
    }

    /// Whether the step-4 answer `what` was given (see [`State::answered`]).
    pub fn has_answered(&self, what: &str) -> bool {
        self.answered.iter().any(|a| a == what)
    }

    /// Records that the step-4 answer `what` was given.
    pub fn mark_answered(&mut self, what: &str) {
        if !self.has_answered(what) {
            self.answered.push(what.to_string());
        }
    }

    pub fn step_mut(&mut self, number: u8) -> Option<&mut StepRecord> {
        self.steps.iter_mut().find(|s| s.number == number)
    }

    /// How people name this hotfix: its tag (`v1.0.11`, or with the project's tag prefix).
    pub fn label(&self) -> String {
        match (&self.branch, &self.tag, &self.version) {
            (Some(branch), _, _) => branch.strip_prefix("hotfix/").unwrap_or(branch).to_string(),
            (None, Some(tag), _) => tag.clone(),
            (None, None, Some(version)) => format!("v{version}"),
            (None, None, None) => "(version not decided yet)".to_string(),
        }
    }

    /// The first step that is neither done nor skipped.
    pub fn first_unfinished(&self) -> Option<u8> {
        self.steps
            .iter()
            .find(|s| !matches!(s.status, StepStatus::Done | StepStatus::Skipped))
            .map(|s| s.number)
    }

    pub fn to_toml(&self) -> Result<String> {
        toml_edit::ser::to_string_pretty(self).context("could not serialise the hotfix record")
    }

    pub fn from_toml(text: &str, path: &Path) -> Result<State> {
        toml_edit::de::from_str(text).with_context(|| {
            format!(
                "the hotfix record {} is damaged and cannot be read; fix it by hand or move it away (`caro-hotfix abort` forgets it)",
                path.display()
            )
        })
    }
}

/// Completed hotfixes kept in `history/`, newest first by completion time (aborted ones excluded).
pub fn completed(git_common_dir: &Path) -> Result<Vec<State>> {
    let dir = git_common_dir.join("caro-hotfix").join("history");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut done = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        if let Some(state) = load(&path)? {
            if state.kind.is_none() && state.completed_at.is_some() {
                done.push(state);
            }
        }
    }
    done.sort_by(|a, b| b.completed_at.cmp(&a.completed_at));
    Ok(done)
}

/// The rollback's record beside the hotfix's.
pub fn rollback_record_path(git_common_dir: &Path) -> PathBuf {
    git_common_dir.join("caro-hotfix").join("rollback.toml")
}

/// The record's location inside a git directory.
pub fn record_path(git_common_dir: &Path) -> PathBuf {
    git_common_dir.join("caro-hotfix").join("state.toml")
}

/// The journal of a live record, beside it: `state.toml` → `state.journal.toml`.
pub fn journal_path(record: &Path) -> PathBuf {
    record.with_extension("journal.toml")
}

/// The journal file's shape: `[[journal]]` tables, so appended chunks still make one TOML document.
#[derive(Serialize)]
struct JournalChunk<'a> {
    journal: &'a [JournalEntry],
}

#[derive(Deserialize)]
struct JournalFile {
    #[serde(default)]
    journal: Vec<JournalEntry>,
}

/// Saves a live record and waits for the disk: appends the commands run since the last save to its
/// journal file, then writes the record without its journal atomically (temp file, fsync, rename),
/// creating `.git/caro-hotfix/` when needed. `new` is moved into `state.journal`. The wizard itself
/// saves through a [`Saver`], which does the same without waiting.
///
/// The journal is appended without fsync: it says what was run, and nothing reads it to decide
/// anything. The record is what resume trusts, so it keeps its fsync.
pub fn save(path: &Path, state: &mut State, new: Vec<JournalEntry>) -> Result<()> {
    let text = prepare(path, state, new)?;
    fsx::write_atomic(path, text.as_bytes())
}

/// Everything of a save but the record's own write: returns the record's text.
fn prepare(path: &Path, state: &mut State, new: Vec<JournalEntry>) -> Result<String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    state.revision += 1;
    append_journal(&journal_path(path), state.revision, &new)?;
    let journal = std::mem::take(&mut state.journal);
    let text = state.to_toml();
    state.journal = journal;
    state.journal.extend(new);
    text
}

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
    /// Like [`save`], but the record's write is queued: it returns once the journal is appended and
    /// the record's text is made.
    pub fn save(&mut self, path: &Path, state: &mut State, new: Vec<JournalEntry>) -> Result<()> {
        wait(&self.shared, None).map_err(anyhow::Error::msg)?;
        let text = prepare(path, state, new)?;
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

/// Appends the mark of save `revision` (a TOML comment) and the commands run since the last save.
fn append_journal(path: &Path, revision: u64, entries: &[JournalEntry]) -> Result<()> {
    let mut text = format!("\n{SAVE_MARK}{revision}\n");
    if !entries.is_empty() {
        text.push_str(
            &toml_edit::ser::to_string_pretty(&JournalChunk { journal: entries })
                .context("could not serialise the journal of commands")?,
        );
    }
    fsx::append(path, text.as_bytes())
}

/// How a save marks itself in the journal.
const SAVE_MARK: &str = "# save ";

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Waits, at most `limit`, until the record at `path` is the one its last save meant to write:
/// its `revision` has reached the journal's last `# save N` (a running wizard's save lands within
/// a millisecond or two; a killed one's never does, hence the limit).
pub fn settle(path: &Path, limit: std::time::Duration) {
    let last_mark = || -> Option<u64> {
        let journal = std::fs::read_to_string(journal_path(path)).ok()?;
        journal
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix(SAVE_MARK))
            .and_then(|n| n.trim().parse().ok())
    };
    let revision = || -> u64 {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix("revision = "))
                    .and_then(|n| n.trim().parse().ok())
            })
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + limit;
    while last_mark().is_some_and(|mark| revision() < mark) && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// The entries of a journal file. A kill during an append can leave a torn last entry: the entries
/// before it are kept. A journal that cannot be read at all reads as empty (it informs, nothing
/// depends on it).
fn read_journal(path: &Path) -> Vec<JournalEntry> {
    let Ok(Some(mut text)) = fsx::read_optional(path) else {
        return Vec::new();
    };
    loop {
        if let Ok(file) = toml_edit::de::from_str::<JournalFile>(&text) {
            return file.journal;
        }
        match text.rfind("[[journal]]") {
            Some(cut) => text.truncate(cut),
            None => return Vec::new(),
        }
    }
}

/// Removes a live record and its journal (what is gone already is no error).
pub fn forget(path: &Path) -> Result<()> {
    for file in [path.to_path_buf(), journal_path(path)] {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("could not remove {}", file.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Moves a finished hotfix's record to `history/<version>.toml` beside it, so a new one can start
/// (and a rollback can find the last completed hotfix).
pub fn archive(path: &Path, state: &State, name: &str) -> Result<PathBuf> {
    let dir = path
        .parent()
        .map(|p| p.join("history"))
        .context("the record has no directory")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let target = dir.join(format!("{name}.toml"));
    fsx::write_atomic(&target, state.to_toml()?.as_bytes())?;
    forget(path)?;
    Ok(target)
}

/// Reads the record, with its journal; `None` when no hotfix is in progress.
pub fn load(path: &Path) -> Result<Option<State>> {
    let Some(text) = fsx::read_optional(path)? else {
        return Ok(None);
    };
    let mut state = State::from_toml(&text, path)?;
    if state.journal.is_empty() {
        state.journal = read_journal(&journal_path(path));
    }
    Ok(Some(state))
}

/// Now, as an RFC 3339 timestamp with offset, for the record.
pub fn now() -> String {
    jiff::Zoned::now()
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Today's local date, `YYYY-MM-DD`, for CHANGELOG and SECURITY.md.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_toml() {
        let mut s = State::new(
            Incident {
                description: "RUSTSEC-2025-0001 \"quoted\" $(touch pwned)\nsecond line".into(),
                ..Incident::default()
            },
            "origin",
            false,
            &[(1, "Confirm"), (2, "Base")],
        );
        s.version = Some("1.0.11".into());
        s.journal.push(JournalEntry {
            argv: vec!["git".into(), "fetch".into()],
            cwd: "/tmp".into(),
            exit_code: 0,
            duration_ms: 3.25,
            simulated: false,
        });
        let text = s.to_toml().expect("toml");
        let back = State::from_toml(&text, Path::new("state.toml")).expect("parse");
        assert_eq!(back, s);
        assert_eq!(back.first_unfinished(), Some(1));
    }

    fn entry(n: usize) -> JournalEntry {
        JournalEntry {
            argv: vec!["git".into(), "rev-parse".into(), format!("v1.0.{n}")],
            cwd: "/tmp".into(),
            exit_code: 0,
            duration_ms: 1.5,
            simulated: false,
        }
    }

    fn fresh() -> State {
        State::new(Incident::default(), "origin", false, &[(1, "Confirm")])
    }

    #[test]
    fn saves_append_the_journal_and_a_load_reads_it_back_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1), entry(2)]).expect("save");
        save(&path, &mut s, Vec::new()).expect("save");
        s.version = Some("1.0.11".into());
        save(&path, &mut s, vec![entry(3)]).expect("save");
        assert_eq!(s.journal, vec![entry(1), entry(2), entry(3)]);
        // The record itself no longer carries the journal; the file beside it does, once each.
        let record = std::fs::read_to_string(&path).expect("record");
        assert!(!record.contains("rev-parse"), "{record}");
        let journal = std::fs::read_to_string(journal_path(&path)).expect("journal");
        assert_eq!(journal.matches("[[journal]]").count(), 3, "{journal}");
        assert_eq!(load(&path).expect("load"), Some(s));
    }

    #[test]
    fn a_torn_last_journal_entry_keeps_the_ones_before_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1), entry(2)]).expect("save");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(journal_path(&path))
            .expect("open");
        std::io::Write::write_all(&mut file, b"\n[[journal]]\nargv = [\"git\", \"pu")
            .expect("tear");
        let back = load(&path).expect("load").expect("record");
        assert_eq!(back.journal, vec![entry(1), entry(2)]);
    }

    #[test]
    fn archiving_keeps_record_and_journal_in_one_history_file_and_forgets_the_live_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1)]).expect("save");
        s.completed_at = Some(now());
        let kept = archive(&path, &s, "1.0.11").expect("archive");
        assert!(!path.exists() && !journal_path(&path).exists());
        let back = load(&kept).expect("load").expect("history");
        assert_eq!(back.journal, vec![entry(1)]);
        assert_eq!(completed(dir.path()).expect("completed").len(), 1);
    }

    #[test]
    fn the_saver_writes_in_order_and_a_flush_waits_for_the_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut saver = Saver::default();
        let mut s = fresh();
        for n in 0..20 {
            s.version = Some(format!("1.0.{n}"));
            saver.save(&path, &mut s, vec![entry(n)]).expect("save");
        }
        saver.flush().expect("flush");
        // The last save wins: the writes kept their order.
        assert_eq!(load(&path).expect("load"), Some(s));
    }

    #[test]
    fn a_failed_background_save_stops_the_next_change() {
        use crate::runner::{Cmd, Effect, Runner};
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the record should be: the rename into place fails.
        let path = record_path(dir.path());
        std::fs::create_dir_all(&path).expect("dir in the way");
        let mut saver = Saver::default();
        let mut s = fresh();
        saver.save(&path, &mut s, Vec::new()).expect("queued");
        let (ui, _t) = crate::ui::Ui::capture();
        let mut runner = Runner::new(ui, false);
        runner.set_barrier(saver.barrier());
        // Reading goes on; changing anything does not start.
        runner
            .run(&Cmd::new("true", "read something"))
            .expect("a read runs");
        let err = runner
            .run(&Cmd::new("true", "commit the fix").effect(Effect::Local))
            .expect_err("the change must not start");
        assert!(
            err.to_string()
                .contains("not started: the hotfix record could not be saved"),
            "{err}"
        );
        assert!(runner.journal().len() == 1, "the change was started");
        let err = saver.flush().expect_err("flush reports it");
        assert!(err.to_string().contains("state.toml"), "{err}");
        // And the next save says so rather than pretend.
        assert!(saver.save(&path, &mut s, Vec::new()).is_err());
    }

    #[test]
    fn settle_waits_for_the_save_the_journal_announces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1)]).expect("save 1");
        // Save 2 is announced in the journal; its record lands a moment later (as the saver's
        // thread would put it in place).
        let mut next = s.clone();
        let text = prepare(&path, &mut next, Vec::new()).expect("prepare 2");
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                fsx::write_atomic(&path, text.as_bytes()).expect("save 2 lands");
            })
        };
        settle(&path, std::time::Duration::from_secs(10));
        let seen = load(&path).expect("load").expect("record");
        assert_eq!(
            seen.revision, 2,
            "settle returned before the announced save landed"
        );
        writer.join().expect("writer");
        // A save that never lands (its writer was killed) is waited for no longer than asked.
        let mut lost = seen.clone();
        prepare(&path, &mut lost, Vec::new()).expect("prepare 3");
        settle(&path, std::time::Duration::from_millis(10));
        assert_eq!(load(&path).expect("load").expect("record").revision, 2);
    }

    #[test]
    fn a_damaged_record_names_the_file() {
        let err = State::from_toml("steps = 3\n[[", Path::new(".git/caro-hotfix/state.toml"))
            .expect_err("damaged");
        assert!(
            err.to_string().contains(".git/caro-hotfix/state.toml"),
            "{err}"
        );
    }
}
