//! The support fund's capital, borrowers, loans and loan transactions.
//!
//! `capital` (charter capital over time), `borrowers`, `loans` (contracts), `txs` (a loan's
//! history and recording one transaction), `bulk` (loans and transactions written together
//! by an import or the demo), `positions` (the position projection and the portfolio counted
//! from it). The rules of what may be written live in `domain::fund`; entrances that people
//! use go through `app::fund`.

use crate::domain::fund::{self, Instalment, Loan, LoanTerms, LoanTx, RepaymentMethod, TxKind};
use crate::domain::{now_iso, parse_date};
use crate::error::{Error, Result};
use crate::store::batch::{self, placeholders};
use crate::store::{Store, audit};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use time::Date;

mod borrowers;
mod bulk;
mod capital;
mod loans;
mod positions;
mod txs;

use borrowers::{borrower_json, resolve_borrower};
pub use bulk::*;
pub use capital::CapitalChange;
pub use positions::*;

/// Who borrows: an organisation, or a member of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Borrower {
    pub id: i64,
    pub org_id: Option<i64>,
    pub person_name: String,
    pub person_id: String,
    pub member_of: Option<i64>,
    pub related_group: String,
    /// Display name: the organisation's, or the person's with their cooperative.
    pub name: String,
    /// The organisation the borrower is (or belongs to), for areas and kinds.
    pub org_kind: Option<String>,
}

/// A loan contract with its terms and schedule.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanRecord {
    pub id: i64,
    pub contract_no: String,
    pub borrower_id: i64,
    pub purpose: String,
    pub decision_no: String,
    #[serde(with = "crate::domain::iso_date")]
    pub decision_date: Date,
    pub collateral: String,
    pub project_cost: i64,
    pub own_capital: i64,
    pub loan: Loan,
    pub version: i64,
}

/// What a new loan needs.
#[derive(Debug, Clone)]
pub struct NewLoan {
    pub contract_no: String,
    pub borrower_id: i64,
    pub purpose: String,
    pub decision_no: String,
    pub decision_date: Date,
    pub contract_date: Date,
    pub terms: LoanTerms,
    /// The contract schedule; generated from the terms when None.
    pub schedule: Option<Vec<Instalment>>,
    pub collateral: String,
    pub project_cost: i64,
    pub own_capital: i64,
}

fn method_code(m: RepaymentMethod) -> &'static str {
    match m {
        RepaymentMethod::EqualPrincipal => "equal_principal",
        RepaymentMethod::Annuity => "annuity",
        RepaymentMethod::Custom => "custom",
    }
}

/// Reads a repayment method code.
pub fn method_from(s: &str) -> Option<RepaymentMethod> {
    match s {
        "equal_principal" => Some(RepaymentMethod::EqualPrincipal),
        "annuity" => Some(RepaymentMethod::Annuity),
        "custom" => Some(RepaymentMethod::Custom),
        _ => None,
    }
}

/// Stored code of a transaction kind.
pub fn tx_code(k: TxKind) -> &'static str {
    match k {
        TxKind::Disbursement => "disbursement",
        TxKind::PrincipalRepayment => "principal_repayment",
        TxKind::InterestPayment => "interest_payment",
        TxKind::Reschedule => "reschedule",
        TxKind::Extension => "extension",
        TxKind::TransferToOverdue => "transfer_to_overdue",
        TxKind::WriteOff => "write_off",
        TxKind::Reversal => "reversal",
    }
}

/// Reads a transaction kind from its code or Vietnamese name.
pub fn tx_from(s: &str) -> Option<TxKind> {
    use TxKind::*;
    let key = crate::domain::text::fold(s).replace(' ', "_");
    Some(match key.as_str() {
        "disbursement" | "giai_ngan" => Disbursement,
        "principal_repayment" | "thu_no_goc" | "tra_no_goc" => PrincipalRepayment,
        "interest_payment" | "thu_lai" | "tra_lai" => InterestPayment,
        "reschedule" | "dieu_chinh_ky_han_tra_no" | "dieu_chinh_ky_han" => Reschedule,
        "extension" | "gia_han_no" | "gia_han" => Extension,
        "transfer_to_overdue" | "chuyen_no_qua_han" => TransferToOverdue,
        "write_off" | "xoa_no" | "xu_ly_rui_ro" => WriteOff,
        "reversal" | "huy_but_toan" => Reversal,
        _ => return None,
    })
}

fn date_of(row: &AnyRow, i: usize) -> Result<Date> {
    let s: String = row.try_get(i)?;
    parse_date(&s).map_err(|e| Error::invalid("date", e))
}

/// A transaction from a row whose `TX_COLUMNS` start at column `first`.
fn tx_from_row_at(row: &AnyRow, first: usize) -> Result<LoanTx> {
    let kind: String = row.try_get(first + 1)?;
    let new_maturity: String = row.try_get(first + 4)?;
    let new_schedule: String = row.try_get(first + 5)?;
    Ok(LoanTx {
        id: row.try_get(first)?,
        kind: tx_from(&kind).ok_or_else(|| Error::invalid("loan_tx.kind", kind))?,
        value_date: date_of(row, first + 2)?,
        amount: row.try_get(first + 3)?,
        new_maturity: if new_maturity.is_empty() {
            None
        } else {
            Some(parse_date(&new_maturity).map_err(|e| Error::invalid("new_maturity", e))?)
        },
        new_schedule: serde_json::from_str(&new_schedule)
            .map_err(|e| Error::invalid("new_schedule", e.to_string()))?,
        reverses: row.try_get(first + 6)?,
        reference: row.try_get(first + 7)?,
    })
}

const LOAN_COLUMNS: &str = "id, contract_no, borrower_id, purpose, decision_no, decision_date, \
    contract_date, approved_amount, annual_rate_bp, overdue_rate_bp, term_months, \
    repayment_every_months, method, maturity, collateral, project_cost, own_capital, schedule, version";
const TX_COLUMNS: &str =
    "id, kind, value_date, amount, new_maturity, new_schedule, reverses, reference";

fn loan_from_row(row: &AnyRow) -> Result<LoanRecord> {
    let method: String = row.try_get(12)?;
    let schedule: String = row.try_get(17)?;
    let term_months: i64 = row.try_get(10)?;
    let every: i64 = row.try_get(11)?;
    Ok(LoanRecord {
        id: row.try_get(0)?,
        contract_no: row.try_get(1)?,
        borrower_id: row.try_get(2)?,
        purpose: row.try_get(3)?,
        decision_no: row.try_get(4)?,
        decision_date: date_of(row, 5)?,
        collateral: row.try_get(14)?,
        project_cost: row.try_get(15)?,
        own_capital: row.try_get(16)?,
        version: row.try_get(18)?,
        loan: Loan {
            terms: LoanTerms {
                approved_amount: row.try_get(7)?,
                annual_rate_bp: row.try_get(8)?,
                overdue_rate_bp: row.try_get(9)?,
                term_months: term_months as u32,
                repayment_every_months: every as u32,
                method: method_from(&method)
                    .ok_or_else(|| Error::invalid("loan.method", method))?,
                first_due: None,
            },
            start: date_of(row, 6)?,
            maturity: date_of(row, 13)?,
            schedule: serde_json::from_str(&schedule)
                .map_err(|e| Error::invalid("loan.schedule", e.to_string()))?,
        },
    })
}

/// A borrower named by what an import file knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BorrowerRef {
    /// An organisation borrowing in its own name.
    Org(i64),
    /// A member of a cooperative (organisation id) borrowing as a person.
    Member { name: String, id: String, of: i64 },
}

impl NewLoan {
    /// Refuses texts longer than the limits (see [`text::first_too_long`]); every entrance
    /// that creates a loan goes through here.
    ///
    /// [`text::first_too_long`]: crate::domain::text::first_too_long
    pub fn check_lengths(&self) -> Result<()> {
        use crate::domain::text::{MAX_LINE_CHARS, MAX_NOTE_CHARS};
        Error::check_lengths(&[
            ("contract", &self.contract_no, MAX_LINE_CHARS),
            ("purpose", &self.purpose, MAX_NOTE_CHARS),
            ("decision_no", &self.decision_no, MAX_LINE_CHARS),
            ("collateral", &self.collateral, MAX_NOTE_CHARS),
        ])
    }
}

/// The domain loan of a new contract (schedule generated unless given).
pub fn loan_of(new: &NewLoan) -> Loan {
    let mut loan = Loan::new(new.terms.clone(), new.contract_date);
    if let Some(s) = &new.schedule {
        loan.schedule = s.clone();
        if let Some(last) = s.last() {
            loan.maturity = loan.maturity.max(last.due);
        }
    }
    loan
}
