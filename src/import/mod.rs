//! Spreadsheets in: .xlsx and .csv files of organisations, events and yearly figures,
//! checked row by row and written all or nothing.

pub mod alliance;
pub mod columns;
pub mod evaluations;
pub mod fund;
pub mod governance;
pub mod limits;
pub mod package;
pub mod programmes;
pub mod registry;
pub mod reporting_groups;
pub mod row;
pub mod sheet;
pub mod targets;
pub mod template;

use crate::app::Planned;
use crate::error::Result;
use crate::store::Store;
use crate::store::fund::BorrowerRef;
use crate::store::registry::{BatchOutcome, OrgSummary};
use std::collections::HashMap;
use std::path::Path;
use time::Date;

/// The result of an import or a dry run.
#[derive(Debug)]
pub struct ImportReport {
    pub plan: registry::Plan,
    pub fund: fund::FundPlan,
    pub alliance: alliance::AlliancePlan,
    /// Committee seats, inspections and complaints.
    pub governance: governance::GovernancePlan,
    /// Programmes, their stages and the support ledger.
    pub programmes: programmes::ProgrammePlan,
    /// Plan targets.
    pub targets: targets::TargetPlan,
    /// Yearly evaluations (the evaluation sheet and the results on "Số liệu năm").
    pub evaluations: evaluations::EvaluationPlan,
    /// Reporting groups (the Nhóm báo cáo sheet).
    pub groups: reporting_groups::GroupPlan,
    /// What the file calls for attention without being refused, by sheet and row: the
    /// columns of a sheet that match nothing ("cột không dùng: …", at the heading row), then
    /// the latest grade of an organisation nominated or selected for a programme.
    pub notices: Vec<registry::RowError>,
    /// What was written (None for a dry run or when there were errors).
    pub written: Option<Written>,
}

/// Rows written by an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub registry: BatchOutcome,
    pub loans: usize,
    pub loan_transactions: usize,
    /// Changes of the fund's charter capital.
    pub capital: usize,
    pub activities: usize,
    pub memberships: usize,
    /// Committee appointments and ends of seats.
    pub seats: usize,
    /// Inspections and supervisions.
    pub inspections: usize,
    /// Complaints.
    pub complaints: usize,
    /// Programmes added or renamed.
    pub programmes: usize,
    /// Stages organisations reached in programmes.
    pub programme_stages: usize,
    /// Entries of the support ledger.
    pub supports: usize,
    /// Plan-target rows of the plans recorded.
    pub plan_targets: usize,
    /// Versions of yearly evaluations recorded.
    pub evaluations: usize,
    /// Reporting groups defined or replaced.
    pub reporting_groups: usize,
}

impl Written {
    /// Rows written, all sheets together.
    pub fn rows(&self) -> usize {
        let r = &self.registry;
        r.organisations
            + r.events
            + r.figures
            + self.loans
            + self.loan_transactions
            + self.activities
            + self.memberships
            + self.seats
            + self.inspections
            + self.complaints
            + self.programmes
            + self.programme_stages
            + self.supports
            + self.plan_targets
            + self.evaluations
            + self.capital
            + self.reporting_groups
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.rows() == 0
    }
}

impl ImportReport {
    /// Every problem found, all sheets together, by sheet and row.
    pub fn errors(&self) -> Vec<&registry::RowError> {
        let mut all: Vec<_> = self
            .plan
            .errors
            .iter()
            .chain(&self.fund.errors)
            .chain(&self.alliance.errors)
            .chain(&self.governance.errors)
            .chain(&self.programmes.errors)
            .chain(&self.targets.errors)
            .chain(&self.evaluations.errors)
            .chain(&self.groups.errors)
            .collect();
        all.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        all
    }
}

/// Labels of the counts an import reports: the first seven are always said, the rest only
/// when the file had such rows.
const COUNT_LABELS: [&str; 17] = [
    "tổ chức mới",
    "sự kiện",
    "dòng số liệu năm",
    "khoản vay",
    "giao dịch vay",
    "hoạt động",
    "biến động thành viên",
    "thay đổi nhân sự các Ban",
    "cuộc kiểm tra, giám sát",
    "đơn thư",
    "chương trình",
    "bước tham gia chương trình",
    "khoản hỗ trợ",
    "chỉ tiêu kế hoạch",
    "đánh giá, xếp loại",
    "thay đổi vốn điều lệ Quỹ",
    "nhóm báo cáo",
];

fn labelled(values: [usize; 17]) -> Vec<(&'static str, usize)> {
    COUNT_LABELS
        .iter()
        .zip(values)
        .enumerate()
        .filter(|(i, (_, n))| *i < 7 || *n > 0)
        .map(|(_, (label, n))| (*label, n))
        .collect()
}

impl ImportReport {
    /// Rows equal to what is stored (skipped).
    pub fn unchanged(&self) -> usize {
        self.plan.unchanged
            + self.fund.unchanged
            + self.alliance.unchanged
            + self.governance.unchanged
            + self.programmes.unchanged
            + self.targets.unchanged
            + self.evaluations.unchanged
            + self.groups.unchanged
    }

    /// What the checked file would write, by kind of record.
    pub fn planned_counts(&self) -> Vec<(&'static str, usize)> {
        let b = &self.plan.batch;
        let f = &self.fund.batch;
        let fund_txs = f.loans.iter().map(|(_, t)| t.len()).sum::<usize>() + f.transactions.len();
        labelled([
            b.organisations.len(),
            b.events.len(),
            b.figures.len(),
            f.loans.len(),
            fund_txs,
            self.alliance.activities.len(),
            self.alliance.memberships.len(),
            self.governance.seats.len(),
            self.governance.inspections.len(),
            self.governance.complaints.len(),
            self.programmes.programmes.len(),
            self.programmes.stages.len(),
            self.programmes.supports.len(),
            self.targets.targets,
            self.evaluations.evaluations.len(),
            f.capital.len(),
            self.groups.groups.len(),
        ])
    }
}

impl Written {
    /// What was written, by kind of record.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        labelled([
            self.registry.organisations,
            self.registry.events - self.registry.organisations,
            self.registry.figures,
            self.loans,
            self.loan_transactions,
            self.activities,
            self.memberships,
            self.seats,
            self.inspections,
            self.complaints,
            self.programmes,
            self.programme_stages,
            self.supports,
            self.plan_targets,
            self.evaluations,
            self.capital,
            self.reporting_groups,
        ])
    }
}

/// The organisations the file registers, by code, each with a provisional id below zero
/// (never a stored one), so that the other sheets can name them before they are written;
/// [`with_written_ids`] puts their ids in once they are.
fn planned_organisations(plan: &registry::Plan) -> HashMap<String, OrgSummary> {
    plan.batch
        .organisations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let name = o
                .established
                .payload
                .attributes
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let summary = OrgSummary {
                id: -(i as i64) - 1,
                kind: o.kind,
                reg_code: o.reg_code.clone(),
                name,
                version: 0,
            };
            (o.reg_code.clone(), summary)
        })
        .collect()
}

/// Every organisation id the rows of the file's other sheets hold: borrowers, participants
/// of activities, members, the inspected, the complained of, programme stages and support.
fn org_id_slots(report: &mut ImportReport) -> Vec<&mut i64> {
    let mut slots: Vec<&mut i64> = Vec::new();
    for b in &mut report.fund.batch.borrowers {
        match b {
            BorrowerRef::Org(id) | BorrowerRef::Member { of: id, .. } => slots.push(id),
        }
    }
    for a in &mut report.alliance.activities {
        slots.extend(a.organisations.iter_mut());
    }
    for m in &mut report.alliance.memberships {
        slots.extend(m.org_id.iter_mut());
    }
    for i in &mut report.governance.inspections {
        slots.extend(i.org_id.iter_mut());
    }
    for c in &mut report.governance.complaints {
        slots.extend(c.org_id.iter_mut());
    }
    for s in &mut report.programmes.stages {
        slots.push(&mut s.org_id);
    }
    for s in &mut report.programmes.supports {
        slots.push(&mut s.org_id);
    }
    slots
}

/// Puts the written ids in place of the provisional ones wherever a row names an
/// organisation the file registers, reading only those ids, inside the transaction that has
/// just written them.
async fn with_written_ids(
    store: &Store,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    report: &mut ImportReport,
    planned: &HashMap<String, OrgSummary>,
) -> Result<()> {
    let code_of: HashMap<i64, &str> = planned
        .values()
        .map(|o| (o.id, o.reg_code.as_str()))
        .collect();
    let mut slots = org_id_slots(report);
    let mut codes: Vec<String> = slots
        .iter()
        .filter_map(|id| code_of.get(&**id).map(|c| c.to_string()))
        .collect();
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        return Ok(());
    }
    let ids = store.org_ids_in(tx, &codes).await?;
    for slot in &mut slots {
        if let Some(code) = code_of.get(&**slot) {
            **slot = *ids
                .get(*code)
                .ok_or_else(|| crate::error::Error::NotFound(format!("tổ chức mã {code}")))?;
        }
    }
    Ok(())
}

/// Imports a file. With `dry_run`, or when any row is bad, nothing is written; otherwise every
/// part (registry, fund, the Alliance's work, governance, programmes, plans, evaluations) is
/// written in one
/// transaction.
pub async fn import_file(
    store: &Store,
    path: &Path,
    author: &str,
    today: Date,
    dry_run: bool,
) -> Result<ImportReport> {
    let started = std::time::Instant::now();
    let sheets = sheet::read(path)?;
    tracing::debug!(elapsed = ?started.elapsed(), "read");
    let plan = registry::plan(store, &sheets, today).await?;
    let (rows, _) = row::recognised_rows(&sheets)?;
    let refused = plan.refused.clone();
    let planned = Planned::new(planned_organisations(&plan), move |code| {
        registry::not_found(&refused, code)
    });
    let fund = fund::plan(store, &rows, &planned, today).await?;
    let alliance = alliance::plan(store, &rows, &planned, today).await?;
    let governance = governance::plan(store, &rows, &planned, today).await?;
    let programmes = programmes::plan(store, &rows, &planned, today).await?;
    let targets = targets::plan(store, &rows).await?;
    let evaluations = evaluations::plan(store, &rows, &plan, today).await?;
    let groups = reporting_groups::plan(store, &rows).await?;
    let mut notices = row::unused_columns(&sheets);
    notices.extend(programmes::grade_notices(store, &programmes, &evaluations).await?);
    let mut report = ImportReport {
        plan,
        fund,
        alliance,
        governance,
        programmes,
        targets,
        evaluations,
        groups,
        notices,
        written: None,
    };
    tracing::debug!(elapsed = ?started.elapsed(), errors = report.errors().len(), "checked");
    if dry_run || !report.errors().is_empty() {
        return Ok(report);
    }
    let mut written = Written::default();
    let registry_batch = &report.plan.batch;
    let registry_empty = registry_batch.organisations.is_empty()
        && registry_batch.events.is_empty()
        && registry_batch.figures.is_empty();
    if !registry_empty
        || !report.fund.batch.is_empty()
        || !report.alliance.is_empty()
        || !report.governance.is_empty()
        || !report.programmes.is_empty()
        || !report.targets.is_empty()
        || !report.evaluations.is_empty()
        || !report.groups.is_empty()
    {
        let mut tx = store.begin().await?;
        let action = format!("import {}", path.display());
        if !registry_empty {
            written.registry = store
                .apply_registry_batch_in(&mut tx, registry_batch, author, &action)
                .await?;
        }
        // Rows of the other sheets may name organisations the file has just registered:
        // their provisional ids become the written ones.
        if !registry_empty {
            with_written_ids(store, &mut tx, &mut report, &planned.organisations).await?;
        }
        if !report.fund.batch.is_empty() {
            let batch = &report.fund.batch;
            (written.loans, written.loan_transactions) = store
                .apply_fund_batch_in(&mut tx, batch, author, today)
                .await?;
            written.capital = batch.capital.len();
        }
        if !report.alliance.is_empty() {
            (written.activities, written.memberships) = store
                .apply_alliance_in(
                    &mut tx,
                    &report.alliance.activities,
                    &report.alliance.memberships,
                    author,
                )
                .await?;
        }
        if !report.governance.is_empty() {
            (written.seats, written.inspections, written.complaints) = store
                .apply_governance_in(
                    &mut tx,
                    &report.governance.seats,
                    &report.governance.inspections,
                    &report.governance.complaints,
                    author,
                )
                .await?;
        }
        if !report.programmes.is_empty() {
            (
                written.programmes,
                written.programme_stages,
                written.supports,
            ) = store
                .apply_programmes_in(
                    &mut tx,
                    &report.programmes.programmes,
                    &report.programmes.stages,
                    &report.programmes.supports,
                    author,
                )
                .await?;
        }
        if !report.targets.is_empty() {
            store
                .apply_plans_in(&mut tx, &report.targets.plans, author)
                .await?;
            written.plan_targets = report.targets.targets;
        }
        if !report.evaluations.is_empty() {
            written.evaluations =
                evaluations::apply_in(store, &mut tx, &report.evaluations, author).await?;
        }
        for group in &report.groups.groups {
            store
                .save_reporting_group_in(&mut tx, group, author)
                .await?;
        }
        written.reporting_groups = report.groups.groups.len();
        tx.commit().await?;
        // A bulk load changes what the planner should choose; a few rows do not, and
        // analysing a national database after each of them would cost seconds.
        if written.rows() >= crate::store::batch::BULK_ROWS {
            store.refresh_statistics().await?;
        }
    }
    tracing::debug!(elapsed = ?started.elapsed(), "written");
    report.written = Some(written);
    Ok(report)
}
