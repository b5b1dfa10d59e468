//! Line-level Markdown reading and splicing shared by the CHANGELOG and SECURITY.md editors.
//!
//! Both editors change a maintainer's file in a few places and must keep every other byte, so they
//! never re-render the document: they find headings line by line (ignoring fenced code blocks) and
//! splice new text in at line boundaries, using the file's own line ending.

use std::ops::Range;

/// One line of the file, located by byte offsets so edits can be spliced into the original text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'t> {
    /// Offset of the first byte of the line.
    pub start: usize,
    /// The line without its `\n` / `\r\n`.
    pub text: &'t str,
    /// Whether the line ends with a line break (only the last line may not).
    pub has_newline: bool,
    /// Inside (or delimiting) a ``` / ~~~ code block, where a `## ` is not a heading.
    pub in_fence: bool,
}

impl<'t> Line<'t> {
    /// The offset just past the line's text (before its line break).
    pub fn text_end(&self) -> usize {
        self.start + self.text.len()
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The trimmed title when this is an ATX heading of exactly `level` (`## ` for 2), outside code.
    pub fn heading(&self, level: usize) -> Option<&'t str> {
        if self.in_fence {
            return None;
        }
        let hashes = self.text.len() - self.text.trim_start_matches('#').len();
        if hashes != level {
            return None;
        }
        let rest = &self.text[level..];
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            Some(rest.trim())
        } else {
            None
        }
    }
}

/// Splits `text` into lines, marking those inside fenced code blocks.
pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut start = 0;
    while start < text.len() {
        let (raw, has_newline, next) = match text[start..].find('\n') {
            Some(i) => (&text[start..start + i], true, start + i + 1),
            None => (&text[start..], false, text.len()),
        };
        let line_text = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line_text.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        let in_fence = match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                true
            }
            (Some(open), Some(m)) if open == m => {
                fence = None;
                true
            }
            (open, _) => open.is_some(),
        };
        out.push(Line {
            start,
            text: line_text,
            has_newline,
            in_fence,
        });
        start = next;
    }
    out
}

/// The marker of a fenced code block still open at the end of the file, if any.
pub(super) fn unclosed_fence(lines: &[Line<'_>]) -> Option<&'static str> {
    let mut open: Option<&'static str> = None;
    for line in lines {
        let trimmed = line.text.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (open, marker) {
            (None, Some(m)) => open = Some(m),
            (Some(o), Some(m)) if o == m => open = None,
            _ => {}
        }
    }
    open
}

/// The file's line ending: CRLF when it uses any, so added lines match the rest.
pub(super) fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// `first` followed by the other lines of a multi-line text, each on its own line behind `indent`.
///
/// Keeps user text inside the Markdown element it starts (a list item, a quote). Lines are trimmed
/// and blank lines dropped, so nothing the user typed can end the element early; the characters
/// themselves are kept literally.
pub(super) fn continued(text: &str, indent: &str) -> String {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut parts = normalised
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let mut out = parts.next().unwrap_or_default().to_string();
    for line in parts {
        out.push('\n');
        out.push_str(indent);
        out.push_str(line);
    }
    out
}

/// An edit that puts `block` (LF-separated, ending with `\n`) before line `at`, or at the end of
/// the file when `at` is `None`, separated from its neighbours by one blank line.
pub(super) fn insert_block(
    text: &str,
    lines: &[Line<'_>],
    at: Option<usize>,
    block: &str,
) -> (Range<usize>, String) {
    let nl = newline(text);
    let block = block.replace('\n', nl);
    let mut out = String::new();
    match at {
        Some(i) => {
            let pos = lines[i].start;
            if i > 0 && !lines[i - 1].is_blank() {
                out.push_str(nl);
            }
            out.push_str(&block);
            out.push_str(nl);
            (pos..pos, out)
        }
        None => {
            if lines.last().is_some_and(|l| !l.has_newline) {
                out.push_str(nl);
            }
            // A code block left open at the end of the file would swallow the block (it would not
            // render, and a resumed step could not find it and would add it again): close it.
            if let Some(marker) = unclosed_fence(lines) {
                out.push_str(marker);
                out.push_str(nl);
                out.push_str(nl);
            } else if lines.last().is_some_and(|l| !l.is_blank()) {
                out.push_str(nl);
            }
            out.push_str(&block);
            (text.len()..text.len(), out)
        }
    }
}

/// Applies edits given in the order their results should appear; edits at the same offset keep that
/// order.
pub(super) fn apply(text: &str, edits: Vec<(Range<usize>, String)>) -> String {
    let mut edits: Vec<(usize, Range<usize>, String)> = edits
        .into_iter()
        .enumerate()
        .map(|(i, (range, new))| (i, range, new))
        .collect();
    edits.sort_by_key(|(i, range, _)| std::cmp::Reverse((range.start, *i)));
    let mut out = text.to_string();
    for (_, range, new) in edits {
        out.replace_range(range, &new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_track_offsets_line_endings_and_fences() {
        let text = "# T\r\n```\n## not a heading\n```\n## Real\nlast";
        let ls = lines(text);
        let texts: Vec<&str> = ls.iter().map(|l| l.text).collect();
        assert_eq!(
            texts,
            ["# T", "```", "## not a heading", "```", "## Real", "last"]
        );
        assert_eq!(ls[1].start, 5);
        assert_eq!(ls[2].heading(2), None);
        assert_eq!(ls[4].heading(2), Some("Real"));
        assert_eq!(ls[4].heading(3), None);
        assert_eq!(ls[0].heading(1), Some("T"));
        assert!(!ls[5].has_newline);
        assert_eq!(newline(text), "\r\n");
        assert_eq!(newline("a\nb"), "\n");
    }

    #[test]
    fn heading_needs_a_space_and_exact_level() {
        let ls = lines("##x\n### Three\n##\n");
        assert_eq!(ls[0].heading(2), None);
        assert_eq!(ls[1].heading(2), None);
        assert_eq!(ls[1].heading(3), Some("Three"));
        assert_eq!(ls[2].heading(2), Some(""));
    }

    #[test]
    fn continued_text_stays_indented() {
        assert_eq!(
            continued("one\r\n\n  two  \nthree", "  "),
            "one\n  two\n  three"
        );
        assert_eq!(continued("", "  "), "");
    }

    #[test]
    fn blocks_get_blank_lines_around_them() {
        let text = "a\nb\n";
        let ls = lines(text);
        let edit = insert_block(text, &ls, Some(1), "X\n");
        assert_eq!(apply(text, vec![edit]), "a\n\nX\n\nb\n");
        let edit = insert_block(text, &ls, None, "X\n");
        assert_eq!(apply(text, vec![edit]), "a\nb\n\nX\n");
        let text = "a";
        let edit = insert_block(text, &lines(text), None, "X\n");
        assert_eq!(apply(text, vec![edit]), "a\n\nX\n");
    }

    #[test]
    fn a_code_block_open_at_the_end_is_closed_before_the_block() {
        let text = "a\n```\ncode\n";
        let ls = lines(text);
        assert_eq!(unclosed_fence(&ls), Some("```"));
        let edit = insert_block(text, &ls, None, "X\n");
        assert_eq!(apply(text, vec![edit]), "a\n```\ncode\n```\n\nX\n");
        let text = "~~~md\r\ncode";
        let ls = lines(text);
        let edit = insert_block(text, &ls, None, "X\n");
        assert_eq!(apply(text, vec![edit]), "~~~md\r\ncode\r\n~~~\r\n\r\nX\r\n");
        assert_eq!(unclosed_fence(&lines("```\n```\n")), None);
    }

    #[test]
    fn edits_at_the_same_offset_keep_their_order() {
        assert_eq!(
            apply(
                "abc",
                vec![(1..1, "1".into()), (1..1, "2".into()), (2..3, "Z".into())]
            ),
            "a12bZ"
        );
    }
}
