//! Step 13: the GitHub security advisory, as a draft created through the API with a JSON file
//! (the `vulnerabilities` array cannot be expressed with `-f` flags). On failure — no permission, a
//! 422 — the manual link is printed and the JSON kept; the hotfix goes on.

use anyhow::Result;
use serde_json::json;

use crate::flow::Ctx;
use crate::record::Hotfix;

pub fn run(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let incident = ctx.rec.incident.clone();
    if incident.severity.is_none() && incident.advisory_ids.is_empty() {
        ctx.ui
            .ok("Not a security hotfix (no severity or advisory id): no advisory to publish");
        ctx.note(13, "no advisory: not a security hotfix");
        return Ok(());
    }
    if let Some(url) = &ctx.rec.advisory_url {
        ctx.ui.ok(format!("The advisory exists already: {url}"));
        return Ok(());
    }
    let facts = ctx.facts()?;
    let body = advisory_json(&facts);
    // Created before an interruption, before its URL was recorded? Then it is this one.
    let summary = body["summary"].as_str().unwrap_or_default().to_string();
    let existing = ctx.gh().advisories()?.into_iter().find(|a| {
        a["summary"].as_str() == Some(summary.as_str())
            && a["state"].as_str() != Some("closed")
            && a["vulnerabilities"][0]["patched_versions"].as_str() == Some(facts.version.as_str())
    });
    if let Some(url) = existing.and_then(|a| a["html_url"].as_str().map(str::to_string)) {
        ctx.ui.ok(format!("The advisory exists already: {url}"));
        ctx.rec.advisory_url = Some(url);
        return Ok(());
    }
    let text = serde_json::to_string_pretty(&body)?;
    let file = ctx.keep_file("advisory.json", &text)?;
    let manual = format!("{}/security/advisories/new", facts.repo_url);
    let simulated = json!({
        "ghsa_id": "GHSA-0000-0000-0000",
        "html_url": format!("{}/security/advisories/GHSA-0000-0000-0000", facts.repo_url),
        "state": "draft"
    })
    .to_string();
    let out = ctx.gh().api(
        "create the security advisory",
        "POST",
        "repos/{owner}/{repo}/security-advisories",
        &file,
        &simulated,
    )?;
    let url = out
        .success()
        .then(|| serde_json::from_str::<serde_json::Value>(&out.stdout).ok())
        .flatten()
        .and_then(|v| {
            v.get("html_url")
                .and_then(|u| u.as_str())
                .map(str::to_string)
        });
    match url {
        Some(url) => {
            ctx.remote_ok(format!("Created the security advisory (draft): {url}"));
            ctx.rec.advisory_url = Some(url);
        }
        None => {
            ctx.ui.warn(format!(
                "GitHub did not create the advisory: {}",
                if out.stderr.trim().is_empty() {
                    out.stdout.trim()
                } else {
                    out.stderr.trim()
                }
            ));
            ctx.ui.info(format!("Create it by hand: {manual}"));
            ctx.ui
                .info(format!("Its text is kept in {}", ctx.shown(&file)));
            ctx.note(13, format!("advisory not created; manual link {manual}"));
        }
    }
    Ok(())
}

/// The request body of `POST /repos/{owner}/{repo}/security-advisories`.
pub fn advisory_json(f: &crate::texts::Facts) -> serde_json::Value {
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
        "### Patches\n\nFixed in {} {}. Upgrade: `cargo update -p {} --precise {}`.\n\n",
        f.crate_name, f.version, f.crate_name, f.version
    );
    if !i.advisory_ids.is_empty() {
        description += &format!("### References\n\n{}\n\n", i.advisory_ids.join(", "));
    }
    if !i.credit.is_empty() {
        description += &format!("### Credit\n\n{}\n", i.credit);
    }
    let cve = i.advisory_ids.iter().find(|id| id.starts_with("CVE-"));
    // GitHub credits need a GitHub login; a plain name is thanked in the description instead.
    let credits: Vec<serde_json::Value> = i
        .credit
        .strip_prefix('@')
        .filter(|login| !login.is_empty() && !login.contains(char::is_whitespace))
        .map(|login| vec![json!({"login": login, "type": "reporter"})])
        .unwrap_or_default();
    json!({
        "summary": summary,
        "description": description.trim_end(),
        "severity": i.severity.map(|s| s.as_str()).unwrap_or("high"),
        "cve_id": cve,
        "vulnerabilities": [{
            "package": {"ecosystem": "rust", "name": f.crate_name},
            "vulnerable_version_range": format!("< {}", f.version),
            "patched_versions": f.version,
        }],
        "credits": credits,
    })
}
