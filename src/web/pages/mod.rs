//! Page handlers, one module per area of work.

pub mod admin;
pub mod alliance;
pub mod audit;
pub mod audit_words;
pub mod auth;
pub mod dashboard;
pub mod evaluations;
pub mod exports;
pub mod figures;
pub mod fund;
pub mod imports;
pub mod list_export;
pub mod registry;
pub mod registry_export;
pub mod reports;
pub mod units;

use crate::web::error::WebError;
use axum::response::{IntoResponse, Redirect, Response};

/// After a successful POST, go to a page (so that reloading does not resend the form).
pub fn see_other(to: &str) -> Result<Response, WebError> {
    Ok(Redirect::to(to).into_response())
}

/// Whether a posted form carries the confirmation of a step that cannot be undone.
pub fn confirmed(values: &[(String, String)]) -> bool {
    values.iter().any(|(k, v)| k == CONFIRMED && v == "1")
}

/// The field a confirmation page adds to the values it posts again.
const CONFIRMED: &str = "confirmed";

/// Asks before a step that cannot be undone: the page says what will happen and posts the
/// same values again with the confirmation, so it works without scripts; "back" leaves
/// without doing anything.
pub fn confirmation_page(
    viewer: &crate::web::session::Viewer,
    title: &str,
    active: &str,
    what_happens: Vec<String>,
    action: &str,
    values: &[(String, String)],
    back: &str,
) -> Result<Response, WebError> {
    use crate::web::view::{Block, Field, FieldKind, Form, Layout, Page};
    let mut form = Form::post("confirm", action, viewer.t("action.confirm"));
    for (k, v) in values
        .iter()
        .filter(|(k, _)| k != "_csrf" && k != CONFIRMED)
    {
        form = form.field(Field::new(k, "", FieldKind::Hidden).value(v));
    }
    form = form.field(Field::new(CONFIRMED, "", FieldKind::Hidden).value("1"));
    let mut blocks: Vec<Block> = what_happens
        .into_iter()
        .map(|line| Block::Notice("info", line))
        .collect();
    blocks.push(Block::Form(form));
    blocks.push(Block::Links(vec![(
        viewer.t("action.back").to_string(),
        back.to_string(),
    )]));
    Ok(Page {
        layout: Layout::for_viewer(viewer, title, active),
        blocks,
    }
    .render_html()?
    .into_response())
}
