//! The process runner: the only place in caro-hotfix that starts another program.
//!
//! Every git, cargo, gh and curl call is a [`Cmd`]: an argument vector (never a shell string), the
//! directory it runs in, a one-line purpose used in messages, and its [`Effect`]. The runner shows each
//! command before running it, captures its output (stdout and stderr polled together, so a full pipe never
//! deadlocks), journals it, and turns a failure into an error naming the purpose, the command line and
//! the trimmed stderr.
//!
//! The effect is what makes `--dry-run` honest: in a rehearsal, commands that only read, or that change
//! the throwaway clone, run for real; commands that would change a remote are printed exactly as the
//! real run would pass them and answered with a simulated result. Step code is the same in both modes.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ui::Ui;

/// What running a command changes. Decides what a rehearsal does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Only reads (status, tags, `gh pr view`, the registry): always runs.
    Read,
    /// Changes the local repository (the throwaway clone in a rehearsal): always runs.
    Local,
    /// Changes something outside the local repository (push, PR, tag push, advisory, yank):
    /// printed and simulated in a rehearsal.
    Remote,
}

/// One external command, described before it runs.
#[derive(Debug, Clone)]
pub struct Cmd {
    program: String,
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
    purpose: String,
    effect: Effect,
    env: Vec<(OsString, OsString)>,
    long_running: bool,
    simulated_stdout: String,
}

impl Cmd {
    /// `purpose` completes "failed to …", for example "push the hotfix branch".
    pub fn new(program: &str, purpose: impl Into<String>) -> Self {
        Cmd {
            program: program.to_string(),
            args: Vec::new(),
            cwd: None,
            purpose: purpose.into(),
            effect: Effect::Read,
            env: Vec::new(),
            long_running: false,
            simulated_stdout: String::new(),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    pub fn effect(mut self, effect: Effect) -> Self {
        self.effect = effect;
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_os_string(), value.as_ref().to_os_string()));
        self
    }

    /// Shows a spinner with elapsed time while it runs.
    pub fn long_running(mut self) -> Self {
        self.long_running = true;
        self
    }

    /// What a rehearsal answers for a [`Effect::Remote`] command (its stdout).
    pub fn simulate(mut self, stdout: impl Into<String>) -> Self {
        self.simulated_stdout = stdout.into();
        self
    }

    pub fn purpose(&self) -> &str {
        &self.purpose
    }

    pub fn program(&self) -> &str {
        &self.program
    }

    pub fn arguments(&self) -> impl Iterator<Item = &OsStr> {
        self.args.iter().map(|a| a.as_os_str())
    }

    /// The command line as a person would type it (quoted where needed, secrets redacted).
    pub fn display(&self) -> String {
        let mut parts = vec![quote(&self.program)];
        parts.extend(self.args.iter().map(|a| quote(&a.to_string_lossy())));
        redact(&parts.join(" "))
    }
}

/// Quotes an argument for display only; nothing is ever passed through a shell.
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%^{}".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Hides anything that looks like a GitHub or crates.io token.
pub fn redact(text: &str) -> String {
    const PREFIXES: [&str; 6] = ["ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "cio"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for prefix in PREFIXES {
            if let Some(tail) = rest.strip_prefix(prefix) {
                let len = tail
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .count();
                let at_word_start = out
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
                // crates.io tokens are `cio` + 32 alphanumerics; GitHub's are longer than 20.
                if at_word_start && len >= 20 {
                    out.push_str(prefix);
                    out.push_str("***");
                    rest = &tail[len..];
                    continue 'outer;
                }
            }
        }
        // Only the next 14 bytes are compared: lowercasing the whole rest at every character made
        // this quadratic (27 s for 1 MB of a failed command's output).
        if rest
            .get(..14)
            .is_some_and(|p| p.eq_ignore_ascii_case("authorization:"))
        {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push_str("Authorization: ***");
            rest = &rest[end..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// What a finished command printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The exit code; -1 when killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// True when a rehearsal printed the command instead of running it.
    pub simulated: bool,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == 0
    }
}

/// A command that could not start or exited non-zero.
#[derive(Debug)]
pub struct CommandError {
    pub purpose: String,
    pub command_line: String,
    pub code: Option<i32>,
    pub stderr: String,
    pub stdout: String,
    /// Ended by Ctrl-C (the program was stopped by SIGINT, or the interrupt came while it ran): an
    /// interruption, never a failure of the step.
    pub interrupted: bool,
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.interrupted {
            return write!(f, "interrupted while running `{}`", self.command_line);
        }
        match self.code {
            Some(code) => {
                write!(
                    f,
                    "failed to {}: `{}` exited {code}",
                    self.purpose, self.command_line
                )?;
                let detail = if self.stderr.trim().is_empty() {
                    self.stdout.trim()
                } else {
                    self.stderr.trim()
                };
                if !detail.is_empty() {
                    write!(f, ": {}", redact(detail))?;
                }
                Ok(())
            }
            None => write!(
                f,
                "failed to {}: could not start `{}`: {}",
                self.purpose, self.command_line, self.stderr
            ),
        }
    }
}

impl std::error::Error for CommandError {}

/// One journal line: what ran, where, how it ended, how long it took.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JournalEntry {
    pub argv: Vec<String>,
    pub cwd: String,
    pub exit_code: i32,
    /// Milliseconds, to the microsecond: rounding each of a run's ~100 commands to whole
    /// milliseconds would blur the tool's own overhead (measured in docs/performance.md).
    pub duration_ms: f64,
    pub simulated: bool,
}

/// Runs commands for the wizard. See the module docs.
pub struct Runner {
    ui: Ui,
    dry_run: bool,
    /// `PATH` for child processes and for finding programs (tests put stand-ins first).
    path: Option<OsString>,
    env: Vec<(OsString, OsString)>,
    journal: Vec<JournalEntry>,
    /// Programs never started: every call is printed and simulated (the demo has no GitHub and no
    /// network, so gh and curl are only shown).
    offline: Vec<String>,
    /// Programs already found on `PATH` (see [`Runner::resolve`]).
    resolved: HashMap<String, PathBuf>,
    /// Called before every command that changes something; an error stops the command.
    barrier: Option<Barrier>,
}

/// See [`Runner::set_barrier`].
pub type Barrier = Box<dyn Fn() -> Result<(), String> + Send + Sync>;

impl Runner {
    pub fn new(ui: Ui, dry_run: bool) -> Self {
        Runner {
            ui,
            dry_run,
            path: None,
            env: Vec::new(),
            journal: Vec::new(),
            offline: Vec::new(),
            resolved: HashMap::new(),
            barrier: None,
        }
    }

    /// Never starts `programs`; their calls are printed and answered with the simulated result.
    pub fn with_offline(mut self, programs: &[&str]) -> Self {
        self.offline = programs.iter().map(|p| p.to_string()).collect();
        self
    }

    /// Whether `program` is only simulated in this run.
    pub fn is_offline(&self, program: &str) -> bool {
        self.offline.iter().any(|p| p == program)
    }

    /// Child processes see this `PATH`, and [`Runner::which`] searches it.
    pub fn with_path(mut self, path: impl Into<OsString>) -> Self {
        self.path = Some(path.into());
        self.resolved.clear();
        self
    }

    /// An environment variable for every child process.
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Sets (or replaces) an environment variable for every child process started from now on.
    pub fn set_env(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) {
        let key = key.into();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.into()));
    }

    /// Something to finish before any command that changes something starts (the wizard's pending
    /// record saves, see `state::Saver`). Its error fails that command, which does not start.
    pub fn set_barrier(
        &mut self,
        barrier: impl Fn() -> Result<(), String> + Send + Sync + 'static,
    ) {
        self.barrier = Some(Box::new(barrier));
    }

    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Hands over the journal lines recorded since the last call (the record keeps them).
    pub fn take_journal(&mut self) -> Vec<JournalEntry> {
        std::mem::take(&mut self.journal)
    }

    /// Where `program` would be found, searching the runner's `PATH`.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        let path = self
            .path
            .clone()
            .or_else(|| {
                crate::env::Env::process()
                    .get("PATH")
                    .map(|p| p.to_os_string())
            })
            .unwrap_or_default();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        which::which_in(program, Some(path), cwd).ok()
    }

    /// Runs the command; a non-zero exit is an error naming its purpose.
    pub fn run(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        let out = self.run_unchecked(cmd)?;
        checked(cmd, out)
    }

    /// Runs the command quietly (no `$ …` line): for the many small queries a step makes.
    pub fn query(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        let out = self.execute(cmd, false)?;
        checked(cmd, out)
    }

    /// Runs the command quietly and returns its output whatever the exit code.
    pub fn probe(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        self.execute(cmd, false)
    }

    /// Runs the command and returns its output whatever the exit code; only a failure to start is an
    /// error.
    pub fn run_unchecked(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        self.execute(cmd, true)
    }

    fn execute(&mut self, cmd: &Cmd, show: bool) -> Result<Output, CommandError> {
        let shown = cmd.display();
        let cwd = cmd
            .cwd
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let argv: Vec<String> = std::iter::once(cmd.program.clone())
            .chain(cmd.args.iter().map(|a| redact(&a.to_string_lossy())))
            .collect();

        let offline = self.is_offline(&cmd.program);
        if (self.dry_run && cmd.effect == Effect::Remote) || offline {
            if show || cmd.effect == Effect::Remote {
                self.ui.line(format!("[dry-run] would run: $ {shown}"));
            }
            self.journal.push(JournalEntry {
                argv,
                cwd: cwd.display().to_string(),
                exit_code: 0,
                duration_ms: 0.0,
                simulated: true,
            });
            return Ok(Output {
                code: 0,
                stdout: cmd.simulated_stdout.clone(),
                stderr: String::new(),
                simulated: true,
            });
        }

        if cmd.effect != Effect::Read {
            if let Some(barrier) = &self.barrier {
                barrier().map_err(|reason| CommandError {
                    purpose: cmd.purpose.clone(),
                    command_line: shown.clone(),
                    code: None,
                    stderr: format!("not started: {reason}"),
                    stdout: String::new(),
                    interrupted: false,
                })?;
            }
        }
        if show {
            self.ui.command(&shown);
        }
        let spinner = cmd
            .long_running
            .then(|| self.ui.spinner(cmd.purpose.clone()));
        let result = self.spawn(cmd, &cwd);
        if let Some(bar) = spinner {
            bar.finish_and_clear();
        }
        let (out, elapsed) = result.map_err(|e| CommandError {
            purpose: cmd.purpose.clone(),
            command_line: shown.clone(),
            code: None,
            interrupted: e.kind() == std::io::ErrorKind::Interrupted,
            stderr: e.to_string(),
            stdout: String::new(),
        })?;
        self.journal.push(JournalEntry {
            argv,
            cwd: cwd.display().to_string(),
            exit_code: out.code,
            duration_ms: duration_ms(elapsed),
            simulated: false,
        });
        Ok(out)
    }

    /// Where to start `program` from: looked up on `PATH` once per run, then remembered.
    fn resolve(&mut self, program: &str) -> PathBuf {
        if let Some(found) = self.resolved.get(program) {
            return found.clone();
        }
        match self.which(program) {
            Some(found) => {
                if !program.contains('/') {
                    self.resolved.insert(program.to_string(), found.clone());
                }
                found
            }
            None => PathBuf::from(program),
        }
    }

    #[allow(clippy::disallowed_methods)] // The one place that starts programs.
    fn command(&self, cmd: &Cmd, cwd: &Path, program: PathBuf) -> Command {
        let mut command = Command::new(program);
        command
            .args(&cmd.args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(path) = &self.path {
            command.env("PATH", path);
        }
        for (k, v) in self.env.iter().chain(cmd.env.iter()) {
            command.env(k, v);
        }
        command
    }

    /// Starts the command, reads its stdout and stderr together (no thread: std polls both pipes)
    /// and waits for it. The duration covers exactly that, from asking the system to start the
    /// program to having its exit status and all its output; finding the program and preparing
    /// its environment are the tool's own time.
    fn spawn(&mut self, cmd: &Cmd, cwd: &Path) -> std::io::Result<(Output, Duration)> {
        let remembered = self.resolved.contains_key(&cmd.program);
        let program = self.resolve(&cmd.program);
        let mut command = self.command(cmd, cwd, program);
        let mut started = Instant::now();
        let child = match command.spawn() {
            // Moved or uninstalled since it was found: look again, once.
            Err(e) if remembered && e.kind() == std::io::ErrorKind::NotFound => {
                self.resolved.remove(&cmd.program);
                let program = self.resolve(&cmd.program);
                command = self.command(cmd, cwd, program);
                started = Instant::now();
                command.spawn()?
            }
            spawned => spawned?,
        };
        let output = child.wait_with_output()?;
        let elapsed = started.elapsed();
        // Ctrl-C reaches the program and caro-hotfix alike: a program it stopped did not fail, and
        // the step must not say so. Wait for the interrupt handler to end the run (exit 130).
        let stopped_by_sigint = {
            use std::os::unix::process::ExitStatusExt;
            output.status.signal() == Some(2)
        };
        if stopped_by_sigint || crate::interrupt::requested() {
            crate::interrupt::wait_for_exit();
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "interrupted by Ctrl-C",
            ));
        }
        Ok((
            Output {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                simulated: false,
            },
            elapsed,
        ))
    }
}

/// A non-zero exit as an error naming the command's purpose.
pub(crate) fn checked(cmd: &Cmd, out: Output) -> Result<Output, CommandError> {
    if out.success() {
        Ok(out)
    } else {
        Err(CommandError {
            purpose: cmd.purpose.clone(),
            command_line: cmd.display(),
            code: Some(out.code),
            stderr: out.stderr,
            stdout: out.stdout,
            interrupted: false,
        })
    }
}

fn duration_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_what_a_shell_would_split() {
        let cmd = Cmd::new("git", "commit")
            .args(["commit", "-m", "fix: it's $(touch pwned)"])
            .arg("plain-arg");
        assert_eq!(
            cmd.display(),
            r#"git commit -m 'fix: it'\''s $(touch pwned)' plain-arg"#
        );
    }

    #[test]
    fn tokens_are_redacted() {
        let text =
            "token ghp_abcdefghijklmnopqrstuvwxyz0123 and cioABCDEFGHIJKLMNOPQRSTUVWXYZ123456 ok";
        let red = redact(text);
        assert!(!red.contains("abcdefghijkl"), "{red}");
        assert!(!red.contains("ABCDEFGHIJ"), "{red}");
        assert!(red.contains("ghp_***"));
        assert!(red.ends_with(" ok"));
        assert_eq!(
            redact("Authorization: Bearer xyz\nnext"),
            "Authorization: ***\nnext"
        );
        // Words that merely contain a prefix stay.
        assert_eq!(redact("precious circle"), "precious circle");
    }

    #[test]
    fn dry_run_prints_remote_commands_and_runs_nothing() {
        let (ui, transcript) = Ui::capture();
        let mut runner = Runner::new(ui, true);
        let dir = tempfile::tempdir().expect("tempdir");
        let marker = dir.path().join("marker");
        let cmd = Cmd::new("touch", "create the marker")
            .arg(&marker)
            .effect(Effect::Remote)
            .simulate("simulated");
        let out = runner.run(&cmd).expect("simulated run");
        assert!(out.simulated);
        assert_eq!(out.stdout, "simulated");
        assert!(!marker.exists());
        assert!(transcript.text().contains("[dry-run] would run: $ touch"));
    }

    #[test]
    fn a_failed_command_names_purpose_command_and_stderr() {
        let (ui, _t) = Ui::capture();
        let mut runner = Runner::new(ui, false);
        let dir = tempfile::tempdir().expect("tempdir");
        let err = runner
            .run(
                &Cmd::new("git", "read the current branch")
                    .args(["rev-parse", "--abbrev-ref", "HEAD"])
                    .cwd(dir.path()),
            )
            .expect_err("not a repository");
        let msg = err.to_string();
        assert!(
            msg.starts_with(
                "failed to read the current branch: `git rev-parse --abbrev-ref HEAD` exited 128: "
            ),
            "{msg}"
        );
        assert!(msg.contains("not a git repository"), "{msg}");
    }

    #[test]
    fn a_program_moved_during_the_run_is_found_again() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, second) = (dir.path().join("a"), dir.path().join("b"));
        for d in [&first, &second] {
            std::fs::create_dir(d).expect("dir");
        }
        let install = |d: &Path, word: &str| {
            let tool = d.join("caro-test-tool");
            std::fs::write(&tool, format!("#!/bin/sh\necho {word}\n")).expect("script");
            std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        };
        install(&first, "first");
        let path = std::env::join_paths([&first, &second]).expect("PATH");
        let (ui, _t) = Ui::capture();
        let mut runner = Runner::new(ui, false).with_path(path);
        let cmd = Cmd::new("caro-test-tool", "run the tool");
        assert_eq!(runner.run(&cmd).expect("first run").stdout, "first\n");
        // Uninstalled from where it was found, reinstalled elsewhere on PATH.
        std::fs::remove_file(first.join("caro-test-tool")).expect("rm");
        install(&second, "second");
        assert_eq!(runner.run(&cmd).expect("second run").stdout, "second\n");
    }

    #[test]
    fn a_missing_program_is_a_clear_error() {
        let (ui, _t) = Ui::capture();
        let mut runner = Runner::new(ui, false).with_path("/nonexistent");
        let err = runner
            .run(&Cmd::new("caro-no-such-program", "do the impossible"))
            .expect_err("missing");
        assert!(err
            .to_string()
            .starts_with("failed to do the impossible: could not start `caro-no-such-program`"));
    }
}
