//! Step 13: the GitHub security advisory, as a draft created through the API with a JSON file
//! (the `vulnerabilities` array cannot be expressed with `-f` flags). On failure — no permission, a
//! 422 — the manual link is printed and the JSON kept; the hotfix goes on.

use anyhow::{Context, Result};
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
    // Created before an interruption, before its URL was recorded? Then it is this one. A failed
    // lookup stops the step (resumable): taking it for "none" would create a second advisory.
    let summary = body["summary"].as_str().unwrap_or_default().to_string();
    let manual = format!("{}/security/advisories/new", facts.repo_url);
    match find_existing(ctx, &summary, &facts.version) {
        Ok(Some(url)) => {
            ctx.ui.ok(format!("The advisory exists already: {url}"));
            ctx.rec.advisory_url = Some(url);
            return Ok(());
        }
        Ok(None) => {}
        Err(e) if crate::ops::gh::transient_text(&format!("{e:#}")) => return Err(e),
        Err(e) => {
            // Refused (no permission, advisories off): creating would be refused too.
            let text = serde_json::to_string_pretty(&body)?;
            let file = ctx.keep_file("advisory.json", &text)?;
            ctx.ui.warn(format!("{e:#}"));
            ctx.ui.info(format!("Create it by hand: {manual}"));
            ctx.ui
                .info(format!("Its text is kept in {}", ctx.shown(&file)));
            ctx.note(13, format!("advisory not created; manual link {manual}"));
            return Ok(());
        }
    }
    let text = serde_json::to_string_pretty(&body)?;
    let file = ctx.keep_file("advisory.json", &text)?;
    let simulated = json!({
        "ghsa_id": "GHSA-0000-0000-0000",
        "html_url": format!("{}/security/advisories/GHSA-0000-0000-0000", facts.repo_url),
        "state": "draft"
    })
    .to_string();
    // gh tries once; a lost answer may have created it: look before trying again.
    let mut attempt: usize = 0;
    let (out, url) = loop {
        attempt += 1;
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
        if url.is_some() || out.simulated {
            break (out, url);
        }
        if let Some(found) = find_existing(ctx, &summary, &facts.version)? {
            ctx.ui.warn(format!(
                "creating the advisory failed ({}), but it exists: {found}",
                out.message()
            ));
            break (out, Some(found));
        }
        if out.transient() {
            if attempt < 3 {
                let pause = out.pause(attempt - 1).context(
                    "GitHub did not create the advisory; no advisory exists for this hotfix yet",
                )?;
                ctx.clock.pause(pause);
                continue;
            }
            anyhow::bail!(
                "GitHub did not create the advisory: {}\nNo advisory exists for this hotfix yet; \
                 `caro-hotfix resume` looks again, then creates it.",
                out.message()
            );
        }
        break (out, None);
    };
    match url {
        Some(url) => {
            ctx.remote_ok(format!("Created the security advisory (draft): {url}"));
            ctx.rec.advisory_url = Some(url);
        }
        None => {
            ctx.ui.warn(format!(
                "GitHub did not create the advisory: {}",
                out.message()
            ));
            ctx.ui.info(format!("Create it by hand: {manual}"));
            ctx.ui
                .info(format!("Its text is kept in {}", ctx.shown(&file)));
            ctx.note(13, format!("advisory not created; manual link {manual}"));
        }
    }
    Ok(())
}

/// The advisory of this hotfix if GitHub has it already (not closed, same summary and patched
/// version), over every page of the list.
fn find_existing(ctx: &mut Ctx<Hotfix>, summary: &str, version: &str) -> Result<Option<String>> {
    let all = ctx.gh().advisories().context(
        "could not list the repository's security advisories, so it is unknown whether this hotfix's \
         advisory exists; nothing was created — `caro-hotfix resume` looks again",
    )?;
    Ok(all
        .into_iter()
        .find(|a| {
            a["summary"].as_str() == Some(summary)
                && a["state"].as_str() != Some("closed")
                && a["vulnerabilities"].as_array().is_some_and(|v| {
                    v.iter()
                        .any(|x| x["patched_versions"].as_str() == Some(version))
                })
        })
        .and_then(|a| a["html_url"].as_str().map(str::to_string)))
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
