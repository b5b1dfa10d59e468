//! gh, the GitHub CLI: every GitHub call goes through here, with flags that gh 2.23 has.
//!
//! Every call names its repository: `--repo [HOST/]OWNER/NAME` on each subcommand, and for `gh api`
//! `GH_REPO` (which fills `{owner}/{repo}`) and `--hostname` off github.com. The repository is derived once
//! from the chosen remote's configured URL ([`super::github`]) or the `repository` setting, never
//! left to gh (which picks `upstream`, `github`, `origin`, then others — a fork's `origin` included).
//!
//! gh 2.23 never retries: a 502, a 503, a rate limit or a lost response is one request and exit 1.
//! Reads here are retried ([`transient`] says which failures), after the pause GitHub asks for
//! (`Retry-After`, a rate limit's reset; see [`super::retry`]) or a short backoff; writes are
//! answered with a [`Reply`] that says the same, and their steps look the effect up before trying
//! again. Those calls run with `GH_DEBUG=api`, whose log [`Reply::of`] takes out of stderr again.
//!
//! Calls that change GitHub — or that ask about something a rehearsal only pretended to create (the
//! new PR, its merge, the publish run) — are [`Effect::Remote`]: a rehearsal prints them and answers
//! with the simulated result given here.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::clock::Clock;
use crate::record::GitHub;

pub use super::github::{derive, host_of, repo_arg};
pub use super::retry::{transient, transient_text, Reply};
use super::retry::{DEBUG, RETRIES};
use crate::runner::{Cmd, CommandError, Effect, Output, Runner};

/// gh in one repository directory, acting on one GitHub repository.
pub struct Gh<'a> {
    runner: &'a mut Runner,
    dir: &'a Path,
    /// gh's `--repo` value: `OWNER/NAME` on github.com, `HOST/OWNER/NAME` elsewhere.
    repo: Option<String>,
    /// The host, for `gh api --hostname` (None: github.com).
    host: Option<String>,
    /// Waits between attempts go through the clock.
    clock: Clock,
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
    #[serde(default)]
    pub author: Option<Login>,
    #[serde(default)]
    pub reviews: Vec<Review>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Oid {
    pub oid: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Login {
    #[serde(default)]
    pub login: String,
}

/// One review of a PR (`gh pr view --json reviews`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Review {
    #[serde(default)]
    pub author: Option<Login>,
    #[serde(default)]
    pub state: String,
}

impl Pr {
    /// Approved: GitHub's decision says so, or — where the repository requires no review and the
    /// decision is empty — the latest review of someone other than the author is an approval.
    pub fn approved(&self) -> bool {
        match self.review_decision.as_deref().unwrap_or("") {
            "APPROVED" => true,
            "" => {
                let author = self.author.as_ref().map(|a| a.login.as_str()).unwrap_or("");
                let mut latest: Vec<(&str, &str)> = Vec::new();
                for r in &self.reviews {
                    let who = r.author.as_ref().map(|a| a.login.as_str()).unwrap_or("");
                    if who.is_empty() || who.eq_ignore_ascii_case(author) {
                        continue;
                    }
                    // COMMENTED does not change a reviewer's verdict.
                    if r.state == "COMMENTED" || r.state == "PENDING" {
                        continue;
                    }
                    latest.retain(|(w, _)| *w != who);
                    latest.push((who, r.state.as_str()));
                }
                latest.iter().any(|(_, s)| *s == "APPROVED")
                    && !latest.iter().any(|(_, s)| *s == "CHANGES_REQUESTED")
            }
            _ => false,
        }
    }
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
    #[serde(default)]
    pub workflow_database_id: u64,
    #[serde(default)]
    pub url: String,
}

/// Every JSON value of a text, arrays flattened: `gh api --paginate` prints one array per page.
fn json_items(text: &str) -> Result<Vec<serde_json::Value>> {
    let mut items = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>() {
        match value.context("could not read gh's JSON output")? {
            serde_json::Value::Array(a) => items.extend(a),
            other => items.push(other),
        }
    }
    Ok(items)
}

impl<'a> Gh<'a> {
    pub fn new(runner: &'a mut Runner, dir: &'a Path, clock: Clock) -> Self {
        Gh {
            runner,
            dir,
            repo: None,
            host: None,
            clock,
        }
    }

    /// Names `github` on every call from now on (unknown yet: gh decides, as before step 9).
    pub fn on(mut self, github: Option<&GitHub>) -> Self {
        if let Some(g) = github {
            self.repo = Some(repo_arg(g));
            let host = host_of(g);
            self.host = (host != "github.com").then_some(host);
        }
        self
    }

    fn cmd(&self, purpose: &str) -> Cmd {
        Cmd::new("gh", purpose).cwd(self.dir)
    }

    /// `gh <words…>`; [`Gh::finish`] adds `--repo R` at the end.
    fn sub(&self, purpose: &str, words: &[&str]) -> Cmd {
        self.cmd(purpose).args(words)
    }

    /// The command with `--repo R` last (not for `gh api`, which takes `GH_REPO`, nor `gh repo
    /// view`, which has no `--repo` in gh 2.23).
    fn finish(&self, cmd: &Cmd) -> Cmd {
        let own_flag = cmd
            .arguments()
            .next()
            .is_some_and(|a| a != "api" && a != "repo");
        match &self.repo {
            Some(r) if own_flag => cmd.clone().args(["--repo", r.as_str()]),
            _ => cmd.clone(),
        }
    }

    fn exec(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        let cmd = self.finish(cmd);
        self.runner.run_unchecked(&cmd)
    }

    /// An idempotent write (an edit, a delete): tried again after a transient failure, since a
    /// second attempt changes nothing the first one did (a delete then answers "not found").
    fn write_retried(&mut self, cmd: &Cmd) -> Result<Reply> {
        let mut attempt = 0;
        loop {
            let reply = self.write(cmd)?;
            if reply.success() || reply.simulated || !reply.transient() || attempt >= RETRIES {
                return Ok(reply);
            }
            let pause = reply
                .pause(attempt, &self.clock)
                .with_context(|| format!("could not {}", cmd.purpose()))?;
            self.clock.back_off(pause);
            attempt += 1;
        }
    }

    /// A write whose step may try it again: shown and run once, with gh's debug log for what
    /// GitHub says about waiting.
    fn write(&mut self, cmd: &Cmd) -> Result<Reply, CommandError> {
        let cmd = self.finish(cmd).env(DEBUG.0, DEBUG.1);
        Ok(Reply::of(self.runner.run_unchecked(&cmd)?))
    }

    fn probe(&mut self, cmd: &Cmd) -> Result<Output, CommandError> {
        let cmd = self.finish(cmd);
        self.runner.probe(&cmd)
    }

    /// `gh api PATH` with `GH_REPO` set (gh fills `{owner}/{repo}` from it) and the host named.
    fn api_cmd(&self, purpose: &str, path: &str) -> Cmd {
        let mut cmd = self.cmd(purpose).args(["api", path]);
        if let Some(host) = &self.host {
            cmd = cmd.args(["--hostname", host.as_str()]);
        }
        if let Some(r) = &self.repo {
            cmd = cmd.env("GH_REPO", r);
        }
        cmd
    }

    /// A read, repeated after a transient failure (502/503/429, a rate limit, a lost answer), after
    /// the pause GitHub asked for (capped: asked for longer, it fails and says so) or a backoff.
    fn read(&mut self, cmd: &Cmd) -> Result<Output> {
        let cmd = &self.finish(cmd).env(DEBUG.0, DEBUG.1);
        let mut attempt = 0;
        loop {
            let reply = Reply::of(self.runner.probe(cmd)?);
            if reply.success() || reply.simulated {
                return Ok(reply.out);
            }
            if attempt < RETRIES && reply.transient() {
                let pause = reply
                    .pause(attempt, &self.clock)
                    .with_context(|| format!("could not {}", cmd.purpose()))?;
                self.clock.back_off(pause);
                attempt += 1;
                continue;
            }
            return Err(CommandError {
                purpose: cmd.purpose().to_string(),
                command_line: cmd.display(),
                code: Some(reply.code),
                stderr: reply.out.stderr,
                stdout: reply.out.stdout,
                interrupted: false,
            }
            .into());
        }
    }

    /// `owner/name` and the web URL as gh sees them, for a remote whose URL names no GitHub
    /// repository (`simulated`: the answer when gh is offline).
    pub fn repo_view(&mut self, simulated: &str) -> Result<(String, String)> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Repo {
            name_with_owner: String,
            url: String,
        }
        let cmd = self
            .cmd("read the GitHub repository")
            .args(["repo", "view", "--json", "nameWithOwner,url"])
            .simulate(simulated);
        let out = self.read(&cmd)?;
        let repo: Repo =
            serde_json::from_str(&out.stdout).context("could not read `gh repo view` output")?;
        Ok((repo.name_with_owner, repo.url))
    }

    /// The repository's labels; an error when they could not be listed (never "none").
    pub fn labels(&mut self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Label {
            name: String,
        }
        let cmd = self
            .sub("list the repository's labels", &["label", "list"])
            .args(["--json", "name", "--limit", "1000"])
            .simulate("[]");
        let out = self.read(&cmd)?;
        let labels: Vec<Label> =
            serde_json::from_str(&out.stdout).context("could not read `gh label list` output")?;
        Ok(labels.into_iter().map(|l| l.name).collect())
    }

    pub fn create_label(&mut self, name: &str) -> Result<Reply> {
        Ok(self.write(
            &self
                .sub("create a PR label", &["label", "create", name])
                .effect(Effect::Remote)
                .args(["--color", "B60205"])
                .args(["--description", "Emergency hotfix (created by caro-hotfix)"]),
        )?)
    }

    /// The PRs from `head` (`state`: open or all), newest first; an error when they could not be
    /// listed, so that a failed lookup is never taken for "none".
    pub fn prs_for(&mut self, head: &str, state: &str) -> Result<Vec<Pr>> {
        let cmd = self
            .sub("look for a PR of the branch", &["pr", "list"])
            .args(["--head", head, "--state", state])
            .args(["--json", "number,url,state", "--limit", "100"])
            .simulate("[]");
        let out = self.read(&cmd)?;
        serde_json::from_str(&out.stdout).context("could not read `gh pr list` output")
    }

    /// The open PR from `head`, if there is one.
    pub fn open_pr_for(&mut self, head: &str) -> Result<Option<Pr>> {
        Ok(self.prs_for(head, "open")?.into_iter().next())
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
    ) -> Result<Reply> {
        let mut cmd = self
            .sub("open the PR", &["pr", "create"])
            .effect(Effect::Remote)
            .args(["--title", title, "--body-file"])
            .arg(body_file)
            .args(["--base", base, "--head", head]);
        for label in labels {
            cmd = cmd.args(["--label", label]);
        }
        Ok(self.write(&cmd.simulate(format!("{simulated_url}\n")))?)
    }

    /// `gh pr view N --json fields`, quietly (it is polled).
    pub fn view_pr(&mut self, number: u64, fields: &str, simulated: &str) -> Result<Pr> {
        let cmd = self
            .sub("read the PR's state", &["pr", "view", &number.to_string()])
            .effect(Effect::Remote)
            .args(["--json", fields])
            .simulate(simulated);
        let out = self.read(&cmd)?;
        serde_json::from_str(&out.stdout).context("could not read `gh pr view` output")
    }

    /// The PR's checks once: exit 0 passed, 1 failed, pending (8 from gh 2.34) or none reported.
    pub fn checks(&mut self, number: u64) -> Result<Output> {
        Ok(self.probe(
            &self
                .sub(
                    "read the PR's checks",
                    &["pr", "checks", &number.to_string()],
                )
                .effect(Effect::Remote),
        )?)
    }

    /// Waits for the PR's checks; the output says which failed. `interval`: gh's own refresh, in
    /// whole seconds (gh's default, 10 s, when `None`).
    pub fn watch_checks(&mut self, number: u64, interval: Option<u64>) -> Result<Output> {
        let cmd = self
            .sub(
                "watch the PR's checks",
                &["pr", "checks", &number.to_string()],
            )
            .effect(Effect::Remote)
            .arg("--watch");
        Ok(self.exec(&with_interval(cmd, interval).long_running())?)
    }

    /// Squash-merges; the output is returned even on failure (a lost answer may have merged).
    /// `message` (subject, body) replaces GitHub's default squash message (the commits' messages),
    /// as an embargo needs.
    pub fn merge_pr(
        &mut self,
        number: u64,
        head_sha: &str,
        message: Option<(&str, &str)>,
    ) -> Result<Reply> {
        let mut cmd = self
            .sub("squash-merge the PR", &["pr", "merge", &number.to_string()])
            .effect(Effect::Remote)
            .args(["--squash", "--delete-branch"])
            .args(["--match-head-commit", head_sha]);
        if let Some((subject, body)) = message {
            cmd = cmd.args(["--subject", subject, "--body", body]);
        }
        Ok(self.write(&cmd)?)
    }

    /// Workflow runs for a tag.
    pub fn runs_for(
        &mut self,
        tag: &str,
        workflow: Option<&str>,
        simulated: &str,
    ) -> Result<Vec<Run>> {
        let mut cmd = self
            .sub("find the publish workflow run", &["run", "list"])
            .effect(Effect::Remote)
            .args(["--branch", tag]);
        if let Some(w) = workflow {
            cmd = cmd.args(["--workflow", w]);
        }
        let cmd = cmd
            .args([
                "--json",
                "databaseId,status,conclusion,workflowName,workflowDatabaseId,url",
                "--limit",
                "20",
            ])
            .simulate(simulated);
        let out = self.read(&cmd)?;
        serde_json::from_str(&out.stdout).context("could not read `gh run list` output")
    }

    /// One run's status and conclusion (`gh run view ID --json status,conclusion`).
    pub fn run_status(&mut self, id: u64, simulated: &str) -> Result<(String, String)> {
        #[derive(Deserialize)]
        struct St {
            #[serde(default)]
            status: String,
            #[serde(default)]
            conclusion: String,
        }
        let cmd = self
            .sub(
                "read the workflow run's conclusion",
                &["run", "view", &id.to_string()],
            )
            .effect(Effect::Remote)
            .args(["--json", "status,conclusion"])
            .simulate(simulated);
        let out = self.read(&cmd)?;
        let st: St =
            serde_json::from_str(&out.stdout).context("could not read `gh run view` output")?;
        Ok((st.status, st.conclusion))
    }

    /// The environments a run waits for (`GET …/actions/runs/ID/pending_deployments`).
    pub fn pending_environments(&mut self, id: u64) -> Result<Vec<String>> {
        let cmd = self
            .api_cmd(
                "read what the workflow run waits for",
                &format!("repos/{{owner}}/{{repo}}/actions/runs/{id}/pending_deployments"),
            )
            .effect(Effect::Remote)
            .simulate("[]");
        let out = self.read(&cmd)?;
        Ok(json_items(&out.stdout)?
            .iter()
            .filter_map(|d| d["environment"]["name"].as_str().map(str::to_string))
            .collect())
    }

    /// The file of a workflow (`.github/workflows/release.yml`), by its id.
    pub fn workflow_path(&mut self, id: u64) -> Result<String> {
        let cmd = self
            .api_cmd(
                "read the workflow's file name",
                &format!("repos/{{owner}}/{{repo}}/actions/workflows/{id}"),
            )
            .effect(Effect::Remote)
            .simulate("{}");
        let out = self.read(&cmd)?;
        let v: serde_json::Value =
            serde_json::from_str(&out.stdout).context("could not read the workflow")?;
        Ok(v["path"].as_str().unwrap_or_default().to_string())
    }

    /// Watches the workflow run until it completes. `interval`: gh's own refresh, in whole seconds
    /// (gh's default, 3 s, when `None`).
    pub fn watch_run(&mut self, id: u64, interval: Option<u64>) -> Result<Output> {
        let cmd = self
            .sub(
                "watch the publish workflow",
                &["run", "watch", &id.to_string()],
            )
            .effect(Effect::Remote)
            .arg("--exit-status");
        Ok(self.exec(&with_interval(cmd, interval).long_running())?)
    }

    /// Every security advisory of the repository (all pages); an error when they could not be
    /// listed — a failed lookup is never "none", or a resumed step would create a second one.
    pub fn advisories(&mut self) -> Result<Vec<serde_json::Value>> {
        let cmd = self
            .api_cmd(
                "list the security advisories",
                "repos/{owner}/{repo}/security-advisories",
            )
            .arg("--paginate")
            .simulate("[]");
        let out = self.read(&cmd)?;
        json_items(&out.stdout)
    }

    /// One security advisory as GitHub holds it now (`GET …/security-advisories/GHSA`): what was
    /// edited on its page since is read before anything is written. A rehearsal answers `simulated`
    /// (its advisory was only pretended).
    pub fn advisory(&mut self, ghsa: &str, simulated: &str) -> Result<serde_json::Value> {
        let cmd = self
            .api_cmd(
                "read the security advisory",
                &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
            )
            .effect(Effect::Remote)
            .simulate(simulated);
        let out = self.read(&cmd)?;
        serde_json::from_str(&out.stdout).context("could not read GitHub's answer for the advisory")
    }

    /// `gh release delete TAG --yes` — never `--cleanup-tag`: the tag stays for the audit trail.
    pub fn delete_release(&mut self, tag: &str) -> Result<Reply> {
        self.write_retried(
            &self
                .sub("delete the GitHub release", &["release", "delete", tag])
                .effect(Effect::Remote)
                .arg("--yes"),
        )
    }

    /// `gh release edit TAG --latest=false`: a release of an older line must not become "Latest".
    pub fn release_not_latest(&mut self, tag: &str) -> Result<Reply> {
        self.write_retried(
            &self
                .sub(
                    "keep the older line's release from becoming Latest",
                    &["release", "edit", tag],
                )
                .effect(Effect::Remote)
                .arg("--latest=false"),
        )
    }

    /// `gh release edit TAG --latest`: puts GitHub's Latest mark back on the newest line's release.
    pub fn release_latest(&mut self, tag: &str) -> Result<Reply> {
        self.write_retried(
            &self
                .sub(
                    "mark the newest line's release Latest",
                    &["release", "edit", tag],
                )
                .effect(Effect::Remote)
                .arg("--latest"),
        )
    }

    /// The tag of the release GitHub shows as Latest (`GET repos/{owner}/{repo}/releases/latest`),
    /// `None` when GitHub shows none (404). `expected` is the answer of a dry run.
    pub fn latest_release_tag(&mut self, expected: &str) -> Result<Option<String>> {
        let cmd = self
            .api_cmd(
                "read which release GitHub shows as Latest",
                "repos/{owner}/{repo}/releases/latest",
            )
            .args(["--jq", ".tag_name"])
            .effect(Effect::Remote)
            .simulate(format!("{expected}\n"));
        match self.read(&cmd) {
            Ok(out) => Ok(Some(out.stdout.trim().to_string()).filter(|t| !t.is_empty())),
            Err(e) if format!("{e:#}").contains("HTTP 404") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `gh api … --input FILE`: the JSON body comes from a file, never from interpolated flags. A
    /// `PATCH` sets what it sets however often it is sent, so it is tried again after a transient
    /// failure; a `POST` is not — its step looks for what it creates first.
    pub fn api(
        &mut self,
        purpose: &str,
        method: &str,
        path: &str,
        input: &Path,
        simulated: &str,
    ) -> Result<Reply> {
        let cmd = self
            .api_cmd(purpose, path)
            .effect(Effect::Remote)
            .args([
                "-X",
                method,
                "-H",
                "Content-Type: application/json",
                "--input",
            ])
            .arg(input)
            .simulate(simulated);
        if method == "PATCH" {
            self.write_retried(&cmd)
        } else {
            Ok(self.write(&cmd)?)
        }
    }

    // -- after disclosure: the RustSec PR, `follow-up` ---------------------------------------

    /// The login gh is authenticated as (`gh api user`).
    pub fn login(&mut self) -> Result<String> {
        let cmd = self
            .api_cmd("read the GitHub login", "user")
            .args(["--jq", ".login"])
            .simulate("maintainer\n");
        Ok(self.read(&cmd)?.stdout.trim().to_string())
    }

    /// `GET path` once, whatever the answer (404 is an answer): for what may not exist yet.
    pub fn get(&mut self, purpose: &str, path: &str, simulated: &str) -> Result<Output> {
        let cmd = self
            .api_cmd(purpose, path)
            .effect(Effect::Remote)
            .simulate(simulated);
        Ok(self.probe(&cmd)?)
    }

    /// `GET path`, retried when transient; an error when GitHub did not answer it.
    pub fn get_json(
        &mut self,
        purpose: &str,
        path: &str,
        simulated: &str,
    ) -> Result<serde_json::Value> {
        let cmd = self
            .api_cmd(purpose, path)
            .effect(Effect::Remote)
            .simulate(simulated);
        let out = self.read(&cmd)?;
        serde_json::from_str(&out.stdout)
            .with_context(|| format!("could not read GitHub's answer to {path}"))
    }

    /// `gh repo fork UPSTREAM --clone=false`: the maintainer's fork, created.
    pub fn fork(&mut self, upstream: &str) -> Result<Reply> {
        let cmd = self
            .cmd("fork the RustSec advisory database")
            .args(["repo", "fork", upstream, "--clone=false", "--remote=false"])
            .effect(Effect::Remote);
        Ok(self.write(&cmd)?)
    }

    /// `gh release edit TAG --notes-file FILE`: the release's notes replaced.
    pub fn edit_release_notes(&mut self, tag: &str, file: &Path) -> Result<Reply> {
        let cmd = self
            .sub(
                "add to the release notes",
                &["release", "edit", tag, "--notes-file"],
            )
            .arg(file)
            .effect(Effect::Remote);
        self.write_retried(&cmd)
    }

    /// `gh release view TAG --json body`: the release's notes; `None` when there is no release.
    pub fn release_notes(&mut self, tag: &str) -> Result<Option<String>> {
        let cmd = self
            .sub("read the release notes", &["release", "view", tag])
            .args(["--json", "body"])
            .simulate("{\"body\":\"\"}");
        let out = self.probe(&cmd)?;
        if !out.success() {
            if out.stderr.contains("not found") || out.stderr.contains("404") {
                return Ok(None);
            }
            anyhow::bail!("could not read the release {tag}: {}", out.stderr.trim());
        }
        let v: serde_json::Value =
            serde_json::from_str(&out.stdout).context("could not read `gh release view` output")?;
        Ok(Some(v["body"].as_str().unwrap_or("").to_string()))
    }
}

/// `gh repo view REPO --json isPrivate`: whether the repository is private; `None` when gh could
/// not say (the caller then says nothing).
pub fn is_private(runner: &mut Runner, dir: &Path, repo: &str) -> Option<bool> {
    let cmd = Cmd::new("gh", "check whether the repository is private")
        .cwd(dir)
        .args(["repo", "view", repo, "--json", "isPrivate"]);
    let out = runner.probe(&cmd).ok()?;
    if !out.success() {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(&out.stdout)
        .ok()?
        .get("isPrivate")?
        .as_bool()
}

/// `gh auth status [--hostname HOST]`: whether gh can talk to the GitHub the hotfix goes to. With
/// `host` only that host is checked — a GitHub Enterprise host as much as github.com; without it gh
/// checks every host it knows and fails when any one fails.
/// `--interval N` for gh's own watch loop (`gh pr checks --watch`, `gh run watch`), both since
/// gh 2.0.
fn with_interval(cmd: Cmd, interval: Option<u64>) -> Cmd {
    match interval {
        Some(secs) => cmd.args(["--interval", &secs.to_string()]),
        None => cmd,
    }
}

pub fn auth_status(runner: &mut Runner, dir: &Path, host: Option<&str>) -> Result<Output> {
    let mut cmd = Cmd::new("gh", "check that gh is logged in")
        .cwd(dir)
        .args(["auth", "status"]);
    if let Some(host) = host {
        cmd = cmd.args(["--hostname", host]);
    }
    Ok(runner.probe(&cmd)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pr(decision: &str, author: &str, reviews: &[(&str, &str)]) -> Pr {
        Pr {
            review_decision: Some(decision.into()),
            author: Some(Login {
                login: author.into(),
            }),
            reviews: reviews
                .iter()
                .map(|(w, s)| Review {
                    author: Some(Login { login: (*w).into() }),
                    state: (*s).into(),
                })
                .collect(),
            ..Pr::default()
        }
    }

    #[test]
    fn approval_without_required_review_needs_someone_else() {
        assert!(pr("APPROVED", "ada", &[]).approved());
        assert!(!pr("REVIEW_REQUIRED", "ada", &[("bob", "APPROVED")]).approved());
        assert!(!pr("", "ada", &[]).approved());
        assert!(!pr("", "ada", &[("ada", "APPROVED")]).approved());
        assert!(pr("", "ada", &[("bob", "APPROVED")]).approved());
        assert!(!pr(
            "",
            "ada",
            &[("bob", "APPROVED"), ("bob", "CHANGES_REQUESTED")]
        )
        .approved());
        assert!(pr("", "ada", &[("bob", "APPROVED"), ("bob", "COMMENTED")]).approved());
    }

    #[test]
    fn paginated_arrays_are_flattened() {
        let items = json_items("[{\"a\":1}][{\"a\":2},{\"a\":3}]").unwrap();
        assert_eq!(items.len(), 3);
        assert!(json_items("").unwrap().is_empty());
    }
}
