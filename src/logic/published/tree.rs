//! The tag's tree as `cargo package` sees a checkout of it: `git ls-tree -r` lists files, links
//! (mode 120000, whose blob is the link's target text) and submodules; a path is looked up through
//! every link on its way, file links and directory links alike, each target taken relative to the
//! link's own directory, at most [`MAX_LINKS`] links deep. A link that leaves the repository, or
//! leads nowhere, is said as such: a checkout could not have given cargo that file.

use std::collections::BTreeMap;

/// How many links one lookup follows at most (Linux's `MAXSYMLINKS` is 40).
pub const MAX_LINKS: usize = 40;

/// What `git ls-tree` says a path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    File,
    Link,
    Submodule,
}

/// One entry of the tree: its kind and object id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
}

/// The tag's tree: path → entry.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub entries: BTreeMap<String, Entry>,
}

/// A path found in the tree: the blob it ends at and how many links led there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: String,
    pub path: String,
    pub links: usize,
}

/// Why a path is not a file of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No such path (and no link on its way).
    Absent,
    /// A link on the way leads out of the repository: (link, target).
    Leaves(String, String),
    /// A link on the way leads to nothing in the tree: (link, target).
    Dangles(String, String),
    /// More than [`MAX_LINKS`] links (a loop).
    TooDeep(String),
    /// The path is (inside) a submodule, which cargo does not see through a checkout of the tag.
    Submodule(String),
    /// The target text of a link was not read (a caller's omission).
    Unread(String),
}

impl Tree {
    /// Parses `git ls-tree -r --full-tree <rev>`.
    pub fn parse(text: &str) -> Tree {
        let entries = text
            .lines()
            .filter_map(|line| {
                let (meta, path) = line.split_once('\t')?;
                let mut parts = meta.split_whitespace();
                let (mode, kind, id) = (parts.next()?, parts.next()?, parts.next()?);
                let kind = match (mode, kind) {
                    ("120000", "blob") => Kind::Link,
                    (_, "blob") => Kind::File,
                    (_, "commit") => Kind::Submodule,
                    _ => return None,
                };
                Some((
                    unquote(path),
                    Entry {
                        kind,
                        id: id.to_string(),
                    },
                ))
            })
            .collect();
        Tree { entries }
    }

    /// The blob ids of every link (their contents are the link targets).
    pub fn link_ids(&self) -> impl Iterator<Item = &str> {
        self.entries
            .values()
            .filter(|e| e.kind == Kind::Link)
            .map(|e| e.id.as_str())
    }

    /// The blob id of the regular file at `path`, read without following links.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.entries
            .get(path)
            .filter(|e| e.kind == Kind::File)
            .map(|e| e.id.as_str())
    }

    /// The file `path` names in a checkout, following links; `targets` maps a link's blob id to
    /// its target text.
    pub fn resolve(
        &self,
        path: &str,
        targets: &BTreeMap<String, String>,
    ) -> Result<Found, Missing> {
        if let Some(id) = self.file(path) {
            return Ok(Found {
                id: id.to_string(),
                path: path.to_string(),
                links: 0,
            });
        }
        let mut parts: Vec<String> = match normalise(&[], path) {
            Some(parts) => parts,
            None => return Err(Missing::Absent),
        };
        let mut links = 0;
        // The last link followed, for a message about where it leads.
        let mut last: Option<(String, String)> = None;
        'walk: loop {
            for i in 1..=parts.len() {
                let prefix = parts[..i].join("/");
                match self.entries.get(&prefix) {
                    Some(Entry {
                        kind: Kind::File,
                        id,
                    }) if i == parts.len() => {
                        return Ok(Found {
                            id: id.clone(),
                            path: prefix,
                            links,
                        })
                    }
                    Some(Entry {
                        kind: Kind::File, ..
                    }) => return Err(dangling(last, Missing::Absent)),
                    Some(Entry {
                        kind: Kind::Submodule,
                        ..
                    }) => return Err(Missing::Submodule(prefix)),
                    Some(Entry {
                        kind: Kind::Link,
                        id,
                    }) => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(Missing::TooDeep(prefix));
                        }
                        let Some(target) = targets.get(id) else {
                            return Err(Missing::Unread(prefix));
                        };
                        let target = target.trim_end_matches('\n');
                        if target.starts_with('/') {
                            return Err(Missing::Leaves(prefix, target.to_string()));
                        }
                        let Some(mut next) = normalise(&parts[..i - 1], target) else {
                            return Err(Missing::Leaves(prefix, target.to_string()));
                        };
                        next.extend(parts[i..].iter().cloned());
                        parts = next;
                        last = Some((prefix, target.to_string()));
                        continue 'walk;
                    }
                    None => {}
                }
            }
            return Err(dangling(last, Missing::Absent));
        }
    }
}

fn dangling(last: Option<(String, String)>, otherwise: Missing) -> Missing {
    match last {
        Some((link, target)) => Missing::Dangles(link, target),
        None => otherwise,
    }
}

/// `base` joined with the relative `path`, `.` and `..` applied; `None` when it climbs above the
/// repository's top.
pub fn normalise(base: &[String], path: &str) -> Option<Vec<String>> {
    let mut parts: Vec<String> = base.to_vec();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other.to_string()),
        }
    }
    Some(parts)
}

/// git quotes paths with unusual characters (`"a\tb"`, octal escapes for bytes ≥ 0x80).
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut out = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'"') => out.push(b'"'),
            Some(b'\\') => out.push(b'\\'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(n @ b'0'..=b'7') = chars.peek().copied() {
                        v = v * 8 + u32::from(n - b'0');
                        chars.next();
                    }
                }
                out.push(v as u8);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(lines: &[(&str, &str, &str)]) -> Tree {
        Tree::parse(
            &lines
                .iter()
                .map(|(mode, id, path)| {
                    let kind = if *mode == "160000" { "commit" } else { "blob" };
                    format!("{mode} {kind} {id}\t{path}\n")
                })
                .collect::<String>(),
        )
    }

    fn targets(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(id, t)| (id.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn file_and_directory_links_are_followed_from_the_links_directory() {
        // serde's shape: serde/src/core → ../../serde_core/src; licence links into the root.
        let t = tree(&[
            ("100644", "f1", "LICENSE-MIT"),
            ("120000", "l1", "serde/LICENSE-MIT"),
            ("120000", "l2", "serde/src/core"),
            ("100644", "f2", "serde_core/src/de/mod.rs"),
            ("120000", "l3", "a/b"),
        ]);
        let to = targets(&[
            ("l1", "../LICENSE-MIT"),
            ("l2", "../../serde_core/src"),
            ("l3", "b"),
        ]);
        assert_eq!(
            t.resolve("serde/LICENSE-MIT", &to),
            Ok(Found {
                id: "f1".into(),
                path: "LICENSE-MIT".into(),
                links: 1
            })
        );
        assert_eq!(
            t.resolve("serde/src/core/de/mod.rs", &to).map(|f| f.id),
            Ok("f2".into())
        );
        assert_eq!(
            t.resolve("serde/src/core/nope.rs", &to).map(|f| f.id),
            Err(Missing::Dangles(
                "serde/src/core".into(),
                "../../serde_core/src".into()
            ))
        );
        // a/b → b (itself): a loop, bounded.
        assert_eq!(t.resolve("a/b", &to), Err(Missing::TooDeep("a/b".into())));
        assert_eq!(t.resolve("nothing", &to), Err(Missing::Absent));
    }

    #[test]
    fn links_that_leave_the_repository_or_are_unread_are_named() {
        let t = tree(&[
            ("120000", "l1", "m/LICENSE"),
            ("120000", "l2", "m/abs"),
            ("120000", "l3", "m/unread"),
            ("160000", "c1", "vendor/sub"),
        ]);
        let to = targets(&[("l1", "../../LICENSE"), ("l2", "/etc/passwd")]);
        assert_eq!(
            t.resolve("m/LICENSE", &to),
            Err(Missing::Leaves("m/LICENSE".into(), "../../LICENSE".into()))
        );
        assert_eq!(
            t.resolve("m/abs", &to),
            Err(Missing::Leaves("m/abs".into(), "/etc/passwd".into()))
        );
        assert_eq!(
            t.resolve("m/unread", &to),
            Err(Missing::Unread("m/unread".into()))
        );
        assert_eq!(
            t.resolve("vendor/sub/lib.rs", &to),
            Err(Missing::Submodule("vendor/sub".into()))
        );
    }

    #[test]
    fn quoted_paths_are_read_back() {
        let t = Tree::parse("100644 blob abc\t\"a\\tb \\303\\251\"\n040000 tree def\tdir\n");
        assert_eq!(t.file("a\tb é"), Some("abc"));
        assert_eq!(t.entries.len(), 1);
    }
}
