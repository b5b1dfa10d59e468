//! Every longer text the wizard shows or writes, in one place so a reviewer can read them together.
//!
//! They follow the reference workflow (`caro.release.hotfix`) but carry real values: the crate, the
//! versions, the answers. No `$VARIABLE` placeholder ever reaches a user.

use anyhow::Context;

use crate::record::{Audit, Hotfix};
use crate::settings::Settings;

/// Step 1: the emergency warning, followed by the typed-`yes` question.
pub fn warning() -> String {
    "\
⚠️  EMERGENCY HOTFIX WORKFLOW ⚠️

This workflow is for CRITICAL ISSUES ONLY:
  • Security vulnerabilities (RUSTSEC advisories)
  • Data loss or corruption bugs
  • System crashes or panics
  • Actively exploited vulnerabilities

It branches from the latest release tag, takes a minimal fix, and fast-tracks
it through version bump, tests, audit, PR, merge, tag, publish and advisory."
        .to_string()
}

pub const CONFIRM_PROMPT: &str = "Continue with hotfix? (yes/no - must type 'yes')";

/// Step 1 declined: what to do instead.
pub fn declined(normal_release_command: Option<&str>) -> String {
    let normal = match normal_release_command {
        Some(cmd) => format!("the normal release workflow: {cmd}"),
        None => {
            "the normal release workflow (a regular PR and release, e.g. `cargo release patch`)"
                .to_string()
        }
    };
    format!(
        "Hotfix cancelled; nothing was changed.\n\
         For non-critical bugs, use {normal}.\n\
         To start the hotfix after all, run caro-hotfix again and type exactly `yes`."
    )
}

/// Step 5: the guidelines for a minimal fix.
pub fn fix_guidelines(branch: &str, base_tag: &str) -> String {
    format!(
        "\
Apply the MINIMAL fix required to address the issue, on branch {branch}.

Guidelines:
  • Change only what's necessary to fix the issue
  • Avoid refactoring or \"improvements\"
  • Minimize risk of introducing new bugs
  • Focus on stability over elegance

After making changes, commit them:
  git add <files>
  git commit -m \"hotfix: <what the fix does>\"

The fix must be at least one commit on top of {base_tag}, and the work tree clean
(SECURITY.md, edited at step 4, may stay uncommitted: it goes into the version-bump commit)."
    )
}

pub const DONE_PROMPT: &str = "Type 'done' when fix is committed";

/// The one-line footer that replaces the reference's tool credits.
pub fn footer() -> String {
    format!("Prepared with caro-hotfix {}", env!("CARGO_PKG_VERSION"))
}

/// The version-bump commit of step 6.
pub fn bump_commit_message(version: &str, description: &str) -> String {
    format!(
        "chore: Bump version to {version} for security hotfix\n\nHotfix for: {description}\n\n{}",
        footer()
    )
}

/// The incident as the public files (CHANGELOG, SECURITY.md, commit messages) may carry it: under an
/// embargo only "security fix", the severity and the advisory's name; the description, impact and
/// credit stay in the private advisory.
pub fn public_incident(rec: &Hotfix, settings: &Settings) -> crate::logic::Incident {
    let i = &rec.incident;
    if !settings.embargo || rec.advisory_published {
        return i.clone();
    }
    let name = embargo_name(rec.ghsa_id.as_deref(), &i.advisory_ids);
    let mut ids = i.advisory_ids.clone();
    if let Some(ghsa) = &rec.ghsa_id {
        ids.push(ghsa.clone());
    }
    crate::logic::Incident {
        description: format!("Security fix ({name})"),
        severity: i.severity,
        impact: String::new(),
        advisory_ids: ids,
        credit: String::new(),
        ..crate::logic::Incident::default()
    }
}

/// Everything the texts of steps 9–16 are filled with.
#[derive(Debug, Clone)]
pub struct Facts {
    pub crate_name: String,
    /// `owner/name` on GitHub.
    pub repo: String,
    /// `https://github.com/owner/name`.
    pub repo_url: String,
    pub base_version: String,
    pub version: String,
    pub tag: String,
    pub base_tag: String,
    pub incident: crate::logic::Incident,
    /// The fix commits' subjects.
    pub fix_subjects: Vec<String>,
    pub tests_summary: Option<String>,
    pub audit: Option<Audit>,
    /// `git config user.name`.
    pub maintainer: String,
    pub on_crates_io: bool,
    /// The crates released together with it (step 2): `clap 4.6.7 (v4.6.7)`.
    pub together: Vec<String>,
    /// The crate has a library target (users update it in their lock files).
    pub has_library: bool,
    /// The crate has a binary target (users reinstall it).
    pub has_binary: bool,
    /// The affected and patched versions of every line (step 4).
    pub affected: Option<crate::logic::affected::Affected>,
    /// The GitHub advisory's id and page, once its draft exists.
    pub ghsa_id: Option<String>,
    pub advisory_url: Option<String>,
    /// Under embargo and not published yet: public texts say "security fix" and name the advisory.
    pub embargoed: bool,
    /// The advisory is published (step 13).
    pub advisory_published: bool,
    /// Every line of the incident, newest first; one entry for a one-line hotfix.
    pub lines: Vec<LineFacts>,
}

/// One release line of the incident, as the texts of steps 14 and 16 name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    /// `X.Y`.
    pub line: String,
    pub base_tag: String,
    pub version: String,
    pub tag: String,
    /// The branch its PR was merged into.
    pub base_branch: String,
    pub pr_url: Option<String>,
}

impl Facts {
    /// The facts of a hotfix whose plan is decided and whose GitHub repository is recorded: a view of
    /// the record, no I/O.
    pub fn of(rec: &Hotfix, settings: &Settings) -> anyhow::Result<Facts> {
        let plan = rec
            .plan
            .as_ref()
            .context("the base release is not decided yet (step 2 has not run)")?;
        let github = rec
            .github
            .as_ref()
            .context("the GitHub repository is not recorded yet")?;
        Ok(Facts {
            crate_name: plan.crate_name.clone(),
            repo: github.repo.clone(),
            repo_url: github.url.clone(),
            base_version: plan.base_version.clone(),
            version: plan.version.clone(),
            tag: plan.tag.clone(),
            base_tag: plan.base_tag.clone(),
            incident: rec.incident.clone(),
            fix_subjects: rec.fix.subjects.clone(),
            tests_summary: rec.tests.clone(),
            audit: rec.audit.clone(),
            maintainer: rec
                .maintainer
                .clone()
                .unwrap_or_else(|| "the maintainer".into()),
            on_crates_io: settings.registry.is_none(),
            together: plan
                .together
                .iter()
                .map(|t| format!("{} {} ({}, {})", t.crate_name, t.version, t.tag, t.why))
                .collect(),
            has_library: plan.targets.library,
            has_binary: plan.targets.binary,
            affected: rec.affected.clone(),
            ghsa_id: rec.ghsa_id.clone(),
            advisory_url: rec.advisory_url.clone(),
            embargoed: settings.embargo && !rec.advisory_published,
            advisory_published: rec.advisory_published,
            lines: line_facts(rec),
        })
    }

    /// Several lines are patched in this incident.
    pub fn several_lines(&self) -> bool {
        self.lines.len() > 1
    }

    /// `1.0.11` or, for several lines, `1.0.11, 0.9.10`.
    pub fn versions(&self) -> String {
        self.each_line(&self.version, |l| &l.version)
    }

    /// `v1.0.11` or, for several lines, `v1.0.11, v0.9.10`.
    pub fn tags(&self) -> String {
        self.each_line(&self.tag, |l| &l.tag)
    }

    /// `what` of every line, newest first, joined with commas; `one` without lines.
    fn each_line(&self, one: &str, what: impl Fn(&LineFacts) -> &String) -> String {
        if self.lines.is_empty() {
            return one.to_string();
        }
        self.lines
            .iter()
            .map(|l| what(l).as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What public texts call the advisory under embargo: its GHSA id, or the ids given.
    pub fn embargo_name(&self) -> String {
        embargo_name(self.ghsa_id.as_deref(), &self.incident.advisory_ids)
    }

    /// The description as public texts may carry it: under embargo only "security fix" and the id.
    fn public_description(&self) -> String {
        if self.embargoed {
            format!("Security fix ({})", self.embargo_name())
        } else {
            self.incident.description.clone()
        }
    }

    fn severity(&self) -> &str {
        self.incident
            .severity
            .map(|s| s.title())
            .unwrap_or("Not assessed")
    }

    fn ids(&self) -> String {
        let mut ids = self.incident.advisory_ids.clone();
        if let Some(ghsa) = &self.ghsa_id {
            if !ids.contains(ghsa) {
                ids.push(ghsa.clone());
            }
        }
        if ids.is_empty() {
            "none assigned yet".to_string()
        } else {
            ids.join(" / ")
        }
    }

    /// The impact; step 9 asks again for one left empty, so no placeholder ever goes public (a
    /// record without one falls back to the description).
    fn impact(&self) -> &str {
        if self.embargoed {
            "described in the security advisory, published once the fix is released"
        } else if self.incident.impact.trim().is_empty() {
            &self.incident.description
        } else {
            &self.incident.impact
        }
    }

    fn fix(&self) -> String {
        if self.fix_subjects.is_empty() || self.embargoed {
            "- (see the commits of this PR)".to_string()
        } else {
            self.fix_subjects
                .iter()
                .map(|s| format!("- {s}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
    }

    pub fn crates_io_url(&self) -> Option<String> {
        self.crates_io_url_of(&self.version)
    }

    /// The crate's page of `version` on crates.io (none on another registry).
    fn crates_io_url_of(&self, version: &str) -> Option<String> {
        self.on_crates_io
            .then(|| format!("https://crates.io/crates/{}/{version}", self.crate_name))
    }

    /// Where `version` is published: its crates.io page, else "<crate> <version> on the registry".
    fn published_at(&self, version: &str) -> String {
        self.crates_io_url_of(version)
            .unwrap_or_else(|| format!("{} {version} on the registry", self.crate_name))
    }

    /// One line per crate released together, each behind `lead`; empty when there is none.
    pub fn together_lines(&self, lead: &str) -> String {
        self.together
            .iter()
            .map(|t| format!("{lead}{t}\n"))
            .collect()
    }

    pub fn release_url(&self) -> String {
        format!("{}/releases/tag/{}", self.repo_url, self.tag)
    }

    /// The summary's `  • GitHub: …` rows: one per line released (every line's GitHub release, not
    /// only the first's).
    fn release_urls(&self) -> String {
        let tags: Vec<&str> = if self.lines.is_empty() {
            vec![self.tag.as_str()]
        } else {
            self.lines.iter().map(|l| l.tag.as_str()).collect()
        };
        tags.iter()
            .map(|t| format!("  • GitHub: {}/releases/tag/{t}", self.repo_url))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every line of the record, newest first (a step working on one line swaps its values in: the
/// order never depends on that).
fn line_facts(rec: &Hotfix) -> Vec<LineFacts> {
    let mut all: Vec<(LineFacts, Option<semver::Version>)> = Vec::new();
    let first = rec.plan.as_ref().map(|p| (p, rec.pr.as_ref()));
    let others = rec.lines.iter().map(|l| (&l.plan, l.pr.as_ref()));
    for (plan, pr) in first.into_iter().chain(others) {
        all.push((
            LineFacts {
                line: plan.line(),
                base_tag: plan.base_tag.clone(),
                version: plan.version.clone(),
                tag: plan.tag.clone(),
                base_branch: plan.base_branch.clone(),
                pr_url: pr.map(|p| p.url.clone()),
            },
            semver::Version::parse(&plan.version).ok(),
        ));
    }
    all.sort_by(|a, b| b.1.cmp(&a.1));
    all.into_iter().map(|(l, _)| l).collect()
}

/// Step 9: the PR title.
pub fn pr_title(f: &Facts) -> String {
    format!("🚨 SECURITY HOTFIX: {} {}", f.crate_name, f.version)
}

/// Step 9: the PR body, written to a file and passed with `--body-file`.
pub fn pr_body(f: &Facts) -> String {
    let audit = match &f.audit {
        Some(Audit::Clean) => "- [x] Security audit clean (`cargo audit`)".to_string(),
        Some(Audit::Findings { findings }) => format!(
            "- [x] Security audit documented: {} listed in CHANGELOG.md",
            crate::ui::count(findings.len(), "finding")
        ),
        Some(Audit::Skipped { reason }) => format!("- [ ] Security audit skipped: {reason}"),
        None => "- [ ] Security audit not run".to_string(),
    };
    let tests = match &f.tests_summary {
        Some(s) => format!("- [x] Tests pass: {s}"),
        None => "- [ ] Tests not run".to_string(),
    };
    format!(
        "## 🚨 SECURITY HOTFIX {tag}\n\
         \n\
         ### Critical Issue\n\
         \n\
         {description}\n\
         \n\
         **Severity**: {severity}\n\
         **Impact**: {impact}\n\
         \n\
         ### Fix Applied\n\
         \n\
         {fix}\n\
         \n\
         ### Security Advisory\n\
         \n\
         - CVE/RUSTSEC/GHSA: {ids}\n\
         {versions}\
         \n\
         ### Testing\n\
         \n\
         {tests}\n\
         {audit}\n\
         \n\
         ### Fast-Track Justification\n\
         \n\
         This hotfix addresses a **critical issue** in `{crate_name}` and requires immediate release.\n\
         It contains only the fix and the version bump on top of {base_tag}.\n\
         \n\
         **Maintainer approval required before merge.**\n\
         \n\
         ---\n\
         \n\
         ⚠️  URGENT: Please review and approve ASAP\n\
         \n\
         Hotfix initiated by: {maintainer}\n\
         Base version: {base_tag}\n\
         Hotfix version: {tag}\n\
         {together}\
         \n\
         {footer}\n",
        together = f.together_lines("Released together: "),
        tag = f.tag,
        description = f.public_description(),
        severity = f.severity(),
        impact = f.impact(),
        fix = f.fix(),
        ids = f.ids(),
        versions = version_lines(f, "- "),
        crate_name = f.crate_name,
        base_tag = f.base_tag,
        maintainer = f.maintainer,
        footer = footer(),
    )
}

/// Step 10: the banner shown once the PR exists.
pub fn review_banner(pr_url: &str) -> String {
    format!(
        "\
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
  🚨 HOTFIX PR CREATED - IMMEDIATE REVIEW REQUIRED
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━

PR: {pr_url}

Next steps:
1. Notify maintainers immediately (Slack, email, etc.)
2. Request fast-track review
3. Wait for approval (monitoring PR status)
4. After approval, this command will merge and publish

Monitoring PR status..."
    )
}

/// Step 11: the annotated tag's message.
pub fn tag_message(f: &Facts) -> String {
    let published = match f.crates_io_url() {
        // The tag is pushed before the publish (step 12) and is permanent: it names where the
        // release goes, and claims nothing about it.
        Some(url) => format!("crates.io: {url}"),
        None => format!("Registry: {} {}", f.crate_name, f.version),
    };
    format!(
        "Security Hotfix {tag}\n\
         \n\
         {headline}\n\
         \n\
         {description}\n\
         Severity: {severity}\n\
         Advisory: {ids}\n\
         Impact: {impact}\n\
         {versions}\
         \n\
         {published}\n\
         \n\
         ⚠️  All users should upgrade immediately.\n\
         \n\
         {footer}\n",
        tag = f.tag,
        headline = match f.incident.severity {
            Some(s) => format!("{} SECURITY FIX", s.title().to_uppercase()),
            None => "SECURITY FIX".to_string(),
        },
        description = f.public_description(),
        severity = f.severity(),
        ids = f.ids(),
        impact = f.impact(),
        versions = version_lines(f, ""),
        footer = footer(),
    )
}

/// What public texts call the advisory under embargo: the GHSA id, else the ids given, else "the
/// security advisory".
pub fn embargo_name(ghsa: Option<&str>, ids: &[String]) -> String {
    match ghsa {
        Some(id) => id.to_string(),
        None if !ids.is_empty() => ids.join(" / "),
        None => "security advisory in preparation".to_string(),
    }
}

/// The affected and patched versions, one line each (`- ` or no prefix): every line's range, its
/// fix, and the released versions that stay vulnerable, said plainly.
pub fn version_lines(f: &Facts, bullet: &str) -> String {
    let Some(a) = &f.affected else {
        return format!(
            "{bullet}Affected versions: < {v}\n{bullet}Fixed in: {v}\n",
            v = f.version
        );
    };
    let mut out = String::new();
    for l in a.patched() {
        let fixed = l
            .patched
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default();
        out += &format!(
            "{bullet}Affected versions: {} (released: {})\n{bullet}Fixed in: {fixed}\n",
            l.range(),
            l.released()
        );
    }
    if let Some(text) = stays_vulnerable(a) {
        out += &format!("{bullet}{text}\n");
    }
    out
}

/// The released versions this incident leaves vulnerable, as one sentence; `None` when there are none.
pub fn stays_vulnerable(a: &crate::logic::affected::Affected) -> Option<String> {
    let open: Vec<String> = a
        .unpatched()
        .map(|l| format!("{} ({})", l.released(), l.range()))
        .collect();
    (!open.is_empty()).then(|| {
        format!(
            "Still vulnerable, not patched by this hotfix: {}",
            open.join("; ")
        )
    })
}

/// The GitHub advisory: the request body of `POST /repos/{owner}/{repo}/security-advisories` (step
/// 4) and of the `PATCH` that brings the draft up to date (step 13). The advisory is private until
/// published, so it carries every detail, embargo or not.
pub fn advisory_json(f: &Facts) -> serde_json::Value {
    use serde_json::json;
    let i = &f.incident;
    let summary: String = i
        .description
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(1000)
        .collect();
    let mut description = format!("{}\n\n", i.description);
    if !i.impact.is_empty() {
        description += &format!("### Impact\n\n{}\n\n", i.impact);
    }
    description += &format!(
        "### Patches\n\n{}\nUpgrade: `cargo update -p {} --precise {}`.\n\n",
        version_lines(f, "- "),
        f.crate_name,
        f.version
    );
    if !i.advisory_ids.is_empty() {
        description += &format!("### References\n\n{}\n\n", i.advisory_ids.join(", "));
    }
    if !i.credit.is_empty() {
        description += &format!("### Credit\n\n{}\n", i.credit);
    }
    let cve = i.advisory_ids.iter().find(|id| id.starts_with("CVE-"));
    // GitHub credits need a GitHub login; a plain name is thanked in the description instead.
    let credits: Vec<serde_json::Value> = credit_login(&i.credit)
        .map(|login| vec![json!({"login": login, "type": "reporter"})])
        .unwrap_or_default();
    let package = json!({"ecosystem": "rust", "name": f.crate_name});
    let vulnerabilities: Vec<serde_json::Value> = match &f.affected {
        Some(a) => a
            .lines
            .iter()
            .map(|l| {
                json!({
                    "package": package,
                    "vulnerable_version_range": l.range(),
                    "patched_versions": l.patched.as_ref().map(|p| p.to_string()),
                    "vulnerable_functions": [],
                })
            })
            .collect(),
        None => vec![json!({
            "package": package,
            "vulnerable_version_range": format!("< {}", f.version),
            "patched_versions": f.version,
            "vulnerable_functions": [],
        })],
    };
    let mut body = json!({
        "summary": summary,
        "description": description.trim_end(),
        "cve_id": cve,
        "vulnerabilities": vulnerabilities,
        "cwe_ids": i.cwe_ids,
        "credits": credits,
    });
    // GitHub takes a CVSS vector or a severity, never both.
    match &i.cvss {
        Some(vector) => body["cvss_vector_string"] = json!(vector),
        None => body["severity"] = json!(i.severity.map(|s| s.as_str()).unwrap_or("high")),
    }
    body
}

/// The GitHub login of a credit written `@login`.
pub fn credit_login(credit: &str) -> Option<&str> {
    credit
        .strip_prefix('@')
        .filter(|login| !login.is_empty() && !login.contains(char::is_whitespace))
}

/// Step 14: the announcement.
pub fn announcement(f: &Facts, advisory_url: Option<&str>) -> String {
    let thanks = if f.incident.credit.is_empty() || f.embargoed {
        String::new()
    } else {
        format!(
            "\nThank you to {} for responsible disclosure.\n",
            f.incident.credit
        )
    };
    // The upgrade that fits the crate: a library is updated in lock files, a binary reinstalled.
    let update = format!("cargo update -p {} --precise {}", f.crate_name, f.version);
    let install = format!(
        "cargo install {} --version {} --force",
        f.crate_name, f.version
    );
    let mut install = match (f.has_library, f.has_binary && f.on_crates_io) {
        (true, true) => format!(
            "  {update}      (libraries and applications using it)\n  {install}   (installed binaries)"
        ),
        (false, true) => format!("  {install}"),
        _ => format!("  {update}"),
    };
    // Several lines: each line's users move to its own fix.
    let mut upgrade = f.version.clone();
    if f.several_lines() {
        upgrade = f
            .lines
            .iter()
            .map(|l| format!("{} (the {} line)", l.version, l.line))
            .collect::<Vec<_>>()
            .join(", ");
        if f.has_library {
            install = f
                .lines
                .iter()
                .map(|l| {
                    format!(
                        "  cargo update -p {} --precise {}   (on {})",
                        f.crate_name, l.version, l.line
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    format!(
        "🚨 SECURITY HOTFIX: {name} {versions_title}\n\
         \n\
         A {severity_word} issue has been fixed in {name}.\n\
         \n\
         {versions}\
         \n\
         **Vulnerability**: {description}\n\
         **Severity**: {severity}\n\
         **CVE/RUSTSEC**: {ids}\n\
         \n\
         **Immediate action required**: Upgrade to {upgrade}\n\
         \n\
         {install}\n\
         \n\
         **Details**: {details}\n\
         {thanks}\n\
         {footer}\n",
        name = f.crate_name,
        versions_title = f.versions(),
        severity_word = match f.incident.severity {
            Some(crate::logic::Severity::Critical) | None => "critical".to_string(),
            Some(s) => format!("{}-severity", s.as_str()),
        },
        description = f.public_description(),
        versions = version_lines(f, "- "),
        severity = f.severity(),
        ids = f.ids(),
        details = advisory_url
            .map(str::to_string)
            .unwrap_or_else(|| f.release_url()),
        footer = footer(),
    )
}

/// Step 14: where to announce.
pub const CHANNELS: &str = "\
Channels to notify:
  - [ ] GitHub Security Advisory
  - [ ] GitHub Discussions (announcement)
  - [ ] crates.io release notes / GitHub release notes
  - [ ] RustSec advisory database (https://github.com/rustsec/advisory-db) if no RUSTSEC id yet
  - [ ] Social media (if applicable)
  - [ ] Email to known users (if applicable)";

/// Step 16: the summary.
pub fn summary(
    f: &Facts,
    base_branch: &str,
    advisory: &str,
    backports: &[String],
    rehearsal: bool,
) -> String {
    let crates = if f.several_lines() {
        f.lines
            .iter()
            .map(|l| f.published_at(&l.version))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        f.published_at(&f.version)
    };
    let backports = if backports.is_empty() {
        String::new()
    } else {
        format!(
            "\n✓ PRs carrying the fix to the other lines: {}",
            backports.join(", ")
        )
    };
    // A rehearsal's last screen says so in its heading, and marks every result it only simulated.
    let (heading, done, remote) = if rehearsal {
        (
            format!(
                "  🧪 REHEARSAL of SECURITY HOTFIX {} — nothing was published\n\n\
                 Nothing was pushed, merged, tagged, published, yanked or announced: the local steps ran in a \
                 throwaway clone, and every command for the remote and GitHub was only printed.\n\
                 What the real run reports at this point:",
                f.tags()
            ),
            "✓ (rehearsed)",
            "✓ (simulated)",
        )
    } else {
        (
            format!("  🚨 SECURITY HOTFIX {} PUBLISHED", f.tags()),
            "✓",
            "✓",
        )
    };
    let backports = backports.replace("\n✓ PRs", &format!("\n{remote} PRs"));
    let open = f
        .affected
        .as_ref()
        .and_then(stays_vulnerable)
        .map(|t| format!("\n\n⚠️  {t}.\n   Tell their users to move to a fixed line; the advisory lists them as unpatched."))
        .unwrap_or_default();
    // Several lines: a table, and each result line names every line.
    let (bumped, merged, tagged, table) = if f.several_lines() {
        // One block per line, its PR on an indented line of its own: a table of URLs does not fit
        // 80 columns, and a block reads the same at any width.
        let mut table = String::from("\n");
        for l in &f.lines {
            table += &format!(
                "  • {}: {} → {}, merged into {}\n",
                l.line, l.base_tag, l.tag, l.base_branch
            );
            if let Some(url) = &l.pr_url {
                table += &format!("    PR {url}\n");
            }
        }
        (
            format!("Versions bumped to {}", f.versions()),
            format!(
                "PRs merged: {}",
                f.lines
                    .iter()
                    .map(|l| format!("{} into {}", l.line, l.base_branch))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("Tags {} created and pushed", f.tags()),
            table,
        )
    } else {
        (
            format!("Version bumped to {}", f.version),
            format!("PR merged to {base_branch}"),
            format!("Tag {} created and pushed", f.tag),
            String::new(),
        )
    };
    let first = if f.advisory_published {
        format!("Check the published advisory: {advisory}")
    } else {
        format!("Publish the GitHub Security Advisory (the draft: {advisory})")
    };
    format!(
        "\
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
{heading}
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━

Repository: {repo} ({repo_url})
{table}
{done} Hotfix applied and tested
{done} {bumped}
{remote} {merged}
{remote} {tagged}
{together}{remote} Published: {crates}{backports}{open}

⚠️  NEXT STEPS REQUIRED:

1. {first}
2. Announce on GitHub Discussions (the text is saved, see above)
3. Submit the RustSec draft (a PR to rustsec/advisory-db) if there is no RUSTSEC id yet
4. Notify users through appropriate channels
5. Monitor for issues — `caro-hotfix rollback` if the hotfix makes things worse

Release URLs:
  • crates.io: {crates}
{release}
  • Advisory: {advisory}
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
        release = f.release_urls(),
        together = f.together_lines(&format!("{remote} Released together: ")),
        repo = f.repo,
        repo_url = f.repo_url,
    )
}

/// What the rollback advisory is made of.
pub struct Rollback<'a> {
    /// The next hotfix's version: the way out for users.
    pub next: &'a str,
    pub crate_name: &'a str,
    pub version: &'a str,
    pub previous: &'a str,
    pub regression: &'a str,
    pub timeline: &'a str,
    /// What the yanked hotfix fixed.
    pub original: &'a str,
}

/// The rollback advisory: the regression, the downgrade, the timeline for the next hotfix. A
/// paragraph is one line (Markdown joins its lines anyway): the screen wraps it once, at its width.
pub fn rollback_advisory(r: &Rollback) -> String {
    format!(
        "⚠️  ROLLBACK: {name} {version} has been yanked\n\
         \n\
         {name} {version}, a hotfix for: {original} — introduced a regression: {regression}\n\
         \n\
         **Do not simply downgrade**: {previous}, the release before it, still has the vulnerability \
         that {version} fixed. Pin it only if the regression hurts you more than the vulnerability can:\n\
         \n\
         \x20 cargo update -p {name} --precise {previous}\n\
         \n\
         Lock files that already pin {version} keep building (a yanked version stays downloadable), \
         but new resolutions avoid it.\n\
         \n\
         **The way out**: {name} {next}, fixing both the original issue and this regression, is expected \
         {timeline}. Upgrade to it as soon as it is out.\n\
         \n\
         {footer}\n",
        name = r.crate_name,
        version = r.version,
        previous = r.previous,
        next = r.next,
        regression = r.regression,
        timeline = r.timeline,
        original = r.original,
        footer = footer(),
    )
}
