//! A deterministic national-scale synthetic registry for benchmarks: organisations spread
//! over every commune of Vietnam, with lifecycles that respect the rules and cross the 2025
//! reform. Written in chunks, each chunk one transaction.

use crate::demo::rng::Rng;
use crate::domain::geo::{Era, Level, REFORM_DATE, geo};
use crate::domain::registry::{
    Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind, Status,
};
use crate::domain::sector::BUILT_IN;
use crate::error::Result;
use crate::store::Store;
use crate::store::fund::CapitalChange;
use crate::store::registry::{NewOrganisation, RegistryBatch};
use time::{Date, Duration, macros::date};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenSpec {
    pub organisations: usize,
    /// Average events per organisation (including establishment), at least 1.
    pub events_per_org: usize,
    pub seed: u64,
    /// Organisations per transaction.
    pub chunk: usize,
}

/// Totals written.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenTotals {
    pub organisations: usize,
    pub events: usize,
}

/// Generates and writes the registry, calling `progress` after each chunk.
pub async fn generate(
    store: &Store,
    spec: GenSpec,
    mut progress: impl FnMut(GenTotals),
) -> Result<GenTotals> {
    let g = geo();
    let communes: Vec<String> = g
        .units_of(Era::Old, Level::Commune)
        .into_iter()
        .map(|u| u.id.clone())
        .collect();
    let mut rng = Rng::new(spec.seed);
    let mut totals = GenTotals::default();
    let today = date!(2026 - 10 - 31);
    let mut next = 0usize;
    while next < spec.organisations {
        let n = spec.chunk.min(spec.organisations - next);
        let mut batch = RegistryBatch::default();
        for k in 0..n {
            let serial = next + k;
            let (org, events) = one_org(&mut rng, &communes, serial, spec.events_per_org, today);
            totals.events += 1 + events.len();
            let code = org.reg_code.clone();
            batch.organisations.push(org);
            batch
                .events
                .extend(events.into_iter().map(|e| (code.clone(), e)));
        }
        store.apply_batch(&batch, "gen", "gen").await?;
        next += n;
        totals.organisations = next;
        progress(totals);
    }
    store.refresh_statistics().await?;
    Ok(totals)
}

fn one_org(
    rng: &mut Rng,
    communes: &[String],
    serial: usize,
    events_per_org: usize,
    today: Date,
) -> (NewOrganisation, Vec<Event>) {
    let g = geo();
    let kind = match rng.range(0, 99) {
        0..=64 => OrgKind::Htx,
        65..=94 => OrgKind::Tht,
        95..=98 => OrgKind::Qtdnd,
        _ => OrgKind::Lhhtx,
    };
    let sector = if kind == OrgKind::Qtdnd {
        "credit"
    } else {
        let i = if rng.chance(65) {
            rng.range(0, 1)
        } else {
            rng.range(0, 11)
        };
        BUILT_IN[i as usize].0
    };
    let established = rng.date(date!(1997 - 01 - 01), date!(2026 - 06 - 30));
    let old_commune = rng.pick(communes).clone();
    let commune_on = |d: Date, c: &str| -> String {
        if d >= REFORM_DATE {
            g.successor(c)
                .map(|s| s.id.clone())
                .unwrap_or_else(|| c.to_string())
        } else {
            c.to_string()
        }
    };
    let attributes = Attributes {
        name: format!("{} tổng hợp số {serial}", kind.name_vi()),
        address: String::new(),
        commune: commune_on(established, &old_commune),
        sector: sector.to_string(),
        registering_body: String::new(),
        law: if established >= date!(2024 - 07 - 01) {
            2023
        } else {
            2012
        },
        flags: ModelFlags::default(),
        representative: String::new(),
    };
    let org = NewOrganisation {
        kind,
        reg_code: format!("G{serial:09}"),
        established: Event {
            id: 0,
            kind: EventKind::Established,
            effective: established,
            payload: EventPayload {
                attributes: Some(attributes),
                ..EventPayload::default()
            },
        },
    };
    // Further events: a walk through statuses the rules allow, dates strictly increasing.
    let extra = if events_per_org > 1 {
        rng.range(0, 2 * (events_per_org as i64 - 1)) as usize
    } else {
        0
    };
    let mut events = Vec::with_capacity(extra);
    let mut status = Status::Active;
    let mut day = established;
    for i in 0..extra {
        let room = (today - day).whole_days();
        if room < 2 {
            break;
        }
        day += Duration::days(rng.range(1, (room / (extra - i + 1) as i64).max(1)));
        let last = i + 1 == extra;
        let kind = match status {
            Status::Active if last && rng.chance(40) => EventKind::Dissolved,
            Status::Active => *rng.pick(&[
                EventKind::Changed,
                EventKind::Changed,
                EventKind::Suspended,
                EventKind::Ceased,
            ]),
            Status::Suspended | Status::Ceased => {
                *rng.pick(&[EventKind::Resumed, EventKind::Changed])
            }
            _ => break,
        };
        let mut payload = EventPayload::default();
        if kind == EventKind::Changed {
            if rng.chance(50) {
                payload.changes.name = Some(format!("{} đổi tên {serial}-{i}", kind.name_vi()));
            } else {
                payload.changes.commune = Some(commune_on(day, rng.pick(communes).as_str()));
            }
        }
        status = match kind {
            EventKind::Suspended => Status::Suspended,
            EventKind::Ceased => Status::Ceased,
            EventKind::Resumed => Status::Active,
            EventKind::Dissolved => Status::Dissolved,
            _ => status,
        };
        events.push(Event {
            id: 0,
            kind,
            effective: day,
            payload,
        });
    }
    (org, events)
}

/// Writes an import workbook ("Tổ chức" sheet) of `n` synthetic organisations, for timing
/// imports of large files.
pub fn import_workbook(n: usize, seed: u64) -> Result<Vec<u8>> {
    use crate::import::columns::{ORGANISATIONS, SheetKind};
    let err = |e: rust_xlsxwriter::XlsxError| crate::Error::Render(e.to_string());
    let g = geo();
    let communes: Vec<&crate::domain::geo::Unit> = g.units_of(Era::Old, Level::Commune);
    let mut rng = Rng::new(seed);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book
        .add_worksheet()
        .set_name(SheetKind::Organisations.name())
        .map_err(err)?;
    for (c, col) in ORGANISATIONS.iter().take(6).enumerate() {
        sheet.write(0, c as u16, col.heading).map_err(err)?;
    }
    for i in 0..n {
        let row = i as u32 + 1;
        let kind = *rng.pick(&["HTX", "HTX", "THT", "QTDND"]);
        let sector = if kind == "QTDND" {
            "credit"
        } else {
            BUILT_IN[rng.range(0, 11) as usize].0
        };
        let date = rng.date(date!(1997 - 01 - 01), date!(2025 - 06 - 30));
        sheet.write(row, 0, format!("X{i:08}")).map_err(err)?;
        sheet.write(row, 1, kind).map_err(err)?;
        sheet
            .write(row, 2, format!("Tổ chức thử nghiệm số {i}"))
            .map_err(err)?;
        sheet
            .write(row, 3, crate::domain::text::date(date))
            .map_err(err)?;
        sheet
            .write(row, 4, rng.pick(&communes).code.as_str())
            .map_err(err)?;
        sheet.write(row, 5, sector).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// What loans to generate.
#[derive(Debug, Clone, Copy)]
pub struct LoanSpec {
    pub loans: usize,
    /// Transactions per loan: one disbursement, then principal and interest on monthly due dates.
    pub tx_per_loan: usize,
    pub seed: u64,
    pub chunk: usize,
}

/// Generates a synthetic loan book over the organisations already in the store.
pub async fn generate_loans(
    store: &Store,
    spec: LoanSpec,
    mut progress: impl FnMut(usize),
) -> Result<(usize, usize)> {
    use crate::domain::fund::{LoanTerms, LoanTx, RepaymentMethod, TxKind, state_at};
    use crate::store::fund::{FundBatch, NewLoan, loan_of};
    let orgs: Vec<i64> = store.org_ids().await?;
    if orgs.is_empty() {
        return Err(crate::Error::NotFound(
            "tổ chức nào để cho vay (chạy htx gen --organisations trước)".into(),
        ));
    }
    store
        .add_fund_capital(
            &CapitalChange {
                date: date!(2010 - 01 - 01),
                amount: 500_000_000_000_000,
                source: "Vốn điều lệ (dữ liệu thử)".into(),
                reference: "".into(),
            },
            "gen",
        )
        .await?;
    let mut rng = Rng::new(spec.seed);
    let months = (spec.tx_per_loan.saturating_sub(1) / 2).max(1) as u32;
    let (mut loans, mut txs) = (0, 0);
    let mut next = 0;
    while next < spec.loans {
        let n = spec.chunk.min(spec.loans - next);
        let mut batch = FundBatch {
            valid_by_construction: true,
            ..FundBatch::default()
        };
        for k in 0..n {
            let serial = next + k;
            let borrower = store
                .borrower_for_org(orgs[serial % orgs.len()], "")
                .await?;
            let start = rng.date(date!(2016 - 01 - 01), date!(2025 - 06 - 30));
            let amount = rng.range(10, 200) * 10_000_000 * i64::from(months);
            let new = NewLoan {
                contract_no: format!("G{serial:08}"),
                borrower_id: borrower,
                purpose: "Vốn lưu động".into(),
                decision_no: format!("{serial}/QĐ"),
                decision_date: start,
                contract_date: start,
                terms: LoanTerms {
                    approved_amount: amount,
                    annual_rate_bp: 660,
                    overdue_rate_bp: 990,
                    term_months: months,
                    repayment_every_months: 1,
                    method: RepaymentMethod::EqualPrincipal,
                    first_due: None,
                },
                schedule: None,
                collateral: String::new(),
                project_cost: amount * 2,
                own_capital: amount,
            };
            let loan = loan_of(&new);
            let mut history = vec![LoanTx::new(1, TxKind::Disbursement, start, amount)];
            // A few borrowers stop paying half-way: the book has arrears of every age.
            let stops = rng.chance(8).then_some(loan.schedule.len() / 2);
            for (i, instalment) in loan.schedule.iter().enumerate() {
                if stops.is_some_and(|s| i >= s) || instalment.due > date!(2026 - 10 - 31) {
                    break;
                }
                let state = state_at(&loan, &history, instalment.due);
                let id = history.len() as i64 + 1;
                history.push(LoanTx::new(
                    id,
                    TxKind::InterestPayment,
                    instalment.due,
                    state.interest_payable,
                ));
                history.push(LoanTx::new(
                    id + 1,
                    TxKind::PrincipalRepayment,
                    instalment.due,
                    instalment.principal.min(state.outstanding),
                ));
            }
            txs += history.len();
            batch.loans.push((new, history));
        }
        loans += store
            .apply_fund_batch(&batch, "gen", date!(2026 - 11 - 01))
            .await?
            .0;
        next += n;
        progress(next);
    }
    store.refresh_statistics().await?;
    Ok((loans, txs))
}
