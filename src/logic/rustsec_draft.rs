//! The RustSec draft: `crates/<crate>/RUSTSEC-0000-0000.md` in the advisory-db format, ready for a
//! PR to rustsec/advisory-db (its maintainers assign the real id).
//!
//! The format: TOML front matter in a ```` ```toml ```` fence (`[advisory]`, `[versions]`), then a
//! Markdown title and description. The versions come from [`Affected`], the one truth of the
//! incident: RustSec counts a version vulnerable when it is neither patched nor unaffected, so a
//! newer line left vulnerable stays vulnerable in the draft too.

use crate::logic::affected::Affected;
use crate::logic::Incident;

/// The id advisory-db expects in a submission; its maintainers assign the real one.
pub const PLACEHOLDER_ID: &str = "RUSTSEC-0000-0000";

/// The id of the local copy that cargo-audit can check: cargo-audit (the `rustsec` crate) loads a
/// placeholder advisory but never reports it, so `cargo audit --db` over the submission alone would
/// pass every lock file. `YYYY` is the disclosure year.
pub fn check_id(date: &str) -> String {
    format!("RUSTSEC-{}-9999", date.get(..4).unwrap_or("2000"))
}

/// What the draft is made of.
pub struct Draft<'a> {
    pub crate_name: &'a str,
    pub incident: &'a Incident,
    pub affected: &'a Affected,
    /// The disclosure date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The GitHub advisory's page, when there is one.
    pub url: Option<&'a str>,
    /// GHSA and CVE ids.
    pub aliases: Vec<String>,
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

fn array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// The draft's text, with the advisory id `id` ([`PLACEHOLDER_ID`] for the submission).
pub fn render(d: &Draft, id: &str) -> String {
    let i = d.incident;
    let mut toml = String::from("[advisory]\n");
    toml += &format!("id = {}\n", quoted(id));
    toml += &format!("package = {}\n", quoted(d.crate_name));
    toml += &format!("date = {}\n", quoted(d.date));
    if let Some(url) = d.url {
        toml += &format!("url = {}\n", quoted(url));
    }
    if !i.categories.is_empty() {
        toml += &format!("categories = {}\n", array(&i.categories));
    }
    if !d.aliases.is_empty() {
        toml += &format!("aliases = {}\n", array(&d.aliases));
    }
    // advisory-db takes CVSS 3.x vectors; a 4.0 vector stays in the GitHub advisory.
    if let Some(cvss) = i.cvss.as_deref().filter(|c| c.starts_with("CVSS:3.")) {
        toml += &format!("cvss = {}\n", quoted(cvss));
    }
    let keywords: Vec<String> = i.cwe_ids.iter().map(|c| c.to_ascii_lowercase()).collect();
    if !keywords.is_empty() {
        toml += &format!("keywords = {}\n", array(&keywords));
    }
    toml += "\n[versions]\n";
    toml += &format!("patched = {}\n", array(&d.affected.rustsec_patched()));
    let unaffected = d.affected.rustsec_unaffected();
    if !unaffected.is_empty() {
        toml += &format!("unaffected = {}\n", array(&unaffected));
    }
    let title = i
        .description
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let mut body = format!("```toml\n{toml}```\n\n# {title}\n\n");
    let rest: Vec<&str> = i.description.lines().skip(1).collect();
    if !rest.is_empty() {
        body += &format!("{}\n\n", rest.join("\n").trim());
    }
    if !i.impact.trim().is_empty() {
        body += &format!("{}\n\n", i.impact.trim());
    }
    let fixed: Vec<String> = d
        .affected
        .patched()
        .filter_map(|l| l.patched.as_ref().map(|p| p.to_string()))
        .collect();
    body += &format!("Fixed in {} {}.", d.crate_name, fixed.join(", "));
    let open: Vec<String> = d.affected.unpatched().map(|l| l.released()).collect();
    if !open.is_empty() {
        body += &format!(" Releases without a fix yet: {}.", open.join(", "));
    }
    body += "\n";
    body
}

/// What the PR to rustsec/advisory-db says about the advisory it adds.
pub struct Submission<'a> {
    pub crate_name: &'a str,
    /// The first line of the incident's description: the draft's title.
    pub title: &'a str,
    pub impact: &'a str,
    /// The GitHub advisory's page.
    pub advisory_url: Option<&'a str>,
    /// The fix: the project's PR and the patched versions.
    pub fix_pr: Option<&'a str>,
    pub patched: Vec<String>,
    /// The disclosure date in the draft (`YYYY-MM-DD`).
    pub date: &'a str,
}

/// The PR's title, as advisory-db's history names them ("Add advisory for h2 …").
pub fn pr_title(s: &Submission) -> String {
    format!("Add advisory for {}: {}", s.crate_name, s.title)
}

/// The PR's body, in the sections of advisory-db's pull request template
/// (`.github/pull_request_template.md`), its checklist answered for a crate maintainer's filing
/// (CONTRIBUTING.md: the prerequisites "can be skipped for advisories filed by crate authors").
pub fn pr_body(s: &Submission) -> String {
    let mut links = Vec::new();
    if let Some(url) = s.advisory_url {
        links.push(format!("- GitHub security advisory: {url}"));
    }
    if let Some(url) = s.fix_pr {
        links.push(format!("- The fix: {url}"));
    }
    if !s.patched.is_empty() {
        links.push(format!(
            "- Patched in {} {}",
            s.crate_name,
            s.patched.join(", ")
        ));
    }
    let severity = if s.impact.trim().is_empty() {
        s.title.to_string()
    } else {
        s.impact.trim().to_string()
    };
    format!(
        "## Affected crate(s)\n\n- {crate_name} (https://crates.io/crates/{crate_name})\n\n\
         ## Links to upstream issue(s) or PR(s)\n\n{links}\n\n\
         ## Severity\n\n{severity}\n\n\
         ## Checklist\n\n\
         - [x] Advisory filename(s) starts with `RUSTSEC-0000-0000` as the ID\n\
         - [x] `date` field is set to the public disclosure date ({date})\n\
         - [x] Contains a concise and descriptive title after advisory metadata\n\
         - [x] Asked maintainer(s) if publishing an advisory is appropriate (filed by the crate's \
         maintainer, after the advisory was published)\n",
        crate_name = s.crate_name,
        links = links.join("\n"),
        date = s.date,
    )
}

/// The RUSTSEC id of an advisory-db file that is this incident's: its `aliases` or `url` name the
/// GHSA id. `None` for another advisory or the placeholder id.
pub fn assigned_id(text: &str, ghsa: &str) -> Option<String> {
    let front = text.strip_prefix("```toml\n")?.split("```").next()?;
    let doc: toml_edit::DocumentMut = front.parse().ok()?;
    let advisory = doc.get("advisory")?;
    let id = advisory.get("id")?.as_str()?.to_string();
    if id == PLACEHOLDER_ID {
        return None;
    }
    let names_ghsa = advisory
        .get("aliases")
        .and_then(|a| a.as_array())
        .is_some_and(|a| {
            a.iter()
                .any(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case(ghsa)))
        })
        || advisory
            .get("url")
            .and_then(|u| u.as_str())
            .is_some_and(|u| u.to_ascii_lowercase().ends_with(&ghsa.to_ascii_lowercase()));
    names_ghsa.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::affected::compute;
    use semver::Version;

    #[test]
    fn the_draft_has_the_front_matter_and_the_versions_of_every_line() {
        let v = |s: &str| Version::parse(s).unwrap();
        let affected = compute(&[v("0.9.0"), v("1.0.0")], None, &v("0.9.0"), &v("0.9.1")).unwrap();
        let incident = Incident {
            description: "Out-of-bounds \"read\" in record_len".into(),
            impact: "Remote attackers can read past the buffer".into(),
            cvss: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N".into()),
            cwe_ids: vec!["CWE-125".into()],
            categories: vec!["memory-exposure".into()],
            ..Incident::default()
        };
        let text = render(
            &Draft {
                crate_name: "minicrate",
                incident: &incident,
                affected: &affected,
                date: "2026-11-13",
                url: Some("https://github.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc"),
                aliases: vec!["GHSA-aaaa-bbbb-cccc".into()],
            },
            PLACEHOLDER_ID,
        );
        assert!(
            text.starts_with("```toml\n[advisory]\nid = \"RUSTSEC-0000-0000\"\n"),
            "{text}"
        );
        assert!(
            text.contains("patched = [\">= 0.9.1, < 0.10.0\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("# Out-of-bounds \"read\" in record_len\n"),
            "{text}"
        );
        assert!(
            text.contains("Releases without a fix yet: 1.0.0."),
            "{text}"
        );
        let front = text
            .strip_prefix("```toml\n")
            .and_then(|t| t.split("```").next())
            .unwrap();
        let doc: toml_edit::DocumentMut = front.parse().expect("valid TOML");
        assert_eq!(
            doc["advisory"]["aliases"][0].as_str(),
            Some("GHSA-aaaa-bbbb-cccc")
        );
    }

    /// advisory-db's own h2 advisory (vendored, CC0): its id is found through the GHSA in its
    /// `aliases`; another GHSA, or the placeholder of a submission, is not this incident's.
    #[test]
    fn the_assigned_id_is_read_from_an_advisory_db_file_naming_the_ghsa() {
        let h2 = include_str!("../../tests/fixtures/rustsec/h2/RUSTSEC-2024-0003.md");
        assert_eq!(
            assigned_id(h2, "GHSA-8r5v-vm4m-4g25").as_deref(),
            Some("RUSTSEC-2024-0003")
        );
        assert_eq!(assigned_id(h2, "GHSA-aaaa-bbbb-cccc"), None);
        let submitted = h2.replace("RUSTSEC-2024-0003", PLACEHOLDER_ID);
        assert_eq!(assigned_id(&submitted, "GHSA-8r5v-vm4m-4g25"), None);
    }

    /// The PR body has the four sections of advisory-db's pull request template, in its order, and
    /// every checklist item ticked (the vendored template is the oracle).
    #[test]
    fn the_pr_body_follows_advisory_dbs_template() {
        let template =
            include_str!("../../tests/fixtures/rustsec-advisory-db/pull_request_template.md");
        let body = pr_body(&Submission {
            crate_name: "minicrate",
            title: "Out-of-bounds read",
            impact: "Remote attackers can read past the buffer",
            advisory_url: Some("https://github.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc"),
            fix_pr: Some("https://github.com/o/r/pull/7"),
            patched: vec!["1.0.11".into()],
            date: "2026-12-01",
        });
        let headings = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| l.starts_with("## "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(headings(&body), headings(template));
        for item in template.lines().filter(|l| l.starts_with("- [ ] ")) {
            assert!(
                body.contains(&item.replacen("- [ ] ", "- [x] ", 1)),
                "{item}: {body}"
            );
        }
        assert!(body.contains("- GitHub security advisory: https://github.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc\n"));
    }
}
