//! The figures of a report, computed once from aggregate rows into a plain value that every
//! renderer reads. The JSON form of [`Figures`] is versioned (`schema`) and documented in
//! `docs/report-json.md`.

use crate::domain::geo::{Era, Geo};
use crate::domain::period::Period;
use crate::domain::registry::{EventKind, OrgKind};
use crate::domain::sector::{SectorGroup, Taxonomy};
use crate::domain::text;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

pub mod evaluation;

/// The version of the JSON schema written into every report.
pub const SCHEMA: &str = "htx.report/2";

/// Counts of organisations alive on the report's dates, grouped by kind, sector and commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    pub kind: OrgKind,
    pub sector: String,
    pub commune: String,
    /// Counted organisations on the period end.
    pub at_end: i64,
    /// … on the baseline (end of the previous year).
    pub at_baseline: i64,
    /// … on the end of the same period last year.
    pub at_same_period_end: i64,
}

/// Events within a period, grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRow {
    pub event: EventKind,
    pub kind: OrgKind,
    pub sector: String,
    pub commune: String,
    pub count: i64,
}

/// People and money of the organisations counted at the period end, each by its latest known
/// figures: its yearly figures of the latest year reported up to the last full year, or, when
/// it never reported any, the members it was founded with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberFigures {
    /// The latest year of the yearly figures summed; None when only founding members are known.
    pub year: Option<i32>,
    /// How many of the counted organisations (HTX/QTDND/LHHTX in `members`, THT in
    /// `tht_members`) are summed by their yearly figures.
    pub organisations_reporting: i64,
    /// How many of them by the year of their latest figures (year → organisations).
    pub by_year: std::collections::BTreeMap<i32, i64>,
    /// Organisations without yearly figures counted by their founding members instead.
    pub founding_reporting: i64,
    /// The members those were founded with (số thành viên khi thành lập).
    pub founding_members: i64,
    pub official_members: i64,
    pub associate_members: i64,
    /// Regular workers.
    pub workers: i64,
    pub charter_capital: i64,
    pub total_assets: i64,
    pub revenue: i64,
    pub profit: i64,
    /// Average yearly income per worker, weighted by workers (đồng).
    pub average_income: i64,
    /// Seasonal workers (lao động thời vụ); null when none of them reported it.
    pub seasonal_workers: Option<i64>,
    /// Operating capital (vốn hoạt động), đồng; null when none of them reported it.
    pub operating_capital: Option<i64>,
    /// How many organisations gave each figure, so that a sum over few of them (or a 0 over
    /// none, in the older fields) reads as what it is.
    pub reported: FigureCoverage,
    /// Official, associate and founding members together (the prose's "tổng số thành viên").
    pub total_members: i64,
    /// How many organisations of each kind reported (kind code → count), so that the prose
    /// names only the kinds that did ("của 85 HTX", not "của 85 HTX, liên hiệp HTX và quỹ…").
    pub reporting_by_kind: std::collections::BTreeMap<String, i64>,
    /// The same sums by sector group and by field, each part of the organisations known in
    /// it (empty inside a part).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_group: Vec<MemberPart>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_field: Vec<MemberPart>,
    /// The same by the deployment's reporting groups (each field in none alone); absent when
    /// it defines none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_reporting_group: Vec<MemberPart>,
}

/// The members, workers and money of one sector group or field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberPart {
    /// Group or sector code.
    pub code: String,
    /// Prose label ("nông nghiệp", "thương mại").
    pub label: String,
    #[serde(flatten)]
    pub figures: MemberFigures,
}

/// How many organisations reported each yearly figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FigureCoverage {
    pub official_members: i64,
    pub associate_members: i64,
    pub workers: i64,
    pub seasonal_workers: i64,
    pub charter_capital: i64,
    pub operating_capital: i64,
    pub total_assets: i64,
    pub revenue: i64,
    pub profit: i64,
    pub average_income: i64,
}

impl MemberFigures {
    /// Adds the sums of another part of the area (the average income is weighted by the
    /// caller, who knows the workers behind it).
    pub fn add(&mut self, other: &MemberFigures) {
        let maybe = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.organisations_reporting += other.organisations_reporting;
        self.official_members += other.official_members;
        self.associate_members += other.associate_members;
        self.workers += other.workers;
        self.charter_capital += other.charter_capital;
        self.total_assets += other.total_assets;
        self.revenue += other.revenue;
        self.profit += other.profit;
        self.seasonal_workers = maybe(self.seasonal_workers, other.seasonal_workers);
        self.operating_capital = maybe(self.operating_capital, other.operating_capital);
        let (r, o) = (&mut self.reported, &other.reported);
        r.official_members += o.official_members;
        r.associate_members += o.associate_members;
        r.workers += o.workers;
        r.seasonal_workers += o.seasonal_workers;
        r.charter_capital += o.charter_capital;
        r.operating_capital += o.operating_capital;
        r.total_assets += o.total_assets;
        r.revenue += o.revenue;
        r.profit += o.profit;
        r.average_income += o.average_income;
        self.founding_reporting += other.founding_reporting;
        self.founding_members += other.founding_members;
        self.total_members = self.official_members + self.associate_members + self.founding_members;
        self.year = self.year.max(other.year);
        for (year, n) in &other.by_year {
            *self.by_year.entry(*year).or_default() += n;
        }
        for (kind, n) in &other.reporting_by_kind {
            *self.reporting_by_kind.entry(kind.clone()).or_default() += n;
        }
    }
}

/// Everything the report computes.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub schema: &'static str,
    pub period: Period,
    /// The end of the previous year, the baseline of "so với năm …".
    #[serde(with = "crate::domain::iso_date")]
    pub baseline_date: Date,
    /// The year of the baseline (2021 for a 2022 period).
    pub baseline_year: i32,
    /// The area covered.
    pub area: AreaRef,
    /// Whether the same period of last year is compared.
    pub same_period: Option<Period>,
    pub registry: RegistryFigures,
    /// The support fund, when it has any loan.
    pub fund: Option<FundFigures>,
    /// Targets of the period's plan and of the year's plan, with what was achieved.
    pub plans: Vec<crate::domain::plans::Achievement>,
    /// The Alliance's own work, when it recorded any.
    pub alliance: Option<AllianceFigures>,
    /// The yearly evaluation and size classes of the latest evaluated year up to the period's
    /// year, when any evaluation is recorded in the area.
    pub evaluation: Option<evaluation::EvaluationFigures>,
    /// Tasks for the next period: that period's plan, when one was recorded.
    pub next_plan: Option<NextPlan>,
    /// Proposals (free text kept with the report).
    pub proposals: String,
    /// Corrections: events recorded after a report was issued that change a period it covered.
    pub corrections: Vec<Correction>,
    /// How the prose writes money (the deployment's setting): `words` or `billions`.
    pub money_in_prose: crate::domain::text::MoneyInProse,
    /// Whether the prose names HTX and THT by every field rather than by sector group (the
    /// deployment's setting).
    pub fields_in_prose: bool,
}

/// The next period's plan as tasks.
#[derive(Debug, Clone, Serialize)]
pub struct NextPlan {
    pub period: Period,
    pub title: String,
    pub reference: String,
    /// (indicator name, target as written in prose).
    pub targets: Vec<(String, String)>,
}

/// A change to an issued period, recorded after the report was issued.
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    /// The issued report's number.
    pub report_number: String,
    pub reg_code: String,
    pub name: String,
    /// Vietnamese name of the event.
    pub event: String,
    /// ISO dates.
    pub effective: String,
    pub recorded: String,
}

/// The area a report covers.
#[derive(Debug, Clone, Serialize)]
pub struct AreaRef {
    pub id: String,
    pub name: String,
    /// How the area is named in prose: "toàn tỉnh", "toàn huyện", "toàn quốc".
    pub scope_word: String,
}

/// The registry section.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryFigures {
    /// Cooperative groups.
    pub tht: KindFigures,
    /// Cooperatives including people's credit funds (as Alliance reports count them).
    pub htx: KindFigures,
    /// Unions of cooperatives.
    pub lhhtx: KindFigures,
    /// Members and workers of the HTX, LHHTX and QTDND, where yearly figures exist.
    pub members: Option<MemberFigures>,
    /// The same sums over the THT, where yearly figures exist.
    pub tht_members: Option<MemberFigures>,
    /// Counts per reporting area.
    pub by_area: AreaTable,
}

/// Totals and flows of one kind (or family of kinds).
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindFigures {
    pub total: Tally,
    pub by_group: Vec<Share>,
    pub by_field: Vec<Share>,
    /// The deployment's reporting groups, each field in none alone (absent when it defines
    /// none): every part counted, so that the shares add up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_reporting_group: Vec<Share>,
    pub founded: Flow,
    pub ceased: Flow,
    pub dissolved: Flow,
    /// Bankrupt, revoked, converted, merged, absorbed, split.
    pub other_exits: Flow,
    /// Dissolved and other exits together: those that ended in the period (the area
    /// table's "Chấm dứt").
    pub ended: i64,
    /// The same flows in the same period last year, when compared.
    pub same_period: Option<SamePeriodFlows>,
}

/// A count at the period end against the baseline.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    pub end: i64,
    pub baseline: i64,
    pub change: i64,
}

/// A row of a split with its share of the total at the period end.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    /// Group or sector code.
    pub code: String,
    /// Prose label ("nông nghiệp", "thương mại").
    pub label: String,
    pub end: i64,
    pub baseline: i64,
    pub change: i64,
    /// Share of the kind's total at the period end, in per cent with one decimal.
    pub share_pct: Option<f64>,
}

/// Events of one sort within the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Flow {
    pub count: i64,
    pub by_field: Vec<FlowField>,
}

/// One field of a flow.
#[derive(Debug, Clone, Serialize)]
pub struct FlowField {
    pub code: String,
    pub label: String,
    pub count: i64,
}

/// Flows of the same period last year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SamePeriodFlows {
    pub total_at_end: i64,
    pub founded: i64,
    pub ceased: i64,
    pub dissolved: i64,
}

/// Counts by reporting area.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AreaTable {
    /// "huyện, thị xã, thành phố" before the reform, "xã, phường, đặc khu" after.
    pub level_label: String,
    pub rows: Vec<AreaRow>,
    pub total: AreaRow,
}

/// One area's counts at the period end, and its flows in the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AreaRow {
    pub id: String,
    pub name: String,
    pub tht: i64,
    /// HTX and QTDND.
    pub htx: i64,
    pub agriculture: i64,
    pub non_agriculture: i64,
    pub credit: i64,
    pub lhhtx: i64,
    pub founded: i64,
    pub exits: i64,
}

/// Everything [`compute`] needs besides the aggregate rows.
pub struct ReportContext<'a> {
    pub period: Period,
    pub area: AreaRef,
    pub compare_same_period: bool,
    /// Group areas by today's units instead of the units valid at the period end.
    pub current_units: bool,
    pub taxonomy: &'a Taxonomy,
    pub geo: &'a Geo,
}

/// Which family an organisation kind is reported under.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Tht,
    Htx,
    Lhhtx,
}

fn family(kind: OrgKind) -> Family {
    match kind {
        OrgKind::Tht => Family::Tht,
        OrgKind::Htx | OrgKind::Qtdnd => Family::Htx,
        OrgKind::Lhhtx => Family::Lhhtx,
    }
}

/// Builds the figures from aggregate rows already restricted to the report's area.
pub fn compute(
    ctx: &ReportContext<'_>,
    stock: &[StockRow],
    flows: &[FlowRow],
    same_period_flows: &[FlowRow],
    members: Option<MemberFigures>,
    tht_members: Option<MemberFigures>,
) -> Figures {
    let kind_figures = |fam: Family| {
        let rows: Vec<&StockRow> = stock.iter().filter(|r| family(r.kind) == fam).collect();
        let flows: Vec<&FlowRow> = flows.iter().filter(|r| family(r.kind) == fam).collect();
        let mut k = KindFigures {
            total: Tally {
                end: rows.iter().map(|r| r.at_end).sum(),
                baseline: rows.iter().map(|r| r.at_baseline).sum(),
                change: 0,
            },
            ..KindFigures::default()
        };
        k.total.change = k.total.end - k.total.baseline;
        k.by_group = SectorGroup::ALL
            .into_iter()
            .filter_map(|g| {
                let in_group = |r: &&&StockRow| group_of(ctx.taxonomy, &r.sector) == g;
                let end = rows.iter().filter(in_group).map(|r| r.at_end).sum();
                let baseline = rows.iter().filter(in_group).map(|r| r.at_baseline).sum();
                share(g.code(), g.label(), end, baseline, k.total.end)
            })
            .collect();
        k.by_field = ctx
            .taxonomy
            .all()
            .iter()
            .filter_map(|s| {
                let of = |r: &&&StockRow| r.sector == s.code;
                let end = rows.iter().filter(of).map(|r| r.at_end).sum();
                let baseline = rows.iter().filter(of).map(|r| r.at_baseline).sum();
                share(&s.code, &s.prose, end, baseline, k.total.end)
            })
            .collect();
        k.by_reporting_group = ctx
            .taxonomy
            .reporting_parts()
            .iter()
            .filter_map(|p| {
                let of = |r: &&&StockRow| p.fields.contains(&r.sector);
                let end = rows.iter().filter(of).map(|r| r.at_end).sum();
                let baseline = rows.iter().filter(of).map(|r| r.at_baseline).sum();
                share(&p.code, &p.label, end, baseline, k.total.end)
            })
            .collect();
        let flow = |kinds: &[EventKind]| flow_of(ctx.taxonomy, &flows, kinds);
        k.founded = flow(&[EventKind::Established]);
        k.ceased = flow(&[EventKind::Ceased]);
        k.dissolved = flow(&[EventKind::Dissolved]);
        k.other_exits = flow(&[
            EventKind::Bankrupt,
            EventKind::Revoked,
            EventKind::Converted,
            EventKind::Merged,
            EventKind::Absorbed,
            EventKind::Split,
        ]);
        k.ended = k.dissolved.count + k.other_exits.count;
        if ctx.compare_same_period {
            let count = |e: EventKind| {
                same_period_flows
                    .iter()
                    .filter(|r| family(r.kind) == fam && r.event == e)
                    .map(|r| r.count)
                    .sum()
            };
            k.same_period = Some(SamePeriodFlows {
                total_at_end: rows.iter().map(|r| r.at_same_period_end).sum(),
                founded: count(EventKind::Established),
                ceased: count(EventKind::Ceased),
                dissolved: count(EventKind::Dissolved),
            });
        }
        k
    };
    let registry = RegistryFigures {
        tht: kind_figures(Family::Tht),
        htx: kind_figures(Family::Htx),
        lhhtx: kind_figures(Family::Lhhtx),
        members,
        tht_members,
        by_area: area_table(ctx, stock, flows),
    };
    Figures {
        schema: SCHEMA,
        baseline_date: ctx.period.end_of_previous_year(),
        baseline_year: ctx.period.start.year() - 1,
        same_period: ctx
            .compare_same_period
            .then(|| ctx.period.same_period_last_year()),
        period: ctx.period.clone(),
        area: ctx.area.clone(),
        registry,
        fund: None,
        plans: Vec::new(),
        alliance: None,
        evaluation: None,
        next_plan: None,
        proposals: String::new(),
        corrections: Vec::new(),
        money_in_prose: Default::default(),
        fields_in_prose: false,
    }
}

/// The sector group a field belongs to (an unknown field counts as non-agricultural).
pub fn group_of(taxonomy: &Taxonomy, sector: &str) -> SectorGroup {
    taxonomy
        .get(sector)
        .map(|s| s.group)
        .unwrap_or(SectorGroup::NonAgriculture)
}

fn share(code: &str, label: &str, end: i64, baseline: i64, total: i64) -> Option<Share> {
    (end != 0 || baseline != 0).then(|| Share {
        code: code.to_string(),
        label: label.to_string(),
        end,
        baseline,
        change: end - baseline,
        share_pct: text::percent_tenths(end, total).map(|t| t as f64 / 10.0),
    })
}

fn flow_of(taxonomy: &Taxonomy, flows: &[&FlowRow], kinds: &[EventKind]) -> Flow {
    let selected: Vec<&&FlowRow> = flows.iter().filter(|r| kinds.contains(&r.event)).collect();
    let mut by_field: Vec<FlowField> = taxonomy
        .all()
        .iter()
        .filter_map(|s| {
            let count: i64 = selected
                .iter()
                .filter(|r| r.sector == s.code)
                .map(|r| r.count)
                .sum();
            (count > 0).then(|| FlowField {
                code: s.code.clone(),
                label: s.prose.clone(),
                count,
            })
        })
        .collect();
    // Report order: agricultural fields first, then by count, largest first (as officials list them).
    by_field.sort_by_key(|f| (group_of(taxonomy, &f.code), -f.count));
    Flow {
        count: selected.iter().map(|r| r.count).sum(),
        by_field,
    }
}

/// How the report's grouping units are named: districts before the reform, communes after.
fn level_label(ctx: &ReportContext<'_>) -> &'static str {
    let era = if ctx.current_units {
        Era::New
    } else {
        Era::at(ctx.period.end)
    };
    match era {
        Era::Old => "huyện, thị xã, thành phố",
        Era::New => "xã, phường, đặc khu",
    }
}

/// The id of the area row of organisations known only by a district abolished by the reform
/// (it sorts after every unit id).
pub const UNPLACED: &str = "~unplaced";

fn area_table(ctx: &ReportContext<'_>, stock: &[StockRow], flows: &[FlowRow]) -> AreaTable {
    let mut rows: BTreeMap<String, AreaRow> = BTreeMap::new();
    fn row_for<'r>(
        rows: &'r mut BTreeMap<String, AreaRow>,
        ctx: &ReportContext<'_>,
        commune: &str,
    ) -> Option<&'r mut AreaRow> {
        let Some(unit) = ctx
            .geo
            .reporting_area(commune, ctx.period.end, ctx.current_units)
        else {
            // Known only by an old district, after the reform: counted in the total on a
            // row of its own (last), so that the rows still add up to it.
            ctx.geo.unit(commune)?;
            return Some(rows.entry(UNPLACED.to_string()).or_insert_with(|| AreaRow {
                id: UNPLACED.to_string(),
                name: "Chưa xác định xã, phường (chỉ biết huyện cũ)".to_string(),
                ..AreaRow::default()
            }));
        };
        Some(rows.entry(unit.id.clone()).or_insert_with(|| AreaRow {
            id: unit.id.clone(),
            name: unit.full_name(),
            ..AreaRow::default()
        }))
    }
    for r in stock.iter().filter(|r| r.at_end > 0) {
        let group = group_of(ctx.taxonomy, &r.sector);
        let Some(row) = row_for(&mut rows, ctx, &r.commune) else {
            continue;
        };
        match family(r.kind) {
            Family::Tht => row.tht += r.at_end,
            Family::Lhhtx => row.lhhtx += r.at_end,
            Family::Htx => {
                row.htx += r.at_end;
                match group {
                    SectorGroup::Agriculture => row.agriculture += r.at_end,
                    SectorGroup::NonAgriculture => row.non_agriculture += r.at_end,
                    SectorGroup::Credit => row.credit += r.at_end,
                }
            }
        }
    }
    for f in flows {
        let Some(row) = row_for(&mut rows, ctx, &f.commune) else {
            continue;
        };
        match f.event {
            EventKind::Established => row.founded += f.count,
            EventKind::Dissolved
            | EventKind::Bankrupt
            | EventKind::Revoked
            | EventKind::Converted
            | EventKind::Merged
            | EventKind::Absorbed
            | EventKind::Split => row.exits += f.count,
            _ => {}
        }
    }
    // Official tables list areas in statistics-code order (the id carries the code).
    let rows: Vec<AreaRow> = rows.into_values().collect();
    let mut total = AreaRow {
        id: String::new(),
        name: "Tổng cộng".to_string(),
        ..AreaRow::default()
    };
    for r in &rows {
        total.tht += r.tht;
        total.htx += r.htx;
        total.agriculture += r.agriculture;
        total.non_agriculture += r.non_agriculture;
        total.credit += r.credit;
        total.lhhtx += r.lhhtx;
        total.founded += r.founded;
        total.exits += r.exits;
    }
    AreaTable {
        level_label: level_label(ctx).to_string(),
        rows,
        total,
    }
}

/// The support fund's section: what it did in the period and where it stands at the end.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FundFigures {
    /// The fund's charter capital on the period end (đồng).
    pub charter_capital: i64,
    /// The charter capital the fund was founded with: its first day's changes (null before
    /// any change is recorded, or when the fund was founded after the period end).
    pub charter_capital_at_founding: Option<CapitalOnDay>,
    /// Disbursements in the period.
    pub disbursed: FundFlow,
    /// Loans extended (gia hạn nợ) in the period; amount = principal extended.
    pub extended: FundFlow,
    /// Principal repaid in the period.
    pub repaid: FundFlow,
    /// Interest collected in the period (đồng).
    pub interest_collected: i64,
    /// Outstanding principal on the period end.
    pub outstanding: FundPosition,
    /// … on the end of the previous year.
    pub outstanding_baseline: FundPosition,
    /// The outstanding principal less that of the previous year's end (đồng).
    pub outstanding_change: i64,
    /// Overdue principal on the period end, and its share of the outstanding.
    pub overdue: FundRisk,
    /// Bad debt: the outstanding of loans more than 90 days past due.
    pub bad_debt: FundRisk,
    /// Outstanding by days past due.
    pub ageing: Vec<AgeingRow>,
    /// How borrowers are named in prose: "HTX" when all are cooperatives, else "khách hàng".
    pub borrower_word: String,
    /// The same flows and positions split by the kind of borrower, every kind in the order
    /// of [`BorrowerKind::ALL`] (a kind without loans has zeros: it lent nothing).
    pub by_borrower_kind: Vec<BorrowerKindFigures>,
}

/// The fund's charter capital on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapitalOnDay {
    #[serde(with = "crate::domain::iso_date")]
    pub date: Date,
    pub amount: i64,
}

/// Who borrows from the fund: an organisation by its kind (a QTDND counts with the HTX, as
/// the registry's families do), or a member of an HTX or THT borrowing as a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BorrowerKind {
    Htx,
    Lhhtx,
    Tht,
    Member,
}

impl BorrowerKind {
    pub const ALL: [BorrowerKind; 4] = [Self::Htx, Self::Lhhtx, Self::Tht, Self::Member];

    /// The kind of a borrower: a person when it has no organisation of its own, else its
    /// organisation's kind code.
    pub fn of(org_kind: Option<&str>, is_person: bool) -> BorrowerKind {
        match (is_person, org_kind) {
            (true, _) => Self::Member,
            (false, Some("THT")) => Self::Tht,
            (false, Some("LHHTX")) => Self::Lhhtx,
            _ => Self::Htx,
        }
    }

    /// Reads a typed kind of borrower (Loại bên vay): HTX (or QTDND), LHHTX, THT, or a member
    /// ("thành viên", "cá nhân"), accents and case ignored.
    pub fn parse(typed: &str) -> Result<BorrowerKind, String> {
        let key = crate::domain::text::fold(typed).replace([' ', '-', '_'], "");
        match key.as_str() {
            "htx" | "hoptacxa" | "qtdnd" | "quytindungnhandan" => Ok(Self::Htx),
            "lhhtx" | "lienhiephoptacxa" | "lienhiephtx" => Ok(Self::Lhhtx),
            "tht" | "tohoptac" => Ok(Self::Tht),
            "thanhvien" | "canhan" | "member" | "thanhvienhtx" | "thanhvientht" => Ok(Self::Member),
            _ => Err(format!(
                "\"{typed}\" không phải HTX, LHHTX, THT hoặc thành viên"
            )),
        }
    }

    /// How the kind is named in tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::Htx => "HTX",
            Self::Lhhtx => "Liên hiệp HTX",
            Self::Tht => "THT",
            Self::Member => "Thành viên HTX, THT",
        }
    }
}

/// The fund's figures of one kind of borrower.
#[derive(Debug, Clone, Serialize)]
pub struct BorrowerKindFigures {
    pub kind: BorrowerKind,
    pub label: &'static str,
    pub disbursed: FundFlow,
    pub extended: FundFlow,
    /// Outstanding on the period end, with the borrowers and loans carrying it.
    pub outstanding: FundPosition,
    /// Overdue principal on the period end, and its share of this kind's outstanding.
    pub overdue: FundRisk,
}

/// Borrowers, loans and an amount.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FundFlow {
    pub borrowers: i64,
    pub loans: i64,
    pub amount: i64,
}

/// Outstanding principal with the number of borrowers and loans carrying it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FundPosition {
    pub amount: i64,
    pub borrowers: i64,
    pub loans: i64,
}

/// An amount at risk and its share of the outstanding (per cent, one decimal).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FundRisk {
    pub amount: i64,
    pub loans: i64,
    pub ratio_pct: Option<f64>,
}

/// One ageing bucket.
#[derive(Debug, Clone, Serialize)]
pub struct AgeingRow {
    pub label: String,
    pub loans: i64,
    pub outstanding: i64,
}

/// The Alliance's own work in the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AllianceFigures {
    /// Plans, proposals and resolutions the Alliance prepared (held in the period).
    pub advisory: Vec<ActivityLine>,
    /// Surveys and selections for programmes, with the organisations selected.
    pub selections: Vec<ActivityLine>,
    /// Dialogues, conferences and workshops held.
    pub events: Vec<ActivityLine>,
    /// Cooperation agreements signed.
    pub agreements: Vec<ActivityLine>,
    /// Fairs and trade promotion, with the organisations taken there.
    pub fairs: Vec<ActivityLine>,
    /// Activities planned in the period or in the six months after it.
    pub planned: Vec<ActivityLine>,
    pub training: TrainingFigures,
    pub media: MediaFigures,
    /// Members admitted in the period.
    pub new_members: i64,
    /// Members on the period end.
    pub members_at_end: i64,
    /// Committee seats filled in the period and held at its end.
    pub governance: GovernanceFigures,
    /// The Supervisory Committee's inspections, supervisions and complaints.
    pub supervision: SupervisionFigures,
    /// Programmes with organisations nominated, evaluated or selected in the period.
    pub programmes: Vec<ProgrammeLine>,
    /// Support given to organisations in the period.
    pub support: SupportFigures,
}

/// One activity as the report mentions it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityLine {
    pub kind: String,
    pub title: String,
    /// ISO date.
    pub date: String,
    pub document_no: String,
    pub issuer: String,
    pub partner: String,
    pub channel: String,
    /// None when nobody entered them.
    pub attendees: Option<i64>,
    pub organisations: i64,
}

/// Training classes held.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrainingFigures {
    pub classes: i64,
    /// Attendances of the classes that have them; None when none has.
    pub attendances: Option<i64>,
    /// How many of the classes the attendances are of.
    pub classes_with_attendances: i64,
    /// Where they were held, as written in prose ("huyện Gia Bình").
    pub areas: Vec<String>,
}

/// Media outputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MediaFigures {
    pub series: i64,
    pub articles: i64,
    pub website_posts: i64,
    /// Channels of the series and articles.
    pub channels: Vec<String>,
}

/// Committees: (name, seats filled in the period, seats held at its end).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GovernanceFigures {
    pub committees: Vec<(String, i64, i64)>,
}

/// The Supervisory Committee's work in the period.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SupervisionFigures {
    pub inspections_done: i64,
    pub supervisions_done: i64,
    /// Inspections and supervisions planned in the period but not recorded as done.
    pub planned: i64,
    pub complaints_received: i64,
    pub complaints_handled: i64,
}

/// One programme's progress in the period.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeLine {
    pub code: String,
    pub name: String,
    pub decision: String,
    /// Organisations reaching each stage in the period.
    pub nominated: i64,
    pub evaluated: i64,
    pub selected: i64,
}

/// Support given to organisations in the period, by category.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SupportFigures {
    /// Supports given and their total amount (đồng).
    pub count: i64,
    pub organisations: i64,
    pub amount: i64,
    /// (category label, count, amount).
    pub by_category: Vec<(String, i64, i64)>,
}
