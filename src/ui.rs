//! What the wizard says: step headers, progress lines, warnings, the commands it runs, spinners.
//!
//! Everything the user reads goes through [`Ui`], so tests can capture the whole transcript in-process
//! and the real binary can decide once whether to use colours and spinners. It never reads input; that
//! is the prompter's job.

// The one module that prints and styles (the house rules in clippy.toml and lib.rs).
#![allow(clippy::disallowed_methods, clippy::print_stderr)]

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The wizard's output channel. Cheap to clone; clones share the same sink.
#[derive(Clone)]
pub struct Ui {
    /// Progress, questions' context, warnings: stderr.
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
    /// Machine output and the answer a command exists to give (`status`): stdout.
    data: Arc<Mutex<Box<dyn Write + Send>>>,
    /// Whether spinners may draw (a real terminal, not a capture).
    live: bool,
    /// A capture that also echoes to stderr (`CARO_HOTFIX_ECHO`, for debugging tests).
    echo: bool,
    /// The terminal's width, when it tells: lines are wrapped to it.
    width: Option<usize>,
    /// The spinner on screen, if any: lines are written around it, never after it on its line.
    active: Arc<Mutex<Option<ProgressBar>>>,
}

fn with_newline(text: &str) -> String {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    line
}

/// What a test gets back from [`Ui::capture`]: everything written so far.
#[derive(Clone, Default)]
pub struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Transcript {
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

struct TranscriptWriter(Transcript);

impl Write for TranscriptWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Ok(mut b) = (self.0).0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Ui {
    /// The real terminal: progress on stderr (spinners when it is a terminal), results on stdout.
    pub fn terminal() -> Self {
        let term = console::Term::stderr();
        let live = term.is_term();
        Ui {
            sink: Arc::new(Mutex::new(Box::new(io::stderr()))),
            data: Arc::new(Mutex::new(Box::new(io::stdout()))),
            live,
            echo: false,
            // Prose stops one column short of the edge: only a word longer than that (a URL, a
            // path, a command's argument) may reach the last column.
            width: term
                .size_checked()
                .map(|(_, cols)| usize::from(cols).saturating_sub(1)),
            active: Arc::default(),
        }
    }

    /// An in-memory sink for tests; also echoes to stderr when `CARO_HOTFIX_ECHO` is set, for debugging.
    pub fn capture() -> (Self, Transcript) {
        let transcript = Transcript::default();
        let ui = Ui {
            sink: Arc::new(Mutex::new(Box::new(TranscriptWriter(transcript.clone())))),
            data: Arc::new(Mutex::new(Box::new(TranscriptWriter(transcript.clone())))),
            live: false,
            echo: crate::env::Env::process().get("CARO_HOTFIX_ECHO").is_some(),
            width: None,
            active: Arc::default(),
        };
        (ui, transcript)
    }

    /// A capture whose lines are wrapped to `width` columns, as a terminal of that width would get.
    pub fn capture_at(width: usize) -> (Self, Transcript) {
        let (mut ui, transcript) = Ui::capture();
        ui.width = Some(width);
        (ui, transcript)
    }

    /// Writes one line (several when it has newlines), each wrapped to the terminal's width.
    pub fn line(&self, text: impl AsRef<str>) {
        if SILENT.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let text = text.as_ref();
        let line = match self.width {
            Some(width) => with_newline(&wrap(text, width)),
            None => with_newline(text),
        };
        let write = || {
            if let Ok(mut sink) = self.sink.lock() {
                // A closed stderr must not turn into a panic in the middle of a release. One write
                // per line: stderr is unbuffered, and `writeln!` would make two.
                let _ = sink.write_all(line.as_bytes());
                let _ = sink.flush();
            }
        };
        let spinner = self
            .active
            .lock()
            .ok()
            .and_then(|a| a.clone())
            .filter(|bar| !bar.is_finished());
        // Never inside a suspend already under way on this thread (indicatif's lock is not
        // re-entrant): then the spinner is off the screen anyway.
        match spinner {
            Some(bar) if !IN_SUSPEND.with(std::cell::Cell::get) => {
                IN_SUSPEND.with(|s| s.set(true));
                bar.suspend(write);
                IN_SUSPEND.with(|s| s.set(false));
            }
            _ => write(),
        }
        if self.echo {
            eprint!("{line}");
        }
    }

    /// Writes one line of a command's result (stdout).
    pub fn data(&self, text: impl AsRef<str>) {
        if SILENT.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        if let Ok(mut sink) = self.data.lock() {
            let _ = sink.write_all(with_newline(text.as_ref()).as_bytes());
            let _ = sink.flush();
        }
    }

    pub fn blank(&self) {
        self.line("");
    }

    /// `[3/16] Create the hotfix branch`
    pub fn step(&self, number: u8, total: usize, title: &str) {
        self.blank();
        self.line(format!(
            "{} {}",
            style(format!("[{number}/{total}]"))
                .cyan()
                .bold()
                .for_stderr(),
            style(title).bold().for_stderr()
        ));
    }

    pub fn ok(&self, text: impl AsRef<str>) {
        self.line(format!(
            "{} {}",
            style("✓").green().for_stderr(),
            text.as_ref()
        ));
    }

    pub fn warn(&self, text: impl AsRef<str>) {
        self.line(format!(
            "{} {}",
            style("⚠️ ").yellow().for_stderr(),
            text.as_ref()
        ));
    }

    pub fn info(&self, text: impl AsRef<str>) {
        self.line(format!("  {}", text.as_ref()));
    }

    /// `$ git push -u origin hotfix/v1.4.3`, shown before the command runs.
    pub fn command(&self, shown: &str) {
        self.line(format!(
            "{}",
            style(format!("$ {shown}")).dim().for_stderr()
        ));
    }

    /// `✗ Push and open the PR`: a step that did not finish.
    pub fn failed(&self, title: &str) {
        self.line(format!("{} {title}", style("✗").red().for_stderr()));
    }

    /// `error: …` and its `hint:` lines (see [`crate::error::render`]).
    pub fn error(&self, rendered: &str) {
        let mut lines = rendered.split('\n');
        let first = lines.next().unwrap_or("");
        self.line(format!(
            "{} {first}",
            style("error:").red().bold().for_stderr()
        ));
        for line in lines {
            match line.strip_prefix("hint: ") {
                Some(hint) => self.line(format!(
                    "{} {hint}",
                    style("hint:").cyan().bold().for_stderr()
                )),
                None => self.line(line),
            }
        }
    }

    /// A spinner with elapsed time for a long wait; hidden when output is not a terminal.
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        let bar = if self.live {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut active) = self.active.lock() {
            *active = Some(bar.clone());
        }
        bar
    }
}

/// Wraps every line of `text` to `width` columns at spaces; a continuation keeps the line's
/// indentation (and two spaces more under a bullet, a `$ command`, a `[dry-run] would run: $ …` or a
/// numbered item). A word longer than the width (a URL, a path) stays whole on an indented line of
/// its own, and may take one column more: `width` is the terminal's less the last column, which
/// only such a word reaches. Colour codes take no columns. Texts are written unwrapped: this is the
/// only wrapping.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(20);
    let mut out = Vec::new();
    for line in text.split('\n') {
        if console::measure_text_width(line) <= width {
            out.push(line.to_string());
            continue;
        }
        let indent_len = line.len() - line.trim_start().len();
        let indent = &line[..indent_len];
        let body = &line[indent_len..];
        // Colour codes around a leading mark do not hide it.
        let plain = console::strip_ansi_codes(body);
        let hanging = ["• ", "- ", "$ ", "✓ ", "✗ ", "⚠️  ", "[dry-run] "]
            .iter()
            .find(|p| plain.starts_with(**p))
            .map(|_| "  ")
            .or_else(|| {
                let digits = plain.chars().take_while(char::is_ascii_digit).count();
                (digits > 0 && plain[digits..].starts_with(". ")).then_some("   ")
            })
            .unwrap_or("");
        let next_indent = format!("{indent}{hanging}");
        let mut current = indent.to_string();
        let mut current_width = console::measure_text_width(&current);
        let mut first_word = true;
        for word in body.split(' ') {
            let w = console::measure_text_width(word);
            if !first_word && current_width + 1 + w > width {
                out.push(std::mem::take(&mut current));
                // Every continuation keeps the indent of its first line; before a word too long
                // for the rest of the row (a URL, a path: those alone may reach the terminal's
                // last column, one past `width`), as much of it as leaves the word whole on the
                // screen.
                let indent_width = console::measure_text_width(&next_indent);
                let keep = indent_width.min((width + 1).saturating_sub(w));
                current = if keep == indent_width {
                    next_indent.clone()
                } else {
                    " ".repeat(keep)
                };
                current_width = keep;
                first_word = true;
            }
            if !first_word {
                current.push(' ');
                current_width += 1;
            }
            current.push_str(word);
            current_width += w;
            first_word = false;
        }
        out.push(current);
    }
    out.join("\n")
}

/// `1 problem`, `2 problems`: a count with its noun, singular or plural as English wants it (the
/// plural adds `s`). Every count the wizard says goes through here or [`of_them`].
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(n, noun))
}

/// `commit` for one, `commits` for any other number.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

/// A part of `total` things that have a property `what` (`in src/`): `, in src/` when the one
/// thing (or every thing) has it, `, none in src/` when none has, `, 2 of them in src/` otherwise —
/// so "1 commit, in src/" never reads as a list of many.
pub fn of_them(part: usize, total: usize, what: &str) -> String {
    match (part, total) {
        (0, _) => format!("none {what}"),
        (1, 1) => what.to_string(),
        (p, t) if p == t => format!("all {what}"),
        (p, _) => format!("{p} of them {what}"),
    }
}

/// A duration as people say it: `50 ms`, `20 s`, `10 min`, `1 h 30 min`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", d.as_millis())
    } else if secs < 120.0 {
        format!("{} s", secs.round() as u64)
    } else if secs < 3600.0 {
        format!("{} min", (secs / 60.0).round() as u64)
    } else {
        let minutes = (secs / 60.0).round() as u64;
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

thread_local! {
    /// Set while [`Ui::line`] writes around a spinner.
    static IN_SUSPEND: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

static SILENT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After Ctrl-C: nothing more is printed but the handler's own line ([`interrupted`]).
pub fn silence() {
    SILENT.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// One line straight to stderr, for the Ctrl-C handler (which has no [`Ui`]); the cursor a spinner
/// or a question hid is shown again first.
pub fn interrupted(text: &str) {
    let _ = console::Term::stderr().show_cursor();
    let _ = io::stderr().write_all(with_newline(text).as_bytes());
}

/// Colours on or off for the whole process: `--color`, else `NO_COLOR`, else whether it is a terminal.
pub fn apply_color(choice: crate::cli::ColorChoice, env: &crate::env::Env) {
    use crate::cli::ColorChoice;
    let on = match choice {
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
        ColorChoice::Auto if env.is_set("NO_COLOR") => Some(false),
        ColorChoice::Auto => None,
    };
    if let Some(on) = on {
        console::set_colors_enabled(on);
        console::set_colors_enabled_stderr(on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces_keeping_their_indentation() {
        let text = "  • maintenance (recommended): PR into release/1.0 (made from v1.0.0 if it does not exist), tag that merge";
        let wrapped = wrap(text, 40);
        for line in wrapped.lines() {
            assert!(console::measure_text_width(line) <= 40, "{line:?}");
        }
        assert!(
            wrapped.starts_with("  • maintenance (recommended): PR into\n    release/1.0"),
            "{wrapped}"
        );
        // Nothing lost, no word broken.
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&wrapped), words(text));
        // A word longer than the width stays whole, on a line indented like its first line.
        let url = format!("  • Advisory: https://example.com/{}", "x".repeat(20));
        let wrapped = wrap(&url, 50);
        assert_eq!(
            wrapped.lines().nth(1),
            Some(format!("    https://example.com/{}", "x".repeat(20)).as_str()),
            "{wrapped}"
        );
        // One too long for the indent keeps as much of it as leaves the URL whole on the screen,
        // up to the terminal's last column (one past the width): 46 columns, 3 of indent.
        let long = format!("  • Advisory: https://example.com/{}", "x".repeat(26));
        assert_eq!(
            wrap(&long, 48).lines().nth(1),
            Some(format!("   https://example.com/{}", "x".repeat(26)).as_str())
        );
        // One as wide as the terminal (79 + 1 columns) is the whole row, at column 0.
        let edge = format!("  • Advisory: https://example.com/{}", "x".repeat(60));
        assert_eq!(
            wrap(&edge, 79).lines().nth(1),
            Some(format!("https://example.com/{}", "x".repeat(60)).as_str())
        );
        // A rehearsal's `[dry-run] would run: $ …` hangs its continuation.
        let dry = "[dry-run] would run: $ gh pr view 0 --json state,headRefOid --repo example/frame-parser";
        assert_eq!(
            wrap(dry, 80),
            "[dry-run] would run: $ gh pr view 0 --json state,headRefOid --repo\n  example/frame-parser"
        );
        // A coloured mark still hangs its continuation lines.
        let coloured = format!(
            "{} {}",
            console::style("✓").green().force_styling(true),
            "word ".repeat(12)
        );
        assert!(
            wrap(&coloured, 30)
                .lines()
                .skip(1)
                .all(|l| l.starts_with("  ")),
            "{}",
            wrap(&coloured, 30)
        );
        // Short lines and blank lines are kept as they are.
        assert_eq!(wrap("a\n\nb", 40), "a\n\nb");
    }

    #[test]
    fn counts_and_durations_read_as_english() {
        assert_eq!(count(1, "test"), "1 test");
        assert_eq!(count(2, "test"), "2 tests");
        assert_eq!(count(0, "commit"), "0 commits");
        assert_eq!(of_them(1, 1, "in src/"), "in src/");
        assert_eq!(of_them(0, 1, "in src/"), "none in src/");
        assert_eq!(of_them(3, 3, "in src/"), "all in src/");
        assert_eq!(of_them(2, 3, "in src/"), "2 of them in src/");
        assert_eq!(duration(Duration::from_millis(50)), "50 ms");
        assert_eq!(duration(Duration::from_secs(20)), "20 s");
        assert_eq!(duration(Duration::from_secs(600)), "10 min");
        assert_eq!(duration(Duration::from_secs(5400)), "1 h 30 min");
    }
}
