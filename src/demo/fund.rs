//! The demo fund: a loan book whose first half of 2022 is the seed's fund statement
//! (disbursed to 05 HTX, 2 tỷ 50 triệu đồng; extended for 02 HTX, 950 triệu đồng; outstanding
//! 24 tỷ 164 triệu đồng with 63 HTX borrowing on 30/06/2022), with a history before it
//! (repaid loans, two loans in arrears) and repayments after it.

use crate::demo::rng::Rng;
use crate::domain::fund::{self, Instalment, LoanTerms, LoanTx, RepaymentMethod, TxKind};
use crate::domain::registry::OrgKind;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::fund::CapitalChange;
use crate::store::fund::{FundBatch, NewLoan};
use crate::store::registry::OrgFilter;
use time::{Date, Duration, Month, macros::date};

const MILLION: i64 = 1_000_000;
/// The seed's outstanding on 30/06/2022.
const OUTSTANDING_H1_2022: i64 = 24_164 * MILLION;
const NEW_LOANS_H1_2022: [i64; 5] = [600, 450, 400, 350, 250];
const EXTENDED_H1_2022: [i64; 2] = [500, 450];
/// Repayments are recorded up to this date.
const BOOKED_UNTIL: Date = date!(2026 - 09 - 30);
const SEED_DATE: Date = date!(2022 - 06 - 30);

const PURPOSES: &[&str] = &[
    "Mua máy gặt đập liên hợp phục vụ thành viên",
    "Xây dựng nhà sơ chế, đóng gói rau an toàn",
    "Mua vật tư nông nghiệp cung ứng cho thành viên",
    "Đầu tư hệ thống tưới tiết kiệm nước",
    "Mua xe vận chuyển nông sản",
    "Xây dựng kho lạnh bảo quản nông sản",
    "Mở rộng xưởng sản xuất đồ gỗ mỹ nghệ",
];

/// Builds the demo loan book (the registry must already hold the demo organisations).
pub async fn build(store: &Store, author: &str, today: Date) -> Result<(usize, usize)> {
    store
        .add_fund_capital(
            &CapitalChange {
                date: date!(2015 - 06 - 01),
                amount: 20_000 * MILLION,
                source: "Ngân sách tỉnh cấp vốn điều lệ".into(),
                reference: "QĐ 215/QĐ-UBND".into(),
            },
            author,
        )
        .await?;
    store
        .add_fund_capital(
            &CapitalChange {
                date: date!(2019 - 01 - 15),
                amount: 10_000 * MILLION,
                source: "Ngân sách tỉnh bổ sung vốn điều lệ".into(),
                reference: "QĐ 28/QĐ-UBND".into(),
            },
            author,
        )
        .await?;
    store
        .add_fund_capital(
            &CapitalChange {
                date: date!(2023 - 03 - 01),
                amount: 5_000 * MILLION,
                source: "Ngân sách tỉnh bổ sung vốn điều lệ".into(),
                reference: "QĐ 112/QĐ-UBND".into(),
            },
            author,
        )
        .await?;
    let borrowers = borrower_pool(store).await?;
    if borrowers.len() < 75 {
        return Err(Error::NotFound("đủ HTX để tạo dữ liệu mẫu của Quỹ".into()));
    }
    let mut rng = Rng::new(0x51_55_59);
    let mut book = Book {
        batch: FundBatch::default(),
        serial: 0,
    };

    // Loans fully repaid before 2022, to cooperatives that may borrow again later.
    for i in 0..20 {
        let start = rng.date(date!(2015 - 09 - 01), date!(2017 - 06 - 30));
        let amount = rng.range(20, 60) * 10 * MILLION;
        book.scheduled(borrowers[i * 3], amount, start, 36, |_| false, &mut rng);
    }
    // Loans running on 30/06/2022. Draws are repeated until a last, balancing loan of a
    // plausible size makes the outstanding exactly the seed's.
    let before_running = (book.batch.clone(), book.serial);
    let balance = loop {
        (book.batch, book.serial) = before_running.clone();
        let mut running = Vec::new();
        for (i, borrower) in borrowers.iter().take(55).enumerate() {
            // Late enough that every one of them still runs on 30/06/2022.
            let start = rng.date(date!(2019 - 08 - 01), date!(2021 - 10 - 31));
            let term = *rng.pick(&[36u32, 48, 60]);
            let amount = i64::from(term / 6) * rng.range(4, 11) * 10 * MILLION;
            let missed: Box<dyn Fn(Date) -> bool> = match i {
                // Arrears of more than 90 days: bad debt on 30/06/2022.
                3 => Box::new(|d: Date| d >= date!(2021 - 10 - 01) && d <= date!(2023 - 12 - 31)),
                // The June 2022 instalment unpaid.
                9 => Box::new(|d: Date| d >= date!(2022 - 06 - 01) && d <= date!(2022 - 06 - 30)),
                _ => Box::new(|_| false),
            };
            running.push(book.scheduled(*borrower, amount, start, term, missed, &mut rng));
        }
        let so_far: i64 = running
            .iter()
            .map(|&i| book.outstanding(i, SEED_DATE))
            .sum();
        let bullets: i64 = EXTENDED_H1_2022.iter().sum::<i64>() * MILLION;
        let new_loans: i64 = NEW_LOANS_H1_2022.iter().sum::<i64>() * MILLION;
        let balance = OUTSTANDING_H1_2022 - so_far - bullets - new_loans;
        if (300 * MILLION..=1_500 * MILLION).contains(&balance) {
            break balance;
        }
    };
    // Contracted late in 2021 with the first instalment after June 2022.
    book.scheduled_from(
        borrowers[55],
        balance,
        date!(2021 - 12 - 15),
        48,
        Some(date!(2022 - 12 - 15)),
        &mut rng,
    );
    // Two loans with their principal due in spring 2022, extended by a decision (gia hạn nợ).
    for (k, amount) in EXTENDED_H1_2022.iter().enumerate() {
        let start = date!(2019 - 03 - 25) + Duration::days(20 * k as i64);
        let idx = book.bullet(borrowers[56 + k], amount * MILLION, start, 36, &mut rng);
        let extension = date!(2022 - 03 - 15) + Duration::days(30 * k as i64);
        let new_maturity = date!(2023 - 03 - 31) + Duration::days(30 * k as i64);
        book.extend(
            idx,
            extension,
            new_maturity,
            &format!("{}/QĐ-QHTPT", 12 + k),
        );
        book.repay_rest(idx, new_maturity);
    }
    // The seed's five disbursements of the first half of 2022.
    for (k, amount) in NEW_LOANS_H1_2022.into_iter().enumerate() {
        let start = rng.date(date!(2022 - 01 - 10), date!(2022 - 06 - 20));
        book.scheduled(
            borrowers[58 + k],
            amount * MILLION,
            start,
            36,
            |_| false,
            &mut rng,
        );
    }
    // Lending goes on after the seed's half-year.
    for borrower in borrowers.iter().skip(63).take(12) {
        let start = rng.date(date!(2022 - 08 - 01), date!(2026 - 06 - 30));
        let amount = 6 * rng.range(5, 15) * 10 * MILLION;
        book.scheduled(*borrower, amount, start, 36, |_| false, &mut rng);
    }
    store.apply_fund_batch(&book.batch, author, today).await
}

/// Cooperatives (HTX) that exist from 2015 to 2026, in a stable order.
async fn borrower_pool(store: &Store) -> Result<Vec<i64>> {
    let list = |on: Date| OrgFilter {
        on: Some(on),
        kind: Some(OrgKind::Htx),
        counted_only: true,
        limit: 5_000,
        ..OrgFilter::default()
    };
    let (early, _) = store.list_orgs(&list(date!(2015 - 01 - 01))).await?;
    let (late, _) = store.list_orgs(&list(BOOKED_UNTIL)).await?;
    let late: std::collections::HashSet<i64> = late.into_iter().map(|o| o.id).collect();
    let mut ids = Vec::new();
    for org in early.into_iter().filter(|o| late.contains(&o.id)) {
        ids.push(store.borrower_for_org(org.id, "").await?);
    }
    Ok(ids)
}

#[derive(Clone)]
struct Book {
    batch: FundBatch,
    serial: usize,
}

impl Book {
    fn terms(amount: i64, term: u32, method: RepaymentMethod) -> LoanTerms {
        LoanTerms {
            approved_amount: amount,
            annual_rate_bp: 660,
            overdue_rate_bp: 990,
            term_months: term,
            repayment_every_months: 6,
            method,
            first_due: None,
        }
    }

    fn contract(
        &mut self,
        borrower: i64,
        terms: LoanTerms,
        start: Date,
        schedule: Option<Vec<Instalment>>,
        rng: &mut Rng,
    ) -> usize {
        self.serial += 1;
        let purpose = rng.pick(PURPOSES).to_string();
        let amount = terms.approved_amount;
        self.batch.loans.push((
            NewLoan {
                contract_no: format!("{:03}/{}/HĐTD-QHTPT", self.serial, start.year()),
                borrower_id: borrower,
                purpose,
                decision_no: format!("{}/QĐ-QHTPT", 40 + self.serial),
                decision_date: start - Duration::days(7),
                contract_date: start,
                terms,
                schedule,
                collateral: "Thế chấp tài sản hình thành từ vốn vay".into(),
                project_cost: amount * 100 / 70,
                own_capital: amount * 30 / 70,
            },
            vec![tx(TxKind::Disbursement, start, amount)],
        ));
        self.batch.loans.len() - 1
    }

    /// An equal-principal loan repaid on its due dates, except those `missed`.
    fn scheduled(
        &mut self,
        borrower: i64,
        amount: i64,
        start: Date,
        term: u32,
        missed: impl Fn(Date) -> bool,
        rng: &mut Rng,
    ) -> usize {
        self.repaid_on_schedule(borrower, amount, start, term, None, missed, rng)
    }

    /// Like [`Book::scheduled`], with a first due date given by the contract.
    fn scheduled_from(
        &mut self,
        borrower: i64,
        amount: i64,
        start: Date,
        term: u32,
        first_due: Option<Date>,
        rng: &mut Rng,
    ) -> usize {
        self.repaid_on_schedule(borrower, amount, start, term, first_due, |_| false, rng)
    }

    #[allow(clippy::too_many_arguments)]
    fn repaid_on_schedule(
        &mut self,
        borrower: i64,
        amount: i64,
        start: Date,
        term: u32,
        first_due: Option<Date>,
        missed: impl Fn(Date) -> bool,
        rng: &mut Rng,
    ) -> usize {
        let mut terms = Self::terms(amount, term, RepaymentMethod::EqualPrincipal);
        terms.first_due = first_due;
        let idx = self.contract(borrower, terms, start, None, rng);
        let loan = crate::store::fund::loan_of(&self.batch.loans[idx].0);
        for instalment in loan.schedule.clone() {
            if instalment.due > BOOKED_UNTIL || missed(instalment.due) {
                continue;
            }
            self.pay(idx, instalment.due, instalment.principal);
        }
        idx
    }

    /// Interest every six months, the whole principal at maturity (before any extension).
    fn bullet(
        &mut self,
        borrower: i64,
        amount: i64,
        start: Date,
        term: u32,
        rng: &mut Rng,
    ) -> usize {
        let maturity = add_months(start, term);
        let schedule = vec![Instalment {
            due: maturity,
            principal: amount,
            interest: 0,
        }];
        let idx = self.contract(
            borrower,
            Self::terms(amount, term, RepaymentMethod::Custom),
            start,
            Some(schedule),
            rng,
        );
        let mut d = add_months(start, 6);
        while d < date!(2022 - 03 - 01) {
            self.pay(idx, d, 0);
            d = add_months(d, 6);
        }
        idx
    }

    fn extend(&mut self, idx: usize, on: Date, new_maturity: Date, decision: &str) {
        let mut t = tx(TxKind::Extension, on, 0);
        t.new_maturity = Some(new_maturity);
        t.reference = decision.to_string();
        self.batch.loans[idx].1.push(t);
    }

    fn repay_rest(&mut self, idx: usize, on: Date) {
        let outstanding = self.outstanding(idx, on);
        self.pay(idx, on, outstanding);
    }

    /// Pays the interest due and `principal` (capped at the outstanding) on a date.
    fn pay(&mut self, idx: usize, on: Date, principal: i64) {
        let state = self.state(idx, on);
        if state.interest_payable > 0 {
            self.batch.loans[idx]
                .1
                .push(tx(TxKind::InterestPayment, on, state.interest_payable));
        }
        let principal = principal.min(state.outstanding);
        if principal > 0 {
            self.batch.loans[idx]
                .1
                .push(tx(TxKind::PrincipalRepayment, on, principal));
        }
    }

    fn state(&self, idx: usize, on: Date) -> fund::LoanState {
        let (new, txs) = &self.batch.loans[idx];
        let numbered: Vec<LoanTx> = txs
            .iter()
            .enumerate()
            .map(|(i, t)| LoanTx {
                id: i as i64 + 1,
                ..t.clone()
            })
            .collect();
        fund::state_at(&crate::store::fund::loan_of(new), &numbered, on)
    }

    fn outstanding(&self, idx: usize, on: Date) -> i64 {
        self.state(idx, on).outstanding
    }
}

fn tx(kind: TxKind, value_date: Date, amount: i64) -> LoanTx {
    LoanTx::new(0, kind, value_date, amount)
}

fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months as i32;
    let month = Month::January.nth_next((total % 12) as u8);
    let year = total / 12;
    Date::from_calendar_date(year, month, d.day().min(month.length(year))).unwrap_or(d)
}
