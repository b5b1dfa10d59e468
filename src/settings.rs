//! Settings resolved once: what steps consult, from the command line of this run, the record's
//! request, the project's `[*.metadata.hotfix]` (and a hotfixed member's own table), and defaults.
//!
//! The order, first wins: a flag given to this run (`--registry-index` on `resume`), the request
//! recorded when the hotfix started, the environment (`CARO_HOTFIX_REGISTRY_INDEX`), the project's
//! configuration, the default. The remote is the
//! exception: it is decided when the hotfix starts (flag, configuration, `origin`) and recorded, so a
//! resumed hotfix pushes where it started. Nothing downstream sees a raw flag.

use crate::cli::GlobalOpts;
use crate::config::{Audit, Config, Publisher, Strategy};
use crate::env::Env;
use crate::record::Request;

/// crates.io's sparse index.
pub const DEFAULT_INDEX: &str = "https://index.crates.io/";

/// Everything a step may consult about how to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub remote: String,
    /// A rehearsal: local steps in a throwaway clone, remote changes only printed.
    pub dry_run: bool,
    /// A fire drill: every question answered with its default.
    pub non_interactive: bool,
    /// The registry named in cargo's configuration; `None`: crates.io.
    pub registry: Option<String>,
    /// The sparse index to watch.
    pub registry_index: Option<String>,
    /// Seconds between polls, overriding each poller's own default.
    pub poll_interval: Option<f64>,
    /// The crate to bump and watch; `None`: the root package.
    pub package: Option<String>,
    /// The branch the PR targets; `None`: the remote's default branch.
    pub base_branch: Option<String>,
    pub strategy: Strategy,
    /// `tag-prefix`; none: step 2 finds the scheme from the tags and records it in the plan.
    pub tag_prefix: Option<String>,
    pub sign_tag: bool,
    pub labels: Vec<String>,
    /// Step-7 commands as argument vectors; empty means the defaults.
    pub test_commands: Vec<Vec<String>>,
    pub audit: Audit,
    pub publish_workflow: Option<String>,
    /// `publish`: who publishes; none: decided at step 2 from the workflows found.
    pub publish: Option<Publisher>,
    pub release_branches: Vec<String>,
    pub normal_release_command: Option<String>,
    pub pre_tag_commands: Option<Vec<Vec<String>>>,
    /// The `repository` setting (`[HOST/]OWNER/NAME`); none: derived from the remote's URL.
    pub repository: Option<String>,
    /// Seconds to wait after the push for the PR's checks to be reported.
    pub checks_grace: Option<f64>,
    /// `maintenance-branch`: the template of a line's maintenance branch.
    pub maintenance_branch: Option<String>,
    /// `dependent-requirements = "upgrade"`.
    pub upgrade_requirements: bool,
    /// Seconds step 12 waits for the version to be visible (`publish-timeout`).
    pub publish_timeout: Option<f64>,
    /// `--embargo` or `embargo = true`: nothing public describes the vulnerability until the
    /// advisory is published.
    pub embargo: bool,
    /// The release lines to patch (`--line`, else `lines`); empty: the newest line.
    pub lines: Vec<String>,
    /// `resume --now`: under embargo, go to release day before the disclosure time (typed `yes`).
    pub disclose_now: bool,
    /// The demo's sample fix, offered at step 5.
    pub sample_fix: Option<SampleFix>,
}

/// A commit the demo offers to make at step 5: its file, contents and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFix {
    pub path: &'static str,
    pub contents: &'static str,
    pub message: &'static str,
}

impl Settings {
    /// Resolves the settings of a run (see the module docs for the order).
    pub fn resolve(flags: &GlobalOpts, request: &Request, project: Config, env: &Env) -> Settings {
        let registry = flags
            .registry
            .clone()
            .or_else(|| request.registry.clone())
            .or(project.registry);
        // The environment's index is the default one: a registry named for this hotfix brings its
        // own from cargo's configuration.
        let from_env = registry
            .is_none()
            .then(|| env.var("CARO_HOTFIX_REGISTRY_INDEX"))
            .flatten()
            .filter(|v| !v.is_empty());
        Settings {
            remote: request.remote.clone(),
            dry_run: flags.dry_run,
            non_interactive: flags.non_interactive,
            registry_index: flags
                .registry_index
                .clone()
                .or_else(|| request.registry_index.clone())
                .or(from_env)
                .or(project.registry_index),
            registry,
            poll_interval: flags.poll_interval.or(request.poll_interval),
            package: request.package.clone(),
            base_branch: request.base_branch.clone().or(project.base_branch),
            strategy: request.strategy.unwrap_or(project.strategy),
            tag_prefix: project.tag_prefix,
            sign_tag: project.sign_tag,
            labels: project.labels,
            test_commands: project.test_commands,
            audit: project.audit,
            publish_workflow: project.publish_workflow,
            publish: project.publish,
            release_branches: project.release_branches,
            normal_release_command: project.normal_release_command,
            pre_tag_commands: project.pre_tag_commands,
            repository: project.repository,
            checks_grace: project.checks_grace,
            maintenance_branch: project.maintenance_branch,
            upgrade_requirements: project.upgrade_requirements,
            publish_timeout: project.publish_timeout,
            embargo: request.embargo || project.embargo,
            lines: if request.lines.is_empty() {
                project.lines
            } else {
                request.lines.clone()
            },
            sample_fix: None,
            disclose_now: false,
        }
    }

    /// The remote a new hotfix or rollback works with: the flag, the configuration's, else `origin`.
    pub fn remote_for_start(flags: &GlobalOpts, project: &Config) -> String {
        flags
            .remote
            .clone()
            .or_else(|| project.remote.clone())
            .unwrap_or_else(|| "origin".into())
    }

    /// `--poll-interval`, or the poller's own default.
    pub fn poll_interval(&self, default_secs: f64) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.poll_interval.unwrap_or(default_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn flags(args: &[&str]) -> GlobalOpts {
        let mut argv = vec!["caro-hotfix"];
        argv.extend(args);
        argv.push("resume");
        crate::cli::Cli::try_parse_from(argv).expect("parse").global
    }

    #[test]
    fn a_flag_of_this_run_wins_over_the_request_which_wins_over_the_project() {
        let request = Request {
            remote: "canonical".into(),
            registry_index: Some("http://recorded/".into()),
            strategy: Some(Strategy::Maintenance),
            ..Request::default()
        };
        let project = Config {
            registry_index: Some("http://configured/".into()),
            strategy: Strategy::Main,
            remote: Some("configured-remote".into()),
            ..Config::default()
        };
        let none = Env::of::<&str, &str>([]);
        let env = Env::of([("CARO_HOTFIX_REGISTRY_INDEX", "http://environment/")]);
        let s = Settings::resolve(&flags(&[]), &request, project.clone(), &env);
        assert_eq!(s.registry_index.as_deref(), Some("http://recorded/"));
        assert_eq!(s.strategy, Strategy::Maintenance);
        assert_eq!(s.remote, "canonical");
        let s = Settings::resolve(
            &flags(&["--registry-index", "http://now/", "--remote", "other"]),
            &request,
            project.clone(),
            &env,
        );
        assert_eq!(s.registry_index.as_deref(), Some("http://now/"));
        assert_eq!(s.remote, "canonical", "the recorded remote stays");
        let s = Settings::resolve(&flags(&[]), &Request::default(), project.clone(), &env);
        assert_eq!(s.registry_index.as_deref(), Some("http://environment/"));
        let s = Settings::resolve(&flags(&[]), &Request::default(), project, &none);
        assert_eq!(s.registry_index.as_deref(), Some("http://configured/"));
        assert_eq!(s.strategy, Strategy::Main);
        // A named registry brings its own index; the environment's default does not replace it.
        let s = Settings::resolve(
            &flags(&["--registry", "local"]),
            &Request::default(),
            Config::default(),
            &env,
        );
        assert_eq!(s.registry_index, None);
    }
}
