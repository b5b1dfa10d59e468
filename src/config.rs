//! Project configuration: `[package.metadata.hotfix]` or `[workspace.metadata.hotfix]` in Cargo.toml.
//!
//! The cargo-release convention: a project keeps its hotfix settings next to its manifest. Keys are
//! kebab-case and all optional; the package's table wins over the workspace's, and command-line flags
//! win over both. An unknown key or a value of the wrong shape is an error naming the key, the file and
//! the expected shape — a typo must not silently turn a setting off in an emergency.

use anyhow::{bail, Context, Result};
use toml_edit::{DocumentMut, Item};

/// How the hotfix reaches a release when the base branch has moved on since the base tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Ask when the base branch has unreleased commits (recommending maintenance); else `main`.
    Ask,
    /// The reference's: PR into the base branch, tag the squash merge.
    Main,
    /// PR into `release/X.Y` made from the base tag, tag that merge, forward-port to the base branch.
    Maintenance,
}

/// Who runs `cargo publish` for the tag (`publish`): decided at step 2 and recorded in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Publisher {
    /// A workflow run by the tag (or someone by hand): step 12 watches the run and the registry.
    /// A record from before the choice existed says nothing, and meant this.
    #[default]
    Workflow,
    /// caro-hotfix itself: `cargo publish --locked` from a clean worktree of the tag, at step 12.
    CaroHotfix,
}

impl Publisher {
    /// The value as the configuration spells it.
    pub fn key(self) -> &'static str {
        match self {
            Publisher::Workflow => "workflow",
            Publisher::CaroHotfix => "caro-hotfix",
        }
    }
}

/// What step 8 does with `cargo audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// Vulnerabilities need a confirmation; warnings are listed.
    On,
    /// No audit (recorded as skipped by configuration).
    Off,
    /// Warnings (unmaintained, unsound…) need a confirmation too.
    DenyWarnings,
}

/// Settings a project may keep; every one has a default that fits a typical crates.io crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The git remote; default `origin`.
    pub remote: Option<String>,
    /// The branch the PR targets; none: the remote's default branch.
    pub base_branch: Option<String>,
    /// Release tags are `{tag_prefix}X.Y.Z`; none: found from the tags (step 2).
    pub tag_prefix: Option<String>,
    /// Sign the release tag (`git tag -s`).
    pub sign_tag: bool,
    /// Labels for the hotfix PR.
    pub labels: Vec<String>,
    /// Step-7 commands as argument vectors; empty means the defaults.
    pub test_commands: Vec<Vec<String>>,
    pub audit: Audit,
    /// The workflow file that publishes a tag (e.g. `release.yml`); none: any run for the tag.
    pub publish_workflow: Option<String>,
    /// Who publishes; none: a workflow when step 2 finds one that publishes on a tag, else
    /// caro-hotfix.
    pub publish: Option<Publisher>,
    /// A registry name from cargo's configuration; none: crates.io.
    pub registry: Option<String>,
    /// The sparse index to watch.
    pub registry_index: Option<String>,
    /// Active release branches that receive a backport at step 15.
    pub release_branches: Vec<String>,
    pub strategy: Strategy,
    /// The project's normal release command, named when step 1 is declined.
    pub normal_release_command: Option<String>,
    /// Run on the merge commit before the tag is pushed (argument vectors); `None`: the default
    /// `cargo package --locked --package NAME`, an empty list: none.
    pub pre_tag_commands: Option<Vec<Vec<String>>>,
    /// The GitHub repository, `OWNER/NAME` or `HOST/OWNER/NAME`; none: derived from the remote's URL.
    pub repository: Option<String>,
    /// Seconds to wait after the push for GitHub to report the PR's checks (default 120).
    pub checks_grace: Option<f64>,
    /// The name of a line's maintenance branch, e.g. `tokio-{major}.{minor}.x`; none: found by name.
    pub maintenance_branch: Option<String>,
    /// Other members' requirements on the released crates: changed only when they no longer match
    /// (`minimal`, the default), or always moved to the new version (`upgrade`, cargo-release's way).
    pub upgrade_requirements: bool,
    /// Seconds step 12 waits for the version to be visible on the registry (default 900).
    pub publish_timeout: Option<f64>,
    /// Keep the vulnerability's details private until the advisory is published (`--embargo`).
    pub embargo: bool,
    /// The release lines a hotfix patches (`--line`), `X.Y` each; empty: the newest line.
    pub lines: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            remote: None,
            base_branch: None,
            tag_prefix: None,
            sign_tag: false,
            labels: vec!["security".into(), "urgent".into(), "hotfix".into()],
            test_commands: Vec::new(),
            audit: Audit::On,
            publish_workflow: None,
            publish: None,
            registry: None,
            registry_index: None,
            release_branches: Vec::new(),
            strategy: Strategy::Ask,
            normal_release_command: None,
            pre_tag_commands: None,
            repository: None,
            checks_grace: None,
            maintenance_branch: None,
            upgrade_requirements: false,
            publish_timeout: None,
            embargo: false,
            lines: Vec::new(),
        }
    }
}

const KEYS: &str = "remote, base-branch, tag-prefix, sign-tag, labels, test-commands, audit, \
publish-workflow, publish, registry, registry-index, release-branches, strategy, normal-release-command, \
pre-tag-commands, repository, checks-grace, maintenance-branch, dependent-requirements, \
publish-timeout, embargo, lines";

impl Config {
    /// Reads the hotfix tables of a manifest; `file` names it in messages.
    pub fn from_manifest_file(manifest: &str, file: &str) -> Result<Config> {
        let doc: DocumentMut = manifest
            .parse()
            .with_context(|| format!("{file} is not valid TOML"))?;
        let mut config = Config::default();
        for path in [
            ["workspace", "metadata", "hotfix"],
            ["package", "metadata", "hotfix"],
        ] {
            let mut item: Option<&Item> = Some(doc.as_item());
            for key in path {
                item = item.and_then(|i| i.get(key));
            }
            if let Some(table) = item {
                config.apply(table, &path.join("."), file)?;
            }
        }
        Ok(config)
    }

    /// Applies a workspace member's own `[package.metadata.hotfix]` over this configuration; `file`
    /// names the member's manifest in messages. The remote and the registry are the repository's:
    /// a member naming them is an error that says where they belong.
    pub fn apply_member(&mut self, manifest: &str, file: &str) -> Result<()> {
        let doc: DocumentMut = manifest
            .parse()
            .with_context(|| format!("{file} is not valid TOML"))?;
        let Some(table) = doc
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("hotfix"))
        else {
            return Ok(());
        };
        if let Some(tl) = table.as_table_like() {
            for key in ["remote", "registry", "registry-index"] {
                if tl.contains_key(key) {
                    bail!(
                        "{file}: package.metadata.hotfix.{key}: the {key} is the whole repository's;                          set it in the top-level Cargo.toml ([workspace.metadata.hotfix]) or pass --{key}"
                    );
                }
            }
        }
        self.apply(table, "package.metadata.hotfix", file)
    }

    /// [`Config::from_manifest_file`] for the top-level `Cargo.toml`.
    pub fn from_manifest(manifest: &str) -> Result<Config> {
        Config::from_manifest_file(manifest, "Cargo.toml")
    }

    fn apply(&mut self, table: &Item, name: &str, file: &str) -> Result<()> {
        let Some(table) = table.as_table_like() else {
            bail!("{file}: [{name}] must be a table");
        };
        for (key, value) in table.iter() {
            let what = format!("{file}: {name}.{key}");
            match key {
                "remote" => self.remote = Some(string(value, &what)?),
                "base-branch" => self.base_branch = Some(string(value, &what)?),
                "tag-prefix" => self.tag_prefix = Some(string(value, &what)?),
                "sign-tag" => {
                    self.sign_tag = value
                        .as_bool()
                        .with_context(|| format!("{what} must be true or false"))?
                }
                "labels" => self.labels = strings(value, &what)?,
                "test-commands" => self.test_commands = argvs(value, &what)?,
                "audit" => {
                    self.audit = match string(value, &what)?.as_str() {
                        "on" => Audit::On,
                        "off" => Audit::Off,
                        "deny-warnings" => Audit::DenyWarnings,
                        other => bail!(
                            "{what} = \"{other}\": must be \"on\", \"off\" or \"deny-warnings\""
                        ),
                    }
                }
                "publish-workflow" => self.publish_workflow = Some(string(value, &what)?),
                "publish" => {
                    self.publish = Some(match string(value, &what)?.as_str() {
                        "workflow" => Publisher::Workflow,
                        "caro-hotfix" => Publisher::CaroHotfix,
                        other => bail!(
                            "{what} = \"{other}\": must be \"workflow\" (a workflow run by the tag \
                             publishes, or you do by hand) or \"caro-hotfix\" (step 12 runs `cargo \
                             publish`)"
                        ),
                    })
                }
                "registry" => self.registry = Some(string(value, &what)?),
                "registry-index" => self.registry_index = Some(string(value, &what)?),
                "release-branches" => self.release_branches = strings(value, &what)?,
                "strategy" => {
                    self.strategy = match string(value, &what)?.as_str() {
                        "ask" => Strategy::Ask,
                        "main" => Strategy::Main,
                        "maintenance" => Strategy::Maintenance,
                        other => bail!(
                            "{what} = \"{other}\": must be \"ask\", \"main\" or \"maintenance\""
                        ),
                    }
                }
                "normal-release-command" => {
                    self.normal_release_command = Some(string(value, &what)?)
                }
                "pre-tag-commands" => self.pre_tag_commands = Some(argvs(value, &what)?),
                "embargo" => {
                    self.embargo = value
                        .as_bool()
                        .with_context(|| format!("{what} must be true or false"))?
                }
                "repository" => self.repository = Some(string(value, &what)?),
                "lines" => {
                    let lines = strings(value, &what)?;
                    for line in &lines {
                        crate::logic::version::parse_line(line)
                            .with_context(|| format!("{what}: \"{line}\""))?;
                    }
                    self.lines = lines
                }
                "maintenance-branch" => {
                    let template = string(value, &what)?;
                    if !template.contains("{major}") || !template.contains("{minor}") {
                        bail!(
                            "{what} = \"{template}\": must name the line with {{major}} and {{minor}}, \
                             e.g. \"release/{{major}}.{{minor}}\" or \"tokio-{{major}}.{{minor}}.x\""
                        );
                    }
                    self.maintenance_branch = Some(template)
                }
                "dependent-requirements" => {
                    self.upgrade_requirements = match string(value, &what)?.as_str() {
                        "minimal" => false,
                        "upgrade" => true,
                        other => bail!("{what} = \"{other}\": must be \"minimal\" or \"upgrade\""),
                    }
                }
                "checks-grace" => {
                    let secs = value
                        .as_integer()
                        .map(|i| i as f64)
                        .or_else(|| value.as_float())
                        .filter(|s| *s >= 0.0)
                        .with_context(|| format!("{what} must be a number of seconds, e.g. 120"))?;
                    self.checks_grace = Some(secs);
                }
                "publish-timeout" => {
                    let secs = value
                        .as_integer()
                        .map(|i| i as f64)
                        .or_else(|| value.as_float())
                        .filter(|s| *s > 0.0)
                        .with_context(|| {
                            format!("{what} must be a number of seconds above 0, e.g. 900")
                        })?;
                    self.publish_timeout = Some(secs);
                }
                other => bail!("{what}: unknown setting `{other}` (known: {KEYS})"),
            }
        }
        Ok(())
    }
}

fn string(item: &Item, what: &str) -> Result<String> {
    item.as_str()
        .map(str::to_string)
        .with_context(|| format!("{what} must be a string, e.g. \"value\""))
}

fn strings(item: &Item, what: &str) -> Result<Vec<String>> {
    item.as_array()
        .and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .with_context(|| format!("{what} must be a list of strings, e.g. [\"a\", \"b\"]"))
}

/// A list of argument vectors: `[["cargo", "test"], ["cargo", "test", "--doc"]]` — never shell strings.
fn argvs(item: &Item, what: &str) -> Result<Vec<Vec<String>>> {
    let shape = || {
        format!(
            "{what} must be a list of argument lists, e.g. [[\"cargo\", \"test\", \"--lib\"]] (argument vectors, never shell strings)"
        )
    };
    let array = item.as_array().with_context(shape)?;
    array
        .iter()
        .map(|v| {
            v.as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .filter(|a| !a.is_empty())
                .with_context(shape)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_a_table() {
        let c = Config::from_manifest("[package]\nname = \"a\"\nversion = \"1.0.0\"\n")
            .expect("config");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn every_documented_key_is_read() {
        let manifest = r#"
[package]
name = "a"
version = "1.0.0"

[package.metadata.hotfix]
remote = "upstream"
base-branch = "main"
tag-prefix = "a-v"
sign-tag = true
labels = ["security", "urgent", "hotfix"]
test-commands = [["cargo", "test", "--lib"], ["cargo", "test", "--test", "*"]]
audit = "deny-warnings"
publish-workflow = "publish.yml"
publish = "caro-hotfix"
registry = "my-registry"
registry-index = "https://index.crates.io/"
release-branches = ["release/1.x"]
strategy = "maintenance"
normal-release-command = "/caro.release.prepare"
pre-tag-commands = []
repository = "ghe.corp.example/team/a"
checks-grace = 30
publish-timeout = 1800
"#;
        let c = Config::from_manifest(manifest).expect("config");
        assert_eq!(c.remote.as_deref(), Some("upstream"));
        assert_eq!(c.tag_prefix.as_deref(), Some("a-v"));
        assert!(c.sign_tag);
        assert_eq!(c.audit, Audit::DenyWarnings);
        assert_eq!(c.strategy, Strategy::Maintenance);
        assert_eq!(c.registry.as_deref(), Some("my-registry"));
        assert_eq!(c.publish, Some(Publisher::CaroHotfix));
        assert_eq!(c.release_branches, ["release/1.x"]);
        assert_eq!(
            c.normal_release_command.as_deref(),
            Some("/caro.release.prepare")
        );
        assert_eq!(c.pre_tag_commands, Some(Vec::new()));
        assert_eq!(c.repository.as_deref(), Some("ghe.corp.example/team/a"));
        assert_eq!(c.checks_grace, Some(30.0));
        assert_eq!(c.publish_timeout, Some(1800.0));
        assert_eq!(c.test_commands.len(), 2);
    }

    #[test]
    fn who_publishes_is_one_of_two_words() {
        let with = |value: &str| {
            Config::from_manifest(&format!(
                "[package]\nname = \"a\"\nversion = \"1.0.0\"\n[package.metadata.hotfix]\npublish = \"{value}\"\n"
            ))
        };
        assert_eq!(
            with("workflow").expect("config").publish,
            Some(Publisher::Workflow)
        );
        let error = format!("{:#}", with("cargo").expect_err("a typo"));
        assert!(
            error.contains("package.metadata.hotfix.publish = \"cargo\": must be \"workflow\""),
            "{error}"
        );
    }

    #[test]
    fn package_table_overrides_workspace_table() {
        let manifest = r#"
[workspace.metadata.hotfix]
tag-prefix = "release-"
labels = ["security"]

[package]
name = "a"
version = "1.0.0"

[package.metadata.hotfix]
labels = ["sec", "p0"]
"#;
        let c = Config::from_manifest(manifest).expect("config");
        assert_eq!(c.tag_prefix.as_deref(), Some("release-"));
        assert_eq!(c.labels, ["sec", "p0"]);
    }

    #[test]
    fn a_typo_or_a_wrong_shape_is_named_with_file_and_expected_shape() {
        let err = Config::from_manifest("[package.metadata.hotfix]\nlabel = [\"x\"]\n")
            .expect_err("unknown key");
        let msg = err.to_string();
        assert!(
            msg.contains("Cargo.toml: package.metadata.hotfix.label"),
            "{msg}"
        );
        assert!(msg.contains("known: remote"), "{msg}");
        let err =
            Config::from_manifest("[package.metadata.hotfix]\ntest-commands = [\"cargo test\"]\n")
                .expect_err("shell string");
        assert!(err.to_string().contains("never shell strings"), "{err}");
        let err = Config::from_manifest("[package.metadata.hotfix]\nstrategy = \"yolo\"\n")
            .expect_err("bad value");
        assert!(
            err.to_string()
                .contains("\"ask\", \"main\" or \"maintenance\""),
            "{err}"
        );
    }
}
