//! A sparse registry index for one crate, served over HTTP/1.1 on 127.0.0.1 by a background thread
//! (std only), so the publish watcher can be tested against a version that appears after a few polls.
//!
//! It serves `config.json` and the crate's index file at its sparse-index path (`1/a`, `2/ab`,
//! `3/a/abc`, `ab/cd/abcd…`, lowercased), one JSON line per published version. Every request is recorded
//! (method, path, headers with lowercased names) so tests can assert the User-Agent. Anything else is a
//! 404. Every answer has `Content-Length` and `Connection: close`. Dropping the server stops its thread.
//!
//! Like crates.io's index, a `200` carries an `ETag` (a hash of the body), and a request whose
//! `If-None-Match` names the current `ETag` gets `304 Not Modified` with no body. The bytes of every
//! request head and every answer are counted, so the cost of a poll can be measured.
//!
//! It is a whole registry too, as far as caro-hotfix and cargo use one: `config.json` names `dl` and
//! `api` (both this server); the API answers `GET /api/v1/crates/NAME` (with `trustpub_only`),
//! `GET /api/v1/crates/NAME/VERSION`, the yank, and the downloads
//! `/api/v1/crates/NAME/VERSION/download`. A version's `.crate` is either given
//! ([`IndexServer::set_archive`]) or packaged by the real `cargo package` from the tag in a git
//! repository ([`IndexServer::package_from`]) the first time it is needed, so the index's `cksum`
//! is the archive's sha256. Knobs make it lag ([`IndexServer::lag_index`]: the API knows a version
//! while the index file stays stale), answer 429 with `Retry-After`, serve a tampered crate, a
//! wrong checksum, a download that is not a tarball, or none at all.
//!
//! It takes publishes as cargo's registry web API document specifies them (`PUT
//! /api/v1/crates/new`: a 32-bit little-endian length, the JSON metadata, a 32-bit little-endian
//! length, the `.crate`; an `Authorization` header with the token; `{"warnings":…}` on success and
//! `{"errors":[{"detail":…}]}` otherwise). A published version's index line (name, vers, deps in
//! the index's shape, cksum = the sha256 of the uploaded `.crate`) appears after a configurable
//! delay ([`IndexServer::publish_delay`]); other crates than the server's own are kept and served
//! the same way. Uploads can be made to fail ([`IndexServer::fail_uploads`]); every upload and the
//! first index answer that shows it are written to a log ([`IndexServer::log`]).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use super::packaging::{package, Source};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent, e.g. `/mi/ni/minicrate`.
    pub path: String,
    /// Header names lowercased, values as sent, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct Version {
    vers: String,
    yanked: bool,
    /// Known to the API, and shown in the index file (unless it lags), once the crate's index file
    /// has been requested this many times (in total).
    visible_after: usize,
    /// The index file shows the version only this many file requests after the API knows it.
    index_lag: usize,
    /// The `.crate` served for it; `None`: packaged from `source` when first needed, else none.
    archive: Option<Vec<u8>>,
    /// The index and the API name this checksum instead of the archive's.
    wrong_cksum: bool,
    /// The download answers 404.
    no_download: bool,
    /// Packaging it failed (no tag for it in the source) while the source had these tags: not
    /// tried again until they change.
    unpackable: Option<String>,
    /// Published with `PUT /api/v1/crates/new`: shown only from then on.
    visible_at: Option<Instant>,
    /// The index's `deps` (published versions); none: `[]`.
    deps: Option<serde_json::Value>,
    /// The crate's name, for a crate other than the server's own.
    name: Option<String>,
}

impl Version {
    fn of(vers: &str, visible_after: usize) -> Version {
        Version {
            vers: vers.to_string(),
            yanked: false,
            visible_after,
            index_lag: 0,
            archive: None,
            wrong_cksum: false,
            no_download: false,
            unpackable: None,
            visible_at: None,
            deps: None,
            name: None,
        }
    }

    /// Shown in the index once the crate's file has been asked for `visible_after` times, and its
    /// publish's delay is over.
    fn shown(&self, seen: usize) -> bool {
        self.known(seen) && self.visible_at.is_none_or(|t| Instant::now() >= t)
    }

    /// Known to the API: like crates.io's, at once when it is published; the index lags.
    fn known(&self, seen: usize) -> bool {
        seen >= self.visible_after
    }
}

/// One `PUT /api/v1/crates/new` the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub vers: String,
    /// The sha256 of the uploaded `.crate`.
    pub cksum: String,
    /// The status answered.
    pub status: u16,
}

#[derive(Debug)]
struct State {
    name: String,
    versions: Vec<Version>,
    file_requests: usize,
    requests: Vec<Request>,
    /// The token the registry API accepts (`Authorization` header); `None` accepts none.
    token: Option<String>,
    /// Status and size in bytes (head and body) of every answer, in order.
    responses: Vec<Response>,
    /// Bytes of every request head received, in total.
    bytes_received: usize,
    source: Option<Source>,
    /// The API's `crate.trustpub_only`; `None`: the field is absent.
    trustpub_only: Option<bool>,
    /// `config.json` served instead of the default one.
    config: Option<String>,
    /// The next requests (any path) answered 429, and their `Retry-After` seconds.
    rate_limited: usize,
    rate_limit_after: usize,
    retry_after: Option<u64>,
    /// Versions of other crates, published to this registry.
    others: Vec<Version>,
    /// How long after its upload a published version shows in the index and the API.
    publish_delay: Duration,
    /// The next uploads answer these statuses (and are not kept).
    failing_uploads: Vec<u16>,
    uploads: Vec<Upload>,
    /// The registry's log: every upload, and the first index answer that shows each.
    log: Vec<String>,
}

/// One answer the server sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Bytes written: status line, headers and body.
    pub bytes: usize,
}

/// The server; see the module documentation.
pub struct IndexServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The sparse-index path of a crate's file, without a leading slash (cargo's layout).
pub fn sparse_path(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

/// A checksum-looking 64-hex string derived from the name and version (FNV-1a, four seeds).
fn cksum(name: &str, vers: &str) -> String {
    (0u64..4)
        .map(|seed| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for b in name.bytes().chain([0]).chain(vers.bytes()) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        })
        .collect()
}

impl IndexServer {
    /// Starts serving the index of `crate_name` (no versions yet) on `127.0.0.1:0`.
    pub fn start(crate_name: &str) -> IndexServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            name: crate_name.to_string(),
            versions: Vec::new(),
            file_requests: 0,
            requests: Vec::new(),
            token: None,
            responses: Vec::new(),
            bytes_received: 0,
            source: None,
            trustpub_only: Some(false),
            config: None,
            rate_limited: 0,
            rate_limit_after: 0,
            retry_after: None,
            others: Vec::new(),
            publish_delay: Duration::ZERO,
            failing_uploads: Vec::new(),
            uploads: Vec::new(),
            log: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            let base = format!("http://{addr}/");
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => serve(stream, &state, &base),
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        IndexServer {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// The index URL, with a trailing slash: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The crate's index file URL.
    pub fn file_url(&self) -> String {
        let name = self.state.lock().expect("index state").name.clone();
        format!("{}{}", self.url(), sparse_path(&name))
    }

    /// `version`'s line appears once the crate's file has been requested `requests` more times:
    /// those requests still answer without it (404 while the crate has no visible version at all).
    pub fn publish_after(&self, version: &str, requests: usize) {
        let mut st = self.state.lock().expect("index state");
        let visible_after = st.file_requests + requests;
        st.versions.push(Version::of(version, visible_after));
    }

    /// A version published to this registry shows in its index (and API) `delay` after its
    /// upload.
    pub fn publish_delay(&self, delay: Duration) {
        self.state.lock().expect("index state").publish_delay = delay;
    }

    /// The next uploads answer these statuses, in turn (e.g. `[503]`), and keep nothing.
    pub fn fail_uploads(&self, statuses: &[u16]) {
        self.state.lock().expect("index state").failing_uploads = statuses.to_vec();
    }

    /// Every upload received, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.state.lock().expect("index state").uploads.clone()
    }

    /// The registry's log (see the module documentation).
    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("index state").log.clone()
    }

    /// A registry for the fixture whose bare origin is `repo`: every version's `.crate` is packaged
    /// by `cargo package` from its tag there (see [`IndexServer::package_from`]).
    pub fn publishing(crate_name: &str, repo: &Path) -> IndexServer {
        let server = IndexServer::start(crate_name);
        server.package_from(repo);
        server
    }

    /// Versions without an archive of their own are packaged from `repo` (a bare or work
    /// repository) at the tag `v<version>` or `<anything>-v<version>`/`<prefix><version>`: cloned,
    /// then `cargo package --no-verify` — a real `.crate`, as a publish would make it.
    pub fn package_from(&self, repo: &Path) {
        self.state.lock().expect("index state").source = Some(Source {
            repo: repo.to_path_buf(),
            tamper: None,
        });
    }

    /// Packaged crates have `path` replaced by `contents` (packaged with `--allow-dirty`): a
    /// publishing pipeline that ships something else under the tag's name.
    pub fn tamper(&self, path: &str, contents: &str) {
        let mut st = self.state.lock().expect("index state");
        if let Some(source) = st.source.as_mut() {
            source.tamper = Some((path.to_string(), contents.to_string()));
        }
    }

    /// The `.crate` served for `version` (its sha256 is the index's `cksum`).
    pub fn set_archive(&self, version: &str, bytes: Vec<u8>) {
        self.with_version(version, |v| v.archive = Some(bytes));
    }

    /// The index file shows `version` only `requests` file requests after the API knows it (a CDN
    /// edge serving a stale file).
    pub fn lag_index(&self, version: &str, requests: usize) {
        self.with_version(version, |v| v.index_lag = requests);
    }

    /// The index line and the API give a checksum that is not the archive's (or the right one
    /// again).
    pub fn wrong_cksum(&self, version: &str, wrong: bool) {
        self.with_version(version, |v| v.wrong_cksum = wrong);
    }

    /// The download of `version` answers 404 (or serves the archive again).
    pub fn no_download(&self, version: &str, missing: bool) {
        self.with_version(version, |v| v.no_download = missing);
    }

    /// Forgets `version`'s archive and faults: it is packaged again when next needed.
    pub fn reset(&self, version: &str) {
        self.with_version(version, |v| {
            v.archive = None;
            v.wrong_cksum = false;
            v.no_download = false;
            v.unpackable = None;
        });
    }

    /// The API's `crate.trustpub_only`; `None` leaves the field out.
    pub fn trustpub_only(&self, value: Option<bool>) {
        self.state.lock().expect("index state").trustpub_only = value;
    }

    /// `config.json` answers `text` instead of naming this server's `dl` and `api` (`None`: the
    /// default again).
    pub fn config_json(&self, text: Option<&str>) {
        self.state.lock().expect("index state").config = text.map(str::to_string);
    }

    /// Once the crate's index file has been requested `after` times, the next `requests` polls
    /// (the index file, or one version in the API) answer 429 Too Many Requests (with `Retry-After: seconds` when
    /// given).
    pub fn rate_limit_from(&self, after: usize, requests: usize, retry_after: Option<u64>) {
        let mut st = self.state.lock().expect("index state");
        st.rate_limit_after = after;
        st.rate_limited = requests;
        st.retry_after = retry_after;
    }

    fn with_version(&self, version: &str, change: impl FnOnce(&mut Version)) {
        let mut st = self.state.lock().expect("index state");
        let v = st
            .versions
            .iter_mut()
            .find(|v| v.vers == version)
            .unwrap_or_else(|| panic!("{version} is not published on the test registry"));
        change(v);
    }

    /// `version` is published, visible at once.
    pub fn add_version(&self, version: &str) {
        self.publish_after(version, 0);
    }

    /// Marks `version` yanked (`"yanked":true`).
    pub fn yank(&self, version: &str) {
        let mut st = self.state.lock().expect("index state");
        for v in st.versions.iter_mut().filter(|v| v.vers == version) {
            v.yanked = true;
        }
    }

    /// The registry API (`DELETE /api/v1/crates/NAME/VERSION/yank`, as `cargo yank` calls it) accepts
    /// this token in the `Authorization` header; any other answers 403.
    pub fn require_token(&self, token: &str) {
        self.state.lock().expect("index state").token = Some(token.to_string());
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().expect("index state").requests.clone()
    }

    /// How many times the crate's index file has been requested.
    pub fn file_requests(&self) -> usize {
        self.state.lock().expect("index state").file_requests
    }

    /// Every answer sent so far (status and bytes), in order.
    pub fn responses(&self) -> Vec<Response> {
        self.state.lock().expect("index state").responses.clone()
    }

    /// Bytes sent in all answers so far (heads and bodies).
    pub fn bytes_sent(&self) -> usize {
        self.responses().iter().map(|r| r.bytes).sum()
    }

    /// Bytes received in all request heads so far.
    pub fn bytes_received(&self) -> usize {
        self.state.lock().expect("index state").bytes_received
    }

    /// How many answers were `304 Not Modified`.
    pub fn not_modified(&self) -> usize {
        self.responses().iter().filter(|r| r.status == 304).count()
    }
}

impl Drop for IndexServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads the request head (up to the blank line), answers, closes.
fn serve(mut stream: TcpStream, state: &Mutex<State>, base: &str) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    if method.is_empty() {
        return;
    }
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let head_len = text.find("\r\n\r\n").map_or(head.len(), |i| i + 4);
    let mut body_in = head.get(head_len..).unwrap_or_default().to_vec();
    if method == "PUT" {
        let lower = text[..head_len.min(text.len())].to_ascii_lowercase();
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if lower.contains("expect: 100-continue") {
            let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        while body_in.len() < length {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => body_in.extend_from_slice(&buf[..n]),
            }
        }
    }
    let (status, body, if_none_match, retry_after) = {
        let mut st = state.lock().expect("index state");
        st.bytes_received += head_len;
        let request = Request {
            method: method.clone(),
            path: path.clone(),
            headers,
        };
        let authorization = request.header("authorization").map(str::to_string);
        let if_none_match = request.header("if-none-match").map(str::to_string);
        st.requests.push(request);
        // What a poller asks again and again: the index file and one version in the API.
        let polled = path == format!("/{}", sparse_path(&st.name))
            || (path.starts_with("/api/v1/crates/") && path.matches('/').count() == 5);
        if st.rate_limited > 0 && polled && st.file_requests >= st.rate_limit_after {
            st.rate_limited -= 1;
            let after = st.retry_after;
            (429, b"slow down\n".to_vec(), None, after)
        } else {
            let (status, body) = if method == "PUT" && path == "/api/v1/crates/new" {
                publish(&mut st, &body_in, authorization.as_deref())
            } else if path.starts_with("/api/") {
                api(&mut st, &method, &path, authorization.as_deref())
            } else {
                let (status, body) = answer(&mut st, &method, &path, base);
                (status, body.into_bytes())
            };
            (status, body, if_none_match, None)
        }
    };
    let download = path.ends_with("/download");
    let etag = (status == 200 && !path.starts_with("/api/")).then(|| etag_of(&body));
    let not_modified = etag.is_some()
        && if_none_match.is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == "*" || Some(t.trim()) == etag.as_deref())
        });
    let content_type = if download && status == 200 {
        "application/gzip"
    } else if path.ends_with("config.json") || path.starts_with("/api/") {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut extra = etag
        .as_deref()
        .map(|t| format!("ETag: {t}\r\n"))
        .unwrap_or_default();
    if let Some(after) = retry_after {
        extra.push_str(&format!("Retry-After: {after}\r\n"));
    }
    let (status, response) = if not_modified {
        (
            304,
            format!("HTTP/1.1 304 Not Modified\r\n{extra}Connection: close\r\n\r\n").into_bytes(),
        )
    } else {
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "Not Found",
        };
        let mut response = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        if method != "HEAD" {
            response.extend_from_slice(&body);
        }
        (status, response)
    };
    state.lock().expect("index state").responses.push(Response {
        status,
        bytes: response.len(),
    });
    let _ = stream.write_all(&response);
    let _ = stream.flush();
}

/// The `ETag` of a body: a quoted FNV-1a hash, so equal bodies have equal tags.
fn etag_of(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}\"")
}

/// The sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The checksum the index and the API give for a version: its archive's sha256 (packaged now if
/// it has to be), else a made-up one.
fn checksum_of(st: &mut State, index: usize) -> String {
    ensure_archive(st, index);
    let name = st.name.clone();
    let v = &st.versions[index];
    match (&v.archive, v.wrong_cksum) {
        (Some(bytes), false) => sha256_hex(bytes),
        _ => cksum(&name, &v.vers),
    }
}

/// Packages a visible version from the source repository, once.
fn ensure_archive(st: &mut State, index: usize) {
    if st.versions[index].archive.is_some() {
        return;
    }
    let Some(source) = st.source.clone() else {
        return;
    };
    let tags = tags_of(&source.repo);
    if tags.is_some() && st.versions[index].unpackable == tags {
        return;
    }
    let vers = st.versions[index].vers.clone();
    match package(&source, &st.name, &vers) {
        Some(bytes) => st.versions[index].archive = Some(bytes),
        None => st.versions[index].unpackable = tags,
    }
}

/// The tags of `repo` with their objects, to notice a new one.
fn tags_of(repo: &Path) -> Option<String> {
    std::process::Command::new("git")
        .args(["for-each-ref", "refs/tags"])
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn answer(st: &mut State, method: &str, path: &str, base: &str) -> (u16, String) {
    if method != "GET" && method != "HEAD" {
        return (404, "not found\n".into());
    }
    let path = path.split('?').next().unwrap_or("");
    let path = path.strip_prefix('/').unwrap_or(path);
    if path == "config.json" {
        if let Some(text) = &st.config {
            return (200, text.clone());
        }
        let api = base.trim_end_matches('/');
        return (
            200,
            format!("{{\"dl\":\"{base}api/v1/crates\",\"api\":\"{api}\"}}"),
        );
    }
    if let Some(other) = st
        .others
        .iter()
        .filter_map(|v| v.name.clone())
        .find(|n| path == sparse_path(n))
    {
        let mut lines = String::new();
        let mut shows = Vec::new();
        for v in st
            .others
            .iter()
            .filter(|v| v.name.as_deref() == Some(other.as_str()))
        {
            if v.shown(usize::MAX) {
                let cksum = v.archive.as_deref().map(sha256_hex).unwrap_or_default();
                lines.push_str(&index_line(&other, v, &cksum));
                shows.push(v.vers.clone());
            }
        }
        note_shown(st, &other, &shows);
        return if lines.is_empty() {
            (404, "not found\n".into())
        } else {
            (200, lines)
        };
    }
    if path != sparse_path(&st.name) {
        return (404, "not found\n".into());
    }
    let seen = st.file_requests;
    st.file_requests += 1;
    let mut lines = String::new();
    let mut shows = Vec::new();
    for i in 0..st.versions.len() {
        let v = &st.versions[i];
        if seen < v.visible_after + v.index_lag || !v.shown(seen) {
            continue;
        }
        let cksum = checksum_of(st, i);
        let v = &st.versions[i];
        lines.push_str(&index_line(&st.name, v, &cksum));
        shows.push(v.vers.clone());
    }
    let name = st.name.clone();
    note_shown(st, &name, &shows);
    if lines.is_empty() {
        (404, "not found\n".into())
    } else {
        (200, lines)
    }
}

/// One line of a crate's index file, its keys in crates.io's order.
fn index_line(name: &str, v: &Version, cksum: &str) -> String {
    let deps = v
        .deps
        .as_ref()
        .map_or_else(|| "[]".to_string(), |d| d.to_string());
    format!(
        "{{\"name\":\"{name}\",\"vers\":\"{}\",\"deps\":{deps},\"cksum\":\"{cksum}\",\"features\":{{}},\"yanked\":{}}}\n",
        v.vers, v.yanked
    )
}

/// Logs the first index answer that shows each published version.
fn note_shown(st: &mut State, name: &str, shows: &[String]) {
    for vers in shows {
        let published = st
            .uploads
            .iter()
            .any(|u| u.name == name && u.vers == *vers && u.status == 200);
        let entry = format!("index shows {name} {vers}");
        if published && !st.log.contains(&entry) {
            st.log.push(entry);
        }
    }
}

fn errors(status: u16, detail: &str) -> (u16, Vec<u8>) {
    let body = serde_json::json!({ "errors": [{ "detail": detail }] });
    (status, body.to_string().into_bytes())
}

/// `PUT /api/v1/crates/new`, as cargo's registry web API document specifies it.
fn publish(st: &mut State, body: &[u8], authorization: Option<&str>) -> (u16, Vec<u8>) {
    let take = |at: usize| -> Option<(&[u8], usize)> {
        let len = u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize;
        Some((body.get(at + 4..at + 4 + len)?, at + 4 + len))
    };
    let Some((json, next)) = take(0) else {
        return errors(
            400,
            "the body is not a length-prefixed JSON document and .crate",
        );
    };
    let Some((archive, _)) = take(next) else {
        return errors(400, "the body has no length-prefixed .crate after the JSON");
    };
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(json) else {
        return errors(400, "the metadata is not JSON");
    };
    let name = meta["name"].as_str().unwrap_or_default().to_string();
    let vers = meta["vers"].as_str().unwrap_or_default().to_string();
    let cksum = sha256_hex(archive);
    let allowed = match (&st.token, authorization) {
        (Some(token), Some(given)) => token == given,
        (None, Some(given)) => !given.is_empty(),
        (_, None) => false,
    };
    let (status, answer) = if !allowed {
        errors(403, "authentication failed: this token may not publish")
    } else if !st.failing_uploads.is_empty() {
        let status = st.failing_uploads.remove(0);
        errors(
            status,
            "the registry is having a bad moment; try again later",
        )
    } else {
        let exists = st
            .versions
            .iter()
            .any(|v| name == st.name && v.vers == vers)
            || st
                .others
                .iter()
                .any(|v| v.name.as_deref() == Some(name.as_str()) && v.vers == vers);
        if exists {
            errors(400, &format!("crate version `{vers}` is already uploaded"))
        } else {
            let deps: Vec<serde_json::Value> = meta["deps"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    // The web API's dependency, in the index's shape.
                    let renamed = d["explicit_name_in_toml"].as_str();
                    let mut line = serde_json::json!({
                        "name": renamed.unwrap_or(d["name"].as_str().unwrap_or_default()),
                        "req": d["version_req"],
                        "features": d["features"],
                        "optional": d["optional"],
                        "default_features": d["default_features"],
                        "target": d["target"],
                        "kind": d["kind"],
                    });
                    if !d["registry"].is_null() {
                        line["registry"] = d["registry"].clone();
                    }
                    if renamed.is_some() {
                        line["package"] = d["name"].clone();
                    }
                    line
                })
                .collect();
            let mut v = Version::of(&vers, 0);
            v.archive = Some(archive.to_vec());
            v.visible_at = Some(Instant::now() + st.publish_delay);
            v.deps = Some(serde_json::Value::Array(deps));
            if name == st.name {
                st.versions.push(v);
            } else {
                v.name = Some(name.clone());
                st.others.push(v);
            }
            (
                200,
                br#"{"warnings":{"invalid_categories":[],"invalid_badges":[],"other":[]}}"#
                    .to_vec(),
            )
        }
    };
    st.log.push(format!(
        "PUT /api/v1/crates/new {name} {vers} (sha256 {}) → {status}",
        &cksum[..12]
    ));
    st.uploads.push(Upload {
        name,
        vers,
        cksum,
        status,
    });
    (status, answer)
}

fn not_found(detail: &str) -> (u16, Vec<u8>) {
    (
        404,
        format!(r#"{{"errors":[{{"detail":"{detail}"}}]}}"#).into_bytes(),
    )
}

/// The registry web API: what caro-hotfix reads and `cargo yank` calls.
fn api(st: &mut State, method: &str, path: &str, authorization: Option<&str>) -> (u16, Vec<u8>) {
    let path = path.split('?').next().unwrap_or("");
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let seen = st.file_requests;
    let known = |st: &State, name: &str, version: &str| {
        st.versions
            .iter()
            .position(|v| name == st.name && v.vers == version && v.known(seen))
    };
    if let ["api", "v1", "crates", name, rest @ ..] = parts.as_slice() {
        if *name != st.name {
            let found = st.others.iter().find(|v| {
                v.name.as_deref() == Some(*name) && rest.first() == Some(&v.vers.as_str())
            });
            return match (method, rest, found) {
                ("GET", [_], Some(v)) => {
                    let checksum = v.archive.as_deref().map(sha256_hex);
                    let body = serde_json::json!({ "version": {
                        "crate": name, "num": v.vers, "yanked": v.yanked, "checksum": checksum,
                    }});
                    (200, body.to_string().into_bytes())
                }
                ("GET" | "HEAD", [_, "download"], Some(v)) => {
                    (200, v.archive.clone().unwrap_or_default())
                }
                _ => not_found(&format!("crate `{name}` has no such version")),
            };
        }
    }
    match (method, parts.as_slice()) {
        ("GET", ["api", "v1", "crates", name]) => {
            if *name != st.name || !st.versions.iter().any(|v| v.known(seen)) {
                return not_found(&format!("crate `{name}` does not exist"));
            }
            let mut versions = Vec::new();
            for i in 0..st.versions.len() {
                if st.versions[i].known(seen) {
                    let checksum = checksum_of(st, i);
                    let v = &st.versions[i];
                    versions.push(serde_json::json!({
                        "num": v.vers, "yanked": v.yanked, "checksum": checksum,
                    }));
                }
            }
            let mut krate = serde_json::json!({ "id": st.name, "name": st.name });
            if let Some(only) = st.trustpub_only {
                krate["trustpub_only"] = serde_json::Value::Bool(only);
            }
            let body = serde_json::json!({ "crate": krate, "versions": versions });
            (200, body.to_string().into_bytes())
        }
        ("GET", ["api", "v1", "crates", name, version]) => match known(st, name, version) {
            Some(i) => {
                let checksum = checksum_of(st, i);
                let v = &st.versions[i];
                let body = serde_json::json!({ "version": {
                    "crate": st.name, "num": v.vers, "yanked": v.yanked, "checksum": checksum,
                }});
                (200, body.to_string().into_bytes())
            }
            None => not_found(&format!(
                "crate `{name}` does not have a version `{version}`"
            )),
        },
        ("GET" | "HEAD", ["api", "v1", "crates", name, version, "download"]) => {
            match known(st, name, version) {
                Some(i) if !st.versions[i].no_download => {
                    ensure_archive(st, i);
                    match &st.versions[i].archive {
                        Some(bytes) => (200, bytes.clone()),
                        None => (404, b"no such file\n".to_vec()),
                    }
                }
                _ => (404, b"no such file\n".to_vec()),
            }
        }
        ("DELETE", ["api", "v1", "crates", name, version, "yank"]) => {
            if st.token.is_none() || authorization != st.token.as_deref() {
                return (
                    403,
                    br#"{"errors":[{"detail":"this token does not have the required permissions to perform this action"}]}"#.to_vec(),
                );
            }
            match known(st, name, version) {
                Some(i) => {
                    st.versions[i].yanked = true;
                    (200, br#"{"ok":true}"#.to_vec())
                }
                None => not_found(&format!(
                    "crate `{name}` does not have a version `{version}`"
                )),
            }
        }
        _ => not_found("Not Found"),
    }
}
