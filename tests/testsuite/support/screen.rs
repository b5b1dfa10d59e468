//! What a person reads in a terminal 80 columns wide: the real binary in a pseudo-terminal sized by
//! `stty`, its bytes applied to a VT100 screen model (the `vt100` crate — carriage returns, a
//! spinner's redraws and a prompt's cleared lines land as a terminal puts them), and the rows read
//! back and held to the layout rules of issue 31 ([`Screen::problems`]).

use std::process::Command;

use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

/// The terminal's width.
pub const COLS: usize = 80;

/// Rows of the model: taller than any transcript, so nothing scrolls out of it. The programs see a
/// terminal of 24 rows; they only move the cursor relative to where it is, as a spinner does.
const ROWS: u16 = 5000;

/// `cmd` in a terminal of [`COLS`] columns: `sh` sets the pseudo-terminal's size with `stty`, then
/// becomes the program, with the same arguments (as arguments, never a command line), environment
/// and directory.
pub fn at_80_columns(cmd: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("stty cols {COLS} rows 24 && exec \"$0\" \"$@\""))
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        sh.current_dir(dir);
    }
    sh
}

/// A person at the terminal: waits for a text, types an answer, and keeps everything shown.
pub struct Typist {
    pub p: PtySession,
    pub seen: String,
}

impl Typist {
    /// `cmd` started at 80 columns (see [`at_80_columns`]).
    pub fn start(cmd: &Command, timeout_ms: u64) -> Typist {
        let p = spawn_command(at_80_columns(cmd), Some(timeout_ms)).expect("spawn in a pty");
        Typist {
            p,
            seen: String::new(),
        }
    }

    /// Waits for `needle`; a failure shows everything read so far.
    pub fn expect(&mut self, needle: &str) {
        match self.p.exp_string(needle) {
            Ok(before) => {
                self.seen.push_str(&before);
                self.seen.push_str(needle);
            }
            Err(e) => panic!(
                "waiting for {needle:?}: {e}\n--- the screen so far ---\n{}",
                Screen::of(&self.seen).text()
            ),
        }
    }

    /// Waits for `needle`, then types `answer` and Enter.
    pub fn answer(&mut self, needle: &str, answer: &str) {
        self.expect(needle);
        self.p.send_line(answer).expect("type");
    }

    /// Reads to the end: the exit code and the screen.
    pub fn finish(mut self) -> (i32, Screen) {
        match self.p.exp_eof() {
            Ok(rest) => self.seen.push_str(&rest),
            Err(e) => panic!(
                "waiting for the end: {e}\n--- the screen so far ---\n{}",
                Screen::of(&self.seen).text()
            ),
        }
        let code = match self.p.process.wait().expect("wait") {
            WaitStatus::Exited(_, code) => code,
            other => panic!(
                "the program did not exit normally: {other:?}\n{}",
                Screen::of(&self.seen).text()
            ),
        };
        (code, Screen::of(&self.seen))
    }
}

/// The rows of the screen after a run, top to bottom, without the empty rows under the last one.
pub struct Screen {
    rows: Vec<String>,
    /// Whether the terminal itself wrapped the row into the next: the line was longer than it.
    wrapped: Vec<bool>,
}

impl Screen {
    /// The screen after everything in `seen`: what rexpect read, one char per byte.
    pub fn of(seen: &str) -> Screen {
        let bytes: Vec<u8> = seen.chars().map(|c| c as u32 as u8).collect();
        let cols = u16::try_from(COLS).expect("80 fits");
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let mut parser = vt100::Parser::new(size(ROWS), size(cols), 0);
        parser.process(&bytes);
        let screen = parser.screen();
        let mut rows: Vec<String> = screen.rows(0, cols).collect();
        let mut wrapped: Vec<bool> = (0..ROWS).map(|r| screen.row_wrapped(r)).collect();
        while rows.last().is_some_and(|r| r.trim().is_empty()) {
            rows.pop();
        }
        wrapped.truncate(rows.len());
        Screen { rows, wrapped }
    }

    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// The rows as text, one a line.
    pub fn text(&self) -> String {
        let mut text = self.rows.join("\n");
        text.push('\n');
        text
    }

    /// Whether the screen says `text`, read across rows: every run of spaces and row ends counts
    /// as one space, so a sentence is found wherever the terminal's width put its rows apart.
    pub fn says(&self, text: &str) -> bool {
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        words(&self.rows.join(" ")).contains(&words(text))
    }

    /// Keeps the screen in `CARGO_TARGET_TMPDIR/<name>-80.txt`, to be read after the run.
    pub fn keep(&self, name: &str) {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-80.txt"));
        std::fs::write(&path, self.text())
            .unwrap_or_else(|e| panic!("keeping the screen in {}: {e}", path.display()));
    }

    /// Everything that trips the eye at 80 columns, one finding a line naming its row:
    ///
    /// - a line longer than the terminal (the terminal broke it, mid-word), unless it is one word
    ///   (a URL, a path) longer than the terminal;
    /// - a row reaching the last column that is neither a command nor ends in a URL or a path (prose
    ///   is wrapped one column short of the edge);
    /// - a row shorter than a third of the width, followed by the rest of its sentence whose first
    ///   word would have fitted on it (text wrapped twice);
    /// - a continuation indented less than its first line, or not hung under a mark (`•`, `$`,
    ///   `[dry-run]`, `1.`);
    /// - a table row (columns apart by two spaces or more) that does not fit on its row.
    pub fn problems(&self) -> Vec<String> {
        let mut found = Vec::new();
        let rows = &self.rows;
        let say = |found: &mut Vec<String>, i: usize, what: &str| {
            found.push(format!("row {}: {what}:\n    |{}|", i + 1, rows[i]));
        };
        let mut command = vec![false; rows.len()];
        for i in 0..rows.len() {
            let row = &rows[i];
            command[i] = starts_command(row)
                || (i > 0 && command[i - 1] && indent(row) > indent(&rows[i - 1]))
                || (i > 0 && command[i - 1] && self.continues(i - 1) && !row.trim().is_empty());
            // A word longer than the terminal (the emulator's URLs: `http://github.localhost/…`)
            // is broken by it whatever the layout: only a row of one such word is spared.
            let word_too_long = !row.trim().contains(' ') && is_url_or_path(row.trim());
            if self.wrapped[i] && !word_too_long {
                say(
                    &mut found,
                    i,
                    "longer than the terminal (it broke the line)",
                );
            } else if width(row) >= COLS
                && !self.wrapped[i]
                && !command[i]
                && !row.split(' ').next_back().is_some_and(is_url_or_path)
            {
                say(&mut found, i, "prose reaching the last column");
            }
            if i + 1 < rows.len() && self.continues(i) {
                let next = &rows[i + 1];
                let fits = self.fits_after(i);
                // Wrapped twice: a short row, itself the continuation of a full one, whose next
                // row goes on with the sentence and would have fitted on it.
                if width(row.trim_start()) < COLS / 3
                    && fits
                    && i > 0
                    && self.continues(i - 1)
                    && !self.fits_after(i - 1)
                    && !ends_sentence(row)
                    && next.trim_start().starts_with(|c: char| c.is_lowercase())
                {
                    say(&mut found, i, "a short row in the middle of a sentence");
                }
                if !fits {
                    // Indented like the first row of its text (and hung under its mark), or, for a
                    // word too long for that (a URL), as much as leaves it whole on the row.
                    let first = &rows[self.first_of(i)];
                    let lone = next.split_whitespace().count() == 1;
                    let room = if lone {
                        COLS.saturating_sub(width(next.trim()))
                    } else {
                        COLS
                    };
                    let wanted = (indent(first) + hanging(first)).min(room);
                    if indent(next) < wanted {
                        say(
                            &mut found,
                            i + 1,
                            &format!(
                                "a continuation indented {} instead of {wanted}",
                                indent(next)
                            ),
                        );
                    }
                    if is_table_row(row) {
                        say(&mut found, i, "a table row that does not fit");
                    }
                }
            }
        }
        found
    }

    /// Whether row `i + 1` goes on with the text of row `i`: both hold text and the next does not
    /// begin an item of its own.
    fn continues(&self, i: usize) -> bool {
        let (row, next) = (&self.rows[i], self.rows.get(i + 1));
        // The terminal's own wrap of a word longer than it is no continuation of ours.
        !self.wrapped[i]
            && !row.trim().is_empty()
            && next.is_some_and(|n| !n.trim().is_empty() && !starts_item(n))
            && !is_rule(row)
    }

    /// Whether the first word of row `i + 1` would have fitted on row `i` (so a wrap at the
    /// terminal's width did not put it there).
    fn fits_after(&self, i: usize) -> bool {
        let next = self.rows.get(i + 1).map_or("", |n| first_word(n));
        width(&self.rows[i]) + 1 + width(next) < COLS
    }

    /// The first row of the text that row `i` belongs to: back over rows that go on into the next
    /// and could not hold its first word.
    fn first_of(&self, i: usize) -> usize {
        let mut first = i;
        while first > 0 && self.continues(first - 1) && !self.fits_after(first - 1) {
            first -= 1;
        }
        first
    }
}

fn width(text: &str) -> usize {
    console::measure_text_width(text)
}

fn indent(row: &str) -> usize {
    row.len() - row.trim_start().len()
}

fn first_word(row: &str) -> &str {
    row.split_whitespace().next().unwrap_or("")
}

/// What hangs a text's continuation lines: a bullet, a command, a numbered item.
const MARKS: [&str; 9] = ["• ", "- ", "$ ", "✓ ", "✗ ", "⚠", "[dry-run] ", "? ", "✔ "];

fn starts_item(row: &str) -> bool {
    let body = row.trim_start();
    MARKS.iter().any(|m| body.starts_with(m)) || numbered(body) || is_rule(row)
}

fn numbered(body: &str) -> bool {
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && body[digits..].starts_with(". ")
}

/// The columns a continuation of `row` hangs under its mark.
fn hanging(row: &str) -> usize {
    let body = row.trim_start();
    if numbered(body) {
        3
    } else if MARKS[..7].iter().any(|m| body.starts_with(m)) {
        2
    } else {
        0
    }
}

fn starts_command(row: &str) -> bool {
    let body = row.trim_start();
    body.starts_with("$ ") || body.contains("would run: $ ")
}

fn is_url_or_path(word: &str) -> bool {
    word.contains("://") || word.contains('/')
}

fn is_rule(row: &str) -> bool {
    row.trim_start().starts_with('━')
}

fn ends_sentence(row: &str) -> bool {
    row.trim_end().ends_with(['.', ':', '!', '?', ';', ')'])
}

/// Text in columns: two runs of two spaces or more between words.
fn is_table_row(row: &str) -> bool {
    row.trim()
        .split("  ")
        .filter(|cell| !cell.trim().is_empty())
        .count()
        >= 3
}
