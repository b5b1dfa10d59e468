//! The GitHub security advisory: the private home of the vulnerability's details.
//!
//! Step 4 creates the draft ([`create_draft`]), so the details live in private from the start and the
//! public texts can name its GHSA id; `--request-cve` asks GitHub for a CVE from it. Step 13 brings it
//! up to date and publishes it once the patched version is visible ([`update`], [`publish`]). The
//! draft is found again before it is created (a kill between GitHub's answer and the save), so a
//! resumed hotfix never creates a second one.
//!
//! One advisory per vulnerability: an advisory of the repository that is this incident — the GHSA id
//! given with `--advisory`, or a private vulnerability report (state `triage`) or draft that names
//! this crate — is adopted instead of creating one ([`adopt`]): read with `GET`, its description,
//! severity or CVSS, CWEs and credits kept, a report accepted into a draft (`PATCH state=draft`),
//! and only the versions (and a CVE id given) filled in. Several candidates: the maintainer picks.
//!
//! Read before write: every update ([`update`], [`sync`]) reads the advisory first and sends only
//! what this incident owns and what differs — `vulnerabilities` and `cve_id`, never `severity`
//! (GitHub refuses it once a CVSS vector is set) — and shows the change. What was edited on GitHub
//! is kept.

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
    let all = match list(ctx) {
        Ok(all) => all,
        Err(e) if crate::ops::gh::transient_text(&format!("{e:#}")) => return Err(e),
        Err(e) => {
            // Refused (no permission, advisories off): creating would be refused too.
            refused(ctx, step, &body, &format!("{e:#}"), &manual)?;
            return Ok(());
        }
    };
    if let Some(found) = ours(&all, &summary, &facts.crate_name, &facts.version) {
        ctx.ui
            .ok(format!("The advisory exists already: {}", found.1));
        record(ctx, found);
        return Ok(());
    }
    // A private vulnerability report, or a draft a co-maintainer started: this vulnerability's
    // advisory already, so it is adopted rather than doubled.
    let ghsa_ids: Vec<String> = facts
        .incident
        .advisory_ids
        .iter()
        .filter(|id| id.starts_with("GHSA-"))
        .cloned()
        .collect();
    let found = candidates(&all, &ghsa_ids, &facts.crate_name);
    if let Some(chosen) = choose(ctx, &found)? {
        return adopt(ctx, chosen);
    }
    for id in &ghsa_ids {
        if !all.iter().any(|a| is(a, id)) {
            ctx.ui.info(format!(
                "{id} (--advisory) is not an advisory of this repository: it is named as a reference"
            ));
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
        let said = github_said(&out);
        // A credited login GitHub does not know: 422 about the credits. Keep the credit in the
        // description, create the advisory without it, and say how to add it. A 422 about anything
        // else is no reason to drop the credit.
        if out.stderr.contains("422")
            && about_credits(&out)
            && body["credits"].as_array().is_some_and(|c| !c.is_empty())
        {
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

/// Every security advisory of the repository, over every page of the list.
fn list(ctx: &mut Ctx<Hotfix>) -> Result<Vec<Value>> {
    ctx.gh().advisories().context(
        "could not list the repository's security advisories, so it is unknown whether this hotfix's \
         advisory exists; nothing was created — `caro-hotfix resume` looks again",
    )
}

/// The advisory of this hotfix if GitHub has it already.
fn find_existing(
    ctx: &mut Ctx<Hotfix>,
    summary: &str,
    crate_name: &str,
    version: &str,
) -> Result<Option<(String, String)>> {
    let all = list(ctx)?;
    Ok(ours(&all, summary, crate_name, version))
}

/// The advisory this tool created for this hotfix: not closed, same summary, this crate patched in
/// this version.
fn ours(all: &[Value], summary: &str, crate_name: &str, version: &str) -> Option<(String, String)> {
    all.iter()
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
        .and_then(ids_of)
}

fn is(advisory: &Value, ghsa: &str) -> bool {
    advisory["ghsa_id"]
        .as_str()
        .is_some_and(|id| id.eq_ignore_ascii_case(ghsa))
}

/// The advisories that may be this incident's already: the one `--advisory GHSA-…` names (unless
/// closed); else every private vulnerability report (`triage`) and draft that names the crate — in
/// a `vulnerabilities[]` package of the Rust ecosystem (or none given) or as a word of its summary,
/// which is all a reporter must fill in.
fn candidates(all: &[Value], ghsa_ids: &[String], crate_name: &str) -> Vec<Value> {
    let open = |a: &&Value| matches!(a["state"].as_str(), Some("triage" | "draft"));
    let named: Vec<Value> = all
        .iter()
        .filter(|a| a["state"].as_str() != Some("closed"))
        .filter(|a| ghsa_ids.iter().any(|id| is(a, id)))
        .cloned()
        .collect();
    if !named.is_empty() {
        return named;
    }
    all.iter()
        .filter(open)
        .filter(|a| names_crate(a, crate_name))
        .cloned()
        .collect()
}

fn names_crate(advisory: &Value, crate_name: &str) -> bool {
    let in_packages = advisory["vulnerabilities"].as_array().is_some_and(|v| {
        v.iter().any(|x| {
            let package = &x["package"];
            package["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(crate_name))
                && package["ecosystem"].as_str().is_none_or(|e| e == "rust")
        })
    });
    let in_summary = advisory["summary"].as_str().is_some_and(|s| {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .any(|w| w.eq_ignore_ascii_case(crate_name))
    });
    in_packages || in_summary
}

/// One candidate is this incident's advisory; several: the maintainer says which, or none.
fn choose(ctx: &mut Ctx<Hotfix>, found: &[Value]) -> Result<Option<Value>> {
    match found {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        several => {
            let mut items: Vec<String> = several
                .iter()
                .map(|a| {
                    format!(
                        "{} ({}): {}",
                        a["ghsa_id"].as_str().unwrap_or("?"),
                        a["state"].as_str().unwrap_or("?"),
                        a["summary"].as_str().unwrap_or("")
                    )
                })
                .collect();
            items.push("None of them: create a new advisory for this hotfix".to_string());
            ctx.ui.info(format!(
                "The repository has {} advisories that may be this vulnerability: adopting one keeps \
                 one advisory (and one alert) per vulnerability.",
                several.len()
            ));
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let i = ctx
                .prompter
                .select("The advisory of this vulnerability", &refs, 0)?;
            Ok(several.get(i).cloned())
        }
    }
}

/// Adopts an advisory GitHub has already (a private vulnerability report, a draft): read whole,
/// recorded as this hotfix's, accepted into a draft if it is a report, and given this incident's
/// versions. Its description, severity or CVSS, CWEs and credits stay as they are; a CVSS vector or
/// CWE ids this incident lacks are taken into the record (the RustSec draft names them too).
fn adopt(ctx: &mut Ctx<Hotfix>, listed: Value) -> Result<()> {
    let Some((ghsa, url)) = ids_of(&listed) else {
        anyhow::bail!("GitHub listed an advisory without a ghsa_id or html_url: {listed}");
    };
    let held = ctx.gh().advisory(&ghsa, &listed.to_string())?;
    let state = held["state"].as_str().unwrap_or("draft").to_string();
    let by = held["author"]["login"].as_str().unwrap_or("?").to_string();
    ctx.remote_ok(format!(
        "Adopted the advisory {ghsa} ({state}, by {by}) as this hotfix's: no second one is created. \
         Its description, severity or CVSS, CWEs and credits are kept: {url}"
    ));
    record(ctx, (ghsa.clone(), url));
    let incident = &mut ctx.rec.incident;
    if incident.cvss.is_none() {
        incident.cvss = held["cvss"]["vector_string"]
            .as_str()
            .filter(|v| !v.is_empty())
            .map(str::to_string);
    }
    if incident.cwe_ids.is_empty() {
        incident.cwe_ids = held["cwe_ids"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
    }
    if !sync(ctx, &ghsa, &held)? {
        ctx.ui
            .info("Step 13 reads the advisory again and sends what it still lacks.");
    }
    Ok(())
}

/// A private vulnerability report (state `triage`) accepted into a draft: `PATCH state=draft`, as
/// the "Accept and open as draft" button does. Returns whether GitHub took it.
fn accept(ctx: &mut Ctx<Hotfix>, ghsa: &str) -> Result<bool> {
    let file = ctx.keep_file("advisory-accept.json", r#"{"state": "draft"}"#)?;
    let out = ctx.gh().api(
        "accept the vulnerability report as a draft advisory",
        "PATCH",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
        &file,
        r#"{"state":"draft"}"#,
    )?;
    if out.success() {
        ctx.remote_ok(format!(
            "Accepted the vulnerability report {ghsa}: it is a draft advisory"
        ));
    } else {
        ctx.ui.warn(format!(
            "GitHub did not accept the vulnerability report {ghsa}: {}",
            github_said(&out)
        ));
    }
    Ok(out.success())
}

/// What GitHub said about a failed call: its `message` and every `errors[]` entry (`field: code —
/// message`), from the JSON body gh prints; else gh's own words.
pub fn github_said(out: &crate::ops::gh::Reply) -> String {
    let Ok(body) = serde_json::from_str::<Value>(out.stdout.trim()) else {
        return out.message().to_string();
    };
    let mut said = body["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| out.message().to_string());
    let errors: Vec<String> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| match e {
            Value::String(s) => s.clone(),
            e => {
                let head: Vec<&str> = [&e["field"], &e["code"]]
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect();
                match (head.is_empty(), e["message"].as_str()) {
                    (false, Some(m)) => format!("{} — {m}", head.join(": ")),
                    (false, None) => head.join(": "),
                    (true, Some(m)) => m.to_string(),
                    (true, None) => e.to_string(),
                }
            }
        })
        .collect();
    if !errors.is_empty() {
        said += &format!(" ({})", errors.join("; "));
    }
    if let Some(status) = out
        .stderr
        .rsplit_once("(HTTP ")
        .and_then(|(_, s)| s.split_once(')'))
    {
        said += &format!(" [HTTP {}]", status.0);
    }
    said
}

/// Whether a refusal is about the credits: an `errors[]` entry names them (its field or its words);
/// without `errors[]`, GitHub's message does.
fn about_credits(out: &crate::ops::gh::Reply) -> bool {
    let body: Value = serde_json::from_str(out.stdout.trim()).unwrap_or(Value::Null);
    let credits = |text: &str| text.to_ascii_lowercase().contains("credit");
    match body["errors"].as_array() {
        Some(errors) if !errors.is_empty() => errors.iter().any(|e| match e {
            Value::String(s) => credits(s),
            e => {
                e["field"].as_str().is_some_and(credits)
                    || e["message"].as_str().is_some_and(credits)
            }
        }),
        _ => credits(body["message"].as_str().unwrap_or(out.message())),
    }
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

/// Step 13: reads the draft and brings it up to date with this incident's versions (the fix is
/// released; the texts are the same view as every other), keeping what was edited on GitHub.
/// Returns whether the advisory carries them.
pub fn update(ctx: &mut Ctx<Hotfix>, ghsa: &str) -> Result<bool> {
    let facts = ctx.facts()?;
    let mut simulated = texts::advisory_json(&facts);
    simulated["ghsa_id"] = json!(ghsa);
    simulated["state"] = json!("draft");
    let held = match ctx.gh().advisory(ghsa, &simulated.to_string()) {
        Ok(held) => held,
        Err(e) => {
            ctx.ui.warn(format!(
                "could not read the advisory {ghsa} before updating it ({e:#}); nothing was sent"
            ));
            return Ok(false);
        }
    };
    note_cve(&mut ctx.rec, &held);
    sync(ctx, ghsa, &held)
}

/// The CVE id GitHub assigned, once the advisory it holds (`held`) reports one: recorded, and one
/// of the incident's advisory ids from then on, so every text written after names it (the RustSec
/// draft's aliases, the announcement). Returns it when it is new to the record.
pub fn note_cve(rec: &mut Hotfix, held: &Value) -> Option<String> {
    let cve = held["cve_id"]
        .as_str()
        .filter(|c| c.starts_with("CVE-"))?
        .to_string();
    if !rec.incident.advisory_ids.contains(&cve) {
        rec.incident.advisory_ids.push(cve.clone());
    }
    if rec.cve_id.as_deref() == Some(cve.as_str()) {
        return None;
    }
    rec.cve_id = Some(cve.clone());
    Some(cve)
}

/// The fields of the advisory this incident owns, where GitHub's differ: `vulnerabilities` (the
/// versions), the `cve_id` given with `--advisory` when GitHub has none, and the summary and
/// description this tool wrote (`sent`: the advisory as it last wrote it) when GitHub still holds
/// them as written and this incident's text has changed since (an impact given at step 9). Nothing
/// else — an edited description, CWEs, credits, severity and CVSS are GitHub's once the advisory
/// exists (edited on its page, or a reporter's), and `severity` is never sent (GitHub refuses it
/// once a CVSS vector is set). A package's `vulnerable_functions` already on GitHub are kept.
pub fn changes(held: &Value, ours: &Value, sent: &Value) -> serde_json::Map<String, Value> {
    let mut changed = serde_json::Map::new();
    for field in ["summary", "description"] {
        if sent[field].is_string() && held[field] == sent[field] && ours[field] != held[field] {
            changed.insert(field.into(), ours[field].clone());
        }
    }
    let key = |v: &Value| {
        (
            v["package"]["ecosystem"].as_str().unwrap_or("").to_string(),
            v["package"]["name"].as_str().unwrap_or("").to_string(),
            v["vulnerable_version_range"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            v["patched_versions"]
                .as_str()
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        )
    };
    let keys = |v: &Value| -> Vec<_> { v.as_array().into_iter().flatten().map(key).collect() };
    if keys(&held["vulnerabilities"]) != keys(&ours["vulnerabilities"]) {
        let mut wanted = ours["vulnerabilities"].clone();
        for v in wanted.as_array_mut().into_iter().flatten() {
            let functions = held["vulnerabilities"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|h| h["package"]["name"] == v["package"]["name"])
                .find_map(|h| {
                    h["vulnerable_functions"]
                        .as_array()
                        .filter(|f| !f.is_empty())
                        .cloned()
                });
            if let Some(functions) = functions {
                v["vulnerable_functions"] = Value::Array(functions);
            }
        }
        changed.insert("vulnerabilities".into(), wanted);
    }
    if let Some(cve) = ours["cve_id"].as_str() {
        if held["cve_id"].as_str().is_none_or(str::is_empty) {
            changed.insert("cve_id".into(), json!(cve));
        }
    }
    changed
}

/// The fields GitHub holds otherwise than this incident would write them, kept as they are.
fn kept(held: &Value, ours: &Value) -> Vec<&'static str> {
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
    let differs = |a: &Value, b: &Value| a != b && !(empty(a) && empty(b));
    let mut kept = Vec::new();
    for field in ["summary", "description", "cwe_ids", "credits"] {
        let held_value = match field {
            // GitHub answers credits as {login, type}; compare what this tool would send.
            "credits" => Value::Array(
                held["credits"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| json!({"login": c["login"], "type": c["type"]}))
                    .collect(),
            ),
            _ => held[field].clone(),
        };
        if differs(&held_value, &ours[field]) {
            kept.push(field);
        }
    }
    let held_cvss = held["cvss"]["vector_string"]
        .as_str()
        .filter(|v| !v.is_empty());
    if held_cvss != ours["cvss_vector_string"].as_str() {
        kept.push("cvss");
    }
    kept
}

/// A short text of the advisory's versions: `>= 1.0.0, < 1.0.11 → 1.0.11; >= 0.9.9, <= 0.9.9 → none`.
fn versions_text(vulnerabilities: &Value) -> String {
    let all: Vec<String> = vulnerabilities
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            format!(
                "{} → {}",
                v["vulnerable_version_range"]
                    .as_str()
                    .unwrap_or("(no range)"),
                v["patched_versions"]
                    .as_str()
                    .filter(|p| !p.is_empty())
                    .unwrap_or("no patched version")
            )
        })
        .collect();
    if all.is_empty() {
        "none".to_string()
    } else {
        all.join("; ")
    }
}

/// Brings the advisory GitHub holds (`held`, just read) to this incident's versions: a report in
/// triage is accepted first; the change is shown, field by field, and only it is sent. Returns
/// whether the advisory carries the versions.
pub fn sync(ctx: &mut Ctx<Hotfix>, ghsa: &str, held: &Value) -> Result<bool> {
    if held["state"].as_str() == Some("triage") && !accept(ctx, ghsa)? {
        return Ok(false);
    }
    let facts = ctx.facts()?;
    let ours = texts::advisory_json(&facts);
    // The advisory as this tool last wrote it (created at step 4, or updated since); none when it
    // was adopted or the file is gone — then every text on GitHub is GitHub's.
    let sent_path = ctx.layout.as_ref().map(|l| l.kept("advisory.json"));
    let sent: Value = match &sent_path {
        Some(path) => crate::fsx::read_optional(path)?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null),
        None => Value::Null,
    };
    let changed = changes(held, &ours, &sent);
    let mut kept = kept(held, &ours);
    kept.retain(|field| !changed.contains_key(*field));
    if !kept.is_empty() {
        ctx.ui.info(format!(
            "Kept as GitHub has them (edited there or by the reporter): {}",
            kept.join(", ")
        ));
    }
    if changed.is_empty() {
        ctx.ui.ok(format!(
            "The advisory {ghsa} carries this hotfix's versions already: nothing to send"
        ));
        return Ok(true);
    }
    ctx.ui.info(format!("The change to the advisory {ghsa}:"));
    for (field, value) in &changed {
        if field == "description" {
            // The lines that go and come; the rest stays.
            let before: Vec<&str> = held[field].as_str().unwrap_or("").lines().collect();
            let after: Vec<&str> = value.as_str().unwrap_or("").lines().collect();
            ctx.ui.line(format!("  {field}:"));
            for line in before.iter().filter(|l| !after.contains(l)) {
                ctx.ui.line(format!("    - {line}"));
            }
            for line in after.iter().filter(|l| !before.contains(l)) {
                ctx.ui.line(format!("    + {line}"));
            }
            continue;
        }
        let (before, after) = match field.as_str() {
            "vulnerabilities" => (versions_text(&held[field]), versions_text(value)),
            _ => (
                held[field].as_str().unwrap_or("none").to_string(),
                value.as_str().unwrap_or("none").to_string(),
            ),
        };
        ctx.ui.line(format!("  {field}: {before}"));
        ctx.ui
            .line(format!("  {:width$}→ {after}", "", width = field.len()));
    }
    let mut now_sent = match sent {
        Value::Object(fields) => fields,
        _ => serde_json::Map::new(),
    };
    now_sent.extend(changed.clone());
    let body = Value::Object(changed);
    let file = ctx.keep_file(
        "advisory-update.json",
        &serde_json::to_string_pretty(&body)?,
    )?;
    let out = ctx.gh().api(
        "update the advisory with this hotfix's versions",
        "PATCH",
        &format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}"),
        &file,
        "{}",
    )?;
    if !out.success() {
        ctx.ui.warn(format!(
            "GitHub did not update the advisory {ghsa}: {}",
            github_said(&out)
        ));
        ctx.ui.info(format!(
            "What was to be sent is kept in {}",
            ctx.shown(&file)
        ));
        return Ok(false);
    }
    ctx.keep_file(
        "advisory.json",
        &serde_json::to_string_pretty(&Value::Object(now_sent))?,
    )?;
    Ok(true)
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
        // The exposure window closes: step 13 publishes only once every patched version is visible.
        ctx.rec.embargo.disclosed = Some(ctx.clock.now());
        return Ok(true);
    }
    ctx.ui.warn(format!(
        "GitHub did not publish the advisory {ghsa}: {}",
        github_said(&out)
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
    use crate::ops::gh::Reply;
    use crate::runner::Output;

    fn refused(stdout: &str) -> Reply {
        Reply {
            out: Output {
                code: 1,
                stdout: stdout.to_string(),
                stderr: "gh: Validation Failed (HTTP 422)\n".to_string(),
                simulated: false,
            },
            asked: None,
        }
    }

    #[test]
    fn a_422_is_said_with_its_errors_and_only_one_about_credits_is_taken_for_the_credit() {
        let cwe = refused(
            r#"{"message":"Validation Failed","errors":[{"resource":"RepositoryAdvisory","field":"cwe_ids","code":"invalid","message":"CWE-99999 is not a known CWE"}]}"#,
        );
        assert_eq!(
            github_said(&cwe),
            "Validation Failed (cwe_ids: invalid — CWE-99999 is not a known CWE) [HTTP 422]"
        );
        assert!(!about_credits(&cwe));
        let credit = refused(
            r#"{"message":"Validation Failed","errors":[{"resource":"RepositoryAdvisory","field":"credits","code":"invalid"}]}"#,
        );
        assert!(about_credits(&credit));
        assert_eq!(
            github_said(&credit),
            "Validation Failed (credits: invalid) [HTTP 422]"
        );
        // Errors as plain strings (as some GitHub endpoints answer), and no JSON at all.
        let words =
            refused(r#"{"message":"Validation Failed","errors":["Credits user 'x' not found"]}"#);
        assert!(about_credits(&words));
        let bare = refused("");
        assert_eq!(github_said(&bare), "gh: Validation Failed (HTTP 422)");
        assert!(!about_credits(&bare));
    }

    fn vuln(range: &str, patched: Value, functions: Value) -> Value {
        json!({"package": {"ecosystem": "rust", "name": "minicrate"}, "vulnerable_version_range": range,
               "patched_versions": patched, "vulnerable_functions": functions})
    }

    #[test]
    fn only_what_the_incident_owns_and_what_changed_is_sent() {
        let ours = json!({
            "summary": "s", "description": "d, with the impact", "severity": "high", "cwe_ids": [],
            "cve_id": "CVE-2026-12345",
            "vulnerabilities": [vuln(">= 1.0.0, < 1.0.11", json!("1.0.11"), json!([]))],
        });
        // Edited on GitHub: a CVSS vector, a CWE, the description; the versions are the same.
        let held = json!({
            "summary": "s", "description": "edited", "severity": "medium", "cwe_ids": ["CWE-125"],
            "cvss": {"vector_string": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
            "cve_id": "CVE-2026-12345",
            "vulnerabilities": [vuln(">= 1.0.0, < 1.0.11", json!("1.0.11"), json!(["minicrate::f"]))],
        });
        let sent = json!({"summary": "s", "description": "d"});
        assert!(changes(&held, &ours, &sent).is_empty());
        assert_eq!(kept(&held, &ours), ["description", "cwe_ids", "cvss"]);
        // The versions differ and the description is still as this tool wrote it: both are sent
        // (the function named on GitHub kept), never the severity nor the CWEs.
        let held = json!({
            "summary": "s", "description": "d", "cwe_ids": ["CWE-125"], "cve_id": null,
            "vulnerabilities": [vuln("<= 1.0.10", Value::Null, json!(["minicrate::f"]))],
        });
        let changed = changes(&held, &ours, &sent);
        assert_eq!(
            Value::Object(changed),
            json!({
                "description": "d, with the impact",
                "cve_id": "CVE-2026-12345",
                "vulnerabilities": [vuln(">= 1.0.0, < 1.0.11", json!("1.0.11"), json!(["minicrate::f"]))],
            })
        );
        // Adopted (nothing written by this tool): the reporter's texts are never replaced.
        assert!(!changes(&held, &ours, &Value::Null).contains_key("description"));
    }

    #[test]
    fn the_candidates_are_the_named_advisory_or_the_open_reports_naming_the_crate() {
        let a = |ghsa: &str, state: &str, summary: &str, package: &str| {
            json!({"ghsa_id": ghsa, "state": state, "summary": summary,
                   "vulnerabilities": [{"package": {"ecosystem": "rust", "name": package}}]})
        };
        let all = vec![
            a(
                "GHSA-2222-3333-4444",
                "triage",
                "Out-of-bounds read",
                "minicrate",
            ),
            a("GHSA-3333-4444-5555", "draft", "minicrate: a panic", ""),
            a(
                "GHSA-4444-5555-6666",
                "published",
                "minicrate: old",
                "minicrate",
            ),
            a(
                "GHSA-5555-6666-7777",
                "triage",
                "minicrates is another crate",
                "other",
            ),
            a(
                "GHSA-6666-7777-8888",
                "closed",
                "minicrate: rejected",
                "minicrate",
            ),
        ];
        let ids = |found: Vec<Value>| -> Vec<String> {
            found
                .iter()
                .map(|f| f["ghsa_id"].as_str().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(
            ids(candidates(&all, &[], "minicrate")),
            ["GHSA-2222-3333-4444", "GHSA-3333-4444-5555"]
        );
        assert_eq!(
            ids(candidates(
                &all,
                &["GHSA-4444-5555-6666".into()],
                "minicrate"
            )),
            ["GHSA-4444-5555-6666"]
        );
        // A closed one named with --advisory is not adopted: the open reports are the candidates.
        assert_eq!(
            ids(candidates(
                &all,
                &["GHSA-6666-7777-8888".into()],
                "minicrate"
            ))
            .len(),
            2
        );
    }

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
