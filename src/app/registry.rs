//! Registering organisations and recording their lifecycle events from typed input.

use crate::domain::access::Access;
use crate::domain::geo::geo;
use crate::domain::registry::YearFigures;
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
    /// Founding members (số thành viên khi thành lập); blank when not known.
    #[serde(default, deserialize_with = "super::text")]
    pub founding_members: String,
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

    /// A count or an amount that may be blank: `Ok(None)` when blank (no figure, never 0).
    /// Only a profit may be negative (a loss).
    pub fn figure(typed: &str, may_be_negative: bool) -> Result<Option<i64>, String> {
        let typed = typed.trim();
        let (negative, digits) = match typed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, typed),
        };
        match crate::domain::text::parse_whole_number(digits) {
            Ok(Some(_)) if negative && !may_be_negative => Err("không được âm".into()),
            Ok(Some(n)) if negative => Ok(Some(-n)),
            Ok(n) => Ok(n),
            Err(_) => Err(format!("\"{typed}\" không phải số nguyên")),
        }
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
    let founding_members = problems
        .take(
            "founding_members",
            read::figure(&input.founding_members, false),
        )
        .flatten();
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
                founding_members,
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
            founding_members: None,
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

/// One organisation's figures of one year as typed (the Số liệu năm sheet, `htx org figures`,
/// the figures form and `POST /api/v1/orgs/{code}/figures`), for every kind of organisation.
/// Every figure may be blank: a blank is no figure, never 0. The fields are named as the
/// import's columns are keyed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FiguresInput {
    /// Registration code.
    pub code: String,
    /// The year of the figures (yyyy).
    #[serde(deserialize_with = "super::text")]
    pub year: String,
    #[serde(deserialize_with = "super::text")]
    pub official_members: String,
    #[serde(deserialize_with = "super::text")]
    pub associate_members: String,
    /// Regular workers (lao động thường xuyên).
    #[serde(deserialize_with = "super::text")]
    pub workers: String,
    /// Seasonal workers (lao động thời vụ).
    #[serde(deserialize_with = "super::text")]
    pub seasonal_workers: String,
    /// Charter capital, đồng.
    #[serde(deserialize_with = "super::text")]
    pub charter_capital: String,
    /// Operating capital (vốn hoạt động), đồng.
    #[serde(deserialize_with = "super::text")]
    pub operating_capital: String,
    #[serde(deserialize_with = "super::text")]
    pub total_assets: String,
    #[serde(deserialize_with = "super::text")]
    pub revenue: String,
    /// May be negative (a loss).
    #[serde(deserialize_with = "super::text")]
    pub profit: String,
    /// Average income, đồng per worker per year.
    #[serde(deserialize_with = "super::text")]
    pub average_income: String,
    /// The organisation's version as the writer saw it; blank not to check.
    #[serde(deserialize_with = "super::text")]
    pub version: String,
}

/// The first year figures are kept for.
pub const FIRST_FIGURES_YEAR: i32 = 1990;

/// A checked year of figures: the organisation's code, the figures, the version to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFigures {
    pub code: String,
    pub figures: YearFigures,
    pub expected_version: Option<i64>,
}

/// Checks a year's figures on their own (every problem at once): the code and the year are
/// required, the year is not after `today`'s, a figure is a whole number and only a profit
/// may be negative.
pub fn check_figures(input: &FiguresInput, today: time::Date) -> Result<CheckedFigures> {
    let mut problems = Problems::new();
    let code = super::required(&mut problems, "code", &input.code);
    let year = super::required(&mut problems, "year", &input.year).and_then(|y| {
        problems.take(
            "year",
            y.parse::<i32>()
                .ok()
                .filter(|y| (FIRST_FIGURES_YEAR..=today.year()).contains(y))
                .ok_or_else(|| format!("\"{y}\" không phải năm hợp lệ")),
        )
    });
    let mut figure = |field: &str, typed: &str| {
        problems
            .take(field, read::figure(typed, field == "profit"))
            .flatten()
    };
    let figures = YearFigures {
        year: year.unwrap_or_default(),
        official_members: figure("official_members", &input.official_members),
        associate_members: figure("associate_members", &input.associate_members),
        workers: figure("workers", &input.workers),
        seasonal_workers: figure("seasonal_workers", &input.seasonal_workers),
        charter_capital: figure("charter_capital", &input.charter_capital),
        operating_capital: figure("operating_capital", &input.operating_capital),
        total_assets: figure("total_assets", &input.total_assets),
        revenue: figure("revenue", &input.revenue),
        profit: figure("profit", &input.profit),
        average_income: figure("average_income", &input.average_income),
    };
    let expected_version = super::expected_version(&mut problems, &input.version);
    problems.finish(|| {
        Some(CheckedFigures {
            code: code?,
            figures: YearFigures {
                year: year?,
                ..figures
            },
            expected_version: expected_version?,
        })
    })
}

/// Records a year's figures of an organisation the registry holds, replacing what was stored
/// for that year, with its audit entry.
pub async fn record_figures(
    store: &Store,
    input: &FiguresInput,
    author: &str,
) -> Result<OrgSummary> {
    let checked = check_figures(input, today())?;
    let org = store.org_by_code(&checked.code).await?.ok_or_else(|| {
        Error::invalid(
            "code",
            format!("không có tổ chức mã số {} trong sổ", checked.code),
        )
    })?;
    store
        .record_figures(&org, checked.expected_version, &checked.figures, author)
        .await
}

/// Commune ids (both eras) that lie in an area (`Geo::communes_in_area`).
pub fn communes_of_area(area: &str) -> Vec<String> {
    geo().communes_in_area(area).as_ref().clone()
}
