//! Project configuration: `[package.metadata.hotfix]` or `[workspace.metadata.hotfix]` in Cargo.toml.
//!
//! The cargo-release convention: a project keeps its hotfix settings next to its manifest. Keys are
//! kebab-case. Command-line flags win over what is written here.

use anyhow::{bail, Context, Result};
use toml_edit::{DocumentMut, Item};

/// Settings a project may keep; every one has a default that fits a typical crates.io crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Release tags are `{tag_prefix}X.Y.Z`.
    pub tag_prefix: String,
    /// Labels for the hotfix PR.
    pub labels: Vec<String>,
    /// Step-7 commands as argument vectors; empty means the defaults.
    pub test_commands: Vec<Vec<String>>,
    /// Sign the release tag (`git tag -s`).
    pub sign_tag: bool,
    /// The workflow file that publishes a tag (e.g. `release.yml`); none: any run for the tag.
    pub publish_workflow: Option<String>,
    /// Active release branches that receive a backport at step 15.
    pub release_branches: Vec<String>,
    /// The branch the PR targets; none: the remote's default branch.
    pub base_branch: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tag_prefix: "v".into(),
            labels: vec!["security".into(), "urgent".into(), "hotfix".into()],
            test_commands: Vec::new(),
            sign_tag: false,
            publish_workflow: None,
            release_branches: Vec::new(),
            base_branch: None,
        }
    }
}

impl Config {
    /// Reads the hotfix table of a manifest; the package's table wins over the workspace's.
    pub fn from_manifest(manifest: &str) -> Result<Config> {
        let doc: DocumentMut = manifest.parse().context("Cargo.toml is not valid TOML")?;
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
                let name = path.join(".");
                config.apply(table, &name)?;
            }
        }
        Ok(config)
    }

    fn apply(&mut self, table: &Item, name: &str) -> Result<()> {
        let Some(table) = table.as_table_like() else {
            bail!("Cargo.toml: [{name}] must be a table");
        };
        for (key, value) in table.iter() {
            let what = format!("Cargo.toml: {name}.{key}");
            match key {
                "tag-prefix" => self.tag_prefix = string(value, &what)?,
                "labels" => self.labels = strings(value, &what)?,
                "test-commands" => {
                    let Some(array) = value.as_array() else {
                        bail!("{what} must be a list of argument lists, e.g. [[\"cargo\", \"test\"]]");
                    };
                    self.test_commands = array
                        .iter()
                        .map(|v| {
                            v.as_array()
                                .and_then(|a| {
                                    a.iter()
                                        .map(|s| s.as_str().map(str::to_string))
                                        .collect::<Option<Vec<_>>>()
                                })
                                .filter(|a| !a.is_empty())
                                .with_context(|| {
                                    format!("{what} must be a list of argument lists, e.g. [[\"cargo\", \"test\"]]")
                                })
                        })
                        .collect::<Result<_>>()?;
                }
                "sign-tag" => {
                    self.sign_tag = value
                        .as_bool()
                        .with_context(|| format!("{what} must be true or false"))?
                }
                "publish-workflow" => self.publish_workflow = Some(string(value, &what)?),
                "release-branches" => self.release_branches = strings(value, &what)?,
                "base-branch" => self.base_branch = Some(string(value, &what)?),
                other => bail!(
                    "{what}: unknown setting `{other}` (known: tag-prefix, labels, test-commands, sign-tag, publish-workflow, release-branches, base-branch)"
                ),
            }
        }
        Ok(())
    }
}

fn string(item: &Item, what: &str) -> Result<String> {
    item.as_str()
        .map(str::to_string)
        .with_context(|| format!("{what} must be a string"))
}

fn strings(item: &Item, what: &str) -> Result<Vec<String>> {
    item.as_array()
        .and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .with_context(|| format!("{what} must be a list of strings"))
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
test-commands = [["cargo", "test", "--all-features"]]
sign-tag = true
release-branches = ["release/1.0"]
"#;
        let c = Config::from_manifest(manifest).expect("config");
        assert_eq!(c.tag_prefix, "release-");
        assert_eq!(c.labels, ["sec", "p0"]);
        assert_eq!(c.test_commands, [["cargo", "test", "--all-features"]]);
        assert!(c.sign_tag);
        assert_eq!(c.release_branches, ["release/1.0"]);
    }

    #[test]
    fn a_typo_is_named() {
        let err = Config::from_manifest("[package.metadata.hotfix]\nlabel = [\"x\"]\n")
            .expect_err("unknown key");
        assert!(
            err.to_string().contains("package.metadata.hotfix.label"),
            "{err}"
        );
    }
}
