//! The one wall clock: the record's timestamps and the dates of CHANGELOG and SECURITY.md.
//!
//! `CARO_HOTFIX_NOW` (an RFC 3339 time with offset, read through [`crate::Env`]) fixes it, so a test's
//! texts and records are the same at every run. `CARO_HOTFIX_BACKOFF_SCALE` (a factor in (0, 1])
//! shortens the pauses between attempts of a failed call, so a test of GitHub's 502s does not wait
//! the 0.5 + 2 + 5 s a maintainer's run waits; what is said and tried is the same. Durations are
//! measured with `std::time::Instant`, which is no clock of dates.
//!
//! Every wait of the product goes through [`Clock::pause`]. `CARO_HOTFIX_PAUSE_LOG` (a file) makes
//! each pause appended to it, in seconds, and a pause of [`LONG_PAUSE`] or more only written there,
//! not slept: a test observes the minute GitHub's rate-limit rules ask for without waiting it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

/// With `CARO_HOTFIX_PAUSE_LOG` set, pauses this long or longer are logged, not slept.
pub const LONG_PAUSE: Duration = Duration::from_secs(60);

/// Now, for whatever the product writes down.
#[derive(Debug, Clone)]
pub struct Clock {
    fixed: Option<jiff::Zoned>,
    backoff_scale: f64,
    pause_log: Option<PathBuf>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock {
            fixed: None,
            backoff_scale: 1.0,
            pause_log: None,
        }
    }

    /// This clock, its pauses appended to `log` (`CARO_HOTFIX_PAUSE_LOG`); see the module's doc.
    pub fn logging_pauses(mut self, log: PathBuf) -> Clock {
        self.pause_log = Some(log);
        self
    }

    /// A clock that always says `at` (RFC 3339, e.g. `2026-12-01T03:00:00+00:00`).
    pub fn fixed(at: &str) -> Result<Clock> {
        let timestamp: jiff::Timestamp = at.parse().with_context(|| {
            format!("CARO_HOTFIX_NOW={at}: not an RFC 3339 time such as 2026-12-01T03:00:00+00:00")
        })?;
        let offset = offset_of(at).with_context(|| {
            format!("CARO_HOTFIX_NOW={at}: end it with an offset such as +00:00 or Z")
        })?;
        Ok(Clock {
            fixed: Some(timestamp.to_zoned(jiff::tz::TimeZone::fixed(offset))),
            backoff_scale: 1.0,
            pause_log: None,
        })
    }

    /// This clock with its pauses between attempts scaled by `factor` (`CARO_HOTFIX_BACKOFF_SCALE`),
    /// a number in (0, 1].
    pub fn with_backoff_scale(mut self, factor: &str) -> Result<Clock> {
        match factor.trim().parse::<f64>() {
            Ok(f) if f > 0.0 && f <= 1.0 => {
                self.backoff_scale = f;
                Ok(self)
            }
            _ => anyhow::bail!(
                "CARO_HOTFIX_BACKOFF_SCALE={factor}: give a factor above 0 and at most 1, e.g. 0.01"
            ),
        }
    }

    fn zoned(&self) -> jiff::Zoned {
        match &self.fixed {
            Some(at) => at.clone(),
            #[allow(clippy::disallowed_methods)] // The one place that reads the system clock.
            None => jiff::Zoned::now(),
        }
    }

    /// Now, as an RFC 3339 timestamp with offset, for the record.
    pub fn now(&self) -> String {
        self.zoned().strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// Now plus `d`, as [`Clock::now`] writes it: when a wait GitHub asks for is over.
    pub fn after(&self, d: Duration) -> String {
        let later = self
            .zoned()
            .checked_add(jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX))
            .unwrap_or_else(|_| self.zoned());
        later.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// Waits `d`: a pause between attempts, a poll's interval. The one way the product waits on
    /// time, beside the clock that dates what it writes.
    pub fn pause(&self, d: Duration) {
        self.wait(d, d);
    }

    /// Logs `asked` (with a pause log: a long one is not slept), then sleeps `slept`.
    fn wait(&self, asked: Duration, slept: Duration) {
        if let Some(log) = &self.pause_log {
            // A test's observation: a log that cannot be written is no reason to stop a release.
            let _ = crate::fsx::append(log, format!("{:.3}\n", asked.as_secs_f64()).as_bytes());
            if asked >= LONG_PAUSE {
                return;
            }
        }
        std::thread::sleep(slept);
    }

    /// Waits `d` after a failed attempt, before the next one (GitHub's `Retry-After`, a backoff):
    /// [`Clock::pause`], shortened by `CARO_HOTFIX_BACKOFF_SCALE` when set.
    pub fn back_off(&self, d: std::time::Duration) {
        self.wait(d, d.mul_f64(self.backoff_scale));
    }

    /// Today's local date, `YYYY-MM-DD`, for CHANGELOG and SECURITY.md.
    pub fn today(&self) -> String {
        self.zoned().date().to_string()
    }
}

/// The offset an RFC 3339 time ends with: `Z`, or `+HH:MM` / `-HH:MM`.
fn offset_of(at: &str) -> Option<jiff::tz::Offset> {
    if at.ends_with('Z') || at.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    let tail = at.get(at.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = tail.get(1..3)?.parse().ok()?;
    let minutes: i32 = tail.get(4..6)?.parse().ok()?;
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_keeps_its_time_and_offset() {
        let clock = Clock::fixed("2026-12-01T03:00:00+02:00").expect("fixed");
        assert_eq!(clock.now(), "2026-12-01T03:00:00+02:00");
        assert_eq!(clock.today(), "2026-12-01");
        assert!(Clock::fixed("tomorrow").is_err());
        assert_eq!(
            clock.after(Duration::from_secs(120)),
            "2026-12-01T03:02:00+02:00"
        );
    }

    #[test]
    fn with_a_pause_log_a_long_pause_is_written_down_not_slept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("pauses");
        let clock = Clock::system().logging_pauses(log.clone());
        let started = std::time::Instant::now();
        clock.pause(Duration::from_millis(20));
        clock.pause(Duration::from_secs(3600));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the hour was slept"
        );
        assert!(
            started.elapsed() >= Duration::from_millis(20),
            "the short one was not"
        );
        assert_eq!(
            std::fs::read_to_string(&log).expect("log"),
            "0.020\n3600.000\n"
        );
    }

    #[test]
    fn the_backoff_scale_shortens_the_pause_between_attempts_and_refuses_nonsense() {
        let clock = Clock::system()
            .with_backoff_scale("0.01")
            .expect("a factor");
        let start = std::time::Instant::now();
        clock.back_off(std::time::Duration::from_secs(5));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        for bad in ["0", "-1", "2", "fast", ""] {
            let e = Clock::system().with_backoff_scale(bad).unwrap_err();
            assert!(e.to_string().contains("CARO_HOTFIX_BACKOFF_SCALE"), "{e}");
        }
    }
}
