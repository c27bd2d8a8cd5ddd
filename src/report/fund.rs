//! The fund section of a report: every loan's state replayed at the report's dates.

use crate::domain::fund::{self, AgeingBuckets, LoanState, TxKind};
use crate::domain::period::Period;
use crate::domain::report::{
    AgeingRow, BorrowerKind, BorrowerKindFigures, CapitalOnDay, FundFigures, FundFlow,
    FundPosition, FundRisk,
};
use crate::domain::text;
use crate::error::Result;
use crate::store::Store;
use crate::store::fund::PortfolioSummary;
use std::collections::{BTreeSet, HashMap};

/// Computes the fund section from the position projection and the transactions of the
/// period; `keep_borrower` restricts to an area (None: the whole book). None without loans.
pub async fn build(
    store: &Store,
    period: &Period,
    keep_borrower: Option<&(dyn Fn(i64) -> bool + Sync)>,
) -> Result<Option<FundFigures>> {
    if !store.has_loans().await? {
        return Ok(None);
    }
    let buckets = store.deployment().await?.ageing();
    let end = summary(store, period.end, keep_borrower, &buckets).await?;
    let base = summary(
        store,
        period.end_of_previous_year(),
        keep_borrower,
        &buckets,
    )
    .await?;
    let keep = |b: i64| keep_borrower.is_none_or(|k| k(b));
    let borrowers = store.borrowers().await?;
    // The first day's changes are the capital the fund was founded with.
    let movements = store.fund_capital_movements().await?;
    let founding = movements
        .first()
        .map(|(day, _)| *day)
        .filter(|day| *day <= period.end)
        .map(|day| CapitalOnDay {
            date: day,
            amount: movements
                .iter()
                .filter(|(d, _)| *d == day)
                .map(|(_, a)| a)
                .sum(),
        });
    let mut f = FundFigures {
        charter_capital: store.fund_capital_at(period.end).await?,
        charter_capital_at_founding: founding,
        borrower_word: if borrowers
            .values()
            .all(|b| b.org_id.is_some() && b.org_kind.as_deref() != Some("THT"))
        {
            "HTX".into()
        } else {
            "khách hàng".into()
        },
        outstanding: FundPosition {
            amount: end.outstanding,
            borrowers: end.borrowers,
            loans: end.loans,
        },
        outstanding_baseline: FundPosition {
            amount: base.outstanding,
            borrowers: base.borrowers,
            loans: base.loans,
        },
        outstanding_change: end.outstanding - base.outstanding,
        ageing: buckets
            .labels()
            .into_iter()
            .zip(&end.ageing)
            .map(|(label, (loans, outstanding))| AgeingRow {
                label,
                loans: *loans,
                outstanding: *outstanding,
            })
            .collect(),
        ..FundFigures::default()
    };
    let ratio = |part: i64| text::percent_tenths(part, end.outstanding).map(|t| t as f64 / 10.0);
    f.overdue = FundRisk {
        amount: end.overdue_principal,
        loans: end.overdue_loans,
        ratio_pct: ratio(end.overdue_principal),
    };
    f.bad_debt = FundRisk {
        amount: end.over_90.1,
        loans: end.over_90.0,
        ratio_pct: ratio(end.over_90.1),
    };
    let mut seen: HashMap<TxKind, BTreeSet<i64>> = HashMap::new();
    let flows = store.fund_flows(period.start, period.end).await?;
    for row in &flows {
        if !keep(row.borrower_id) {
            continue;
        }
        let flow = match row.kind {
            TxKind::Disbursement => &mut f.disbursed,
            TxKind::PrincipalRepayment => &mut f.repaid,
            TxKind::InterestPayment => {
                f.interest_collected += row.amount;
                continue;
            }
            _ => continue,
        };
        flow.amount += row.amount;
        flow.loans += row.loans;
        if seen.entry(row.kind).or_default().insert(row.borrower_id) {
            flow.borrowers += 1;
        }
    }
    let mut extended = BTreeSet::new();
    let extensions = store.fund_extensions(period.start, period.end).await?;
    for (_, borrower, amount) in &extensions {
        if !keep(*borrower) {
            continue;
        }
        f.extended.amount += amount;
        f.extended.loans += 1;
        if extended.insert(*borrower) {
            f.extended.borrowers += 1;
        }
    }
    let kind_of: HashMap<i64, BorrowerKind> = borrowers
        .values()
        .map(|b| {
            let kind = BorrowerKind::of(b.org_kind.as_deref(), b.org_id.is_none());
            (b.id, kind)
        })
        .collect();
    let positions = store.position_rows(period.end).await?;
    f.by_borrower_kind = BorrowerKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind = |b: i64| keep(b) && kind_of.get(&b) == Some(&kind);
            let end = PortfolioSummary::of_rows(
                positions.iter().filter(|r| of_kind(r.borrower_id)),
                &buckets,
            );
            let mut disbursed = FundFlow::default();
            let mut seen = BTreeSet::new();
            for row in flows.iter().filter(|r| r.kind == TxKind::Disbursement) {
                if of_kind(row.borrower_id) {
                    disbursed.amount += row.amount;
                    disbursed.loans += row.loans;
                    if seen.insert(row.borrower_id) {
                        disbursed.borrowers += 1;
                    }
                }
            }
            let mut extended = FundFlow::default();
            let mut seen = BTreeSet::new();
            for (_, borrower, amount) in &extensions {
                if of_kind(*borrower) {
                    extended.amount += amount;
                    extended.loans += 1;
                    if seen.insert(*borrower) {
                        extended.borrowers += 1;
                    }
                }
            }
            BorrowerKindFigures {
                kind,
                label: kind.label(),
                disbursed,
                extended,
                outstanding: FundPosition {
                    amount: end.outstanding,
                    borrowers: end.borrowers,
                    loans: end.loans,
                },
                overdue: FundRisk {
                    amount: end.overdue_principal,
                    loans: end.overdue_loans,
                    ratio_pct: text::percent_tenths(end.overdue_principal, end.outstanding)
                        .map(|t| t as f64 / 10.0),
                },
            }
        })
        .collect();
    Ok(Some(f))
}

/// The book on a date, summed by the database, or by rows when restricted to some borrowers.
async fn summary(
    store: &Store,
    on: time::Date,
    keep_borrower: Option<&(dyn Fn(i64) -> bool + Sync)>,
    buckets: &AgeingBuckets,
) -> Result<PortfolioSummary> {
    match keep_borrower {
        None => store.portfolio_summary(on, buckets).await,
        Some(keep) => {
            let rows = store.position_rows(on).await?;
            Ok(PortfolioSummary::of_rows(
                rows.iter().filter(|r| keep(r.borrower_id)),
                buckets,
            ))
        }
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
    let buckets = store.deployment().await?.ageing();
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
