//! The report's section on the yearly evaluation of cooperatives (Circular 01/2020/TT-BKHĐT)
//! and their size classes (Decree 113/2024/NĐ-CP): counted over the HTX and LHHTX counted on
//! 31 December of the evaluation year in the report's area. People's credit funds are graded
//! under the State Bank's rules and are counted apart, never in a denominator.

use super::{ReportContext, group_of, level_label};
use crate::domain::codes::Coded;
use crate::domain::evaluation::{Exemption, Grade, SizeClass, SizeField, SizeThresholds};
use crate::domain::geo::Unit;
use crate::domain::registry::{OrgKind, YearFigures};
use crate::domain::sector::SectorGroup;
use crate::domain::text;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// What is recorded of an organisation's year: the latest version's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Graded(Grade),
    NotGraded(Exemption),
}

/// One organisation counted on 31 December of the evaluation year (HTX, LHHTX, QTDND).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluatedOrg {
    pub org_id: i64,
    pub kind: OrgKind,
    pub sector: String,
    /// The commune on 31 December.
    pub commune: String,
    /// The latest recorded evaluation of the year, if any.
    pub recorded: Option<Recorded>,
    /// Why the registry exempts it from grading in the year (founded in the year, suspended
    /// over three months, a credit fund), if it does.
    pub registry_exemption: Option<Exemption>,
    /// The year's figures, when any were reported (only members, revenue and total assets
    /// are read).
    pub figures: Option<YearFigures>,
}

/// Counts of one year's evaluation over a set of HTX and LHHTX.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvaluationCounts {
    /// HTX and LHHTX counted on 31 December (the denominator of every share but the grades').
    pub organisations: i64,
    /// Graded, and by grade.
    pub graded: i64,
    pub good: i64,
    pub fair: i64,
    pub average: i64,
    pub weak: i64,
    /// Not graded, for a recorded reason or one the registry gives.
    pub not_graded: i64,
    /// Neither graded nor exempt: no result recorded ("chưa có kết quả đánh giá").
    pub no_result: i64,
}

impl EvaluationCounts {
    fn add(&mut self, status: Status) {
        self.organisations += 1;
        match status {
            Status::Graded(g) => {
                self.graded += 1;
                match g {
                    Grade::Good => self.good += 1,
                    Grade::Fair => self.fair += 1,
                    Grade::Average => self.average += 1,
                    Grade::Weak => self.weak += 1,
                }
            }
            Status::NotGraded(..) => self.not_graded += 1,
            Status::NoResult => self.no_result += 1,
        }
    }

    fn of_grade(&self, g: Grade) -> i64 {
        match g {
            Grade::Good => self.good,
            Grade::Fair => self.fair,
            Grade::Average => self.average,
            Grade::Weak => self.weak,
        }
    }
}

/// A grade's count and its share of the graded (per cent, one decimal).
#[derive(Debug, Clone, Serialize)]
pub struct GradeShare {
    pub code: String,
    /// "tốt", "khá", "trung bình", "yếu" (as in "loại tốt").
    pub label: String,
    pub count: i64,
    pub share_pct: Option<f64>,
}

/// A reason for not grading and how many organisations it covers: recorded with their
/// evaluation, or given by the registry for organisations with nothing recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonCount {
    pub code: String,
    pub label: String,
    pub count: i64,
    pub recorded: i64,
    pub from_registry: i64,
}

/// Counts of one area or sector group.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationRow {
    /// Area id or group code.
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: EvaluationCounts,
}

/// The grades by reporting area.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationAreas {
    pub level_label: String,
    pub rows: Vec<EvaluationRow>,
    pub total: EvaluationRow,
}

/// One year's evaluation in brief (the comparison year).
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationSummary {
    pub year: i32,
    #[serde(flatten)]
    pub counts: EvaluationCounts,
    pub by_grade: Vec<GradeShare>,
    /// Graded good or fair, and their share of the graded.
    pub good_or_fair: i64,
    pub good_or_fair_pct: Option<f64>,
    pub by_reason: Vec<ReasonCount>,
    /// QTDND counted on 31 December (graded under the State Bank's rules; in no count above).
    pub credit_funds: i64,
}

/// A size class and its count.
#[derive(Debug, Clone, Serialize)]
pub struct ClassCount {
    pub code: String,
    /// "lớn", "vừa", "nhỏ", "siêu nhỏ" (as in "quy mô lớn").
    pub label: String,
    pub count: i64,
}

/// Size classes of the HTX and LHHTX (Decree 113/2024) from the evaluation year's figures.
#[derive(Debug, Clone, Serialize)]
pub struct SizeFigures {
    pub year: i32,
    /// Organisations whose class the figures and thresholds give.
    pub known: i64,
    /// Largest class first; empty when no class is known.
    pub by_class: Vec<ClassCount>,
    /// No figures, figures short of deciding, or a field without thresholds.
    pub unknown: i64,
    /// Of the unknown, those of a field the settings give no thresholds for.
    pub unknown_no_thresholds: i64,
}

/// The evaluation section of a report.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationFigures {
    /// The evaluation year and its counts.
    #[serde(flatten)]
    pub summary: EvaluationSummary,
    /// 31 December of the year: the date the organisations are counted on.
    #[serde(with = "crate::domain::iso_date")]
    pub counted_on: Date,
    pub by_area: EvaluationAreas,
    /// By sector group, groups with organisations only.
    pub by_group: Vec<EvaluationRow>,
    pub sizes: SizeFigures,
    /// The year before, when it has evaluations recorded in the area.
    pub previous: Option<EvaluationSummary>,
}

/// An organisation's standing in the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Graded(Grade),
    /// Not graded; true when the reason was recorded (false: given by the registry).
    NotGraded(Exemption, bool),
    NoResult,
}

fn status(o: &EvaluatedOrg) -> Status {
    match (o.recorded, o.registry_exemption) {
        (Some(Recorded::Graded(g)), _) => Status::Graded(g),
        (Some(Recorded::NotGraded(r)), _) => Status::NotGraded(r, true),
        (None, Some(r)) => Status::NotGraded(r, false),
        (None, None) => Status::NoResult,
    }
}

/// The grade's word after "loại".
fn grade_label(g: Grade) -> String {
    g.name_vi().to_lowercase()
}

/// Whether an organisation belongs in the counts (QTDND are counted apart).
fn evaluated_kind(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::Htx | OrgKind::Lhhtx)
}

/// One year's counts over organisations already restricted to the report's area. `None`
/// when none of them has an evaluation recorded for the year.
pub fn summary(year: i32, orgs: &[EvaluatedOrg]) -> Option<EvaluationSummary> {
    if !orgs.iter().any(|o| o.recorded.is_some()) {
        return None;
    }
    let mut counts = EvaluationCounts::default();
    let mut reasons: BTreeMap<Exemption, (i64, i64)> = BTreeMap::new();
    let mut credit_funds = 0;
    for o in orgs {
        if !evaluated_kind(o.kind) {
            credit_funds += i64::from(o.kind == OrgKind::Qtdnd);
            continue;
        }
        let s = status(o);
        counts.add(s);
        if let Status::NotGraded(r, recorded) = s {
            let e = reasons.entry(r).or_default();
            if recorded {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    let by_grade = Grade::ALL
        .iter()
        .map(|&g| GradeShare {
            code: g.code().to_string(),
            label: grade_label(g),
            count: counts.of_grade(g),
            share_pct: share(counts.of_grade(g), counts.graded),
        })
        .collect();
    let good_or_fair = counts.good + counts.fair;
    Some(EvaluationSummary {
        year,
        good_or_fair,
        good_or_fair_pct: share(good_or_fair, counts.graded),
        by_grade,
        by_reason: reasons
            .into_iter()
            .map(|(r, (recorded, from_registry))| ReasonCount {
                code: r.code().to_string(),
                label: r.name_vi().to_string(),
                count: recorded + from_registry,
                recorded,
                from_registry,
            })
            .collect(),
        credit_funds,
        counts,
    })
}

fn share(part: i64, whole: i64) -> Option<f64> {
    text::percent_tenths(part, whole).map(|t| t as f64 / 10.0)
}

/// Builds the section from the evaluation year's organisations and, when it has any
/// evaluation, the year before's — both restricted to the report's area. `None` when the year
/// has no evaluation recorded in the area.
pub fn compute(
    ctx: &ReportContext<'_>,
    year: i32,
    orgs: &[EvaluatedOrg],
    previous: Option<(i32, &[EvaluatedOrg])>,
    thresholds: &SizeThresholds,
) -> Option<EvaluationFigures> {
    let summary = summary(year, orgs)?;
    let counted_on = Date::from_calendar_date(year, time::Month::December, 31).ok()?;
    let mut areas: BTreeMap<String, EvaluationRow> = BTreeMap::new();
    // Organisations share communes: look each commune's reporting area up once.
    let mut unit_of: HashMap<&str, Option<&Unit>> = HashMap::new();
    let mut groups: BTreeMap<SectorGroup, EvaluationCounts> = BTreeMap::new();
    let mut total = EvaluationCounts::default();
    for o in orgs.iter().filter(|o| evaluated_kind(o.kind)) {
        let s = status(o);
        total.add(s);
        groups
            .entry(group_of(ctx.taxonomy, &o.sector))
            .or_default()
            .add(s);
        let unit = *unit_of.entry(&o.commune).or_insert_with(|| {
            ctx.geo
                .reporting_area(&o.commune, ctx.period.end, ctx.current_units)
        });
        if let Some(unit) = unit {
            areas
                .entry(unit.id.clone())
                .or_insert_with(|| EvaluationRow {
                    code: unit.id.clone(),
                    name: unit.full_name(),
                    counts: EvaluationCounts::default(),
                })
                .counts
                .add(s);
        }
    }
    let by_group = groups
        .into_iter()
        .map(|(g, counts)| EvaluationRow {
            code: g.code().to_string(),
            name: g.label().to_string(),
            counts,
        })
        .collect();
    Some(EvaluationFigures {
        counted_on,
        by_area: EvaluationAreas {
            level_label: level_label(ctx).to_string(),
            rows: areas.into_values().collect(),
            total: EvaluationRow {
                code: String::new(),
                name: "Tổng cộng".to_string(),
                counts: total,
            },
        },
        by_group,
        sizes: sizes(ctx, year, orgs, thresholds),
        previous: previous.and_then(|(y, orgs)| self::summary(y, orgs)),
        summary,
    })
}

/// Counts the size classes the year's figures give; an organisation without figures, with
/// figures short of a class, or of a field without thresholds is not known, never guessed.
fn sizes(
    ctx: &ReportContext<'_>,
    year: i32,
    orgs: &[EvaluatedOrg],
    thresholds: &SizeThresholds,
) -> SizeFigures {
    let mut by_class: BTreeMap<SizeClass, i64> = BTreeMap::new();
    let (mut unknown, mut unknown_no_thresholds) = (0, 0);
    for o in orgs.iter().filter(|o| evaluated_kind(o.kind)) {
        let field = SizeField::of_vsic(ctx.taxonomy.get(&o.sector).map_or("", |s| &s.vsic));
        let class = o.figures.as_ref().and_then(|f| thresholds.class(field, f));
        match class {
            Some(c) => *by_class.entry(c).or_default() += 1,
            None => {
                unknown += 1;
                unknown_no_thresholds += i64::from(thresholds.of(field).is_none());
            }
        }
    }
    let known: i64 = by_class.values().sum();
    SizeFigures {
        year,
        known,
        by_class: if known == 0 {
            Vec::new()
        } else {
            SizeClass::ALL
                .iter()
                .rev()
                .map(|&c| ClassCount {
                    code: c.code().to_string(),
                    label: c.name_vi().to_string(),
                    count: by_class.get(&c).copied().unwrap_or(0),
                })
                .collect()
        },
        unknown,
        unknown_no_thresholds,
    }
}
