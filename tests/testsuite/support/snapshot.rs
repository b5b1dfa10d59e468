//! What the snapshots of whole texts need: insta settings whose filters hide only what differs from
//! run to run, and the journal of a rehearsal, whose throwaway clone is gone when the run returns.
//!
//! The clock is no longer one of those: every run fixes it with `CARO_HOTFIX_NOW` (see
//! [`super::NOW`]), so dates and timestamps are in the snapshots as the product wrote them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::Fixture;

/// Escapes `text` for a regular expression.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// insta settings for texts of caro-hotfix: temporary directories, commit hashes, local ports, curl's
/// message for a closed port and the tool's own version (so a release does not rewrite every snapshot) are replaced
/// by a `[NAME]`; nothing else is. Use as `settings().bind(|| insta::assert_snapshot!(..))`.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_omit_expression(true);
    for (pattern, replacement) in [
        // Temporary directories (tempfile's names end in six random characters).
        (r"(/[\w.-]+)*/caro-hotfix-test-\w+", "[FIXTURE]"),
        (r"(/[\w.-]+)*/caro-hotfix-rehearsal-\w+", "[CLONE]"),
        (
            r"(/[\w.-]+)*/caro-hotfix-(index|registry)-headers-\w+",
            "[HEADERS]",
        ),
        // Commit hashes, whole and abbreviated.
        (r"\b[0-9a-f]{40}\b", "[SHA]"),
        (r"\b[0-9a-f]{7,12}\b", "[SHORT-SHA]"),
        // The index server's port (the closed port 9 of NO_REGISTRY stays).
        (r"127\.0\.0\.1:\d{2,5}", "127.0.0.1:[PORT]"),
        // curl's words for the closed port of NO_REGISTRY differ between its versions.
        (
            r"curl: \(7\) Failed to connect[^\n]*?(server|refused)",
            "curl: (7) [cannot connect]",
        ),
    ] {
        settings.add_filter(pattern, replacement);
    }
    settings.add_filter(
        &format!(r"caro-hotfix([ /]){}", escape(env!("CARGO_PKG_VERSION"))),
        "caro-hotfix$1[VERSION]",
    );
    settings
}

/// Keeps the journal of the rehearsal a run in `fx` makes: the journal is only ever appended to,
/// so a hard link made while the clone exists still holds every command once the clone is gone.
/// Start it before the run, [`JournalTap::text`] after.
pub struct JournalTap {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Option<PathBuf>>>,
}

impl JournalTap {
    /// Watches the temporary directory for the clone of `fx`'s repository (its `origin` URL
    /// names `fx`'s directory) and links its `.git/caro-hotfix/state.journal.toml` into `fx`'s
    /// directory as soon as it exists.
    pub fn start(fx: &Fixture) -> JournalTap {
        let stop = Arc::new(AtomicBool::new(false));
        let ours = fx.dir.path().display().to_string();
        let keep = fx.dir.path().join("rehearsal.journal.toml");
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                if let Some(journal) = find_journal(&std::env::temp_dir(), &ours) {
                    if std::fs::hard_link(&journal, &keep).is_ok() {
                        return Some(keep);
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            None
        });
        JournalTap {
            stop,
            thread: Some(thread),
        }
    }

    /// The journal as the rehearsal left it: `# save N` marks and `[[journal]]` entries.
    pub fn text(mut self) -> String {
        self.stop.store(true, Ordering::SeqCst);
        let kept = self
            .thread
            .take()
            .and_then(|t| t.join().ok())
            .flatten()
            .expect("the rehearsal's journal was never seen in its clone");
        super::read(&kept)
    }
}

impl Drop for JournalTap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn find_journal(tmp: &Path, ours: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(tmp).ok()?.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with("caro-hotfix-rehearsal-") {
            continue;
        }
        let clone = entry.path();
        let config = std::fs::read_to_string(clone.join(".git/config")).unwrap_or_default();
        let journal = clone.join(".git/caro-hotfix/state.journal.toml");
        if config.contains(ours) && journal.is_file() {
            return Some(journal);
        }
    }
    None
}

/// The commands of a journal, argument vectors only, one a line, under the save that recorded
/// them (`save N`: the driver saves when a step starts and ends, some steps in between too).
/// A simulated command (a rehearsal's remote one) starts with `[dry-run]`. An argument that is
/// empty or holds spaces, quotes or newlines is shown in double quotes with `\n`, `\"` and `\\`
/// escaped, so each command is one line.
pub fn journal_commands(journal: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Chunk {
        #[serde(default)]
        journal: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        argv: Vec<String>,
        #[serde(default)]
        simulated: bool,
    }
    let mut out = String::new();
    for (i, chunk) in journal.split("\n# save ").enumerate().skip(1) {
        let (number, entries) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let parsed: Chunk = toml_edit::de::from_str(entries)
            .unwrap_or_else(|e| panic!("save {number} of the journal: {e}\n{entries}"));
        assert_eq!(
            number.trim(),
            i.to_string(),
            "the saves are numbered 1, 2, …"
        );
        out.push_str(&format!("save {}\n", number.trim()));
        for entry in parsed.journal {
            let argv: Vec<String> = entry
                .argv
                .iter()
                .map(|a| {
                    if a.is_empty()
                        || a.contains(|c: char| c.is_whitespace() || "'\"\\".contains(c))
                    {
                        let escaped = a
                            .replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('\n', "\\n");
                        format!("\"{escaped}\"")
                    } else {
                        a.clone()
                    }
                })
                .collect();
            let marker = if entry.simulated { "[dry-run] " } else { "" };
            out.push_str(&format!("  {marker}{}\n", argv.join(" ")));
        }
    }
    out
}

/// The summary of step 16 as the transcript shows it: from the rule above its banner to the rule
/// that closes it.
pub fn summary_in(transcript: &str) -> String {
    let lines: Vec<&str> = transcript.lines().collect();
    let rule = |l: &str| l.starts_with('━');
    let banner = lines
        .iter()
        .position(|l| l.contains("SECURITY HOTFIX") && l.contains("PUBLISHED"))
        .unwrap_or_else(|| panic!("no summary in:\n{transcript}"));
    assert!(banner >= 1 && rule(lines[banner - 1]), "{transcript}");
    let end = (banner + 2..lines.len())
        .find(|&i| rule(lines[i]))
        .unwrap_or_else(|| panic!("the summary is not closed:\n{transcript}"));
    lines[banner - 1..=end].join("\n") + "\n"
}
