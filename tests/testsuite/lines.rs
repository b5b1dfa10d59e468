//! Every supported line in one incident (issue #18): `--line X.Y` (repeatable) and `lines = [...]`.
//! The fix is made on the newest line and carried to each older one with `git cherry-pick -x`; each
//! line gets its own branch, bump, tests, audit, PR, merge, tag and publish; one advisory, one
//! announcement, one summary.
//!
//! The fixtures: [`Fixture::new`] (lines 1.0 and 0.9) and [`Fixture::three_lines`] (1.0, 0.9, 0.8),
//! or [`Fixture::three_lines_conflicting_on_0_8`], whose 0.8 line has another `record_len`, so the
//! fix conflicts there.

use crate::support::screen::Typist;
use crate::support::*;

/// The fixture itself, with plain git: the fix made on the newest line cherry-picks cleanly onto
/// v0.9.9 and onto v0.8.3 of [`Fixture::three_lines`], and conflicts in src/lib.rs on v0.8.3 of
/// [`Fixture::three_lines_conflicting_on_0_8`] only.
#[test]
fn the_three_line_fixture_takes_the_fix_everywhere_but_where_it_must_conflict() {
    for (fx, conflicts_on_0_8) in [
        (Fixture::three_lines(), false),
        (Fixture::three_lines_conflicting_on_0_8(), true),
    ] {
        let w = &fx.work;
        let tags = git(w, &["tag", "--list"]);
        assert_eq!(
            tags.lines().collect::<Vec<_>>(),
            ["v0.8.3", "v0.9.9", "v1.0.0", "v1.0.10"]
        );
        for tag in ["v0.8.3", "v0.9.9", "v1.0.0", "v1.0.10"] {
            assert_eq!(
                git(w, &["cat-file", "-t", tag]),
                "tag",
                "{tag} is annotated"
            );
            let manifest = git(w, &["show", &format!("{tag}:Cargo.toml")]);
            assert!(
                manifest.contains(&format!("version = \"{}\"", &tag[1..])),
                "{tag}: {manifest}"
            );
        }
        // Pushed, with unreleased work on main.
        assert_eq!(
            git(w, &["rev-parse", "main"]),
            git(w, &["rev-parse", "origin/main"])
        );
        assert_eq!(git(w, &["rev-list", "--count", "v1.0.10..main"]), "1");
        let remote_tags = git(w, &["ls-remote", "--tags", "origin"]);
        assert_eq!(remote_tags.matches("^{}").count(), 4, "{remote_tags}");

        git(w, &["checkout", "-q", "-b", "hotfix/v1.0.11", "v1.0.10"]);
        commit_fix_in(w);
        let fix = git(w, &["rev-parse", "HEAD"]);

        git(w, &["checkout", "-q", "-b", "hotfix/v0.9.10", "v0.9.9"]);
        assert!(git_ok(w, &["cherry-pick", "-x", &fix]), "0.9 takes the fix");
        assert_eq!(read(&w.join("src/lib.rs")), FIXED_LIB_RS);
        let message = git(w, &["log", "-1", "--format=%B"]);
        assert!(
            message.contains(&format!("(cherry picked from commit {fix})")),
            "{message}"
        );

        git(w, &["checkout", "-q", "-b", "hotfix/v0.8.4", "v0.8.3"]);
        let picked = git_ok(w, &["cherry-pick", "-x", &fix]);
        assert_eq!(picked, !conflicts_on_0_8, "cherry-pick onto v0.8.3");
        if conflicts_on_0_8 {
            let status = git(w, &["status", "--porcelain"]);
            assert_eq!(status, "UU src/lib.rs", "{status}");
            git(w, &["cherry-pick", "--abort"]);
        } else {
            assert_eq!(read(&w.join("src/lib.rs")), FIXED_LIB_RS);
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The world of these tests: the real gh against the GitHub emulator, a registry that publishes each
// hotfix once its tag is on the origin, a clean cargo-audit, and reviews given by someone else.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::gh_real::{origin_git, CANONICAL};
use crate::support::emulator::Emulator;
use crate::support::index_server::IndexServer;

/// One release line of an incident: its name, base tag, and the hotfix's version and tag.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub(crate) name: &'static str,
    pub(crate) base: &'static str,
    pub(crate) version: &'static str,
    pub(crate) tag: &'static str,
}

const L10: Line = Line {
    name: "1.0",
    base: "v1.0.10",
    version: "1.0.11",
    tag: "v1.0.11",
};
const L09: Line = Line {
    name: "0.9",
    base: "v0.9.9",
    version: "0.9.10",
    tag: "v0.9.10",
};
const L08: Line = Line {
    name: "0.8",
    base: "v0.8.3",
    version: "0.8.4",
    tag: "v0.8.4",
};

/// The two lines of [`Fixture::new`] and the three of [`Fixture::three_lines`], newest first.
pub(crate) const TWO: [Line; 2] = [L10, L09];
const THREE: [Line; 3] = [L10, L09, L08];

/// The registry: every release of the fixture is published; each hotfix version is published when
/// its tag reaches the origin (plus one poll), as a release workflow triggered by the tag would.
struct Registry {
    server: Arc<IndexServer>,
    stop: Arc<AtomicBool>,
    watcher: Option<JoinHandle<()>>,
}

impl Registry {
    fn start(fx: &Fixture, released: &[&str], lines: &[Line]) -> Registry {
        let server = Arc::new(IndexServer::publishing(CRATE, &fx.origin));
        for v in released {
            server.add_version(v);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = {
            let server = Arc::clone(&server);
            let stop = Arc::clone(&stop);
            let origin = fx.origin.clone();
            let mut pending: Vec<Line> = lines.to_vec();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) && !pending.is_empty() {
                    pending.retain(|l| {
                        if tag_on(&origin, l.tag) {
                            server.publish_after(l.version, 1);
                            false
                        } else {
                            true
                        }
                    });
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        };
        Registry {
            server,
            stop,
            watcher: Some(watcher),
        }
    }

    fn url(&self) -> String {
        self.server.url()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(w) = self.watcher.take() {
            let _ = w.join();
        }
    }
}

/// Whether the bare origin has the tag (loose or packed).
fn tag_on(origin: &std::path::Path, tag: &str) -> bool {
    origin.join("refs/tags").join(tag).exists()
        || std::fs::read_to_string(origin.join("packed-refs"))
            .is_ok_and(|t| t.lines().any(|l| l.ends_with(&format!("refs/tags/{tag}"))))
}

/// Also the world of the embargo's tests (`embargo.rs`).
pub(crate) struct World {
    // Dropped in this order: the registry's watcher, the emulator (which checks it understood every
    // request), then the fixture's directory.
    registry: Registry,
    pub(crate) emu: Emulator,
    pub(crate) fx: Fixture,
    lines: Vec<Line>,
}

impl World {
    /// `fx` on the emulator, with the registry, a clean cargo-audit, PRs approved by bob and a
    /// release workflow that succeeds at once.
    pub(crate) fn new(fx: Fixture, lines: &[Line]) -> World {
        let origin = fx.origin.clone();
        let emu = Emulator::start(&fx, &[(CANONICAL, &origin)], &[("origin", CANONICAL)]);
        emu.knobs(json!({
            "reviews": [{"author": "bob", "state": "APPROVED"}],
            "tag_runs": [{"workflow": "Release", "file": "release.yml", "script": [
                {"at": 0, "status": "completed", "conclusion": "success"}
            ]}],
        }));
        fx.fake_audit("clean", 0);
        let released: Vec<String> = git(&fx.work, &["tag", "--list", "v*"])
            .lines()
            .map(|t| t.trim_start_matches('v').to_string())
            .collect();
        let released: Vec<&str> = released.iter().map(String::as_str).collect();
        let registry = Registry::start(&fx, &released, lines);
        World {
            registry,
            emu,
            fx,
            lines: lines.to_vec(),
        }
    }

    pub(crate) fn two() -> World {
        World::new(Fixture::new(), &TWO)
    }

    fn three() -> World {
        World::new(Fixture::three_lines(), &THREE)
    }

    /// The start's arguments: step 4's answers, `--line` for each line, `extra`, the description.
    pub(crate) fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "--poll-interval",
            "0.05",
            "--registry-index",
            &self.registry.url(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(STEP4_FLAGS.iter().map(|s| s.to_string()));
        for l in &self.lines {
            a.extend(["--line".to_string(), l.name.to_string()]);
        }
        a.extend(extra.iter().map(|s| s.to_string()));
        a.push(DESCRIPTION.to_string());
        a
    }

    pub(crate) fn run<S: AsRef<str>>(&self, args: &[S], answers: Vec<Answer>) -> Outcome {
        let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        crate::gh_real::run(&self.fx, &self.emu, &args, answers)
    }

    /// [`World::run`] with `env` set after the emulator's (a later `CARO_HOTFIX_NOW`).
    pub(crate) fn run_env(
        &self,
        args: &[&str],
        answers: Vec<Answer>,
        env: &[(&str, &str)],
    ) -> Outcome {
        crate::gh_real::run_with(&self.fx, &self.emu, args, answers, env)
    }

    /// `caro-hotfix resume` with `answers`.
    pub(crate) fn resume(&self, answers: Vec<Answer>) -> Outcome {
        self.run(&["resume"], answers)
    }

    /// The maintainer's answers of a whole run: yes, the fix committed then `done`, and the typed
    /// yes that publishes the advisory.
    pub(crate) fn answers(&self) -> Vec<Answer> {
        vec![say("yes"), self.fx.commit_fix_then("done"), say("yes")]
    }

    pub(crate) fn pulls(&self) -> Vec<Value> {
        self.emu.pulls(CANONICAL)
    }

    pub(crate) fn releases(&self) -> Vec<Value> {
        self.emu.repo(CANONICAL)["releases"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn requests_of(&self, operation: &str) -> usize {
        self.emu
            .requests()
            .iter()
            .filter(|r| r["operation"] == operation && r["status"] == 200)
            .count()
    }

    /// Everything a hotfix finished on every line must show; `context` explains a failure.
    fn assert_finished(&self, context: &str) {
        let fx = &self.fx;
        let first = self.lines[0];
        // One PR per line, merged, into main (the first line) or the line's maintenance branch.
        let all_pulls = self.pulls();
        // Each PR opened once (backports of step 15 included).
        assert_eq!(
            self.requests_of("PullRequestCreate"),
            all_pulls.len(),
            "{all_pulls:#?}\n{context}"
        );
        let pulls: Vec<Value> = all_pulls
            .into_iter()
            .filter(|p| p["head"].as_str().is_some_and(|h| h.starts_with("hotfix/")))
            .collect();
        assert_eq!(pulls.len(), self.lines.len(), "{pulls:#?}\n{context}");
        for l in &self.lines {
            let head = format!("hotfix/{}", l.tag);
            let pr = pulls
                .iter()
                .find(|p| p["head"] == head.as_str())
                .unwrap_or_else(|| panic!("no PR from {head}: {pulls:#?}\n{context}"));
            let base = if l.name == first.name {
                "main".to_string()
            } else {
                format!("release/{}", l.name)
            };
            assert_eq!(pr["base"], base.as_str(), "{pr:#}\n{context}");
            assert_eq!(pr["state"], "MERGED", "{pr:#}\n{context}");

            // The tag: annotated, on the merge commit, which is the tip of the PR's base.
            assert_eq!(
                origin_git(fx, &["cat-file", "-t", l.tag]),
                "tag",
                "{} is not an annotated tag on the origin\n{context}",
                l.tag
            );
            let tagged = origin_git(fx, &["rev-parse", &format!("{}^{{commit}}", l.tag)]);
            assert_eq!(pr["merge_commit"], tagged.as_str(), "{pr:#}\n{context}");
            assert_eq!(
                origin_git(fx, &["rev-parse", &format!("refs/heads/{base}")]),
                tagged,
                "{} is not on the tip of {base}\n{context}",
                l.tag
            );
            // Its tree: the version, the fix.
            let manifest = origin_git(fx, &["show", &format!("{}:Cargo.toml", l.tag)]);
            assert!(
                manifest.contains(&format!(
                    "version = \"{}\"   # bumped at every release",
                    l.version
                )),
                "{}:Cargo.toml\n{manifest}\n{context}",
                l.tag
            );
            let lib = origin_git(fx, &["show", &format!("{}:src/lib.rs", l.tag)]);
            assert!(
                lib.contains("claimed.min(input.len().saturating_sub(1))"),
                "{}:src/lib.rs has no fix\n{lib}\n{context}",
                l.tag
            );
            let changelog = origin_git(fx, &["show", &format!("{}:CHANGELOG.md", l.tag)]);
            assert!(
                changelog.contains(&format!("## [{}] - {TODAY} [SECURITY HOTFIX]", l.version)),
                "{}:CHANGELOG.md\n{changelog}\n{context}",
                l.tag
            );
            // SECURITY.md: this line's entry, naming every line's patched version.
            let security = origin_git(fx, &["show", &format!("{}:SECURITY.md", l.tag)]);
            assert!(
                security.contains(&format!("### {CRATE} {} — {DESCRIPTION}", l.version)),
                "{}:SECURITY.md\n{security}\n{context}",
                l.tag
            );
            for other in &self.lines {
                assert!(
                    security.contains(&format!("- Patched version: {}", other.version))
                        && changelog.contains(&format!("(fixed in {})", other.version)),
                    "{}: SECURITY.md or CHANGELOG.md does not name {}\n{security}\n{changelog}\n{context}",
                    l.tag,
                    other.version
                );
            }
            // The reviewed commits of an older line carry the fix by `cherry-pick -x`.
            let head_oid = pr["head_oid"].as_str().unwrap_or_default();
            let messages = origin_git(
                fx,
                &["log", "--format=%B", &format!("{}..{head_oid}", l.base)],
            );
            if l.name != first.name {
                assert!(
                    messages.contains("(cherry picked from commit "),
                    "the commits of {head} do not say they were cherry-picked:\n{messages}\n{context}"
                );
                // The maintenance branch was made from the base tag: the squash merge's parent.
                assert_eq!(
                    origin_git(fx, &["rev-parse", &format!("refs/heads/{base}^")]),
                    origin_git(fx, &["rev-parse", &format!("{}^{{commit}}", l.base)]),
                    "{base} was not made from {}\n{context}",
                    l.base
                );
            }
            // One GitHub release per tag; Latest only on the newest line's.
            let releases: Vec<Value> = self
                .releases()
                .into_iter()
                .filter(|r| r["tag_name"] == l.tag)
                .collect();
            assert_eq!(releases.len(), 1, "{releases:#?}\n{context}");
            assert_eq!(
                releases[0]["latest"],
                l.name == first.name,
                "the GitHub release {}: {:#}\n{context}",
                l.tag,
                releases[0]
            );
        }
        // One advisory, published, listing every line's range and patched version.
        let advisories = self.emu.advisories(CANONICAL);
        assert_eq!(advisories.len(), 1, "{advisories:#?}\n{context}");
        assert_eq!(advisories[0]["state"], "published", "{context}");
        let vulnerabilities = advisories[0]["vulnerabilities"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for l in &self.lines {
            let v = vulnerabilities
                .iter()
                .find(|v| v["patched_versions"] == l.version)
                .unwrap_or_else(|| {
                    panic!(
                        "the advisory has no vulnerability patched in {}: {vulnerabilities:#?}\n{context}",
                        l.version
                    )
                });
            let range = v["vulnerable_version_range"].as_str().unwrap_or_default();
            assert!(
                range.contains(&format!("< {}", l.version)),
                "{range}\n{context}"
            );
            assert_eq!(v["package"]["name"], CRATE, "{v:#}");
        }
        // One announcement, naming every patched version.
        let dir = fx.work.join(".git/caro-hotfix");
        let announcement = read(&dir.join("announcement.md"));
        for l in &self.lines {
            assert!(
                announcement.contains(l.version),
                "the announcement does not name {}\n{announcement}\n{context}",
                l.version
            );
        }
        // The record is archived under the first line's version: the first line's values where a
        // one-line hotfix keeps them, every other line in `[[lines]]` with its own.
        assert!(!dir.join("state.toml").exists(), "{context}");
        let history = dir.join(format!("history/{}.toml", first.version));
        let rec = caro_hotfix::record::store::load::<caro_hotfix::record::Hotfix>(&history)
            .expect("a readable record")
            .unwrap_or_else(|| panic!("no record in {}\n{context}", history.display()));
        let pr_number = |l: &Line| {
            pulls
                .iter()
                .find(|p| p["head"] == format!("hotfix/{}", l.tag).as_str())
                .and_then(|p| p["number"].as_u64())
        };
        let plan = rec.plan.as_ref().expect("the first line's plan");
        assert_eq!(
            (plan.base_tag.as_str(), plan.tag.as_str()),
            (first.base, first.tag)
        );
        assert_eq!(rec.pr.as_ref().map(|p| p.number), pr_number(&first));
        assert!(rec.release.tagged && rec.release.merge_commit.is_some());
        assert!(rec.tests.is_some() && rec.audit.is_some() && !rec.fix.commits.is_empty());
        assert_eq!(rec.lines.len(), self.lines.len() - 1, "{context}");
        for (line, l) in rec.lines.iter().zip(&self.lines[1..]) {
            assert_eq!(
                (
                    line.plan.base_tag.as_str(),
                    line.plan.tag.as_str(),
                    line.plan.version.as_str()
                ),
                (l.base, l.tag, l.version)
            );
            assert_eq!(line.plan.base_branch, format!("release/{}", l.name));
            assert_eq!(
                line.pr.as_ref().map(|p| p.number),
                pr_number(l),
                "{line:#?}"
            );
            assert!(line.release.tagged, "{line:#?}");
            assert_eq!(
                line.release.merge_commit.as_deref(),
                Some(origin_git(fx, &["rev-parse", &format!("{}^{{commit}}", l.tag)]).as_str()),
                "{line:#?}"
            );
            assert!(line.tests.is_some() && line.audit.is_some(), "{line:#?}");
            assert!(!line.fix.commits.is_empty() && line.fix.bump_commit.is_some());
            assert!(
                line.fix
                    .commits
                    .iter()
                    .all(|c| !rec.fix.commits.contains(c)),
                "line {} records the first line's commits, not its own cherry-picks: {line:#?}",
                l.name
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// End to end

/// `--line 1.0 --line 0.9` on the standard fixture: v1.0.11 through a PR into main, v0.9.10 through
/// a PR into release/0.9 (made from v0.9.9 and pushed), the fix cherry-picked onto 0.9; Latest stays
/// on v1.0.11; one advisory for both lines; the summary names both. The real binary in a terminal
/// of 80 columns, typed at like a person, and read as the terminal shows it: every row holds to
/// the layout rules of `Screen::problems` (the screen is kept in
/// `CARGO_TARGET_TMPDIR/two-lines-80.txt`).
#[test]
fn two_lines_end_to_end_with_the_real_gh_read_at_80_columns() {
    let w = World::two();
    let mut cmd =
        w.fx.binary(&w.args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    for (k, v) in w.emu.env() {
        cmd.env(k, v);
    }
    let mut t = Typist::start(&cmd, 180_000);
    t.answer("must type 'yes'", "yes");
    t.expect("Type 'done' when fix is committed");
    w.fx.commit_fix();
    t.p.send_line("done").expect("type done");
    t.answer("Publish the advisory now? (type 'yes')", "yes");
    let (code, screen) = t.finish();
    screen.keep("two-lines");
    let out = Outcome {
        code: u8::try_from(code).unwrap_or(u8::MAX),
        error: None,
        transcript: screen.text(),
    };
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
    assert_summary_names_every_line(&out, &TWO);
    let problems = screen.problems();
    assert!(
        problems.is_empty(),
        "{} problems at 80 columns:\n{}\n{context}",
        problems.len(),
        problems.join("\n")
    );
}

/// `--line 1.0 --line 0.9 --line 0.8` on the three-line fixture.
#[test]
fn three_lines_end_to_end_with_the_real_gh() {
    let w = World::three();
    let out = w.run(&w.args(&[]), w.answers());
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
    assert_summary_names_every_line(&out, &THREE);
    // Every line was branched from its base and worked on under its own header.
    for l in THREE {
        assert!(
            git_ok(
                &w.fx.work,
                &[
                    "rev-parse",
                    "--verify",
                    &format!("refs/heads/hotfix/{}", l.tag)
                ]
            ) || out.transcript.contains(&format!("hotfix/{}", l.tag)),
            "{context}"
        );
        assert!(
            out.transcript.contains(&format!("Line {}", l.name)),
            "no header for line {}\n{context}",
            l.name
        );
    }
}

/// The summary (step 16) has a block per line: the line, its base, its tag and the branch its PR
/// was merged into, then the PR on an indented line of its own (a table of URLs does not fit 80
/// columns); its Release URLs name every line's GitHub release.
fn assert_summary_names_every_line(out: &Outcome, lines: &[Line]) {
    let summary = out.transcript.rsplit("[16/16]").next().unwrap_or_default();
    let rows: Vec<&str> = summary.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let into = if i == 0 {
            "main".to_string()
        } else {
            format!("release/{}", l.name)
        };
        let block = format!("  • {}: {} → {}, merged into {into}", l.name, l.base, l.tag);
        let at = rows.iter().position(|r| *r == block).unwrap_or_else(|| {
            panic!(
                "the summary has no block `{block}` for line {}\n{}",
                l.name,
                out.explain()
            )
        });
        let pr = rows.get(at + 1).copied().unwrap_or_default();
        assert!(
            pr.starts_with("    PR http") && pr.contains("/pull/"),
            "{pr}\n{}",
            out.explain()
        );
        assert!(
            rows.iter().any(|r| r.starts_with("  • GitHub: ")
                && r.ends_with(&format!("/releases/tag/{}", l.tag))),
            "no GitHub release for {}\n{}",
            l.tag,
            out.explain()
        );
    }
}

/// `release-branches = ["release/0.9", "release/0.8"]`, both existing, and an incident on lines 1.0
/// and 0.9: the 0.9 line's PR goes into the existing release/0.9 (not made again), and step 15
/// backports the fix only to release/0.8, the one branch that is not a line of this incident.
#[test]
fn backports_go_only_to_release_branches_that_are_not_lines_of_the_incident() {
    let fx = Fixture::three_lines();
    let manifest = read(&fx.work.join("Cargo.toml")).replace(
        "strategy = \"main\"\n",
        "strategy = \"main\"\nrelease-branches = [\"release/0.9\", \"release/0.8\"]\n",
    );
    write(&fx.work.join("Cargo.toml"), &manifest);
    git(
        &fx.work,
        &["commit", "-q", "-am", "chore: the maintained branches"],
    );
    for (branch, tag) in [("release/0.9", "v0.9.9"), ("release/0.8", "v0.8.3")] {
        git(&fx.work, &["branch", branch, tag]);
        git(&fx.work, &["push", "-q", "origin", "main", branch]);
    }
    let release_09 = git(&fx.work, &["rev-parse", "release/0.9"]);
    let w = World::new(fx, &TWO);
    let out = w.run(&w.args(&[]), w.answers());
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
    // release/0.9 was there: the 0.9 line's PR was merged into it as it was.
    assert_eq!(
        origin_git(&w.fx, &["rev-parse", "refs/heads/release/0.9^"]),
        release_09
    );
    let pulls = w.pulls();
    let backports: Vec<&Value> = pulls
        .iter()
        .filter(|p| {
            !p["head"]
                .as_str()
                .unwrap_or_default()
                .starts_with("hotfix/")
        })
        .collect();
    assert_eq!(backports.len(), 1, "{pulls:#?}\n{context}");
    assert_eq!(backports[0]["base"], "release/0.8", "{pulls:#?}");
    assert_eq!(backports[0]["state"], "OPEN", "{pulls:#?}");
    let head = backports[0]["head"].as_str().unwrap_or_default();
    let lib = origin_git(&w.fx, &["show", &format!("refs/heads/{head}:src/lib.rs")]);
    assert!(
        lib.contains("claimed.min(input.len().saturating_sub(1))"),
        "{lib}"
    );
    assert_eq!(
        pulls.iter().filter(|p| p["base"] == "release/0.9").count(),
        1,
        "{pulls:#?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// A conflict on one line

/// The fix does not apply to the 0.8 line: the run stops at step 5 naming src/lib.rs and `git
/// cherry-pick --continue`; the maintainer resolves it on hotfix/v0.8.4, and `resume` finishes the
/// hotfix on every line.
#[test]
fn a_conflict_on_one_line_stops_naming_the_file_and_resume_finishes_every_line() {
    let w = World::new(Fixture::three_lines_conflicting_on_0_8(), &THREE);
    let out = w.run(&w.args(&[]), vec![say("yes"), w.fx.commit_fix_then("done")]);
    let first = out.explain();
    assert_eq!(out.code, 1, "{first}");
    let error = out.error();
    assert!(error.contains("src/lib.rs"), "{first}");
    assert!(error.contains("git cherry-pick --continue"), "{first}");
    assert!(error.contains("hotfix/v0.8.4"), "{first}");
    assert!(error.contains("caro-hotfix resume"), "{first}");
    // Nothing was pushed yet; the other lines have the fix.
    assert!(w.pulls().is_empty(), "{first}");
    let work = &w.fx.work;
    assert_eq!(
        git(work, &["symbolic-ref", "--short", "HEAD"]),
        "hotfix/v0.8.4"
    );
    assert_eq!(git(work, &["status", "--porcelain"]), "UU src/lib.rs");
    // `status` shows each line's progress: 1.0 and 0.9 have the fix, 0.8 stopped at it.
    let status = w.run(&["status"], vec![]);
    for row in [
        "line 1.0: v1.0.10 → v1.0.11; hotfix/v1.0.11 → main; finished steps 3, 5 (up to 5)",
        "line 0.9: v0.9.9 → v0.9.10; hotfix/v0.9.10 → release/0.9; finished steps 3, 5 (up to 5)",
        "line 0.8: v0.8.3 → v0.8.4; hotfix/v0.8.4 → release/0.8; finished steps 3 (up to 3)",
    ] {
        assert!(
            status.transcript.contains(row),
            "status does not show {row:?}\n{}",
            status.explain()
        );
    }

    // `resume` before the conflict is resolved is refused, saying how to finish the cherry-pick.
    let out = w.resume(vec![]);
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.explain().contains(
            "a cherry-pick is in progress: finish it first (`git cherry-pick --continue` or \
             `git cherry-pick --abort`)"
        ),
        "{}",
        out.explain()
    );

    // The maintainer resolves the conflict as the message says.
    write(&work.join("src/lib.rs"), FIXED_LIB_RS);
    git(work, &["add", "src/lib.rs"]);
    git(
        work,
        &["-c", "core.editor=true", "cherry-pick", "--continue"],
    );

    let out = w.resume(vec![say("yes")]);
    let context = format!("{first}\n=== resume ===\n{}", out.explain());
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
}

// ---------------------------------------------------------------------------------------------------
// Bad input: a usage error (exit 2) before anything changes

/// The snapshot after a run that may have fetched the tags (a no-op here: the origin has no other
/// tags) equals the one before, FETCH_HEAD aside.
fn assert_unchanged(fx: &Fixture, before: &Snapshot, out: &Outcome) {
    let mut after = fx.snapshot();
    after.git_dir_entries.retain(|e| e != "FETCH_HEAD");
    let mut expected = before.git_dir_entries.clone();
    expected.retain(|e| e != "FETCH_HEAD");
    assert_eq!(after.git_dir_entries, expected, "{}", out.explain());
    after.git_dir_entries = before.git_dir_entries.clone();
    assert!(
        after == *before,
        "the repository changed\n{}",
        out.explain()
    );
}

fn bad_line_args(lines: &[&str], extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = STEP4_FLAGS.iter().map(|s| s.to_string()).collect();
    for l in lines {
        a.extend(["--line".to_string(), l.to_string()]);
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    a.push(DESCRIPTION.to_string());
    a
}

fn usage_error(lines: &[&str], extra: &[&str], expected: &[&str]) {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let out = fx
        .caro(&bad_line_args(lines, extra))
        .answers(vec![say("yes")])
        .run();
    assert_eq!(out.code, 2, "{}", out.explain());
    for e in expected {
        assert!(out.error().contains(e), "no {e:?} in\n{}", out.explain());
    }
    assert!(
        !out.error().contains("caro-hotfix resume"),
        "{}",
        out.explain()
    );
    assert!(
        !fx.work.join(".git/caro-hotfix/state.toml").exists(),
        "a record was left\n{}",
        out.explain()
    );
    assert_unchanged(&fx, &before, &out);
}

#[test]
fn a_line_without_a_release_is_a_usage_error_before_anything_changes() {
    usage_error(
        &["1.0", "2.3"],
        &[],
        &[
            "--line 2.3: no release of that line is tagged (no tag v2.3.Z)",
            "the lines with releases are: 1.0, 0.9",
        ],
    );
}

#[test]
fn the_same_line_twice_is_a_usage_error_before_anything_changes() {
    usage_error(
        &["1.0", "0.9", "1.0"],
        &[],
        &["--line 1.0 is given twice: name each release line once"],
    );
}

#[test]
fn a_base_tag_outside_the_lines_is_a_usage_error_before_anything_changes() {
    usage_error(
        &["1.0"],
        &["--base-tag", "v0.9.9"],
        &["--base-tag v0.9.9 is on line 0.9, which --line does not name (1.0): add --line 0.9 or drop --base-tag"],
    );
}

/// `--line 1.4.2` is no line (X.Y): said before step 1, nothing asked, nothing fetched; and the same in
/// the configuration's `lines`, named with its key.
#[test]
fn a_malformed_line_is_a_usage_error_before_step_1() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let out = fx.caro(&bad_line_args(&["1.0", "1.4.2"], &[])).run();
    assert_eq!(out.code, 2, "{}", out.explain());
    assert!(
        out.error().contains(
            "--line 1.4.2: `1.4.2` is not a release line: expected X.Y such as 1.4 or 0.9"
        ),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[1/16]"), "{}", out.explain());
    assert!(fx.snapshot() == before, "{}", out.explain());

    let manifest = read(&fx.work.join("Cargo.toml")).replace(
        "strategy = \"main\"\n",
        "strategy = \"main\"\nlines = [\"1.0\", \"1\"]\n",
    );
    write(&fx.work.join("Cargo.toml"), &manifest);
    git(&fx.work, &["commit", "-q", "-am", "chore: a bad line"]);
    let before = fx.snapshot();
    let out = fx.caro(&bad_line_args(&[], &[])).run();
    assert_ne!(out.code, 0, "{}", out.explain());
    assert!(
        out.error().contains("lines") && out.error().contains("\"1\""),
        "{}",
        out.explain()
    );
    assert!(!out.transcript.contains("[1/16]"), "{}", out.explain());
    assert!(fx.snapshot() == before, "{}", out.explain());
}

// ---------------------------------------------------------------------------------------------------
// Rehearsal

/// `--dry-run --non-interactive` rehearses every line: each line's tag is named, each line's PR and
/// tag push only printed; the repository and the origin stay as they were.
#[test]
fn a_rehearsal_rehearses_every_line_and_changes_nothing() {
    let fx = Fixture::three_lines();
    let before = fx.snapshot();
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&["1.0", "0.9", "0.8"], &[]));
    let out = fx.caro(&args).unscripted().run();
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    for l in THREE {
        assert!(out.transcript.contains(l.tag), "no {} in\n{context}", l.tag);
        assert!(
            out.transcript
                .contains(&format!("[dry-run] would run: $ git push origin {}", l.tag)),
            "the tag push of {} is not rehearsed\n{context}",
            l.tag
        );
    }
    assert!(
        out.transcript.contains("--base release/0.9")
            && out.transcript.contains("--base release/0.8"),
        "{context}"
    );
    assert!(
        fx.snapshot() == before,
        "the rehearsal changed something\n{context}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Killed inside the second line's work, then resumed

use rexpect::process::signal::Signal;
use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

/// Where the kill lands: on a program the wizard starts, held until the kill (it does nothing).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HoldAt {
    /// The program (a stand-in wraps the real one: `git` or the real `gh`).
    pub(crate) program: &'static str,
    /// Its first argument.
    pub(crate) first: &'static str,
    /// A text its arguments, joined with spaces, contain.
    pub(crate) contains: &'static str,
    /// Which such call is held: the first, the second…
    pub(crate) nth: u32,
}

/// Step `step` of the second line (0.9 on the two-line fixture): the held program is one only that
/// line's step runs.
fn hold_at(step: u8) -> HoldAt {
    match step {
        // Carrying the fix: the first cherry-pick is the 0.9 line's.
        5 => HoldAt {
            program: "git",
            first: "cherry-pick",
            contains: "-x",
            nth: 1,
        },
        // The version bump's commit (its message names the version).
        6 => HoldAt {
            program: "git",
            first: "commit",
            contains: "0.9.10",
            nth: 1,
        },
        // The 0.9 line's unit tests (the API check runs only where cargo-semver-checks is
        // installed, and is not shown otherwise): the second `cargo test --lib`.
        7 => HoldAt {
            program: "cargo",
            first: "test",
            contains: "--lib",
            nth: 2,
        },
        // The PR of the 0.9 line, after its branch and release/0.9 are pushed.
        9 => HoldAt {
            program: "gh",
            first: "pr",
            contains: "hotfix/v0.9.10",
            nth: 1,
        },
        // The audit of the 0.9 line: the second `cargo audit` (the first is the 1.0 line's).
        8 => HoldAt {
            program: "cargo",
            first: "audit",
            contains: "",
            nth: 2,
        },
        // Waiting for the checks of the 0.9 line's PR (#2).
        10 => HoldAt {
            program: "gh",
            first: "pr",
            contains: "checks 2",
            nth: 1,
        },
        // Tagging the merge commit of the 0.9 line: its PR is merged, the tag not yet made.
        11 => HoldAt {
            program: "git",
            first: "tag",
            contains: "v0.9.10",
            nth: 1,
        },
        // Keeping Latest on the newest line: the 0.9 line's release edited.
        12 => HoldAt {
            program: "gh",
            first: "release",
            contains: "v0.9.10",
            nth: 1,
        },
        _ => unreachable!("no kill planned at step {step}"),
    }
}

#[test]
fn killed_in_the_second_line_at_step_05_then_resumed() {
    killed_in_the_second_line_then_resumed(5);
}

#[test]
fn killed_in_the_second_line_at_step_06_then_resumed() {
    killed_in_the_second_line_then_resumed(6);
}

#[test]
fn killed_in_the_second_line_at_step_07_then_resumed() {
    killed_in_the_second_line_then_resumed(7);
}

#[test]
fn killed_in_the_second_line_at_step_08_then_resumed() {
    killed_in_the_second_line_then_resumed(8);
}

#[test]
fn killed_in_the_second_line_at_step_09_then_resumed() {
    killed_in_the_second_line_then_resumed(9);
}

#[test]
fn killed_in_the_second_line_at_step_10_then_resumed() {
    killed_in_the_second_line_then_resumed(10);
}

#[test]
fn killed_in_the_second_line_at_step_11_then_resumed() {
    killed_in_the_second_line_then_resumed(11);
}

#[test]
fn killed_in_the_second_line_at_step_12_then_resumed() {
    killed_in_the_second_line_then_resumed(12);
}

/// The real binary on a pseudo-terminal, typed at up to `done`, killed with SIGKILL on the held
/// program of the 0.9 line's step `step`; then `resume` finishes both lines, each thing once.
fn killed_in_the_second_line_then_resumed(step: u8) {
    if step == 7 {
        // Held inside the 0.9 line's real `cargo test --lib` (the fixture's quick gates elsewhere).
        real_gates();
    }
    let w = World::two();
    let at = hold_at(step);
    let hold = Hold::install(&w.fx, at);
    let mut cmd =
        w.fx.binary(&w.args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    for (k, v) in w.emu.env() {
        cmd.env(k, v);
    }
    let mut p: PtySession = spawn_command(cmd, Some(180_000)).expect("spawn caro-hotfix in a pty");
    let mut seen = String::new();
    expect(&mut p, &mut seen, "must type 'yes'");
    p.send_line("yes").expect("type yes");
    expect(&mut p, &mut seen, "Type 'done' when fix is committed");
    w.fx.commit_fix();
    p.send_line("done").expect("type done");
    let (pid, what) = hold
        .wait(Duration::from_secs(180))
        .unwrap_or_else(|| panic!("step {step}: no program was held\n{seen}"));
    seen.push_str(&format!("\n<held: {what}>"));
    w.fx.settle_record();
    let status = p.process.kill(Signal::SIGKILL).expect("kill caro-hotfix");
    assert!(
        matches!(status, WaitStatus::Signaled(_, Signal::SIGKILL, _)),
        "caro-hotfix was not killed at step {step} but ended with {status:?}\n{seen}"
    );
    // The terminal goes too: rexpect's reader thread retries a read that fails with EIO (the
    // terminal of a dead process) for as long as the session lives — a core spent for the rest of
    // the test.
    drop(p);
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid) {
        assert!(
            Instant::now() < deadline,
            "the held program outlived the kill"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(hold);

    // The kill landed in step `step`, the first line done with it, the second not.
    use caro_hotfix::record::Tracked;
    let record = w.fx.work.join(".git/caro-hotfix/state.toml");
    let rec = caro_hotfix::record::store::load::<caro_hotfix::record::Hotfix>(&record)
        .expect("a readable record")
        .unwrap_or_else(|| panic!("no record after the kill\n{seen}"));
    assert_eq!(rec.first_unfinished(), Some(step), "{seen}");
    assert!(
        rec.first_line_done.contains(&step),
        "{:?}\n{seen}",
        rec.first_line_done
    );
    assert_eq!(rec.lines.len(), 1, "{seen}");
    assert!(
        !rec.lines[0].done.contains(&step),
        "{:?}\n{seen}",
        rec.lines[0].done
    );

    let out = w.resume(vec![say("yes")]);
    let context = format!(
        "killed at step {step} of line 0.9\n--- first run (pty, until the kill) ---\n{seen}\n--- resume ---\n{}",
        out.explain()
    );
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
    // Nothing twice: one PR create per line, one merge per line, one advisory.
    assert_eq!(w.requests_of("PullRequestMerge"), 2, "{context}");
}

/// Holds the `at.nth` call of `at.program` whose first argument is `at.first` and whose arguments
/// contain `at.contains`: a stand-in first on the wizard's `PATH` runs the real program, except
/// that call, which reports itself in `held/call` and sleeps until its caller is gone, then exits
/// 129 having done nothing. Dropping it puts the real program back.
pub(crate) struct Hold<'a> {
    fx: &'a Fixture,
    program: &'static str,
    held: std::path::PathBuf,
    real: std::path::PathBuf,
}

impl<'a> Hold<'a> {
    pub(crate) fn install(fx: &'a Fixture, at: HoldAt) -> Hold<'a> {
        let held = fx.dir.path().join("held");
        let real = match at.program {
            "gh" => std::path::PathBuf::from(crate::support::emulator::GH),
            other => crate::fault_injection::which(other),
        };
        let _ = std::fs::remove_file(fx.bin.join(at.program));
        fx.stand_in(
            at.program,
            &format!(
                r#"#!/bin/sh
# Test stand-in: the real {program}, except the one call held for a kill (see lines.rs).
if [ "$1" = '{first}' ]; then
  case "$*" in
    *'{contains}'*)
      echo x >> '{count}'
      if [ "$(wc -l < '{count}')" -eq {nth} ] && mkdir '{held}' 2>/dev/null; then
        echo "$$ {program} $*" > '{held}/call.tmp' && mv '{held}/call.tmp' '{held}/call'
        while kill -0 "$PPID" 2>/dev/null; do sleep 0.05; done
        exit 129
      fi;;
  esac
fi
exec '{real}' "$@"
"#,
                program = at.program,
                first = at.first,
                contains = at.contains,
                nth = at.nth,
                count = fx.dir.path().join("hold-count").display(),
                held = held.display(),
                real = real.display(),
            ),
        );
        Hold {
            fx,
            program: at.program,
            held,
            real,
        }
    }

    /// Waits for the held call: its pid and what it is.
    pub(crate) fn wait(&self, timeout: Duration) -> Option<(u32, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(text) = std::fs::read_to_string(self.held.join("call")) {
                let (pid, what) = text.trim().split_once(' ')?;
                return Some((pid.parse().ok()?, what.to_string()));
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        self.fx.remove_stand_in(self.program);
        if self.program == "gh" {
            // The real gh again, as the emulator installed it.
            let _ = std::os::unix::fs::symlink(&self.real, self.fx.bin.join("gh"));
        }
    }
}

/// Waits for `needle` in the output, keeping everything read in `seen`.
fn expect(p: &mut PtySession, seen: &mut String, needle: &str) {
    match p.exp_string(needle) {
        Ok(before) => {
            seen.push_str(&before);
            seen.push_str(needle);
        }
        Err(e) => panic!("waiting for {needle:?}: {e}\n--- output so far ---\n{seen}"),
    }
}

/// Whether process `pid` still runs (a zombie does not).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------------
// Step 7: cargo semver-checks, per line

/// What cargo-semver-checks 0.4x prints for a removed public function (on stderr), exit 1.
const SEMVER_REPORT: &str = "\
     Cloning v1.0.10
    Building minicrate v1.0.11 (current)
       Built [   0.412s] (current)
     Parsing minicrate v1.0.11 (current)
      Parsed [   0.003s] (current)
    Building minicrate v1.0.10 (baseline)
       Built [   0.398s] (baseline)
     Parsing minicrate v1.0.10 (baseline)
      Parsed [   0.003s] (baseline)
    Checking minicrate v1.0.10 -> v1.0.11 (patch change)
     Checked [   0.011s] 152 checks: 151 pass, 1 fail, 0 warn, 0 skip

--- failure function_missing: pub fn removed or renamed ---

Description:
A publicly-visible function cannot be imported by its prior path. A `pub use` may have been removed, or the function itself may have been renamed or removed entirely.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#item-remove

Failed in:
  function minicrate::record_len, previously in file src/lib.rs:2

     Summary semver requires new major version: 1 major and 0 minor checks failed
";

/// A `cargo-semver-checks` stand-in: logs its arguments to `semver-checks.log`; against the
/// baseline `breaking` it prints [`SEMVER_REPORT`] and exits 1, against any other it passes.
fn stand_in_semver_checks(fx: &Fixture, breaking: &str) {
    let report = fx.dir.path().join("semver-report.txt");
    write(&report, SEMVER_REPORT);
    let log = fx.dir.path().join("semver-checks.log");
    fx.stand_in(
        "cargo-semver-checks",
        &format!(
            r#"#!/bin/sh
echo "$*" >> '{log}'
for a in "$@"; do
  if [ "$a" = '{breaking}' ]; then cat '{report}' >&2; exit 1; fi
done
echo '     Summary no semver update required' >&2
exit 0
"#,
            log = log.display(),
            report = report.display(),
        ),
    );
}

/// With cargo-semver-checks on PATH, step 7 checks each line against its own base tag; a breaking
/// change on the 1.0 line stops the step with the report (`no` to the typed question), the 0.9 line
/// is not reached; on `resume`, a typed `yes` releases it anyway and the hotfix finishes.
#[test]
fn a_breaking_change_found_by_semver_checks_stops_step_7_and_a_typed_yes_overrides() {
    let w = World::two();
    stand_in_semver_checks(&w.fx, "v1.0.10");
    let question = "Release 1.0.11 with this API change anyway? (type 'yes')";
    let out = w.run(
        &w.args(&[]),
        vec![say("yes"), w.fx.commit_fix_then("done"), say("no")],
    );
    let first = out.explain();
    assert_eq!(out.code, 1, "{first}");
    assert!(
        out.transcript.contains(
            "$ cargo semver-checks check-release --package minicrate --baseline-rev v1.0.10"
        ),
        "{first}"
    );
    // The report, then the question.
    for text in [
        "--- failure function_missing: pub fn removed or renamed ---",
        "function minicrate::record_len, previously in file src/lib.rs:2",
        "Summary semver requires new major version: 1 major and 0 minor checks failed",
        "cargo semver-checks reports a breaking change against v1.0.10",
        question,
    ] {
        assert!(out.transcript.contains(text), "no {text:?}\n{first}");
    }
    assert!(
        out.error().contains("the patch breaks the 1.0 line's API")
            && out.error().contains("caro-hotfix resume"),
        "{first}"
    );
    assert!(w.pulls().is_empty(), "{first}");
    let log = read(&w.fx.dir.path().join("semver-checks.log"));
    assert!(
        !log.contains("v0.9.9"),
        "the 0.9 line was checked before 1.0 passed: {log}"
    );

    let out = w.resume(vec![say("yes"), say("yes")]);
    let context = format!("{first}\n=== resume ===\n{}", out.explain());
    assert_eq!(out.code, 0, "{context}");
    assert!(
        out.transcript
            .contains("Going on with the API change on the 1.0 line, as you typed yes"),
        "{context}"
    );
    assert!(
        out.transcript
            .contains("No breaking API change against v0.9.9 (cargo-semver-checks)"),
        "{context}"
    );
    let log = read(&w.fx.dir.path().join("semver-checks.log"));
    assert!(
        log.lines()
            .any(|l| l.contains("check-release") && l.contains("--baseline-rev v0.9.9")),
        "{log}"
    );
    w.assert_finished(&context);
}

/// Without cargo-semver-checks, step 7 says for each line that the API check was skipped, and goes
/// on.
#[test]
fn without_semver_checks_step_7_says_the_api_check_was_skipped_on_every_line() {
    let fx = Fixture::new();
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&["1.0", "0.9"], &[]));
    let out = fx.caro(&args).unscripted().run();
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    let step7 = out
        .transcript
        .split("[7/16]")
        .nth(1)
        .and_then(|s| s.split("[8/16]").next())
        .unwrap_or_default();
    assert_eq!(
        step7
            .matches("API check skipped: cargo-semver-checks is not installed")
            .count(),
        2,
        "{context}"
    );
    // Skipped, so not shown as run (issue 31).
    for base in ["v1.0.10", "v0.9.9"] {
        assert!(
            !step7.contains(&format!(
                "$ cargo semver-checks check-release --package minicrate --baseline-rev {base}"
            )),
            "{context}"
        );
    }
}

/// The skip says how to install it, in one readable sentence.
#[test]
fn the_api_check_skipped_message_reads_as_one_sentence() {
    let fx = Fixture::new();
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&["1.0"], &[]));
    let out = fx.caro(&args).unscripted().run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains(
            "API check skipped: cargo-semver-checks is not installed (install it with \
             `cargo install cargo-semver-checks --locked`)"
        ),
        "{}",
        out.explain()
    );
}

// ---------------------------------------------------------------------------------------------------
// The configuration's `lines`

/// `lines = ["1.0", "0.9"]` in `[package.metadata.hotfix]` works as `--line 1.0 --line 0.9`.
#[test]
fn the_configuration_names_the_lines() {
    let fx = Fixture::new();
    let manifest = read(&fx.work.join("Cargo.toml")).replace(
        "strategy = \"main\"\n",
        "strategy = \"main\"\nlines = [\"0.9\", \"1.0\"]\n",
    );
    write(&fx.work.join("Cargo.toml"), &manifest);
    git(&fx.work, &["commit", "-q", "-am", "hotfix: both lines"]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&[], &[]));
    let out = fx.caro(&args).unscripted().run();
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    assert!(
        out.transcript
            .contains("Release lines of this incident: 1.0 (from v1.0.10), 0.9 (from v0.9.9)"),
        "{context}"
    );
    for tag in ["v1.0.11", "v0.9.10"] {
        assert!(
            out.transcript
                .contains(&format!("[dry-run] would run: $ git push origin {tag}")),
            "{context}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// A prepared fix (`--fix-from`)

/// Commits the fix on a branch `prepared` from v1.0.10 and returns its id; main stays checked out.
fn prepared_fix(fx: &Fixture) -> String {
    let work = &fx.work;
    git(work, &["checkout", "-q", "-b", "prepared", "v1.0.10"]);
    commit_fix_in(work);
    let fix = git(work, &["rev-parse", "HEAD"]);
    git(work, &["checkout", "-q", "main"]);
    fix
}

/// `--fix-from` with two lines: the prepared fix is cherry-picked onto the first line at step 5 (no
/// `done` asked) and carried from there to the 0.9 line; both lines finish.
#[test]
fn a_prepared_fix_is_carried_to_every_line() {
    let w = World::two();
    let fix = prepared_fix(&w.fx);
    let out = w.run(&w.args(&["--fix-from", &fix]), vec![say("yes"), say("yes")]);
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    assert!(!out.transcript.contains("Type 'done'"), "{context}");
    w.assert_finished(&context);
}

/// A rehearsal with the prepared fix finds the conflict on the 0.8 line before anything is real:
/// it stops at step 5 naming the line and the file, and the repository and the origin are as they
/// were.
#[test]
fn a_rehearsal_with_the_prepared_fix_finds_the_conflict_and_changes_nothing() {
    let fx = Fixture::three_lines_conflicting_on_0_8();
    let fix = prepared_fix(&fx);
    let before = fx.snapshot();
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&["1.0", "0.9", "0.8"], &["--fix-from", &fix]));
    let out = fx.caro(&args).unscripted().run();
    let context = out.explain();
    assert_eq!(out.code, 1, "{context}");
    assert!(
        out.error()
            .contains("line 0.8 (v0.8.4): the fix does not apply to hotfix/v0.8.4")
            && out.error().contains("stops with conflicts in src/lib.rs"),
        "{context}"
    );
    assert!(
        fx.snapshot() == before,
        "the rehearsal changed something\n{context}"
    );
}

/// A rehearsal leaves nothing to resume, so its conflict message must not say to resume.
#[test]
fn a_rehearsal_conflict_does_not_say_to_resume() {
    let fx = Fixture::three_lines_conflicting_on_0_8();
    let fix = prepared_fix(&fx);
    let mut args: Vec<String> = ["--dry-run", "--non-interactive"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(bad_line_args(&["1.0", "0.9", "0.8"], &["--fix-from", &fix]));
    let out = fx.caro(&args).unscripted().run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        !out.error().contains("caro-hotfix resume"),
        "{}",
        out.explain()
    );
}

/// Lines 1.0 and 0.9 of the three-line fixture: the 0.8 line, affected too, is not patched. Step 4
/// says so, the one advisory lists it as vulnerable with no patched version beside the two patched
/// lines, the summary says it stays vulnerable, and nothing is released for it.
#[test]
fn a_line_left_out_stays_in_the_advisory_as_vulnerable_with_no_patched_version() {
    let w = World::new(Fixture::three_lines(), &TWO);
    let out = w.run(&w.args(&[]), w.answers());
    let context = out.explain();
    assert_eq!(out.code, 0, "{context}");
    w.assert_finished(&context);
    let vulnerabilities = w.emu.advisories(CANONICAL)[0]["vulnerabilities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(vulnerabilities.len(), 3, "{vulnerabilities:#?}");
    let unpatched: Vec<&Value> = vulnerabilities
        .iter()
        .filter(|v| v["patched_versions"].is_null())
        .collect();
    assert_eq!(unpatched.len(), 1, "{vulnerabilities:#?}");
    assert_eq!(
        unpatched[0]["vulnerable_version_range"],
        ">= 0.8.3, <= 0.8.3"
    );
    let step4 = out
        .transcript
        .split("[4/16]")
        .nth(1)
        .and_then(|t| t.split("[5/16]").next())
        .unwrap_or_default();
    assert!(
        step4.contains(
            "Line 0.8: 0.8.3 affected (>= 0.8.3, <= 0.8.3) and NOT patched by this hotfix"
        ),
        "{context}"
    );
    let summary = out.transcript.rsplit("[16/16]").next().unwrap_or_default();
    assert!(
        summary.contains("Still vulnerable, not patched by this hotfix: 0.8.3"),
        "{context}"
    );
    assert!(
        origin_git(&w.fx, &["tag", "--list", "v0.8.4"]).is_empty(),
        "{context}"
    );
    assert!(w.pulls().iter().all(|p| p["base"] != "release/0.8"));
}
