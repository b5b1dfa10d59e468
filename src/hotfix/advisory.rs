//! The GitHub security advisory: the private home of the vulnerability's details.
//!
//! Step 4 creates the draft ([`create_draft`]), so the details live in private from the start and the
//! public texts can name its GHSA id; `--request-cve` asks GitHub for a CVE from it. Step 13 brings it
//! up to date and publishes it once the patched version is visible ([`update`], [`publish`]). The
//! draft is found again before it is created (a kill between GitHub's answer and the save), so a
//! resumed hotfix never creates a second one.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::flow::Ctx;
use crate::record::Hotfix;
use crate::texts::{self, Facts};

/// Whether this hotfix has an advisory at all: a severity or an advisory id makes it a security one.
pub fn wanted(rec: &Hotfix) -> bool {
    rec.incident.severity.is_some() || !rec.incident.advisory_ids.is_empty()
}

/// The manual link for creating an advisory.
pub fn manual_link(facts: &Facts) -> String {
    format!("{}/security/advisories/new", facts.repo_url)
}

/// Step 4: the draft, created once; then the CVE when asked. A refusal (no permission, advisories
/// off) is said with the manual link, and step 13 tries again; a transient failure stops the step.
pub fn create_draft(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    if let Some(url) = ctx.rec.advisory_url.clone() {
        ctx.ui.ok(format!("The advisory draft exists: {url}"));
    } else {
        create(ctx, 4)?;
    }
    if ctx.rec.request.request_cve && !ctx.rec.cve_requested {
        request_cve(ctx)?;
    }
    Ok(())
}

/// Creates the advisory (the draft of step 4, or at step 13 when step 4 could not), unless GitHub
/// has it already. Records its id and page.
pub fn create(ctx: &mut Ctx<Hotfix>, step: u8) -> Result<()> {
    let facts = ctx.facts()?;
    let body = texts::advisory_json(&facts);
    let summary = body["summary"].as_str().unwrap_or_default().to_string();
    let manual = manual_link(&facts);
    // Created before an interruption, before its id was recorded? Then it is this one. A failed
    // lookup stops the step (resumable): taking it for "none" would create a second advisory.
    match find_existing(ctx, &summary, &facts.crate_name, &facts.version) {
        Ok(Some(found)) => {
            ctx.ui
                .ok(format!("The advisory exists already: {}", found.1));
            record(ctx, found);
            return Ok(());
        }
        Ok(None) => {}
        Err(e) if crate::ops::gh::transient_text(&format!("{e:#}")) => return Err(e),
        Err(e) => {
            // Refused (no permission, advisories off): creating would be refused too.
            refused(ctx, step, &body, &format!("{e:#}"), &manual)?;
            return Ok(());
        }
    }
    let mut body = body;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let file = ctx.keep_file("advisory.json", &serde_json::to_string_pretty(&body)?)?;
        let simulated = json!({
            "ghsa_id": "GHSA-0000-0000-0000",
            "html_url": format!("{}/security/advisories/GHSA-0000-0000-0000", facts.repo_url),
            "state": "draft"
        })
        .to_string();
        let out = ctx.gh().api(
            "create the security advisory (a private draft)",
            "POST",
            "repos/{owner}/{repo}/security-advisories",
            &file,
            &simulated,
        )?;
        if let Some(found) = out
            .success()
            .then(|| serde_json::from_str::<Value>(&out.stdout).ok())
            .flatten()
            .and_then(|v| ids_of(&v))
        {
            ctx.remote_ok(format!(
                "Created the security advisory (private draft) {}: {}",
                found.0, found.1
            ));
            record(ctx, found);
            return Ok(());
        }
        // gh tries once; a lost answer may have created it: look before trying again.
        if let Some(found) = find_existing(ctx, &summary, &facts.crate_name, &facts.version)? {
            ctx.ui.warn(format!(
                "creating the advisory failed ({}), but it exists: {}",
                out.stderr.trim(),
                found.1
            ));
            record(ctx, found);
            return Ok(());
        }
        let said = if out.stderr.trim().is_empty() {
            out.stdout.trim().to_string()
        } else {
            out.stderr.trim().to_string()
        };
        // A credited login GitHub does not know: 422. Keep the credit in the description, create the
        // advisory without it, and say how to add it.
        if said.contains("422") && body["credits"].as_array().is_some_and(|c| !c.is_empty()) {
            let login = facts.incident.credit.clone();
            ctx.ui.warn(format!(
                "GitHub refused the advisory's credit for {login} ({said}): is the login right? The \
                 advisory is created without it (the description still thanks {login}); add the credit \
                 on the advisory's page once the login is right."
            ));
            body["credits"] = json!([]);
            continue;
        }
        if crate::ops::gh::transient(&out) {
            if attempt < 3 {
                ctx.clock.back_off(std::time::Duration::from_secs(attempt));
                continue;
            }
            anyhow::bail!(
                "GitHub did not create the advisory: {said}\nNo advisory exists for this hotfix yet; \
                 `caro-hotfix resume` looks again, then creates it."
            );
        }
        refused(
            ctx,
            step,
            &body,
            &format!("GitHub did not create the advisory: {said}"),
            &manual,
        )?;
        return Ok(());
    }
}

fn refused(ctx: &mut Ctx<Hotfix>, step: u8, body: &Value, why: &str, manual: &str) -> Result<()> {
    let file = ctx.keep_file("advisory.json", &serde_json::to_string_pretty(body)?)?;
    ctx.ui.warn(why);
    ctx.ui.info(format!("Create it by hand: {manual}"));
    ctx.ui
        .info(format!("Its text is kept in {}", ctx.shown(&file)));
    if step == 4 {
        ctx.ui
            .info("Step 13 tries again to create it, before publishing.");
    }
    ctx.note(step, format!("advisory not created; manual link {manual}"));
    Ok(())
}

fn record(ctx: &mut Ctx<Hotfix>, (ghsa, url): (String, String)) {
    ctx.rec.ghsa_id = Some(ghsa);
    ctx.rec.advisory_url = Some(url);
}

fn ids_of(v: &Value) -> Option<(String, String)> {
    Some((
        v.get("ghsa_id")?.as_str()?.to_string(),
        v.get("html_url")?.as_str()?.to_string(),
    ))
}

/// The advisory of this hotfix if GitHub has it already (not closed, same summary, this crate patched
/// in this version), over every page of the list.
fn find_existing(
    ctx: &mut Ctx<Hotfix>,
    summary: &str,
    crate_name: &str,
    version: &str,
) -> Result<Option<(String, String)>> {
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
                    v.iter().any(|x| {
                        x["package"]["name"].as_str() == Some(crate_name)
                            && x["patched_versions"].as_str() == Some(version)
                    })
                })
        })
        .and_then(|a| ids_of(&a)))
}

/// `--request-cve`: GitHub assigns a CVE to the draft (it answers 202 and reviews the request).
fn request_cve(ctx: &mut Ctx<Hotfix>) -> Result<()> {
    let Some(ghsa) = ctx.rec.ghsa_id.clone() else {
        ctx.ui
            .warn("No advisory draft exists, so no CVE could be requested: request it on the advisory's page once it exists.");
        return Ok(());
    };
    if ctx
        .rec
        .incident
        .advisory_ids
        .iter()
        .any(|id| id.starts_with("CVE-"))
    {
        ctx.ui
            .ok("A CVE id was given (--advisory): no CVE requested from GitHub");
        return Ok(());
    }
    let file = ctx.keep_file("advisory-cve.json", "{}")?;
    let out = ctx.gh().api(
        "request a CVE for the advisory",
        "POST",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}/cve"),
        &file,
        "{}",
    )?;
    if out.success() {
        ctx.rec.cve_requested = true;
        ctx.remote_ok(format!(
            "Requested a CVE for {ghsa}: GitHub reviews the request and adds the CVE id to the advisory"
        ));
    } else {
        ctx.ui.warn(format!(
            "GitHub did not take the CVE request for {ghsa}: {}",
            out.stderr.trim()
        ));
        ctx.ui.info(format!(
            "Request it on the advisory's page ({}): “Request CVE”",
            ctx.rec.advisory_url.clone().unwrap_or_default()
        ));
    }
    Ok(())
}

/// Step 13: brings the draft up to date with the final data (the fix is released; the texts are
/// the same view as every other). Returns whether GitHub took it.
pub fn update(ctx: &mut Ctx<Hotfix>, ghsa: &str) -> Result<bool> {
    let facts = ctx.facts()?;
    let mut body = texts::advisory_json(&facts);
    // The credits were settled when the draft was created (a login GitHub refused was dropped, and
    // the maintainer may have edited them on the page since); a CVE GitHub assigned must not be
    // cleared by a null.
    if let Some(fields) = body.as_object_mut() {
        fields.remove("credits");
        if fields.get("cve_id").is_some_and(Value::is_null) {
            fields.remove("cve_id");
        }
    }
    let file = ctx.keep_file("advisory.json", &serde_json::to_string_pretty(&body)?)?;
    let out = ctx.gh().api(
        "update the advisory draft with the final data",
        "PATCH",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
        &file,
        "{}",
    )?;
    if !out.success() {
        ctx.ui.warn(format!(
            "GitHub did not update the advisory {ghsa}: {}",
            out.stderr.trim()
        ));
    }
    Ok(out.success())
}

/// Step 13: `PATCH state=published`. Returns whether it is published.
pub fn publish(ctx: &mut Ctx<Hotfix>, ghsa: &str) -> Result<bool> {
    let file = ctx.keep_file("advisory-publish.json", r#"{"state": "published"}"#)?;
    let out = ctx.gh().api(
        "publish the security advisory",
        "PATCH",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
        &file,
        r#"{"state":"published"}"#,
    )?;
    if out.success() {
        ctx.rec.advisory_published = true;
        return Ok(true);
    }
    ctx.ui.warn(format!(
        "GitHub did not publish the advisory {ghsa}: {}",
        out.stderr.trim()
    ));
    Ok(false)
}

/// How to publish the draft by hand. On GitHub Enterprise (the advisory's URL is not on github.com)
/// the command names the host, or gh would send it to github.com.
pub fn by_hand(url: &str, repo: &str, ghsa: &str) -> String {
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("github.com")
        .to_ascii_lowercase();
    let hostname = if host.is_empty() || host == "github.com" {
        String::new()
    } else {
        format!("--hostname {host} ")
    };
    format!(
        "The draft is kept. Publish it by hand: open {url} and press “Publish advisory”, or run\n  \
         gh api {hostname}-X PATCH repos/{repo}/security-advisories/{ghsa} -f state=published"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_to_publish_by_hand_names_an_enterprise_host() {
        let dotcom = by_hand(
            "https://github.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc",
            "o/r",
            "GHSA-aaaa-bbbb-cccc",
        );
        assert!(
            dotcom.contains("gh api -X PATCH repos/o/r/security-advisories/GHSA-aaaa-bbbb-cccc"),
            "{dotcom}"
        );
        let ghe = by_hand(
            "https://GHE.example.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc",
            "o/r",
            "GHSA-aaaa-bbbb-cccc",
        );
        assert!(
            ghe.contains("gh api --hostname ghe.example.com -X PATCH repos/o/r/"),
            "{ghe}"
        );
    }
}
