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

/// The organisation with this code, if the viewer may see it.
pub async fn visible_org(
    state: &crate::web::AppState,
    viewer_access: &crate::domain::access::Access,
    code: &str,
) -> Result<
    (
        crate::store::registry::OrgSummary,
        Vec<crate::store::registry::StoredEvent>,
    ),
    WebError,
> {
    let org = state
        .store
        .org_by_code(code)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("tổ chức mã số {code}")))?;
    let events = state.store.org_events(org.id).await?;
    let plain: Vec<crate::domain::registry::Event> =
        events.iter().map(|e| e.event.clone()).collect();
    let states = crate::domain::registry::replay(&plain).map_err(crate::error::Error::from)?;
    // Area officers reach an organisation through any commune it has been registered in
    // while in their unit, so that a move out of the area still shows its history there.
    let reachable = states
        .iter()
        .any(|s| viewer_access.covers_commune(&s.attributes.commune));
    if !reachable {
        // The same answer as for a code that does not exist.
        return Err(WebError::NotFound(format!("tổ chức mã số {code}")));
    }
    Ok((org, events))
}
