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

// ---------------------------------------------------------------------------------------------
// Terms and schedules
// ---------------------------------------------------------------------------------------------

/// How principal is spread over the instalments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
fn due_dates(terms: &LoanTerms, start: Date) -> Vec<Date> {
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
fn annuity_payment(amount: i64, annual_rate_bp: i64, every_months: u32, count: usize) -> i64 {
    let count = count.max(1);
    if annual_rate_bp <= 0 {
        return amount / count as i64;
    }
    let rate = annual_rate_bp as f64 * f64::from(every_months) / 120_000.0;
    let growth = (0..count).fold(1.0_f64, |growth, _| growth * (1.0 + rate));
    (amount as f64 * rate * growth / (growth - 1.0)).round() as i64
}

// ---------------------------------------------------------------------------------------------
// Transactions and the loan
// ---------------------------------------------------------------------------------------------

/// What a transaction does to the loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
// Loan state
// ---------------------------------------------------------------------------------------------

/// Classification of a loan on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    NotDisbursed,
    Current,
    Overdue,
    /// Principal and interest fully paid.
    Repaid,
    /// Closed with part or all of the principal written off.
    WrittenOff,
}

/// Everything derived for one date (end of day, after that day's transactions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanState {
    pub on: Date,
    pub disbursed: i64,
    pub repaid: i64,
    pub written_off: i64,
    /// disbursed − repaid − written_off. This and the interest figures are never negative for
    /// a history built through [`admit`]; they are not clamped, so a corrupt history shows.
    pub outstanding: i64,
    /// Accrued up to `on` inclusive, minus interest paid and written off.
    pub interest_accrued: i64,
    pub interest_paid: i64,
    /// Interest dropped when a write-off removed the last principal.
    pub interest_written_off: i64,
    /// What an `InterestPayment` dated `on` may settle: like `interest_accrued` but without
    /// the day `on` itself, whose end-of-day balance is not final while the day is open.
    pub interest_payable: i64,
    /// After extensions.
    pub maturity: Date,
    pub extended: bool,
    /// Principal due on or before `on` and not repaid (grace of 0 days), plus everything
    /// outstanding from maturity on.
    pub overdue_principal: i64,
    /// Days since the oldest unpaid due date (0 if none, and 0 on the due date itself).
    pub days_past_due: i64,
    /// Some due principal was transferred to overdue and is not settled yet: it bears the
    /// overdue rate.
    pub transferred_to_overdue: bool,
    pub status: LoanStatus,
}

/// Replays transactions (ignoring reversed ones and the reversals themselves, in value-date
/// then id order) up to and including `on`. Due principal is allocated to instalments oldest
/// first (repayments pay the oldest due principal). An Extension moves maturity and, from its
/// value date, re-spreads the remaining principal into a single instalment at the new maturity
/// (unless a later Reschedule gives one), which clears overdue status from that date.
/// A Reschedule replaces the not-yet-due instalments from its value date. TransferToOverdue
/// marks due-but-unpaid principal as overdue (it is already counted in overdue_principal)
/// and interest on that principal accrues at overdue_rate_bp from that date until it is paid,
/// written off, extended or rescheduled.
///
/// A reversal cancels its target whatever its own date: a state for a past date reflects the
/// corrected history.
pub fn state_at(loan: &Loan, txs: &[LoanTx], on: Date) -> LoanState {
    let mut book = Book::open(loan);
    for tx in effective(txs)
        .into_iter()
        .take_while(|tx| tx.value_date <= on)
    {
        book.accrue_until(tx.value_date);
        book.apply(tx);
    }
    book.snapshot(on)
}

/// The transactions that count, in booking order: reversals and their targets left out.
fn effective(txs: &[LoanTx]) -> Vec<&LoanTx> {
    let reversed: HashSet<i64> = txs
        .iter()
        .filter(|tx| tx.kind == TxKind::Reversal)
        .filter_map(|tx| tx.reverses)
        .collect();
    let mut list: Vec<&LoanTx> = txs
        .iter()
        .filter(|tx| tx.kind != TxKind::Reversal && !reversed.contains(&tx.id))
        .collect();
    list.sort_by_key(|tx| (tx.value_date, tx.id));
    list
}

/// Principal due and unpaid on a date.
struct Overdue {
    principal: i64,
    /// Oldest unpaid due date, when `principal` > 0.
    since: Option<Date>,
}

/// Running balances while replaying effective transactions in order.
struct Book<'a> {
    terms: &'a LoanTerms,
    disbursed: i64,
    repaid: i64,
    written_off: i64,
    interest_paid: i64,
    interest_written_off: i64,
    /// Interest accrued for every day before `accrued_until`.
    interest_accrued: i64,
    accrued_until: Date,
    maturity: Date,
    extended: bool,
    /// Principal plan in due order, and the principal settled against it since it was set
    /// (repayments and write-offs settle the oldest instalments first).
    plan: Vec<Instalment>,
    credited: i64,
    /// Principal transferred to overdue and not settled since.
    transferred: i64,
}

impl<'a> Book<'a> {
    fn open(loan: &'a Loan) -> Self {
        let mut plan = loan.schedule.clone();
        plan.sort_by_key(|instalment| instalment.due);
        Self {
            terms: &loan.terms,
            disbursed: 0,
            repaid: 0,
            written_off: 0,
            interest_paid: 0,
            interest_written_off: 0,
            interest_accrued: 0,
            accrued_until: loan.start,
            maturity: loan.maturity,
            extended: false,
            plan,
            credited: 0,
            transferred: 0,
        }
    }

    fn outstanding(&self) -> i64 {
        self.disbursed
            .saturating_sub(self.repaid)
            .saturating_sub(self.written_off)
    }

    fn interest_owed(&self) -> i64 {
        self.interest_accrued
            .saturating_sub(self.interest_paid)
            .saturating_sub(self.interest_written_off)
    }

    fn is_closed(&self) -> bool {
        self.disbursed > 0 && self.outstanding() <= 0 && self.interest_owed() <= 0
    }

    /// Interest for `days` days from `accrued_until` at the current balances: one accrual
    /// period, rounded once.
    fn interest_for_days(&self, days: i64) -> i64 {
        let outstanding = self.outstanding().max(0);
        let overdue = self.transferred.clamp(0, outstanding);
        blended_interest(
            outstanding - overdue,
            self.terms.annual_rate_bp,
            overdue,
            self.terms.overdue_rate_bp,
            days,
        )
    }

    /// Accrues every day before `day` (the balances of `day` itself are not final yet).
    fn accrue_until(&mut self, day: Date) {
        let days = days_between(self.accrued_until, day);
        if days > 0 {
            self.interest_accrued = self
                .interest_accrued
                .saturating_add(self.interest_for_days(days));
            self.accrued_until = day;
        }
    }

    fn first_unpaid_due(&self) -> Option<Date> {
        let mut cumulative = 0_i64;
        self.plan
            .iter()
            .find(|instalment| {
                cumulative = cumulative.saturating_add(instalment.principal);
                cumulative > self.credited
            })
            .map(|instalment| instalment.due)
    }

    fn overdue(&self, on: Date) -> Overdue {
        let outstanding = self.outstanding();
        if outstanding <= 0 {
            return Overdue {
                principal: 0,
                since: None,
            };
        }
        let first_unpaid = self.first_unpaid_due();
        if on >= self.maturity {
            let since = first_unpaid.map_or(self.maturity, |due| due.min(self.maturity));
            return Overdue {
                principal: outstanding,
                since: Some(since),
            };
        }
        let due: i64 = self
            .plan
            .iter()
            .filter(|instalment| instalment.due <= on)
            .fold(0, |sum, instalment| {
                sum.saturating_add(instalment.principal)
            });
        let principal = due.saturating_sub(self.credited).clamp(0, outstanding);
        Overdue {
            principal,
            since: if principal > 0 { first_unpaid } else { None },
        }
    }

    fn apply(&mut self, tx: &LoanTx) {
        match tx.kind {
            TxKind::Disbursement => self.disbursed = self.disbursed.saturating_add(tx.amount),
            TxKind::PrincipalRepayment => {
                self.repaid = self.repaid.saturating_add(tx.amount);
                self.settle(tx.amount);
            }
            TxKind::InterestPayment => {
                self.interest_paid = self.interest_paid.saturating_add(tx.amount);
            }
            TxKind::Extension => {
                if let Some(new_maturity) = tx.new_maturity {
                    self.maturity = new_maturity;
                    self.extended = true;
                    let remaining = Instalment {
                        due: new_maturity,
                        principal: self.outstanding().max(0),
                        interest: 0,
                    };
                    self.rebase(vec![remaining]);
                }
            }
            TxKind::Reschedule => self.rebase(tx.new_schedule.clone()),
            TxKind::TransferToOverdue => {
                self.transferred = self.overdue(tx.value_date).principal;
            }
            TxKind::WriteOff => {
                self.written_off = self.written_off.saturating_add(tx.amount);
                self.settle(tx.amount);
                if self.outstanding() <= 0 {
                    // Writing off the last principal closes the loan: its unpaid interest goes too.
                    self.interest_written_off = self
                        .interest_written_off
                        .saturating_add(self.interest_owed().max(0));
                }
            }
            TxKind::Reversal => {}
        }
    }

    /// Principal settled pays the oldest instalments, hence the transferred part first.
    fn settle(&mut self, amount: i64) {
        self.credited = self.credited.saturating_add(amount);
        self.transferred = self.transferred.saturating_sub(amount).max(0);
    }

    /// A new plan for the whole outstanding principal: nothing is due under it yet.
    fn rebase(&mut self, mut plan: Vec<Instalment>) {
        plan.sort_by_key(|instalment| instalment.due);
        self.plan = plan;
        self.credited = 0;
        self.transferred = 0;
    }

    fn snapshot(&self, on: Date) -> LoanState {
        let days_before_on = days_between(self.accrued_until, on).max(0);
        let owed_before_on = self.interest_owed() + self.interest_for_days(days_before_on);
        let owed_through_on = self.interest_owed() + self.interest_for_days(days_before_on + 1);
        let overdue = self.overdue(on);
        let days_past_due = match overdue.since {
            Some(since) if overdue.principal > 0 => days_between(since, on).max(0),
            _ => 0,
        };
        let outstanding = self.outstanding();
        LoanState {
            on,
            disbursed: self.disbursed,
            repaid: self.repaid,
            written_off: self.written_off,
            outstanding,
            interest_accrued: owed_through_on,
            interest_paid: self.interest_paid,
            interest_written_off: self.interest_written_off,
            interest_payable: owed_before_on,
            maturity: self.maturity,
            extended: self.extended,
            overdue_principal: overdue.principal,
            days_past_due,
            transferred_to_overdue: self.transferred.min(outstanding.max(0)) > 0,
            status: self.status(overdue.principal, owed_through_on),
        }
    }

    fn status(&self, overdue_principal: i64, interest_accrued: i64) -> LoanStatus {
        if self.disbursed <= 0 {
            LoanStatus::NotDisbursed
        } else if self.outstanding() <= 0 && interest_accrued <= 0 {
            if self.written_off > 0 {
                LoanStatus::WrittenOff
            } else {
                LoanStatus::Repaid
            }
        } else if overdue_principal > 0 {
            LoanStatus::Overdue
        } else {
            LoanStatus::Current
        }
    }
}

/// A stretch of days over which a loan's outstanding and overdue principal stay the same; its
/// days past due on a day `d` inside it are `d − overdue_since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub from: Date,
    /// Exclusive; None for the last stretch.
    pub to: Option<Date>,
    pub outstanding: i64,
    pub overdue_principal: i64,
    /// The oldest unpaid due date while something is overdue.
    pub overdue_since: Option<Date>,
    /// Maturity in force (extensions move it).
    pub maturity: Date,
}

impl Position {
    /// Days past due on a day within the stretch.
    pub fn days_past_due(&self, on: Date) -> i64 {
        match self.overdue_since {
            Some(since) if self.overdue_principal > 0 => days_between(since, on).max(0),
            _ => 0,
        }
    }
}

/// The loan's positions from its contract date on: the projection a portfolio is counted
/// from. Figures only change on transaction dates, due dates and maturities, so the state at
/// each such date holds until the next one.
pub fn positions(loan: &Loan, txs: &[LoanTx]) -> Vec<Position> {
    let mut points: std::collections::BTreeSet<Date> = [loan.start, loan.maturity].into();
    points.extend(loan.schedule.iter().map(|i| i.due));
    for tx in effective(txs) {
        points.insert(tx.value_date);
        points.extend(tx.new_schedule.iter().map(|i| i.due));
        points.extend(tx.new_maturity);
    }
    let mut out: Vec<Position> = Vec::new();
    for on in points.into_iter().filter(|d| *d >= loan.start) {
        let state = state_at(loan, txs, on);
        let overdue_since =
            (state.overdue_principal > 0).then(|| on - time::Duration::days(state.days_past_due));
        if let Some(last) = out.last()
            && (
                last.outstanding,
                last.overdue_principal,
                last.overdue_since,
                last.maturity,
            ) == (
                state.outstanding,
                state.overdue_principal,
                overdue_since,
                state.maturity,
            )
        {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.to = Some(on);
        }
        out.push(Position {
            from: on,
            to: None,
            outstanding: state.outstanding,
            overdue_principal: state.overdue_principal,
            overdue_since,
            maturity: state.maturity,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Admission of transactions
// ---------------------------------------------------------------------------------------------

/// Why a transaction is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FundRuleViolation {
    #[error("giao dịch số {id}: số hiệu giao dịch đã được dùng cho khoản vay này")]
    DuplicateId { id: i64 },
    #[error("giao dịch số {id}: ngày hiệu lực {} sau ngày hiện tại {}", ngay(.date), ngay(.today))]
    FutureDate { id: i64, date: Date, today: Date },
    #[error("giao dịch số {id}: ngày hiệu lực {} trước ngày ký hợp đồng {}", ngay(.date), ngay(.start))]
    BeforeContract { id: i64, date: Date, start: Date },
    #[error("giao dịch số {id}: khoản vay đã trả hết nợ hoặc đã xử lý rủi ro trước ngày {}, chỉ được hủy bút toán", ngay(.date))]
    LoanClosed { id: i64, date: Date },
    #[error("giao dịch số {id}: số tiền phải lớn hơn 0")]
    NonPositiveAmount { id: i64 },
    #[error("giao dịch số {id}: tổng giải ngân {} vượt số tiền được duyệt {}", dong(.total), dong(.approved))]
    ExceedsApproved { id: i64, total: i64, approved: i64 },
    #[error("giao dịch số {id}: giải ngân ngày {} sau ngày đáo hạn {}", ngay(.date), ngay(.maturity))]
    DisbursementAfterMaturity { id: i64, date: Date, maturity: Date },
    #[error("giao dịch số {id}: số tiền trả gốc {} vượt dư nợ gốc {} ngày {}", dong(.amount), dong(.outstanding), ngay(.date))]
    RepaymentExceedsOutstanding {
        id: i64,
        amount: i64,
        outstanding: i64,
        date: Date,
    },
    #[error("giao dịch số {id}: số tiền trả lãi {} vượt số lãi phải trả {} ngày {}", dong(.amount), dong(.payable), ngay(.date))]
    InterestExceedsAccrued {
        id: i64,
        amount: i64,
        payable: i64,
        date: Date,
    },
    #[error("giao dịch số {id}: gia hạn nợ thiếu ngày đáo hạn mới")]
    MissingNewMaturity { id: i64 },
    #[error("giao dịch số {id}: ngày đáo hạn mới {} không sau ngày đáo hạn hiện tại {}", ngay(.new_maturity), ngay(.maturity))]
    ExtensionNotLater {
        id: i64,
        new_maturity: Date,
        maturity: Date,
    },
    #[error("giao dịch số {id}: gia hạn nợ thiếu số quyết định")]
    MissingDecision { id: i64 },
    #[error("giao dịch số {id}: điều chỉnh kỳ hạn trả nợ không có kỳ trả nợ nào")]
    EmptySchedule { id: i64 },
    #[error("giao dịch số {id}: các kỳ trả nợ mới phải sau ngày {} và theo thứ tự ngày tăng dần", ngay(.date))]
    ScheduleDates { id: i64, date: Date },
    #[error("giao dịch số {id}: kỳ trả nợ có số tiền gốc âm")]
    NegativeInstalment { id: i64 },
    #[error("giao dịch số {id}: tổng gốc của lịch trả nợ mới {} khác dư nợ gốc {}", dong(.sum), dong(.outstanding))]
    ScheduleSumMismatch { id: i64, sum: i64, outstanding: i64 },
    #[error("giao dịch số {id}: kỳ trả nợ cuối {} sau ngày đáo hạn {}", ngay(.last_due), ngay(.maturity))]
    ScheduleBeyondMaturity {
        id: i64,
        last_due: Date,
        maturity: Date,
    },
    #[error("giao dịch số {id}: không có nợ gốc đến hạn chưa trả ngày {} để chuyển nợ quá hạn", ngay(.date))]
    NothingOverdue { id: i64, date: Date },
    #[error("giao dịch số {id}: số tiền chuyển nợ quá hạn {} khác nợ gốc đến hạn chưa trả {}", dong(.amount), dong(.overdue))]
    TransferAmountMismatch { id: i64, amount: i64, overdue: i64 },
    #[error("giao dịch số {id}: số tiền xóa nợ {} vượt dư nợ gốc {}", dong(.amount), dong(.outstanding))]
    WriteOffExceedsOutstanding {
        id: i64,
        amount: i64,
        outstanding: i64,
    },
    #[error("giao dịch số {id}: hủy bút toán không ghi giao dịch bị hủy")]
    MissingReversalTarget { id: i64 },
    #[error("giao dịch số {id}: giao dịch số {target} cần hủy không tồn tại")]
    UnknownTransaction { id: i64, target: i64 },
    #[error("giao dịch số {id}: không thể hủy bút toán hủy số {target}")]
    CannotReverseReversal { id: i64, target: i64 },
    #[error("giao dịch số {id}: giao dịch số {target} đã bị hủy trước đó")]
    AlreadyReversed { id: i64, target: i64 },
    #[error("giao dịch số {id}: ngày hủy {} trước ngày của giao dịch số {target} ({})", ngay(.date), ngay(.target_date))]
    ReversalBeforeOriginal {
        id: i64,
        date: Date,
        target: i64,
        target_date: Date,
    },
    #[error("giao dịch số {id}: hủy giao dịch số {target} làm lịch sử không còn hợp lệ — {cause}")]
    ReversalBreaksHistory {
        id: i64,
        target: i64,
        cause: Box<FundRuleViolation>,
    },
    #[error("giao dịch số {id}: làm giao dịch ghi sau không còn hợp lệ — {cause}")]
    BreaksLaterTransaction {
        id: i64,
        later: i64,
        cause: Box<FundRuleViolation>,
    },
    #[error("lịch sử giao dịch hiện có không hợp lệ — {cause}")]
    InvalidHistory { cause: Box<FundRuleViolation> },
}

type V = FundRuleViolation;

impl FundRuleViolation {
    /// The field of a transaction a refusal concerns, as a transaction form names them:
    /// `date`, `amount`, `new_maturity`, `new_schedule`, `reverses`, `reference` or `kind`.
    pub fn field(&self) -> &'static str {
        match self {
            V::FutureDate { .. }
            | V::BeforeContract { .. }
            | V::LoanClosed { .. }
            | V::DisbursementAfterMaturity { .. }
            | V::ReversalBeforeOriginal { .. } => "date",
            V::NonPositiveAmount { .. }
            | V::ExceedsApproved { .. }
            | V::RepaymentExceedsOutstanding { .. }
            | V::InterestExceedsAccrued { .. }
            | V::NothingOverdue { .. }
            | V::TransferAmountMismatch { .. }
            | V::WriteOffExceedsOutstanding { .. } => "amount",
            V::MissingNewMaturity { .. } | V::ExtensionNotLater { .. } => "new_maturity",
            V::MissingDecision { .. } => "reference",
            V::EmptySchedule { .. }
            | V::ScheduleDates { .. }
            | V::NegativeInstalment { .. }
            | V::ScheduleSumMismatch { .. }
            | V::ScheduleBeyondMaturity { .. } => "new_schedule",
            V::MissingReversalTarget { .. }
            | V::UnknownTransaction { .. }
            | V::CannotReverseReversal { .. }
            | V::AlreadyReversed { .. }
            | V::ReversalBreaksHistory { .. } => "reverses",
            V::DuplicateId { .. } | V::BreaksLaterTransaction { .. } | V::InvalidHistory { .. } => {
                "date"
            }
        }
    }
}

/// Checks a new transaction against the history (as of `today`, no future value dates):
/// disbursement total never above approved_amount and not after maturity; a principal
/// repayment never above the outstanding principal on its value date; interest payment never
/// above accrued interest; extension's new maturity after the current one and a reference
/// (decision number) present; reschedule's principal sum equals the outstanding principal and
/// its last due date not after maturity; write-off not above outstanding; reversal must name an
/// existing, not-yet-reversed transaction and must keep the whole history valid (e.g. reversing
/// a disbursement that was partly repaid is refused); no transaction before the contract date;
/// nothing at all after the loan is fully repaid or written off except a reversal.
/// Also re-validates the full history with the new transaction inserted at its date.
///
/// "Accrued interest" for a payment is [`LoanState::interest_payable`] on its value date.
pub fn admit(
    loan: &Loan,
    history: &[LoanTx],
    new: &LoanTx,
    today: Date,
) -> Result<(), FundRuleViolation> {
    validate_history(loan, history, today).map_err(|(_, cause)| V::InvalidHistory {
        cause: Box::new(cause),
    })?;
    let mut combined = history.to_vec();
    combined.push(new.clone());
    validate_history(loan, &combined, today).map_err(|(failing_id, cause)| {
        if failing_id == new.id {
            cause
        } else if let (TxKind::Reversal, Some(target)) = (new.kind, new.reverses) {
            V::ReversalBreaksHistory {
                id: new.id,
                target,
                cause: Box::new(cause),
            }
        } else {
            V::BreaksLaterTransaction {
                id: new.id,
                later: failing_id,
                cause: Box::new(cause),
            }
        }
    })
}

/// A refusal and the id of the transaction it concerns.
type Refusal = (i64, FundRuleViolation);

/// Checks a whole history: identifiers, dates and reversal targets, then every effective
/// transaction against the balances left by those booked before it.
fn validate_history(loan: &Loan, txs: &[LoanTx], today: Date) -> Result<(), Refusal> {
    check_structure(loan, txs, today)?;
    let mut book = Book::open(loan);
    for tx in effective(txs) {
        book.accrue_until(tx.value_date);
        book.check(tx).map_err(|violation| (tx.id, violation))?;
        book.apply(tx);
    }
    Ok(())
}

fn check_structure(loan: &Loan, txs: &[LoanTx], today: Date) -> Result<(), Refusal> {
    let mut by_id: HashMap<i64, &LoanTx> = HashMap::with_capacity(txs.len());
    for tx in txs {
        if by_id.insert(tx.id, tx).is_some() {
            return Err((tx.id, V::DuplicateId { id: tx.id }));
        }
        check_dates(loan, tx, today).map_err(|violation| (tx.id, violation))?;
    }
    let mut reversed = HashSet::new();
    for tx in txs.iter().filter(|tx| tx.kind == TxKind::Reversal) {
        check_reversal_target(tx, &by_id, &mut reversed).map_err(|violation| (tx.id, violation))?;
    }
    Ok(())
}

fn check_dates(loan: &Loan, tx: &LoanTx, today: Date) -> Result<(), FundRuleViolation> {
    if tx.value_date > today {
        return Err(V::FutureDate {
            id: tx.id,
            date: tx.value_date,
            today,
        });
    }
    if tx.value_date < loan.start {
        return Err(V::BeforeContract {
            id: tx.id,
            date: tx.value_date,
            start: loan.start,
        });
    }
    Ok(())
}

fn check_reversal_target(
    tx: &LoanTx,
    by_id: &HashMap<i64, &LoanTx>,
    reversed: &mut HashSet<i64>,
) -> Result<(), FundRuleViolation> {
    let id = tx.id;
    let target = tx.reverses.ok_or(V::MissingReversalTarget { id })?;
    let original = by_id
        .get(&target)
        .ok_or(V::UnknownTransaction { id, target })?;
    if original.kind == TxKind::Reversal {
        return Err(V::CannotReverseReversal { id, target });
    }
    if !reversed.insert(target) {
        return Err(V::AlreadyReversed { id, target });
    }
    if tx.value_date < original.value_date {
        return Err(V::ReversalBeforeOriginal {
            id,
            date: tx.value_date,
            target,
            target_date: original.value_date,
        });
    }
    Ok(())
}

impl Book<'_> {
    /// Rules for one effective transaction, given everything booked before it.
    fn check(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        if self.is_closed() {
            return Err(V::LoanClosed {
                id: tx.id,
                date: tx.value_date,
            });
        }
        match tx.kind {
            TxKind::Disbursement => self.check_disbursement(tx),
            TxKind::PrincipalRepayment => self.check_repayment(tx),
            TxKind::InterestPayment => self.check_interest_payment(tx),
            TxKind::Extension => self.check_extension(tx),
            TxKind::Reschedule => self.check_reschedule(tx),
            TxKind::TransferToOverdue => self.check_transfer(tx),
            TxKind::WriteOff => self.check_write_off(tx),
            TxKind::Reversal => Ok(()),
        }
    }

    fn check_disbursement(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        require_positive(tx)?;
        if tx.value_date > self.maturity {
            return Err(V::DisbursementAfterMaturity {
                id: tx.id,
                date: tx.value_date,
                maturity: self.maturity,
            });
        }
        let total = self.disbursed.saturating_add(tx.amount);
        if total > self.terms.approved_amount {
            return Err(V::ExceedsApproved {
                id: tx.id,
                total,
                approved: self.terms.approved_amount,
            });
        }
        Ok(())
    }

    fn check_repayment(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        require_positive(tx)?;
        if tx.amount > self.outstanding() {
            return Err(V::RepaymentExceedsOutstanding {
                id: tx.id,
                amount: tx.amount,
                outstanding: self.outstanding(),
                date: tx.value_date,
            });
        }
        Ok(())
    }

    fn check_interest_payment(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        require_positive(tx)?;
        // The book has accrued every day before the value date: exactly what is payable.
        let payable = self.interest_owed();
        if tx.amount > payable {
            return Err(V::InterestExceedsAccrued {
                id: tx.id,
                amount: tx.amount,
                payable,
                date: tx.value_date,
            });
        }
        Ok(())
    }

    fn check_extension(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        let new_maturity = tx.new_maturity.ok_or(V::MissingNewMaturity { id: tx.id })?;
        if new_maturity <= self.maturity {
            return Err(V::ExtensionNotLater {
                id: tx.id,
                new_maturity,
                maturity: self.maturity,
            });
        }
        if tx.reference.trim().is_empty() {
            return Err(V::MissingDecision { id: tx.id });
        }
        Ok(())
    }

    fn check_reschedule(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        let id = tx.id;
        let schedule = &tx.new_schedule;
        let (Some(first), Some(last)) = (schedule.first(), schedule.last()) else {
            return Err(V::EmptySchedule { id });
        };
        let increasing = schedule.windows(2).all(|pair| pair[0].due < pair[1].due);
        if !increasing || first.due <= tx.value_date {
            return Err(V::ScheduleDates {
                id,
                date: tx.value_date,
            });
        }
        if schedule.iter().any(|instalment| instalment.principal < 0) {
            return Err(V::NegativeInstalment { id });
        }
        let sum = schedule.iter().fold(0_i64, |sum, instalment| {
            sum.saturating_add(instalment.principal)
        });
        if sum != self.outstanding() {
            return Err(V::ScheduleSumMismatch {
                id,
                sum,
                outstanding: self.outstanding(),
            });
        }
        if last.due > self.maturity {
            return Err(V::ScheduleBeyondMaturity {
                id,
                last_due: last.due,
                maturity: self.maturity,
            });
        }
        Ok(())
    }

    fn check_transfer(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        let overdue = self.overdue(tx.value_date).principal;
        if overdue <= 0 {
            return Err(V::NothingOverdue {
                id: tx.id,
                date: tx.value_date,
            });
        }
        if tx.amount != 0 && tx.amount != overdue {
            return Err(V::TransferAmountMismatch {
                id: tx.id,
                amount: tx.amount,
                overdue,
            });
        }
        Ok(())
    }

    fn check_write_off(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
        require_positive(tx)?;
        if tx.amount > self.outstanding() {
            return Err(V::WriteOffExceedsOutstanding {
                id: tx.id,
                amount: tx.amount,
                outstanding: self.outstanding(),
            });
        }
        Ok(())
    }
}

fn require_positive(tx: &LoanTx) -> Result<(), FundRuleViolation> {
    if tx.amount > 0 {
        Ok(())
    } else {
        Err(V::NonPositiveAmount { id: tx.id })
    }
}

// ---------------------------------------------------------------------------------------------
// Approval
// ---------------------------------------------------------------------------------------------

/// Lending limits of the Fund, in per cent and months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundRules {
    /// Minimum own capital of the borrower, % of the project cost.
    pub own_capital_min_pct: i64,
    /// Maximum outstanding of one borrower, % of the Fund's charter capital.
    pub single_borrower_max_pct: i64,
    /// Maximum outstanding of a group of related customers, % of the charter capital.
    pub related_group_max_pct: i64,
    pub overdue_rate_max_pct_of_normal: i64,
    pub max_term_months: u32,
}

impl Default for FundRules {
    fn default() -> Self {
        Self {
            own_capital_min_pct: 20,
            single_borrower_max_pct: 15,
            related_group_max_pct: 25,
            overdue_rate_max_pct_of_normal: 150,
            max_term_months: 60,
        }
    }
}

/// A loan application as the credit committee sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    pub amount: i64,
    pub project_cost: i64,
    pub own_capital: i64,
    /// Outstanding of the borrower at the Fund before this loan.
    pub borrower_outstanding: i64,
    /// Outstanding of the borrower's group of related customers, the borrower included,
    /// before this loan.
    pub related_outstanding: i64,
    pub fund_charter_capital: i64,
    pub borrower_has_bad_debt: bool,
    pub terms: LoanTerms,
}

/// Every refusal with its reason in Vietnamese, e.g. "vốn tự có 15% dự án, dưới mức tối thiểu 20%",
/// "dư nợ của bên vay sau khi vay 3.200.000.000 đồng vượt 15% vốn điều lệ của Quỹ (3.000.000.000 đồng)".
/// An empty list means the request passes.
pub fn check_approval(rules: &FundRules, req: &ApprovalRequest) -> Vec<String> {
    approval_refusals(rules, req)
        .into_iter()
        .map(|(_, reason)| reason)
        .collect()
}

/// [`check_approval`] with the field each refusal concerns, as a loan application names
/// them: `amount`, `project_cost`, `own_capital`, `bad_debt`, `term_months`, `every_months`,
/// `rate`, `overdue_rate`.
pub fn approval_refusals(rules: &FundRules, req: &ApprovalRequest) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    refusals.extend(amount_refusals(req));
    refusals.extend(own_capital_refusal(rules, req));
    refusals.extend(
        exposure_refusals(rules, req)
            .into_iter()
            .map(|r| ("amount", r)),
    );
    if req.borrower_has_bad_debt {
        refusals.push(("bad_debt", "bên vay đang có nợ xấu".to_owned()));
    }
    refusals.extend(terms_refusals(rules, &req.terms));
    refusals
}

fn amount_refusals(req: &ApprovalRequest) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    if req.amount <= 0 {
        refusals.push(("amount", "số tiền vay phải lớn hơn 0".to_owned()));
    }
    if req.terms.approved_amount != req.amount {
        refusals.push((
            "amount",
            format!(
                "số tiền trong điều kiện vay {} khác số tiền đề nghị vay {}",
                dong(req.terms.approved_amount),
                dong(req.amount)
            ),
        ));
    }
    if req.project_cost > 0 && req.amount.saturating_add(req.own_capital) > req.project_cost {
        refusals.push((
            "project_cost",
            format!(
                "số tiền vay cộng vốn tự có {} vượt tổng mức đầu tư dự án {}",
                dong(req.amount.saturating_add(req.own_capital)),
                dong(req.project_cost)
            ),
        ));
    }
    refusals
}

fn own_capital_refusal(rules: &FundRules, req: &ApprovalRequest) -> Option<(&'static str, String)> {
    if req.project_cost <= 0 {
        return Some((
            "project_cost",
            "tổng mức đầu tư dự án phải lớn hơn 0".to_owned(),
        ));
    }
    let below = i128::from(req.own_capital) * 100
        < i128::from(rules.own_capital_min_pct) * i128::from(req.project_cost);
    below.then(|| {
        let tenths = i128::from(req.own_capital) * 1000 / i128::from(req.project_cost);
        (
            "own_capital",
            format!(
                "vốn tự có {} dự án, dưới mức tối thiểu {}%",
                percent_text(saturate(tenths)),
                rules.own_capital_min_pct
            ),
        )
    })
}

fn exposure_refusals(rules: &FundRules, req: &ApprovalRequest) -> Vec<String> {
    if req.fund_charter_capital <= 0 {
        return vec!["vốn điều lệ của Quỹ phải lớn hơn 0".to_owned()];
    }
    let limits = [
        (
            "dư nợ của bên vay",
            req.borrower_outstanding,
            rules.single_borrower_max_pct,
        ),
        (
            "dư nợ của nhóm khách hàng có liên quan",
            req.related_outstanding,
            rules.related_group_max_pct,
        ),
    ];
    limits
        .into_iter()
        .filter_map(|(who, before, max_pct)| {
            exposure_refusal(
                who,
                before.saturating_add(req.amount),
                max_pct,
                req.fund_charter_capital,
            )
        })
        .collect()
}

fn exposure_refusal(who: &str, after: i64, max_pct: i64, charter: i64) -> Option<String> {
    let limit = i128::from(charter) * i128::from(max_pct);
    (i128::from(after) * 100 > limit).then(|| {
        format!(
            "{who} sau khi vay {} vượt {max_pct}% vốn điều lệ của Quỹ ({})",
            dong(after),
            dong(saturate(limit / 100))
        )
    })
}

/// The refusals of a loan's terms alone (term, instalment period, rates), by field.
pub fn terms_refusals(rules: &FundRules, terms: &LoanTerms) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    if terms.term_months == 0 {
        refusals.push((
            "term_months",
            "thời hạn vay phải lớn hơn 0 tháng".to_owned(),
        ));
    } else if terms.term_months > rules.max_term_months {
        refusals.push((
            "term_months",
            format!(
                "thời hạn vay {} tháng vượt mức tối đa {} tháng",
                terms.term_months, rules.max_term_months
            ),
        ));
    }
    if ![1, 3, 6, 12].contains(&terms.repayment_every_months) {
        refusals.push((
            "every_months",
            format!(
                "kỳ trả nợ {} tháng không hợp lệ (chỉ 1, 3, 6 hoặc 12 tháng)",
                terms.repayment_every_months
            ),
        ));
    }
    if terms.annual_rate_bp < 0 || terms.overdue_rate_bp < 0 {
        refusals.push(("rate", "lãi suất không được âm".to_owned()));
    }
    let max_overdue =
        i128::from(terms.annual_rate_bp) * i128::from(rules.overdue_rate_max_pct_of_normal);
    if i128::from(terms.overdue_rate_bp) * 100 > max_overdue {
        refusals.push((
            "overdue_rate",
            format!(
                "lãi suất quá hạn {} vượt {}% lãi suất trong hạn {} (tối đa {})",
                rate_text(terms.overdue_rate_bp),
                rules.overdue_rate_max_pct_of_normal,
                rate_text(terms.annual_rate_bp),
                rate_text(saturate(max_overdue / 100))
            ),
        ));
    }
    refusals
}

// ---------------------------------------------------------------------------------------------
// Portfolio
// ---------------------------------------------------------------------------------------------

/// Ageing buckets as inclusive day ranges, in increasing order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeingBuckets(pub Vec<(i64, i64)>);

impl Default for AgeingBuckets {
    fn default() -> Self {
        Self(vec![
            (0, 0),
            (1, 30),
            (31, 90),
            (91, 180),
            (181, 360),
            (361, i64::MAX),
        ])
    }
}

impl AgeingBuckets {
    /// Buckets from upper bounds in days: `[0, 30, 90]` gives 0, 1–30, 31–90 and over 90.
    pub fn from_bounds(bounds: &[i64]) -> Option<AgeingBuckets> {
        if bounds.first() != Some(&0) || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        let mut ranges = vec![(0, 0)];
        for w in bounds.windows(2) {
            ranges.push((w[0] + 1, w[1]));
        }
        ranges.push((bounds[bounds.len() - 1] + 1, i64::MAX));
        Some(AgeingBuckets(ranges))
    }

    /// Index of the range holding `days_past_due`; a day in a gap goes to the last range
    /// starting below it, and a day below every range to the first one.
    pub fn bucket_of(&self, days_past_due: i64) -> usize {
        self.0
            .iter()
            .position(|&(low, high)| (low..=high).contains(&days_past_due))
            .or_else(|| self.0.iter().rposition(|&(low, _)| low <= days_past_due))
            .unwrap_or(0)
    }

    /// "Trong hạn", "1–30 ngày", …, "Trên 360 ngày".
    pub fn labels(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|&(low, high)| match (low, high) {
                (0, 0) => "Trong hạn".to_owned(),
                (low, i64::MAX) if low > 0 => format!("Trên {} ngày", low - 1),
                (low, i64::MAX) => format!("Từ {low} ngày trở lên"),
                (low, high) if low == high => format!("{low} ngày"),
                (low, high) => format!("{low}–{high} ngày"),
            })
            .collect()
    }
}

/// Portfolio at risk: overdue outstanding (whole outstanding of loans with days_past_due >
/// threshold) / total outstanding, in tenths of a per cent rounded half up (e.g. 53 = 5,3%);
/// None when nothing outstanding.
pub fn par_tenths(states: &[LoanState], threshold_days: i64) -> Option<i64> {
    let outstanding = |state: &LoanState| i128::from(state.outstanding.max(0));
    let total: i128 = states.iter().map(outstanding).sum();
    if total == 0 {
        return None;
    }
    let at_risk: i128 = states
        .iter()
        .filter(|state| state.days_past_due > threshold_days)
        .map(outstanding)
        .sum();
    Some(round_half_up(at_risk * 1000, total))
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

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn terms(method: RepaymentMethod, months: u32, every: u32, amount: i64) -> LoanTerms {
        LoanTerms {
            approved_amount: amount,
            annual_rate_bp: 720,
            overdue_rate_bp: 1080,
            term_months: months,
            repayment_every_months: every,
            method,
            first_due: None,
        }
    }

    fn loan(method: RepaymentMethod, months: u32, amount: i64, start: Date) -> Loan {
        Loan::new(terms(method, months, 1, amount), start)
    }

    fn tx(id: i64, kind: TxKind, value_date: Date, amount: i64) -> LoanTx {
        LoanTx::new(id, kind, value_date, amount)
    }

    fn extension(id: i64, value_date: Date, new_maturity: Date, reference: &str) -> LoanTx {
        LoanTx {
            new_maturity: Some(new_maturity),
            reference: reference.to_owned(),
            ..tx(id, TxKind::Extension, value_date, 0)
        }
    }

    fn reversal(id: i64, value_date: Date, target: i64) -> LoanTx {
        LoanTx {
            reverses: Some(target),
            ..tx(id, TxKind::Reversal, value_date, 0)
        }
    }

    /// Admits each transaction in turn, as a caller would, and returns the history.
    fn book(loan: &Loan, txs: Vec<LoanTx>, today: Date) -> Vec<LoanTx> {
        let mut history = Vec::new();
        for tx in txs {
            admit(loan, &history, &tx, today).unwrap_or_else(|e| panic!("{e}"));
            history.push(tx);
        }
        history
    }

    #[test]
    fn schedules_sum_to_the_amount_and_end_at_maturity() {
        let start = date!(2025 - 01 - 31);
        let amount = 1_234_567_891;
        for method in [RepaymentMethod::EqualPrincipal, RepaymentMethod::Annuity] {
            for (months, every) in [(12, 1), (36, 1), (12, 3), (36, 3)] {
                let schedule =
                    generate_schedule(&terms(method, months, every, amount), amount, start);
                let label = format!("{method:?} {months}/{every}");
                assert_eq!(schedule.len(), (months / every) as usize, "{label}");
                assert_eq!(
                    schedule.iter().map(|i| i.principal).sum::<i64>(),
                    amount,
                    "{label}"
                );
                assert_eq!(
                    schedule.last().map(|i| i.due),
                    Some(add_months(start, months)),
                    "{label}"
                );
                assert!(schedule.windows(2).all(|w| w[0].due < w[1].due), "{label}");
                assert!(
                    schedule.iter().all(|i| i.principal >= 0 && i.interest >= 0),
                    "{label}"
                );
            }
        }
    }

    #[test]
    fn month_end_start_keeps_month_end_due_dates() {
        let schedule = generate_schedule(
            &terms(RepaymentMethod::EqualPrincipal, 3, 1, 3_000),
            3_000,
            date!(2025 - 01 - 31),
        );
        let dues: Vec<Date> = schedule.iter().map(|i| i.due).collect();
        assert_eq!(
            dues,
            [
                date!(2025 - 02 - 28),
                date!(2025 - 03 - 31),
                date!(2025 - 04 - 30)
            ]
        );
    }

    #[test]
    fn annuity_payments_are_level_except_the_last() {
        let amount = 1_000_000_000;
        let schedule = generate_schedule(
            &terms(RepaymentMethod::Annuity, 36, 1, amount),
            amount,
            date!(2025 - 01 - 01),
        );
        let totals: Vec<i64> = schedule.iter().map(|i| i.principal + i.interest).collect();
        let (last, level) = totals.split_last().expect("36 instalments");
        assert!(level.iter().all(|t| *t == level[0]), "{totals:?}");
        // Actual/365 interest drifts from the nominal monthly rate; the last one absorbs it.
        assert!((last - level[0]).abs() * 100 < level[0], "{totals:?}");
    }

    #[test]
    fn equal_principal_first_instalment_interest_by_hand() {
        // 100.000.000 × 7,2% × 31/365 = 611.506,85 → 611.507
        assert_eq!(interest_for(100_000_000, 720, 31), 611_507);
        let schedule = generate_schedule(
            &terms(RepaymentMethod::EqualPrincipal, 12, 1, 100_000_000),
            100_000_000,
            date!(2025 - 01 - 01),
        );
        assert_eq!(schedule[0].interest, 611_507);
        assert_eq!(schedule[0].principal, 8_333_333);
        assert_eq!(schedule[11].principal, 8_333_337);
    }

    #[test]
    fn accrual_counts_the_disbursement_day_not_the_repayment_day() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let history = book(
            &loan,
            vec![tx(1, TxKind::Disbursement, start, 100_000_000)],
            start,
        );
        let on_31st = state_at(&loan, &history, date!(2025 - 01 - 31));
        assert_eq!(on_31st.interest_accrued, 611_507);
        let on_1st_feb = state_at(&loan, &history, date!(2025 - 02 - 01));
        assert_eq!(on_1st_feb.interest_payable, 611_507);
    }

    #[test]
    fn repayment_above_outstanding_is_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let history = book(
            &loan,
            vec![tx(1, TxKind::Disbursement, start, 50_000_000)],
            start,
        );
        let repay = tx(
            2,
            TxKind::PrincipalRepayment,
            date!(2025 - 02 - 01),
            60_000_000,
        );
        let err = admit(&loan, &history, &repay, date!(2025 - 02 - 01)).unwrap_err();
        assert_eq!(
            err,
            V::RepaymentExceedsOutstanding {
                id: 2,
                amount: 60_000_000,
                outstanding: 50_000_000,
                date: date!(2025 - 02 - 01)
            }
        );
        assert_eq!(
            err.to_string(),
            "giao dịch số 2: số tiền trả gốc 60.000.000 đồng vượt dư nợ gốc 50.000.000 đồng ngày 01/02/2025"
        );
    }

    #[test]
    fn disbursement_above_approved_is_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let history = book(
            &loan,
            vec![tx(1, TxKind::Disbursement, start, 60_000_000)],
            start,
        );
        let second = tx(2, TxKind::Disbursement, date!(2025 - 01 - 10), 50_000_000);
        let err = admit(&loan, &history, &second, date!(2025 - 01 - 10)).unwrap_err();
        assert_eq!(
            err,
            V::ExceedsApproved {
                id: 2,
                total: 110_000_000,
                approved: 100_000_000
            }
        );
        assert!(
            err.to_string()
                .contains("110.000.000 đồng vượt số tiền được duyệt 100.000.000 đồng")
        );
    }

    #[test]
    fn interest_payment_above_accrued_is_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let history = book(
            &loan,
            vec![tx(1, TxKind::Disbursement, start, 100_000_000)],
            start,
        );
        let on = date!(2025 - 02 - 01);
        assert!(
            admit(
                &loan,
                &history,
                &tx(2, TxKind::InterestPayment, on, 611_507),
                on
            )
            .is_ok()
        );
        let err = admit(
            &loan,
            &history,
            &tx(2, TxKind::InterestPayment, on, 611_508),
            on,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            V::InterestExceedsAccrued {
                payable: 611_507,
                ..
            }
        ));
    }

    #[test]
    fn dates_outside_contract_and_today_are_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let early = tx(1, TxKind::Disbursement, date!(2024 - 12 - 31), 1_000);
        assert!(matches!(
            admit(&loan, &[], &early, start),
            Err(V::BeforeContract { .. })
        ));
        let future = tx(1, TxKind::Disbursement, date!(2025 - 01 - 02), 1_000);
        let err = admit(&loan, &[], &future, start).unwrap_err();
        assert_eq!(
            err.to_string(),
            "giao dịch số 1: ngày hiệu lực 02/01/2025 sau ngày hiện tại 01/01/2025"
        );
    }

    #[test]
    fn extension_moves_maturity_and_clears_overdue_from_its_date() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 120_000_000, start);
        let today = date!(2025 - 03 - 20);
        let new_maturity = date!(2026 - 07 - 01);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 120_000_000),
                extension(2, today, new_maturity, "QĐ 12/2025/QĐ-QHT"),
            ],
            today,
        );

        let before = state_at(&loan, &history, date!(2025 - 03 - 19));
        assert_eq!(before.status, LoanStatus::Overdue);
        assert_eq!(before.overdue_principal, 20_000_000);
        assert_eq!(before.days_past_due, 46); // since 01/02/2025
        assert_eq!(before.maturity, date!(2026 - 01 - 01));
        assert!(!before.extended);

        let after = state_at(&loan, &history, today);
        assert_eq!(after.status, LoanStatus::Current);
        assert_eq!((after.overdue_principal, after.days_past_due), (0, 0));
        assert_eq!(after.maturity, new_maturity);
        assert!(after.extended);

        let past_new_maturity = state_at(&loan, &history, date!(2026 - 07 - 02));
        assert_eq!(past_new_maturity.status, LoanStatus::Overdue);
        assert_eq!(past_new_maturity.overdue_principal, 120_000_000);
        assert_eq!(past_new_maturity.days_past_due, 1);
    }

    #[test]
    fn extension_needs_a_later_maturity_and_a_decision() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 120_000_000, start);
        let on = date!(2025 - 03 - 01);
        let no_decision = extension(1, on, date!(2026 - 06 - 01), "  ");
        assert_eq!(
            admit(&loan, &[], &no_decision, on),
            Err(V::MissingDecision { id: 1 })
        );
        let not_later = extension(1, on, date!(2025 - 12 - 31), "QĐ 1");
        let err = admit(&loan, &[], &not_later, on).unwrap_err();
        assert_eq!(
            err.to_string(),
            "giao dịch số 1: ngày đáo hạn mới 31/12/2025 không sau ngày đáo hạn hiện tại 01/01/2026"
        );
    }

    #[test]
    fn reschedule_replaces_the_plan_and_must_cover_the_outstanding() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 120_000_000, start);
        let on = date!(2025 - 03 - 10);
        let history = book(
            &loan,
            vec![tx(1, TxKind::Disbursement, start, 120_000_000)],
            on,
        );
        let plan = |principals: [i64; 2]| {
            vec![
                Instalment {
                    due: date!(2025 - 09 - 01),
                    principal: principals[0],
                    interest: 0,
                },
                Instalment {
                    due: date!(2026 - 01 - 01),
                    principal: principals[1],
                    interest: 0,
                },
            ]
        };
        let short = LoanTx {
            new_schedule: plan([60_000_000, 50_000_000]),
            ..tx(2, TxKind::Reschedule, on, 0)
        };
        assert!(matches!(
            admit(&loan, &history, &short, on),
            Err(V::ScheduleSumMismatch {
                sum: 110_000_000,
                outstanding: 120_000_000,
                ..
            })
        ));
        let good = LoanTx {
            new_schedule: plan([60_000_000, 60_000_000]),
            ..short
        };
        let history = book(&loan, [history, vec![good]].concat(), on);
        assert_eq!(
            state_at(&loan, &history, date!(2025 - 03 - 09)).overdue_principal,
            20_000_000
        );
        assert_eq!(state_at(&loan, &history, on).status, LoanStatus::Current);
        let missed = state_at(&loan, &history, date!(2025 - 09 - 11));
        assert_eq!(
            (missed.overdue_principal, missed.days_past_due),
            (60_000_000, 10)
        );
    }

    #[test]
    fn transfer_to_overdue_charges_the_overdue_rate_from_its_date() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::Custom, 1, 100_000_000, start);
        let transfer_day = date!(2025 - 02 - 02);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(2, TxKind::TransferToOverdue, transfer_day, 0),
            ],
            transfer_day,
        );
        let state = state_at(&loan, &history, date!(2025 - 02 - 11));
        // 01/01–01/02 (32 days) at 7,2%: 631.233; 02/02–11/02 (10 days) at 10,8%: 295.890.
        assert_eq!(state.interest_accrued, 631_233 + 295_890);
        assert!(state.transferred_to_overdue);
        assert_eq!(state.days_past_due, 10);
        let nothing_due = tx(2, TxKind::TransferToOverdue, date!(2025 - 01 - 15), 0);
        assert!(matches!(
            admit(&loan, &history[..1], &nothing_due, transfer_day),
            Err(V::NothingOverdue { .. })
        ));
    }

    #[test]
    fn reversal_of_a_repayment_restores_the_outstanding() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let today = date!(2025 - 02 - 05);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(
                    2,
                    TxKind::PrincipalRepayment,
                    date!(2025 - 02 - 01),
                    30_000_000,
                ),
            ],
            today,
        );
        assert_eq!(state_at(&loan, &history, today).outstanding, 70_000_000);
        let history = book(
            &loan,
            [history, vec![reversal(3, today, 2)]].concat(),
            today,
        );
        let state = state_at(&loan, &history, today);
        assert_eq!((state.outstanding, state.repaid), (100_000_000, 0));
        assert!(matches!(
            admit(&loan, &history, &reversal(4, today, 2), today),
            Err(V::AlreadyReversed { target: 2, .. })
        ));
        assert!(matches!(
            admit(&loan, &history, &reversal(4, today, 3), today),
            Err(V::CannotReverseReversal { .. })
        ));
    }

    #[test]
    fn reversing_a_partly_repaid_disbursement_is_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let today = date!(2025 - 02 - 05);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(
                    2,
                    TxKind::PrincipalRepayment,
                    date!(2025 - 02 - 01),
                    30_000_000,
                ),
            ],
            today,
        );
        let err = admit(&loan, &history, &reversal(3, today, 1), today).unwrap_err();
        assert!(
            matches!(err, V::ReversalBreaksHistory { target: 1, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("giao dịch số 3: hủy giao dịch số 1 làm lịch sử")
        );
    }

    #[test]
    fn backdated_transaction_that_breaks_a_later_one_is_refused() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let today = date!(2025 - 03 - 01);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(
                    2,
                    TxKind::PrincipalRepayment,
                    date!(2025 - 03 - 01),
                    100_000_000,
                ),
            ],
            today,
        );
        let backdated = tx(3, TxKind::WriteOff, date!(2025 - 02 - 01), 10_000_000);
        assert!(matches!(
            admit(&loan, &history, &backdated, today),
            Err(V::BreaksLaterTransaction {
                id: 3,
                later: 2,
                ..
            })
        ));
    }

    #[test]
    fn closed_loan_takes_nothing_but_a_reversal() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let repay_day = date!(2025 - 01 - 11);
        // 10 days of interest: 100.000.000 × 7,2% × 10/365 = 197.260,27
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(2, TxKind::PrincipalRepayment, repay_day, 100_000_000),
                tx(3, TxKind::InterestPayment, repay_day, 197_260),
            ],
            repay_day,
        );
        let state = state_at(&loan, &history, date!(2025 - 06 - 01));
        assert_eq!(state.status, LoanStatus::Repaid);
        assert_eq!(state.interest_accrued, 0);
        let late = tx(4, TxKind::Disbursement, date!(2025 - 02 - 01), 1_000);
        assert!(matches!(
            admit(&loan, &history, &late, late.value_date),
            Err(V::LoanClosed { .. })
        ));
        assert!(
            admit(
                &loan,
                &history,
                &reversal(4, late.value_date, 2),
                late.value_date
            )
            .is_ok()
        );
    }

    #[test]
    fn full_write_off_closes_the_loan_with_its_interest() {
        let start = date!(2025 - 01 - 01);
        let loan = loan(RepaymentMethod::EqualPrincipal, 12, 100_000_000, start);
        let day = date!(2025 - 01 - 11);
        let history = book(
            &loan,
            vec![
                tx(1, TxKind::Disbursement, start, 100_000_000),
                tx(2, TxKind::WriteOff, day, 100_000_000),
            ],
            day,
        );
        let state = state_at(&loan, &history, day);
        assert_eq!(state.status, LoanStatus::WrittenOff);
        assert_eq!(
            (state.interest_accrued, state.interest_written_off),
            (0, 197_260)
        );
    }

    #[test]
    fn ageing_buckets_at_sample_days() {
        let buckets = AgeingBuckets::default();
        let sample = [
            (0, 0),
            (1, 1),
            (30, 1),
            (31, 2),
            (90, 2),
            (91, 3),
            (180, 3),
            (181, 4),
            (360, 4),
            (361, 5),
        ];
        for (days, bucket) in sample {
            assert_eq!(buckets.bucket_of(days), bucket, "{days} days");
        }
        assert_eq!(buckets.bucket_of(-5), 0);
        assert_eq!(
            buckets.labels(),
            [
                "Trong hạn",
                "1–30 ngày",
                "31–90 ngày",
                "91–180 ngày",
                "181–360 ngày",
                "Trên 360 ngày"
            ]
        );
    }

    fn portfolio_state(outstanding: i64, days_past_due: i64) -> LoanState {
        LoanState {
            on: date!(2025 - 01 - 01),
            disbursed: outstanding,
            repaid: 0,
            written_off: 0,
            outstanding,
            interest_accrued: 0,
            interest_paid: 0,
            interest_written_off: 0,
            interest_payable: 0,
            maturity: date!(2026 - 01 - 01),
            extended: false,
            overdue_principal: if days_past_due > 0 { outstanding } else { 0 },
            days_past_due,
            transferred_to_overdue: false,
            status: LoanStatus::Current,
        }
    }

    #[test]
    fn portfolio_at_risk_in_tenths() {
        let states = [
            portfolio_state(947, 0),
            portfolio_state(40, 31),
            portfolio_state(13, 30),
        ];
        assert_eq!(par_tenths(&states, 30), Some(40));
        assert_eq!(par_tenths(&states, 0), Some(53));
        assert_eq!(
            par_tenths(&[portfolio_state(2, 0), portfolio_state(1, 91)], 90),
            Some(333)
        );
        assert_eq!(par_tenths(&[portfolio_state(0, 400)], 30), None);
        assert_eq!(par_tenths(&[], 30), None);
    }

    fn passing_request() -> ApprovalRequest {
        ApprovalRequest {
            amount: 2_000_000_000,
            project_cost: 3_000_000_000,
            own_capital: 1_000_000_000,
            borrower_outstanding: 0,
            related_outstanding: 0,
            fund_charter_capital: 20_000_000_000,
            borrower_has_bad_debt: false,
            terms: terms(RepaymentMethod::EqualPrincipal, 36, 3, 2_000_000_000),
        }
    }

    #[test]
    fn approval_passes_within_every_limit() {
        assert_eq!(
            check_approval(&FundRules::default(), &passing_request()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn approval_refusals_each_with_its_message() {
        let base = passing_request();
        let cases: Vec<(ApprovalRequest, &str)> = vec![
            (
                ApprovalRequest {
                    own_capital: 450_000_000,
                    ..base.clone()
                },
                "vốn tự có 15% dự án, dưới mức tối thiểu 20%",
            ),
            (
                ApprovalRequest {
                    borrower_outstanding: 1_200_000_000,
                    ..base.clone()
                },
                "dư nợ của bên vay sau khi vay 3.200.000.000 đồng vượt 15% vốn điều lệ của Quỹ (3.000.000.000 đồng)",
            ),
            (
                ApprovalRequest {
                    related_outstanding: 3_100_000_000,
                    ..base.clone()
                },
                "dư nợ của nhóm khách hàng có liên quan sau khi vay 5.100.000.000 đồng vượt 25% vốn điều lệ của Quỹ (5.000.000.000 đồng)",
            ),
            (
                ApprovalRequest {
                    borrower_has_bad_debt: true,
                    ..base.clone()
                },
                "bên vay đang có nợ xấu",
            ),
            (
                ApprovalRequest {
                    project_cost: 2_500_000_000,
                    own_capital: 600_000_000,
                    ..base.clone()
                },
                "số tiền vay cộng vốn tự có 2.600.000.000 đồng vượt tổng mức đầu tư dự án 2.500.000.000 đồng",
            ),
            (
                ApprovalRequest {
                    terms: LoanTerms {
                        overdue_rate_bp: 1100,
                        ..base.terms.clone()
                    },
                    ..base.clone()
                },
                "lãi suất quá hạn 11%/năm vượt 150% lãi suất trong hạn 7,2%/năm (tối đa 10,8%/năm)",
            ),
            (
                ApprovalRequest {
                    terms: LoanTerms {
                        term_months: 72,
                        ..base.terms.clone()
                    },
                    ..base.clone()
                },
                "thời hạn vay 72 tháng vượt mức tối đa 60 tháng",
            ),
            (
                ApprovalRequest {
                    terms: LoanTerms {
                        repayment_every_months: 2,
                        ..base.terms.clone()
                    },
                    ..base.clone()
                },
                "kỳ trả nợ 2 tháng không hợp lệ (chỉ 1, 3, 6 hoặc 12 tháng)",
            ),
            (
                ApprovalRequest {
                    terms: LoanTerms {
                        approved_amount: 1_900_000_000,
                        ..base.terms.clone()
                    },
                    ..base.clone()
                },
                "số tiền trong điều kiện vay 1.900.000.000 đồng khác số tiền đề nghị vay 2.000.000.000 đồng",
            ),
        ];
        for (request, message) in cases {
            assert_eq!(
                check_approval(&FundRules::default(), &request),
                vec![message.to_owned()]
            );
        }
    }

    #[test]
    fn approval_lists_every_refusal_at_once() {
        let request = ApprovalRequest {
            own_capital: 300_000_000,
            borrower_has_bad_debt: true,
            ..passing_request()
        };
        assert_eq!(check_approval(&FundRules::default(), &request).len(), 2);
    }

    #[test]
    fn vietnamese_formatting() {
        assert_eq!(dong(2_050_000_000), "2.050.000.000 đồng");
        assert_eq!(dong(999), "999 đồng");
        assert_eq!(dong(1_000), "1.000 đồng");
        assert_eq!(dong(-1_234_567), "-1.234.567 đồng");
        assert_eq!(ngay(date!(2025 - 03 - 07)), "07/03/2025");
        assert_eq!(rate_text(720), "7,2%/năm");
        assert_eq!(rate_text(725), "7,25%/năm");
        assert_eq!(rate_text(1_000), "10%/năm");
        assert_eq!(percent_text(195), "19,5%");
    }

    #[test]
    fn serde_names_are_snake_case() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let kind: StrDeserializer<'_, Error> = "transfer_to_overdue".into_deserializer();
        assert_eq!(TxKind::deserialize(kind), Ok(TxKind::TransferToOverdue));
        let method: StrDeserializer<'_, Error> = "equal_principal".into_deserializer();
        assert_eq!(
            RepaymentMethod::deserialize(method),
            Ok(RepaymentMethod::EqualPrincipal)
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use time::Duration;
    use time::macros::date;

    #[derive(Debug, Clone)]
    enum Op {
        Disburse(i64),
        Repay(i64),
        PayInterest(i64),
        Extend(u32, bool),
        Reschedule(usize),
        Transfer,
        WriteOff(i64),
        Reverse(usize),
    }

    /// Per mille of the relevant limit: 1000 often (to close loans), above 1000 now and then
    /// (to be refused).
    fn fraction() -> impl Strategy<Value = i64> {
        prop_oneof![3 => 0_i64..=1100, 1 => Just(1000_i64)]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => fraction().prop_map(Op::Disburse),
            4 => fraction().prop_map(Op::Repay),
            3 => fraction().prop_map(Op::PayInterest),
            1 => (0_u32..30, any::<bool>()).prop_map(|(months, with_decision)| Op::Extend(months, with_decision)),
            1 => (0_usize..4).prop_map(Op::Reschedule),
            1 => Just(Op::Transfer),
            1 => fraction().prop_map(Op::WriteOff),
            1 => any::<usize>().prop_map(Op::Reverse),
        ]
    }

    fn method() -> impl Strategy<Value = RepaymentMethod> {
        prop_oneof![
            Just(RepaymentMethod::EqualPrincipal),
            Just(RepaymentMethod::Annuity),
            Just(RepaymentMethod::Custom),
        ]
    }

    fn per_mille(base: i64, fraction: i64) -> i64 {
        base.max(0) * fraction / 1000
    }

    fn candidate(loan: &Loan, history: &[LoanTx], op: &Op, date: Date, id: i64) -> LoanTx {
        let state = state_at(loan, history, date);
        let mut tx = LoanTx::new(id, TxKind::Disbursement, date, 0);
        match *op {
            Op::Disburse(f) => {
                tx.amount = per_mille(loan.terms.approved_amount - state.disbursed, f)
            }
            Op::Repay(f) => {
                tx.kind = TxKind::PrincipalRepayment;
                tx.amount = per_mille(state.outstanding, f);
            }
            Op::PayInterest(f) => {
                tx.kind = TxKind::InterestPayment;
                tx.amount = per_mille(state.interest_payable, f);
            }
            Op::Extend(months, with_decision) => {
                tx.kind = TxKind::Extension;
                tx.new_maturity = Some(add_months(state.maturity, months) - Duration::days(20));
                if with_decision {
                    tx.reference = format!("QĐ {id}/QHT");
                }
            }
            Op::Reschedule(extra) => {
                tx.kind = TxKind::Reschedule;
                tx.new_schedule = spread(state.outstanding, date, state.maturity, extra + 1);
            }
            Op::Transfer => tx.kind = TxKind::TransferToOverdue,
            Op::WriteOff(f) => {
                tx.kind = TxKind::WriteOff;
                tx.amount = per_mille(state.outstanding, f);
            }
            Op::Reverse(pick) => {
                tx.kind = TxKind::Reversal;
                tx.reverses = (!history.is_empty()).then(|| history[pick % history.len()].id);
            }
        }
        tx
    }

    /// `parts` instalments between `after` and `maturity`, summing to `outstanding`.
    fn spread(outstanding: i64, after: Date, maturity: Date, parts: usize) -> Vec<Instalment> {
        let span = days_between(after, maturity).max(1);
        let parts_i64 = parts as i64;
        (0..parts_i64)
            .map(|part| Instalment {
                due: after + Duration::days(span * (part + 1) / parts_i64),
                principal: if part + 1 == parts_i64 {
                    outstanding - (outstanding / parts_i64) * (parts_i64 - 1)
                } else {
                    outstanding / parts_i64
                },
                interest: 0,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn admitted_histories_keep_the_invariants(
            method in method(),
            steps in prop::collection::vec((op(), 0_i64..75, 0_u8..10), 1..40),
        ) {
            let start = date!(2024 - 01 - 31);
            let loan = Loan::new(
                LoanTerms {
                    approved_amount: 1_000_000_000,
                    annual_rate_bp: 720,
                    overdue_rate_bp: 1080,
                    term_months: 12,
                    repayment_every_months: 1,
                    method,
                    first_due: None,
                },
                start,
            );
            let mut history: Vec<LoanTx> = Vec::new();
            let mut today = start;
            for (id, (op, days, backdate)) in (1_i64..).zip(steps) {
                // One step in ten goes back in time to exercise re-validation of later entries.
                let date = if backdate == 0 {
                    start + Duration::days(days % (days_between(start, today) + 1))
                } else {
                    today + Duration::days(days)
                };
                today = today.max(date);
                let tx = candidate(&loan, &history, &op, date, id);
                if admit(&loan, &history, &tx, today).is_ok() {
                    history.push(tx);
                }
            }
            prop_assert!(validate_history(&loan, &history, today).is_ok());

            let mut dates = vec![start - Duration::days(1), loan.maturity, today + Duration::days(400)];
            for tx in &history {
                dates.extend([tx.value_date - Duration::days(1), tx.value_date, tx.value_date + Duration::days(1)]);
            }
            let mut reordered = history.clone();
            reordered.reverse();
            for on in dates {
                let state = state_at(&loan, &history, on);
                prop_assert_eq!(state.outstanding, state.disbursed - state.repaid - state.written_off);
                prop_assert!(state.outstanding >= 0);
                prop_assert!(state.interest_accrued >= 0);
                prop_assert!(state.interest_payable >= 0);
                prop_assert!(state.overdue_principal <= state.outstanding);
                prop_assert!(state.days_past_due >= 0);
                if state.overdue_principal == 0 {
                    prop_assert_eq!(state.days_past_due, 0);
                }
                prop_assert_eq!(&state_at(&loan, &reordered, on), &state);
            }
        }
    }

    #[test]
    fn positions_give_the_same_figures_as_replay_on_every_day() {
        let terms = LoanTerms {
            approved_amount: 600_000_000,
            annual_rate_bp: 660,
            overdue_rate_bp: 990,
            term_months: 24,
            repayment_every_months: 6,
            method: RepaymentMethod::EqualPrincipal,
            first_due: None,
        };
        let loan = Loan::new(terms, date!(2021 - 01 - 10));
        let mut txs = vec![LoanTx::new(
            1,
            TxKind::Disbursement,
            date!(2021 - 01 - 10),
            600_000_000,
        )];
        txs.push(LoanTx::new(
            2,
            TxKind::PrincipalRepayment,
            date!(2021 - 07 - 10),
            150_000_000,
        ));
        // The second instalment is missed, then the loan is extended.
        let mut ext = LoanTx::new(3, TxKind::Extension, date!(2022 - 03 - 01), 0);
        ext.new_maturity = Some(date!(2023 - 06 - 30));
        ext.reference = "1/QĐ".into();
        txs.push(ext);
        txs.push(LoanTx::new(
            4,
            TxKind::PrincipalRepayment,
            date!(2023 - 08 - 15),
            100_000_000,
        ));
        let positions = positions(&loan, &txs);
        let mut day = date!(2021 - 01 - 01);
        while day < date!(2024 - 06 - 30) {
            let state = state_at(&loan, &txs, day);
            let p = positions
                .iter()
                .find(|p| p.from <= day && p.to.is_none_or(|t| day < t));
            let (outstanding, overdue, dpd) = p.map_or((0, 0, 0), |p| {
                (p.outstanding, p.overdue_principal, p.days_past_due(day))
            });
            assert_eq!(
                (outstanding, overdue, dpd),
                (
                    state.outstanding,
                    state.overdue_principal,
                    state.days_past_due
                ),
                "{day}"
            );
            day = day.next_day().unwrap();
        }
    }
}
