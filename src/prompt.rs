//! The prompter: every question the wizard asks goes through [`Prompter`].
//!
//! The rules for confirmations live here and only here: `yes` and `done` must be typed exactly, and a
//! y/n question always needs Enter, so a stray key never confirms. Where the answers come from is a
//! [`Backend`]: dialoguer on a real terminal, a script in tests, defaults in a non-interactive
//! rehearsal.

// The one module that asks (dialoguer's widgets and the terminal are banned elsewhere in
// clippy.toml): questions go to the controlling terminal, so a run can be piped to `tee`.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use std::collections::VecDeque;

use anyhow::{bail, Result};

use crate::ui::Ui;

/// Where answers come from. Backends only read; the rules are in [`Prompter`].
pub trait Backend {
    /// A line of text; `default` is what an empty answer means.
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String>;
    /// A y/n answer that needs Enter. `None` means the question was not answered (treated as no).
    fn yes_no(&mut self, prompt: &str) -> Result<bool>;
    /// One of `items`, by index.
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize>;
}

/// Asks the wizard's questions and enforces its confirmation rules.
pub struct Prompter {
    backend: Box<dyn Backend>,
    /// The typed confirmations asked since [`Prompter::take_typed`]: the question, and whether the
    /// word was typed (the incident report lists them).
    typed: Vec<(String, bool)>,
}

impl Prompter {
    pub fn new(backend: Box<dyn Backend>) -> Self {
        Prompter {
            backend,
            typed: Vec::new(),
        }
    }

    /// Asks for `word` to be typed exactly (surrounding spaces aside). Returns whether it was.
    pub fn typed(&mut self, prompt: &str, word: &str) -> Result<bool> {
        let answer = self.backend.text(prompt, None)?;
        let confirmed = answer.trim() == word;
        self.typed.push((prompt.to_string(), confirmed));
        Ok(confirmed)
    }

    /// The typed confirmations asked since the last call, in order.
    pub fn take_typed(&mut self) -> Vec<(String, bool)> {
        std::mem::take(&mut self.typed)
    }

    pub fn yes_no(&mut self, prompt: &str) -> Result<bool> {
        self.backend.yes_no(prompt)
    }

    pub fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        Ok(self.backend.text(prompt, default)?.trim().to_string())
    }

    pub fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize> {
        let i = self.backend.select(prompt, items, default)?;
        if i >= items.len() {
            bail!("answer {i} is not one of the {} choices", items.len());
        }
        Ok(i)
    }
}

/// Real terminal questions through dialoguer, on the controlling terminal (`/dev/tty`) when there is
/// one — so `caro-hotfix … 2>&1 | tee hotfix.log` still asks the person — else on stderr.
pub struct Dialoguer {
    theme: dialoguer::theme::ColorfulTheme,
    term: console::Term,
}

impl Dialoguer {
    pub fn new() -> Self {
        Dialoguer {
            theme: dialoguer::theme::ColorfulTheme::default(),
            term: controlling_terminal().unwrap_or_else(console::Term::stderr),
        }
    }
}

impl Default for Dialoguer {
    fn default() -> Self {
        Self::new()
    }
}

/// The controlling terminal, for reading and writing, when the process has one.
fn controlling_terminal() -> Option<console::Term> {
    let tty = crate::fsx::open_in_place(std::path::Path::new("/dev/tty"), false).ok()?;
    let reader = tty.try_clone().ok()?;
    Some(console::Term::read_write_pair(reader, tty))
}

/// Whether a person can be asked: stdin is a terminal, and questions can be written to it (the
/// controlling terminal, or stderr when that is the terminal).
pub fn can_ask() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
        && (std::io::stderr().is_terminal() || controlling_terminal().is_some())
}

/// `y`/`yes` or `n`/`no`, any case; anything else (Enter alone included) is no answer.
pub fn parse_yes_no(answer: &str) -> Option<bool> {
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

/// dialoguer reports Ctrl-C as an I/O error; the driver turns it into "interrupted".
fn interrupted(e: dialoguer::Error) -> anyhow::Error {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        // Ctrl-C at a question: the interrupt handler ends the run with its one line.
        crate::interrupt::wait_for_exit();
        anyhow::Error::new(crate::error::Interrupted)
    } else {
        anyhow::Error::new(io).context("could not read the answer from the terminal")
    }
}

impl Backend for Dialoguer {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(true);
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        input.interact_text_on(&self.term).map_err(interrupted)
    }

    /// No default: Enter alone, or anything but y/n, asks again — a stray key never answers.
    fn yes_no(&mut self, prompt: &str) -> Result<bool> {
        loop {
            let answer = dialoguer::Input::<String>::with_theme(&self.theme)
                .with_prompt(prompt)
                .allow_empty(true)
                .interact_text_on(&self.term)
                .map_err(interrupted)?;
            if let Some(yes) = parse_yes_no(&answer) {
                return Ok(yes);
            }
            let _ = self
                .term
                .write_line("  Type y or n, then Enter (no answer is taken for you).");
        }
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(interrupted)
    }
}

/// Answers from a script, for tests; each question and answer is echoed to the transcript.
pub struct Scripted {
    answers: VecDeque<String>,
    ui: Ui,
}

impl Scripted {
    pub fn new<I, S>(ui: Ui, answers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Scripted {
            answers: answers.into_iter().map(Into::into).collect(),
            ui,
        }
    }

    fn next(&mut self, prompt: &str) -> Result<String> {
        match self.answers.pop_front() {
            Some(a) => {
                self.ui.line(format!("? {prompt} › {a}"));
                Ok(a)
            }
            None => bail!("the script has no answer left for the question: {prompt}"),
        }
    }
}

impl Backend for Scripted {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        let a = self.next(prompt)?;
        Ok(match default {
            Some(d) if a.is_empty() => d.to_string(),
            _ => a,
        })
    }

    fn yes_no(&mut self, prompt: &str) -> Result<bool> {
        // As on a terminal: an answer that is not y/n (Enter alone) is no answer; the next is taken.
        loop {
            let a = self.next(prompt)?;
            if let Some(yes) = parse_yes_no(&a) {
                return Ok(yes);
            }
        }
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize> {
        let a = self.next(prompt)?;
        if a.is_empty() {
            return Ok(default);
        }
        items
            .iter()
            .position(|i| i.eq_ignore_ascii_case(a.trim()))
            .or_else(|| a.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("scripted answer `{a}` is not one of {items:?}"))
    }
}

/// A fire drill (`--dry-run --non-interactive`): every question takes its default, said aloud.
pub struct Defaults {
    ui: Ui,
}

impl Defaults {
    pub fn new(ui: Ui) -> Self {
        Defaults { ui }
    }
}

impl Backend for Defaults {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        // Typed confirmations have no default; the prompt names the word to type.
        let answer = default
            .map(str::to_string)
            .or_else(|| quoted_word(prompt))
            .unwrap_or_default();
        self.ui
            .line(format!("? {prompt} › {answer}   (non-interactive)"));
        Ok(answer)
    }

    fn yes_no(&mut self, prompt: &str) -> Result<bool> {
        self.ui
            .line(format!("? {prompt} › yes   (non-interactive)"));
        Ok(true)
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize> {
        let shown = items.get(default).copied().unwrap_or("");
        self.ui
            .line(format!("? {prompt} › {shown}   (non-interactive)"));
        Ok(default)
    }
}

/// The word a prompt asks to be typed: `… must type 'yes')` → `yes`.
fn quoted_word(prompt: &str) -> Option<String> {
    let start = prompt.find('\'')? + 1;
    let len = prompt[start..].find('\'')?;
    Some(prompt[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripted(answers: &[&str]) -> Prompter {
        let (ui, _t) = Ui::capture();
        Prompter::new(Box::new(Scripted::new(ui, answers.iter().copied())))
    }

    #[test]
    fn only_the_exact_word_confirms() {
        let mut p = scripted(&["yes", " yes ", "y", "YES", "yes please", ""]);
        let results: Vec<bool> = (0..6)
            .map(|_| p.typed("Continue? (type 'yes')", "yes").expect("answer"))
            .collect();
        assert_eq!(results, [true, true, false, false, false, false]);
    }

    #[test]
    fn a_script_that_runs_out_is_an_error_not_a_hang() {
        let mut p = scripted(&[]);
        let err = p.yes_no("Continue anyway? (y/n)").expect_err("no answers");
        assert!(err.to_string().contains("Continue anyway?"));
    }

    #[test]
    fn defaults_type_the_word_the_prompt_asks_for() {
        let (ui, t) = Ui::capture();
        let mut p = Prompter::new(Box::new(Defaults::new(ui)));
        assert!(p
            .typed("Continue with hotfix? (yes/no - must type 'yes')", "yes")
            .expect("answer"));
        assert!(p
            .typed("Type 'done' when fix is committed", "done")
            .expect("answer"));
        assert!(t.text().contains("(non-interactive)"));
    }
}
