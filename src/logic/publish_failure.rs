//! What a failed `cargo publish` said, read from cargo's words: whether trying again can help.
//!
//! cargo prints the registry's answer as `the remote server responded with an error (status 503
//! Service Unavailable): …` (crates-io's `Error::Api`); a missing token as `no token found for
//! …`; its own check of the index as `crate X@V already exists`.

/// What kind of failure cargo reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The network, or the registry's 5xx: trying again can work.
    Transient,
    /// No token, or the registry refused it (401, 403).
    Token,
    /// A 4xx that cannot succeed on retry.
    Refused(u16),
}

/// Reads cargo's `(status 503 Service Unavailable)` and its other words.
pub fn classify(stderr: &str) -> Failure {
    let lower = stderr.to_ascii_lowercase();
    let status = lower.split("(status ").nth(1).and_then(|rest| {
        rest.split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse::<u16>().ok())
    });
    let trusted = lower.contains("trusted publishing");
    match status {
        Some(code) if (500..600).contains(&code) => Failure::Transient,
        Some(401) => Failure::Token,
        Some(403) if !trusted => Failure::Token,
        Some(code) if (400..500).contains(&code) => Failure::Refused(code),
        _ if trusted => Failure::Refused(403),
        _ if lower.contains("already exists") || lower.contains("already uploaded") => {
            Failure::Refused(400)
        }
        _ if lower.contains("no token found")
            || (lower.contains("token") && lower.contains("login")) =>
        {
            Failure::Token
        }
        _ => Failure::Transient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargos_words_say_whether_trying_again_can_help() {
        // crates-io's `Error::Api` as cargo 1.95 prints it.
        let api = |status: &str, detail: &str| {
            format!(
                "error: failed to publish minicrate v1.0.11 to registry at http://127.0.0.1:1/\n\n\
                 Caused by:\n  the remote server responded with an error (status {status}): {detail}\n"
            )
        };
        assert_eq!(
            classify(&api("503 Service Unavailable", "try later")),
            Failure::Transient
        );
        assert_eq!(
            classify(&api(
                "403 Forbidden",
                "this token does not have the required permissions"
            )),
            Failure::Token
        );
        assert_eq!(
            classify(&api(
                "400 Bad Request",
                "crate version `1.0.11` is already uploaded"
            )),
            Failure::Refused(400)
        );
        assert_eq!(
            classify(&api(
                "403 Forbidden",
                "this crate can only be published with trusted publishing"
            )),
            Failure::Refused(403)
        );
        assert_eq!(
            classify(
                "error: no token found for `test`, please run `cargo login --registry test`\n\
                 or use environment variable CARGO_REGISTRIES_TEST_TOKEN"
            ),
            Failure::Token
        );
        assert_eq!(
            classify("error: failed to publish\n\nCaused by:\n  [7] Couldn't connect to server"),
            Failure::Transient
        );
    }
}
