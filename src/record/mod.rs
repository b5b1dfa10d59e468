//! The records of `.git/caro-hotfix/`: what a hotfix (or a rollback) was asked, decided and did.
//!
//! A record lives in the git directory, never in the work tree: branch switches and `git clean` cannot
//! touch it, and it is found from any worktree. It is human-readable TOML, written atomically after
//! every step and every change of state inside a long step, so a kill at any point leaves the old or
//! the new record.
//!
//! The hotfix's record ([`Hotfix`]) is grouped by the step that decides each value: the
//! [`Request`] (what the maintainer asked when starting, stored whole, so `resume` continues with
//! exactly that), the incident (step 4), the [`Plan`] (step 2), the fix (steps 5–6), the tests (7),
//! the [`Audit`] (8), the [`Pr`] (9), the [`Release`] (11), the advisory (13), the backports (15).
//! The rollback's record is a type of its own ([`Rollback`]). Both share the [`Run`] header and the
//! list of steps, which is what the driver reads and writes ([`Tracked`]).
//!
//! - [`layout`]: the one type that owns every path under `.git/caro-hotfix/`.
//! - [`store`]: load, save, archive, forget; the journal of commands beside a live record.
//! - [`saver`]: writes the records of a run off its critical path.
//! - `legacy`: the record format of caro-hotfix before 0.2, read once and converted.

pub mod layout;
mod legacy;
pub mod lock;
pub mod rollback;
pub mod saver;
pub mod store;

use serde::{Deserialize, Serialize};

pub use layout::Layout;
pub use rollback::{NextHotfix, Rollback};
pub use saver::Saver;

use crate::config::Strategy;
use crate::logic::Incident;
use crate::runner::JournalEntry;

/// The record format written by this version (absent in the format before it: see `legacy`).
pub const FORMAT: u32 = 2;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Pending,
    InProgress,
    Done,
    Skipped,
}

/// One step of a flow as recorded.
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

/// What every record starts with: which caro-hotfix wrote it, when the run started, and how far
/// its saves have come.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub tool_version: String,
    /// Counts the saves of a live record. Each save marks its number in the journal first
    /// (`# save N`), so a record whose `revision` is behind the journal's last mark has a save on
    /// its way (see [`Saver`] and [`store::settle`]).
    #[serde(default)]
    pub revision: u64,
    pub started_at: String,
    /// A rehearsal's record (kept in its throwaway clone, never resumed).
    pub dry_run: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

impl Run {
    pub fn new(now: String, dry_run: bool) -> Run {
        Run {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            revision: 0,
            started_at: now,
            dry_run,
            completed_at: None,
        }
    }
}

/// What the maintainer asked for when the hotfix started: every option of `caro-hotfix [OPTIONS]
/// <DESCRIPTION>` that shapes the run, stored whole when the record is created. `resume` reads this,
/// never the command line it was started with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The git remote fetched from and pushed to.
    pub remote: String,
    /// `--package`: the crate to bump and watch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// `--base-tag`: the release to patch (an older line), or the yanked release a rollback's next
    /// hotfix starts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_tag: Option<String>,
    /// `--base`: the branch the PR targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_branch: Option<String>,
    /// `--strategy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// `--fix-from`: prepared fix commits for step 5.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_from: Vec<String>,
    /// `--registry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// `--registry-index` (or `CARO_HOTFIX_REGISTRY_INDEX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_index: Option<String>,
    /// `--poll-interval`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_interval: Option<f64>,
    /// The commit whose manifests gave the project's configuration (HEAD when the hotfix started).
    /// When what is checked out at `resume` does not descend from it, `[*.metadata.hotfix]` is read
    /// there instead: the hotfix branch is cut from the base tag, which may predate the
    /// configuration (`release-branches`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_commit: Option<String>,
    /// `--introduced`: the first affected release (default: the oldest release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// `--request-cve`: ask GitHub for a CVE once the advisory draft exists.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub request_cve: bool,
    /// `--embargo`: nothing public describes the vulnerability until the advisory is published.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub embargo: bool,
    /// `--disclose-at`: the embargo's disclosure time as given (RFC 3339); step 4 checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclose_at: Option<String>,
    /// `--line X.Y` (repeatable): the release lines this incident patches; empty: the newest line,
    /// or the line of `--base-tag` (the configuration's `lines` apply then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

/// What step 2 decided: the release this hotfix patches and everything named after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The crate being hotfixed.
    pub crate_name: String,
    pub base_tag: String,
    pub base_version: String,
    /// The hotfix version, `base_version` + one patch.
    pub version: String,
    /// The hotfix's tag: the one answer to "what is the tag".
    pub tag: String,
    /// `hotfix/<tag>`.
    pub branch: String,
    /// The branch the PR targets (`release/X.Y` with the maintenance strategy).
    pub base_branch: String,
    /// The project's default branch (receives the forward-port with the maintenance strategy).
    pub trunk: String,
    pub strategy: Strategy,
    /// The scheme of the crate's release tags (`v`, ``, `tokio-`, …), found or configured at step 2.
    #[serde(default = "default_tag_prefix")]
    pub tag_prefix: String,
    /// Workspace members released with the crate (an exact pin on it, or its shared version), in
    /// publishing order (dependencies first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub together: Vec<Together>,
    /// The maintenance branch of the line existed before this hotfix (found by name).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub line_branch_exists: bool,
    /// What the crate builds: how users upgrade (a library in their lock files, a binary reinstalled).
    #[serde(default)]
    pub targets: Targets,
    /// Who publishes the tag at step 12, decided at step 2 (`publish`). A record from before the
    /// choice says nothing: a workflow (or a person), as then.
    #[serde(default)]
    pub publisher: crate::config::Publisher,
}

/// The kinds of target the hotfixed crate has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    pub library: bool,
    pub binary: bool,
}

impl Default for Targets {
    /// A record from before 0.3 did not say: both upgrade commands are shown, as they were.
    fn default() -> Self {
        Targets {
            library: true,
            binary: true,
        }
    }
}

fn default_tag_prefix() -> String {
    "v".into()
}

/// A crate released together with the hotfixed one: bumped, tagged and watched with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Together {
    pub crate_name: String,
    pub base_version: String,
    pub version: String,
    pub tag: String,
    /// Why: `pins clap_builder = "=4.6.6"` or `shares the workspace version`.
    pub why: String,
    /// The hotfixed crate depends on it: it is published first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before: bool,
}

impl Plan {
    /// The release line, `X.Y`.
    pub fn line(&self) -> String {
        match semver::Version::parse(&self.base_version) {
            Ok(v) => crate::logic::version::line_of(&v),
            Err(_) => self.base_version.clone(),
        }
    }

    /// Every crate this hotfix releases, in publishing order, as (name, version, tag): the crates
    /// the hotfixed one depends on, the hotfixed crate, then the crates that depend on it.
    pub fn releases(&self) -> Vec<(String, String, String)> {
        let entry = |t: &Together| (t.crate_name.clone(), t.version.clone(), t.tag.clone());
        let mut all: Vec<_> = self
            .together
            .iter()
            .filter(|t| t.before)
            .map(entry)
            .collect();
        all.push((
            self.crate_name.clone(),
            self.version.clone(),
            self.tag.clone(),
        ));
        all.extend(self.together.iter().filter(|t| !t.before).map(entry));
        all
    }

    /// The distinct tags to create (crates sharing a version may share a tag).
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for (_, _, tag) in self.releases() {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags
    }
}

/// What steps 5 and 6 committed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// The fix's commits on the hotfix branch (step 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<String>,
    /// Their subjects, for the PR body and the tag message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// The version bump and CHANGELOG commit (step 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bump_commit: Option<String>,
}

/// What the audit of step 8 concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Audit {
    Clean,
    /// Findings the maintainer chose to go on with; listed in the CHANGELOG.
    Findings {
        findings: Vec<String>,
    },
    Skipped {
        reason: String,
    },
}

impl Audit {
    /// `clean`, `findings` or `skipped`.
    pub fn outcome(&self) -> &'static str {
        match self {
            Audit::Clean => "clean",
            Audit::Findings { .. } => "findings",
            Audit::Skipped { .. } => "skipped",
        }
    }
}

/// The repository on GitHub, read once (step 9) and recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitHub {
    /// `owner/name`.
    pub repo: String,
    pub url: String,
}

/// The hotfix PR (step 9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pr {
    pub number: u64,
    pub url: String,
}

/// The merge and the tag (step 11).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Release {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_commit: Option<String>,
    /// Set once the tag is pushed.
    #[serde(default)]
    pub tagged: bool,
}

/// A local gate (tests, audit, `cargo package`): what ran, on which commit, and what it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub what: String,
    pub commit: String,
    pub outcome: String,
}

/// How the fix was reviewed in private (under embargo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PrivateReview {
    /// Approved in the advisory's private fork, by these logins (or confirmed by a typed `yes`).
    Fork { by: Vec<String> },
    /// Reviewed locally: who, as the maintainer typed it, and when.
    Local { reviewer: String, at: String },
}

impl PrivateReview {
    /// One line for the public PR and `status`.
    pub fn describe(&self) -> String {
        match self {
            PrivateReview::Fork { by } if by.is_empty() => {
                "reviewed in the advisory's private fork (merge confirmed by the maintainer)".into()
            }
            PrivateReview::Fork { by } => {
                format!(
                    "approved in the advisory's private fork by {}",
                    by.join(", ")
                )
            }
            PrivateReview::Local { reviewer, at } => {
                format!("reviewed privately by {reviewer} ({at}), recorded locally")
            }
        }
    }
}

/// The embargo: the disclosure time, the private phase, release day, and the exposure window's ends
/// (recorded without an embargo too: the window of a hotfix reviewed in public).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Embargo {
    /// The disclosure time (RFC 3339), decided at step 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclose_at: Option<String>,
    /// The advisory's temporary private fork (`OWNER/REPO-ghsa-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork: Option<GitHub>,
    /// Review privately: in the fork (`fork`) or locally (`local`), chosen at step 9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<PrivateReview>,
    /// The pre-notification kit's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kit: Option<String>,
    /// The heads of the PRs' base branches on the remote when the private phase pushed (branch,
    /// commit): a base that moved since is merged with the fix and its tests run again on release day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<(String, String)>,
    /// When release day began: the only phase in which a fix commit may reach a public ref.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_day: Option<String>,
    /// When the first public ref holding the fix was pushed: the exposure window opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_public: Option<String>,
    /// When the advisory was published, every patched version visible: the window closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosed: Option<String>,
}

impl Embargo {
    pub fn is_empty(&self) -> bool {
        self == &Embargo::default()
    }
}

/// One backport PR of step 15.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backport {
    pub branch: String,
    pub url: String,
}

/// A release line patched in this incident besides the first one (`--line`): its plan and how far
/// it has come. The first (newest) line's values are the record's own (`plan`, `fix`, `pr`…); while a
/// step works on this line they are swapped with these (see `crate::hotfix::lines`), and the record
/// is always written unswapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub plan: Plan,
    /// The fix cherry-picked onto this line's branch (step 5), and its bump commit (step 6).
    #[serde(default)]
    pub fix: Fix,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<Audit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<Pr>,
    /// Under embargo: the PR in the advisory's private fork (step 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_pr: Option<Pr>,
    /// The local gates and the commit each ran on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    #[serde(default)]
    pub release: Release,
    /// The steps finished for this line (a step that works line by line is done once every line is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<u8>,
}

impl Line {
    pub fn new(plan: Plan) -> Line {
        Line {
            plan,
            fix: Fix::default(),
            tests: None,
            audit: None,
            pr: None,
            private_pr: None,
            gates: Vec::new(),
            release: Release::default(),
            done: Vec::new(),
        }
    }

    /// `X.Y`.
    pub fn name(&self) -> String {
        self.plan.line()
    }
}

/// The PR to rustsec/advisory-db: the maintainer said `yes` (so a resumed step 13 goes on without
/// asking again), the branch pushed to the fork, the PR once opened.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RustsecPr {
    /// `login/advisory-db`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fork: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub branch: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One typed confirmation: when it was recorded (the save after it), at which step, the question
/// and whether the word was typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub at: String,
    pub step: u8,
    pub question: String,
    pub confirmed: bool,
}

/// Everything a hotfix has been asked, decided and done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotfix {
    pub format: u32,
    pub run: Run,
    pub request: Request,
    /// The description (from the start) and the step-4 answers.
    pub incident: Incident,
    /// Who runs the hotfix (`git config user.name` when it began), named in the texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainer: Option<String>,
    /// The step-4 answers already given, as a flag or at the prompt, even when empty (`impact`,
    /// `advisories`, `credit`): a resumed step 4 does not ask them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// The branch the maintainer was on when step 3 switched to the hotfix branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_branch: Option<String>,
    #[serde(default)]
    pub fix: Fix,
    /// What the tests of step 7 reported ("12 passed; 3 passed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<Audit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<GitHub>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<Pr>,
    /// Under embargo: the PR in the advisory's private fork (step 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_pr: Option<Pr>,
    /// The local gates (tests, audit, `cargo package`) and the commit each ran on: under embargo the
    /// evidence, since Actions do not run in a private fork.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    #[serde(default)]
    pub release: Release,
    /// The embargo's private phase, disclosure time, release day and exposure window.
    #[serde(default, skip_serializing_if = "Embargo::is_empty")]
    pub embargo: Embargo,
    /// The affected and patched versions of every release line (step 4): the one truth every text
    /// names versions from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected: Option<crate::logic::affected::Affected>,
    /// The GitHub security advisory: its draft is created at step 4, published at step 13.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_url: Option<String>,
    /// The advisory's GHSA id (step 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ghsa_id: Option<String>,
    /// A CVE was requested for the advisory (step 4, `--request-cve`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cve_requested: bool,
    /// The CVE id GitHub assigned after `--request-cve`, once the advisory reports it (read at
    /// step 13, by `status` and by `follow-up`); it is then one of the incident's advisory ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cve_id: Option<String>,
    /// The advisory is published (step 13).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advisory_published: bool,
    /// The RustSec draft written at step 13.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rustsec_draft: Option<String>,
    /// The PR to rustsec/advisory-db (step 13, after the advisory is published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rustsec_pr: Option<RustsecPr>,
    /// The typed confirmations (`yes`, `done`) and how they were answered, for the incident report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmations: Vec<Confirmation>,
    /// The forward-port PR of the maintenance strategy (step 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_port: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backports: Vec<Backport>,
    /// The other release lines of the incident (`--line`), newest first; empty when it patches one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Line>,
    /// The line-by-line steps finished for the first line (kept only when there are other lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_line_done: Vec<u8>,
    /// Which of `lines` a step is working on now (its values are swapped in); never written.
    #[serde(skip)]
    pub focus: Option<usize>,
    pub steps: Vec<StepRecord>,
    /// Every command run, in order. Kept in `state.journal.toml` while the hotfix is live, in this
    /// file once it is in `history/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
}

/// A new list of steps, all pending.
pub fn pending_steps(steps: &[(u8, &str)]) -> Vec<StepRecord> {
    steps
        .iter()
        .map(|(number, title)| StepRecord {
            number: *number,
            title: title.to_string(),
            status: StepStatus::Pending,
            started_at: None,
            finished_at: None,
            note: None,
        })
        .collect()
}

impl Hotfix {
    pub fn new(
        now: String,
        request: Request,
        incident: Incident,
        dry_run: bool,
        steps: &[(u8, &str)],
    ) -> Self {
        Hotfix {
            format: FORMAT,
            run: Run::new(now, dry_run),
            request,
            incident,
            maintainer: None,
            answered: Vec::new(),
            plan: None,
            original_branch: None,
            fix: Fix::default(),
            tests: None,
            audit: None,
            github: None,
            pr: None,
            private_pr: None,
            gates: Vec::new(),
            release: Release::default(),
            embargo: Embargo::default(),
            affected: None,
            advisory_url: None,
            ghsa_id: None,
            cve_requested: false,
            cve_id: None,
            advisory_published: false,
            rustsec_draft: None,
            rustsec_pr: None,
            confirmations: Vec::new(),
            forward_port: None,
            backports: Vec::new(),
            lines: Vec::new(),
            first_line_done: Vec::new(),
            focus: None,
            steps: pending_steps(steps),
            journal: Vec::new(),
        }
    }

    /// Whether the step-4 answer `what` was given (see [`Hotfix::answered`]).
    pub fn has_answered(&self, what: &str) -> bool {
        self.answered.iter().any(|a| a == what)
    }

    /// Records that the step-4 answer `what` was given.
    pub fn mark_answered(&mut self, what: &str) {
        if !self.has_answered(what) {
            self.answered.push(what.to_string());
        }
    }

    /// Swaps the values of the first line with those of `lines[i]`: twice is the identity. Used by
    /// `crate::hotfix::lines` to let a step work on another line.
    pub fn swap_line(&mut self, i: usize) {
        let Some(line) = self.lines.get_mut(i) else {
            return;
        };
        if let Some(plan) = self.plan.as_mut() {
            std::mem::swap(plan, &mut line.plan);
        }
        std::mem::swap(&mut self.fix, &mut line.fix);
        std::mem::swap(&mut self.tests, &mut line.tests);
        std::mem::swap(&mut self.audit, &mut line.audit);
        std::mem::swap(&mut self.pr, &mut line.pr);
        std::mem::swap(&mut self.private_pr, &mut line.private_pr);
        std::mem::swap(&mut self.gates, &mut line.gates);
        std::mem::swap(&mut self.release, &mut line.release);
        std::mem::swap(&mut self.first_line_done, &mut line.done);
    }

    /// The plans of every line of the incident, the first line's first.
    pub fn plans(&self) -> Vec<&Plan> {
        let mut all: Vec<&Plan> = Vec::new();
        if let Some(first) = self.plan.as_ref() {
            all.push(first);
        }
        all.extend(self.lines.iter().map(|l| &l.plan));
        all
    }

    /// How people name this hotfix: its tag (`v1.0.11`, or with the project's tag prefix).
    pub fn label(&self) -> String {
        match &self.plan {
            Some(plan) => plan.tag.clone(),
            None => "(version not decided yet)".to_string(),
        }
    }
}

/// What the driver needs of a record: its header, its steps, its journal; and how to write it.
pub trait Tracked: Serialize {
    fn run(&self) -> &Run;
    fn run_mut(&mut self) -> &mut Run;
    fn steps(&self) -> &[StepRecord];
    fn steps_mut(&mut self) -> &mut Vec<StepRecord>;
    fn journal_mut(&mut self) -> &mut Vec<JournalEntry>;
    /// How the record is named in messages and in `history/` (`v1.0.11`, `rollback-1.0.11`).
    fn label(&self) -> String;
    /// The name of its file in `history/` once it is complete.
    fn history_name(&self) -> String;
    /// What the record is of, for messages: "hotfix" or "rollback".
    fn what(&self) -> &'static str;
    /// The GitHub repository the record acts on, once known: every gh call names it.
    fn github_repo(&self) -> Option<&GitHub> {
        None
    }

    /// Records the typed confirmations answered since the last save (see [`Confirmation`]); a
    /// record that keeps none ignores them.
    fn confirmed(&mut self, _at: &str, _answers: Vec<(String, bool)>) {}

    /// The record as written to disk.
    fn to_text(&self) -> anyhow::Result<String>
    where
        Self: Sized,
    {
        store::to_toml(self)
    }

    fn step_mut(&mut self, number: u8) -> Option<&mut StepRecord> {
        self.steps_mut().iter_mut().find(|s| s.number == number)
    }

    /// The first step that is neither done nor skipped.
    fn first_unfinished(&self) -> Option<u8> {
        self.steps()
            .iter()
            .find(|s| !matches!(s.status, StepStatus::Done | StepStatus::Skipped))
            .map(|s| s.number)
    }

    fn is_done(&self, number: u8) -> bool {
        self.steps()
            .iter()
            .any(|s| s.number == number && s.status == StepStatus::Done)
    }

    /// Records a one-line note on a step.
    fn note(&mut self, number: u8, note: String) {
        if let Some(step) = self.step_mut(number) {
            step.note = Some(note);
        }
    }
}

impl Tracked for Hotfix {
    fn confirmed(&mut self, at: &str, answers: Vec<(String, bool)>) {
        let step = self.first_unfinished().unwrap_or(16);
        for (question, confirmed) in answers {
            self.confirmations.push(Confirmation {
                at: at.to_string(),
                step,
                question,
                confirmed,
            });
        }
    }
    fn github_repo(&self) -> Option<&GitHub> {
        self.github.as_ref()
    }
    fn run(&self) -> &Run {
        &self.run
    }
    fn run_mut(&mut self) -> &mut Run {
        &mut self.run
    }
    fn steps(&self) -> &[StepRecord] {
        &self.steps
    }
    fn steps_mut(&mut self) -> &mut Vec<StepRecord> {
        &mut self.steps
    }
    fn journal_mut(&mut self) -> &mut Vec<JournalEntry> {
        &mut self.journal
    }
    fn label(&self) -> String {
        Hotfix::label(self)
    }
    fn to_text(&self) -> anyhow::Result<String> {
        match self.focus {
            Some(i) => {
                let mut unswapped = self.clone();
                unswapped.swap_line(i);
                unswapped.focus = None;
                store::to_toml(&unswapped)
            }
            None => store::to_toml(self),
        }
    }
    fn history_name(&self) -> String {
        match &self.plan {
            Some(plan) => plan.version.clone(),
            None => "unknown".into(),
        }
    }
    fn what(&self) -> &'static str {
        "hotfix"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hotfix_round_trips_through_toml() {
        let mut h = Hotfix::new(
            "2026-12-01T03:00:00+00:00".into(),
            Request {
                remote: "canonical".into(),
                base_tag: Some("v0.9.0".into()),
                strategy: Some(Strategy::Maintenance),
                poll_interval: Some(0.5),
                ..Request::default()
            },
            Incident {
                description: "RUSTSEC-2025-0001 \"quoted\" $(touch pwned)\nsecond line".into(),
                ..Incident::default()
            },
            false,
            &[(1, "Confirm"), (2, "Base")],
        );
        h.audit = Some(Audit::Skipped {
            reason: "cargo-audit is not installed".into(),
        });
        h.backports.push(Backport {
            branch: "release/0.8".into(),
            url: "https://github.com/o/r/pull/7".into(),
        });
        h.journal.push(JournalEntry {
            argv: vec!["git".into(), "fetch".into()],
            cwd: "/tmp".into(),
            exit_code: 0,
            duration_ms: 3.25,
            simulated: false,
        });
        let text = store::to_toml(&h).expect("toml");
        let back = store::parse_hotfix(&text, std::path::Path::new("state.toml")).expect("parse");
        assert_eq!(back, h);
        assert_eq!(back.first_unfinished(), Some(1));
    }
}
