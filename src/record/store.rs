//! Reading and writing records: load, save, archive, forget; the journal of commands.
//!
//! The journal of commands run lives beside a live record (`state.journal.toml`) and only grows:
//! each save appends the commands run since the last one instead of rewriting all of them, so a save
//! costs the same at step 16 as at step 1. A finished record in `history/` holds both in one file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::layout::journal_of;
use super::{legacy, Hotfix, Rollback, Tracked};
use crate::fsx;
use crate::runner::JournalEntry;

/// A record type that can be read back: its current format, or the one before it (converted once).
pub trait Stored: Tracked + DeserializeOwned + Sized {
    fn parse(text: &str, path: &Path) -> Result<Self>;
}

impl Stored for Hotfix {
    fn parse(text: &str, path: &Path) -> Result<Self> {
        parse_hotfix(text, path)
    }
}

impl Stored for Rollback {
    fn parse(text: &str, path: &Path) -> Result<Self> {
        if is_legacy(text) {
            let old = parse_as::<legacy::State>(text, path)?;
            return Ok(legacy::rollback(old));
        }
        parse_as(text, path)
    }
}

/// A hotfix record, in this format or the one before it.
pub fn parse_hotfix(text: &str, path: &Path) -> Result<Hotfix> {
    if is_legacy(text) {
        let old = parse_as::<legacy::State>(text, path)?;
        return Ok(legacy::hotfix(old));
    }
    parse_as(text, path)
}

/// Records before format 2 have no `format` key.
fn is_legacy(text: &str) -> bool {
    !text.lines().any(|l| l.starts_with("format = "))
}

fn parse_as<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    toml_edit::de::from_str(text).with_context(|| {
        format!(
            "the record {} is damaged and cannot be read; fix it by hand or move it away (`caro-hotfix abort` forgets it)",
            path.display()
        )
    })
}

pub fn to_toml<R: Serialize>(record: &R) -> Result<String> {
    toml_edit::ser::to_string_pretty(record).context("could not serialise the record")
}

/// Reads a record, with its journal; `None` when there is none.
pub fn load<R: Stored>(path: &Path) -> Result<Option<R>> {
    let Some(text) = fsx::read_optional(path)? else {
        return Ok(None);
    };
    let mut record = R::parse(&text, path)?;
    if record.journal_mut().is_empty() {
        *record.journal_mut() = read_journal(&journal_of(path));
    }
    Ok(Some(record))
}

/// Completed hotfixes kept in `history/`, newest first by completion time.
pub fn completed(history: &Path) -> Result<Vec<Hotfix>> {
    let Ok(entries) = std::fs::read_dir(history) else {
        return Ok(Vec::new());
    };
    let mut done = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.ends_with(".toml") || name.starts_with("rollback-") {
            continue;
        }
        if let Ok(Some(hotfix)) = load::<Hotfix>(&path) {
            if hotfix.run.completed_at.is_some() {
                done.push(hotfix);
            }
        }
    }
    done.sort_by(|a, b| b.run.completed_at.cmp(&a.run.completed_at));
    Ok(done)
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
/// creating `.git/caro-hotfix/` when needed. `new` is moved into the record's journal. The wizard
/// itself saves through a [`super::Saver`], which does the same without waiting.
///
/// The journal is appended without fsync: it says what was run, and nothing reads it to decide
/// anything. The record is what resume trusts, so it keeps its fsync.
pub fn save<R: Tracked>(path: &Path, record: &mut R, new: Vec<JournalEntry>) -> Result<()> {
    let text = prepare(path, record, new)?;
    fsx::write_atomic(path, text.as_bytes())
}

/// Everything of a save but the record's own write: returns the record's text.
pub(super) fn prepare<R: Tracked>(
    path: &Path,
    record: &mut R,
    new: Vec<JournalEntry>,
) -> Result<String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    record.run_mut().revision += 1;
    append_journal(&journal_of(path), record.run().revision, &new)?;
    let journal = std::mem::take(record.journal_mut());
    let text = record.to_text();
    *record.journal_mut() = journal;
    record.journal_mut().extend(new);
    text
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

/// Waits, at most `limit`, until the record at `path` is the one its last save meant to write:
/// its `revision` has reached the journal's last `# save N` (a running wizard's save lands within
/// a millisecond or two; a killed one's never does, hence the limit).
pub fn settle(path: &Path, limit: std::time::Duration) {
    let last_mark = || -> Option<u64> {
        let journal = std::fs::read_to_string(journal_of(path)).ok()?;
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
    for file in [path.to_path_buf(), journal_of(path)] {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("could not remove {}", file.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Moves a finished record to `history/<name>.toml`, so a new one can start (and a rollback can find
/// the last completed hotfix).
pub fn archive<R: Tracked>(path: &Path, history: &Path, record: &R, name: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(history)
        .with_context(|| format!("could not create {}", history.display()))?;
    let target = history.join(format!("{name}.toml"));
    fsx::write_atomic(&target, to_toml(record)?.as_bytes())?;
    forget(path)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::Incident;
    use crate::record::layout::Layout;
    use crate::record::Saver;

    fn entry(n: usize) -> JournalEntry {
        JournalEntry {
            argv: vec!["git".into(), "rev-parse".into(), format!("v1.0.{n}")],
            cwd: "/tmp".into(),
            exit_code: 0,
            duration_ms: 1.5,
            simulated: false,
        }
    }

    fn fresh() -> Hotfix {
        Hotfix::new(
            "2026-12-01T03:00:00+00:00".into(),
            crate::record::Request::default(),
            Incident::default(),
            false,
            &[(1, "Confirm")],
        )
    }

    fn record_path(dir: &Path) -> PathBuf {
        Layout::in_git_dir(dir).hotfix()
    }

    fn journal_path(record: &Path) -> PathBuf {
        journal_of(record)
    }

    #[test]
    fn saves_append_the_journal_and_a_load_reads_it_back_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1), entry(2)]).expect("save");
        save(&path, &mut s, Vec::new()).expect("save");
        s.run.completed_at = Some("2026-12-01T04:00:00+00:00".into());
        save(&path, &mut s, vec![entry(3)]).expect("save");
        assert_eq!(s.journal, vec![entry(1), entry(2), entry(3)]);
        // The record itself no longer carries the journal; the file beside it does, once each.
        let record = std::fs::read_to_string(&path).expect("record");
        assert!(!record.contains("rev-parse"), "{record}");
        let journal = std::fs::read_to_string(journal_path(&path)).expect("journal");
        assert_eq!(journal.matches("[[journal]]").count(), 3, "{journal}");
        assert_eq!(load::<Hotfix>(&path).expect("load"), Some(s));
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
        let back = load::<Hotfix>(&path).expect("load").expect("record");
        assert_eq!(back.journal, vec![entry(1), entry(2)]);
    }

    #[test]
    fn archiving_keeps_record_and_journal_in_one_history_file_and_forgets_the_live_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut s = fresh();
        save(&path, &mut s, vec![entry(1)]).expect("save");
        s.run.completed_at = Some("2026-12-01T04:00:00+00:00".into());
        let kept = archive(
            &path,
            &Layout::in_git_dir(dir.path()).history(),
            &s,
            "1.0.11",
        )
        .expect("archive");
        assert!(!path.exists() && !journal_path(&path).exists());
        let back = load::<Hotfix>(&kept).expect("load").expect("history");
        assert_eq!(back.journal, vec![entry(1)]);
        assert_eq!(
            completed(&Layout::in_git_dir(dir.path()).history())
                .expect("completed")
                .len(),
            1
        );
    }

    #[test]
    fn the_saver_writes_in_order_and_a_flush_waits_for_the_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = record_path(dir.path());
        let mut saver = Saver::default();
        let mut s = fresh();
        for n in 0..20 {
            s.tests = Some(format!("{n} passed"));
            saver.save(&path, &mut s, vec![entry(n)]).expect("save");
        }
        saver.flush().expect("flush");
        // The last save wins: the writes kept their order.
        assert_eq!(load::<Hotfix>(&path).expect("load"), Some(s));
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
        let seen = load::<Hotfix>(&path).expect("load").expect("record");
        assert_eq!(
            seen.run.revision, 2,
            "settle returned before the announced save landed"
        );
        writer.join().expect("writer");
        // A save that never lands (its writer was killed) is waited for no longer than asked.
        let mut lost = seen.clone();
        prepare(&path, &mut lost, Vec::new()).expect("prepare 3");
        settle(&path, std::time::Duration::from_millis(10));
        assert_eq!(
            load::<Hotfix>(&path)
                .expect("load")
                .expect("record")
                .run
                .revision,
            2
        );
    }

    #[test]
    fn a_damaged_record_names_the_file() {
        let err = parse_hotfix("steps = 3\n[[", Path::new(".git/caro-hotfix/state.toml"))
            .expect_err("damaged");
        assert!(
            err.to_string().contains(".git/caro-hotfix/state.toml"),
            "{err}"
        );
    }
}
