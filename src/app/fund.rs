//! The support fund's writes from typed input: changes of the charter capital, loan
//! contracts and loan transactions. The CLI (`htx fund …`), the import sheets ("Khoản vay",
//! "Lịch trả nợ", "Giao dịch vay"), the loan page and the JSON API all map what they were
//! given onto these inputs and call these checks, so each lending rule is written once.
//!
//! Every check reports all the problems it finds, each named by the input's field.

use super::{REQUIRED, not_future, optional_date, required, required_date};
use crate::domain::fund::{
    self, ApprovalRequest, FundRules, Instalment, Loan, LoanTerms, LoanTx, RepaymentMethod,
};
use crate::domain::registry::OrgKind;
use crate::domain::report::BorrowerKind;
use crate::domain::{parse_date, text};
use crate::error::{Error, Problems, Result};
use crate::store::Store;
use crate::store::fund::{Borrower, BorrowerRef, LoanRecord, NewLoan, loan_of, tx_from};
use crate::store::registry::OrgSummary;
use serde::Deserialize;
use std::collections::HashMap;
use time::Date;

fn required_whole(problems: &mut Problems, field: &str, value: &str) -> Option<i64> {
    match problems.take(field, text::parse_whole_number(value)) {
        Some(Some(n)) => Some(n),
        Some(None) => {
            problems.add(field, REQUIRED);
            None
        }
        None => None,
    }
}

/// Reads a percentage such as "6,6", "6.6" or "6,60%" into basis points.
pub fn basis_points(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let v: f64 = s.parse().ok()?;
    (v.is_finite() && (0.0..100.0).contains(&v)).then(|| (v * 100.0).round() as i64)
}

/// Reads a repayment method from its code or Vietnamese name.
pub fn method_from(s: &str) -> Option<RepaymentMethod> {
    match text::fold(s).as_str() {
        "tra goc deu" | "equal_principal" | "equal principal" => {
            Some(RepaymentMethod::EqualPrincipal)
        }
        "tra gop deu" | "annuity" => Some(RepaymentMethod::Annuity),
        "theo lich" | "theo thoa thuan" | "custom" => Some(RepaymentMethod::Custom),
        _ => None,
    }
}

/// Instalments typed as `DATE:PRINCIPAL,DATE:PRINCIPAL…` (an agreed schedule, a reschedule).
pub fn parse_instalments(s: &str) -> std::result::Result<Vec<Instalment>, String> {
    s.split(',')
        .map(|part| {
            let (d, p) = part
                .split_once(':')
                .ok_or_else(|| format!("\"{part}\" phải có dạng NGÀY:SỐ_TIỀN"))?;
            Ok(Instalment {
                due: parse_date(d)?,
                principal: text::parse_whole_number(p)?
                    .ok_or_else(|| format!("\"{part}\" thiếu số tiền"))?,
                interest: 0,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Charter capital
// ---------------------------------------------------------------------------------------------

/// A change of the fund's charter capital as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CapitalInput {
    /// Value date.
    pub date: String,
    /// Amount in đồng; negative to reduce.
    pub amount: String,
    /// Where the capital comes from (the province's budget…).
    pub source: String,
    pub reference: String,
}

/// A checked change of the charter capital.
pub type CheckedCapital = crate::store::fund::CapitalChange;

/// Checks a change of the charter capital: a date not in the future, a non-zero amount that
/// does not take the capital below zero, a source.
pub async fn check_capital(
    store: &Store,
    input: &CapitalInput,
    today: Date,
) -> Result<CheckedCapital> {
    check_capital_among(store, input, &[], today).await
}

/// [`check_capital`] with the changes `earlier` in the same file (not yet written) counted
/// in the capital the reduction may not take below zero.
pub async fn check_capital_among(
    store: &Store,
    input: &CapitalInput,
    earlier: &[(Date, i64)],
    today: Date,
) -> Result<CheckedCapital> {
    use crate::domain::text::MAX_LINE_CHARS;
    let mut problems = Problems::new();
    let date = required_date(&mut problems, "date", &input.date);
    not_future(&mut problems, "date", date, today);
    let typed = input.amount.trim();
    let (negative, digits) = match typed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, typed),
    };
    let amount =
        required_whole(&mut problems, "amount", digits).map(|n| if negative { -n } else { n });
    if amount == Some(0) {
        problems.add("amount", "số tiền phải khác 0");
    }
    let source = required(&mut problems, "source", &input.source);
    let reference = text::clean(&input.reference);
    problems.keep(Error::check_lengths(&[
        (
            "source",
            source.as_deref().unwrap_or_default(),
            MAX_LINE_CHARS,
        ),
        ("reference", &reference, MAX_LINE_CHARS),
    ]))?;
    if let (Some(date), Some(amount)) = (date, amount)
        && amount < 0
    {
        // The reduction lowers the capital of its date and of every later date: the lowest
        // of them must stay at or above zero.
        let mut movements = store.fund_capital_movements().await?;
        movements.extend_from_slice(earlier);
        let capital_on = |day: Date| -> i64 {
            movements
                .iter()
                .filter(|(d, _)| *d <= day)
                .map(|(_, a)| a)
                .sum()
        };
        let lowest = std::iter::once(date)
            .chain(movements.iter().map(|(d, _)| *d).filter(|d| *d > date))
            .map(|day| (day, capital_on(day)))
            .min_by_key(|(_, capital)| *capital);
        if let Some((day, capital)) = lowest
            && capital + amount < 0
        {
            problems.add(
                "amount",
                format!(
                    "giảm {} vượt vốn điều lệ của Quỹ ngày {} ({})",
                    text::money(-amount),
                    text::date(day),
                    text::money(capital)
                ),
            );
        }
    }
    problems.finish(|| {
        Some(CheckedCapital {
            date: date?,
            amount: amount?,
            source: source?,
            reference,
        })
    })
}

/// Records a change of the charter capital (with its audit entry); returns the capital on
/// its date afterwards.
pub async fn record_capital(
    store: &Store,
    input: &CapitalInput,
    author: &str,
    today: Date,
) -> Result<i64> {
    let c = check_capital(store, input, today).await?;
    store.add_fund_capital(&c, author).await?;
    store.fund_capital_at(c.date).await
}

// ---------------------------------------------------------------------------------------------
// Loans
// ---------------------------------------------------------------------------------------------

/// A loan contract as typed: a command line, a row of the sheet "Khoản vay".
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoanInput {
    /// Contract number.
    pub contract: String,
    /// Registration code of the borrowing organisation (or of the member's cooperative).
    pub borrower: String,
    /// Loại bên vay: HTX, LHHTX, THT, or "thành viên" (a member of an HTX or THT borrowing as
    /// a person); blank to take it from the registry and whether a member is named.
    pub borrower_kind: String,
    /// For a member borrowing as a person: their name (Tên bên vay; the organisation's own
    /// name here names the organisation) …
    pub member_name: String,
    /// … and identity number.
    pub member_id: String,
    /// Related-party group label (borrowers sharing it count together for the group limit).
    pub related_group: String,
    /// Approved amount in đồng.
    pub amount: String,
    /// Annual rate in per cent ("6,6").
    pub rate: String,
    /// Overdue rate in per cent; blank is 150% of the rate.
    pub overdue_rate: String,
    pub term_months: String,
    /// Months between instalments; blank is 6.
    pub every_months: String,
    /// equal_principal / trả gốc đều (blank), annuity / trả góp đều, custom / theo lịch.
    pub method: String,
    pub contract_date: String,
    pub decision_no: String,
    pub decision_date: String,
    pub purpose: String,
    pub project_cost: String,
    pub own_capital: String,
    pub collateral: String,
    /// The borrower has bad debt elsewhere.
    pub bad_debt: bool,
    /// The agreed schedule `DATE:PRINCIPAL,…` (required for the custom method).
    pub schedule: String,
}

/// A loan whose fields are all readable, before the lending limits are counted.
#[derive(Debug, Clone)]
pub struct CheckedLoan {
    /// The contract (its `borrower_id` is set when it is written).
    pub new: NewLoan,
    pub borrower: BorrowerRef,
    pub related_group: String,
    /// Name of the borrowing (or the member's) organisation.
    pub org_name: String,
    pub bad_debt: bool,
}

/// Reads every field of a loan and checks what needs no loan book: the borrower's
/// organisation exists, dates read and are not in the future, the custom method has its
/// schedule, the schedule sums to the amount, texts fit. `agreed` is a schedule already read
/// elsewhere (the sheet "Lịch trả nợ"); it replaces `input.schedule`.
pub async fn read_loan(
    store: &Store,
    input: &LoanInput,
    agreed: Option<Vec<Instalment>>,
    today: Date,
) -> Result<CheckedLoan> {
    read_loan_among(store, input, agreed, &super::Planned::none(), today).await
}

/// [`read_loan`] for a file that also registers organisations: the borrower may be one of
/// `planned` (by code, with a provisional id the importer resolves when it writes), so that a
/// loan's sheet may come before the Tổ chức sheet that creates its borrower.
pub async fn read_loan_among(
    store: &Store,
    input: &LoanInput,
    agreed: Option<Vec<Instalment>>,
    planned: &super::Planned,
    today: Date,
) -> Result<CheckedLoan> {
    let mut problems = Problems::new();
    let contract = required(&mut problems, "contract", &input.contract);
    let borrower_code = required(&mut problems, "borrower", &input.borrower);
    let amount = required_whole(&mut problems, "amount", &input.amount);
    let rate = required(&mut problems, "rate", &input.rate).and_then(|r| {
        basis_points(&r).or_else(|| {
            problems.add(
                "rate",
                format!("\"{r}\" không phải lãi suất (%/năm), ví dụ 6,6"),
            );
            None
        })
    });
    let overdue_rate = match input.overdue_rate.trim() {
        "" => rate.map(|r| r * 3 / 2),
        r => basis_points(r).or_else(|| {
            problems.add(
                "overdue_rate",
                format!("\"{r}\" không phải lãi suất (%/năm)"),
            );
            None
        }),
    };
    let months = |n: i64| u32::try_from(n).map_err(|_| format!("{n} tháng là quá dài"));
    let term = required_whole(&mut problems, "term_months", &input.term_months)
        .and_then(|t| problems.take("term_months", months(t)));
    let every = match problems.take(
        "every_months",
        text::parse_whole_number(&input.every_months),
    ) {
        Some(v) => problems.take("every_months", months(v.unwrap_or(6))),
        None => None,
    };
    let method = match input.method.trim() {
        "" => Some(RepaymentMethod::EqualPrincipal),
        m => method_from(m).or_else(|| {
            problems.add(
                "method",
                format!("\"{m}\" không phải trả gốc đều, trả góp đều hoặc theo lịch"),
            );
            None
        }),
    };
    let contract_date = required_date(&mut problems, "contract_date", &input.contract_date);
    not_future(&mut problems, "contract_date", contract_date, today);
    let decision_no = required(&mut problems, "decision_no", &input.decision_no);
    let decision_date = required_date(&mut problems, "decision_date", &input.decision_date);
    let purpose = required(&mut problems, "purpose", &input.purpose);
    let project_cost = problems
        .take(
            "project_cost",
            text::parse_whole_number(&input.project_cost),
        )
        .map(Option::unwrap_or_default);
    let own_capital = problems
        .take("own_capital", text::parse_whole_number(&input.own_capital))
        .map(Option::unwrap_or_default);
    let schedule = match agreed {
        Some(s) => Some(s),
        None if input.schedule.trim().is_empty() => None,
        None => problems.take("schedule", parse_instalments(&input.schedule)),
    }
    .map(|mut s| {
        s.sort_by_key(|i| i.due);
        s
    });
    if method == Some(RepaymentMethod::Custom) && schedule.is_none() {
        problems.add(
            "method",
            format!(
                "trả theo lịch: thiếu lịch trả nợ của hợp đồng {}",
                contract.as_deref().unwrap_or_default()
            ),
        );
    }
    if let (Some(s), Some(amount)) = (&schedule, amount)
        && s.iter().map(|i| i.principal).sum::<i64>() != amount
    {
        problems.add(
            "amount",
            format!(
                "tổng nợ gốc của lịch trả nợ khác số tiền duyệt {}",
                text::money(amount)
            ),
        );
    }
    let org = match &borrower_code {
        Some(code) => {
            let found = planned.find(store, code).await?;
            if found.is_none() {
                problems.add("borrower", planned.missing(code));
            }
            found
        }
        None => None,
    };
    let new = (|| {
        Some(NewLoan {
            contract_no: contract.clone()?,
            borrower_id: 0,
            purpose: purpose.clone()?,
            decision_no: decision_no.clone()?,
            decision_date: decision_date?,
            contract_date: contract_date?,
            terms: LoanTerms {
                approved_amount: amount?,
                annual_rate_bp: rate?,
                overdue_rate_bp: overdue_rate?,
                term_months: term?,
                repayment_every_months: every?,
                method: method?,
                first_due: None,
            },
            schedule: schedule.clone(),
            collateral: text::clean(&input.collateral),
            project_cost: project_cost?,
            own_capital: own_capital?,
        })
    })();
    if let Some(new) = &new {
        problems.keep(new.check_lengths())?;
    }
    let name = match &org {
        Some(org) => borrower_name(&mut problems, input, org),
        None => String::new(),
    };
    problems.finish(|| {
        let org = org?;
        Some(CheckedLoan {
            new: new?,
            borrower: if name.is_empty() {
                BorrowerRef::Org(org.id)
            } else {
                BorrowerRef::Member {
                    name,
                    id: text::clean(&input.member_id),
                    of: org.id,
                }
            },
            related_group: text::clean(&input.related_group),
            org_name: org.name,
            bad_debt: input.bad_debt,
        })
    })
}

/// The name of the member who borrows (empty when the organisation itself borrows), after
/// checking the kind of borrower against the registry: a person borrows as a member of an HTX
/// or THT, and a kind typed must be the organisation's (or "thành viên" with a member named).
fn borrower_name(problems: &mut Problems, input: &LoanInput, org: &OrgSummary) -> String {
    let typed = text::clean(&input.member_name);
    // "Tên bên vay" holding the organisation's own name names the organisation.
    let name = if text::fold(&typed) == text::fold(&org.name) {
        String::new()
    } else {
        typed
    };
    let is_member = !name.is_empty();
    let kind = match input.borrower_kind.trim() {
        "" => None,
        typed => problems.take("borrower_kind", BorrowerKind::parse(typed)),
    };
    let actual = BorrowerKind::of(Some(org.kind.code()), false);
    match kind {
        Some(BorrowerKind::Member) if !is_member => problems.add(
            "member_name",
            "bên vay là thành viên: cần họ tên thành viên vay",
        ),
        Some(k) if k != BorrowerKind::Member && is_member => problems.add(
            "borrower_kind",
            format!(
                "bên vay là {}, nhưng có tên thành viên vay \"{name}\"; thành viên vay với tư cách cá nhân thì ghi loại bên vay là thành viên",
                k.label()
            ),
        ),
        Some(k) if k != BorrowerKind::Member && k != actual => problems.add(
            "borrower_kind",
            format!(
                "{} là {}, không phải {}",
                org.reg_code,
                org.kind.name_vi(),
                k.label()
            ),
        ),
        _ => {}
    }
    if is_member && !matches!(org.kind, OrgKind::Htx | OrgKind::Tht) {
        problems.add(
            "member_name",
            format!(
                "cá nhân vay phải là thành viên HTX hoặc THT; {} là {}",
                org.reg_code,
                org.kind.name_vi()
            ),
        );
    }
    name
}

fn same_borrower(a: &BorrowerRef, b: &BorrowerRef) -> bool {
    match (a, b) {
        (BorrowerRef::Org(x), BorrowerRef::Org(y)) => x == y,
        (BorrowerRef::Member { id: a, of: x, .. }, BorrowerRef::Member { id: b, of: y, .. }) => {
            !a.is_empty() && a == b && x == y
        }
        _ => false,
    }
}

/// A loan checked in the same batch but not yet written.
#[derive(Debug, Clone)]
struct Pending {
    borrower: BorrowerRef,
    group: String,
    from: Date,
    until: Date,
    amount: i64,
    schedule: Vec<Instalment>,
}

impl Pending {
    /// Outstanding on a date as the contract schedule has it: the approved amount less the
    /// principal due by then.
    fn outstanding_at(&self, on: Date) -> i64 {
        if on < self.from || on >= self.until {
            return 0;
        }
        let due: i64 = self
            .schedule
            .iter()
            .filter(|i| i.due <= on)
            .map(|i| i.principal)
            .sum();
        (self.amount - due).max(0)
    }
}

/// What the lending limits of a new loan are counted against: the deployment's rules, the
/// charter capital over time, and every borrower's outstanding over time: from the book's
/// position projection, and for loans accepted earlier in the same batch (not yet written,
/// their transactions not yet checked) as their contract schedule has it.
#[derive(Debug, Clone)]
pub struct LendingBook {
    pub rules: FundRules,
    capital: Vec<(Date, i64)>,
    stretches: Vec<(i64, Date, Date, i64)>,
    borrowers: HashMap<i64, Borrower>,
    pending: Vec<Pending>,
}

impl LendingBook {
    /// Reads the rules, and the book as it stood between two dates (those of the contracts
    /// to check), once.
    pub async fn load(store: &Store, from: Date, to: Date) -> Result<LendingBook> {
        Ok(LendingBook {
            rules: store.deployment().await?.fund_rules,
            capital: store.fund_capital_movements().await?,
            stretches: store.outstanding_stretches(from, to).await?,
            borrowers: store.borrowers().await?,
            pending: Vec::new(),
        })
    }

    /// Counts changes of the charter capital not yet written (earlier in the same file) in
    /// the capital the limits are measured against.
    pub fn add_capital(&mut self, changes: &[(Date, i64)]) {
        self.capital.extend_from_slice(changes);
    }

    fn capital_at(&self, on: Date) -> i64 {
        self.capital
            .iter()
            .filter(|(d, _)| *d <= on)
            .map(|(_, a)| a)
            .sum()
    }

    fn borrower_id(&self, who: &BorrowerRef) -> Option<i64> {
        self.borrowers
            .values()
            .find(|b| match who {
                BorrowerRef::Org(org) => b.org_id == Some(*org),
                BorrowerRef::Member { id, of, .. } => {
                    !id.is_empty() && b.person_id == *id && b.member_of == Some(*of)
                }
            })
            .map(|b| b.id)
    }

    /// The related group a loan counts in: the recorded borrower's, else the one typed.
    fn group_of(&self, loan: &CheckedLoan) -> String {
        self.borrower_id(&loan.borrower)
            .and_then(|id| self.borrowers.get(&id))
            .map(|b| b.related_group.clone())
            .unwrap_or_else(|| loan.related_group.clone())
    }

    fn outstanding(
        &self,
        on: Date,
        stored: impl Fn(i64) -> bool,
        pending: impl Fn(&Pending) -> bool,
    ) -> i64 {
        let book: i64 = self
            .stretches
            .iter()
            .filter(|(b, from, to, _)| *from <= on && on < *to && stored(*b))
            .map(|s| s.3)
            .sum();
        let batch: i64 = self
            .pending
            .iter()
            .filter(|p| pending(p))
            .map(|p| p.outstanding_at(on))
            .sum();
        book + batch
    }

    /// The application the credit committee sees for a loan.
    pub fn request(&self, loan: &CheckedLoan) -> ApprovalRequest {
        let on = loan.new.contract_date;
        let id = self.borrower_id(&loan.borrower);
        let borrower_outstanding = self.outstanding(
            on,
            |b| Some(b) == id,
            |p| same_borrower(&p.borrower, &loan.borrower),
        );
        let group = self.group_of(loan);
        let related_outstanding = if group.is_empty() {
            borrower_outstanding
        } else {
            self.outstanding(
                on,
                |b| {
                    self.borrowers
                        .get(&b)
                        .is_some_and(|x| x.related_group == group)
                },
                |p| p.group == group,
            )
        };
        ApprovalRequest {
            amount: loan.new.terms.approved_amount,
            project_cost: loan.new.project_cost,
            own_capital: loan.new.own_capital,
            borrower_outstanding,
            related_outstanding,
            fund_charter_capital: self.capital_at(on),
            borrower_has_bad_debt: loan.bad_debt,
            terms: loan.new.terms.clone(),
        }
    }

    /// The lending rules (`domain::fund::approval_refusals`): every refusal, by field.
    pub fn approve(&self, loan: &CheckedLoan) -> Result<()> {
        let mut problems = Problems::new();
        for (field, reason) in fund::approval_refusals(&self.rules, &self.request(loan)) {
            problems.add(field, reason);
        }
        problems.into_result()
    }

    /// Counts an approved loan of the same batch in the limits of the loans after it.
    pub fn add(&mut self, loan: &CheckedLoan) {
        let group = self.group_of(loan);
        let contract = loan_of(&loan.new);
        self.pending.push(Pending {
            borrower: loan.borrower.clone(),
            group,
            from: loan.new.contract_date,
            until: contract.maturity,
            amount: loan.new.terms.approved_amount,
            schedule: contract.schedule,
        });
    }
}

/// Checks a new loan contract: every field, a contract number not yet in the book, and the
/// lending rules of the deployment (own capital, exposure to one borrower and to a related
/// group against the charter capital, bad debt, term, instalment period, rates).
pub async fn check_loan(store: &Store, input: &LoanInput, today: Date) -> Result<CheckedLoan> {
    let loan = read_loan(store, input, None, today).await?;
    if store
        .loan_by_contract(&loan.new.contract_no)
        .await?
        .is_some()
    {
        return Err(Error::invalid(
            "contract",
            format!("hợp đồng {} đã có trong sổ", loan.new.contract_no),
        ));
    }
    let on = loan.new.contract_date;
    LendingBook::load(store, on, on).await?.approve(&loan)?;
    Ok(loan)
}

/// Checks and records a loan contract. Its borrower is found or created in the same
/// transaction as the loan, each with its audit entry, and only after the check passed.
pub async fn record_loan(
    store: &Store,
    input: &LoanInput,
    author: &str,
    today: Date,
) -> Result<(CheckedLoan, LoanRecord)> {
    let loan = check_loan(store, input, today).await?;
    let record = store
        .create_loan_for(&loan.borrower, &loan.related_group, &loan.new, author)
        .await?;
    Ok((loan, record))
}

// ---------------------------------------------------------------------------------------------
// Loan transactions
// ---------------------------------------------------------------------------------------------

/// A loan transaction as typed: a form, an API body, a command line, a row of "Giao dịch vay".
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoanTxInput {
    /// Code or Vietnamese name (giai_ngan, thu_no_goc, gia_han_no…).
    pub kind: String,
    /// Value date.
    pub date: String,
    /// Amount in đồng; blank is 0 (an extension, a reversal).
    pub amount: String,
    /// For an extension: the new maturity.
    pub new_maturity: String,
    /// For a reschedule: the remaining instalments `DATE:PRINCIPAL,…`.
    pub new_schedule: String,
    /// For a reversal: the number of the transaction it cancels.
    pub reverses: String,
    /// Decision number or document reference.
    pub reference: String,
    /// The loan version read before; the write is refused if the loan changed since.
    pub version: Option<i64>,
}

/// Reads every field of a transaction.
pub fn read_loan_tx(input: &LoanTxInput) -> Result<LoanTx> {
    let mut problems = Problems::new();
    let kind = match input.kind.trim() {
        "" => {
            problems.add("kind", REQUIRED);
            None
        }
        k => tx_from(k).or_else(|| {
            problems.add("kind", format!("\"{k}\" không phải loại giao dịch đã biết"));
            None
        }),
    };
    let date = required_date(&mut problems, "date", &input.date);
    let amount = problems
        .take("amount", text::parse_whole_number(&input.amount))
        .map(Option::unwrap_or_default);
    let new_maturity = optional_date(&mut problems, "new_maturity", &input.new_maturity).flatten();
    let new_schedule = match input.new_schedule.trim() {
        "" => Some(Vec::new()),
        s => problems.take("new_schedule", parse_instalments(s)),
    };
    let reverses = match input.reverses.trim() {
        "" => Some(None),
        r => match r.parse::<i64>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                problems.add("reverses", "cần số giao dịch");
                None
            }
        },
    };
    let reference = text::clean(&input.reference);
    problems.keep(Error::check_lengths(&[(
        "reference",
        &reference,
        text::MAX_LINE_CHARS,
    )]))?;
    problems.finish(|| {
        let mut tx = LoanTx::new(0, kind?, date?, amount?);
        tx.new_maturity = new_maturity;
        tx.new_schedule = new_schedule?;
        tx.reverses = reverses?;
        tx.reference = reference;
        Some(tx)
    })
}

/// Admits a read transaction after a loan's history (`domain::fund::admit`), numbered after
/// the history's last; a refusal names the field it concerns.
pub fn admit_tx(loan: &Loan, history: &[LoanTx], mut tx: LoanTx, today: Date) -> Result<LoanTx> {
    tx.id = history.iter().map(|t| t.id).max().unwrap_or(0) + 1;
    fund::admit(loan, history, &tx, today).map_err(|e| Error::invalid(e.field(), e.to_string()))?;
    Ok(tx)
}

/// Checks a transaction against a loan and its recorded history.
pub async fn check_loan_tx(
    store: &Store,
    loan: &LoanRecord,
    input: &LoanTxInput,
    today: Date,
) -> Result<LoanTx> {
    let tx = read_loan_tx(input)?;
    let history = store.loan_txs(loan.id).await?;
    admit_tx(&loan.loan, &history, tx, today)
}

/// Records a transaction of the loan with this contract number: the fields are read, then,
/// in the store, the version the author saw is compared (a conflict if the loan changed),
/// the transaction is admitted after the history as [`admit_tx`] does, and it is written with
/// its audit entry.
pub async fn record_loan_tx(
    store: &Store,
    contract: &str,
    input: &LoanTxInput,
    author: &str,
    today: Date,
) -> Result<(LoanRecord, LoanTx)> {
    let record = store
        .loan_by_contract(contract)
        .await?
        .ok_or_else(|| Error::NotFound(format!("hợp đồng {contract}")))?;
    let tx = read_loan_tx(input)?;
    let saved = store
        .record_loan_tx(record.id, input.version, tx, author, today)
        .await?;
    Ok((record, saved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::TxKind;

    #[test]
    fn rates_read_with_a_comma_or_a_point_and_a_percent_sign() {
        assert_eq!(basis_points("6,6"), Some(660));
        assert_eq!(basis_points("6.6"), Some(660));
        assert_eq!(basis_points(" 6,60% "), Some(660));
        assert_eq!(basis_points("sáu"), None);
        assert_eq!(basis_points("120"), None);
    }

    #[test]
    fn methods_read_by_code_or_vietnamese_name() {
        assert_eq!(method_from("Trả góp đều"), Some(RepaymentMethod::Annuity));
        assert_eq!(method_from("custom"), Some(RepaymentMethod::Custom));
        assert_eq!(method_from("bốc thăm"), None);
    }

    #[test]
    fn instalments_read_as_date_and_principal() {
        let s = parse_instalments("10/01/2022:300.000.000,2023-01-10:300000000").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].principal, 300_000_000);
        assert!(parse_instalments("10/01/2022").is_err());
    }

    #[test]
    fn a_transaction_reports_every_unreadable_field_at_once() {
        let e = read_loan_tx(&LoanTxInput {
            kind: "bói toán".into(),
            date: "31/02/2021".into(),
            amount: "một trăm".into(),
            reverses: "x".into(),
            ..LoanTxInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["kind", "date", "amount", "reverses"], "{e}");
        let ok = read_loan_tx(&LoanTxInput {
            kind: "gia hạn nợ".into(),
            date: "01/12/2023".into(),
            new_maturity: "31/12/2025".into(),
            reference: " 9/QĐ ".into(),
            ..LoanTxInput::default()
        })
        .unwrap();
        assert_eq!(ok.kind, TxKind::Extension);
        assert_eq!(ok.amount, 0);
        assert_eq!(ok.reference, "9/QĐ");
    }

    #[test]
    fn admission_numbers_after_the_history_and_names_the_field() {
        let start = time::macros::date!(2021 - 01 - 10);
        let loan = Loan::new(
            LoanTerms {
                approved_amount: 600_000_000,
                annual_rate_bp: 660,
                overdue_rate_bp: 990,
                term_months: 36,
                repayment_every_months: 6,
                method: RepaymentMethod::EqualPrincipal,
                first_due: None,
            },
            start,
        );
        let early = LoanTx::new(0, TxKind::PrincipalRepayment, start, 100_000_000);
        let e = admit_tx(&loan, &[], early, start).unwrap_err();
        assert_eq!(e.field(), Some("amount"), "{e}");
        assert!(e.to_string().contains("giao dịch số 1:"), "{e}");
        let first = LoanTx::new(0, TxKind::Disbursement, start, 600_000_000);
        assert_eq!(admit_tx(&loan, &[], first, start).unwrap().id, 1);
    }
}
