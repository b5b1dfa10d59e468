//! The record format of caro-hotfix before 0.2 (no `format` key): one flat table of 36 optional
//! fields. A record in that format — a hotfix interrupted before the upgrade — is read once and
//! converted; the next save writes the new format.

use serde::{Deserialize, Serialize};

use super::{
    Audit, Backport, Fix, GitHub, Hotfix, Plan, Pr, Release, Request, Rollback, Run, StepRecord,
    FORMAT,
};
use crate::config::Strategy;
use crate::logic::Incident;
use crate::runner::JournalEntry;

/// What the audit of step 8 concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// `clean`, `findings` or `skipped`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

/// Everything the hotfix has decided and done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub tool_version: String,
    /// Counts the saves of a live record. Each save marks its number in the journal first
    /// (`# save N`), so a record whose `revision` is behind the journal's last mark has a save on
    /// its way (see [`Saver`] and [`settle`]).
    #[serde(default)]
    pub revision: u64,
    /// `None` for a hotfix; `rollback` for a rollback's record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub started_at: String,
    pub dry_run: bool,
    pub remote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_from: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_base_branch: Option<String>,
    pub incident: Incident,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The branch the PR targets (`release/X.Y` with the maintenance strategy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_branch: Option<String>,
    /// The project's default branch (receives the forward-port with the maintenance strategy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trunk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<crate::config::Strategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_port_pr: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_commits: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bump_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_number: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_url: Option<String>,
    /// `owner/name` on GitHub, read at step 9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_repo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backport_prs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// The answers of step 4 already given, as a flag or at the prompt, even when empty
    /// (`impact`, `advisories`, `credit`): a resumed step 4 does not ask them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    pub steps: Vec<StepRecord>,
    /// Every command run, in order. Kept in `state.journal.toml` while the hotfix is live (see
    /// [`save`]), in this file once it is in `history/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
}

/// The old hotfix record in the new shape. A plan needs every value step 2 decided; an old record
/// written before its step 4 may lack the crate's name, left empty here for the caller to fill in
/// from cargo.
pub fn hotfix(old: State) -> Hotfix {
    let plan = match (
        old.base_tag.clone(),
        old.base_version.clone(),
        old.version.clone(),
        old.branch.clone(),
        old.base_branch.clone(),
    ) {
        (Some(base_tag), Some(base_version), Some(version), Some(branch), Some(base_branch)) => {
            Some(Plan {
                crate_name: old.crate_name.clone().unwrap_or_default(),
                base_tag,
                base_version,
                tag: branch
                    .strip_prefix("hotfix/")
                    .map(str::to_string)
                    .or_else(|| old.tag.clone())
                    .unwrap_or_else(|| format!("v{version}")),
                version,
                trunk: old.trunk.clone().unwrap_or_else(|| base_branch.clone()),
                strategy: old.strategy.unwrap_or(Strategy::Main),
                tag_prefix: "v".into(),
                together: Vec::new(),
                line_branch_exists: false,
                targets: Default::default(),
                publisher: Default::default(),
                branch,
                base_branch,
            })
        }
        _ => None,
    };
    // A chained hotfix's base was preset before step 2: it is what the next one was asked to patch.
    let base_tag = if plan.is_none() {
        old.base_tag.clone()
    } else {
        None
    };
    Hotfix {
        private_pr: None,
        gates: Vec::new(),
        embargo: Default::default(),
        format: FORMAT,
        run: run(&old),
        request: Request {
            remote: old.remote.clone(),
            package: old.package.clone(),
            base_tag,
            base_branch: old.requested_base_branch.clone(),
            fix_from: old.fix_from.clone(),
            ..Request::default()
        },
        incident: old.incident,
        lines: Vec::new(),
        first_line_done: Vec::new(),
        focus: None,
        maintainer: None,
        answered: old.answered,
        plan,
        original_branch: old.original_branch,
        fix: Fix {
            commits: old.fix_commits,
            subjects: Vec::new(),
            bump_commit: old.bump_commit,
        },
        tests: old.tests_summary,
        audit: old.audit.map(|a| match a.outcome.as_str() {
            "clean" => Audit::Clean,
            "findings" => Audit::Findings {
                findings: a.findings,
            },
            _ => Audit::Skipped {
                reason: a.reason.unwrap_or_else(|| "no reason recorded".into()),
            },
        }),
        github: github(&old.github_repo, &old.github_url),
        pr: match (old.pr_number, old.pr_url) {
            (Some(number), Some(url)) => Some(Pr { number, url }),
            _ => None,
        },
        release: Release {
            merge_commit: old.merge_commit,
            tagged: old.tag.is_some(),
        },
        affected: None,
        advisory_url: old.advisory_url,
        ghsa_id: None,
        cve_requested: false,
        cve_id: None,
        advisory_published: false,
        rustsec_draft: None,
        rustsec_pr: None,
        confirmations: Vec::new(),
        forward_port: old.forward_port_pr,
        backports: old
            .backport_prs
            .iter()
            .map(|b| match b.split_once(' ') {
                Some((branch, url)) => Backport {
                    branch: branch.to_string(),
                    url: url.to_string(),
                },
                None => Backport {
                    branch: String::new(),
                    url: b.clone(),
                },
            })
            .collect(),
        steps: old.steps,
        journal: old.journal,
    }
}

/// The old rollback record (`kind = "rollback"`) in the new shape.
pub fn rollback(old: State) -> Rollback {
    Rollback {
        format: FORMAT,
        run: run(&old),
        request: Request {
            remote: old.remote.clone(),
            ..Request::default()
        },
        crate_name: old.crate_name.clone().unwrap_or_default(),
        version: old.version.clone().unwrap_or_default(),
        tag: old.tag.clone().unwrap_or_default(),
        incident: old.incident.clone(),
        base_version: old.base_version.clone(),
        advisory_url: old.advisory_url.clone(),
        github: github(&old.github_repo, &old.github_url),
        regression: None,
        next: None,
        steps: old.steps,
        journal: old.journal,
    }
}

fn run(old: &State) -> Run {
    Run {
        tool_version: old.tool_version.clone(),
        revision: old.revision,
        started_at: old.started_at.clone(),
        dry_run: old.dry_run,
        completed_at: old.completed_at.clone(),
    }
}

fn github(repo: &Option<String>, url: &Option<String>) -> Option<GitHub> {
    match (repo, url) {
        (Some(repo), Some(url)) => Some(GitHub {
            repo: repo.clone(),
            url: url.clone(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::store;
    use crate::record::{StepStatus, Tracked};

    /// A record as caro-hotfix 0.1 wrote it, interrupted at step 10 (waiting for review).
    const OLD: &str = include_str!("testdata/state-0.1.toml");

    #[test]
    fn a_record_of_the_old_format_is_read_once_and_converted_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.toml");
        std::fs::write(&path, OLD).expect("write");
        let h: Hotfix = store::load(&path).expect("load").expect("a record");
        assert_eq!(h.format, FORMAT);
        assert_eq!(h.run.revision, 31);
        assert_eq!(h.request.remote, "origin");
        assert_eq!(h.request.package.as_deref(), Some("minicrate"));
        assert_eq!(h.request.fix_from, vec!["fix/record-len".to_string()]);
        assert_eq!(h.request.base_branch.as_deref(), Some("main"));
        assert_eq!(
            h.plan,
            Some(Plan {
                crate_name: "minicrate".into(),
                base_tag: "v1.0.10".into(),
                base_version: "1.0.10".into(),
                version: "1.0.11".into(),
                tag: "v1.0.11".into(),
                branch: "hotfix/v1.0.11".into(),
                base_branch: "main".into(),
                trunk: "main".into(),
                strategy: Strategy::Main,
                tag_prefix: "v".into(),
                together: Vec::new(),
                line_branch_exists: false,
                targets: Default::default(),
                publisher: Default::default(),
            })
        );
        assert_eq!(h.fix.commits.len(), 1);
        assert!(h.fix.bump_commit.is_some());
        assert_eq!(
            h.audit,
            Some(Audit::Skipped {
                reason: "cargo-audit is not installed".into()
            })
        );
        assert_eq!(
            h.pr,
            Some(Pr {
                number: 7,
                url: "https://github.com/example/minicrate/pull/7".into()
            })
        );
        assert_eq!(
            h.github.as_ref().map(|g| g.repo.as_str()),
            Some("example/minicrate")
        );
        assert_eq!(
            h.backports,
            vec![Backport {
                branch: "backport/v1.0.11-release-0.9".into(),
                url: "https://github.com/example/minicrate/pull/8".into()
            }]
        );
        assert!(h.has_answered("credit"));
        assert_eq!(h.incident.severity, Some(crate::logic::Severity::Critical));
        assert_eq!(h.first_unfinished(), Some(10));
        assert_eq!(h.steps[3].status, StepStatus::InProgress);

        // The next save writes the new format, which reads back the same.
        let mut h = h;
        store::save(&path, &mut h, Vec::new()).expect("save");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("format = 2"), "{text}");
        let back: Hotfix = store::load(&path).expect("load").expect("a record");
        assert_eq!(back, h);
    }

    #[test]
    fn an_old_hotfix_before_step_2_keeps_a_chained_base_as_its_request() {
        let old = "tool_version = \"0.1.0\"\nstarted_at = \"2026-11-30T03:12:09+00:00\"\n\
                   dry_run = false\nremote = \"origin\"\nbase_tag = \"v1.0.11\"\n\
                   base_version = \"1.0.11\"\nsteps = []\n\n[incident]\n\
                   description = \"next\"\nimpact = \"\"\nadvisory_ids = []\ncredit = \"\"\n";
        let h = store::parse_hotfix(old, std::path::Path::new("state.toml")).expect("parse");
        assert_eq!(h.plan, None);
        assert_eq!(h.request.base_tag.as_deref(), Some("v1.0.11"));
    }
}
