//! The rows of `follow-up`: each checked live, with what to do when it is not done.

use anyhow::Result;
use serde_json::Value;

use crate::flow::Ctx;
use crate::hotfix::advisory;
use crate::hotfix::report::{Row, State};
use crate::logic::{registry, rustsec_draft};
use crate::ops::index::{self, IndexFile};
use crate::record::Hotfix;

use super::github::{
    file_text, global_advisory, open_rustsec_pr, pr_state, references, rustsec_row,
};

/// Where a newly known id is still missing.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Place {
    /// The GitHub advisory's references (its description, as this tool wrote it).
    AdvisoryReferences(String),
    ReleaseNotes(String, String),
    RustsecDraft(String),
    RustsecPr(String),
    Announcement(String),
}

pub(super) struct Found {
    pub(super) rows: Vec<Row>,
    pub(super) missing: Vec<Place>,
}

pub(super) fn row(
    key: &'static str,
    title: &str,
    state: State,
    detail: String,
    todo: Vec<String>,
) -> Row {
    Row {
        key,
        title: title.to_string(),
        state,
        detail: vec![detail],
        todo,
    }
}

/// Every row, checked now.
pub(super) fn check(ctx: &mut Ctx<Hotfix>) -> Result<Found> {
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

pub(super) fn advisory_row(ctx: &Ctx<Hotfix>, held: &Option<Result<Value, String>>) -> Row {
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

pub(super) fn unknown(key: &'static str, title: &str, held: &Option<Result<Value, String>>) -> Row {
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
pub(super) fn cve_row(
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
pub(super) struct Tally {
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

pub(super) fn database_row(
    ctx: &Ctx<Hotfix>,
    global: &Option<Result<Option<Value>, String>>,
) -> Row {
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

/// Every patched version visible and not yanked; every vulnerable version's yank state.
pub(super) fn registry_row(ctx: &mut Ctx<Hotfix>) -> Row {
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
pub(super) fn branches_row(ctx: &mut Ctx<Hotfix>) -> Row {
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
