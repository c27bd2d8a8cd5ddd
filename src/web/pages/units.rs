//! GET /units?on=…&q=…: the communes valid on a date, for the commune pickers' script (the
//! pickers work without it: the server renders the list for the form's date and checks the
//! commune on submit).

use crate::domain::{parse_date, text, today};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms;
use crate::web::session::Viewer;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

/// `?on=` (dd/mm/yyyy or yyyy-mm-dd; today when blank or unreadable) and `?q=` (part of a
/// name, accents ignored).
#[derive(Debug, Deserialize, Default)]
pub struct UnitsQuery {
    pub on: Option<String>,
    pub q: Option<String>,
}

/// The answer: the date read, and the pickers' labels.
#[derive(Debug, Serialize)]
pub struct Units {
    pub on: String,
    pub communes: Vec<String>,
}

/// The communes of the deployment's area valid on the date, within the viewer's unit.
pub async fn communes(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<UnitsQuery>,
) -> Result<Json<Units>, WebError> {
    let on =
        q.on.as_deref()
            .and_then(|d| parse_date(d.trim()).ok())
            .unwrap_or_else(today);
    let area = state.deployment().await?.area.clone();
    let access = viewer.user.access();
    let wanted = q.q.as_deref().map(text::fold).unwrap_or_default();
    let communes = forms::commune_options(&area, access.area_unit(), on)
        .into_iter()
        .map(|(label, _)| label)
        .filter(|label| wanted.is_empty() || text::fold(label).contains(&wanted))
        .collect();
    Ok(Json(Units {
        on: text::date(on),
        communes,
    }))
}
