//! Turns loan, schedule and loan-transaction sheets into a checked fund batch, to the same
//! standard as the registry: every bad row named, nothing written unless all are good, rows
//! already in the book skipped.

use crate::domain::fund::{self, Instalment, LoanTerms, LoanTx, RepaymentMethod, TxKind};
use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use crate::store::fund::{BorrowerRef, FundBatch, NewLoan, loan_of, tx_from};
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// What the fund sheets of a file would change, and what is wrong with them.
#[derive(Debug, Default)]
pub struct FundPlan {
    pub batch: FundBatch,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

/// Reads a percentage such as "6,6", "6.6" or "6,60%" into basis points.
fn basis_points(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let v: f64 = s.parse().ok()?;
    (v.is_finite() && (0.0..100.0).contains(&v)).then(|| (v * 100.0).round() as i64)
}

fn method(s: &str) -> Option<RepaymentMethod> {
    match text::fold(s).as_str() {
        "tra goc deu" | "equal_principal" | "equal principal" => {
            Some(RepaymentMethod::EqualPrincipal)
        }
        "tra gop deu" | "annuity" => Some(RepaymentMethod::Annuity),
        "theo lich" | "theo thoa thuan" | "custom" => Some(RepaymentMethod::Custom),
        _ => None,
    }
}

/// Checks the fund rows of a file against the rules and the loan book.
pub async fn plan(store: &Store, rows: &[Row<'_>], today: Date) -> Result<FundPlan> {
    let mut plan = FundPlan::default();
    let loan_rows: Vec<&Row<'_>> = rows.iter().filter(|r| r.kind == SheetKind::Loans).collect();
    let schedule_rows: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::Schedules)
        .collect();
    let tx_rows: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::LoanTransactions)
        .collect();
    if loan_rows.is_empty() && schedule_rows.is_empty() && tx_rows.is_empty() {
        return Ok(plan);
    }
    let existing: HashMap<String, _> = store
        .loans()
        .await?
        .into_iter()
        .map(|l| (l.contract_no.clone(), l))
        .collect();
    let mut histories = store.all_loan_txs().await?;

    // Agreed schedules, by contract.
    let mut schedules: BTreeMap<String, Vec<Instalment>> = BTreeMap::new();
    for row in &schedule_rows {
        let mut errors = Vec::new();
        let contract = row.required(Col::Contract, &mut errors);
        let due = row.date(Col::Due, &mut errors);
        let principal = row.number(Col::Principal, &mut errors);
        if principal.is_none() && row.get(Col::Principal).is_none() {
            errors.push(row.error(Col::Principal, "bắt buộc, đang để trống"));
        }
        let interest = row.number(Col::Interest, &mut errors).unwrap_or(0);
        match (contract, due, principal, errors.is_empty()) {
            (Some(c), Some(due), Some(principal), true) if principal >= 0 => {
                schedules.entry(c).or_default().push(Instalment {
                    due,
                    principal,
                    interest,
                })
            }
            (_, _, Some(p), true) if p < 0 => {
                plan.errors.push(row.error(Col::Principal, "không được âm"))
            }
            _ => plan.errors.extend(errors),
        }
    }
    for s in schedules.values_mut() {
        s.sort_by_key(|i| i.due);
    }

    // New loan contracts.
    let mut new_index: HashMap<String, usize> = HashMap::new();
    for row in &loan_rows {
        let mut errors = Vec::new();
        let contract = row.required(Col::Contract, &mut errors);
        let borrower_code = row.required(Col::Borrower, &mut errors);
        let amount = row.number(Col::Amount, &mut errors);
        if row.get(Col::Amount).is_none() {
            errors.push(row.error(Col::Amount, "bắt buộc, đang để trống"));
        }
        let rate = row.required(Col::Rate, &mut errors).and_then(|r| {
            basis_points(&r).or_else(|| {
                errors.push(row.error(
                    Col::Rate,
                    format!("\"{r}\" không phải lãi suất (%/năm), ví dụ 6,6"),
                ));
                None
            })
        });
        let overdue_rate = row.get(Col::OverdueRate).and_then(|r| {
            basis_points(r).or_else(|| {
                errors.push(row.error(
                    Col::OverdueRate,
                    format!("\"{r}\" không phải lãi suất (%/năm)"),
                ));
                None
            })
        });
        let term = row.number(Col::Term, &mut errors);
        if row.get(Col::Term).is_none() {
            errors.push(row.error(Col::Term, "bắt buộc, đang để trống"));
        }
        let every = row.number(Col::Every, &mut errors).unwrap_or(6);
        let method = match row.get(Col::Method) {
            None => Some(RepaymentMethod::EqualPrincipal),
            Some(m) => method(m).or_else(|| {
                errors.push(row.error(
                    Col::Method,
                    format!("\"{m}\" không phải trả gốc đều, trả góp đều hoặc theo lịch"),
                ));
                None
            }),
        };
        let contract_date = row.date(Col::ContractDate, &mut errors);
        let decision_no = row.required(Col::DecisionNo, &mut errors);
        let decision_date = row.date(Col::DecisionDate, &mut errors);
        let purpose = row.required(Col::Purpose, &mut errors);
        let project_cost = row.number(Col::ProjectCost, &mut errors).unwrap_or(0);
        let own_capital = row.number(Col::OwnCapital, &mut errors).unwrap_or(0);
        let org = match &borrower_code {
            Some(code) => match store.org_by_code(code).await? {
                Some(o) => Some(o),
                None => {
                    errors.push(row.error(
                        Col::Borrower,
                        format!("không có tổ chức mã số {code} trong sổ (nhập tổ chức trước)"),
                    ));
                    None
                }
            },
            None => None,
        };
        let (
            Some(contract),
            Some(org),
            Some(amount),
            Some(rate),
            Some(term),
            Some(method),
            Some(contract_date),
            Some(decision_no),
            Some(decision_date),
            Some(purpose),
            true,
        ) = (
            contract,
            org,
            amount,
            rate,
            term,
            method,
            contract_date,
            decision_no,
            decision_date,
            purpose,
            errors.is_empty(),
        )
        else {
            plan.errors.extend(errors);
            continue;
        };
        let overdue_rate = overdue_rate.unwrap_or(rate * 3 / 2);
        if amount <= 0 {
            errors.push(row.error(Col::Amount, "phải lớn hơn 0"));
        }
        if overdue_rate > rate * 3 / 2 {
            errors.push(row.error(
                Col::OverdueRate,
                "lãi suất quá hạn không được vượt 150% lãi suất trong hạn",
            ));
        }
        if !(1..=120).contains(&term) {
            errors.push(row.error(Col::Term, format!("{term} tháng không hợp lệ")));
        }
        if ![1, 3, 6, 12].contains(&every) {
            errors.push(row.error(Col::Every, "kỳ trả nợ phải là 1, 3, 6 hoặc 12 tháng"));
        }
        if contract_date > today {
            errors.push(row.error(
                Col::ContractDate,
                format!("ngày {} ở tương lai", text::date(contract_date)),
            ));
        }
        if new_index.contains_key(&contract) {
            errors.push(row.error(
                Col::Contract,
                format!("hợp đồng {contract} xuất hiện hai lần trong tệp"),
            ));
        }
        let schedule = schedules.remove(&contract);
        if method == RepaymentMethod::Custom && schedule.is_none() {
            errors.push(row.error(
                Col::Method,
                format!(
                    "trả theo lịch: thiếu lịch của hợp đồng {contract} ở sheet \"Lịch trả nợ\""
                ),
            ));
        }
        if let Some(s) = &schedule
            && s.iter().map(|i| i.principal).sum::<i64>() != amount
        {
            errors.push(row.error(
                Col::Amount,
                format!(
                    "tổng nợ gốc của lịch trả nợ khác số tiền duyệt {}",
                    text::money(amount)
                ),
            ));
        }
        if !errors.is_empty() {
            plan.errors.extend(errors);
            continue;
        }
        let new = NewLoan {
            contract_no: contract.clone(),
            borrower_id: 0,
            purpose,
            decision_no,
            decision_date,
            contract_date,
            terms: LoanTerms {
                approved_amount: amount,
                annual_rate_bp: rate,
                overdue_rate_bp: overdue_rate,
                term_months: term as u32,
                repayment_every_months: every as u32,
                method,
                first_due: None,
            },
            schedule,
            collateral: row
                .get(Col::Collateral)
                .map(text::clean)
                .unwrap_or_default(),
            project_cost,
            own_capital,
        };
        if let Err(e) = new.check_lengths() {
            for p in e.problems() {
                plan.errors
                    .push(row.field_error(&p.field, p.reason.clone()));
            }
            continue;
        }
        let borrower = match row.get(Col::MemberName) {
            Some(name) => BorrowerRef::Member {
                name: text::clean(name),
                id: row.get(Col::MemberId).map(text::clean).unwrap_or_default(),
                of: org.id,
            },
            None => BorrowerRef::Org(org.id),
        };
        if let Some(old) = existing.get(&contract) {
            let same = old.loan == loan_of(&new)
                && old.purpose == new.purpose
                && old.decision_no == new.decision_no;
            if same {
                plan.unchanged += 1;
            } else {
                plan.errors.push(row.error(
                    Col::Contract,
                    format!("hợp đồng {contract} đã có trong sổ với thông tin khác"),
                ));
            }
            continue;
        }
        new_index.insert(contract, plan.batch.loans.len());
        plan.batch.loans.push((new, Vec::new()));
        plan.batch.borrowers.push(borrower);
    }
    // Schedules left over belong to no loan of the file; those of loans already in the book
    // were recorded with them.
    for (contract, _) in schedules {
        if existing.contains_key(&contract) {
            continue;
        }
        if let Some(row) = schedule_rows
            .iter()
            .find(|r| r.get(Col::Contract).map(text::clean).as_deref() == Some(&contract))
        {
            plan.errors.push(row.error(
                Col::Contract,
                format!("không có hợp đồng {contract} ở sheet \"Khoản vay\""),
            ));
        }
    }

    // Transactions, in value-date order so that a file may list them in any order.
    let mut parsed: Vec<(&Row<'_>, String, LoanTx)> = Vec::new();
    for row in &tx_rows {
        let mut errors = Vec::new();
        let contract = row.required(Col::Contract, &mut errors);
        let kind = row.required(Col::Kind, &mut errors).and_then(|k| {
            tx_from(&k).or_else(|| {
                errors.push(row.error(
                    Col::Kind,
                    format!("\"{k}\" không phải loại giao dịch đã biết"),
                ));
                None
            })
        });
        let date = row.date(Col::Date, &mut errors);
        let amount = row.number(Col::Amount, &mut errors).unwrap_or(0);
        let new_maturity = row
            .get(Col::NewMaturity)
            .and_then(|_| row.date(Col::NewMaturity, &mut errors));
        if kind == Some(TxKind::Reversal) {
            errors.push(row.error(
                Col::Kind,
                "hủy bút toán được ghi từng giao dịch (htx fund tx), không nhập từ tệp",
            ));
        }
        match (contract, kind, date, errors.is_empty()) {
            (Some(c), Some(k), Some(d), true) => {
                let mut t = LoanTx::new(0, k, d, amount);
                t.new_maturity = new_maturity;
                t.reference = row.get(Col::Reference).map(text::clean).unwrap_or_default();
                parsed.push((row, c, t));
            }
            _ => plan.errors.extend(errors),
        }
    }
    parsed.sort_by_key(|(row, _, t)| (t.value_date, row.number));
    let mut next_id = histories
        .values()
        .flatten()
        .map(|t| t.id)
        .max()
        .unwrap_or(0)
        + 1;
    for (row, contract, mut t) in parsed {
        let (loan, history): (_, &mut Vec<LoanTx>) = if let Some(&i) = new_index.get(&contract) {
            (loan_of(&plan.batch.loans[i].0), &mut plan.batch.loans[i].1)
        } else if let Some(old) = existing.get(&contract) {
            (old.loan.clone(), histories.entry(old.id).or_default())
        } else {
            plan.errors.push(row.error(
                Col::Contract,
                format!("không có hợp đồng {contract} trong sổ hoặc ở sheet \"Khoản vay\""),
            ));
            continue;
        };
        let already = history.iter().any(|h| {
            h.kind == t.kind
                && h.value_date == t.value_date
                && h.amount == t.amount
                && h.new_maturity == t.new_maturity
                && h.reference == t.reference
        });
        if already && !new_index.contains_key(&contract) {
            plan.unchanged += 1;
            continue;
        }
        t.id = next_id;
        next_id += 1;
        match fund::admit(&loan, history, &t, today) {
            Ok(()) => {
                history.push(t.clone());
                if !new_index.contains_key(&contract) {
                    plan.batch.transactions.push((contract, t));
                }
            }
            Err(e) => plan.errors.push(row.error(Col::Date, e.to_string())),
        }
    }
    plan.errors
        .sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    Ok(plan)
}
