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
        let live = console::Term::stderr().is_term();
        Ui {
            sink: Arc::new(Mutex::new(Box::new(io::stderr()))),
            data: Arc::new(Mutex::new(Box::new(io::stdout()))),
            live,
            echo: false,
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
        };
        (ui, transcript)
    }

    /// Writes one line as is.
    pub fn line(&self, text: impl AsRef<str>) {
        let line = with_newline(text.as_ref());
        if let Ok(mut sink) = self.sink.lock() {
            // A closed stderr must not turn into a panic in the middle of a release. One write per
            // line: stderr is unbuffered, and `writeln!` would make two.
            let _ = sink.write_all(line.as_bytes());
            let _ = sink.flush();
        }
        if self.echo {
            eprint!("{line}");
        }
    }

    /// Writes one line of a command's result (stdout).
    pub fn data(&self, text: impl AsRef<str>) {
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
        bar
    }
}

/// `1 problem`, `2 problems`: a count with its noun, singular or plural as English wants it (the
/// plural adds `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
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
