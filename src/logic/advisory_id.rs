//! Advisory identifiers (RUSTSEC, CVE, GHSA): checking what the maintainer typed, and spotting ids in
//! the free-text description.
//!
//! Ids end up in the CHANGELOG, SECURITY.md, the PR and the GitHub advisory, so a typo would be
//! published four times. Validation is strict about the shape and returns one canonical spelling so
//! the same id never appears in two forms.

use anyhow::{bail, Result};

/// The characters GitHub uses in the groups of a GHSA id.
const GHSA_ALPHABET: &str = "23456789cfghjmpqrvwx";

/// Checks an advisory id and returns its canonical spelling.
///
/// Accepts `RUSTSEC-YYYY-NNNN`, `CVE-YYYY-NNNN…` (four digits or more) and `GHSA-xxxx-xxxx-xxxx`,
/// in any letter case and with surrounding whitespace; returns the prefix upper-case and GHSA groups
/// lower-case, which is how the respective databases spell them.
pub fn validate(id: &str) -> Result<String> {
    match canonical(id.trim()) {
        Some(canonical) => Ok(canonical),
        None => bail!(
            "`{id}` is not an advisory id: expected RUSTSEC-YYYY-NNNN, CVE-YYYY-NNNN or GHSA-xxxx-xxxx-xxxx"
        ),
    }
}

/// The valid ids mentioned in free text, canonical, without repeats, in order of appearance.
///
/// Lets the wizard pre-fill the advisory question from a description such as
/// "RUSTSEC-2025-0001 critical memory safety issue".
pub fn find_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if let Some(id) = canonical(word) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

fn canonical(id: &str) -> Option<String> {
    let parts: Vec<&str> = id.split('-').collect();
    let prefix = parts.first()?.to_ascii_uppercase();
    match (prefix.as_str(), parts.as_slice()) {
        ("RUSTSEC", [_, year, number]) if is_year(year) && is_digits(number, 4, 4) => {
            Some(format!("RUSTSEC-{year}-{number}"))
        }
        ("CVE", [_, year, number]) if is_year(year) && is_digits(number, 4, usize::MAX) => {
            Some(format!("CVE-{year}-{number}"))
        }
        ("GHSA", [_, a, b, c]) if [a, b, c].iter().all(|g| is_ghsa_group(g)) => Some(format!(
            "GHSA-{}-{}-{}",
            a.to_ascii_lowercase(),
            b.to_ascii_lowercase(),
            c.to_ascii_lowercase()
        )),
        _ => None,
    }
}

fn is_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_year(s: &str) -> bool {
    is_digits(s, 4, 4) && (s.starts_with("19") || s.starts_with("20"))
}

fn is_ghsa_group(s: &str) -> bool {
    s.len() == 4
        && s.chars()
            .all(|c| GHSA_ALPHABET.contains(c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_kinds_and_canonicalises() {
        assert_eq!(validate("RUSTSEC-2025-0001").unwrap(), "RUSTSEC-2025-0001");
        assert_eq!(validate("rustsec-2025-0001").unwrap(), "RUSTSEC-2025-0001");
        assert_eq!(validate("CVE-2024-1234").unwrap(), "CVE-2024-1234");
        assert_eq!(validate("cve-2024-1234567").unwrap(), "CVE-2024-1234567");
        assert_eq!(
            validate("GHSA-2xfc-vq8h-w9m5").unwrap(),
            "GHSA-2xfc-vq8h-w9m5"
        );
        assert_eq!(
            validate("ghsa-2XFC-VQ8H-W9M5").unwrap(),
            "GHSA-2xfc-vq8h-w9m5"
        );
        assert_eq!(validate("  CVE-1999-0001 \n").unwrap(), "CVE-1999-0001");
    }

    #[test]
    fn rejects_wrong_shapes_with_a_message_naming_the_input() {
        for bad in [
            "",
            "RUSTSEC-2025-001",
            "RUSTSEC-2025-00001",
            "RUSTSEC-25-0001",
            "RUSTSEC-2125-0001",
            "CVE-2024-123",
            "CVE-2024-12a4",
            "CVE-2024",
            "GHSA-2xfc-vq8h",
            "GHSA-2xfc-vq8h-w9m",
            "GHSA-abcd-vq8h-w9m5",
            "GHSA-2xfc-vq8h-w9m5-extra",
            "OSV-2024-1234",
            "RUSTSEC 2025 0001",
        ] {
            let msg = validate(bad).unwrap_err().to_string();
            assert_eq!(
                msg,
                format!("`{bad}` is not an advisory id: expected RUSTSEC-YYYY-NNNN, CVE-YYYY-NNNN or GHSA-xxxx-xxxx-xxxx")
            );
        }
    }

    #[test]
    fn finds_ids_in_a_description() {
        assert_eq!(
            find_in("RUSTSEC-2025-0001 critical memory safety issue"),
            ["RUSTSEC-2025-0001"]
        );
    }

    #[test]
    fn finds_several_ids_amid_punctuation_deduplicated_in_order() {
        let text = "Fix (cve-2024-12345), see RUSTSEC-2025-0001; also CVE-2024-12345 and \
                    GHSA-2XFC-vq8h-w9m5.";
        assert_eq!(
            find_in(text),
            ["CVE-2024-12345", "RUSTSEC-2025-0001", "GHSA-2xfc-vq8h-w9m5"]
        );
    }

    #[test]
    fn ignores_near_misses_and_ids_glued_to_other_words() {
        assert!(find_in("RUSTSEC-2025-01 and CVE-24-1234 and xRUSTSEC-2025-0001").is_empty());
        assert!(find_in("RUSTSEC-2025-0001-beta").is_empty());
        assert!(find_in("").is_empty());
    }
}
