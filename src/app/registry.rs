//! Registering organisations and recording their lifecycle events from typed input.

use crate::domain::access::Access;
use crate::domain::geo::geo;
use crate::domain::registry::{
    self, AttributeChanges, Attributes, Event, EventKind, EventPayload, ModelFlags,
};
use crate::domain::{text, today};
use crate::error::{Error, Problems, Result};
use crate::store::Store;
use crate::store::registry::{NewOrganisation, OrgSummary, StoredEvent};
use serde::Deserialize;

/// A new organisation as typed into a form, a command line or an API call.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RegisterInput {
    /// THT, HTX, LHHTX or QTDND.
    pub kind: String,
    /// Registration code.
    pub code: String,
    pub name: String,
    /// Establishment date (dd/mm/yyyy or yyyy-mm-dd).
    pub date: String,
    /// Commune code valid on that date.
    pub commune: String,
    /// Sector code or name.
    pub sector: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub registering_body: String,
    #[serde(default)]
    pub law: Option<i64>,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub new_type: bool,
}

/// An event as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EventInput {
    /// Event code or Vietnamese name (ceased, dissolved, changed…).
    pub kind: String,
    /// Effective date.
    pub date: String,
    #[serde(default)]
    pub new_name: Option<String>,
    #[serde(default)]
    pub new_address: Option<String>,
    #[serde(default)]
    pub new_commune: Option<String>,
    #[serde(default)]
    pub new_sector: Option<String>,
    #[serde(default)]
    pub new_law: Option<i64>,
    /// Registration codes of linked organisations.
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub reference: String,
}

/// The readers of a registration's typed fields, shared by every entrance (the form, the
/// command line, the API and the import's Tổ chức and Sự kiện sheets), so a value is refused
/// with the same words wherever it is typed.
pub mod read {
    use crate::domain::registry::OrgKind;
    use crate::domain::sector::Taxonomy;
    use time::{Date, Month};

    /// A value that must be filled in.
    pub fn required(typed: &str) -> Result<&str, String> {
        match typed.trim() {
            "" => Err(crate::app::REQUIRED.into()),
            filled => Ok(filled),
        }
    }

    /// THT, HTX, LHHTX or QTDND (or its Vietnamese name).
    pub fn kind(typed: &str) -> Result<OrgKind, String> {
        OrgKind::parse(typed)
            .ok_or_else(|| format!("\"{typed}\" không phải THT, HTX, LHHTX hoặc QTDND"))
    }

    /// The commune typed or picked (code, unit id, name, "name, district", or the picker's
    /// label) valid on a date; names are looked up within the deployment's area.
    pub fn commune(typed: &str, on: Date, area: &str) -> Result<String, String> {
        crate::app::units::commune(typed, on, area)
    }

    /// The sector a name or code names in the deployment's list.
    pub fn sector(taxonomy: &Taxonomy, typed: &str) -> Result<String, String> {
        taxonomy
            .find(typed)
            .map(|s| s.code.clone())
            .ok_or_else(|| format!("lĩnh vực \"{typed}\" không có trong danh mục"))
    }

    /// The law an organisation founded on a date is registered under when nobody said:
    /// the Law on Cooperatives 2023 from its entry into force on 01/07/2024, before it 2012.
    pub fn default_law(established: Date) -> i64 {
        match Date::from_calendar_date(2024, Month::July, 1) {
            Ok(in_force) if established >= in_force => 2023,
            _ => 2012,
        }
    }
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the input and the attributes it describes, without writing; every problem found
/// is reported at once.
pub async fn check_registration(store: &Store, input: &RegisterInput) -> Result<NewOrganisation> {
    let mut problems = Problems::new();
    let kind = problems.take("kind", read::required(&input.kind).and_then(read::kind));
    let code = problems.take("code", read::required(&input.code).map(text::clean));
    let date = problems.take(
        "date",
        read::required(&input.date)
            .and_then(crate::domain::parse_date)
            .and_then(|d| super::not_after(d, today())),
    );
    let taxonomy = store.taxonomy().await?;
    let sector = problems.take(
        "sector",
        read::required(&input.sector).and_then(|s| read::sector(&taxonomy, s)),
    );
    let area = store.deployment().await?.area;
    // Which commune a code or name means depends on the date (the 2025 reform renumbered them).
    let commune = match date {
        Some(d) => problems.take(
            "commune",
            read::required(&input.commune).and_then(|c| read::commune(c, d, &area)),
        ),
        None => None,
    };
    let (Some(kind), Some(code), Some(date), Some(sector), Some(commune)) =
        (kind, code, date, sector, commune)
    else {
        // Every missing part has noted its problem (the commune's is the date's).
        problems.into_result()?;
        return Err(Error::invalid("date", "cần ngày thành lập"));
    };
    let attributes = Attributes {
        name: text::clean(&input.name),
        address: text::clean(&input.address),
        commune,
        sector,
        registering_body: text::clean(&input.registering_body),
        law: input.law.unwrap_or_else(|| read::default_law(date)),
        flags: ModelFlags {
            new_type: input.new_type,
            ..ModelFlags::default()
        },
        representative: text::clean(&input.representative),
    };
    for (field, reason) in registry::check_attributes(&attributes, date, &taxonomy, &area) {
        problems.add(field, reason);
    }
    problems.into_result()?;
    Ok(NewOrganisation {
        kind,
        reg_code: code,
        established: Event {
            id: 0,
            kind: EventKind::Established,
            effective: date,
            payload: EventPayload {
                attributes: Some(attributes),
                ..EventPayload::default()
            },
        },
    })
}

/// Checks a registration by a user who may be limited to an area: the commune must be in it.
pub async fn check_registration_within(
    store: &Store,
    input: &RegisterInput,
    access: &Access,
) -> Result<NewOrganisation> {
    let new = check_registration(store, input).await?;
    let commune = new
        .established
        .payload
        .attributes
        .as_ref()
        .map(|a| a.commune.as_str())
        .unwrap_or_default();
    if !access.covers_commune(commune) {
        return Err(Error::invalid("commune", OUTSIDE_AREA));
    }
    Ok(new)
}

/// Checks an event by a user who may be limited to an area: the organisation (whose
/// recorded events are `history`, as the caller already read them) must lie in the area on
/// the event's date, and a move must stay in it.
pub async fn check_event_within(
    store: &Store,
    history: &[StoredEvent],
    input: &EventInput,
    access: &Access,
) -> Result<Event> {
    let event = check_event(store, input).await?;
    let history: Vec<Event> = history.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&history)?;
    let commune_then =
        registry::state_at(&states, event.effective).map(|s| s.attributes.commune.as_str());
    if !access.may_write_at(commune_then) {
        return Err(Error::invalid(
            "date",
            format!(
                "vào ngày {} tổ chức không nằm trong địa bàn bạn phụ trách",
                text::date(event.effective)
            ),
        ));
    }
    if let Some(commune) = &event.payload.changes.commune
        && !access.covers_commune(commune)
    {
        return Err(Error::invalid("new_commune", OUTSIDE_AREA));
    }
    Ok(event)
}

const OUTSIDE_AREA: &str = "xã, phường này nằm ngoài địa bàn bạn phụ trách";

/// Registers a new organisation.
pub async fn register(store: &Store, input: &RegisterInput, author: &str) -> Result<OrgSummary> {
    let org = check_registration(store, input).await?;
    store.create_org(org, author, today()).await
}

/// Builds the event an input describes, checking every field (every problem at once).
pub async fn check_event(store: &Store, input: &EventInput) -> Result<Event> {
    let mut problems = Problems::new();
    let kind = EventKind::parse(&input.kind).filter(|k| *k != EventKind::Established);
    if kind.is_none() {
        problems.add(
            "kind",
            format!("\"{}\" không phải loại sự kiện đã biết", input.kind),
        );
    }
    let date = problems.take("date", crate::domain::parse_date(&input.date));
    let taxonomy = store.taxonomy().await?;
    let sector = blank_to_none(&input.new_sector)
        .and_then(|s| problems.take("new_sector", read::sector(&taxonomy, s)));
    let related: Vec<String> = input
        .related
        .iter()
        .flat_map(|r| r.split(';'))
        .map(text::clean)
        .filter(|s| !s.is_empty())
        .collect();
    for r in &related {
        if store.org_by_code(r).await?.is_none() {
            problems.add("related", format!("không có tổ chức mã số {r}"));
        }
    }
    let commune = match (blank_to_none(&input.new_commune), date) {
        (Some(c), Some(date)) => {
            let area = store.deployment().await?.area;
            problems.take("new_commune", read::commune(c, date, &area))
        }
        _ => None,
    };
    let (kind, date) = problems.finish(|| Some((kind?, date?)))?;
    Ok(Event {
        id: 0,
        kind,
        effective: date,
        payload: EventPayload {
            attributes: None,
            changes: AttributeChanges {
                name: blank_to_none(&input.new_name).map(text::clean),
                address: blank_to_none(&input.new_address).map(text::clean),
                commune,
                sector,
                law: input.new_law,
                ..AttributeChanges::default()
            },
            related,
            reference: text::clean(&input.reference),
        },
    })
}

/// Records an event of an organisation. `version` is the version the author saw; the
/// write is refused as a conflict if the organisation changed since.
pub async fn record_event(
    store: &Store,
    org: &OrgSummary,
    version: Option<i64>,
    input: &EventInput,
    author: &str,
) -> Result<OrgSummary> {
    let event = check_event(store, input).await?;
    store
        .record_event(org.id, version, event, author, today())
        .await
}

/// Commune ids (both eras) that lie in an area (`Geo::communes_in_area`).
pub fn communes_of_area(area: &str) -> Vec<String> {
    geo().communes_in_area(area).as_ref().clone()
}
