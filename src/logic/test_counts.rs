//! Counting tests from `cargo test` output, for the step-7 summary ("N unit tests passed").
//!
//! libtest prints one `test result:` line per test binary (and one for doc tests); summing those
//! lines is stable across Rust versions, unlike the per-test lines.

/// Totals over one or more test runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// How many `test result:` lines were seen: test binaries, including doc tests.
    pub suites: u64,
}

impl Counts {
    /// Adds another run's totals, so `cargo test --lib` and `cargo test --test '*'` can be reported
    /// together as well as apart.
    pub fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
        self.suites += other.suites;
    }
}

/// Sums every `test result: ok. 3 passed; 0 failed; 1 ignored; …` line (and `FAILED.` lines).
///
/// Colour escape codes are ignored so output captured with `--color always` counts too. Anything
/// that is not a result line is skipped, so stdout and stderr may be passed in together.
pub fn parse(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let line = strip_ansi(line);
        let Some(rest) = line.trim_start().strip_prefix("test result: ") else {
            continue;
        };
        let Some((_status, numbers)) = rest.split_once(". ") else {
            continue;
        };
        counts.suites += 1;
        for part in numbers.split(';') {
            let mut words = part.split_whitespace();
            let (Some(n), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "passed" => counts.passed += n,
                "failed" => counts.failed += n,
                "ignored" => counts.ignored += n,
                _ => {}
            }
        }
    }
    counts
}

/// Removes ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIB_AND_DOC: &str = "\
running 4 tests
test a ... ok
test b ... ok
test c ... ignored
test d ... ok

test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests caro

running 2 tests
test src/lib.rs - x (line 3) ... ok
test src/lib.rs - y (line 9) ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.31s
";

    #[test]
    fn sums_every_result_line() {
        assert_eq!(
            parse(LIB_AND_DOC),
            Counts {
                passed: 5,
                failed: 0,
                ignored: 1,
                suites: 2
            }
        );
    }

    #[test]
    fn counts_failed_runs() {
        let out = "failures:\n    tests::broken\n\n\
                   test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s\n\
                   error: test failed, to rerun pass `--lib`\n";
        assert_eq!(
            parse(out),
            Counts {
                passed: 7,
                failed: 2,
                ignored: 0,
                suites: 1
            }
        );
    }

    #[test]
    fn ignores_colour_codes_and_other_lines() {
        let out = "test result: \u{1b}[32mok\u{1b}[0m. 10 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.02s\r\n\
                   test it_works ... ok\n";
        assert_eq!(
            parse(out),
            Counts {
                passed: 10,
                failed: 0,
                ignored: 0,
                suites: 1
            }
        );
    }

    #[test]
    fn no_tests_means_zero_counts() {
        assert_eq!(parse(""), Counts::default());
        assert_eq!(parse("error: no test target named `x`"), Counts::default());
        let empty = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(
            parse(empty),
            Counts {
                suites: 1,
                ..Counts::default()
            }
        );
    }

    #[test]
    fn add_combines_runs() {
        let mut total = parse(LIB_AND_DOC);
        total.add(Counts {
            passed: 1,
            failed: 1,
            ignored: 1,
            suites: 1,
        });
        assert_eq!(
            total,
            Counts {
                passed: 6,
                failed: 1,
                ignored: 2,
                suites: 3
            }
        );
    }
}
