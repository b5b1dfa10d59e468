//! The advisory's details as the maintainer gives them, checked before anything starts: a CVSS
//! vector (3.1 or 4.0), CWE ids, RustSec categories; and the embargo's check that a text does not
//! name the vulnerability; the disclosure time (`--disclose-at`): read, checked, and said.

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

/// A disclosure time: RFC 3339 with an offset (`2026-12-09T16:00Z`, `2026-12-09T17:00:00+01:00`;
/// the seconds may be left out).
pub fn disclosure_time(text: &str) -> Result<jiff::Timestamp> {
    let text = text.trim();
    let example = "2026-12-09T16:00Z";
    let has_offset = text.ends_with(['Z', 'z'])
        || text
            .get(text.len().saturating_sub(6)..)
            .is_some_and(|t| t.starts_with(['+', '-']) && t.as_bytes().get(3) == Some(&b':'));
    if !has_offset {
        bail!("`{text}` has no offset: end it with Z (UTC) or +HH:MM, e.g. {example}");
    }
    text.parse::<jiff::Timestamp>()
        .map_err(|_| anyhow::anyhow!("`{text}` is not an RFC 3339 time such as {example}"))
}

/// The disclosure time as people read it: `2026-12-09 16:00 UTC`.
pub fn shown(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// How long until `at` from `now`, in the two largest units: `1 d 3 h`, `2 h 5 min`, `40 s`;
/// `now` when it has come.
pub fn until(now: jiff::Timestamp, at: jiff::Timestamp) -> String {
    let secs = at.as_second() - now.as_second();
    if secs <= 0 {
        return "now".into();
    }
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A disclosure on a Friday or a weekend leaves the users who must upgrade, and the maintainers who
/// must answer, short-handed: said, in the offset the time was given in. `None` on a weekday.
pub fn risky_day(text: &str) -> Option<&'static str> {
    let text = text.trim();
    let at = disclosure_time(text).ok()?;
    let offset = if text.ends_with(['Z', 'z']) {
        jiff::tz::Offset::UTC
    } else {
        let tail = &text[text.len() - 6..];
        let sign = if tail.starts_with('-') { -1 } else { 1 };
        let h: i32 = tail.get(1..3)?.parse().ok()?;
        let m: i32 = tail.get(4..6)?.parse().ok()?;
        jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?
    };
    match at.to_zoned(jiff::tz::TimeZone::fixed(offset)).weekday() {
        jiff::civil::Weekday::Friday => Some("a Friday"),
        jiff::civil::Weekday::Saturday => Some("a Saturday"),
        jiff::civil::Weekday::Sunday => Some("a Sunday"),
        _ => None,
    }
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

    #[test]
    fn a_disclosure_time_is_rfc_3339_with_an_offset_and_is_said_in_two_units() {
        let at = disclosure_time("2026-12-09T16:00Z").unwrap();
        assert_eq!(shown(at), "2026-12-09 16:00 UTC");
        assert_eq!(
            shown(disclosure_time("2026-12-09T17:00:00+01:00").unwrap()),
            "2026-12-09 16:00 UTC"
        );
        let e = |t: &str| disclosure_time(t).unwrap_err().to_string();
        assert!(e("2026-12-09T16:00").contains("has no offset"));
        assert!(e("tomorrow Z").contains("not an RFC 3339 time"));
        let now = disclosure_time("2026-12-08T13:00Z").unwrap();
        assert_eq!(until(now, at), "1 d 3 h");
        assert_eq!(
            until(now, disclosure_time("2026-12-08T15:05Z").unwrap()),
            "2 h 5 min"
        );
        assert_eq!(until(at, now), "now");
    }

    #[test]
    fn a_friday_or_weekend_disclosure_is_named_in_the_offset_it_was_given_in() {
        // 2026-12-11 is a Friday, 2026-12-09 a Wednesday.
        assert_eq!(risky_day("2026-12-11T16:00Z"), Some("a Friday"));
        assert_eq!(risky_day("2026-12-12T09:00Z"), Some("a Saturday"));
        assert_eq!(risky_day("2026-12-09T16:00Z"), None);
        // Thursday 23:30 in UTC is Friday 08:30 in Tokyo.
        assert_eq!(risky_day("2026-12-11T08:30:00+09:00"), Some("a Friday"));
    }
}
