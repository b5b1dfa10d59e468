//! Reading `cargo audit --json` (cargo-audit 0.22): the vulnerabilities and warnings of step 8.
//!
//! cargo-audit exits 1 both when it finds something and when it could not run at all (no advisory
//! database, no network); only stdout tells the two apart, so an empty stdout is an error here rather
//! than a clean report. The JSON is read tolerantly — every field we do not strictly need may be
//! missing or null — because the format is not a stable interface and a release must not stop over a
//! renamed field. The recorded outputs in `tests/fixtures/cargo-audit-0.22.2/` are the ground truth.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use serde::Deserialize;

/// One advisory that applies to one package in the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `RUSTSEC-…`; empty for warnings that have no advisory (a yanked crate).
    pub id: String,
    pub package: String,
    pub version: String,
    pub title: String,
    /// `vulnerability`, or the warning kind: `unmaintained`, `unsound`, `notice`, `yanked`.
    pub kind: String,
    /// Version requirements that fix it (`>=1.0.1`); empty when there is no fix.
    pub patched: Vec<String>,
    pub url: Option<String>,
}

/// Everything one audit found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub vulnerabilities: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Report {
    /// Nothing to show or ask about: the step continues without a question.
    pub fn is_clean(&self) -> bool {
        self.vulnerabilities.is_empty() && self.warnings.is_empty()
    }

    /// Vulnerabilities first, then warnings: the order they are listed and recorded in.
    pub fn all(&self) -> impl Iterator<Item = &Finding> {
        self.vulnerabilities.iter().chain(self.warnings.iter())
    }
}

impl Finding {
    /// One line for the terminal and the CHANGELOG's "Known issues", e.g.
    /// `RUSTSEC-2099-0001 vulncrate 1.0.0: Buffer overflow in vulncrate (vulnerability; patched: >=1.0.1)`.
    pub fn summary(&self) -> String {
        let mut line = String::new();
        if !self.id.is_empty() {
            line.push_str(&self.id);
            line.push(' ');
        }
        line.push_str(&self.package);
        if !self.version.is_empty() {
            line.push(' ');
            line.push_str(&self.version);
        }
        line.push_str(": ");
        line.push_str(&self.title.split_whitespace().collect::<Vec<_>>().join(" "));
        line.push_str(" (");
        line.push_str(&self.kind);
        if self.patched.is_empty() {
            line.push_str("; no patched version");
        } else {
            line.push_str("; patched: ");
            line.push_str(&self.patched.join(", "));
        }
        line.push(')');
        line
    }
}

/// Parses the stdout of `cargo audit --json`.
pub fn parse(stdout: &str) -> Result<Report> {
    if stdout.trim().is_empty() {
        bail!(
            "cargo audit printed nothing on stdout: the audit did not run \
             (often: the advisory database could not be fetched)"
        );
    }
    let value: serde_json::Value = serde_json::from_str(stdout)
        .map_err(|e| anyhow!("cargo audit's output is not valid JSON: {e}"))?;
    let looks_like_report = value
        .as_object()
        .is_some_and(|o| o.contains_key("vulnerabilities") || o.contains_key("warnings"));
    if !looks_like_report {
        bail!("cargo audit's output is JSON but not an audit report (no `vulnerabilities` or `warnings`): is this `cargo audit --json`?");
    }
    let raw: RawReport = serde_json::from_value(value)
        .map_err(|e| anyhow!("cargo audit's JSON report has an unexpected shape: {e}"))?;

    let vulnerabilities = raw
        .vulnerabilities
        .unwrap_or_default()
        .list
        .unwrap_or_default()
        .into_iter()
        .map(|v| finding("vulnerability".to_string(), v))
        .collect();
    let warnings = raw
        .warnings
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(kind, list)| {
            list.unwrap_or_default().into_iter().map(move |w| {
                let kind = w.kind.clone().unwrap_or_else(|| kind.clone());
                finding(kind, w)
            })
        })
        .collect();
    Ok(Report {
        vulnerabilities,
        warnings,
    })
}

fn finding(kind: String, raw: RawEntry) -> Finding {
    let advisory = raw.advisory.unwrap_or_default();
    let package = raw.package.unwrap_or_default();
    let title = advisory.title.unwrap_or_else(|| match kind.as_str() {
        "yanked" => "this version was yanked from the registry".to_string(),
        other => other.to_string(),
    });
    Finding {
        id: advisory.id.unwrap_or_default(),
        package: package
            .name
            .or(advisory.package)
            .unwrap_or_else(|| "unknown package".to_string()),
        version: package.version.unwrap_or_default(),
        title,
        kind,
        patched: raw
            .versions
            .and_then(|v| v.patched)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect(),
        url: advisory.url,
    }
}

#[derive(Deserialize, Default)]
struct RawReport {
    vulnerabilities: Option<RawVulnerabilities>,
    warnings: Option<BTreeMap<String, Option<Vec<RawEntry>>>>,
}

#[derive(Deserialize, Default)]
struct RawVulnerabilities {
    list: Option<Vec<RawEntry>>,
}

/// A vulnerability or a warning: both carry the same parts.
#[derive(Deserialize, Default)]
struct RawEntry {
    kind: Option<String>,
    advisory: Option<RawAdvisory>,
    package: Option<RawPackage>,
    versions: Option<RawVersions>,
}

#[derive(Deserialize, Default)]
struct RawAdvisory {
    id: Option<String>,
    package: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawPackage {
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawVersions {
    patched: Option<Vec<Option<String>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const VULNERABLE: &str = include_str!(
        "../../tests/fixtures/cargo-audit-0.22.2/vulnerable-and-unmaintained.stdout.json"
    );
    const CLEAN: &str = include_str!("../../tests/fixtures/cargo-audit-0.22.2/clean.stdout.json");
    const OFFLINE_STDOUT: &str =
        include_str!("../../tests/fixtures/cargo-audit-0.22.2/offline-fetch-failure.stdout.json");
    const OFFLINE_STDERR: &str =
        include_str!("../../tests/fixtures/cargo-audit-0.22.2/offline-fetch-failure.stderr.txt");

    #[test]
    fn real_report_with_a_vulnerability_and_an_unmaintained_warning() {
        let report = parse(VULNERABLE).unwrap();
        assert!(!report.is_clean());
        assert_eq!(
            report.vulnerabilities,
            [Finding {
                id: "RUSTSEC-2099-0001".into(),
                package: "vulncrate".into(),
                version: "1.0.0".into(),
                title: "Buffer overflow in vulncrate".into(),
                kind: "vulnerability".into(),
                patched: vec![">=1.0.1".into()],
                url: Some("https://example.com/advisory".into()),
            }]
        );
        assert_eq!(
            report.warnings,
            [Finding {
                id: "RUSTSEC-2099-0002".into(),
                package: "oldcrate".into(),
                version: "0.3.0".into(),
                title: "oldcrate is unmaintained".into(),
                kind: "unmaintained".into(),
                patched: vec![],
                url: Some("https://example.com/oldcrate".into()),
            }]
        );
        let summaries: Vec<String> = report.all().map(Finding::summary).collect();
        assert_eq!(
            summaries,
            [
                "RUSTSEC-2099-0001 vulncrate 1.0.0: Buffer overflow in vulncrate (vulnerability; patched: >=1.0.1)",
                "RUSTSEC-2099-0002 oldcrate 0.3.0: oldcrate is unmaintained (unmaintained; no patched version)",
            ]
        );
    }

    #[test]
    fn real_clean_report() {
        let report = parse(CLEAN).unwrap();
        assert!(report.is_clean());
        assert_eq!(report.all().count(), 0);
    }

    #[test]
    fn real_offline_failure_is_an_error_not_a_clean_report() {
        assert!(OFFLINE_STDERR.contains("couldn't fetch advisory database"));
        let err = parse(OFFLINE_STDOUT).unwrap_err().to_string();
        assert_eq!(
            err,
            "cargo audit printed nothing on stdout: the audit did not run \
             (often: the advisory database could not be fetched)"
        );
        assert!(parse("  \n").is_err());
    }

    #[test]
    fn invalid_json_carries_serdes_message() {
        let err = parse("error: something {").unwrap_err().to_string();
        assert!(
            err.starts_with("cargo audit's output is not valid JSON: expected value at line 1"),
            "{err}"
        );
        let err = parse("[1, 2]").unwrap_err().to_string();
        assert!(err.contains("not an audit report"), "{err}");
    }

    #[test]
    fn missing_and_null_fields_do_not_fail() {
        let json = r#"{
            "vulnerabilities": {"list": [{"advisory": {"id": "RUSTSEC-2024-0001", "package": "a"}}]},
            "warnings": {
                "yanked": [{"kind": "yanked", "advisory": null,
                            "package": {"name": "b", "version": "0.1.0"}, "versions": null}],
                "unsound": null,
                "notice": [{"package": {"name": "c"}, "advisory": {"id": "RUSTSEC-2024-0002", "title": "Notice\n  about c"},
                            "versions": {"patched": [">=2", null]}}]
            }
        }"#;
        let report = parse(json).unwrap();
        assert_eq!(report.vulnerabilities.len(), 1);
        assert_eq!(
            report.vulnerabilities[0].summary(),
            "RUSTSEC-2024-0001 a: vulnerability (vulnerability; no patched version)"
        );
        let summaries: Vec<String> = report.warnings.iter().map(Finding::summary).collect();
        assert_eq!(
            summaries,
            [
                "RUSTSEC-2024-0002 c: Notice about c (notice; patched: >=2)",
                "b 0.1.0: this version was yanked from the registry (yanked; no patched version)",
            ]
        );
        assert!(parse(r#"{"vulnerabilities": null, "warnings": {}}"#)
            .unwrap()
            .is_clean());
    }
}
