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
/// credit stay in the private advisory. A view of the record, for the steps (4, 6) that write before
/// the GitHub repository is recorded; [`Facts::public`] is the same view.
pub fn public_incident(rec: &Hotfix, settings: &Settings) -> crate::logic::Incident {
    embargoed_view(
        &rec.incident,
        rec.ghsa_id.as_deref(),
        settings.embargo && !rec.advisory_published,
    )
}

/// THE embargoed view: what any public text may say of the incident. Every public text — the PR
/// bodies of steps 9 and 15, the commit and merge messages, the tag message, CHANGELOG.md,
/// SECURITY.md, the private-fork PR — is rendered from this, never from the raw incident, so a new
/// text cannot forget the embargo (`every_public_text_goes_through_the_embargoed_view` below holds
/// the renderers to it, and `no_step_renders_a_public_text_from_the_raw_incident` the steps).
pub fn embargoed_view(
    incident: &crate::logic::Incident,
    ghsa: Option<&str>,
    embargoed: bool,
) -> crate::logic::Incident {
    if !embargoed {
        return incident.clone();
    }
    let name = embargo_name(ghsa, &incident.advisory_ids);
    let mut ids = incident.advisory_ids.clone();
    if let Some(ghsa) = ghsa {
        if !ids.iter().any(|i| i == ghsa) {
            ids.push(ghsa.to_string());
        }
    }
    crate::logic::Incident {
        description: format!("Security fix ({name})"),
        severity: incident.severity,
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
    /// Under embargo, how the fix was reviewed in private: the public PR cites it.
    pub private_review: Option<String>,
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
            private_review: rec.embargo.review.as_ref().map(|r| r.describe()),
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

    /// The incident as public texts may carry it: the embargoed view ([`embargoed_view`]).
    pub fn public(&self) -> crate::logic::Incident {
        embargoed_view(&self.incident, self.ghsa_id.as_deref(), self.embargoed)
    }

    /// The description as public texts may carry it: under embargo only "security fix" and the id.
    pub fn public_description(&self) -> String {
        self.public().description
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
    fn impact(&self) -> String {
        let public = self.public();
        if self.embargoed {
            "described in the security advisory, published once the fix is released".to_string()
        } else if public.impact.trim().is_empty() {
            public.description
        } else {
            public.impact
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
         {reviewed}\
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
        reviewed = match &f.private_review {
            Some(r) => format!(
                "**Reviewed before disclosure**: {r}; the local gates above are its evidence.\n"
            ),
            None => "**Maintainer approval required before merge.**\n".to_string(),
        },
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

/// Step 10 under embargo: the banner of the PR in the advisory's private fork.
pub fn private_review_banner(pr_url: &str, disclose_at: &str) -> String {
    format!(
        "\
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
  🔒 PRIVATE HOTFIX PR - REVIEW BEFORE DISCLOSURE
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━

PR (advisory's private fork): {pr_url}

Next steps:
1. Ask the advisory's collaborators to review and approve it (privately)
2. Nothing is public until the disclosure time: {disclose_at}
3. Then this command pushes, merges, tags and publishes every line at once

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

/// Step 9 under embargo: the PR in the advisory's private fork, for its collaborators. Actions do
/// not run there, so it carries the local gates, each with the commit it ran on.
pub fn private_pr_body(f: &Facts, gates: &[crate::record::Gate]) -> String {
    let gates = if gates.is_empty() {
        "- (no gate recorded)".to_string()
    } else {
        gates
            .iter()
            .map(|g| {
                format!(
                    "- {}: {} on `{}`",
                    g.what,
                    g.outcome,
                    &g.commit[..12.min(g.commit.len())]
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "## 🔒 Private review: SECURITY HOTFIX {tag}\n\
         \n\
         This PR lives in the advisory's temporary private fork: only the advisory's collaborators see \
         it, and GitHub removes the fork when the advisory is published. Nothing of it is public \
         before the disclosure time; then the same branch goes to {repo} and is released at once.\n\
         \n\
         {description}\n\
         \n\
         **Severity**: {severity}\n\
         {versions}\
         \n\
         ### Local gates (Actions do not run in a private fork)\n\
         \n\
         {gates}\n\
         \n\
         Approve this PR to record the review; caro-hotfix does not merge it here.\n\
         \n\
         {footer}\n",
        tag = f.tag,
        repo = f.repo,
        description = f.public_description(),
        severity = f.severity(),
        versions = version_lines(f, "- "),
        footer = footer(),
    )
}

/// The embargo's pre-notification notice (private: it goes to the pre-notified, encrypted, by the
/// maintainer): the vulnerability, the affected and patched versions, the ids, the disclosure time,
/// and the patches of every line.
pub fn embargo_notice(f: &Facts, disclose_at: &str, patches: &str) -> String {
    let i = &f.incident;
    format!(
        "# EMBARGOED: security fix for {name} — do not disclose before {disclose_at}\n\
         \n\
         You receive this because you must be ready before the public is told. Keep it confidential \
         until {disclose_at}; do not push, publish or discuss the patches in public before then.\n\
         \n\
         - Crate: {name} ({repo_url})\n\
         - Vulnerability: {description}\n\
         - Impact: {impact}\n\
         - Severity: {severity}\n\
         - Ids: {ids}\n\
         {versions}\
         - Disclosure: {disclose_at} — the advisory and the patched releases are published then\n\
         \n\
         ## Patches\n\
         \n\
         {patches}\n\
         {footer}\n",
        name = f.crate_name,
        repo_url = f.repo_url,
        description = i.description,
        impact = if i.impact.is_empty() { "see the advisory" } else { &i.impact },
        severity = f.severity(),
        ids = f.ids(),
        versions = version_lines(f, "- "),
        footer = footer(),
    )
}

/// Step 11: the squash merge's subject and body. Under embargo the tool's own words, never the
/// commits' messages (GitHub's default squash body lists them); otherwise GitHub's default (`None`).
pub fn merge_message(f: &Facts, number: u64) -> Option<(String, String)> {
    f.embargoed.then(|| {
        (
            format!("{} (#{number})", pr_title(f)),
            bump_commit_message(&f.version, &f.public_description()),
        )
    })
}

/// Step 15: the forward-port PR's title and body (the maintenance strategy's trunk).
pub fn forward_port_pr(f: &Facts, trunk: &str, pr_url: &str) -> (String, String) {
    (
        format!("🚨 Forward-port SECURITY HOTFIX {} to {trunk}", f.tag),
        format!(
            "Forward-port of the security fix released in {tag} ({description}) to `{trunk}`.\n\n\
             {pr_url}\n\nThe fix commits only; the version bump and changelog of {tag} stay on its \
             release line.\n\n{footer}\n",
            tag = f.tag,
            description = f.public_description(),
            footer = footer(),
        ),
    )
}

/// Step 15: a backport PR's title and body (a configured release branch).
pub fn backport_pr(f: &Facts, target: &str, pr_url: &str, merge_commit: &str) -> (String, String) {
    (
        format!("🚨 Backport SECURITY HOTFIX {} to {target}", f.tag),
        format!(
            "Backport of the security fix released in {tag} ({description}) to `{target}`.\n\n\
             {pr_url}\n\nThe fix commits only (merged in {tag} as {merge_commit}); this line's version \
             bump and changelog are its own.\n\n{footer}\n",
            tag = f.tag,
            description = f.public_description(),
            footer = footer(),
        ),
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
    let credit = f.public().credit;
    let thanks = if credit.is_empty() {
        String::new()
    } else {
        format!("\nThank you to {credit} for responsible disclosure.\n")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::{Incident, Severity};

    const SECRET_WORDS: [&str; 6] = [
        "out-of-bounds",
        "record_len",
        "attackers",
        "buffer",
        "grace",
        "bound the length",
    ];

    fn facts(embargoed: bool) -> Facts {
        Facts {
            crate_name: "minicrate".into(),
            repo: "example/minicrate".into(),
            repo_url: "https://github.com/example/minicrate".into(),
            base_version: "1.0.10".into(),
            version: "1.0.11".into(),
            tag: "v1.0.11".into(),
            base_tag: "v1.0.10".into(),
            incident: Incident {
                description: "RUSTSEC-2026-0042 out-of-bounds read in record_len".into(),
                severity: Some(Severity::Critical),
                impact: "Remote attackers can read past the buffer".into(),
                advisory_ids: vec!["RUSTSEC-2026-0042".into()],
                credit: "@grace".into(),
                ..Incident::default()
            },
            fix_subjects: vec!["hotfix: bound the length in record_len".into()],
            tests_summary: Some("3 passed".into()),
            audit: Some(Audit::Clean),
            maintainer: "Octo Maintainer".into(),
            on_crates_io: true,
            together: Vec::new(),
            has_library: true,
            has_binary: false,
            affected: None,
            ghsa_id: Some("GHSA-abcd-efgh-ijkl".into()),
            advisory_url: None,
            embargoed,
            advisory_published: !embargoed,
            lines: Vec::new(),
            private_review: Some("reviewed privately by Ada (2026-12-01), recorded locally".into()),
        }
    }

    /// Every text that reaches the public repository before the advisory is published, rendered from
    /// `f`: a text added to the product belongs in this list.
    fn public_texts(f: &Facts) -> Vec<(&'static str, String)> {
        let public = f.public();
        let version = semver::Version::new(1, 0, 11);
        let (merge_subject, merge_body) = merge_message(f, 7).unwrap_or_default();
        let (fp_title, fp_body) = forward_port_pr(f, "main", "https://x/pull/7");
        let (bp_title, bp_body) = backport_pr(f, "release/0.9", "https://x/pull/7", "abc123");
        vec![
            ("PR title", pr_title(f)),
            ("PR body", pr_body(f)),
            ("private PR body", private_pr_body(f, &[])),
            (
                "bump commit",
                bump_commit_message(&f.version, &public.description),
            ),
            ("merge subject", merge_subject),
            ("merge body", merge_body),
            ("tag message", tag_message(f)),
            ("forward-port title", fp_title),
            ("forward-port body", fp_body),
            ("backport title", bp_title),
            ("backport body", bp_body),
            (
                "CHANGELOG section",
                crate::logic::changelog::insert_section(
                    None,
                    &crate::logic::changelog::Section {
                        version: &version,
                        date: "2026-12-01",
                        incident: &public,
                        base_tag: &f.base_tag,
                        new_tag: &f.tag,
                        affected: None,
                    },
                )
                .expect("changelog"),
            ),
            (
                "SECURITY.md entry",
                crate::logic::security_md::add_entry(
                    None,
                    &crate::logic::security_md::Entry {
                        crate_name: &f.crate_name,
                        version: &version,
                        date: "2026-12-01",
                        incident: &public,
                        affected: None,
                    },
                )
                .expect("security.md"),
            ),
        ]
    }

    #[test]
    fn every_public_text_goes_through_the_embargoed_view() {
        let embargoed = facts(true);
        for (name, text) in public_texts(&embargoed) {
            let lower = text.to_lowercase();
            for word in SECRET_WORDS {
                assert!(
                    !lower.contains(word),
                    "under embargo the {name} names `{word}`:\n{text}"
                );
            }
        }
        // And the view is what they say: the advisory's name, the severity.
        assert!(pr_body(&embargoed).contains("Security fix (GHSA-abcd-efgh-ijkl)"));
        assert!(tag_message(&embargoed).contains("Severity: Critical"));
        // Disclosed, the same texts carry the details (so the scan above can fail).
        let disclosed = facts(false);
        let all: String = public_texts(&disclosed)
            .into_iter()
            .map(|(_, t)| t.to_lowercase())
            .collect();
        for word in ["out-of-bounds", "record_len", "attackers"] {
            assert!(all.contains(word), "no disclosed text names `{word}`");
        }
        assert!(merge_message(&disclosed, 7).is_none());
    }

    /// The steps render public texts only through this module's views: a step reading the raw
    /// incident's description, impact or credit is either one of those that write privately (the
    /// screen, the advisory) or a leak.
    #[test]
    fn no_step_renders_a_public_text_from_the_raw_incident() {
        // Files that show the incident to the maintainer or write it into the private advisory.
        const PRIVATE: [&str; 8] = [
            "src/texts.rs",
            // The incident report: .git/caro-hotfix/history/<version>.md, the maintainer's own.
            "src/hotfix/report.rs",
            "src/hotfix/advisory.rs",
            "src/hotfix/step01_confirm.rs",
            "src/hotfix/step04_document.rs",
            "src/hotfix/step13_advisory.rs",
            "src/hotfix/mod.rs",
            "src/hotfix/embargo.rs",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut leaks = Vec::new();
        let mut stack = vec![root.join("src/hotfix")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/hotfix") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(root).expect("under the root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                if PRIVATE.contains(&rel.as_str()) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("utf-8 source");
                for (n, line) in text.lines().enumerate() {
                    for raw in ["incident.description", "incident.impact", "incident.credit"] {
                        if line.contains(raw) {
                            leaks.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                        }
                    }
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "public texts must come from texts::Facts::public / texts::public_incident:\n{}",
            leaks.join("\n")
        );
    }
}
