//! Admission of a new transaction after a loan's history.

use super::*;

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

pub(super) type V = FundRuleViolation;

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
pub(super) type Refusal = (i64, FundRuleViolation);

/// Checks a whole history: identifiers, dates and reversal targets, then every effective
/// transaction against the balances left by those booked before it.
pub(super) fn validate_history(loan: &Loan, txs: &[LoanTx], today: Date) -> Result<(), Refusal> {
    check_structure(loan, txs, today)?;
    let mut book = Book::open(loan);
    for tx in effective(txs) {
        book.accrue_until(tx.value_date);
        book.check(tx).map_err(|violation| (tx.id, violation))?;
        book.apply(tx);
    }
    Ok(())
}

pub(super) fn check_structure(loan: &Loan, txs: &[LoanTx], today: Date) -> Result<(), Refusal> {
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

pub(super) fn check_dates(loan: &Loan, tx: &LoanTx, today: Date) -> Result<(), FundRuleViolation> {
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

pub(super) fn check_reversal_target(
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
    pub(super) fn check(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_disbursement(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_repayment(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_interest_payment(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_extension(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_reschedule(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_transfer(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

    pub(super) fn check_write_off(&self, tx: &LoanTx) -> Result<(), FundRuleViolation> {
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

pub(super) fn require_positive(tx: &LoanTx) -> Result<(), FundRuleViolation> {
    if tx.amount > 0 {
        Ok(())
    } else {
        Err(V::NonPositiveAmount { id: tx.id })
    }
}
