//! Turns the charter-capital, loan, schedule and loan-transaction sheets into a checked fund
//! batch, to the same standard as the registry: every bad row named, nothing written unless
//! all are good, rows already in the book skipped.
//!
//! Each sheet has its check; a row is read into the application layer's input
//! ([`CapitalInput`], [`LoanInput`], [`LoanTxInput`]) and checked by the same functions as the command line, the
//! loan page and the API (`app::fund`), and a problem is named by the column of its field.

use crate::app::Planned;
use crate::app::fund::{
    CapitalInput, LendingBook, LoanInput, LoanTxInput, admit_tx, check_capital_among,
    read_loan_among, read_loan_tx,
};
use crate::domain::fund::{Instalment, Loan, LoanTx, TxKind};
use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use crate::store::fund::{FundBatch, LoanRecord, loan_of};
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// What the fund sheets of a file would change, and what is wrong with them.
#[derive(Debug, Default)]
pub struct FundPlan {
    pub batch: FundBatch,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

/// The column of a field of [`LoanInput`] in the sheet "Khoản vay".
fn loan_column(field: &str) -> Col {
    match field {
        "borrower" | "related_group" => Col::Borrower,
        "borrower_kind" => Col::BorrowerKind,
        "member_name" => Col::MemberName,
        "member_id" => Col::MemberId,
        "rate" => Col::Rate,
        "overdue_rate" => Col::OverdueRate,
        "term_months" => Col::Term,
        "every_months" => Col::Every,
        "method" | "schedule" => Col::Method,
        "contract_date" => Col::ContractDate,
        "decision_no" => Col::DecisionNo,
        "decision_date" => Col::DecisionDate,
        "purpose" => Col::Purpose,
        "project_cost" => Col::ProjectCost,
        "own_capital" => Col::OwnCapital,
        "collateral" => Col::Collateral,
        "amount" | "bad_debt" => Col::Amount,
        _ => Col::Contract,
    }
}

/// The column of a field of [`LoanTxInput`] in the sheet "Giao dịch vay".
fn tx_column(field: &str) -> Col {
    match field {
        "kind" | "new_schedule" | "reverses" => Col::Kind,
        "amount" => Col::Amount,
        "new_maturity" => Col::NewMaturity,
        "reference" => Col::Reference,
        "contract" => Col::Contract,
        _ => Col::Date,
    }
}

fn cell(row: &Row<'_>, key: Col) -> String {
    row.get(key).unwrap_or_default().to_string()
}

/// A row of "Khoản vay" as the application layer's input.
fn loan_input(row: &Row<'_>) -> LoanInput {
    LoanInput {
        contract: cell(row, Col::Contract),
        borrower: cell(row, Col::Borrower),
        borrower_kind: cell(row, Col::BorrowerKind),
        member_name: cell(row, Col::MemberName),
        member_id: cell(row, Col::MemberId),
        related_group: String::new(),
        amount: cell(row, Col::Amount),
        rate: cell(row, Col::Rate),
        overdue_rate: cell(row, Col::OverdueRate),
        term_months: cell(row, Col::Term),
        every_months: cell(row, Col::Every),
        method: cell(row, Col::Method),
        contract_date: cell(row, Col::ContractDate),
        decision_no: cell(row, Col::DecisionNo),
        decision_date: cell(row, Col::DecisionDate),
        purpose: cell(row, Col::Purpose),
        project_cost: cell(row, Col::ProjectCost),
        own_capital: cell(row, Col::OwnCapital),
        collateral: cell(row, Col::Collateral),
        bad_debt: false,
        schedule: String::new(),
    }
}

/// A row of "Giao dịch vay" as the application layer's input.
fn tx_input(row: &Row<'_>) -> LoanTxInput {
    LoanTxInput {
        kind: cell(row, Col::Kind),
        date: cell(row, Col::Date),
        amount: cell(row, Col::Amount),
        new_maturity: cell(row, Col::NewMaturity),
        reference: cell(row, Col::Reference),
        ..LoanTxInput::default()
    }
}

/// The sheet "Lịch trả nợ": agreed instalments by contract, in date order.
fn check_schedules(rows: &[&Row<'_>], plan: &mut FundPlan) -> BTreeMap<String, Vec<Instalment>> {
    let mut schedules: BTreeMap<String, Vec<Instalment>> = BTreeMap::new();
    for row in rows {
        let mut errors = Vec::new();
        let contract = row.required(Col::Contract, &mut errors);
        let due = row.date(Col::Due, &mut errors);
        let principal = row.required_number(Col::Principal, &mut errors);
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
    schedules
}

/// What the loan sheet added: new loans by contract (index into the batch).
type NewIndex = HashMap<String, usize>;

/// The sheet "Khoản vay": each row checked by `app::fund` (`read_loan`, then the lending
/// rules of [`LendingBook::approve`], loans earlier in the file counting in the limits);
/// a contract already in the book with the same terms is left as it is.
async fn check_loans(
    store: &Store,
    rows: &[&Row<'_>],
    planned: &Planned,
    existing: &HashMap<String, LoanRecord>,
    schedules: &mut BTreeMap<String, Vec<Instalment>>,
    today: Date,
    plan: &mut FundPlan,
) -> Result<NewIndex> {
    let mut new_index = NewIndex::new();
    if rows.is_empty() {
        return Ok(new_index);
    }
    let mut read = Vec::new();
    for row in rows {
        let input = loan_input(row);
        let contract = text::clean(&input.contract);
        let agreed = schedules.remove(&contract);
        match read_loan_among(store, &input, agreed, planned, today).await {
            Ok(l) => read.push((row, contract, l)),
            Err(e) => plan
                .errors
                .extend(row.refusal(e, |f| loan_column(f).name())?),
        }
    }
    let Some((first, last)) = crate::import::row::span(read.iter().map(|r| r.2.new.contract_date))
    else {
        return Ok(new_index);
    };
    let mut book = LendingBook::load(store, first, last).await?;
    // The file's changes of the charter capital count in the limits of its loans.
    let capital: Vec<(Date, i64)> = plan
        .batch
        .capital
        .iter()
        .map(|c| (c.date, c.amount))
        .collect();
    book.add_capital(&capital);
    for (row, contract, loan) in read {
        if new_index.contains_key(&contract) {
            plan.errors.push(row.error(
                Col::Contract,
                format!("hợp đồng {contract} xuất hiện hai lần trong tệp"),
            ));
            continue;
        }
        if let Some(old) = existing.get(&contract) {
            let same = old.loan == loan_of(&loan.new)
                && old.purpose == loan.new.purpose
                && old.decision_no == loan.new.decision_no;
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
        if let Err(e) = book.approve(&loan) {
            plan.errors
                .extend(row.refusal(e, |f| loan_column(f).name())?);
            continue;
        }
        book.add(&loan);
        new_index.insert(contract, plan.batch.loans.len());
        plan.batch.loans.push((loan.new, Vec::new()));
        plan.batch.borrowers.push(loan.borrower);
    }
    Ok(new_index)
}

/// The sheet "Giao dịch vay": each row read by `app::fund::read_loan_tx`, then, in value-date
/// order (a file may list them in any order), admitted after the loan's history by
/// `app::fund::admit_tx`, as one recorded through the loan page would be. Rows already in the
/// book are left as they are; reversals are recorded one by one, not imported.
async fn check_transactions(
    store: &Store,
    rows: &[&Row<'_>],
    existing: &HashMap<String, LoanRecord>,
    new_index: &NewIndex,
    today: Date,
    plan: &mut FundPlan,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut histories = store.all_loan_txs().await?;
    let mut parsed: Vec<(&Row<'_>, String, LoanTx)> = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let contract = row.required(Col::Contract, &mut errors);
        match read_loan_tx(&tx_input(row)) {
            Ok(t) if t.kind == TxKind::Reversal => errors.push(row.error(
                Col::Kind,
                "hủy bút toán được ghi từng giao dịch (htx fund tx), không nhập từ tệp",
            )),
            Ok(t) => {
                if let (Some(c), true) = (contract, errors.is_empty()) {
                    parsed.push((row, c, t));
                }
            }
            Err(e) => errors.extend(row.refusal(e, |f| tx_column(f).name())?),
        }
        plan.errors.extend(errors);
    }
    parsed.sort_by_key(|(row, _, t)| (t.value_date, row.number));
    for (row, contract, t) in parsed {
        let is_new = new_index.contains_key(&contract);
        let (loan, history): (Loan, &mut Vec<LoanTx>) = if let Some(&i) = new_index.get(&contract) {
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
        if already && !is_new {
            plan.unchanged += 1;
            continue;
        }
        match admit_tx(&loan, history, t, today) {
            Ok(t) => {
                history.push(t.clone());
                if !is_new {
                    plan.batch.transactions.push((contract, t));
                }
            }
            Err(e) => plan.errors.extend(row.refusal(e, |f| tx_column(f).name())?),
        }
    }
    Ok(())
}

/// The sheet "Vốn điều lệ Quỹ": each change of the charter capital checked by
/// `app::fund::check_capital_among`, in date order, the file's earlier changes counted in the
/// capital a reduction may not take below zero; a change recorded as the file says is left as
/// it is. The changes accepted go to the batch, where the file's loans find them.
async fn check_capital(
    store: &Store,
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut FundPlan,
) -> Result<()> {
    let mut accepted: Vec<(Date, i64)> = Vec::new();
    if rows.is_empty() {
        return Ok(());
    }
    let recorded = store.fund_capital_changes().await?;
    let input = |row: &Row<'_>| CapitalInput {
        date: cell(row, Col::Date),
        amount: cell(row, Col::Amount),
        source: cell(row, Col::Source),
        reference: cell(row, Col::Reference),
    };
    let mut ordered: Vec<&&Row<'_>> = rows.iter().collect();
    ordered.sort_by_key(|r| {
        (
            crate::domain::parse_date(&cell(r, Col::Date)).ok(),
            r.number,
        )
    });
    for row in ordered {
        match check_capital_among(store, &input(row), &accepted, today).await {
            Ok(c) if recorded.contains(&c) => plan.unchanged += 1,
            Ok(c) => {
                accepted.push((c.date, c.amount));
                plan.batch.capital.push(c);
            }
            Err(e) => plan.errors.extend(row.refusal(e, |f| match Col::named(f) {
                Some(c) => c.name(),
                None => "amount",
            })?),
        }
    }
    Ok(())
}

/// Checks the fund rows of a file against the rules and the loan book. A borrower may be an
/// organisation the same file registers (`planned`, see [`read_loan_among`]).
pub async fn plan(
    store: &Store,
    rows: &[Row<'_>],
    planned: &Planned,
    today: Date,
) -> Result<FundPlan> {
    let mut plan = FundPlan::default();
    let of = |kind| -> Vec<&Row<'_>> { rows.iter().filter(|r| r.kind == kind).collect() };
    let loan_rows = of(SheetKind::Loans);
    let schedule_rows = of(SheetKind::Schedules);
    let tx_rows = of(SheetKind::LoanTransactions);
    let capital_rows = of(SheetKind::FundCapital);
    if loan_rows.is_empty()
        && schedule_rows.is_empty()
        && tx_rows.is_empty()
        && capital_rows.is_empty()
    {
        return Ok(plan);
    }
    // The capital first: the file's loans are measured against it.
    check_capital(store, &capital_rows, today, &mut plan).await?;
    let existing: HashMap<String, LoanRecord> = store
        .loans()
        .await?
        .into_iter()
        .map(|l| (l.contract_no.clone(), l))
        .collect();
    let mut schedules = check_schedules(&schedule_rows, &mut plan);
    let new_index = check_loans(
        store,
        &loan_rows,
        planned,
        &existing,
        &mut schedules,
        today,
        &mut plan,
    )
    .await?;
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
    check_transactions(store, &tx_rows, &existing, &new_index, today, &mut plan).await?;
    plan.errors
        .sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    Ok(plan)
}
