//! Issue 25, one advisory per vulnerability and read before write, with the REAL gh against the
//! GitHub emulator: a private vulnerability report (state `triage`) of this crate is adopted — no
//! second advisory — with the reporter's description, CVSS, CWE and credit kept and the versions
//! filled in; step 13 reads the draft first and sends only what this incident owns (never
//! `severity`, which GitHub refuses once a CVSS vector is set); a 422 is reported with GitHub's
//! `errors[]`, and the credit is dropped only when they are about the credit.

use crate::disclosure::{advisory_requests, hide_ghsa, run, world};
use crate::support::emulator::{self, Emulator};
use crate::support::*;
use serde_json::{json, Value};

const CANONICAL: &str = "example/minicrate";
const CVSS: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";

/// A private vulnerability report as a reporter files it on GitHub ("Report a vulnerability"): a
/// title naming the crate, their description, a CVSS vector, a CWE, the affected package with a
/// rough range and the function, no patched version; its author credited as the reporter.
fn report(emu: &Emulator, summary: &str) -> Value {
    emu.control(
        "POST",
        "/_control/advisories",
        json!({"repo": CANONICAL, "advisory": {
            "reporter": "grace",
            "summary": summary,
            "description": "record_len trusts the length prefix: a short buffer is read past its end.\n\nProof of concept attached.",
            "cvss_vector_string": CVSS,
            "cwe_ids": ["CWE-125"],
            "vulnerabilities": [{
                "package": {"ecosystem": "rust", "name": "minicrate"},
                "vulnerable_version_range": "<= 1.0.10",
                "patched_versions": null,
                "vulnerable_functions": ["minicrate::record_len"]
            }]
        }}),
    )
}

/// The advisory requests that change something (method, path, body), the GHSA id hidden, as JSON.
fn bodies(emu: &Emulator) -> String {
    let bodies: Vec<Value> = advisory_requests(emu)
        .into_iter()
        .map(|r| json!({"method": r["method"], "path": r["path"], "body": r["body"]}))
        .collect();
    hide_ghsa(&serde_json::to_string_pretty(&bodies).expect("json"))
}

fn hotfix_args<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--poll-interval",
        "0.2",
        "--registry-index",
        url,
        "--severity",
        "high",
        "--impact",
        "Remote attackers can read past the buffer",
        "--advisory",
        "RUSTSEC-2026-0042",
        "--credit",
        "@grace",
    ];
    a.extend_from_slice(extra);
    a.push(DESCRIPTION);
    a
}

/// A reporter's private report (triage) of this crate exists when the hotfix starts: step 4 adopts
/// it — read with GET, accepted into a draft, its versions filled in — and creates none; step 13
/// finds nothing more to send and publishes it. The reporter's description, CVSS vector, CWE, credit
/// and vulnerable function are what is published; the versions are this incident's.
#[test]
fn a_private_report_in_triage_is_adopted_and_no_second_advisory_is_created() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    let reported = report(&emu, "Out-of-bounds read in minicrate's record_len");
    let ghsa = reported["ghsa_id"].as_str().expect("ghsa").to_string();
    index.publish_after("1.0.11", 2);
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &hotfix_args(&url, &[]),
        vec![say("yes"), fx.commit_fix_then("done"), say("y"), say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    assert!(
        t.contains(&format!("Adopted the advisory {ghsa} (triage, by grace)")),
        "{t}"
    );
    assert!(
        t.contains(&format!("Accepted the vulnerability report {ghsa}")),
        "{t}"
    );

    // One advisory: the report, published.
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1, "{advisories:#?}");
    let a = &advisories[0];
    assert_eq!(a["ghsa_id"], json!(ghsa));
    assert_eq!(a["state"], "published");
    assert_eq!(a["description"], reported["description"]);
    assert_eq!(a["summary"], reported["summary"]);
    assert_eq!(a["cvss"]["vector_string"], CVSS);
    assert_eq!(a["cwe_ids"], json!(["CWE-125"]));
    assert_eq!(
        a["credits"],
        json!([{"login": "grace", "type": "reporter"}])
    );
    assert_eq!(
        emulator::vulnerability_ranges(a),
        [
            (">= 0.9.9, <= 0.9.9".to_string(), Value::Null),
            (">= 1.0.0, < 1.0.11".to_string(), json!("1.0.11")),
        ]
    );
    assert_eq!(
        a["vulnerabilities"][1]["vulnerable_functions"],
        json!(["minicrate::record_len"])
    );

    // Never created; read with GET before the first write to it.
    let requests = emu.requests();
    let on_it = |r: &Value| {
        r["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&format!("/security-advisories/{ghsa}")))
    };
    let first_get = requests
        .iter()
        .position(|r| on_it(r) && r["method"] == "GET")
        .expect("read with GET");
    let first_patch = requests
        .iter()
        .position(|r| on_it(r) && r["method"] == "PATCH")
        .expect("written");
    assert!(first_get < first_patch);
    assert!(
        !requests.iter().any(|r| r["method"] == "POST"
            && r["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/security-advisories"))),
        "{requests:#?}"
    );
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("adopted_report_requests", bodies(&emu));
    });

    // The RustSec draft carries the reporter's CVSS vector and CWE too.
    let draft = read(
        &fx.work
            .join(".git/caro-hotfix/advisory-db/crates/minicrate/RUSTSEC-0000-0000.md"),
    );
    assert!(draft.contains(CVSS), "{draft}");
    assert!(draft.contains(&ghsa), "{draft}");
}

/// Two reports name the crate: the maintainer is asked which is this vulnerability, and the one
/// chosen is adopted; the other is left alone and nothing is created.
#[test]
fn several_candidate_reports_are_asked_about() {
    let (fx, emu, index) = world();
    let first = report(&emu, "minicrate: panic on an empty header");
    let second = report(&emu, "Out-of-bounds read in minicrate's record_len");
    let id = |a: &Value| a["ghsa_id"].as_str().expect("ghsa").to_string();
    let choice = format!(
        "{} (triage): Out-of-bounds read in minicrate's record_len",
        id(&second)
    );
    let url = index.url();
    // Stops at step 5 (no answer to `done`): the adoption is done by then.
    let out = run(
        &fx,
        &emu,
        &hotfix_args(&url, &[]),
        vec![say("yes"), say(&choice)],
    );
    let t = out.explain();
    assert!(t.contains("The advisory of this vulnerability"), "{t}");
    assert!(
        t.contains(&format!("Adopted the advisory {}", id(&second))),
        "{t}"
    );
    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 2, "{advisories:#?}");
    let held = |ghsa: &str| {
        advisories
            .iter()
            .find(|a| a["ghsa_id"] == ghsa)
            .cloned()
            .expect("held")
    };
    assert_eq!(held(&id(&first))["state"], "triage");
    assert_eq!(
        held(&id(&first))["vulnerabilities"],
        first["vulnerabilities"]
    );
    assert_eq!(held(&id(&second))["state"], "draft");
    assert_eq!(
        emulator::vulnerability_ranges(&held(&id(&second)))[1],
        (">= 1.0.0, < 1.0.11".to_string(), json!("1.0.11"))
    );
}

/// Between step 4 and step 13 a co-maintainer edits the draft on GitHub: adds a CWE id and a CVSS
/// vector, and types a rough affected range without a patched version. Step 13 reads the draft,
/// shows the change, and sends the versions alone: no `severity` (GitHub answers 422 "Cannot update
/// severity value when CVSS is set" — the emulator too), no `cwe_ids: []`; the edit is published.
#[test]
fn step_13_keeps_an_edit_made_on_github_and_sends_no_severity() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"reviews": [{"author": "bob", "state": "APPROVED"}]}));
    index.publish_after("1.0.11", 2);
    let url = index.url();
    let port = emu.port;
    let edit = do_then_say(
        move || {
            let state = emulator::control_at(port, "GET", "/_control/state", json!({}));
            let ghsa = state["repos"][CANONICAL]["advisories"][0]["ghsa_id"].clone();
            emulator::control_at(
                port,
                "POST",
                "/_control/advisories",
                json!({"repo": CANONICAL, "advisory": {
                    "ghsa_id": ghsa,
                    "cwe_ids": ["CWE-125"],
                    "cvss_vector_string": CVSS,
                    "vulnerabilities": [{
                        "package": {"ecosystem": "rust", "name": "minicrate"},
                        "vulnerable_version_range": "< 1.0.11",
                        "patched_versions": "",
                        "vulnerable_functions": []
                    }]
                }}),
            );
        },
        "y",
    );
    let out = run(
        &fx,
        &emu,
        &hotfix_args(&url, &[]),
        vec![say("yes"), fx.commit_fix_then("done"), edit, say("yes")],
    );
    assert_eq!(out.code, 0, "{}", out.explain());
    let t = &out.transcript;
    // The change is shown before the typed yes, and what is kept is named.
    let change = t.find("The change to the advisory GHSA-").expect("shown");
    let question = t.find("Publish the advisory now?").expect("asked");
    assert!(change < question, "{t}");
    assert!(
        t.contains("vulnerabilities: < 1.0.11 → no patched version"),
        "{t}"
    );
    assert!(
        t.contains("→ >= 0.9.9, <= 0.9.9 → no patched version; >= 1.0.0, < 1.0.11 → 1.0.11"),
        "{t}"
    );
    assert!(t.contains("Kept as GitHub has them"), "{t}");
    assert!(!t.contains("GitHub did not update"), "{t}");

    let advisories = emu.advisories(CANONICAL);
    assert_eq!(advisories.len(), 1);
    let a = &advisories[0];
    assert_eq!(a["state"], "published");
    assert_eq!(a["cwe_ids"], json!(["CWE-125"]));
    assert_eq!(a["cvss"]["vector_string"], CVSS);
    assert_eq!(
        emulator::vulnerability_ranges(a)[1],
        (">= 1.0.0, < 1.0.11".to_string(), json!("1.0.11"))
    );
    // Every write after the creation: no severity, no cwe_ids, no description.
    let requests = advisory_requests(&emu);
    for r in &requests[1..] {
        for field in ["severity", "cwe_ids", "description", "cvss_vector_string"] {
            assert!(r["body"].get(field).is_none(), "{r:#}");
        }
    }
    snapshot::settings().bind(|| {
        insta::assert_snapshot!("step_13_after_an_edit_on_github", bodies(&emu));
    });
}

/// GitHub refuses the draft with a 422 whose `errors[]` names the CWE id (one it does not know),
/// not the credit: the maintainer is told that field and GitHub's words, the credit is not dropped
/// (one request, the kept JSON still credits @grace), and the manual link is given.
#[test]
fn a_422_about_another_field_is_reported_with_it_and_the_credit_is_kept() {
    let (fx, emu, index) = world();
    emu.knobs(json!({"cwes": ["CWE-125", "CWE-787"]}));
    let url = index.url();
    let out = run(
        &fx,
        &emu,
        &hotfix_args(&url, &["--cwe", "CWE-99999"]),
        vec![say("yes")],
    );
    let t = out.explain();
    assert!(
        t.contains(
            "GitHub did not create the advisory: Validation Failed (cwe_ids: invalid — CWE-99999 is \
             not a known CWE) [HTTP 422]"
        ),
        "{t}"
    );
    assert!(!t.contains("refused the advisory's credit"), "{t}");
    assert!(
        t.contains("http://github.localhost/example/minicrate/security/advisories/new"),
        "{t}"
    );
    let posts: Vec<Value> = advisory_requests(&emu)
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert_eq!(
        posts[0]["body"]["credits"],
        json!([{"login": "grace", "type": "reporter"}])
    );
    let kept: Value =
        serde_json::from_str(&read(&fx.work.join(".git/caro-hotfix/advisory.json"))).expect("json");
    assert_eq!(
        kept["credits"],
        json!([{"login": "grace", "type": "reporter"}])
    );
    assert!(emu.advisories(CANONICAL).is_empty());
}

/// gh alone against the emulator, as the product calls it: what the product reads of a refusal is
/// there — GitHub's body with `errors[]` on stdout, `(HTTP 422)` on stderr; `severity` on an
/// advisory with a CVSS vector is refused with GitHub's message (the old step 13 sent it); a report
/// in triage is not published until accepted with `PATCH state=draft`.
#[test]
fn gh_shows_the_emulators_refusals_as_the_product_reads_them() {
    emulator::require_gh();
    let (fx, emu, _index) = world();
    let ghsa = id_of(&report(
        &emu,
        "Out-of-bounds read in minicrate's record_len",
    ));
    let gh = |method: &str, path: &str, body: Value| {
        let input = fx.dir.path().join("body.json");
        write(&input, &body.to_string());
        let out = emu
            .env()
            .into_iter()
            .fold(
                std::process::Command::new("/usr/bin/gh"),
                |mut c, (k, v)| {
                    c.env(k, v);
                    c
                },
            )
            .env("GH_REPO", CANONICAL)
            .current_dir(fx.dir.path())
            .args([
                "api",
                path,
                "-X",
                method,
                "-H",
                "Content-Type: application/json",
                "--input",
            ])
            .arg(&input)
            .output()
            .expect("gh runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let one = format!("repos/{{owner}}/{{repo}}/security-advisories/{ghsa}");
    let (code, _, stderr) = gh("PATCH", &one, json!({"state": "published"}));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("must be accepted (state draft)"),
        "{stderr}"
    );
    let (code, _, stderr) = gh("PATCH", &one, json!({"severity": "high"}));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("Cannot update severity value when CVSS is set. (HTTP 422)"),
        "{stderr}"
    );
    let (code, stdout, _) = gh("PATCH", &one, json!({"state": "draft"}));
    assert_eq!(code, Some(0), "{stdout}");
    emu.knobs(json!({"cwes": ["CWE-125"]}));
    let (code, stdout, stderr) = gh("PATCH", &one, json!({"cwe_ids": ["CWE-99999"]}));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("(HTTP 422)"), "{stderr}");
    let body: Value = serde_json::from_str(&stdout).expect("GitHub's body on stdout");
    assert_eq!(body["message"], "Validation Failed");
    assert_eq!(body["errors"][0]["field"], "cwe_ids");
    assert_eq!(body["errors"][0]["code"], "invalid");
    assert_eq!(emu.advisories(CANONICAL)[0]["state"], "draft");
}

fn id_of(advisory: &Value) -> String {
    advisory["ghsa_id"].as_str().expect("ghsa").to_string()
}
