//! `status` and `abort`: reading and forgetting the hotfix's record.
//!
//! Neither changes the repository or the remote. `abort` forgets the record only (it is kept in
//! `.git/caro-hotfix/history/` for the audit trail) and lists what the hotfix left behind, with the
//! command to clean up each — it deletes nothing itself.

use anyhow::Result;

use crate::error::Declined;
use crate::ops::git::Git;
use crate::prompt::Prompter;
use crate::runner::Runner;
use crate::state::{self, State, StepStatus};
use crate::ui::Ui;

/// `caro-hotfix status [--json]`.
pub fn status(ui: &Ui, state: Option<&State>, json: bool) -> Result<()> {
    let Some(s) = state else {
        if json {
            ui.data(r#"{"in_progress":false}"#);
        } else {
            ui.data("No hotfix in progress. Start one with `caro-hotfix \"<description>\"`.");
        }
        return Ok(());
    };
    if json {
        let mut value = serde_json::to_value(s)?;
        if let Some(map) = value.as_object_mut() {
            map.remove("journal");
            map.insert("in_progress".into(), serde_json::Value::Bool(true));
            map.insert(
                "current_step".into(),
                s.first_unfinished()
                    .map(serde_json::Value::from)
                    .unwrap_or_default(),
            );
        }
        ui.data(serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    let what = if s.kind.as_deref() == Some("rollback") {
        "Rollback of"
    } else {
        "Hotfix"
    };
    ui.data(format!("{what} {}: {}", s.label(), s.incident.description));
    if let Some(base) = &s.base_tag {
        ui.data(format!("  base release: {base}"));
    }
    if let Some(branch) = &s.branch {
        let target = s.base_branch.as_deref().unwrap_or("?");
        ui.data(format!("  branch: {branch} → {target}"));
    }
    if let Some(strategy) = s.strategy {
        let name = match strategy {
            crate::config::Strategy::Maintenance => {
                "maintenance (release from the maintenance branch, forward-port to the trunk)"
            }
            _ => "main (PR into the trunk, tag the squash merge)",
        };
        ui.data(format!("  strategy: {name}"));
    }
    if let (Some(n), Some(url)) = (s.pr_number, &s.pr_url) {
        ui.data(format!("  PR: #{n} {url}"));
    }
    if let Some(tag) = &s.tag {
        ui.data(format!("  tag: {tag}"));
    }
    if let Some(url) = &s.advisory_url {
        ui.data(format!("  advisory: {url}"));
    }
    ui.data("");
    for step in &s.steps {
        let (mark, word, when) = match step.status {
            StepStatus::Done => ("✓", "done", step.finished_at.as_deref()),
            StepStatus::InProgress => ("▶", "in progress", step.started_at.as_deref()),
            StepStatus::Pending => ("·", "pending", None),
            StepStatus::Skipped => ("-", "skipped", step.finished_at.as_deref()),
        };
        let when = when.map(|w| format!(" ({w})")).unwrap_or_default();
        let note = step
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        ui.data(format!(
            "  {mark} {:>2}. {:<32} {word}{when}{note}",
            step.number, step.title
        ));
    }
    if let Some(n) = s.first_unfinished() {
        ui.data("");
        ui.data(format!("Continue with `caro-hotfix resume` (at step {n}), or forget it with `caro-hotfix abort`."));
    }
    Ok(())
}

/// `caro-hotfix abort`: after a typed `yes`, forgets the record and lists what is left behind.
pub fn abort(
    ui: &Ui,
    runner: &mut Runner,
    prompter: &mut Prompter,
    repo: &std::path::Path,
    record: &std::path::Path,
    state: &State,
) -> Result<()> {
    let version = state.label();
    ui.line(format!(
        "This forgets the hotfix {version} in progress: {}",
        state.incident.description
    ));
    ui.line("Nothing is deleted: branches, the PR and tags stay where they are.");
    if !prompter.typed("Forget this hotfix? (yes/no - must type 'yes')", "yes")? {
        return Err(
            Declined("Nothing was forgotten; continue with `caro-hotfix resume`.".into()).into(),
        );
    }
    let remote = state.remote.clone();
    let mut left = Vec::new();
    let mut git = Git::new(runner, repo);
    if let Some(branch) = &state.branch {
        if git.branch_exists(branch)? {
            let back = state
                .original_branch
                .as_deref()
                .or(state.base_branch.as_deref())
                .unwrap_or("main");
            left.push(format!(
                "local branch {branch}: `git checkout {back} && git branch -D {branch}`"
            ));
        }
        if git
            .remote_sha(&remote, &format!("refs/heads/{branch}"))?
            .is_some()
        {
            left.push(format!(
                "remote branch {remote}/{branch}: `git push {remote} --delete {branch}`"
            ));
        }
    }
    if let (Some(n), Some(url)) = (state.pr_number, &state.pr_url) {
        left.push(format!(
            "PR #{n} ({url}): `gh pr close {n}` if it is not merged"
        ));
    }
    if state.version.is_some() {
        let tag = state.tag.clone().unwrap_or_else(|| state.label());
        if git.resolve_commit(&format!("refs/tags/{tag}"))?.is_some() {
            left.push(format!(
                "local tag {tag}: `git tag -d {tag}` (only if it was never pushed)"
            ));
        }
        if git.remote_tag_commit(&remote, &tag)?.is_some() {
            left.push(format!(
                "tag {tag} on {remote}: published tags are best kept; if it must go: `git push {remote} --delete refs/tags/{tag}`"
            ));
        }
    }
    if let Some(url) = &state.advisory_url {
        left.push(format!(
            "security advisory (draft) {url}: close it on GitHub if it is not wanted"
        ));
    }
    let kept = archive_aborted(record, state)?;
    ui.ok(format!(
        "Forgot the hotfix {version}; its record is kept in {}",
        kept.display()
    ));
    if left.is_empty() {
        ui.line("It left nothing behind.");
    } else {
        ui.line("Left in place (clean up what you no longer want):");
        for l in left {
            ui.info(format!("• {l}"));
        }
    }
    Ok(())
}

fn archive_aborted(record: &std::path::Path, state: &State) -> Result<std::path::PathBuf> {
    let mut s = state.clone();
    let stamp = state::now().replace([':', '+'], "-");
    s.version = Some(format!(
        "aborted-{}-{stamp}",
        state.version.as_deref().unwrap_or("unknown")
    ));
    let name = s.version.clone().unwrap_or_default();
    let kept = state::archive(record, &s, &name)?;
    Ok(kept)
}
