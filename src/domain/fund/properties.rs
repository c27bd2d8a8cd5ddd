//! Property tests: random histories keep the book's invariants.

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
        Op::Disburse(f) => tx.amount = per_mille(loan.terms.approved_amount - state.disbursed, f),
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
