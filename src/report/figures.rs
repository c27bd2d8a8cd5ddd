//! Collects the aggregates a report needs from the store, restricts them to the report's
//! area and hands them to [`crate::domain::report::compute`].

use crate::domain::geo::{Level, geo};
use crate::domain::period::Period;
use crate::domain::registry::OrgKind;
use crate::domain::report::{self, AreaRef, Figures, MemberFigures, MemberPart, ReportContext};
use crate::domain::sector::SectorGroup;
use crate::error::{Error, Result};
use crate::store::Store;
use std::collections::{BTreeMap, HashMap};

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub period: Period,
    /// A unit id within the deployment (a district, a commune); None = the deployment's area.
    pub area: Option<String>,
    /// Also compare with the same period last year.
    pub compare_same_period: bool,
    /// Group areas by today's units.
    pub current_units: bool,
    /// Include the support fund's section (false for readers whose role excludes the fund).
    pub include_fund: bool,
}

impl ReportRequest {
    /// A report of the deployment's whole area for a period.
    pub fn of(period: Period) -> ReportRequest {
        ReportRequest {
            period,
            area: None,
            compare_same_period: false,
            current_units: false,
            include_fund: true,
        }
    }
}

/// Computes the figures of a report.
pub async fn build(store: &Store, request: &ReportRequest) -> Result<Figures> {
    let deployment = store.deployment().await?;
    let area_id = request.area.clone().unwrap_or(deployment.area.clone());
    let area = area_ref(&area_id)?;
    let taxonomy = store.taxonomy().await?;
    let period = &request.period;
    let same = period.same_period_last_year();
    let mut in_area: HashMap<String, bool> = HashMap::new();
    let mut keep = |commune: &str| -> bool {
        if area_id.is_empty() {
            return true;
        }
        *in_area
            .entry(commune.to_string())
            .or_insert_with(|| geo().commune_in_area(commune, &area_id))
    };
    let stock: Vec<_> = store
        .stock(period.end, period.end_of_previous_year(), same.end)
        .await?
        .into_iter()
        .filter(|r| keep(&r.commune))
        .collect();
    let flows: Vec<_> = store
        .flows(period.start, period.end)
        .await?
        .into_iter()
        .filter(|r| keep(&r.commune))
        .collect();
    let same_flows: Vec<_> = if request.compare_same_period {
        store
            .flows(same.start, same.end)
            .await?
            .into_iter()
            .filter(|r| keep(&r.commune))
            .collect()
    } else {
        Vec::new()
    };
    // Yearly figures describe whole years: use the latest year ended by the period end.
    let last_full_year = if period.end.month() == time::Month::December && period.end.day() == 31 {
        period.end.year()
    } else {
        period.end.year() - 1
    };
    // Members, workers and capital are, per counted organisation, its latest known figures:
    // its latest yearly figures up to the last full year, or the members it was founded with
    // when it never reported any.
    let rows = store.member_figures(last_full_year, period.end).await?;
    let founding = store
        .founding_members_without_figures(last_full_year, period.end)
        .await?;
    // Cooperatives (HTX, LHHTX, QTDND) and cooperative groups are summed apart, as the report
    // speaks of them apart; each also by sector group and by field.
    let sum = |tht: bool, keep: &mut dyn FnMut(&str) -> bool| {
        let mut total = Summing::default();
        let mut groups: BTreeMap<SectorGroup, Summing> = BTreeMap::new();
        let mut fields: BTreeMap<&str, Summing> = BTreeMap::new();
        let group_of = |sector: &str| report::group_of(&taxonomy, sector);
        for (commune, kind, sector, m, weight) in &rows {
            if (*kind == OrgKind::Tht) != tht || !keep(commune) {
                continue;
            }
            total.figures(*kind, m, *weight);
            groups
                .entry(group_of(sector))
                .or_default()
                .figures(*kind, m, *weight);
            fields.entry(sector).or_default().figures(*kind, m, *weight);
        }
        for (commune, kind, sector, members) in &founding {
            if (*kind == OrgKind::Tht) != tht || !keep(commune) {
                continue;
            }
            total.founding(*kind, *members);
            groups
                .entry(group_of(sector))
                .or_default()
                .founding(*kind, *members);
            fields.entry(sector).or_default().founding(*kind, *members);
        }
        let mut total = total.finish()?;
        // The reporting groups' sums are their fields' (each field in one part at most).
        total.by_reporting_group = taxonomy
            .reporting_parts()
            .into_iter()
            .filter_map(|p| {
                let mut part = Summing::default();
                for field in p.fields.iter().filter_map(|f| fields.get(f.as_str())) {
                    part.merge(field);
                }
                Some(MemberPart {
                    code: p.code,
                    label: p.label,
                    figures: part.finish()?,
                })
            })
            .collect();
        total.by_group = SectorGroup::ALL
            .iter()
            .filter_map(|g| {
                let part = groups.remove(g)?.finish()?;
                Some(MemberPart {
                    code: g.code().to_string(),
                    label: g.label().to_string(),
                    figures: part,
                })
            })
            .collect();
        total.by_field = taxonomy
            .all()
            .iter()
            .filter_map(|s| {
                let part = fields.remove(s.code.as_str())?.finish()?;
                Some(MemberPart {
                    code: s.code.clone(),
                    label: s.prose.clone(),
                    figures: part,
                })
            })
            .collect();
        Some(total)
    };
    let (members, tht_members) = (sum(false, &mut keep), sum(true, &mut keep));
    let ctx = ReportContext {
        period: period.clone(),
        area,
        compare_same_period: request.compare_same_period,
        current_units: request.current_units,
        taxonomy: &taxonomy,
        geo: geo(),
    };
    let mut figures = report::compute(&ctx, &stock, &flows, &same_flows, members, tht_members);
    figures.money_in_prose = deployment.money_in_prose;
    figures.fields_in_prose = deployment.fields_in_prose;
    // The latest evaluated year up to the period's year, and the year before when evaluated.
    let years = store.evaluation_years().await?;
    if let Some(&year) = years.iter().rev().find(|&&y| y <= period.end.year()) {
        let orgs: Vec<_> = store
            .evaluation_rows(year)
            .await?
            .into_iter()
            .filter(|o| keep(&o.commune))
            .collect();
        let before: Vec<_> = if years.contains(&(year - 1)) {
            store
                .evaluation_rows(year - 1)
                .await?
                .into_iter()
                .filter(|o| keep(&o.commune))
                .collect()
        } else {
            Vec::new()
        };
        figures.evaluation = report::evaluation::compute(
            &ctx,
            year,
            &orgs,
            Some((year - 1, &before)),
            &deployment.size_thresholds,
        );
    }
    let communes = if area_id.is_empty() {
        HashMap::new()
    } else {
        store.borrower_communes(period.end).await?
    };
    let in_area = |borrower: i64| {
        communes
            .get(&borrower)
            .is_some_and(|c| geo().commune_in_area(c, &area_id))
    };
    let keep: Option<&(dyn Fn(i64) -> bool + Sync)> = if area_id.is_empty() {
        None
    } else {
        Some(&in_area)
    };
    if request.include_fund {
        figures.fund = super::fund::build(store, period, keep).await?;
    }
    // The Alliance's work and its plans concern the whole deployment, not a sub-area.
    if request.area.is_none() {
        figures.alliance = super::alliance::build(store, period).await?;
        figures.plans = plan_achievements(store, &figures).await?;
        let next = period.next();
        if let Some(plan) = store.plan(&next.code).await? {
            figures.next_plan = Some(report::NextPlan {
                period: next,
                title: plan.title,
                reference: plan.reference,
                targets: plan
                    .targets
                    .iter()
                    .map(|(i, v)| (i.name_vi().to_string(), i.format(*v)))
                    .collect(),
            });
        }
        figures.corrections = store.corrections_before(period.start).await?;
    }
    Ok(figures)
}

/// Targets of the plan of the report's period and of its year's plan, against the report's
/// own figures.
async fn plan_achievements(
    store: &Store,
    figures: &report::Figures,
) -> Result<Vec<crate::domain::plans::Achievement>> {
    let period = &figures.period;
    let year = period.start.year().to_string();
    let mut out = Vec::new();
    let own_label = match period.code.as_str() {
        c if c == year => "kế hoạch năm".to_string(),
        c if c.ends_with("-H1") => "kế hoạch 6 tháng đầu năm".to_string(),
        c if c.ends_with("-H2") => "kế hoạch 6 tháng cuối năm".to_string(),
        c if c.contains("-Q") => "kế hoạch quý".to_string(),
        _ => "kế hoạch của kỳ".to_string(),
    };
    if let Some(plan) = store.plan(&period.code).await? {
        out.extend(crate::domain::plans::achievements(
            figures,
            &plan.period,
            &own_label,
            &plan.targets,
        ));
    }
    if period.code != year
        && let Some(plan) = store.plan(&year).await?
    {
        out.extend(crate::domain::plans::achievements(
            figures,
            &plan.period,
            "kế hoạch năm",
            &plan.targets,
        ));
    }
    Ok(out)
}

/// Describes the report's area for prose.
fn area_ref(area_id: &str) -> Result<AreaRef> {
    if area_id.is_empty() {
        return Ok(AreaRef {
            id: String::new(),
            name: "Việt Nam".into(),
            scope_word: "toàn quốc".into(),
        });
    }
    let unit = geo()
        .unit(area_id)
        .ok_or_else(|| Error::NotFound(format!("đơn vị hành chính {area_id}")))?;
    let word = match unit.level {
        Level::Province => "toàn tỉnh",
        Level::District => match unit.kind.as_str() {
            "Thành phố" => "toàn thành phố",
            "Thị xã" => "toàn thị xã",
            "Quận" => "toàn quận",
            _ => "toàn huyện",
        },
        Level::Commune => match unit.kind.as_str() {
            "Phường" => "toàn phường",
            "Thị trấn" => "toàn thị trấn",
            "Đặc khu" => "toàn đặc khu",
            _ => "toàn xã",
        },
    };
    let word = if unit.level == Level::Province && unit.kind == "Thành phố" {
        "toàn thành phố"
    } else {
        word
    };
    Ok(AreaRef {
        id: unit.id.clone(),
        name: unit.full_name(),
        scope_word: word.into(),
    })
}

/// Sums the latest known figures of organisations, with the workers the average income is
/// weighted by.
#[derive(Default)]
struct Summing {
    sum: MemberFigures,
    income_weighted: i64,
    income_workers: i64,
}

impl Summing {
    /// Adds the yearly figures of some organisations of a kind.
    fn figures(&mut self, kind: OrgKind, m: &MemberFigures, weight: i64) {
        self.sum.add(m);
        *self
            .sum
            .reporting_by_kind
            .entry(kind.code().to_string())
            .or_default() += m.organisations_reporting;
        self.income_weighted += m.average_income * weight;
        self.income_workers += weight;
    }

    /// Adds an organisation known only by its founding members.
    fn founding(&mut self, kind: OrgKind, members: i64) {
        self.sum.add(&MemberFigures {
            founding_reporting: 1,
            founding_members: members,
            reporting_by_kind: [(kind.code().to_string(), 1)].into(),
            ..MemberFigures::default()
        });
    }

    /// Adds the sums of another part.
    fn merge(&mut self, other: &Summing) {
        self.sum.add(&other.sum);
        self.income_weighted += other.income_weighted;
        self.income_workers += other.income_workers;
    }

    /// The sums, None when no organisation is known by either.
    fn finish(mut self) -> Option<MemberFigures> {
        if self.income_workers > 0 {
            self.sum.average_income = self.income_weighted / self.income_workers;
        }
        (self.sum.organisations_reporting + self.sum.founding_reporting > 0).then_some(self.sum)
    }
}
