//! `htx org …`: list, show and register organisations and record their events.

use crate::domain::geo::geo;
use crate::domain::registry::{
    self, AttributeChanges, Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind,
};
use crate::domain::{text, today};
use crate::error::Error;
use crate::store::Store;
use crate::store::registry::{NewOrganisation, OrgFilter};
use anyhow::Context;
use std::process::ExitCode;
use time::Date;

/// Subcommands of `htx org`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List organisations as they stood on a date (Vietnamese name order).
    List(ListArgs),
    /// Show one organisation: state on a date, events, yearly figures.
    Show(ShowArgs),
    /// Register a new organisation.
    Add(AddArgs),
    /// Record an event (change, suspension, dissolution…) of an organisation.
    Event(EventArgs),
}

/// Options of `htx org list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Date (default today).
    #[arg(long, value_parser = super::date_arg)]
    pub on: Option<Date>,
    /// THT, HTX, LHHTX or QTDND.
    #[arg(long)]
    pub kind: Option<String>,
    /// Text in the name or code; accents ignored (đ = d).
    #[arg(long, short)]
    pub search: Option<String>,
    /// Include dissolved and other ended organisations.
    #[arg(long)]
    pub all: bool,
    /// Only within this area (unit id or code).
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options of `htx org show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Registration code.
    pub code: String,
    #[arg(long, value_parser = super::date_arg)]
    pub on: Option<Date>,
    #[arg(long)]
    pub json: bool,
}

/// Options of `htx org add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    pub kind: String,
    /// Registration code.
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    /// Establishment (registration) date.
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    /// Commune code valid on that date.
    #[arg(long)]
    pub commune: String,
    /// Sector code or name.
    #[arg(long)]
    pub sector: String,
    #[arg(long, default_value = "")]
    pub address: String,
    #[arg(long, default_value = "")]
    pub registering_body: String,
    #[arg(long, default_value_t = 2012)]
    pub law: i64,
    #[arg(long, default_value = "")]
    pub representative: String,
    /// New-type cooperative model (Decision 167).
    #[arg(long)]
    pub new_type: bool,
}

/// Options of `htx org event`.
#[derive(Debug, clap::Args)]
pub struct EventArgs {
    /// Registration code.
    pub code: String,
    /// Event: ceased, dissolved, suspended, resumed, changed, bankrupt, revoked, converted,
    /// merged, absorbed, split, separated, reregistered (or the Vietnamese name).
    #[arg(long)]
    pub kind: String,
    /// Effective date.
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long)]
    pub new_name: Option<String>,
    #[arg(long)]
    pub new_address: Option<String>,
    #[arg(long)]
    pub new_commune: Option<String>,
    #[arg(long)]
    pub new_sector: Option<String>,
    #[arg(long)]
    pub new_law: Option<i64>,
    /// Registration codes of linked organisations, separated by ";".
    #[arg(long)]
    pub related: Option<String>,
    /// Decision number or other reference.
    #[arg(long, default_value = "")]
    pub reference: String,
    /// The version shown when the record was read; the write is refused if it changed since.
    #[arg(long)]
    pub version: Option<i64>,
}

/// Runs `htx org …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List(a) => list(store, a).await,
        Command::Show(a) => show(store, a).await,
        Command::Add(a) => add(store, author, a).await,
        Command::Event(a) => event(store, author, a).await,
    }
}

async fn list(store: &Store, a: ListArgs) -> anyhow::Result<ExitCode> {
    let on = a.on.unwrap_or_else(today);
    let kind = a
        .kind
        .as_deref()
        .map(|k| OrgKind::parse(k).with_context(|| format!("--kind: \"{k}\" không hợp lệ")))
        .transpose()?;
    let communes = match a.area {
        None => Vec::new(),
        Some(area) => {
            let id = super::report::resolve_area(&area, on)?;
            communes_of_area(&id)
        }
    };
    let (items, total) = store
        .list_orgs(&OrgFilter {
            on: Some(on),
            kind,
            counted_only: !a.all,
            search: a.search.unwrap_or_default(),
            communes,
            limit: a.limit,
            offset: a.offset,
            ..OrgFilter::default()
        })
        .await?;
    if a.json {
        println!("{}", serde_json::json!({ "total": total, "items": items }));
        return Ok(ExitCode::SUCCESS);
    }
    let g = geo();
    for o in &items {
        let area = g
            .reporting_area(&o.commune, on, false)
            .map(|u| u.full_name())
            .unwrap_or_default();
        println!(
            "{:<12} {:<6} {:<55} {:<22} {}",
            o.reg_code,
            o.kind.code(),
            o.name,
            o.status.name_vi(),
            area
        );
    }
    println!(
        "{} tổ chức tại ngày {} (hiển thị {}–{})",
        text::number(total),
        text::date(on),
        a.offset + 1.min(items.len() as i64),
        a.offset + items.len() as i64
    );
    Ok(ExitCode::SUCCESS)
}

/// Commune ids (both eras) that lie in an area.
pub fn communes_of_area(area: &str) -> Vec<String> {
    let g = geo();
    let mut ids: Vec<String> = g
        .communes_within(area)
        .into_iter()
        .map(|u| u.id.clone())
        .collect();
    if let Some(s) = g.successor(area).filter(|s| s.id != area) {
        ids.extend(
            g.communes_within(&s.id)
                .into_iter()
                .filter(|c| g.commune_in_area(&c.id, area))
                .map(|u| u.id.clone()),
        );
    }
    ids
}

async fn show(store: &Store, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let org = store
        .org_by_code(&a.code)
        .await?
        .ok_or_else(|| Error::NotFound(format!("tổ chức mã số {}", a.code)))?;
    let events = store.org_events(org.id).await?;
    let plain: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&plain)?;
    let on = a.on.unwrap_or_else(today);
    let state = registry::state_at(&states, on);
    let figures = store.org_figures(org.id).await?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "organisation": org, "on": on.to_string(), "state": state,
                "events": events, "figures": figures,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} – {} ({})", org.reg_code, org.name, org.kind.name_vi());
    println!("Phiên bản: {}", org.version);
    match state {
        None => println!("Ngày {}: chưa thành lập", text::date(on)),
        Some(s) => {
            let g = geo();
            let commune = g
                .commune_at(&s.attributes.commune, on)
                .map(|c| c.full_name())
                .unwrap_or_else(|| s.attributes.commune.clone());
            let district = g
                .reporting_area(&s.attributes.commune, on, false)
                .filter(|d| d.level != crate::domain::geo::Level::Commune)
                .map(|d| format!(", {}", d.full_name()))
                .unwrap_or_default();
            println!("Ngày {}: {}", text::date(on), s.status.name_vi());
            println!("  Tên: {}", s.attributes.name);
            println!("  Địa bàn: {commune}{district}");
            println!("  Lĩnh vực: {}", s.attributes.sector);
            println!("  Luật: {}", s.attributes.law);
        }
    }
    println!("Sự kiện:");
    for e in &events {
        println!(
            "  {}  {:<24} ghi {} bởi {}",
            text::date(e.event.effective),
            e.event.kind.name_vi(),
            e.recorded_at,
            e.author
        );
    }
    for f in &figures {
        println!(
            "Năm {}: {} thành viên chính thức, {} lao động, doanh thu {}",
            f.year,
            f.official_members
                .map(text::number)
                .unwrap_or_else(|| "–".into()),
            f.workers.map(text::number).unwrap_or_else(|| "–".into()),
            f.revenue.map(text::money).unwrap_or_else(|| "–".into()),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn commune_id(code: &str, on: Date) -> anyhow::Result<String> {
    geo()
        .by_code(code, on)
        .map(|u| u.id.clone())
        .with_context(|| format!("không có xã mã \"{code}\" vào ngày {}", text::date(on)))
}

async fn add(store: &Store, author: &str, a: AddArgs) -> anyhow::Result<ExitCode> {
    let kind =
        OrgKind::parse(&a.kind).with_context(|| format!("--kind: \"{}\" không hợp lệ", a.kind))?;
    let taxonomy = store.taxonomy().await?;
    let sector = taxonomy
        .find(&a.sector)
        .with_context(|| format!("--sector: \"{}\" không có trong danh mục", a.sector))?;
    let attributes = Attributes {
        name: text::clean(&a.name),
        address: text::clean(&a.address),
        commune: commune_id(&a.commune, a.date)?,
        sector: sector.code.clone(),
        registering_body: text::clean(&a.registering_body),
        law: a.law,
        flags: ModelFlags {
            new_type: a.new_type,
            ..ModelFlags::default()
        },
        representative: text::clean(&a.representative),
    };
    let area = store.deployment().await?.area;
    if let Some((field, reason)) = registry::check_attributes(&attributes, a.date, &taxonomy, &area)
        .into_iter()
        .next()
    {
        anyhow::bail!("{field}: {reason}");
    }
    let org = store
        .create_org(
            NewOrganisation {
                kind,
                reg_code: text::clean(&a.code),
                established: Event {
                    id: 0,
                    kind: EventKind::Established,
                    effective: a.date,
                    payload: EventPayload {
                        attributes: Some(attributes),
                        ..EventPayload::default()
                    },
                },
            },
            author,
            today(),
        )
        .await?;
    println!("Đã đăng ký {} – {}", org.reg_code, org.name);
    Ok(ExitCode::SUCCESS)
}

async fn event(store: &Store, author: &str, a: EventArgs) -> anyhow::Result<ExitCode> {
    let org = store
        .org_by_code(&a.code)
        .await?
        .ok_or_else(|| Error::NotFound(format!("tổ chức mã số {}", a.code)))?;
    let kind = EventKind::parse(&a.kind)
        .filter(|k| *k != EventKind::Established)
        .with_context(|| format!("--kind: \"{}\" không phải loại sự kiện đã biết", a.kind))?;
    let taxonomy = store.taxonomy().await?;
    let sector = a
        .new_sector
        .as_deref()
        .map(|s| {
            taxonomy
                .find(s)
                .map(|x| x.code.clone())
                .with_context(|| format!("--new-sector: \"{s}\" không có trong danh mục"))
        })
        .transpose()?;
    let related: Vec<String> = a
        .related
        .as_deref()
        .map(|r| {
            r.split(';')
                .map(text::clean)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    for r in &related {
        if store.org_by_code(r).await?.is_none() {
            anyhow::bail!("--related: không có tổ chức mã số {r}");
        }
    }
    let event = Event {
        id: 0,
        kind,
        effective: a.date,
        payload: EventPayload {
            attributes: None,
            changes: AttributeChanges {
                name: a.new_name.as_deref().map(text::clean),
                address: a.new_address.as_deref().map(text::clean),
                commune: a
                    .new_commune
                    .as_deref()
                    .map(|c| commune_id(c, a.date))
                    .transpose()?,
                sector,
                law: a.new_law,
                ..AttributeChanges::default()
            },
            related,
            reference: text::clean(&a.reference),
        },
    };
    let updated = store
        .record_event(org.id, a.version, event, author, today())
        .await?;
    println!(
        "Đã ghi \"{}\" ngày {} cho {} (phiên bản {})",
        kind.name_vi(),
        text::date(a.date),
        updated.name,
        updated.version
    );
    Ok(ExitCode::SUCCESS)
}
