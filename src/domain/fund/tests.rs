//! Unit tests of the loan book's domain core.

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
            let schedule = generate_schedule(&terms(method, months, every, amount), amount, start);
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
fn approval_refusals_name_the_field_of_the_application() {
    let base = passing_request();
    let rules = FundRules::default();
    let fields = |req: ApprovalRequest| -> Vec<&'static str> {
        approval_refusals(&rules, &req)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    };
    assert_eq!(
        fields(ApprovalRequest {
            own_capital: 450_000_000,
            ..base.clone()
        }),
        ["own_capital"]
    );
    assert_eq!(
        fields(ApprovalRequest {
            borrower_outstanding: 1_200_000_000,
            ..base.clone()
        }),
        ["amount"]
    );
    assert_eq!(
        fields(ApprovalRequest {
            borrower_has_bad_debt: true,
            ..base.clone()
        }),
        ["bad_debt"]
    );
    let mut long = base.clone();
    long.terms.term_months = 100;
    long.terms.repayment_every_months = 2;
    long.terms.overdue_rate_bp = long.terms.annual_rate_bp * 2;
    assert_eq!(
        fields(long.clone()),
        ["term_months", "every_months", "overdue_rate"]
    );
    assert_eq!(
        approval_refusals(&rules, &long)[0].1,
        "thời hạn vay 100 tháng vượt mức tối đa 60 tháng"
    );
    // The maximum term is the deployment's setting.
    let longer = FundRules {
        max_term_months: 120,
        ..rules
    };
    assert!(
        terms_refusals(&longer, &long.terms)
            .iter()
            .all(|(f, _)| *f != "term_months")
    );
    // The text-only form lists the same reasons.
    assert_eq!(
        check_approval(&rules, &long),
        approval_refusals(&rules, &long)
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>()
    );
}

#[test]
fn transaction_refusals_name_the_field_of_the_form() {
    let d = date!(2025 - 01 - 01);
    let cases = [
        (
            V::FutureDate {
                id: 1,
                date: d,
                today: d,
            },
            "date",
        ),
        (
            V::BeforeContract {
                id: 1,
                date: d,
                start: d,
            },
            "date",
        ),
        (
            V::RepaymentExceedsOutstanding {
                id: 1,
                amount: 1,
                outstanding: 0,
                date: d,
            },
            "amount",
        ),
        (V::MissingNewMaturity { id: 1 }, "new_maturity"),
        (V::MissingDecision { id: 1 }, "reference"),
        (V::EmptySchedule { id: 1 }, "new_schedule"),
        (V::AlreadyReversed { id: 1, target: 2 }, "reverses"),
    ];
    for (v, field) in cases {
        assert_eq!(v.field(), field, "{v}");
    }
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
