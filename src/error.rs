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
    /// A value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
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

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
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
