//! The library's error type: what went wrong, in words an official can act on.

use crate::domain::registry::RuleViolation;

/// Every failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something asked for does not exist.
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// A concurrent or duplicate change was refused.
    #[error("xung đột: {0}")]
    Conflict(String),
    /// One or more values are not acceptable; each problem names its field.
    #[error("{}", Problem::joined(.0))]
    Invalid(Vec<Problem>),
    /// A lifecycle rule refused an event.
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// The database failed.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("lỗi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing a file failed.
    #[error("lỗi tệp: {0}")]
    Io(#[from] std::io::Error),
    /// A period code could not be read.
    #[error(transparent)]
    Period(#[from] crate::domain::period::PeriodError),
    /// A document could not be produced.
    #[error("lỗi tạo tài liệu: {0}")]
    Render(String),
    /// Too much work of one kind is already under way; try again shortly.
    #[error("máy chủ đang bận: {0}")]
    Busy(String),
}

/// What is wrong with one field of an input: the field's name (as the form, the command-line
/// option or the JSON body calls it; empty when the whole input is meant) and the reason, in
/// words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub field: String,
    pub reason: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// "field: reason; field: reason", the text form of several problems.
    pub fn joined(problems: &[Problem]) -> String {
        problems
            .iter()
            .map(Problem::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.field, self.reason)
        }
    }
}

/// Collects every problem of an input, so that a check reports them all at once instead of
/// stopping at the first.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Notes a problem with a field.
    pub fn add(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Problem::new(field, reason));
    }

    /// The value of a parse, or `None` after noting its reason against the field.
    pub fn take<T>(&mut self, field: &str, parsed: std::result::Result<T, String>) -> Option<T> {
        parsed.map_err(|reason| self.add(field, reason)).ok()
    }

    /// Keeps the problems of a check that failed; passes the value of one that did not.
    /// Errors other than invalid input (a database failure) are passed on unchanged.
    pub fn keep<T>(&mut self, checked: Result<T>) -> Result<Option<T>> {
        match checked {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid(found)) => {
                self.0.extend(found);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was noted, else every problem as one [`Error::Invalid`].
    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }

    /// The value built by `done` when nothing was noted (the check's parts are then all
    /// present), else every problem.
    pub fn finish<T>(self, done: impl FnOnce() -> Option<T>) -> Result<T> {
        self.into_result()?;
        done().ok_or_else(|| Error::invalid("", "thiếu giá trị"))
    }
}

impl Error {
    /// One problem with one field, as an [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Invalid(vec![Problem::new(field, reason)])
    }

    /// The problems of invalid input (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(p) => p,
            _ => &[],
        }
    }

    /// The field of the first problem of invalid input.
    pub fn field(&self) -> Option<&str> {
        self.problems().first().map(|p| p.field.as_str())
    }

    /// Refuses the first of some (field, text, limit) longer than its limit.
    pub fn check_lengths(fields: &[(&str, &str, usize)]) -> Result<()> {
        match crate::domain::text::first_too_long(fields) {
            Some((field, reason)) => Err(Error::invalid(field, reason)),
            None => Ok(()),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
