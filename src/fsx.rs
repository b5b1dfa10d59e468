//! File writes that cannot leave a half-written file: temp file in the same directory, then rename;
//! and appends to logs that only grow.
//!
//! A crash or Ctrl-C during a write leaves either the old content or the new, never a mix; the
//! rename is atomic because source and target are on the same file system.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Replaces `path` with `contents` atomically, keeping the file's permissions when it existed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".caro-hotfix-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a temporary file in {}", dir.display()))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("could not write {}", path.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Best effort: a file we cannot re-permission is still correctly written.
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("could not replace {}", path.display()))?;
    Ok(())
}

/// Appends `contents` to `path` (created when missing) in one write, without fsync: for logs that
/// only grow, where a kill can at worst cut the last addition short (their reader allows for it).
pub fn append(path: &Path, contents: &[u8]) -> Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(contents))
        .with_context(|| format!("could not append to {}", path.display()))
}

/// The name prefix of a copy not yet in place (see [`copy_into_place`]).
pub const COPY_TEMP: &str = ".caro-hotfix-copy-";

/// Copies a file, symlink or directory tree to `dest` (which must not exist), keeping modification
/// times: first under a temporary name beside `dest`, then renamed into place, so a kill never
/// leaves a half-copied `dest`. With `link`, a file is hard-linked instead where the file system
/// allows (for files their writers replace rather than rewrite). Returns the bytes copied (a link
/// copies none). Not fsync'd: for caches.
pub fn copy_into_place(from: &Path, dest: &Path, link: bool) -> std::io::Result<u64> {
    if link && std::fs::hard_link(from, dest).is_ok() {
        return Ok(0);
    }
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = dest.with_file_name(format!("{COPY_TEMP}{}", name.unwrap_or_default()));
    let _ = remove_any(&temp);
    let copied =
        copy_tree(from, &temp).and_then(|bytes| std::fs::rename(&temp, dest).map(|()| bytes));
    if copied.is_err() {
        let _ = remove_any(&temp);
    }
    copied
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<u64> {
    let meta = from.symlink_metadata()?;
    if meta.file_type().is_symlink() {
        std::os::unix::fs::symlink(std::fs::read_link(from)?, to)?;
        return Ok(0);
    }
    if meta.is_dir() {
        std::fs::create_dir(to)?;
        let mut bytes = 0;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            bytes += copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(bytes);
    }
    let bytes = std::fs::copy(from, to)?;
    let times = std::fs::FileTimes::new()
        .set_modified(meta.modified()?)
        .set_accessed(meta.accessed()?);
    std::fs::File::options()
        .write(true)
        .open(to)?
        .set_times(times)?;
    Ok(bytes)
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    }
}

/// Reads a file that may not exist yet.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("could not read {}", path.display())),
    }
}

/// Opens a file for reading and writing in place, creating it when `create` is set: only for what
/// is not a document — the controlling terminal the questions go to, and the run lock, whose few
/// lines only say who holds it. Every document is written with [`write_atomic`].
pub fn open_in_place(path: &Path, create: bool) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, "old").expect("write");
        write_atomic(&path, b"new").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("Cargo.toml")]);
    }

    #[test]
    fn a_reader_of_the_old_file_never_sees_a_partial_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.toml");
        let old = "old content\n".repeat(10_000);
        std::fs::write(&path, &old).expect("write");
        // A reader that opened the file before the write keeps the whole old content: the new
        // content went to another file that replaced this one by rename, never into it.
        let mut reader = std::fs::File::open(&path).expect("open");
        write_atomic(&path, "new content\n".repeat(20_000).as_bytes()).expect("atomic write");
        let mut seen = String::new();
        std::io::Read::read_to_string(&mut reader, &mut seen).expect("read");
        assert_eq!(seen, old);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "new content\n".repeat(20_000)
        );
    }

    #[test]
    fn a_missing_file_reads_as_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read_optional(&dir.path().join("nope")).expect("read"), None);
    }
}
