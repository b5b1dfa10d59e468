//! Sparse registry index paths and lines (RFC 2789), without any I/O.

/// The index file of a crate: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…` (lowercased).
pub fn index_path(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

/// The URL of a crate's index file under an index root (with or without a trailing slash, with or
/// without the `sparse+` prefix cargo uses).
pub fn index_url(root: &str, name: &str) -> String {
    let root = root.strip_prefix("sparse+").unwrap_or(root);
    format!("{}/{}", root.trim_end_matches('/'), index_path(name))
}

/// The fields of an index line that matter here; the rest (dependencies, features, checksum) is
/// skipped without being built.
#[derive(serde::Deserialize)]
struct IndexLine<'a> {
    #[serde(borrow)]
    vers: std::borrow::Cow<'a, str>,
    #[serde(default)]
    yanked: bool,
}

/// The index line of `version`, if the file has one: `Some(yanked)`.
///
/// Versions are appended as they are published, so the file is read from its end: a poll for the
/// version just published finds it in the last line instead of parsing every older one.
pub fn version_line(index_file: &str, version: &str) -> Option<bool> {
    index_file.lines().rev().find_map(|line| {
        let entry: IndexLine<'_> = serde_json::from_str(line).ok()?;
        (entry.vers == version).then_some(entry.yanked)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_sparse_layout() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("ab"), "2/ab");
        assert_eq!(index_path("abc"), "3/a/abc");
        assert_eq!(index_path("Caro"), "ca/ro/caro");
        assert_eq!(index_path("serde_json"), "se/rd/serde_json");
        assert_eq!(
            index_url("sparse+https://index.crates.io/", "caro"),
            "https://index.crates.io/ca/ro/caro"
        );
    }

    #[test]
    fn finds_the_exact_version_line() {
        let file = "{\"name\":\"caro\",\"vers\":\"1.0.1\",\"yanked\":false}\n\
                    {\"name\":\"caro\",\"vers\":\"1.0.10\",\"yanked\":true}\n";
        assert_eq!(version_line(file, "1.0.1"), Some(false));
        assert_eq!(version_line(file, "1.0.10"), Some(true));
        assert_eq!(version_line(file, "1.0.11"), None);
        assert_eq!(version_line("not json\n", "1.0.1"), None);
        // Other fields, escapes and a damaged line elsewhere in the file change nothing.
        let file = "{\"name\":\"caro\",\"vers\":\"1.0.\\u0031\",\"deps\":[{\"name\":\"x\"}],\"yanked\":true}\n\
                    {broken\n";
        assert_eq!(version_line(file, "1.0.1"), Some(true));
    }
}
