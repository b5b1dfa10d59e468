//! Pure logic: no processes, no prompts, no disk, no network.
//!
//! Everything here takes text or values and returns text or values, so it is tested with plain unit
//! tests beside the code. Steps read files, call these functions, and write the result atomically.

pub mod advisory_id;
pub mod affected;
pub mod audit;
pub mod changelog;
pub mod changelog_body;
pub mod changelog_style;
pub mod disclosure;
pub mod lockfile;
pub mod manifest;
mod markdown;
pub mod publish_failure;
pub mod published;
pub mod registry;
pub mod rustsec_draft;
pub mod security_md;
pub mod tag_scheme;
pub mod test_counts;
pub mod version;
pub mod workflow;

use std::fmt;
use std::str::FromStr;

/// How bad the hole is, as asked at step 4 (the reference offers Critical/High/Medium; GitHub's
/// advisory API also takes `low`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// `critical`, `high`, `medium`, `low`: the word GitHub's advisory API expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// `Critical`, `High`, `Medium`, `Low`: the word shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" => Ok(Severity::High),
            "medium" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            other => Err(format!(
                "unknown severity `{other}`: use critical, high, medium or low"
            )),
        }
    }
}

/// The answers of step 4 plus the description: everything the texts about this hotfix are made of.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    /// The one-line description the maintainer started with (may contain any characters).
    pub description: String,
    pub severity: Option<Severity>,
    pub impact: String,
    /// Validated advisory ids (RUSTSEC-…, CVE-…, GHSA-…), in the order given.
    pub advisory_ids: Vec<String>,
    pub credit: String,
    /// `--cvss`: a CVSS 3.1 or 4.0 vector; the GitHub advisory then carries it instead of the severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<String>,
    /// `--cwe`: CWE ids (`CWE-125`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe_ids: Vec<String>,
    /// `--category`: RustSec categories, for the RustSec draft.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_is_a_severity_as_github_takes_it() {
        // GitHub's advisory API: severity is one of critical, high, medium, low.
        let words: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(words, ["critical", "high", "medium", "low"]);
        assert_eq!("Low".parse::<Severity>(), Ok(Severity::Low));
        assert_eq!(
            serde_json::to_string(&Severity::Low).expect("json"),
            "\"low\""
        );
        let e = "trivial".parse::<Severity>().unwrap_err();
        assert!(e.contains("critical, high, medium or low"), "{e}");
    }
}
