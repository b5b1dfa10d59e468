//! When a gh call is worth trying again, and how long to wait first.
//!
//! gh 2.23 never retries and never shows GitHub's response headers: a 429's `Retry-After`, a rate
//! limit's `x-ratelimit-reset`. So the calls that may be retried run with `GH_DEBUG=api`, which makes
//! gh log each request and response to stderr (the `Authorization` header masked by gh); [`Reply::of`]
//! takes that log out of stderr again, leaving gh's own message, and keeps what the last response
//! said about waiting. [`Reply::pause`] turns it into the pause before the next attempt: GitHub's
//! word when it gave one — up to [`MAX_PAUSE`]; asked for longer, the step stops and says when to
//! resume — else a short backoff. A secondary rate limit without `Retry-After` is GitHub's own case
//! ("Rate limits for the REST API": wait at least one minute, then exponentially longer, or the
//! integration may be banned): [`SECONDARY_WAIT`] doubled at each attempt, and a wait longer than a
//! step takes stops it, saying when to resume.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{anyhow, Result};

use crate::clock::Clock;
use crate::runner::Output;

/// The environment variable that makes gh log its HTTP traffic, and the value that includes headers.
pub const DEBUG: (&str, &str) = ("GH_DEBUG", "api");

/// The longest pause taken on GitHub's word; asked for more, the step stops (resumable).
pub const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Pauses between attempts when GitHub did not say how long to wait.
const BACKOFF: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_secs(2),
    Duration::from_secs(5),
];

/// How many times a transient failure is tried again (reads and checked writes alike).
pub const RETRIES: usize = BACKOFF.len();

/// The first wait after a secondary rate limit that names no time (GitHub: at least one minute).
pub const SECONDARY_WAIT: Duration = Duration::from_secs(60);

/// A gh call's output with gh's debug log taken out of stderr, and what the last HTTP response
/// asked about waiting.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub out: Output,
    /// `Retry-After`, or the time until a spent rate limit resets.
    pub asked: Option<Duration>,
}

impl std::ops::Deref for Reply {
    type Target = Output;
    fn deref(&self) -> &Output {
        &self.out
    }
}

impl Reply {
    /// Splits gh's debug log (`* Request at …` to `* Request took …`) from its own messages.
    pub fn of(mut out: Output) -> Reply {
        let mut own = Vec::new();
        let mut open = 0usize;
        let mut headers: HashMap<String, String> = HashMap::new();
        for line in out.stderr.lines() {
            if line.starts_with("* Request at ") {
                open += 1;
                continue;
            }
            if open == 0 {
                own.push(line);
                continue;
            }
            if line.starts_with("* Request took ") {
                open -= 1;
            } else if let Some(header) = line.strip_prefix("< ") {
                if header.starts_with("HTTP/") {
                    headers.clear();
                } else if let Some((name, value)) = header.split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
                }
            }
        }
        let asked = asked_wait(&headers);
        let mut message = own.join("\n");
        if out.stderr.ends_with('\n') && !message.is_empty() {
            message.push('\n');
        }
        out.stderr = message;
        Reply { out, asked }
    }

    /// gh's message: stderr, or stdout when stderr is empty.
    pub fn message(&self) -> &str {
        if self.out.stderr.trim().is_empty() {
            self.out.stdout.trim()
        } else {
            self.out.stderr.trim()
        }
    }

    /// Whether the failure is worth trying again: a gateway error, a rate limit, a lost answer.
    pub fn transient(&self) -> bool {
        transient(&self.out)
    }

    /// Whether GitHub answered with its secondary rate limit.
    pub fn secondary(&self) -> bool {
        format!("{}\n{}", self.out.stderr, self.out.stdout)
            .to_ascii_lowercase()
            .contains("secondary rate limit")
    }

    /// The pause before attempt `attempt + 1` (0-based `attempt` just failed); an error, saying
    /// when to resume by `clock`, when the wait is longer than [`MAX_PAUSE`].
    pub fn pause(&self, attempt: usize, clock: &Clock) -> Result<Duration> {
        let beyond = |wait: Duration, why: String| -> anyhow::Error {
            anyhow!(
                "{why} ({}); nothing more was sent. `caro-hotfix resume` at {} or later",
                self.message(),
                clock.after(wait)
            )
        };
        match self.asked {
            Some(asked) if asked > MAX_PAUSE => Err(beyond(
                asked,
                format!(
                    "GitHub asks to wait {} before the next request",
                    seconds(asked)
                ),
            )),
            Some(asked) => Ok(asked),
            None if self.secondary() => {
                let wait = SECONDARY_WAIT.saturating_mul(1u32 << attempt.min(16));
                if wait > MAX_PAUSE {
                    return Err(beyond(
                        wait,
                        format!(
                            "GitHub's secondary rate limit again, without a time to wait: GitHub \
                             asks to wait at least a minute and longer at each retry, now {}",
                            seconds(wait)
                        ),
                    ));
                }
                Ok(wait)
            }
            None => Ok(BACKOFF[attempt.min(BACKOFF.len() - 1)]),
        }
    }
}

/// "45 s", "3 min", "1 h", "2 h 5 min".
fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    match (s, (s % 3600).div_ceil(60)) {
        (0..=119, _) => format!("{s} s"),
        (120..=3599, _) => format!("{} min", s.div_ceil(60)),
        (_, 0) => format!("{} h", s / 3600),
        (_, m) => format!("{} h {m} min", s / 3600),
    }
}

/// What a response's headers ask: `Retry-After` (seconds), or — a spent rate limit — the time from
/// the response's `Date` to `x-ratelimit-reset` (GitHub's clock against GitHub's clock).
fn asked_wait(headers: &HashMap<String, String>) -> Option<Duration> {
    if let Some(secs) = headers
        .get("retry-after")
        .and_then(|v| v.parse::<u64>().ok())
    {
        return Some(Duration::from_secs(secs));
    }
    if headers.get("x-ratelimit-remaining").map(String::as_str) != Some("0") {
        return None;
    }
    let reset: i64 = headers.get("x-ratelimit-reset")?.parse().ok()?;
    let date = jiff::fmt::rfc2822::parse(headers.get("date")?).ok()?;
    let wait = reset - date.timestamp().as_second();
    Some(Duration::from_secs(wait.max(1).unsigned_abs()))
}

/// Whether a failed gh call is worth repeating: a gateway error, a rate limit, a lost answer.
pub fn transient(out: &Output) -> bool {
    transient_text(&format!("{}\n{}", out.stderr, out.stdout))
}

/// [`transient`] for an error's text.
pub fn transient_text(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [
        "http 502",
        "http 503",
        "http 504",
        "http 429",
        "rate limit",
        "secondary rate",
        ": eof",
        "connection reset",
        "timeout",
        "502 bad gateway",
        "503 service unavailable",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed("2026-12-01T03:00:00+00:00").expect("clock")
    }

    fn reply(stderr: &str) -> Reply {
        Reply::of(Output {
            code: 1,
            stderr: stderr.into(),
            ..Output::default()
        })
    }

    const RETRY_AFTER: &str = "* Request at 2026-12-01 23:34:39 +0000 UTC\n\
        * Request to http://api.github.localhost/graphql\n\
        > POST /graphql HTTP/1.1\n\
        > Authorization: token ████\n\
        \n\
        GraphQL variables: {\"headBranch\":\"x\"}\n\
        \n\
        < HTTP/1.1 429 Too Many Requests\n\
        < Date: Tue, 01 Dec 2026 23:34:39 GMT\n\
        < Retry-After: 7\n\
        \n\
        {\n  \"message\": \"You have exceeded a secondary rate limit.\"\n}\n\
        \n\
        * Request took 10.6ms\n\
        HTTP 429: You have exceeded a secondary rate limit. (http://api.github.localhost/graphql)\n";

    #[test]
    fn the_debug_log_is_taken_out_and_retry_after_kept() {
        let r = reply(RETRY_AFTER);
        assert_eq!(
            r.stderr,
            "HTTP 429: You have exceeded a secondary rate limit. (http://api.github.localhost/graphql)\n"
        );
        assert_eq!(r.asked, Some(Duration::from_secs(7)));
        assert!(r.transient());
        assert_eq!(r.pause(0, &clock()).unwrap(), Duration::from_secs(7));
    }

    #[test]
    fn a_spent_rate_limit_waits_until_its_reset_by_githubs_clock() {
        let log = "* Request at x\n< HTTP/1.1 403 Forbidden\n< Date: Tue, 01 Dec 2026 23:35:02 GMT\n\
                   < X-Ratelimit-Remaining: 0\n< X-Ratelimit-Reset: 1796168132\n* Request took 1ms\n\
                   HTTP 403: API rate limit exceeded for user ID 1.\n";
        // 1796168132 is 23:35:32 that day: 30 s after the response's Date.
        assert_eq!(reply(log).asked, Some(Duration::from_secs(30)));
    }

    #[test]
    fn a_wait_beyond_the_cap_stops_with_githubs_word() {
        let r = reply(&RETRY_AFTER.replace("Retry-After: 7", "Retry-After: 3600"));
        let e = r.pause(0, &clock()).unwrap_err().to_string();
        assert!(e.contains("GitHub asks to wait 1 h before"), "{e}");
        assert!(e.contains("HTTP 429"), "{e}");
        assert!(
            e.contains("`caro-hotfix resume` at 2026-12-01T04:00:00+00:00 or later"),
            "{e}"
        );
    }

    /// GitHub's "Rate limits for the REST API": a secondary rate limit without `retry-after` →
    /// wait at least one minute, then exponentially longer. Not 0.5 s: the minute, once; the next
    /// wait (2 min) is more than a step takes, so the step stops and says when to resume.
    #[test]
    fn a_secondary_rate_limit_without_retry_after_waits_a_minute_then_stops() {
        let log = "* Request at x\n< HTTP/1.1 403 Forbidden\n< Date: Tue, 01 Dec 2026 23:35:02 GMT\n\
                   * Request took 1ms\n\
                   HTTP 403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (http://api.github.localhost/graphql)\n";
        let r = reply(log);
        assert_eq!(r.asked, None);
        assert!(r.transient() && r.secondary());
        assert_eq!(r.pause(0, &clock()).unwrap(), Duration::from_secs(60));
        let e = r.pause(1, &clock()).unwrap_err().to_string();
        assert!(e.contains("secondary rate limit again"), "{e}");
        assert!(e.contains("now 2 min"), "{e}");
        assert!(
            e.contains("`caro-hotfix resume` at 2026-12-01T03:02:00+00:00 or later"),
            "{e}"
        );
    }

    #[test]
    fn without_a_word_from_github_the_backoff_applies_and_plain_stderr_stays() {
        let r = reply("HTTP 502: 502 Bad Gateway (http://api.github.localhost/graphql)\n");
        assert_eq!(r.asked, None);
        assert!(!r.secondary());
        assert_eq!(r.pause(1, &clock()).unwrap(), Duration::from_secs(2));
        assert_eq!(r.pause(9, &clock()).unwrap(), Duration::from_secs(5));
        assert!(r.stderr.starts_with("HTTP 502"));
        // A lost answer: gh's transport error inside the log, its message after it.
        let lost = reply("* Request at x\n* EOF\n* Request took 2ms\nPost \"http://api.github.localhost/graphql\": EOF\n");
        assert_eq!(
            lost.message(),
            "Post \"http://api.github.localhost/graphql\": EOF"
        );
        assert!(lost.transient());
    }
}
