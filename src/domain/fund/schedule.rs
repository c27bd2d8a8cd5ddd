//! Terms and repayment schedules: equal principal, annuity, custom.

use super::*;

// ---------------------------------------------------------------------------------------------
// Terms and schedules
// ---------------------------------------------------------------------------------------------

/// How principal is spread over the instalments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentMethod {
    /// Trả gốc đều: the same principal every instalment.
    EqualPrincipal,
    /// Trả góp đều: a level total payment (principal + interest).
    Annuity,
    /// Agreed case by case: the contract schedule is supplied by the caller in
    /// [`Loan::schedule`]; [`generate_schedule`] proposes interest-only instalments with all
    /// principal at maturity.
    Custom,
}

/// Contract terms of one loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoanTerms {
    pub approved_amount: i64,
    /// Normal (in-term) interest, basis points per year.
    pub annual_rate_bp: i64,
    /// Interest on principal transferred to overdue; at most 150% of `annual_rate_bp`.
    pub overdue_rate_bp: i64,
    pub term_months: u32,
    /// 1, 3, 6 or 12.
    pub repayment_every_months: u32,
    pub method: RepaymentMethod,
    /// First due date; default: start + `repayment_every_months`.
    #[serde(default)]
    pub first_due: Option<Date>,
}

/// One instalment: principal due on `due` and the interest expected for the period ending
/// there. Only `due` and `principal` drive the loan state; `interest` is informational.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Instalment {
    pub due: Date,
    pub principal: i64,
    pub interest: i64,
}

/// Equal principal or annuity schedule for `amount` disbursed on `start`: instalments every
/// `repayment_every_months` until start + term_months; principal sums exactly to amount (last
/// instalment absorbs rounding); interest per instalment = outstanding × rate × days/365.
///
/// `Custom` yields interest-only instalments and the whole principal at maturity.
/// A `repayment_every_months` of 0 is read as 1.
pub fn generate_schedule(terms: &LoanTerms, amount: i64, start: Date) -> Vec<Instalment> {
    let dues = due_dates(terms, start);
    let count = dues.len();
    let level_payment = annuity_payment(
        amount,
        terms.annual_rate_bp,
        terms.repayment_every_months.max(1),
        count,
    );
    let mut schedule = Vec::with_capacity(count);
    let mut outstanding = amount;
    let mut previous = start;
    for (index, &due) in dues.iter().enumerate() {
        let interest = interest_for(
            outstanding,
            terms.annual_rate_bp,
            days_between(previous, due),
        );
        let principal = if index + 1 == count {
            outstanding
        } else {
            match terms.method {
                RepaymentMethod::EqualPrincipal => amount / count as i64,
                RepaymentMethod::Annuity => (level_payment - interest).clamp(0, outstanding.max(0)),
                RepaymentMethod::Custom => 0,
            }
        };
        schedule.push(Instalment {
            due,
            principal,
            interest,
        });
        outstanding -= principal;
        previous = due;
    }
    schedule
}

/// Due dates after `start`, the last one being the maturity. Each date is counted from one
/// anchor (the first due date if given, else the start) rather than from the previous due
/// date, so that a month-end day (31/01) is not dragged down for good by a short month
/// (28/02 → 28/03).
pub(super) fn due_dates(terms: &LoanTerms, start: Date) -> Vec<Date> {
    let maturity = add_months(start, terms.term_months);
    let every = terms.repayment_every_months.max(1);
    let (anchor, offset) = match terms.first_due {
        Some(first) => (first, 0),
        None => (start, every),
    };
    let mut dues = Vec::new();
    for period in 0.. {
        let due = add_months(anchor, offset + period * every);
        if due >= maturity {
            break;
        }
        if due > start {
            dues.push(due);
        }
    }
    dues.push(maturity);
    dues
}

/// Level payment P·r / (1 − (1 + r)^−n) with the nominal periodic rate r = annual rate ×
/// months / 12. Floating point only picks this level: every booked amount stays integral and
/// the last instalment absorbs the difference.
pub(super) fn annuity_payment(
    amount: i64,
    annual_rate_bp: i64,
    every_months: u32,
    count: usize,
) -> i64 {
    let count = count.max(1);
    if annual_rate_bp <= 0 {
        return amount / count as i64;
    }
    let rate = annual_rate_bp as f64 * f64::from(every_months) / 120_000.0;
    let growth = (0..count).fold(1.0_f64, |growth, _| growth * (1.0 + rate));
    (amount as f64 * rate * growth / (growth - 1.0)).round() as i64
}
