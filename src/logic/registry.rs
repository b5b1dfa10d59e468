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
    #[serde(default, borrow)]
    cksum: Option<std::borrow::Cow<'a, str>>,
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

/// Every version the index file lists, with whether it is yanked, in the file's order.
pub fn versions(index_file: &str) -> Vec<(String, bool)> {
    index_file
        .lines()
        .filter_map(|line| {
            let entry: IndexLine<'_> = serde_json::from_str(line).ok()?;
            Some((entry.vers.into_owned(), entry.yanked))
        })
        .collect()
}

/// The `cksum` (sha256 of the `.crate` file, lowercase hex) of `version`'s index line, if the file
/// has that line and the line has one.
pub fn version_cksum(index_file: &str, version: &str) -> Option<String> {
    index_file.lines().rev().find_map(|line| {
        let entry: IndexLine<'_> = serde_json::from_str(line).ok()?;
        (entry.vers == version).then(|| entry.cksum.map(|c| c.to_ascii_lowercase()))?
    })
}

/// The index root of a crate's index-file URL made by [`index_url`] (`…/mi/ni/minicrate` → `…/`).
pub fn index_root(file_url: &str, name: &str) -> String {
    let path = index_path(name);
    file_url.strip_suffix(&path).unwrap_or(file_url).to_string()
}

/// What a sparse index's `config.json` says about where crates are downloaded and the web API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryConfig {
    /// The download template (`dl`).
    pub dl: String,
    /// The web API's root (`api`), without a trailing slash.
    pub api: String,
}

/// Reads `config.json`. A registry without `dl` cannot be downloaded from, and one without `api`
/// cannot say what it knows: both are named, with the URL the file came from.
pub fn parse_config(text: &str, url: &str) -> Result<RegistryConfig, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("the registry's {url} is not JSON ({e})"))?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let missing: Vec<&str> = ["dl", "api"]
        .into_iter()
        .filter(|k| field(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the registry's {url} has no `{}` (a sparse registry's config.json names `dl`, where \
             crates are downloaded, and `api`, its web API)",
            missing.join("` and no `")
        ));
    }
    Ok(RegistryConfig {
        dl: field("dl").unwrap_or_default(),
        api: field("api")
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
    })
}

/// The download URL of a version (the sparse-index protocol): the `dl` template with its markers
/// `{crate}`, `{version}`, `{prefix}`, `{lowerprefix}`, `{sha256-checksum}` filled, or, without
/// any marker, `/{crate}/{version}/download` appended.
pub fn download_url(dl: &str, name: &str, version: &str, cksum: &str) -> String {
    const MARKERS: [&str; 5] = [
        "{crate}",
        "{version}",
        "{prefix}",
        "{lowerprefix}",
        "{sha256-checksum}",
    ];
    if !MARKERS.iter().any(|m| dl.contains(m)) {
        return format!("{}/{name}/{version}/download", dl.trim_end_matches('/'));
    }
    // The prefix is the index file's directory: `1`, `2`, `3/a`, `ab/cd`, in the name's own case.
    let prefix = match name.len() {
        1 => "1".to_string(),
        2 => "2".to_string(),
        3 => format!("3/{}", &name[..1]),
        _ => format!("{}/{}", &name[..2], &name[2..4]),
    };
    dl.replace("{crate}", name)
        .replace("{version}", version)
        .replace("{lowerprefix}", &prefix.to_ascii_lowercase())
        .replace("{prefix}", &prefix)
        .replace("{sha256-checksum}", cksum)
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

    #[test]
    fn the_download_url_follows_the_dl_template() {
        assert_eq!(
            download_url("https://static.crates.io/crates", "caro", "1.0.1", "ab"),
            "https://static.crates.io/crates/caro/1.0.1/download"
        );
        assert_eq!(
            download_url(
                "https://dl.example/{prefix}/{lowerprefix}/{crate}-{version}.crate?h={sha256-checksum}",
                "Caro",
                "1.0.1",
                "ab"
            ),
            "https://dl.example/Ca/ro/ca/ro/Caro-1.0.1.crate?h=ab"
        );
        assert_eq!(
            download_url("http://x/{crate}", "ab", "1.0.0", ""),
            "http://x/ab"
        );
        assert_eq!(
            index_root("http://127.0.0.1:5/mi/ni/minicrate", "minicrate"),
            "http://127.0.0.1:5/"
        );
    }

    #[test]
    fn config_json_needs_dl_and_api() {
        let c = parse_config(
            r#"{"dl":"https://static.crates.io/crates","api":"https://crates.io/"}"#,
            "u",
        )
        .expect("config");
        assert_eq!(c.api, "https://crates.io");
        let e = parse_config(r#"{"dl":"x"}"#, "http://r/config.json").expect_err("no api");
        assert!(e.contains("http://r/config.json has no `api`"), "{e}");
        let e = parse_config("{}", "u").expect_err("neither");
        assert!(e.contains("no `dl` and no `api`"), "{e}");
        assert!(parse_config("<html>", "u")
            .expect_err("html")
            .contains("not JSON"));
    }

    #[test]
    fn the_cksum_of_a_version_line() {
        let file = "{\"vers\":\"1.0.1\",\"cksum\":\"AB12\"}\n{\"vers\":\"1.0.2\"}\n";
        assert_eq!(version_cksum(file, "1.0.1").as_deref(), Some("ab12"));
        assert_eq!(version_cksum(file, "1.0.2"), None);
        assert_eq!(version_cksum(file, "1.0.3"), None);
    }
}
