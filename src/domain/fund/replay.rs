//! The loan state on a date, replayed from its transactions, and the position projection.

use super::*;

// ---------------------------------------------------------------------------------------------
// Loan state
// ---------------------------------------------------------------------------------------------

/// Classification of a loan on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
pub(super) fn effective(txs: &[LoanTx]) -> Vec<&LoanTx> {
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
pub(super) struct Overdue {
    pub(super) principal: i64,
    /// Oldest unpaid due date, when `principal` > 0.
    pub(super) since: Option<Date>,
}

/// Running balances while replaying effective transactions in order.
pub(super) struct Book<'a> {
    pub(super) terms: &'a LoanTerms,
    pub(super) disbursed: i64,
    pub(super) repaid: i64,
    pub(super) written_off: i64,
    pub(super) interest_paid: i64,
    pub(super) interest_written_off: i64,
    /// Interest accrued for every day before `accrued_until`.
    pub(super) interest_accrued: i64,
    pub(super) accrued_until: Date,
    pub(super) maturity: Date,
    pub(super) extended: bool,
    /// Principal plan in due order, and the principal settled against it since it was set
    /// (repayments and write-offs settle the oldest instalments first).
    pub(super) plan: Vec<Instalment>,
    pub(super) credited: i64,
    /// Principal transferred to overdue and not settled since.
    pub(super) transferred: i64,
}

impl<'a> Book<'a> {
    pub(super) fn open(loan: &'a Loan) -> Self {
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

    pub(super) fn outstanding(&self) -> i64 {
        self.disbursed
            .saturating_sub(self.repaid)
            .saturating_sub(self.written_off)
    }

    pub(super) fn interest_owed(&self) -> i64 {
        self.interest_accrued
            .saturating_sub(self.interest_paid)
            .saturating_sub(self.interest_written_off)
    }

    pub(super) fn is_closed(&self) -> bool {
        self.disbursed > 0 && self.outstanding() <= 0 && self.interest_owed() <= 0
    }

    /// Interest for `days` days from `accrued_until` at the current balances: one accrual
    /// period, rounded once.
    pub(super) fn interest_for_days(&self, days: i64) -> i64 {
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
    pub(super) fn accrue_until(&mut self, day: Date) {
        let days = days_between(self.accrued_until, day);
        if days > 0 {
            self.interest_accrued = self
                .interest_accrued
                .saturating_add(self.interest_for_days(days));
            self.accrued_until = day;
        }
    }

    pub(super) fn first_unpaid_due(&self) -> Option<Date> {
        let mut cumulative = 0_i64;
        self.plan
            .iter()
            .find(|instalment| {
                cumulative = cumulative.saturating_add(instalment.principal);
                cumulative > self.credited
            })
            .map(|instalment| instalment.due)
    }

    pub(super) fn overdue(&self, on: Date) -> Overdue {
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

    pub(super) fn apply(&mut self, tx: &LoanTx) {
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
    pub(super) fn settle(&mut self, amount: i64) {
        self.credited = self.credited.saturating_add(amount);
        self.transferred = self.transferred.saturating_sub(amount).max(0);
    }

    /// A new plan for the whole outstanding principal: nothing is due under it yet.
    pub(super) fn rebase(&mut self, mut plan: Vec<Instalment>) {
        plan.sort_by_key(|instalment| instalment.due);
        self.plan = plan;
        self.credited = 0;
        self.transferred = 0;
    }

    pub(super) fn snapshot(&self, on: Date) -> LoanState {
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

    pub(super) fn status(&self, overdue_principal: i64, interest_accrued: i64) -> LoanStatus {
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
