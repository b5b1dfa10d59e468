//! The incident report, `.git/caro-hotfix/history/<version>.md`: written at step 16 and refreshed
//! by `caro-hotfix follow-up`, from the record and its journal — the timeline (each step's start,
//! end and duration; the waits for CI, review and the registry; who approved the PR; the typed
//! confirmations), the exposure window, every artifact with its URL, the open follow-ups, and a
//! retrospective skeleton for the maintainer to fill in. [`render`] is a view: no I/O.

use serde::Serialize;

use crate::record::{Hotfix, StepStatus};

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Done,
    Open,
    /// Could not be checked (no network, no permission): said, never guessed.
    Unknown,
}

impl State {
    pub fn mark(self) -> &'static str {
        match self {
            State::Done => "✓",
            State::Open => "·",
            State::Unknown => "?",
        }
    }
}

/// One row of `follow-up`: what is checked, where it stands, and what to do if it is not done.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub key: &'static str,
    pub title: String,
    pub state: State,
    pub detail: Vec<String>,
    pub todo: Vec<String>,
}

/// What was read from GitHub for the report (none at all is said, not guessed).
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// The follow-up rows, when `follow-up` checked them.
    pub rows: Option<Vec<Row>>,
    /// Who approved the PR, as GitHub reports the reviews; `None` when it was not read.
    pub approved_by: Option<Vec<String>>,
    /// When this report was written.
    pub written_at: String,
}

/// The report's file name in `history/`.
pub fn file_name(rec: &Hotfix) -> String {
    format!("{}.md", crate::record::Tracked::history_name(rec))
}

/// `1 h 02 min`, `3 min 05 s`, `12 s` between two recorded times; `None` when either is missing.
pub fn between(from: Option<&str>, to: Option<&str>) -> Option<String> {
    let from: jiff::Timestamp = from?.parse().ok()?;
    let to: jiff::Timestamp = to?.parse().ok()?;
    let secs = to.as_second() - from.as_second();
    Some(duration(secs.max(0) as f64))
}

fn duration(secs: f64) -> String {
    let s = secs.round() as i64;
    match s {
        s if s >= 86_400 => format!("{} d {:02} h", s / 86_400, (s % 86_400) / 3600),
        s if s >= 3600 => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{} min {:02} s", s / 60, s % 60),
        s => format!("{s} s"),
    }
}

fn step_time(rec: &Hotfix, number: u8, finished: bool) -> Option<&str> {
    rec.steps.iter().find(|s| s.number == number).and_then(|s| {
        if finished {
            s.finished_at.as_deref()
        } else {
            s.started_at.as_deref()
        }
    })
}

/// The report's text.
pub fn render(rec: &Hotfix, live: &Live) -> String {
    let mut out = String::new();
    let tags: Vec<String> = rec.plans().iter().map(|p| p.tag.clone()).collect();
    let crate_name = rec
        .plan
        .as_ref()
        .map(|p| p.crate_name.clone())
        .unwrap_or_default();
    out += &format!(
        "# Incident report: {crate_name} {}\n\n{}\n\n",
        tags.join(", "),
        rec.incident.description.trim()
    );
    let severity = rec
        .incident
        .severity
        .map(|s| s.title().to_string())
        .unwrap_or_else(|| "not assessed".into());
    out += &format!("- Severity: {severity}\n");
    if !rec.incident.impact.trim().is_empty() {
        out += &format!("- Impact: {}\n", rec.incident.impact.trim());
    }
    let mut ids: Vec<String> = rec.ghsa_id.iter().cloned().collect();
    ids.extend(
        rec.incident
            .advisory_ids
            .iter()
            .filter(|id| Some(*id) != rec.ghsa_id.as_ref())
            .cloned(),
    );
    out += &format!(
        "- Advisory ids: {}\n",
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    );
    if let Some(m) = &rec.maintainer {
        out += &format!("- Maintainer: {m}\n");
    }
    out += &format!("- Started: {}\n", rec.run.started_at);
    if let Some(done) = &rec.run.completed_at {
        out += &format!(
            "- Completed: {done} ({})\n",
            between(Some(&rec.run.started_at), Some(done)).unwrap_or_default()
        );
    }
    out += &format!("- Report written: {}\n", live.written_at);

    out += "\n## Timeline\n\n| step | started | finished | took | note |\n|---|---|---|---|---|\n";
    let last = rec.steps.last().map(|s| s.number);
    for s in &rec.steps {
        // The last step ends when the hotfix is complete (the report is written inside it).
        let finished = s.finished_at.as_deref().or(if Some(s.number) == last {
            rec.run.completed_at.as_deref()
        } else {
            None
        });
        let took = between(s.started_at.as_deref(), finished).unwrap_or_else(|| match s.status {
            StepStatus::Skipped => "skipped".into(),
            StepStatus::Pending => "not run".into(),
            _ => "not finished".into(),
        });
        out += &format!(
            "| {}. {} | {} | {} | {took} | {} |\n",
            s.number,
            s.title,
            s.started_at.as_deref().unwrap_or("—"),
            finished.unwrap_or("—"),
            s.note.as_deref().unwrap_or("").replace('|', "\\|")
        );
    }

    out += "\n### Waits\n\n";
    for (number, what) in [
        (10, "CI and review (step 10)"),
        (12, "the publish and the registry (step 12)"),
    ] {
        let took = between(step_time(rec, number, false), step_time(rec, number, true))
            .unwrap_or_else(|| "not recorded".into());
        out += &format!("- {what}: {took}\n");
    }
    let watches: Vec<_> = rec
        .journal
        .iter()
        .filter(|e| e.argv.iter().any(|a| a == "--watch" || a == "watch"))
        .collect();
    for e in watches {
        out += &format!(
            "- `{}`: {}\n",
            e.argv.join(" "),
            duration(e.duration_ms / 1000.0)
        );
    }
    let polls: Vec<_> = rec
        .journal
        .iter()
        .filter(|e| e.argv.first().is_some_and(|p| p == "curl"))
        .collect();
    if !polls.is_empty() {
        let total: f64 = polls.iter().map(|e| e.duration_ms).sum();
        out += &format!(
            "- the registry read {}, {} in all\n",
            crate::ui::count(polls.len(), "time"),
            duration(total / 1000.0)
        );
    }

    out += "\n### Approvals and confirmations\n\n";
    match (&rec.pr, &live.approved_by) {
        (Some(pr), Some(by)) if !by.is_empty() => {
            out += &format!("- PR #{} approved by {}\n", pr.number, by.join(", "));
        }
        (Some(pr), Some(_)) => {
            out += &format!(
                "- PR #{} has no approving review on GitHub (merged after a typed `yes`)\n",
                pr.number
            );
        }
        (Some(pr), None) => {
            out += &format!(
                "- PR #{}: who approved it could not be read from GitHub\n",
                pr.number
            );
        }
        (None, _) => out += "- no PR was opened\n",
    }
    for c in &rec.confirmations {
        out += &format!(
            "- {} (step {}): “{}” — {}\n",
            c.at,
            c.step,
            c.question,
            if c.confirmed {
                "confirmed"
            } else {
                "not confirmed"
            }
        );
    }

    out += "\n## Exposure window\n\n";
    out += &exposure(rec);

    out += "\n## Artifacts\n\n";
    out += &artifacts(rec);

    out += "\n## Open follow-ups\n\n";
    match &live.rows {
        Some(rows) => {
            let open: Vec<&Row> = rows.iter().filter(|r| r.state != State::Done).collect();
            if open.is_empty() {
                out += "None: every follow-up is done.\n";
            }
            for r in open {
                let what = if r.state == State::Unknown {
                    "could not be checked"
                } else {
                    "not done"
                };
                out += &format!("- [ ] {} ({what}): {}\n", r.title, r.detail.join("; "));
                for t in &r.todo {
                    out += &format!("  - {t}\n");
                }
            }
            let done: Vec<&Row> = rows.iter().filter(|r| r.state == State::Done).collect();
            for r in done {
                out += &format!("- [x] {}: {}\n", r.title, r.detail.join("; "));
            }
        }
        None => {
            out += "Not checked yet: `caro-hotfix follow-up` checks each of them live (the \
                    advisory, the CVE, GitHub's Advisory Database, RustSec, the registry, the \
                    branches) and refreshes this report.\n";
        }
    }

    out += "\n## Retrospective\n\n\
            <!-- For the maintainers to fill in, within a few days, from the timeline above. -->\n\n\
            ### What went well\n\n- \n\n\
            ### What did not\n\n- \n\n\
            ### Actions\n\n- [ ] \n";
    out
}

/// From the fix becoming public (the PR, step 9) to the patched release (step 12) and to the
/// advisory (step 13).
fn exposure(rec: &Hotfix) -> String {
    let pr = step_time(rec, 9, true);
    let released = step_time(rec, 12, true);
    let advisory = rec
        .advisory_published
        .then(|| step_time(rec, 13, true))
        .flatten();
    let mut out = String::new();
    if let Some(a) = &rec.affected {
        let vulnerable: Vec<String> = a
            .lines
            .iter()
            .map(|l| match &l.patched {
                Some(p) => format!("{} (fixed in {p})", l.range()),
                None => format!("{} (no fix in this incident)", l.range()),
            })
            .collect();
        out += &format!("- Vulnerable: {}\n", vulnerable.join("; "));
    }
    if let Some(introduced) = &rec.request.introduced {
        out += &format!("- Introduced in: {introduced}\n");
    }
    out += &format!(
        "- The fix public (PR opened): {}\n",
        pr.unwrap_or("not recorded")
    );
    out += &format!(
        "- The patched release visible on the registry: {}{}\n",
        released.unwrap_or("not recorded"),
        between(pr, released)
            .map(|d| format!(" ({d} after the fix was public)"))
            .unwrap_or_default()
    );
    out += &format!(
        "- The advisory published: {}{}\n",
        advisory.unwrap_or("not published"),
        between(released, advisory)
            .map(|d| format!(" ({d} after the release)"))
            .unwrap_or_default()
    );
    out
}

fn artifacts(rec: &Hotfix) -> String {
    let mut out = String::new();
    let repo_url = rec.github.as_ref().map(|g| g.url.clone());
    if let Some(pr) = &rec.pr {
        out += &format!("- PR: {}\n", pr.url);
    }
    for l in &rec.lines {
        if let Some(pr) = &l.pr {
            out += &format!("- PR ({}): {}\n", l.name(), pr.url);
        }
    }
    for plan in rec.plans() {
        match &repo_url {
            Some(url) => out += &format!("- Tag {}: {url}/releases/tag/{}\n", plan.tag, plan.tag),
            None => out += &format!("- Tag {}\n", plan.tag),
        }
        out += &format!(
            "- Crate: https://crates.io/crates/{}/{}\n",
            plan.crate_name, plan.version
        );
    }
    match (&rec.ghsa_id, &rec.advisory_url) {
        (Some(ghsa), Some(url)) => out += &format!("- Advisory {ghsa}: {url}\n"),
        (None, Some(url)) => out += &format!("- Advisory: {url}\n"),
        _ => out += "- Advisory: none\n",
    }
    if let Some(cve) = &rec.cve_id {
        out += &format!("- CVE: {cve} (https://www.cve.org/CVERecord?id={cve})\n");
    } else if rec.cve_requested {
        out += "- CVE: requested, not assigned yet\n";
    }
    if let Some(draft) = &rec.rustsec_draft {
        // Where it is in the repository: from `.git/` on.
        let shown = draft
            .find("/.git/")
            .map(|i| &draft[i + 1..])
            .unwrap_or(draft);
        out += &format!("- RustSec draft: {shown}\n");
    }
    if let Some(url) = rec.rustsec_pr.as_ref().and_then(|p| p.url.as_deref()) {
        out += &format!("- RustSec PR: {url}\n");
    }
    if let Some(url) = &rec.forward_port {
        out += &format!("- Forward-port PR: {url}\n");
    }
    for b in &rec.backports {
        out += &format!("- Backport PR ({}): {}\n", b.branch, b.url);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hotfix whose steps took real time: the waits, the exposure window and the confirmations
    /// read from the record and its journal.
    #[test]
    fn the_timeline_the_waits_and_the_exposure_window_come_from_the_record() {
        use crate::record::{Confirmation, Pr, Request, StepStatus};
        use crate::runner::JournalEntry;
        let titles: Vec<(u8, &str)> = (1..=16).map(|n| (n, "Step")).collect();
        let mut rec = Hotfix::new(
            "2025-12-01T03:00:00+00:00".into(),
            Request::default(),
            crate::logic::Incident {
                description: "Out-of-bounds read".into(),
                ..Default::default()
            },
            false,
            &titles,
        );
        // From 03:00 UTC every step takes 10 min, but 10 (CI and review, 1 h 05 min) and 12 (the
        // publish, 25 min 30 s): 3 h 50 min 30 s in all.
        let mut t = jiff::Timestamp::from_second(1_764_558_000).unwrap();
        for s in rec.steps.iter_mut() {
            let took = match s.number {
                10 => 3900,
                12 => 1530,
                _ => 600,
            };
            s.status = StepStatus::Done;
            s.started_at = Some(t.to_string());
            t = t
                .checked_add(jiff::SignedDuration::from_secs(took))
                .unwrap();
            s.finished_at = Some(t.to_string());
        }
        rec.run.completed_at = Some(t.to_string());
        rec.advisory_published = true;
        rec.pr = Some(Pr {
            number: 7,
            url: "https://github.com/o/r/pull/7".into(),
        });
        rec.journal.push(JournalEntry {
            argv: ["gh", "pr", "checks", "7", "--watch"]
                .map(String::from)
                .to_vec(),
            cwd: "/r".into(),
            exit_code: 0,
            duration_ms: 754_000.0,
            simulated: false,
        });
        rec.confirmations.push(Confirmation {
            at: "2026-12-01T05:40:00Z".into(),
            step: 13,
            question: "Publish the advisory now? (type 'yes')".into(),
            confirmed: true,
        });
        let live = Live {
            rows: None,
            approved_by: Some(vec!["bob".into()]),
            written_at: t.to_string(),
        };
        let text = render(&rec, &live);
        for line in [
            "- Completed: 2025-12-01T06:50:30Z (3 h 50 min)\n",
            "| 10. Step | 2025-12-01T04:30:00Z | 2025-12-01T05:35:00Z | 1 h 05 min |  |\n",
            "- CI and review (step 10): 1 h 05 min\n",
            "- the publish and the registry (step 12): 25 min 30 s\n",
            "- `gh pr checks 7 --watch`: 12 min 34 s\n",
            "- PR #7 approved by bob\n",
            "- 2026-12-01T05:40:00Z (step 13): “Publish the advisory now? (type 'yes')” — confirmed\n",
            // The PR opened at the end of step 9; the release seen at the end of step 12.
            "- The fix public (PR opened): 2025-12-01T04:30:00Z\n",
            "- The patched release visible on the registry: 2025-12-01T06:10:30Z (1 h 40 min after \
             the fix was public)\n",
            "- The advisory published: 2025-12-01T06:20:30Z (10 min 00 s after the release)\n",
        ] {
            assert!(text.contains(line), "{line:?} not in\n{text}");
        }
    }

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        let at = |s: &str| Some(s.to_string());
        let d = |a: &Option<String>, b: &Option<String>| between(a.as_deref(), b.as_deref());
        let start = at("2026-12-01T03:00:00+00:00");
        assert_eq!(
            d(&start, &at("2026-12-01T03:00:12+00:00")).as_deref(),
            Some("12 s")
        );
        assert_eq!(
            d(&start, &at("2026-12-01T03:03:05+00:00")).as_deref(),
            Some("3 min 05 s")
        );
        assert_eq!(
            d(&start, &at("2026-12-01T04:02:00+00:00")).as_deref(),
            Some("1 h 02 min")
        );
        // Offsets are honoured: 05:00+02:00 is 03:00 UTC.
        assert_eq!(
            d(&start, &at("2026-12-01T05:00:30+02:00")).as_deref(),
            Some("30 s")
        );
        assert_eq!(
            d(&start, &at("2026-12-03T05:00:00+00:00")).as_deref(),
            Some("2 d 02 h")
        );
        assert_eq!(d(&start, &None), None);
    }
}
