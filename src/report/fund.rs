//! The fund section of a report: every loan's state replayed at the report's dates.

use crate::domain::fund::{self, AgeingBuckets, LoanState, LoanStatus, TxKind};
use crate::domain::period::Period;
use crate::domain::report::{AgeingRow, FundFigures, FundPosition};
use crate::domain::text;
use crate::error::Result;
use crate::store::Store;
use std::collections::{BTreeSet, HashMap};

/// Days past due from which a loan's outstanding is bad debt (debt groups 3–5).
pub const BAD_DEBT_DAYS: i64 = 90;

/// Computes the fund section; `keep_borrower` restricts to an area. None without loans.
pub async fn build(
    store: &Store,
    period: &Period,
    keep_borrower: impl Fn(i64) -> bool,
) -> Result<Option<FundFigures>> {
    let loans: Vec<_> = store
        .loans()
        .await?
        .into_iter()
        .filter(|l| keep_borrower(l.borrower_id))
        .collect();
    if loans.is_empty() {
        return Ok(None);
    }
    let txs = store.all_loan_txs().await?;
    let borrowers = store.borrowers().await?;
    let empty = Vec::new();
    let buckets = AgeingBuckets::default();
    let mut f = FundFigures {
        charter_capital: store.fund_capital_at(period.end).await?,
        borrower_word: if borrowers
            .values()
            .all(|b| b.org_id.is_some() && b.org_kind.as_deref() != Some("THT"))
        {
            "HTX".into()
        } else {
            "khách hàng".into()
        },
        ageing: buckets
            .labels()
            .into_iter()
            .map(|label| AgeingRow {
                label,
                loans: 0,
                outstanding: 0,
            })
            .collect(),
        ..FundFigures::default()
    };
    let mut sets: HashMap<String, BTreeSet<i64>> = HashMap::new();
    let mut end_states: Vec<LoanState> = Vec::new();
    for record in &loans {
        let history = txs.get(&record.id).unwrap_or(&empty);
        let reversed: BTreeSet<i64> = history.iter().filter_map(|t| t.reverses).collect();
        for t in history
            .iter()
            .filter(|t| !reversed.contains(&t.id) && t.kind != TxKind::Reversal)
        {
            if !period.contains(t.value_date) {
                continue;
            }
            let (flow, key) = match t.kind {
                TxKind::Disbursement => (&mut f.disbursed, "disbursed"),
                TxKind::PrincipalRepayment => (&mut f.repaid, "repaid"),
                TxKind::Extension => (&mut f.extended, "extended"),
                TxKind::InterestPayment => {
                    f.interest_collected += t.amount;
                    continue;
                }
                _ => continue,
            };
            flow.amount += if t.kind == TxKind::Extension {
                // The principal extended: what was outstanding just before the extension.
                let before = t.value_date.previous_day().unwrap_or(t.value_date);
                fund::state_at(&record.loan, history, before).outstanding
            } else {
                t.amount
            };
            if sets
                .entry(key.to_string())
                .or_default()
                .insert(record.borrower_id)
            {
                flow.borrowers += 1;
            }
            if sets
                .entry(format!("{key}-loans"))
                .or_default()
                .insert(record.id)
            {
                flow.loans += 1;
            }
        }
        let end = fund::state_at(&record.loan, history, period.end);
        let base = fund::state_at(&record.loan, history, period.end_of_previous_year());
        position(
            &mut f.outstanding,
            &end,
            record.borrower_id,
            &mut sets,
            "end",
        );
        position(
            &mut f.outstanding_baseline,
            &base,
            record.borrower_id,
            &mut sets,
            "base",
        );
        if end.outstanding > 0 {
            if end.overdue_principal > 0 {
                f.overdue.amount += end.overdue_principal;
                f.overdue.loans += 1;
            }
            if end.days_past_due > BAD_DEBT_DAYS {
                f.bad_debt.amount += end.outstanding;
                f.bad_debt.loans += 1;
            }
            let row = &mut f.ageing[buckets.bucket_of(end.days_past_due)];
            row.loans += 1;
            row.outstanding += end.outstanding;
        }
        end_states.push(end);
    }
    let ratio =
        |part: i64| text::percent_tenths(part, f.outstanding.amount).map(|t| t as f64 / 10.0);
    f.overdue.ratio_pct = ratio(f.overdue.amount);
    f.bad_debt.ratio_pct = ratio(f.bad_debt.amount);
    debug_assert!(
        end_states
            .iter()
            .all(|s| s.status != LoanStatus::Repaid || s.outstanding == 0)
    );
    Ok(Some(f))
}

fn position(
    p: &mut FundPosition,
    state: &LoanState,
    borrower: i64,
    sets: &mut HashMap<String, BTreeSet<i64>>,
    key: &str,
) {
    if state.outstanding <= 0 {
        return;
    }
    p.amount += state.outstanding;
    p.loans += 1;
    if sets.entry(key.to_string()).or_default().insert(borrower) {
        p.borrowers += 1;
    }
}

/// One loan in the portfolio on a date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PortfolioLine {
    pub contract_no: String,
    pub borrower: String,
    pub state: LoanState,
    /// Index into [`Portfolio::ageing`].
    pub bucket: usize,
}

/// The loan book on a date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Portfolio {
    #[serde(with = "crate::domain::iso_date")]
    pub on: time::Date,
    pub lines: Vec<PortfolioLine>,
    pub outstanding: i64,
    pub borrowers: i64,
    pub overdue_principal: i64,
    pub ageing: Vec<AgeingRow>,
    /// Portfolio at risk over 30 days, in per cent with one decimal.
    pub par30_pct: Option<f64>,
    /// Loans maturing within the look-ahead window, by contract number.
    pub maturing: Vec<String>,
}

/// Every loan's state on `on`, with totals, ageing, PAR30 and loans maturing within
/// `maturing_days`.
pub async fn portfolio(store: &Store, on: time::Date, maturing_days: i64) -> Result<Portfolio> {
    let loans = store.loans().await?;
    let txs = store.all_loan_txs().await?;
    let borrowers = store.borrowers().await?;
    let buckets = AgeingBuckets::default();
    let empty = Vec::new();
    let mut p = Portfolio {
        on,
        lines: Vec::new(),
        outstanding: 0,
        borrowers: 0,
        overdue_principal: 0,
        ageing: buckets
            .labels()
            .into_iter()
            .map(|label| AgeingRow {
                label,
                loans: 0,
                outstanding: 0,
            })
            .collect(),
        par30_pct: None,
        maturing: Vec::new(),
    };
    let mut with_debt = BTreeSet::new();
    for record in &loans {
        let state = fund::state_at(&record.loan, txs.get(&record.id).unwrap_or(&empty), on);
        let bucket = buckets.bucket_of(state.days_past_due);
        if state.outstanding > 0 {
            p.outstanding += state.outstanding;
            p.overdue_principal += state.overdue_principal;
            p.ageing[bucket].loans += 1;
            p.ageing[bucket].outstanding += state.outstanding;
            with_debt.insert(record.borrower_id);
            if state.maturity >= on && (state.maturity - on).whole_days() <= maturing_days {
                p.maturing.push(record.contract_no.clone());
            }
        }
        p.lines.push(PortfolioLine {
            contract_no: record.contract_no.clone(),
            borrower: borrowers
                .get(&record.borrower_id)
                .map(|b| b.name.clone())
                .unwrap_or_default(),
            state,
            bucket,
        });
    }
    p.borrowers = with_debt.len() as i64;
    let states: Vec<LoanState> = p.lines.iter().map(|l| l.state.clone()).collect();
    p.par30_pct = fund::par_tenths(&states, 30).map(|t| t as f64 / 10.0);
    Ok(p)
}
