//! `htx org …`: list, show and register organisations and record their events.

use crate::app::registry::{self as app, EventInput, FiguresInput, RegisterInput};
use crate::domain::geo::geo;
use crate::domain::registry::{self, Event, EventKind, OrgKind};
use crate::domain::{text, today};
use crate::error::Error;
use crate::store::Store;
use crate::store::registry::OrgFilter;
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
    /// Record an organisation's figures of one year (any kind, THT included). They replace
    /// that year's stored figures; a figure left out is no figure, never 0.
    Figures(FiguresArgs),
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
    /// Establishment (registration) date, dd/mm/yyyy (checked with the other fields, so
    /// every problem is told at once).
    #[arg(long)]
    pub date: String,
    /// Commune valid on that date: its code, or its name ("Lãng Ngâm", "Lãng Ngâm, Gia
    /// Bình" when several share it).
    #[arg(long)]
    pub commune: String,
    /// Sector code or name.
    #[arg(long)]
    pub sector: String,
    #[arg(long, default_value = "")]
    pub address: String,
    #[arg(long, default_value = "")]
    pub registering_body: String,
    /// 2012 or 2023; by default the law in force on the establishment date.
    #[arg(long)]
    pub law: Option<i64>,
    #[arg(long, default_value = "")]
    pub representative: String,
    /// New-type cooperative model (Decision 167).
    #[arg(long)]
    pub new_type: bool,
    /// Founding members (số thành viên khi thành lập), when known.
    #[arg(long, default_value = "")]
    pub founding_members: String,
}

/// Options of `htx org figures`: the values as typed (24.164.000.000 or 24164000000).
#[derive(Debug, clap::Args)]
pub struct FiguresArgs {
    /// Registration code.
    pub code: String,
    /// The year of the figures.
    #[arg(long)]
    pub year: String,
    /// Official members.
    #[arg(long, default_value = "")]
    pub official_members: String,
    /// Associate members.
    #[arg(long, default_value = "")]
    pub associate_members: String,
    /// Regular workers (lao động thường xuyên).
    #[arg(long, default_value = "")]
    pub workers: String,
    /// Seasonal workers (lao động thời vụ).
    #[arg(long, default_value = "")]
    pub seasonal_workers: String,
    /// Charter capital, đồng.
    #[arg(long, default_value = "")]
    pub charter_capital: String,
    /// Operating capital (vốn hoạt động), đồng.
    #[arg(long, default_value = "")]
    pub operating_capital: String,
    /// Total assets, đồng.
    #[arg(long, default_value = "")]
    pub total_assets: String,
    /// Revenue, đồng.
    #[arg(long, default_value = "")]
    pub revenue: String,
    /// Profit, đồng (negative for a loss).
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub profit: String,
    /// Average income, đồng per worker per year.
    #[arg(long, default_value = "")]
    pub average_income: String,
    /// The version shown when the record was read; the write is refused if it changed since.
    #[arg(long)]
    pub version: Option<i64>,
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
    /// New commune, valid on the event date: its code or its name.
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
        Command::Figures(a) => figures(store, author, a).await,
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
        None => None,
        Some(area) => {
            let id = super::report::resolve_area(&area, on)?;
            Some(crate::app::registry::communes_of_area(&id))
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
            println!("Ngày {}: {}", text::date(on), s.status.name_vi());
            println!("  Tên: {}", s.attributes.name);
            println!(
                "  Địa bàn: {}",
                crate::app::units::place(&s.attributes.commune, on)
            );
            let taxonomy = store.taxonomy().await?;
            let sector = taxonomy
                .get(&s.attributes.sector)
                .map_or(s.attributes.sector.as_str(), |x| x.name_vi.as_str());
            println!("  Lĩnh vực: {sector}");
            println!("  Luật: {}", s.attributes.law);
        }
    }
    println!("Sự kiện:");
    for e in &events {
        println!(
            "  {}  {:<24} ghi {} bởi {}",
            text::date(e.event.effective),
            e.event.kind.name_vi(),
            text::local_time(&e.recorded_at),
            e.author
        );
    }
    if let Some(n) = registry::founding_members(&plain) {
        println!("Số thành viên khi thành lập: {}", text::number(n));
    }
    let count = |v: Option<i64>| v.map(text::number).unwrap_or_else(|| "–".into());
    let money = |v: Option<i64>| v.map(text::money).unwrap_or_else(|| "–".into());
    for f in &figures {
        println!("Năm {}:", f.year);
        println!(
            "  Thành viên: {} chính thức, {} liên kết",
            count(f.official_members),
            count(f.associate_members)
        );
        println!(
            "  Lao động: {} thường xuyên, {} thời vụ",
            count(f.workers),
            count(f.seasonal_workers)
        );
        println!(
            "  Vốn điều lệ {}; vốn hoạt động {}; tổng tài sản {}",
            money(f.charter_capital),
            money(f.operating_capital),
            money(f.total_assets)
        );
        println!(
            "  Doanh thu {}; lợi nhuận {}; thu nhập bình quân {}",
            money(f.revenue),
            money(f.profit),
            money(f.average_income)
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn figures(store: &Store, author: &str, a: FiguresArgs) -> anyhow::Result<ExitCode> {
    let input = FiguresInput {
        code: a.code,
        year: a.year,
        official_members: a.official_members,
        associate_members: a.associate_members,
        workers: a.workers,
        seasonal_workers: a.seasonal_workers,
        charter_capital: a.charter_capital,
        operating_capital: a.operating_capital,
        total_assets: a.total_assets,
        revenue: a.revenue,
        profit: a.profit,
        average_income: a.average_income,
        version: a.version.map(|v| v.to_string()).unwrap_or_default(),
    };
    let org = app::record_figures(store, &input, author).await?;
    println!(
        "Đã ghi số liệu năm {} của {} – {} (phiên bản {})",
        input.year.trim(),
        org.reg_code,
        org.name,
        org.version
    );
    Ok(ExitCode::SUCCESS)
}

async fn add(store: &Store, author: &str, a: AddArgs) -> anyhow::Result<ExitCode> {
    let input = RegisterInput {
        kind: a.kind,
        code: a.code,
        name: a.name,
        date: a.date,
        commune: a.commune,
        sector: a.sector,
        address: a.address,
        registering_body: a.registering_body,
        law: a.law,
        representative: a.representative,
        new_type: a.new_type,
        founding_members: a.founding_members,
    };
    let org = app::register(store, &input, author).await?;
    println!("Đã đăng ký {} – {}", org.reg_code, org.name);
    Ok(ExitCode::SUCCESS)
}

async fn event(store: &Store, author: &str, a: EventArgs) -> anyhow::Result<ExitCode> {
    let org = store
        .org_by_code(&a.code)
        .await?
        .ok_or_else(|| Error::NotFound(format!("tổ chức mã số {}", a.code)))?;
    let date = a.date;
    let input = EventInput {
        kind: a.kind,
        date: date.to_string(),
        new_name: a.new_name,
        new_address: a.new_address,
        new_commune: a.new_commune,
        new_sector: a.new_sector,
        new_law: a.new_law,
        related: a.related.into_iter().collect(),
        reference: a.reference,
    };
    let updated = app::record_event(store, &org, a.version, &input, author).await?;
    let kind = EventKind::parse(&input.kind).map_or(input.kind.clone(), |k| k.name_vi().into());
    println!(
        "Đã ghi \"{}\" ngày {} cho {} (phiên bản {})",
        kind,
        text::date(date),
        updated.name,
        updated.version
    );
    Ok(ExitCode::SUCCESS)
}
