//! gh, the GitHub CLI: every GitHub call goes through here, with flags that gh 2.23 has.
//!
//! Calls that change GitHub — or that ask about something a rehearsal only pretended to create (the
//! new PR, its merge, the publish run) — are [`Effect::Remote`]: a rehearsal prints them and answers
//! with the simulated result given here.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::runner::{Cmd, Effect, Output, Runner};

/// gh in one repository directory.
pub struct Gh<'a> {
    runner: &'a mut Runner,
    dir: &'a Path,
}

/// A pull request as `gh pr view/list --json` describes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pr {
    #[serde(default)]
    pub number: u64,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub review_decision: Option<String>,
    #[serde(default)]
    pub merge_commit: Option<Oid>,
    #[serde(default)]
    pub head_ref_oid: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Oid {
    pub oid: String,
}

/// A workflow run as `gh run list --json` describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub database_id: u64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub workflow_name: String,
}

impl<'a> Gh<'a> {
    pub fn new(runner: &'a mut Runner, dir: &'a Path) -> Self {
        Gh { runner, dir }
    }

    fn cmd(&self, purpose: &str) -> Cmd {
        Cmd::new("gh", purpose).cwd(self.dir)
    }

    /// `owner/name` and the web URL of the repository (`simulated`: the answer when gh is offline).
    pub fn repo(&mut self, simulated: &str) -> Result<(String, String)> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Repo {
            name_with_owner: String,
            url: String,
        }
        let out = self.runner.query(
            &self
                .cmd("read the GitHub repository")
                .args(["repo", "view", "--json", "nameWithOwner,url"])
                .simulate(simulated),
        )?;
        let repo: Repo =
            serde_json::from_str(&out.stdout).context("could not read `gh repo view` output")?;
        Ok((repo.name_with_owner, repo.url))
    }

    pub fn labels(&mut self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Label {
            name: String,
        }
        let out = self.runner.query(
            &self
                .cmd("list the repository's labels")
                .args(["label", "list", "--json", "name", "--limit", "1000"])
                .simulate("[]"),
        )?;
        let labels: Vec<Label> =
            serde_json::from_str(&out.stdout).context("could not read `gh label list` output")?;
        Ok(labels.into_iter().map(|l| l.name).collect())
    }

    pub fn create_label(&mut self, name: &str) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd("create a PR label")
                .effect(Effect::Remote)
                .args(["label", "create", name, "--color", "B60205"])
                .args(["--description", "Emergency hotfix (created by caro-hotfix)"]),
        )?)
    }

    /// The open PR from `head`, if there is one.
    pub fn open_pr_for(&mut self, head: &str) -> Result<Option<Pr>> {
        let out = self.runner.query(
            &self
                .cmd("look for an open PR of the hotfix branch")
                .args([
                    "pr",
                    "list",
                    "--head",
                    head,
                    "--state",
                    "open",
                    "--json",
                    "number,url,state",
                ])
                .simulate("[]"),
        )?;
        let prs: Vec<Pr> =
            serde_json::from_str(&out.stdout).context("could not read `gh pr list` output")?;
        Ok(prs.into_iter().next())
    }

    /// Opens a PR; returns gh's output (the URL on stdout).
    pub fn create_pr(
        &mut self,
        title: &str,
        body_file: &Path,
        base: &str,
        head: &str,
        labels: &[String],
        simulated_url: &str,
    ) -> Result<Output> {
        let mut cmd = self
            .cmd("open the PR")
            .effect(Effect::Remote)
            .args(["pr", "create", "--title", title, "--body-file"])
            .arg(body_file)
            .args(["--base", base, "--head", head]);
        for label in labels {
            cmd = cmd.args(["--label", label]);
        }
        Ok(self
            .runner
            .run(&cmd.simulate(format!("{simulated_url}\n")))?)
    }

    /// `gh pr view N --json fields`, quietly (it is polled).
    pub fn view_pr(&mut self, number: u64, fields: &str, simulated: &str) -> Result<Pr> {
        let out = self.runner.query(
            &self
                .cmd("read the PR's state")
                .effect(Effect::Remote)
                .args(["pr", "view", &number.to_string(), "--json", fields])
                .simulate(simulated),
        )?;
        serde_json::from_str(&out.stdout).context("could not read `gh pr view` output")
    }

    /// Waits for the PR's checks; the output says which failed.
    pub fn watch_checks(&mut self, number: u64) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd("watch the PR's checks")
                .effect(Effect::Remote)
                .args(["pr", "checks", &number.to_string(), "--watch"])
                .long_running(),
        )?)
    }

    pub fn merge_pr(&mut self, number: u64, head_sha: &str) -> Result<Output> {
        Ok(self.runner.run(
            &self
                .cmd("squash-merge the PR")
                .effect(Effect::Remote)
                .args([
                    "pr",
                    "merge",
                    &number.to_string(),
                    "--squash",
                    "--delete-branch",
                ])
                .args(["--match-head-commit", head_sha]),
        )?)
    }

    /// Runs of the publish workflow for a tag.
    pub fn runs_for(
        &mut self,
        tag: &str,
        workflow: Option<&str>,
        simulated: &str,
    ) -> Result<Vec<Run>> {
        let mut cmd = self
            .cmd("find the publish workflow run")
            .effect(Effect::Remote)
            .args(["run", "list", "--branch", tag]);
        if let Some(w) = workflow {
            cmd = cmd.args(["--workflow", w]);
        }
        let out = self.runner.query(
            &cmd.args([
                "--json",
                "databaseId,status,conclusion,workflowName",
                "--limit",
                "20",
            ])
            .simulate(simulated),
        )?;
        serde_json::from_str(&out.stdout).context("could not read `gh run list` output")
    }

    pub fn watch_run(&mut self, id: u64) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd("watch the publish workflow")
                .effect(Effect::Remote)
                .args(["run", "watch", &id.to_string(), "--exit-status"])
                .long_running(),
        )?)
    }

    /// The repository's security advisories (`[]` when they cannot be listed).
    pub fn advisories(&mut self) -> Result<Vec<serde_json::Value>> {
        let out = self.runner.probe(
            &self
                .cmd("list the security advisories")
                .args(["api", "repos/{owner}/{repo}/security-advisories"])
                .simulate("[]"),
        )?;
        if !out.success() {
            return Ok(Vec::new());
        }
        Ok(serde_json::from_str(&out.stdout).unwrap_or_default())
    }

    /// `gh release delete TAG --yes` — never `--cleanup-tag`: the tag stays for the audit trail.
    pub fn delete_release(&mut self, tag: &str) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd("delete the GitHub release")
                .effect(Effect::Remote)
                .args(["release", "delete", tag, "--yes"]),
        )?)
    }

    /// `gh release edit TAG --latest=false`: a release of an older line must not become "Latest".
    pub fn release_not_latest(&mut self, tag: &str) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd("keep the older line's release from becoming Latest")
                .effect(Effect::Remote)
                .args(["release", "edit", tag, "--latest=false"]),
        )?)
    }

    /// `gh api … --input FILE`: the JSON body comes from a file, never from interpolated flags.
    pub fn api(
        &mut self,
        purpose: &str,
        method: &str,
        path: &str,
        input: &Path,
        simulated: &str,
    ) -> Result<Output> {
        Ok(self.runner.run_unchecked(
            &self
                .cmd(purpose)
                .effect(Effect::Remote)
                .args([
                    "api",
                    path,
                    "-X",
                    method,
                    "-H",
                    "Content-Type: application/json",
                    "--input",
                ])
                .arg(input)
                .simulate(simulated),
        )?)
    }
}

/// `gh auth status`: whether gh can talk to GitHub for us.
pub fn auth_status(runner: &mut Runner, dir: &Path) -> Result<Output> {
    Ok(runner.probe(
        &Cmd::new("gh", "check that gh is logged in")
            .cwd(dir)
            .args(["auth", "status"]),
    )?)
}
