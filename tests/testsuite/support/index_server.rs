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

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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
    /// Visible once the crate's file has been requested this many times (in total).
    visible_after: usize,
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
        st.versions.push(Version {
            vers: version.to_string(),
            yanked: false,
            visible_after,
        });
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

/// The `ETag` of a body: a quoted FNV-1a hash, so equal bodies have equal tags.
fn etag_of(body: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}\"")
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
    let (status, body, if_none_match) = {
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
        let (status, body) = if path.starts_with("/api/") {
            api(&mut st, &method, &path, authorization.as_deref())
        } else {
            answer(&mut st, &method, &path, base)
        };
        (status, body, if_none_match)
    };
    let etag = (status == 200 && !path.starts_with("/api/")).then(|| etag_of(&body));
    let not_modified = etag.is_some()
        && if_none_match.is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == "*" || Some(t.trim()) == etag.as_deref())
        });
    let content_type = if path.ends_with("config.json") || path.starts_with("/api/") {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let etag_header = etag
        .as_deref()
        .map(|t| format!("ETag: {t}\r\n"))
        .unwrap_or_default();
    let (status, response) = if not_modified {
        (
            304,
            format!("HTTP/1.1 304 Not Modified\r\n{etag_header}Connection: close\r\n\r\n")
                .into_bytes(),
        )
    } else {
        let reason = match status {
            200 => "OK",
            403 => "Forbidden",
            _ => "Not Found",
        };
        let mut response = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{etag_header}Connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        if method != "HEAD" {
            response.extend_from_slice(body.as_bytes());
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

fn answer(st: &mut State, method: &str, path: &str, base: &str) -> (u16, String) {
    if method != "GET" && method != "HEAD" {
        return (404, "not found\n".into());
    }
    let path = path.split('?').next().unwrap_or("");
    let path = path.strip_prefix('/').unwrap_or(path);
    if path == "config.json" {
        let api = base.trim_end_matches('/');
        return (
            200,
            format!("{{\"dl\":\"{base}api/v1/crates\",\"api\":\"{api}\"}}"),
        );
    }
    if path != sparse_path(&st.name) {
        return (404, "not found\n".into());
    }
    let seen = st.file_requests;
    st.file_requests += 1;
    let lines: String = st
        .versions
        .iter()
        .filter(|v| seen >= v.visible_after)
        .map(|v| {
            format!(
                "{{\"name\":\"{}\",\"vers\":\"{}\",\"deps\":[],\"cksum\":\"{}\",\"features\":{{}},\"yanked\":{}}}\n",
                st.name,
                v.vers,
                cksum(&st.name, &v.vers),
                v.yanked
            )
        })
        .collect();
    if lines.is_empty() {
        (404, "not found\n".into())
    } else {
        (200, lines)
    }
}

/// The registry web API, as much as `cargo yank` needs.
fn api(st: &mut State, method: &str, path: &str, authorization: Option<&str>) -> (u16, String) {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let ["api", "v1", "crates", name, version, "yank"] = parts.as_slice() else {
        return (404, r#"{"errors":[{"detail":"Not Found"}]}"#.into());
    };
    if method != "DELETE" {
        return (404, r#"{"errors":[{"detail":"Not Found"}]}"#.into());
    }
    if st.token.is_none() || authorization != st.token.as_deref() {
        return (
            403,
            r#"{"errors":[{"detail":"this token does not have the required permissions to perform this action"}]}"#.into(),
        );
    }
    let seen = st.file_requests;
    let known = *name == st.name;
    let Some(v) = st
        .versions
        .iter_mut()
        .find(|v| known && v.vers == *version && seen >= v.visible_after)
    else {
        return (
            404,
            format!(
                r#"{{"errors":[{{"detail":"crate `{name}` does not have a version `{version}`"}}]}}"#
            ),
        );
    };
    v.yanked = true;
    (200, r#"{"ok":true}"#.into())
}
