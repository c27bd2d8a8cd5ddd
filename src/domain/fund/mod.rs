//! Domain core of the loan book of a cooperative support fund
//! (Quỹ hỗ trợ phát triển hợp tác xã, Nghị định 45/2021/NĐ-CP).
//!
//! Pure functions only: no I/O, no clock, every date is passed in.
//!
//! Conventions used throughout:
//! - money is integer đồng (`i64`); rates are basis points per year (720 = 7,20%/năm);
//! - interest is actual/365 on the end-of-day principal balance ("tính ngày đầu, bỏ ngày
//!   cuối": the disbursement day bears interest, the repayment day does not), rounded half up
//!   to whole đồng once per accrual period, a period being a run of days between two
//!   transaction dates;
//! - transactions are never deleted: a `Reversal` cancels an erroneous entry, which is then
//!   ignored everywhere, as if it had never been booked;
//! - same-day transactions apply in `id` order.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Basis points × days in the actual/365 year: the denominator of every interest amount.
const BP_YEAR_DAYS: i128 = 10_000 * 365;

mod admission;
mod approval;
mod portfolio;
mod replay;
mod schedule;

pub use admission::*;
pub use approval::*;
pub use portfolio::*;
pub use replay::*;
pub use schedule::*;

// ---------------------------------------------------------------------------------------------
// Transactions and the loan
// ---------------------------------------------------------------------------------------------

/// What a transaction does to the loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TxKind {
    /// Giải ngân.
    Disbursement,
    /// Trả nợ gốc.
    PrincipalRepayment,
    /// Trả lãi.
    InterestPayment,
    /// Điều chỉnh kỳ hạn trả nợ: replaces the remaining schedule, within the maturity.
    Reschedule,
    /// Gia hạn nợ: new maturity beyond the current one (+ decision number).
    Extension,
    /// Chuyển nợ quá hạn: the unpaid due principal becomes overdue from `value_date`.
    TransferToOverdue,
    /// Xóa nợ / xử lý rủi ro: amount of principal removed.
    WriteOff,
    /// Hủy bút toán nhầm: cancels transaction `reverses` (no deletes ever).
    Reversal,
}

/// One booked transaction of a loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoanTx {
    /// Orders same-day transactions; unique within a loan.
    pub id: i64,
    pub kind: TxKind,
    pub value_date: Date,
    /// 0 where not relevant. For `TransferToOverdue`: 0 or exactly the due unpaid principal.
    pub amount: i64,
    /// `Extension` only.
    #[serde(default)]
    pub new_maturity: Option<Date>,
    /// `Reschedule` only: principal parts of the remaining instalments.
    #[serde(default)]
    pub new_schedule: Vec<Instalment>,
    /// `Reversal` only.
    #[serde(default)]
    pub reverses: Option<i64>,
    /// Decision number etc.
    #[serde(default)]
    pub reference: String,
}

impl LoanTx {
    /// A transaction with no extension, schedule, reversal target or reference.
    pub fn new(id: i64, kind: TxKind, value_date: Date, amount: i64) -> Self {
        Self {
            id,
            kind,
            value_date,
            amount,
            new_maturity: None,
            new_schedule: Vec::new(),
            reverses: None,
            reference: String::new(),
        }
    }
}

/// A signed loan contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Loan {
    pub terms: LoanTerms,
    /// Contract date.
    pub start: Date,
    pub maturity: Date,
    pub schedule: Vec<Instalment>,
}

impl Loan {
    /// A loan signed on `start`, maturing `term_months` later, with the generated schedule of
    /// the approved amount.
    pub fn new(terms: LoanTerms, start: Date) -> Self {
        let schedule = generate_schedule(&terms, terms.approved_amount, start);
        Self {
            maturity: add_months(start, terms.term_months),
            start,
            schedule,
            terms,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic, dates and Vietnamese formatting
// ---------------------------------------------------------------------------------------------

/// Interest on `principal` for `days` days at `annual_rate_bp`, actual/365, rounded half up.
fn interest_for(principal: i64, annual_rate_bp: i64, days: i64) -> i64 {
    blended_interest(principal, annual_rate_bp, 0, 0, days)
}

/// Interest of one accrual period on a normal and an overdue part, rounded once.
fn blended_interest(normal: i64, normal_bp: i64, overdue: i64, overdue_bp: i64, days: i64) -> i64 {
    if days <= 0 {
        return 0;
    }
    let per_day = (i128::from(normal) * i128::from(normal_bp))
        .saturating_add(i128::from(overdue) * i128::from(overdue_bp));
    round_half_up(per_day.saturating_mul(i128::from(days)), BP_YEAR_DAYS)
}

/// Division rounded half away from zero (half up for the non-negative amounts of the book).
fn round_half_up(numerator: i128, denominator: i128) -> i64 {
    let half = denominator / 2;
    let magnitude = (numerator.saturating_abs().saturating_add(half)) / denominator;
    saturate(if numerator < 0 { -magnitude } else { magnitude })
}

fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

/// Same day `months` later, clamped to the end of a shorter month (31/01 + 1 → 28/02).
fn add_months(date: Date, months: u32) -> Date {
    let index =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let Ok(year) = i32::try_from(index.div_euclid(12)) else {
        return Date::MAX;
    };
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|number| Month::try_from(number).ok())
        .unwrap_or(Month::December);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// "2.050.000.000 đồng".
fn dong(amount: impl Borrow<i64>) -> String {
    crate::domain::text::money(*amount.borrow())
}

/// "dd/mm/yyyy".
fn ngay(date: impl Borrow<Date>) -> String {
    crate::domain::text::date(*date.borrow())
}

/// `value` with `decimals` implied decimals, Vietnamese decimal comma, trailing zeros dropped.
fn decimal_text(value: i64, decimals: u32) -> String {
    let scale = 10_u64.pow(decimals);
    let magnitude = value.unsigned_abs();
    let sign = if value < 0 { "-" } else { "" };
    let fraction = format!("{:0width$}", magnitude % scale, width = decimals as usize);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{}", magnitude / scale)
    } else {
        format!("{sign}{},{fraction}", magnitude / scale)
    }
}

/// Tenths of a per cent: 195 → "19,5%".
fn percent_text(tenths: i64) -> String {
    format!("{}%", crate::domain::text::format_tenths(tenths))
}

/// Basis points per year: 720 → "7,2%/năm".
fn rate_text(bp: i64) -> String {
    format!("{}%/năm", decimal_text(bp, 2))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
