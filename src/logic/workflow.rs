//! What a GitHub Actions workflow file says about publishing, read from its text (no YAML parser:
//! the few facts needed are keys that workflows spell one way).
//!
//! - Is it run by a tag push or a release? (`on: push: tags:`, `on: release`, `on: [push, release]`…)
//! - Does it publish? (`cargo publish`, or a known publishing action or tool)
//! - Can it get an OIDC token for trusted publishing? (`id-token: write`, or `permissions: write-all`)
//! - Does it exchange that token with crates.io? (`rust-lang/crates-io-auth-action`)
//! - Which deployment environment does it use? (`environment: NAME` or `environment: {name: NAME}`)

/// What a workflow file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workflow {
    /// Run by a tag push or a release.
    pub on_tag_or_release: bool,
    /// Runs `cargo publish` or a known publishing action.
    pub publishes: bool,
    /// `id-token: write` (or `write-all`).
    pub oidc: bool,
    /// Uses `rust-lang/crates-io-auth-action` to turn the OIDC token into a crates.io token.
    pub auth_action: bool,
    /// The deployment environments its jobs name.
    pub environments: Vec<String>,
}

/// Actions and tools that run `cargo publish` for a workflow.
const PUBLISHERS: [&str; 7] = [
    "cargo publish",
    "rust-lang/crates-io-auth-action",
    "katyo/publish-crates",
    "release-plz/action",
    "cargo release publish",
    "cargo workspaces publish",
    "cargo smart-release",
];

/// Reads a workflow file's text.
pub fn read(text: &str) -> Workflow {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| strip_comment(l).trim_end())
        .filter(|l| !l.trim().is_empty())
        .collect();
    Workflow {
        on_tag_or_release: triggers(&lines),
        publishes: lines
            .iter()
            .any(|l| PUBLISHERS.iter().any(|p| squeeze(l).contains(p))),
        oidc: lines.iter().any(|l| {
            let l = squeeze(l).replace(['"', '\''], "");
            l.contains("id-token: write") || l.trim() == "permissions: write-all"
        }),
        auth_action: lines
            .iter()
            .any(|l| l.contains("rust-lang/crates-io-auth-action")),
        environments: environments(&lines),
    }
}

/// Collapses runs of spaces, so `cargo  publish` and `id-token:   write` match.
fn squeeze(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_comment(line: &str) -> &str {
    // A `#` after a space (or at the start) begins a comment; inside quotes is rare enough here.
    match line.find(" #") {
        Some(i) => &line[..i],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The `on:` block (YAML 1.1 may quote it, or read a bare `on` as `true`).
fn triggers(lines: &[&str]) -> bool {
    let Some(start) = lines.iter().position(|l| {
        indent(l) == 0
            && ["on:", "\"on\":", "'on':", "true:"]
                .iter()
                .any(|k| l.starts_with(k))
    }) else {
        return false;
    };
    let first = lines[start];
    let inline = first.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
    if !inline.is_empty() {
        // `on: release`, `on: [push, release]`: a tag push needs a `tags:` filter, not said inline.
        return inline.contains("release");
    }
    let block: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| indent(l) > 0)
        .copied()
        .collect();
    let mut in_push = false;
    let mut push_indent = 0;
    for line in &block {
        let key = line.trim_start().trim_start_matches("- ");
        if key.starts_with("release") {
            return true;
        }
        if key.starts_with("push:") || key == "push" {
            in_push = true;
            push_indent = indent(line);
            continue;
        }
        if in_push {
            if indent(line) <= push_indent {
                in_push = false;
            } else if key.starts_with("tags:") || key.starts_with("tags-ignore:") {
                return true;
            }
        }
    }
    false
}

fn environments(lines: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(value) = trimmed.strip_prefix("environment:") else {
            continue;
        };
        let value = value.trim();
        let name = if value.is_empty() {
            // `environment:` then `name: X` on a deeper line.
            lines[i + 1..]
                .iter()
                .take_while(|l| indent(l) > indent(line))
                .find_map(|l| l.trim_start().strip_prefix("name:"))
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        } else if let Some(inner) = value.strip_prefix('{') {
            inner
                .split(',')
                .find_map(|kv| kv.trim().strip_prefix("name:"))
                .map(|v| v.trim().trim_end_matches('}').trim().to_string())
                .unwrap_or_default()
        } else {
            value.to_string()
        };
        let name = name.trim_matches(['"', '\'']).to_string();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUSTED: &str = "\
name: Publish
on:
  push:
    tags: ['v*']   # release tags
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: release
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: rust-lang/crates-io-auth-action@v1
        id: auth
      - run: cargo publish
        env:
          CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}
";

    #[test]
    fn a_trusted_publishing_workflow() {
        assert_eq!(
            read(TRUSTED),
            Workflow {
                on_tag_or_release: true,
                publishes: true,
                oidc: true,
                auth_action: true,
                environments: vec!["release".into()],
            }
        );
    }

    #[test]
    fn a_token_workflow_on_release_and_a_ci_workflow() {
        let token = "\
on:
  release:
    types: [published]
jobs:
  p:
    environment:
      name: crates-io
      url: https://crates.io/crates/x
    steps:
      - run: cargo  publish --locked
        env:
          CARGO_REGISTRY_TOKEN: ${{ secrets.CARGO_REGISTRY_TOKEN }}
";
        let w = read(token);
        assert!(w.on_tag_or_release && w.publishes && !w.oidc && !w.auth_action);
        assert_eq!(w.environments, ["crates-io"]);

        let ci = "\
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    permissions:
      id-token: write
    steps:
      - run: cargo test
      # - run: cargo publish
";
        let w = read(ci);
        assert!(!w.on_tag_or_release && !w.publishes && w.oidc);
        assert!(read("on: [push, release]\n").on_tag_or_release);
        assert!(!read("on: push\n").on_tag_or_release);
        assert!(read("permissions: write-all\n").oidc);
        assert!(read("\"on\":\n  push:\n    tags:\n      - '*'\n").on_tag_or_release);
    }
}
