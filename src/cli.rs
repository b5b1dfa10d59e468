//! The command line: commands, options and their meaning, and nothing else.
//!
//! Option names are part of the contract with users (see PRODUCT.md); validation that needs more than
//! clap (such as `--non-interactive` only with `--dry-run`) lives in `lib.rs` where the exit code is
//! chosen.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::logic::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "caro-hotfix",
    version,
    about = "Carry an emergency security hotfix of a Rust crate from the hole to the published fix",
    long_about = None,
    subcommand_negates_reqs = true,
    arg_required_else_help = true,
    // clap would render the second form as `[DESCRIPTION] <COMMAND>`: a description and a command
    // are never given together.
    override_usage = "caro-hotfix [OPTIONS] <DESCRIPTION>\n       caro-hotfix [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub start: StartOpts,

    /// What is being fixed, for example "RUSTSEC-2025-0001 critical memory safety issue".
    #[arg(value_name = "DESCRIPTION", required = true)]
    pub description: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Continue the hotfix in progress at its first unfinished step.
    #[command(
        long_about = "Continue the hotfix (or rollback) in progress at its first unfinished step, \
with every option it was started with (give one again to change it for this run).\n\n\
Changes: what the remaining steps change. First it checks the repository against the record \
(branch, fix commits, version) and stops, changing nothing, if they differ.\n\
Never touches: steps already done — nothing is done twice.\n\n\
Under an embargo, `resume` before the disclosure time stops and says when it is and what is ready; \
`resume --now` discloses early, after a typed `yes`."
    )]
    Resume {
        /// Under an embargo: go to release day now, before the disclosure time (asks a typed `yes`).
        #[arg(long)]
        now: bool,
    },
    /// Show the hotfix in progress, step by step.
    #[command(
        long_about = "Show the hotfix (or rollback) in progress, step by step: what is done, \
which step is running or was interrupted, and whether a run is working on it now.\n\n\
Changes: nothing. Reads only the record in .git/caro-hotfix/."
    )]
    Status {
        /// Print the record as JSON for machines.
        #[arg(long)]
        json: bool,
    },
    /// After disclosure: what is still to happen, every row checked live.
    #[command(
        long_about = "After disclosure, one screen of what is still to happen for a finished \
hotfix (the newest in .git/caro-hotfix/history/, or --version), every row checked live with what to \
do if it is not done: the GitHub advisory published; the CVE requested, assigned, and where its id \
has reached; the advisory reviewed into GitHub's Advisory Database (what Dependabot alerts on); the \
RustSec advisory (the PR, its merge, the RUSTSEC id); the patched and vulnerable versions on the \
registry; the fix on every branch. A row that cannot be checked says so.\n\n\
Changes: after a typed `yes`, adds a newly assigned CVE or RUSTSEC id where it is missing (the \
advisory's references, the release notes, the RustSec PR, the announcement file); records what it \
learnt in the archived record and refreshes the incident report history/<version>.md.\n\
Never touches: the code, the branches, the tags, the registry."
    )]
    FollowUp {
        /// The finished hotfix to follow (1.0.11 or v1.0.11); the newest by default.
        #[arg(long)]
        version: Option<String>,
        /// Print the rows as JSON for machines (asks nothing, adds nothing).
        #[arg(long)]
        json: bool,
    },
    /// Forget the hotfix in progress (local record only; lists what it leaves behind).
    #[command(long_about = "Forget the hotfix in progress, after a typed `yes`.\n\n\
Changes: moves the record to .git/caro-hotfix/history/ (kept for the audit trail); offers to restore \
step 4's uncommitted SECURITY.md entry.\n\
Never touches: branches, the PR, tags, the advisory, the remote — it lists each with the command to \
clean it up, and deletes nothing itself.")]
    Abort,
    /// Emergency rollback of a published hotfix.
    #[command(
        long_about = "Emergency rollback of a published hotfix, when it causes worse problems than \
the hole it fixed. After a typed `yes`:\n  \
1. yank the version from the registry (`cargo yank`; lock files that pin it keep building, new \
resolutions avoid it)\n  \
2. check the registry index shows it yanked\n  \
3. delete its GitHub release, keeping the tag for the audit trail\n  \
4. write the rollback advisory — the previous release still has the vulnerability, so it points \
users to the next hotfix, not back to the hole\n  \
5. offer to start that next hotfix at once, from the yanked tag\n\n\
Changes: the registry (yank), the GitHub release, the advisory (when you agree).\n\
Never touches: the tag, the branches, the published files (a yank hides, it does not delete). \
Prefer publishing a fixed version first when you can (cargo's advice: publish, then yank).\n\
Rehearse it first: caro-hotfix rollback --dry-run."
    )]
    Rollback {
        /// The version to roll back (1.4.3 or v1.4.3).
        #[arg(long)]
        version: Option<String>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
    /// Rehearse everything on a bundled sample crate in a throwaway sandbox.
    #[command(
        long_about = "Rehearse the sixteen steps on a bundled sample crate, in a throwaway \
sandbox with its own bare origin: the local steps run for real, every remote command is printed.\n\n\
Changes: nothing outside the sandbox (removed at the end unless --keep). Needs no network and no \
GitHub account."
    )]
    Demo {
        /// Keep the sandbox (sample crate and origin) after the demo.
        #[arg(long)]
        keep: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Run as if started in PATH.
    #[arg(short = 'C', value_name = "PATH", global = true)]
    pub directory: Option<PathBuf>,

    /// Rehearse: local steps run in a throwaway clone, remote changes are only printed.
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Answer every question with its default (only together with --dry-run: a fire drill in CI).
    #[arg(long, global = true)]
    pub non_interactive: bool,

    /// The git remote to fetch from and push to (default: `remote` in the configuration, else origin).
    #[arg(long, value_name = "NAME", global = true)]
    pub remote: Option<String>,

    /// The registry the crate lives on, named in cargo's configuration (default: crates.io).
    #[arg(long, value_name = "NAME", global = true)]
    pub registry: Option<String>,

    /// Sparse index to watch for the publish (env: CARO_HOTFIX_REGISTRY_INDEX, below a hotfix's
    /// recorded one).
    #[arg(long, value_name = "URL", global = true)]
    pub registry_index: Option<String>,

    /// Seconds between polls of the PR and the registry (fractions allowed).
    #[arg(long, value_name = "SECONDS", global = true)]
    pub poll_interval: Option<f64>,

    /// When to use colours (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

impl GlobalOpts {
    /// The remote in effect: the flag, else the configuration's (filled in once it is read), else origin.
    pub fn remote(&self) -> &str {
        self.remote.as_deref().unwrap_or("origin")
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct StartOpts {
    /// Severity of the issue (answers the step-4 question).
    #[arg(long, value_enum)]
    pub severity: Option<SeverityArg>,

    /// Impact of the issue (answers the step-4 question).
    #[arg(long, value_name = "TEXT")]
    pub impact: Option<String>,

    /// Advisory id: RUSTSEC-YYYY-NNNN, CVE-YYYY-NNNN… or GHSA-xxxx-xxxx-xxxx (repeatable).
    #[arg(long = "advisory", value_name = "ID")]
    pub advisories: Vec<String>,

    /// Who reported the issue (answers the step-4 question); `@login` also credits that GitHub user as
    /// the reporter in the advisory.
    #[arg(long, value_name = "NAME")]
    pub credit: Option<String>,

    /// CVSS 3.1 or 4.0 vector for the advisory (GitHub then takes it instead of the severity).
    #[arg(long, value_name = "VECTOR")]
    pub cvss: Option<String>,

    /// CWE id of the weakness, e.g. CWE-125 (repeatable).
    #[arg(long = "cwe", value_name = "CWE-NNN")]
    pub cwes: Vec<String>,

    /// RustSec category for the RustSec draft, e.g. memory-exposure (repeatable).
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,

    /// Ask GitHub for a CVE id once the advisory draft exists (step 4).
    #[arg(long)]
    pub request_cve: bool,

    /// The first affected release (default: the oldest release).
    #[arg(long, value_name = "VERSION")]
    pub introduced: Option<String>,

    /// Nothing public describes the vulnerability until the advisory is published: the PR, commits,
    /// tag, CHANGELOG and SECURITY.md say "security fix" and name the advisory.
    #[arg(long)]
    pub embargo: bool,

    /// The embargo's disclosure time (RFC 3339, e.g. 2026-12-09T16:00Z; implies --embargo): nothing
    /// goes public before it; `resume --now` discloses early after a typed `yes`. Default: asked at
    /// step 4.
    #[arg(long, value_name = "TIME")]
    pub disclose_at: Option<String>,

    /// A release line this incident patches, e.g. 1.4 (repeatable): its highest release X.Y.* gets the
    /// next patch. The fix is made once, on the newest line given, and cherry-picked to the others.
    /// Default: the newest line, or the line of --base-tag.
    #[arg(long = "line", value_name = "X.Y")]
    pub lines: Vec<String>,

    /// Cherry-pick this prepared fix commit at step 5 instead of waiting for `done` (repeatable).
    #[arg(long = "fix-from", value_name = "REV")]
    pub fix_from: Vec<String>,

    /// Branch the PR targets (default: the remote's default branch).
    #[arg(long, value_name = "BRANCH")]
    pub base: Option<String>,

    /// How the fix reaches a release: main (PR into the base branch, tag the squash merge) or
    /// maintenance (PR into release/X.Y from the base tag, tag that merge, forward-port to the base
    /// branch). Default: ask when the base branch has unreleased commits.
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyArg>,

    /// Patch this release instead of the newest one (an older line; needs --strategy maintenance).
    #[arg(long, value_name = "TAG")]
    pub base_tag: Option<String>,

    /// Crate to bump and watch (default: the root package).
    #[arg(long, value_name = "NAME")]
    pub package: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    Main,
    Maintenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The command a one-word description is likely a typo of (`staus` → `status`): a word within a small
/// edit distance of a command's name. A description of more than one word is never a command.
pub fn mistyped_command(description: &str) -> Option<String> {
    let word = description.trim();
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    <Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .chain(["help".to_string()])
        .map(|name| (edit_distance(&lower, &name), name))
        .filter(|(d, name)| *d <= if name.len() <= 4 { 1 } else { 2 })
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance, for command names (a few letters).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_word_typo_of_a_command_is_recognised_and_a_description_is_not() {
        assert_eq!(mistyped_command("staus").as_deref(), Some("status"));
        assert_eq!(mistyped_command("resme").as_deref(), Some("resume"));
        assert_eq!(mistyped_command("Rollbak").as_deref(), Some("rollback"));
        assert_eq!(mistyped_command("abrot").as_deref(), Some("abort"));
        assert_eq!(mistyped_command("RUSTSEC-2025-0001"), None);
        assert_eq!(mistyped_command("status of the parser"), None);
        assert_eq!(mistyped_command("overflow"), None);
    }
}
