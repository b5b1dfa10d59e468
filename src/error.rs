//! Errors: their kind (which picks the exit code) and their hints, rendered in one place.
//!
//! Exit codes (PRODUCT.md): 0 done; 1 a step failed; 2 usage error or no terminal; 3 the user declined
//! a confirmation; 130 interrupted. Everything that is not one of the marked kinds is a failure (1).
//!
//! What to do next is data, not text repeated in every message: the driver wraps a step's error in
//! [`StepFailed`], and [`render`] adds "run `caro-hotfix resume` to continue at step N" once for
//! every resumable failure. A message says what is wrong and what to fix; the hint says how to go on.

use std::fmt;

/// The user declined a confirmation; the message says what to do instead. Exit 3.
#[derive(Debug)]
pub struct Declined(pub String);

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Declined {}

/// Wrong usage, or no terminal to ask on. Exit 2.
#[derive(Debug)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Not a failure: the run stops to wait for a time (the embargo's disclosure time); the message says
/// when and how to go on. Exit 0.
#[derive(Debug)]
pub struct Waiting(pub String);

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Waiting {}

/// Ctrl-C. Exit 130.
#[derive(Debug)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// A step of a flow did not finish; added by the driver around the step's own error.
#[derive(Debug, Clone, Copy)]
pub struct StepFailed {
    pub number: u8,
    pub title: &'static str,
    /// The record is kept with the step in progress: `caro-hotfix resume` continues there.
    pub resumable: bool,
}

impl fmt::Display for StepFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "step {} ({}) did not finish",
            self.number,
            self.title.to_lowercase()
        )
    }
}

/// What kind of ending an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Failed,
    Usage,
    Declined,
    Interrupted,
}

impl Kind {
    pub fn of(err: &anyhow::Error) -> Kind {
        if err.downcast_ref::<Declined>().is_some() {
            Kind::Declined
        } else if err.downcast_ref::<Usage>().is_some() {
            Kind::Usage
        } else if err.downcast_ref::<Interrupted>().is_some()
            || err
                .downcast_ref::<crate::runner::CommandError>()
                .is_some_and(|c| c.interrupted)
        {
            Kind::Interrupted
        } else {
            Kind::Failed
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::Declined => 3,
            Kind::Interrupted => 130,
        }
    }
}

/// The exit code for an error that reached `main`.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    Kind::of(err).exit_code()
}

/// The hints of an error: what to do next.
pub fn hints(err: &anyhow::Error) -> Vec<String> {
    let mut hints = Vec::new();
    if let Some(step) = err.downcast_ref::<StepFailed>() {
        if step.resumable && Kind::of(err) != Kind::Interrupted {
            hints.push(format!(
                "once that is done, run `caro-hotfix resume` to continue at step {}",
                step.number
            ));
        }
    }
    hints
}

/// The whole text of an error as the person reads it, without styling: the message with its causes,
/// then one `hint:` line per hint.
pub fn render(err: &anyhow::Error) -> String {
    let mut text = format!("{err:#}");
    for hint in hints(err) {
        text.push_str("\nhint: ");
        text.push_str(&hint);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed_at(number: u8, resumable: bool, err: anyhow::Error) -> anyhow::Error {
        err.context(StepFailed {
            number,
            title: "Push and open the PR",
            resumable,
        })
    }

    #[test]
    fn a_resumable_failure_says_once_how_to_continue() {
        let err = failed_at(9, true, anyhow::anyhow!("gh could not reach GitHub"));
        assert_eq!(
            render(&err),
            "step 9 (push and open the pr) did not finish: gh could not reach GitHub\n\
             hint: once that is done, run `caro-hotfix resume` to continue at step 9"
        );
        assert_eq!(exit_code(&err), 1);
    }

    #[test]
    fn a_forgotten_step_has_no_resume_hint_and_every_kind_keeps_its_exit_code() {
        let declined = failed_at(3, true, Declined("Stopped at step 3".into()).into());
        assert_eq!(
            hints(&declined).len(),
            1,
            "a declined step 3 is resumed like a failed one"
        );
        assert_eq!(exit_code(&declined), 3);
        let forgotten = failed_at(2, false, anyhow::anyhow!("No release tags found"));
        assert!(hints(&forgotten).is_empty());
        assert_eq!(exit_code(&forgotten), 1);
        assert_eq!(exit_code(&failed_at(9, true, Interrupted.into())), 130);
    }
}
