//! `caro-hotfix follow-up [--version X.Y.Z] [--json]`: after disclosure, one screen of what is
//! still to happen, every row checked live from the finished hotfix's record in `history/` — the
//! GitHub advisory published; the CVE GitHub assigned and where it has reached; the advisory
//! reviewed into GitHub's Advisory Database (what Dependabot reads); the RustSec advisory; the
//! patched and vulnerable versions on the registry; the fix on every branch. A row that cannot be
//! checked says so. A CVE or RUSTSEC id that has appeared is added, after a typed `yes`, where it
//! can still be (the advisory's references, the release notes, the RustSec PR, the announcement).
//! The incident report is refreshed.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::cli::GlobalOpts;
use crate::config::Config;
use crate::error::Usage;
use crate::flow::Ctx;
use crate::hotfix::report::{self, Row, State};
use crate::hotfix::{advisory, rustsec_pr};
use crate::io::Io;
use crate::logic::{registry, rustsec_draft};
use crate::ops::index::{self, IndexFile};
use crate::record::{store, Hotfix, Layout, Tracked};

pub fn run(g: &GlobalOpts, io: Io, version: Option<String>, json: bool) -> Result<()> {
    let env = io.environment();
    let clock = env.clock().map_err(|e| Usage(format!("{e:#}")))?;
    let mut runner = super::runner_for(&io, &env, false);
    let (top, layout) = super::locate(g, &io, &mut runner)?;
    let (rec, file) = archived(&layout, version.as_deref())?;
    let ui = io.ui.clone();
    // Machines are never asked; without a terminal the screen is shown and nothing is added.
    let asking = !json && (io.backend.is_some() || crate::prompt::can_ask());
    let prompter = if asking {
        super::prompter(io.backend, g, &ui)?
    } else {
        crate::prompt::Prompter::new(Box::new(crate::prompt::Defaults::new(ui.clone())))
    };
    let project = std::fs::read_to_string(top.join("Cargo.toml"))
        .ok()
        .and_then(|m| Config::from_manifest(&m).ok())
        .unwrap_or_default();
    let request = rec.request.clone();
    let session = super::Session {
        lock: None,
        ui,
        runner,
        prompter,
        repo: top,
        layout: layout.clone(),
        project,
        env,
        clock,
    };
    let mut ctx = super::context(session, g, rec, &request, None)?;
    ctx.layout = Some(layout.clone());

    let mut found = check(&mut ctx)?;
    if json {
        let value = json!({
            "hotfix": ctx.rec.label(),
            "record": ctx.shown(&file),
            "rows": found.rows,
        });
        ctx.ui.data(serde_json::to_string_pretty(&value)?);
    } else {
        show(&ctx, &found.rows);
        if asking && !found.missing.is_empty() && add(&mut ctx, &found)? {
            found = check(&mut ctx)?;
            ctx.ui.blank();
            show(&ctx, &found.rows);
        }
    }
    // What was learnt (the CVE, the RUSTSEC id) stays with the archived record.
    ctx.runner.take_journal();
    crate::fsx::write_atomic(&file, store::to_toml(&ctx.rec)?.as_bytes())?;
    let live = report::Live {
        rows: Some(found.rows),
        approved_by: crate::hotfix::approvals(&mut ctx),
        written_at: ctx.clock.now(),
    };
    let path = layout.history().join(report::file_name(&ctx.rec));
    crate::fsx::write_atomic(&path, report::render(&ctx.rec, &live).as_bytes())?;
    if !json {
        ctx.ui.blank();
        ctx.ui.line(format!(
            "The incident report is refreshed: {}",
            ctx.shown(&path)
        ));
    }
    Ok(())
}

/// The finished hotfix to follow: `--version`, else the newest in `history/`.
fn archived(layout: &Layout, version: Option<&str>) -> Result<(Hotfix, PathBuf)> {
    let history = layout.history();
    if let Some(v) = version {
        let v = v.trim_start_matches('v');
        let path = history.join(format!("{v}.toml"));
        let rec = store::load::<Hotfix>(&path)?.ok_or_else(|| {
            Usage(format!(
                "--version {v}: no finished hotfix of that version in .git/caro-hotfix/history/ \
                 (give the version a hotfix released, e.g. 1.0.11)"
            ))
        })?;
        return Ok((rec, path));
    }
    let newest = store::completed(&history)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Usage(
            "no finished hotfix in .git/caro-hotfix/history/: follow-up follows a hotfix once it \
             is complete (`caro-hotfix status` shows the one in progress)"
                .into(),
        )
        })?;
    let path = history.join(format!("{}.toml", newest.history_name()));
    Ok((newest, path))
}

/// Where a newly known id is still missing.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// The GitHub advisory's references (its description, as this tool wrote it).
    AdvisoryReferences(String),
    ReleaseNotes(String, String),
    RustsecDraft(String),
    RustsecPr(String),
    Announcement(String),
}

struct Found {
    rows: Vec<Row>,
    missing: Vec<Place>,
}

fn row(key: &'static str, title: &str, state: State, detail: String, todo: Vec<String>) -> Row {
    Row {
        key,
        title: title.to_string(),
        state,
        detail: vec![detail],
        todo,
    }
}

/// Every row, checked now.
fn check(ctx: &mut Ctx<Hotfix>) -> Result<Found> {
    let mut missing = Vec::new();
    let held = ctx
        .rec
        .ghsa_id
        .clone()
        .map(|ghsa| ctx.gh().advisory(&ghsa, "{}").map_err(|e| format!("{e:#}")));

    if let Some(Ok(held)) = &held {
        advisory::note_cve(&mut ctx.rec, held);
    }
    let global = global_advisory(ctx);
    let rustsec = rustsec_row(ctx);
    let rows = vec![
        advisory_row(ctx, &held),
        cve_row(ctx, &held, &mut missing)?,
        database_row(ctx, &global),
        references(rustsec, &held, &mut missing),
        registry_row(ctx),
        branches_row(ctx),
    ];
    Ok(Found { rows, missing })
}

fn advisory_row(ctx: &Ctx<Hotfix>, held: &Option<Result<Value, String>>) -> Row {
    const T: &str = "GitHub advisory published";
    let repo_url = ctx
        .rec
        .github
        .as_ref()
        .map(|g| g.url.clone())
        .unwrap_or_default();
    let (Some(ghsa), Some(url)) = (ctx.rec.ghsa_id.clone(), ctx.rec.advisory_url.clone()) else {
        return row(
            "advisory",
            T,
            State::Open,
            "no GitHub advisory was created for this hotfix".into(),
            vec![format!("create it: {repo_url}/security/advisories/new")],
        );
    };
    match held {
        Some(Ok(a)) if a["state"] == "published" => row(
            "advisory",
            T,
            State::Done,
            format!(
                "{ghsa} published {}: {url}",
                a["published_at"].as_str().unwrap_or("")
            ),
            vec![],
        ),
        Some(Ok(a)) => {
            let repo = ctx
                .rec
                .github
                .as_ref()
                .map(|g| g.repo.clone())
                .unwrap_or_default();
            row(
                "advisory",
                T,
                State::Open,
                format!("{ghsa} is a {}", a["state"].as_str().unwrap_or("draft")),
                vec![advisory::by_hand(&url, &repo, &ghsa)],
            )
        }
        _ => unknown("advisory", T, held),
    }
}

fn unknown(key: &'static str, title: &str, held: &Option<Result<Value, String>>) -> Row {
    let why = match held {
        Some(Err(e)) => e.clone(),
        _ => "no advisory".into(),
    };
    row(
        key,
        title,
        State::Unknown,
        format!("could not be checked: {why}"),
        vec!["check `gh auth status`, then run `caro-hotfix follow-up` again".into()],
    )
}

/// The CVE: requested, assigned, and where the assigned id has reached.
fn cve_row(
    ctx: &mut Ctx<Hotfix>,
    held: &Option<Result<Value, String>>,
    missing: &mut Vec<Place>,
) -> Result<Row> {
    const T: &str = "CVE";
    let cve = ctx.rec.cve_id.clone().or_else(|| {
        ctx.rec
            .incident
            .advisory_ids
            .iter()
            .find(|id| id.starts_with("CVE-"))
            .cloned()
    });
    let Some(cve) = cve else {
        if matches!(held, Some(Err(_))) {
            return Ok(unknown("cve", T, held));
        }
        let url = ctx.rec.advisory_url.clone().unwrap_or_default();
        return Ok(if ctx.rec.cve_requested {
            row(
                "cve",
                T,
                State::Open,
                "requested; GitHub has not assigned it yet (it reviews CVE requests, usually \
                 within 72 hours)"
                    .into(),
                vec!["run `caro-hotfix follow-up` again later".into()],
            )
        } else {
            row(
                "cve",
                T,
                State::Open,
                "none requested".into(),
                vec![format!(
                    "if users need a CVE id, request one on the advisory's page (“Request CVE”): {url}"
                )],
            )
        });
    };
    let mut t = Tally {
        reached: vec!["the GitHub advisory".to_string()],
        lacking: Vec::new(),
    };
    if let Some(Ok(a)) = held {
        let text = a["description"].as_str().unwrap_or("");
        t.note(
            text.contains(&cve),
            "the advisory's references".into(),
            Place::AdvisoryReferences(cve.clone()),
            missing,
        );
    }
    let tags: Vec<String> = ctx.rec.plans().iter().map(|p| p.tag.clone()).collect();
    for tag in tags {
        match ctx.gh().release_notes(&tag) {
            Ok(Some(body)) => t.note(
                body.contains(&cve),
                format!("the release notes of {tag}"),
                Place::ReleaseNotes(tag.clone(), cve.clone()),
                missing,
            ),
            Ok(None) => t
                .lacking
                .push(format!("the release notes of {tag} (no GitHub release)")),
            Err(e) => t.lacking.push(format!(
                "the release notes of {tag} (could not be read: {e:#})"
            )),
        }
    }
    if let Some(draft) = ctx.rec.rustsec_draft.clone() {
        let text = std::fs::read_to_string(&draft).unwrap_or_default();
        t.note(
            text.contains(&cve),
            "the RustSec draft".into(),
            Place::RustsecDraft(cve.clone()),
            missing,
        );
    }
    if let Some((fork, branch)) = open_rustsec_pr(ctx) {
        let crate_name = ctx.plan()?.crate_name.clone();
        let path = format!(
            "repos/{fork}/contents/crates/{crate_name}/{}.md?ref={branch}",
            rustsec_draft::PLACEHOLDER_ID
        );
        let text = file_text(ctx, &path);
        t.note(
            text.as_deref().is_some_and(|t| t.contains(&cve)),
            "the RustSec PR".into(),
            Place::RustsecPr(cve.clone()),
            missing,
        );
    }
    if let Some(layout) = ctx.layout.clone() {
        let file = layout.kept("announcement.md");
        if let Ok(text) = std::fs::read_to_string(&file) {
            t.note(
                text.contains(&cve),
                "the announcement".into(),
                Place::Announcement(cve.clone()),
                missing,
            );
        }
    }
    let detail = format!("{cve} assigned; in {}", t.reached.join(", "));
    Ok(if t.lacking.is_empty() {
        row("cve", T, State::Done, detail, vec![])
    } else {
        Row {
            key: "cve",
            title: T.into(),
            state: State::Open,
            detail: vec![detail, format!("not yet in {}", t.lacking.join(", "))],
            todo: vec![format!(
                "`caro-hotfix follow-up` adds {cve} there after a typed `yes`"
            )],
        }
    })
}

/// Where an id has reached, and where not.
struct Tally {
    reached: Vec<String>,
    lacking: Vec<String>,
}

impl Tally {
    fn note(&mut self, present: bool, what: String, place: Place, missing: &mut Vec<Place>) {
        if present {
            self.reached.push(what);
        } else {
            self.lacking.push(what);
            missing.push(place);
        }
    }
}

/// The RustSec PR's fork and branch while it is open (its file can still change).
fn open_rustsec_pr(ctx: &mut Ctx<Hotfix>) -> Option<(String, String)> {
    let pr = ctx.rec.rustsec_pr.clone()?;
    let state = pr_state(ctx, pr.url.as_deref()?, true)?;
    (state == "OPEN" && !pr.fork.is_empty()).then_some((pr.fork, pr.branch))
}

/// A PR's state (`OPEN`, `MERGED`, `CLOSED`) from its URL; `rustsec`: a PR of advisory-db.
fn pr_state(ctx: &mut Ctx<Hotfix>, url: &str, rustsec: bool) -> Option<String> {
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
fn file_text(ctx: &mut Ctx<Hotfix>, path: &str) -> Option<String> {
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
fn decode_base64(text: &str) -> Option<Vec<u8>> {
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
fn global_advisory(ctx: &mut Ctx<Hotfix>) -> Option<Result<Option<Value>, String>> {
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

fn database_row(ctx: &Ctx<Hotfix>, global: &Option<Result<Option<Value>, String>>) -> Row {
    const T: &str = "GitHub's Advisory Database (Dependabot)";
    let ghsa = ctx.rec.ghsa_id.clone().unwrap_or_default();
    match global {
        None => row(
            "database",
            T,
            State::Open,
            "the advisory is not published: GitHub reviews only published advisories".into(),
            vec!["publish the advisory first (the row above)".into()],
        ),
        Some(Ok(Some(a))) if a["type"] == "reviewed" => row(
            "database",
            T,
            State::Done,
            format!(
                "{ghsa} reviewed {}: Dependabot alerts its users: {}",
                a["github_reviewed_at"].as_str().unwrap_or(""),
                a["html_url"].as_str().unwrap_or("")
            ),
            vec![],
        ),
        Some(Ok(Some(a))) => row(
            "database",
            T,
            State::Open,
            format!(
                "{ghsa} is in the database, {}: Dependabot does not alert on it yet",
                a["type"].as_str().unwrap_or("not reviewed")
            ),
            vec!["nothing to do: GitHub's curators review it; check again later".into()],
        ),
        Some(Ok(None)) => row(
            "database",
            T,
            State::Open,
            format!("{ghsa} is not in GitHub's Advisory Database yet"),
            vec![
                "nothing to do: GitHub reviews published repository advisories into it; check \
                 again later"
                    .into(),
            ],
        ),
        Some(Err(e)) => row(
            "database",
            T,
            State::Unknown,
            format!("could not be checked: {e}"),
            vec!["run `caro-hotfix follow-up` again".into()],
        ),
    }
}

/// The RustSec advisory: given, or the PR's state and the id it was given.
enum Rustsec {
    Id(String, String),
    Row(Row),
}

fn rustsec_row(ctx: &mut Ctx<Hotfix>) -> Rustsec {
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
fn assigned(ctx: &mut Ctx<Hotfix>, crate_name: &str) -> Option<String> {
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
fn references(
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

/// Every patched version visible and not yanked; every vulnerable version's yank state.
fn registry_row(ctx: &mut Ctx<Hotfix>) -> Row {
    const T: &str = "Versions on the registry";
    let plans: Vec<crate::record::Plan> = ctx.rec.plans().into_iter().cloned().collect();
    let mut detail = Vec::new();
    let mut todo = Vec::new();
    let mut state = State::Done;
    for plan in plans {
        let file = ctx
            .index_url(&plan.crate_name)
            .and_then(|url| index::fetch(&mut ctx.runner, &url));
        let file = match file {
            Ok(IndexFile::Found(file)) => file,
            Ok(IndexFile::Missing) => String::new(),
            Ok(IndexFile::RateLimited(_)) | Err(_) => {
                state = State::Unknown;
                detail.push(format!(
                    "{} {}: the registry's index could not be read",
                    plan.crate_name, plan.version
                ));
                continue;
            }
        };
        match registry::version_line(&file, &plan.version) {
            Some(false) => detail.push(format!(
                "{} {} is on the registry, not yanked",
                plan.crate_name, plan.version
            )),
            Some(true) => {
                state = State::Open;
                detail.push(format!("{} {} is YANKED", plan.crate_name, plan.version));
                todo.push(format!(
                    "un-yank it if that was not meant: cargo yank --undo {}@{}",
                    plan.crate_name, plan.version
                ));
            }
            None => {
                state = State::Open;
                detail.push(format!(
                    "{} {} is not on the registry",
                    plan.crate_name, plan.version
                ));
                todo.push(format!("publish it from the tag {}", plan.tag));
            }
        }
        if let Some(a) = &ctx.rec.affected {
            let mut yanked = Vec::new();
            let mut kept = Vec::new();
            for (v, y) in registry::versions(&file) {
                let Ok(version) = semver::Version::parse(&v) else {
                    continue;
                };
                if a.lines
                    .iter()
                    .any(|l| version >= l.first && version <= l.last)
                {
                    if y {
                        yanked.push(v)
                    } else {
                        kept.push(v)
                    }
                }
            }
            if !yanked.is_empty() {
                detail.push(format!("vulnerable, yanked: {}", yanked.join(", ")));
            }
            if !kept.is_empty() {
                detail.push(format!("vulnerable, not yanked: {}", kept.join(", ")));
            }
        }
    }
    Row {
        key: "registry",
        title: T.into(),
        state,
        detail,
        todo,
    }
}

/// The fix on every branch it should reach: step 15's table, checked again.
fn branches_row(ctx: &mut Ctx<Hotfix>) -> Row {
    const T: &str = "The fix on every branch";
    let mut detail = Vec::new();
    let mut todo = Vec::new();
    let mut state = State::Done;
    let remote = ctx.rec.request.remote.clone();
    let plans: Vec<crate::record::Plan> = ctx.rec.plans().into_iter().cloned().collect();
    for plan in &plans {
        match ctx.git().remote_tag_commit(&remote, &plan.tag) {
            Ok(Some(_)) => detail.push(format!(
                "{}: has the fix (released as {}, the tag is on {remote})",
                plan.base_branch, plan.tag
            )),
            Ok(None) => {
                state = State::Open;
                detail.push(format!(
                    "{}: the tag {} is not on {remote}",
                    plan.base_branch, plan.tag
                ));
                todo.push(format!("git push {remote} {}", plan.tag));
            }
            Err(e) => {
                state = State::Unknown;
                detail.push(format!(
                    "{}: could not be checked ({e:#})",
                    plan.base_branch
                ));
            }
        }
    }
    let mut prs: Vec<(String, String)> = Vec::new();
    if let Some(url) = ctx.rec.forward_port.clone() {
        let trunk = plans.first().map(|p| p.trunk.clone()).unwrap_or_default();
        prs.push((trunk, url));
    }
    prs.extend(
        ctx.rec
            .backports
            .iter()
            .map(|b| (b.branch.clone(), b.url.clone())),
    );
    for (branch, url) in &prs {
        match pr_state(ctx, url, false).as_deref() {
            Some("MERGED") => detail.push(format!("{branch}: has the fix ({url} merged)")),
            Some(s) => {
                if state == State::Done {
                    state = State::Open;
                }
                detail.push(format!(
                    "{branch}: the PR is {}: {url}",
                    s.to_ascii_lowercase()
                ));
                todo.push(format!("review and merge {url}"));
            }
            None => {
                state = State::Unknown;
                detail.push(format!("{branch}: {url} could not be read"));
            }
        }
    }
    let covered: Vec<String> = plans
        .iter()
        .map(|p| p.base_branch.clone())
        .chain(prs.iter().map(|(b, _)| b.clone()))
        .collect();
    for b in ctx.settings.release_branches.clone() {
        if !covered.contains(&b) {
            state = State::Open;
            detail.push(format!("{b}: no backport was opened"));
            todo.push(format!(
                "cherry-pick the fix commits onto a branch from {b} and open a PR into it"
            ));
        }
    }
    Row {
        key: "branches",
        title: T.into(),
        state,
        detail,
        todo,
    }
}

/// The one screen.
fn show(ctx: &Ctx<Hotfix>, rows: &[Row]) {
    ctx.ui.data(format!(
        "Follow-up of {} {}: {}",
        ctx.rec
            .plan
            .as_ref()
            .map(|p| p.crate_name.as_str())
            .unwrap_or(""),
        ctx.rec.label(),
        ctx.rec.incident.description.lines().next().unwrap_or("")
    ));
    for r in rows {
        ctx.ui.data(format!("{} {}", r.state.mark(), r.title));
        for d in &r.detail {
            ctx.ui.data(format!("    {d}"));
        }
        for t in &r.todo {
            ctx.ui.data(format!("    → {t}"));
        }
    }
    let open = rows.iter().filter(|r| r.state != State::Done).count();
    ctx.ui.data(if open == 0 {
        "Every follow-up is done.".to_string()
    } else {
        format!(
            "{} of {} not done yet (✓ done, · not yet, ? could not be checked).",
            open,
            rows.len()
        )
    });
}

/// Adds the new ids where they are missing, after a typed `yes`. Returns whether anything changed.
fn add(ctx: &mut Ctx<Hotfix>, found: &Found) -> Result<bool> {
    let ids: Vec<String> = {
        let ids: Vec<String> = found
            .missing
            .iter()
            .map(|p| match p {
                Place::AdvisoryReferences(id)
                | Place::ReleaseNotes(_, id)
                | Place::RustsecDraft(id)
                | Place::RustsecPr(id)
                | Place::Announcement(id) => id.clone(),
            })
            .collect();
        let mut unique = Vec::new();
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        unique
    };
    ctx.ui.blank();
    if !ctx.prompter.typed(
        &format!(
            "Add {} where it is missing? (type 'yes')",
            ids.join(" and ")
        ),
        "yes",
    )? {
        ctx.ui.info("Nothing was added.");
        return Ok(false);
    }
    let mut draft_written = false;
    for place in &found.missing {
        let done = match place {
            Place::AdvisoryReferences(id) => {
                let ghsa = ctx.rec.ghsa_id.clone().unwrap_or_default();
                advisory::update(ctx, &ghsa)?;
                // Sent only when the description is still as this tool wrote it: read it back.
                let now = ctx.gh().advisory(&ghsa, "{}")?;
                if now["description"]
                    .as_str()
                    .unwrap_or("")
                    .contains(id.as_str())
                {
                    Some(format!(
                        "Added {id} to the references of the advisory {ghsa}"
                    ))
                } else {
                    ctx.ui.warn(format!(
                        "the advisory's description was edited on GitHub, so it is kept: add {id} \
                         to its references on its page: {}",
                        ctx.rec.advisory_url.clone().unwrap_or_default()
                    ));
                    None
                }
            }
            Place::ReleaseNotes(tag, cve) => release_notes(ctx, tag, cve)?,
            Place::RustsecDraft(cve) => {
                rustsec_pr::write_draft(ctx)?;
                draft_written = true;
                Some(format!("Added {cve} to the RustSec draft's aliases"))
            }
            Place::RustsecPr(cve) => {
                if !draft_written {
                    rustsec_pr::write_draft(ctx)?;
                    draft_written = true;
                }
                update_rustsec_pr(ctx, cve)?
            }
            Place::Announcement(cve) => {
                let facts = ctx.facts()?;
                let text = crate::texts::announcement(&facts, ctx.rec.advisory_url.as_deref());
                ctx.keep_file("announcement.md", &text)?;
                Some(format!(
                    "Added {cve} to the announcement (.git/caro-hotfix/announcement.md)"
                ))
            }
        };
        if let Some(done) = done {
            ctx.remote_ok(done);
        }
    }
    Ok(true)
}

/// The release's notes with a line naming the CVE.
fn release_notes(ctx: &mut Ctx<Hotfix>, tag: &str, cve: &str) -> Result<Option<String>> {
    let Some(body) = ctx.gh().release_notes(tag)? else {
        return Ok(None);
    };
    let advisory = ctx.rec.advisory_url.clone().unwrap_or_default();
    let text = format!("{}\n\n**{cve}**: {advisory}\n", body.trim_end());
    let file = ctx.keep_file(&format!("release-notes-{tag}.md"), &text)?;
    let out = ctx.gh().edit_release_notes(tag, &file)?;
    if !out.success() {
        ctx.ui.warn(format!(
            "GitHub did not update the release notes of {tag}: {}",
            advisory::github_said(&out)
        ));
        return Ok(None);
    }
    Ok(Some(format!("Added {cve} to the release notes of {tag}")))
}

/// The RustSec PR's file with the CVE among its aliases: a commit on top of its branch.
fn update_rustsec_pr(ctx: &mut Ctx<Hotfix>, cve: &str) -> Result<Option<String>> {
    let (Some(pr), Some(github), Some(draft)) = (
        ctx.rec.rustsec_pr.clone(),
        ctx.rec.github.clone(),
        ctx.rec.rustsec_draft.clone(),
    ) else {
        return Ok(None);
    };
    let fork_url = format!("{}/{}.git", rustsec_pr::web_root(&github.url), pr.fork);
    let crate_name = ctx.plan()?.crate_name.clone();
    let from = (fork_url.clone(), pr.branch.clone());
    rustsec_pr::push_branch(
        ctx,
        &from,
        &fork_url,
        Path::new(&draft),
        &crate_name,
        &pr.branch,
        &format!("Add {cve} to the aliases"),
    )
    .context("could not update the RustSec PR's branch")?;
    Ok(Some(format!(
        "Added {cve} to the RustSec PR: {}",
        pr.url.unwrap_or_default()
    )))
}
