//! Page handlers, one module per area of work.

pub mod admin;
pub mod alliance;
pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod evaluations;
pub mod fund;
pub mod imports;
pub mod registry;
pub mod reports;

use crate::web::error::WebError;
use axum::response::{IntoResponse, Redirect, Response};

/// After a successful POST, go to a page (so that reloading does not resend the form).
pub fn see_other(to: &str) -> Result<Response, WebError> {
    Ok(Redirect::to(to).into_response())
}
