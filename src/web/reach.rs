//! The area rule as the web layer applies it: what a page or API call reads is the area it
//! asked for narrowed to the user's own (`Access::scope`), and what lies outside answers
//! exactly like what does not exist (404), so a refusal reveals nothing.

use crate::domain::access::{Access, Scope};
use crate::web::error::WebError;

/// The scope of a read of `asked` (None or blank = everything the user may see).
pub fn scope(access: &Access, asked: Option<&str>) -> Result<Scope, WebError> {
    access
        .scope(asked)
        .ok_or_else(|| out_of_reach(asked.unwrap_or_default()))
}

/// The answer for an area the user may not see or that does not exist.
pub fn out_of_reach(area: &str) -> WebError {
    WebError::NotFound(format!("địa bàn \"{area}\""))
}
