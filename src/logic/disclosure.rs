//! The advisory's details as the maintainer gives them, checked before anything starts: a CVSS
//! vector (3.1 or 4.0), CWE ids, RustSec categories; and the embargo's check that a text does not
//! name the vulnerability.

use anyhow::{bail, Result};

/// The categories of the RustSec advisory database (advisory-db's `categories`).
pub const CATEGORIES: [&str; 9] = [
    "code-execution",
    "crypto-failure",
    "denial-of-service",
    "file-disclosure",
    "format-injection",
    "memory-corruption",
    "memory-exposure",
    "privilege-escalation",
    "thread-safety",
];

const CVSS31: [(&str, &[&str]); 8] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["N", "L", "H"]),
    ("I", &["N", "L", "H"]),
    ("A", &["N", "L", "H"]),
];

const CVSS40: [(&str, &[&str]); 11] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
];

/// A CVSS 3.1 or 4.0 base vector, with every base metric once and a valid value each
/// (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`). Returned trimmed.
pub fn cvss(vector: &str) -> Result<String> {
    let vector = vector.trim();
    let example = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    let mut parts = vector.split('/');
    let metrics: &[(&str, &[&str])] = match parts.next() {
        Some("CVSS:3.1") => &CVSS31,
        Some("CVSS:4.0") => &CVSS40,
        _ => bail!(
            "--cvss `{vector}`: not a CVSS 3.1 or 4.0 vector: it starts with CVSS:3.1/ or CVSS:4.0/, e.g. {example}"
        ),
    };
    let mut seen: Vec<&str> = Vec::new();
    for part in parts {
        let Some((name, value)) = part.split_once(':') else {
            bail!("--cvss `{vector}`: `{part}` is not METRIC:VALUE (e.g. {example})");
        };
        if seen.contains(&name) {
            bail!("--cvss `{vector}`: the metric {name} is given twice");
        }
        seen.push(name);
        if let Some((_, values)) = metrics.iter().find(|(m, _)| *m == name) {
            if !values.contains(&value) {
                bail!(
                    "--cvss `{vector}`: {name}:{value} is not a valid value for {name} (one of {})",
                    values.join(", ")
                );
            }
        }
    }
    let missing: Vec<&str> = metrics
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| !seen.contains(m))
        .collect();
    if !missing.is_empty() {
        bail!(
            "--cvss `{vector}`: the base metric{} {} {} missing (e.g. {example})",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        );
    }
    Ok(vector.to_string())
}

/// A CWE id: `CWE-` and a number (`cwe-125` is accepted and spelled `CWE-125`).
pub fn cwe(id: &str) -> Result<String> {
    let trimmed = id.trim();
    let digits = trimmed
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("CWE-"))
        .map(|_| &trimmed[4..]);
    match digits {
        Some(d) if !d.is_empty() && d.len() <= 7 && d.chars().all(|c| c.is_ascii_digit()) => {
            Ok(format!("CWE-{}", d.trim_start_matches('0').max("0")))
        }
        _ => {
            bail!("--cwe `{id}`: a CWE id is CWE- and a number, e.g. CWE-125 (out-of-bounds read)")
        }
    }
}

/// A RustSec category (advisory-db's list).
pub fn category(name: &str) -> Result<String> {
    let name = name.trim().to_ascii_lowercase();
    if CATEGORIES.contains(&name.as_str()) {
        Ok(name)
    } else {
        bail!(
            "--category `{name}`: not one of the RustSec categories: {}",
            CATEGORIES.join(", ")
        )
    }
}

/// The words of `secret` (the description, the impact) that `text` names: words of five letters or
/// more and identifiers, compared without case, skipping advisory ids and common words. Under an
/// embargo a fix commit's message that names them tells the public what the vulnerability is.
pub fn named_words(text: &str, secret: &str) -> Vec<String> {
    const COMMON: [&str; 14] = [
        "about",
        "after",
        "allows",
        "before",
        "could",
        "fixed",
        "their",
        "there",
        "these",
        "which",
        "while",
        "would",
        "security",
        "vulnerability",
    ];
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map(|w| w.trim_matches('-').to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let in_text = words(text);
    let mut found = Vec::new();
    for w in words(secret) {
        let id_like = ["rustsec-", "cve-", "ghsa-"]
            .iter()
            .any(|p| w.starts_with(p));
        let telling = w.len() >= 5 || w.contains('_') || w.contains('-');
        if id_like || !telling || COMMON.contains(&w.as_str()) {
            continue;
        }
        if in_text.contains(&w) && !found.contains(&w) {
            found.push(w);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_vectors_of_both_versions_pass_and_malformed_ones_say_why() {
        let v31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        assert_eq!(cvss(v31).unwrap(), v31);
        let v40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
        assert_eq!(cvss(v40).unwrap(), v40);
        let e = |v: &str| cvss(v).unwrap_err().to_string();
        assert!(e("CVSS:2.0/AV:N").contains("not a CVSS 3.1 or 4.0 vector"));
        assert!(e("high").contains("not a CVSS 3.1 or 4.0 vector"));
        assert!(e("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").contains("A is missing"));
        assert!(e("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").contains("AV:X is not a valid"));
        assert!(e("CVSS:3.1/AV:N/AV:N").contains("given twice"));
    }

    #[test]
    fn cwe_ids_are_checked_and_spelled_one_way() {
        assert_eq!(cwe("CWE-125").unwrap(), "CWE-125");
        assert_eq!(cwe(" cwe-787 ").unwrap(), "CWE-787");
        for bad in ["125", "CWE-", "CWE-12a", "CVE-2026-1"] {
            assert!(cwe(bad)
                .unwrap_err()
                .to_string()
                .contains("CWE- and a number"));
        }
    }

    #[test]
    fn categories_come_from_advisory_dbs_list() {
        assert_eq!(category("Memory-Exposure").unwrap(), "memory-exposure");
        assert!(category("buffer-overflow")
            .unwrap_err()
            .to_string()
            .contains("memory-corruption"));
    }

    #[test]
    fn a_message_naming_the_description_is_caught_and_a_neutral_one_is_not() {
        let secret = "RUSTSEC-2026-0042 out-of-bounds read in record_len";
        assert_eq!(
            named_words("fix: bound record_len against out-of-bounds input", secret),
            ["out-of-bounds", "record_len"]
        );
        assert!(named_words("fix: check a length", secret).is_empty());
        assert!(named_words("see RUSTSEC-2026-0042", secret).is_empty());
    }
}
