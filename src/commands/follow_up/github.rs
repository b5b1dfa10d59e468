//! What `follow-up` reads from GitHub beyond the advisory: the RustSec PR and its id in advisory-db,
//! the files of a repository, GitHub's Advisory Database.

use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use crate::flow::Ctx;
use crate::hotfix::report::{Row, State};
use crate::hotfix::rustsec_pr;
use crate::logic::rustsec_draft;
use crate::record::Hotfix;

use super::rows::{row, Place};

/// The RustSec PR's fork and branch while it is open (its file can still change).
pub(super) fn open_rustsec_pr(ctx: &mut Ctx<Hotfix>) -> Option<(String, String)> {
    let pr = ctx.rec.rustsec_pr.clone()?;
    let state = pr_state(ctx, pr.url.as_deref()?, true)?;
    (state == "OPEN" && !pr.fork.is_empty()).then_some((pr.fork, pr.branch))
}

/// A PR's state (`OPEN`, `MERGED`, `CLOSED`) from its URL; `rustsec`: a PR of advisory-db.
pub(super) fn pr_state(ctx: &mut Ctx<Hotfix>, url: &str, rustsec: bool) -> Option<String> {
    let number: u64 = url.rsplit('/').next()?.parse().ok()?;
    let simulated = format!("{{\"number\":{number},\"url\":\"{url}\",\"state\":\"OPEN\"}}");
    let pr = if rustsec {
        let upstream = rustsec_pr::upstream(ctx.rec.github.as_ref()?);
        rustsec_pr::gh_on(ctx, &upstream)
            .view_pr(number, "number,url,state", &simulated)
            .ok()?
    } else {
        ctx.gh()
            .view_pr(number, "number,url,state", &simulated)
            .ok()?
    };
    Some(pr.state)
}

/// A file's text from the contents API (`path` with its `?ref=`); `None` when there is none.
pub(super) fn file_text(ctx: &mut Ctx<Hotfix>, path: &str) -> Option<String> {
    let github = ctx.rec.github.clone()?;
    let upstream = rustsec_pr::upstream(&github);
    let out = rustsec_pr::gh_on(ctx, &upstream)
        .get("read a file of advisory-db", path, "{}")
        .ok()?;
    if !out.success() {
        return None;
    }
    let v: Value = serde_json::from_str(&out.stdout).ok()?;
    let b64: String = v["content"].as_str()?.split_whitespace().collect();
    decode_base64(&b64).and_then(|b| String::from_utf8(b).ok())
}

/// Standard base64 (the contents API's encoding).
pub(super) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        for i in 0..take {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// `GET /advisories/GHSA`: `Ok(None)` when GitHub's Advisory Database does not have it (404).
pub(super) fn global_advisory(ctx: &mut Ctx<Hotfix>) -> Option<Result<Option<Value>, String>> {
    let ghsa = ctx.rec.ghsa_id.clone()?;
    if !ctx.rec.advisory_published {
        return None;
    }
    let out = match ctx.gh().get(
        "read the advisory in GitHub's Advisory Database",
        &format!("advisories/{ghsa}"),
        "{}",
    ) {
        Ok(out) => out,
        Err(e) => return Some(Err(format!("{e:#}"))),
    };
    if out.success() {
        return Some(
            serde_json::from_str(&out.stdout)
                .map(Some)
                .map_err(|e| format!("GitHub's answer is not JSON: {e}")),
        );
    }
    if out.stderr.contains("404") || out.stderr.contains("Not Found") {
        return Some(Ok(None));
    }
    Some(Err(out.stderr.trim().to_string()))
}

/// The RustSec advisory: given, or the PR's state and the id it was given.
pub(super) enum Rustsec {
    Id(String, String),
    Row(Row),
}

pub(super) fn rustsec_row(ctx: &mut Ctx<Hotfix>) -> Rustsec {
    const T: &str = "RustSec advisory (cargo audit, cargo deny)";
    if let Some(id) = ctx
        .rec
        .incident
        .advisory_ids
        .iter()
        .find(|id| id.starts_with("RUSTSEC-"))
        .cloned()
    {
        let why = if ctx.rec.rustsec_pr.is_some() {
            "assigned by RustSec"
        } else {
            "given when the hotfix started"
        };
        return Rustsec::Id(id, why.into());
    }
    let draft = ctx.rec.rustsec_draft.clone().unwrap_or_default();
    let crate_name = ctx
        .rec
        .plan
        .as_ref()
        .map(|p| p.crate_name.clone())
        .unwrap_or_default();
    let Some(url) = ctx.rec.rustsec_pr.as_ref().and_then(|p| p.url.clone()) else {
        let todo = if ctx.rec.advisory_published {
            rustsec_pr::by_hand(Path::new(&draft), &crate_name, "rustsec-advisory")
        } else {
            "publish the GitHub advisory first: RustSec takes no embargoed vulnerability".into()
        };
        return Rustsec::Row(row(
            "rustsec",
            T,
            State::Open,
            "no PR to rustsec/advisory-db".into(),
            vec![todo],
        ));
    };
    match pr_state(ctx, &url, true).as_deref() {
        Some("MERGED") => match assigned(ctx, &crate_name) {
            Some(id) => {
                if !ctx.rec.incident.advisory_ids.contains(&id) {
                    ctx.rec.incident.advisory_ids.push(id.clone());
                }
                Rustsec::Id(id, format!("the PR is merged: {url}"))
            }
            None => Rustsec::Row(row(
                "rustsec",
                T,
                State::Open,
                format!("the PR is merged, no RUSTSEC id assigned yet: {url}"),
                vec!["nothing to do: advisory-db's workflow assigns it shortly".into()],
            )),
        },
        Some("OPEN") => Rustsec::Row(row(
            "rustsec",
            T,
            State::Open,
            format!("the PR is open, under review: {url}"),
            vec!["answer its reviewers; its maintainers merge it and assign the id".into()],
        )),
        Some(other) => Rustsec::Row(row(
            "rustsec",
            T,
            State::Open,
            format!("the PR is {}: {url}", other.to_ascii_lowercase()),
            vec!["read its review, then open a new PR".into()],
        )),
        None => Rustsec::Row(row(
            "rustsec",
            T,
            State::Unknown,
            format!("could not be checked: the PR {url} could not be read"),
            vec!["run `caro-hotfix follow-up` again".into()],
        )),
    }
}

/// The RUSTSEC id advisory-db gave this incident: a file of `crates/<crate>/` naming the GHSA.
pub(super) fn assigned(ctx: &mut Ctx<Hotfix>, crate_name: &str) -> Option<String> {
    let ghsa = ctx.rec.ghsa_id.clone()?;
    let github = ctx.rec.github.clone()?;
    let upstream = rustsec_pr::upstream(&github);
    let listing = rustsec_pr::gh_on(ctx, &upstream)
        .get(
            "list the crate's advisories in advisory-db",
            &format!(
                "repos/{}/contents/crates/{crate_name}",
                rustsec_pr::UPSTREAM
            ),
            "[]",
        )
        .ok()?;
    let items: Vec<Value> = serde_json::from_str(&listing.stdout).ok()?;
    for item in items {
        let name = item["name"].as_str().unwrap_or("");
        if !name.starts_with("RUSTSEC-") || name.starts_with(rustsec_draft::PLACEHOLDER_ID) {
            continue;
        }
        let path = format!(
            "repos/{}/contents/crates/{crate_name}/{name}",
            rustsec_pr::UPSTREAM
        );
        if let Some(id) = file_text(ctx, &path).and_then(|t| rustsec_draft::assigned_id(&t, &ghsa))
        {
            return Some(id);
        }
    }
    None
}

/// The RustSec row, done once its id is known and the GitHub advisory's references name it.
pub(super) fn references(
    rustsec: Rustsec,
    held: &Option<Result<Value, String>>,
    missing: &mut Vec<Place>,
) -> Row {
    const T: &str = "RustSec advisory (cargo audit, cargo deny)";
    let (id, why) = match rustsec {
        Rustsec::Row(r) => return r,
        Rustsec::Id(id, why) => (id, why),
    };
    let url = format!("https://rustsec.org/advisories/{id}.html");
    match held {
        Some(Ok(a)) if !a["description"].as_str().unwrap_or("").contains(&id) => {
            missing.push(Place::AdvisoryReferences(id.clone()));
            Row {
                key: "rustsec",
                title: T.into(),
                state: State::Open,
                detail: vec![
                    format!("{id} ({why}): {url}"),
                    "the GitHub advisory's references do not name it yet".into(),
                ],
                todo: vec![format!(
                    "`caro-hotfix follow-up` adds {id} to them after a typed `yes`"
                )],
            }
        }
        _ => row(
            "rustsec",
            T,
            State::Done,
            format!("{id} ({why}): {url}"),
            vec![],
        ),
    }
}
