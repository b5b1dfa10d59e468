//! Publishing as it is now (issue 19): step 2 asks the registry's API whether the crate accepts
//! only trusted publishing and finds the workflow that will publish the tag; step 12 waits until
//! both the API and the (lagging) index show the version, honouring 429, then downloads the
//! published `.crate` and checks it is the tagged source. The registry is the test server on
//! 127.0.0.1 (index, API and downloads), the crates are packaged by the real `cargo package` from
//! the tag, and the tool's real curl talks to it.

use crate::support::index_server::IndexServer;
use crate::support::*;

fn args<'a>(index: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["--poll-interval", "0.05", "--registry-index", index];
    a.extend_from_slice(&STEP4_FLAGS);
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// yes, the fix committed while the wizard waits for done, and the audit skipped.
fn answers(fx: &Fixture) -> Vec<Answer> {
    // …and the typed `yes` that publishes the advisory at step 13.
    vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")]
}

/// Commits `files` on main and pushes them (the tree the hotfix will be tagged on).
fn commit_on_main(fx: &Fixture, files: &[(&str, &str)], message: &str) {
    for (path, text) in files {
        write(&fx.work.join(path), text);
    }
    git(&fx.work, &["add", "-A"]);
    git(&fx.work, &["commit", "-q", "-m", message]);
    git(&fx.work, &["push", "-q", "origin", "main"]);
}

/// How many advisories step 13 sent (`gh api -X POST … --input`).
/// The advisories created (`POST`): the draft of step 4, once; publishing it is a `PATCH`.
fn advisories_sent(fx: &Fixture) -> usize {
    fx.gh_calls()
        .iter()
        .filter(|argv| {
            ["api", "-X", "POST", "--input"]
                .iter()
                .all(|w| argv.iter().any(|a| a == w))
        })
        .count()
}

const TRUSTED_WORKFLOW: &str = "\
name: Publish
on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: release
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: rust-lang/crates-io-auth-action@v1
        id: auth
      - run: cargo publish --locked
        env:
          CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}
";

const TOKEN_WORKFLOW: &str = "\
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo publish --locked
        env:
          CARGO_REGISTRY_TOKEN: ${{ secrets.CARGO_REGISTRY_TOKEN }}
";

#[test]
fn a_crate_published_from_the_tag_is_checked_file_by_file_and_matches() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 1);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let tagged = git(&fx.work, &["rev-parse", "v1.0.11^{commit}"]);
    let line = out
        .transcript
        .lines()
        .find(|l| l.contains("is the tagged source"))
        .unwrap_or_else(|| panic!("no verdict line\n{}", out.explain()));
    // One line: the checksum, the commit, every packaged file (the tag's tracked files, with
    // cargo's Cargo.toml.orig, .cargo_vcs_info.json and Cargo.lock), the normalised manifest's
    // dependencies (minicrate has none) and the committed lock's packages (minicrate itself).
    assert!(
        line.contains(&format!(
            "The published minicrate 1.0.11 is the tagged source v1.0.11: checksum, commit {}, ",
            &tagged[..12]
        )) && line.ends_with(" files, manifest (0 dependencies), Cargo.lock (1 package) match"),
        "{line}"
    );
    // The .crate was downloaded once, from the `dl` of config.json (no markers: the standard
    // `/{crate}/{version}/download`), after the API and the index both showed the version.
    let paths: Vec<String> = index.requests().into_iter().map(|r| r.path).collect();
    let downloads: Vec<&String> = paths.iter().filter(|p| p.ends_with("/download")).collect();
    assert_eq!(downloads, ["/api/v1/crates/minicrate/1.0.11/download"]);
    assert!(paths.contains(&"/api/v1/crates/minicrate/1.0.11".to_string()));
    assert!(paths.contains(&"/config.json".to_string()));
    // Step 2 asked the API about the crate before anything changed.
    assert!(paths.contains(&"/api/v1/crates/minicrate".to_string()));
    assert_eq!(advisories_sent(&fx), 1);
}

#[test]
fn a_crate_that_differs_from_the_tag_in_one_file_stops_before_the_advisory() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 1);
    // The pipeline ships another src/lib.rs under the tag's name (its .cargo_vcs_info.json still
    // names the tagged commit: only the file gives it away).
    index.tamper(
        "src/lib.rs",
        "pub fn record_len(_: &[u8]) -> usize { exfiltrate() }\n",
    );
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let error = out.error();
    assert!(
        error.contains("step 12") && error.contains("is NOT the tagged source v1.0.11"),
        "{}",
        out.explain()
    );
    assert!(
        error.contains("2 differences:\n  - .cargo_vcs_info.json: says `\"dirty\": true`: the crate was packaged from a work tree with uncommitted changes")
            && error.contains("\n  - src/lib.rs: differs from the tag's file"),
        "{error}"
    );
    assert!(error.contains("compromised publishing pipeline"), "{error}");
    assert!(error.contains("caro-hotfix resume"), "{error}");
    // The advisory stays the draft of step 4 (step 13 never ran), and the record waits at step 12.
    assert_eq!(advisories_sent(&fx), 1);
    let out = fx.caro(&["status"]).run();
    assert!(
        out.transcript
            .contains("the published crate differs from the tag"),
        "{}",
        out.explain()
    );
    // Resume looks again, and stops again: nothing is taken on trust.
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("src/lib.rs: differs"),
        "{}",
        out.explain()
    );
    assert_eq!(advisories_sent(&fx), 1);
}

#[test]
fn a_trusted_publishing_only_crate_without_a_workflow_that_can_get_a_token_stops_at_step_2() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.trustpub_only(Some(true));
    let url = index.url();
    let before = git(&fx.work, &["for-each-ref", "--format=%(refname)"]);

    let out = fx.caro(&args(&url, &[])).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let error = out.error();
    assert!(error.contains("step 2"), "{}", out.explain());
    assert!(
        error
            .contains("minicrate accepts only trusted publishing (the registry's `trustpub_only`)"),
        "{error}"
    );
    assert!(
        error.contains("origin/main has no workflow run by a tag push or a release that publishes"),
        "{error}"
    );
    // What to add, said in full.
    for needed in [
        "id-token: write",
        "rust-lang/crates-io-auth-action@v1",
        "Trusted Publishing",
    ] {
        assert!(error.contains(needed), "{needed}: {error}");
    }
    // Nothing changed: no branch, still on main.
    assert_eq!(
        git(&fx.work, &["for-each-ref", "--format=%(refname)"]),
        before
    );
    assert_eq!(git(&fx.work, &["branch", "--show-current"]), "main");

    // A workflow that publishes with a token from its secrets cannot get one either.
    commit_on_main(
        &fx,
        &[(".github/workflows/release.yml", TOKEN_WORKFLOW)],
        "ci: publish on release",
    );
    let out = fx.caro(&args(&url, &[])).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(
            "`.github/workflows/release.yml` in origin/main cannot get an OIDC token (it has no \
             `permissions: id-token: write`)"
        ),
        "{}",
        out.explain()
    );
}

#[test]
fn a_trusted_publishing_only_crate_with_an_oidc_workflow_goes_on_and_says_how_it_publishes() {
    let fx = Fixture::new();
    commit_on_main(
        &fx,
        &[
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  t:\n    steps:\n      - run: cargo test\n",
            ),
            (".github/workflows/publish.yml", TRUSTED_WORKFLOW),
        ],
        "ci: trusted publishing",
    );
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.trustpub_only(Some(true));
    let url = index.url();
    // Step 2 passes; the run stops at step 5, whose `done` the script does not give.
    let out = fx.caro(&args(&url, &[])).answers(vec![say("yes")]).run();
    assert!(
        out.transcript.contains(
            "✓ Publishing: minicrate accepts only trusted publishing; `.github/workflows/publish.yml` \
             in origin/main publishes on a tag push or release with an OIDC token (`id-token: write`), \
             environment `release`"
        ),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("[3/16] Create the hotfix branch"),
        "{}",
        out.explain()
    );
    assert!(git_ok(
        &fx.work,
        &["rev-parse", "--verify", "hotfix/v1.0.11"]
    ));
}

#[test]
fn a_crate_not_on_the_registry_yet_and_an_unreachable_api_are_said_and_not_stops() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(vec![say("yes")]).run();
    assert!(
        out.transcript.contains(&format!(
            "⚠️  minicrate is not on the registry ({}) yet: this hotfix would be its first publish.",
            url.trim_end_matches('/')
        )),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript
            .contains("Publishing: no workflow in origin/main publishes on a tag"),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("[3/16] Create the hotfix branch"),
        "{}",
        out.explain()
    );

    // The default test registry is a closed port: a warning, and the hotfix goes on.
    let fx = Fixture::new();
    let out = fx
        .caro(
            &STEP4_FLAGS
                .iter()
                .copied()
                .chain([DESCRIPTION])
                .collect::<Vec<_>>(),
        )
        .answers(vec![say("yes")])
        .run();
    assert!(
        out.transcript.contains(
            "could not ask the registry's API whether minicrate accepts only trusted publishing"
        ),
        "{}",
        out.explain()
    );
    assert!(
        out.transcript.contains("[3/16] Create the hotfix branch"),
        "{}",
        out.explain()
    );
}

#[test]
fn a_lagging_index_and_a_429_are_waited_for_saying_which_is_missing() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    // After step 2's one look at the index: the API knows 1.0.11, the index file stays stale for
    // three more requests, and the next two requests are told to wait a second.
    index.publish_after("1.0.11", 1);
    index.lag_index("1.0.11", 3);
    index.rate_limit_from(1, 2, Some(1));
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    let said = |needle: &str| {
        t.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not said\n{}", out.explain()))
    };
    let limit = said("for up to 15 min;");
    let waited = said("answered 429 Too Many Requests: waiting 1 s as its Retry-After asks");
    let lag = said(
        "the registry's API has minicrate 1.0.11 published; the index file does not show it yet \
         (CDN edges can serve a stale index file for minutes)",
    );
    let visible = said("Published: minicrate 1.0.11 is in the registry's API and index");
    let checked = said("is the tagged source");
    assert!(
        limit < waited && waited < lag && lag < visible && visible < checked,
        "{t}"
    );
    // The missing index line was said once, not at every poll.
    assert_eq!(
        t.matches("the index file does not show it yet").count(),
        1,
        "{t}"
    );
    assert!(index.responses().iter().filter(|r| r.status == 429).count() == 2);
}

#[test]
fn bad_registry_answers_at_step_12_are_named_and_resume_retries() {
    let fx = Fixture::new();
    let index = IndexServer::publishing(CRATE, &fx.origin);
    index.add_version("1.0.10");
    index.publish_after("1.0.11", 1);
    let api = index.url().trim_end_matches('/').to_string();
    // 1. config.json without `dl`: a warning at step 2 (the API is still asked), a stop at step 12.
    index.config_json(Some(&format!("{{\"api\":\"{api}\"}}")));
    let url = index.url();
    let out = fx.caro(&args(&url, &[])).answers(answers(&fx)).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    let no_dl = format!("the registry's {url}config.json has no `dl`");
    assert!(out.transcript.contains(&no_dl), "{}", out.explain());
    assert!(
        out.error().contains("step 12") && out.error().contains(&no_dl),
        "{}",
        out.explain()
    );

    // 2. The download answers 404.
    index.config_json(None);
    index.no_download("1.0.11", true);
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains(&format!(
            "the registry answered HTTP 404 for the download {url}api/v1/crates/minicrate/1.0.11/download"
        )),
        "{}",
        out.explain()
    );

    // 3. The download is not a gzip tarball (an HTML error page with a matching checksum).
    index.no_download("1.0.11", false);
    index.set_archive(
        "1.0.11",
        b"<html><body>Service Unavailable</body></html>".to_vec(),
    );
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("is not a gzip-compressed tarball (a .crate file); it starts with \"<html><body>Service"),
        "{}",
        out.explain()
    );

    // 4. The checksum in the index is not the download's.
    index.reset("1.0.11");
    index.wrong_cksum("1.0.11", true);
    let out = fx.caro(&["resume"]).run();
    assert_eq!(out.code, 1, "{}", out.explain());
    assert!(
        out.error().contains("but the registry index says")
            && out
                .error()
                .contains("the download is not the crate the index lists"),
        "{}",
        out.explain()
    );
    assert_eq!(advisories_sent(&fx), 1);

    // Put right, resume finishes the hotfix (the typed `yes` publishes the advisory): nothing was
    // lost on the way.
    index.wrong_cksum("1.0.11", false);
    let out = fx.caro(&["resume"]).answers(vec![say("yes")]).run();
    assert_eq!(out.code, 0, "{}", out.explain());
    assert!(
        out.transcript.contains("is the tagged source"),
        "{}",
        out.explain()
    );
    assert!(out.transcript.contains("SECURITY HOTFIX v1.0.11 PUBLISHED"));
    assert_eq!(advisories_sent(&fx), 1);
}
