//! The rollback's record: `.git/caro-hotfix/rollback.toml`, beside the hotfix's.

use serde::{Deserialize, Serialize};

use super::{pending_steps, GitHub, Request, Run, StepRecord, Tracked, FORMAT};
use crate::logic::Incident;
use crate::runner::JournalEntry;

/// A rollback of one published version: what it rolls back, and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollback {
    pub format: u32,
    pub run: Run,
    /// The remote and registry options the rollback was started with (the hotfix-only ones unset).
    pub request: Request,
    pub crate_name: String,
    /// The version rolled back, and its tag.
    pub version: String,
    pub tag: String,
    /// The hotfix's incident, when caro-hotfix made it (else the crate and version).
    pub incident: Incident,
    /// The release the rolled-back hotfix was made from: the previous release, the one with the hole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<GitHub>,
    /// The regression, as described at step 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<String>,
    /// The next hotfix the maintainer chose to start at step 6: the rollback's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextHotfix>,
    pub steps: Vec<StepRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
}

/// What a rollback hands over to the hotfix it chains into: the description, and the yanked
/// release to start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextHotfix {
    pub description: String,
    pub base_tag: String,
}

impl Rollback {
    pub fn new(now: String, request: Request, dry_run: bool, steps: &[(u8, &str)]) -> Rollback {
        Rollback {
            format: FORMAT,
            run: Run::new(now, dry_run),
            request,
            crate_name: String::new(),
            version: String::new(),
            tag: String::new(),
            incident: Incident::default(),
            base_version: None,
            advisory_url: None,
            github: None,
            regression: None,
            next: None,
            steps: pending_steps(steps),
            journal: Vec::new(),
        }
    }
}

impl Tracked for Rollback {
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
        self.tag.clone()
    }
    fn history_name(&self) -> String {
        format!("rollback-{}", self.version)
    }
    fn what(&self) -> &'static str {
        "rollback"
    }
}
