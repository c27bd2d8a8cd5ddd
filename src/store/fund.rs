//! The support fund's capital, borrowers, loans and loan transactions.

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
#[derive(Debug, Clone, Serialize)]
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

impl Store {
    /// Records a change of the fund's charter capital (an allocation, or a negative amount).
    pub async fn add_fund_capital(
        &self,
        value_date: Date,
        amount: i64,
        source: &str,
        reference: &str,
        author: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO fund_capital (value_date, amount, source, reference, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(value_date.to_string())
        .bind(amount)
        .bind(source)
        .bind(reference)
        .bind(now_iso())
        .bind(author)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "create",
            "fund_capital",
            &value_date.to_string(),
            None,
            Some(&format!(
                "{{\"amount\":{amount},\"source\":{}}}",
                serde_json::json!(source)
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The fund's charter capital on a date.
    pub async fn fund_capital_at(&self, on: Date) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(amount) AS BIGINT) FROM fund_capital WHERE value_date <= $1",
        )
        .bind(on.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(v.unwrap_or(0))
    }

    /// The borrower record of an organisation, created on first use.
    pub async fn borrower_for_org(&self, org_id: i64, related_group: &str) -> Result<i64> {
        if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM borrower WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
        {
            return Ok(id);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO borrower (org_id, related_group) VALUES ($1, $2) RETURNING id",
        )
        .bind(org_id)
        .bind(related_group)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// The borrower a reference names, if it was recorded.
    pub async fn find_borrower(&self, who: &BorrowerRef) -> Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        find_borrower_on(&mut conn, who).await
    }

    /// Every change of the fund's charter capital: value date and amount, in date order.
    pub async fn fund_capital_movements(&self) -> Result<Vec<(Date, i64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT value_date, amount FROM fund_capital ORDER BY value_date, id")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(d, a)| Ok((parse_date(&d).map_err(|e| Error::invalid("date", e))?, a)))
            .collect()
    }

    /// The outstanding principal of every loan over time, from the projection: borrower,
    /// first day, day after the last, amount (only stretches with something outstanding).
    pub async fn outstanding_stretches(&self) -> Result<Vec<(i64, Date, Date, i64)>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT borrower_id, valid_from, valid_to, outstanding FROM loan_position
             WHERE outstanding > 0",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(b, from, to, amount)| {
                let day = |s: &str| match s {
                    // The open end of the projection.
                    "9999-12-31" => Ok(time::macros::date!(9999 - 12 - 31)),
                    s => parse_date(s).map_err(|e| Error::invalid("date", e)),
                };
                Ok((b, day(&from)?, day(&to)?, amount))
            })
            .collect()
    }

    /// All borrowers by id.
    pub async fn borrowers(&self) -> Result<HashMap<i64, Borrower>> {
        self.borrowers_among(None).await
    }

    /// The borrowers with these ids (a page of loans), by id.
    pub async fn borrowers_of(&self, ids: &[i64]) -> Result<HashMap<i64, Borrower>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(batch::IN_LIST_MAX) {
            out.extend(self.borrowers_among(Some(chunk)).await?);
        }
        Ok(out)
    }

    async fn borrowers_among(&self, ids: Option<&[i64]>) -> Result<HashMap<i64, Borrower>> {
        let filter = match ids {
            Some([]) => return Ok(HashMap::new()),
            Some(ids) => format!(" WHERE b.id IN ({})", placeholders(ids.len(), 0)),
            None => String::new(),
        };
        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT b.id, b.org_id, b.person_name, b.person_id, b.member_of, b.related_group,
                    COALESCE(o.name, ''), COALESCE(o.kind, ''), COALESCE(m.name, ''), COALESCE(m.kind, '')
             FROM borrower b
             LEFT JOIN organisation o ON o.id = b.org_id
             LEFT JOIN organisation m ON m.id = b.member_of{filter}"
        )));
        for id in ids.unwrap_or_default() {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut out = HashMap::new();
        for r in rows {
            let org_name: String = r.try_get(6)?;
            let person: String = r.try_get(2)?;
            let member_org: String = r.try_get(8)?;
            let org_kind: String = r.try_get(7)?;
            let member_kind: String = r.try_get(9)?;
            let b = Borrower {
                id: r.try_get(0)?,
                org_id: r.try_get(1)?,
                person_id: r.try_get(3)?,
                member_of: r.try_get(4)?,
                related_group: r.try_get(5)?,
                name: if org_name.is_empty() {
                    format!("{person} (thành viên {member_org})")
                } else {
                    org_name
                },
                org_kind: [org_kind, member_kind].into_iter().find(|k| !k.is_empty()),
                person_name: person,
            };
            out.insert(b.id, b);
        }
        Ok(out)
    }

    /// Records a loan contract of a borrower already recorded (the caller has checked the
    /// approval rules). Loans people enter go through `app::fund::record_loan`.
    pub async fn create_loan(&self, new: &NewLoan, author: &str) -> Result<LoanRecord> {
        self.write_loan(None, new, author).await
    }

    /// Records a loan contract and, in the same transaction, finds or creates (and audits)
    /// its borrower; the loan's `borrower_id` is replaced by the borrower's.
    pub async fn create_loan_for(
        &self,
        borrower: &BorrowerRef,
        related_group: &str,
        new: &NewLoan,
        author: &str,
    ) -> Result<LoanRecord> {
        self.write_loan(Some((borrower, related_group)), new, author)
            .await
    }

    async fn write_loan(
        &self,
        borrower: Option<(&BorrowerRef, &str)>,
        new: &NewLoan,
        author: &str,
    ) -> Result<LoanRecord> {
        new.check_lengths()?;
        if self.loan_by_contract(&new.contract_no).await?.is_some() {
            return Err(Error::Conflict(format!(
                "hợp đồng số {} đã có trong sổ",
                new.contract_no
            )));
        }
        let loan = loan_of(new);
        let mut tx = self.pool.begin().await?;
        let borrower_id = match borrower {
            None => new.borrower_id,
            Some((who, group)) => {
                let (id, created) = resolve_borrower(&mut tx, who, group).await?;
                if created {
                    audit::record(
                        &mut tx,
                        author,
                        "create",
                        "borrower",
                        &id.to_string(),
                        None,
                        Some(&borrower_json(who, group)),
                    )
                    .await?;
                }
                id
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO loan (contract_no, borrower_id, purpose, decision_no, decision_date,
                contract_date, approved_amount, annual_rate_bp, overdue_rate_bp, term_months,
                repayment_every_months, method, maturity, collateral, project_cost, own_capital,
                schedule, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
             RETURNING id",
        )
        .bind(&new.contract_no)
        .bind(borrower_id)
        .bind(&new.purpose)
        .bind(&new.decision_no)
        .bind(new.decision_date.to_string())
        .bind(new.contract_date.to_string())
        .bind(new.terms.approved_amount)
        .bind(new.terms.annual_rate_bp)
        .bind(new.terms.overdue_rate_bp)
        .bind(i64::from(new.terms.term_months))
        .bind(i64::from(new.terms.repayment_every_months))
        .bind(method_code(new.terms.method))
        .bind(loan.maturity.to_string())
        .bind(&new.collateral)
        .bind(new.project_cost)
        .bind(new.own_capital)
        .bind(serde_json::to_string(&loan.schedule).map_err(|e| Error::invalid("schedule", e.to_string()))?)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "create",
            "loan",
            &new.contract_no,
            None,
            Some(&serde_json::to_string(&loan).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.loan_by_id(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("khoản vay {id}")))
    }

    /// A loan by contract number.
    pub async fn loan_by_contract(&self, contract_no: &str) -> Result<Option<LoanRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOAN_COLUMNS} FROM loan WHERE contract_no = $1"
        )))
        .bind(contract_no.trim())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(loan_from_row).transpose()
    }

    /// A loan by id.
    pub async fn loan_by_id(&self, id: i64) -> Result<Option<LoanRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOAN_COLUMNS} FROM loan WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(loan_from_row).transpose()
    }

    /// Every loan.
    pub async fn loans(&self) -> Result<Vec<LoanRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOAN_COLUMNS} FROM loan ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(loan_from_row).collect()
    }

    /// One page of the loans signed by `on`, newest first, with each loan's outstanding and
    /// overdue principal and days past due on that date; and how many loans there are.
    pub async fn loan_page(
        &self,
        on: Date,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<(LoanRecord, i64, i64, i64)>, i64)> {
        let columns: Vec<String> = LOAN_COLUMNS
            .split(',')
            .map(|c| format!("l.{}", c.trim()))
            .collect();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {}, COALESCE(p.outstanding, 0), COALESCE(p.overdue_principal, 0),
                    CASE WHEN p.overdue_principal > 0 AND p.overdue_since_day > 0
                         THEN $2 - p.overdue_since_day ELSE 0 END
             FROM loan l LEFT JOIN loan_position p
                  ON p.loan_id = l.id AND p.valid_from <= $1 AND p.valid_to > $1
             WHERE l.contract_date <= $1
             ORDER BY l.contract_date DESC, l.contract_no LIMIT $3 OFFSET $4",
            columns.join(", ")
        )))
        .bind(on.to_string())
        .bind(i64::from(on.to_julian_day()))
        .bind(limit)
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await?;
        let lines = rows
            .iter()
            .map(|r| {
                Ok((
                    loan_from_row(r)?,
                    r.try_get(19)?,
                    r.try_get(20)?,
                    r.try_get::<Option<i64>, _>(21)?.unwrap_or(0),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let total: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM loan WHERE contract_date <= $1",
        )
        .bind(on.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok((lines, total))
    }

    /// The transactions of one loan in value-date order.
    pub async fn loan_txs(&self, loan_id: i64) -> Result<Vec<LoanTx>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TX_COLUMNS} FROM loan_tx WHERE loan_id = $1 ORDER BY value_date, id"
        )))
        .bind(loan_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| tx_from_row_at(r, 0)).collect()
    }

    /// Every transaction of every loan, by loan id.
    pub async fn all_loan_txs(&self) -> Result<HashMap<i64, Vec<LoanTx>>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT loan_id, {TX_COLUMNS} FROM loan_tx ORDER BY loan_id, value_date, id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<i64, Vec<LoanTx>> = HashMap::new();
        for r in &rows {
            let loan_id: i64 = r.try_get(0)?;
            out.entry(loan_id).or_default().push(tx_from_row_at(r, 1)?);
        }
        Ok(out)
    }

    /// Records a transaction after checking it against the loan's history. With
    /// `expected_version`, a concurrent change since the loan was read is refused.
    pub async fn record_loan_tx(
        &self,
        loan_id: i64,
        expected_version: Option<i64>,
        mut new: LoanTx,
        author: &str,
        today: Date,
    ) -> Result<LoanTx> {
        let record = self
            .loan_by_id(loan_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("khoản vay {loan_id}")))?;
        if let Some(v) = expected_version
            && v != record.version
        {
            return Err(Error::Conflict(format!(
                "khoản vay {} vừa được người khác cập nhật; hãy tải lại và nhập lại",
                record.contract_no
            )));
        }
        let history = self.loan_txs(loan_id).await?;
        new.id = history.iter().map(|t| t.id).max().unwrap_or(0) + 1;
        fund::admit(&record.loan, &history, &new, today)
            .map_err(|e| Error::invalid(e.field(), e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        let bumped =
            sqlx::query("UPDATE loan SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(loan_id)
                .bind(record.version)
                .execute(&mut *tx)
                .await?;
        if bumped.rows_affected() != 1 {
            return Err(Error::Conflict(format!(
                "khoản vay {} vừa được người khác cập nhật; hãy tải lại và nhập lại",
                record.contract_no
            )));
        }
        // Database ids order same-day transactions, as the domain's ids do.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO loan_tx (loan_id, kind, value_date, amount, new_maturity, new_schedule,
                reverses, reference, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(loan_id)
        .bind(tx_code(new.kind))
        .bind(new.value_date.to_string())
        .bind(new.amount)
        .bind(new.new_maturity.map(|d| d.to_string()).unwrap_or_default())
        .bind(
            serde_json::to_string(&new.new_schedule)
                .map_err(|e| Error::invalid("new_schedule", e.to_string()))?,
        )
        .bind(new.reverses)
        .bind(&new.reference)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut *tx)
        .await?;
        new.id = id;
        self.rebuild_positions(&mut tx, &[loan_id]).await?;
        audit::record(
            &mut tx,
            author,
            &format!("tx:{}", tx_code(new.kind)),
            "loan",
            &record.contract_no,
            Some(&format!("{{\"version\":{}}}", record.version)),
            Some(&serde_json::to_string(&new).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }
}

impl Store {
    /// The commune of each borrower's organisation (or cooperative, for members) on a date.
    pub async fn borrower_communes(&self, on: Date) -> Result<HashMap<i64, String>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT b.id, i.commune FROM borrower b
             JOIN org_interval i ON i.org_id = COALESCE(b.org_id, b.member_of)
                  AND i.valid_from <= $1 AND i.valid_to > $1",
        )
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }
}

/// Loans with their transactions, written together (an import, the demo).
#[derive(Debug, Clone, Default)]
pub struct FundBatch {
    /// New loans and their transactions.
    pub loans: Vec<(NewLoan, Vec<LoanTx>)>,
    /// When not empty, one per loan: who borrows, resolved (and created) when writing;
    /// it replaces the loan's `borrower_id`.
    pub borrowers: Vec<BorrowerRef>,
    /// Transactions of loans already in the book, by contract number, already checked.
    pub transactions: Vec<(String, LoanTx)>,
    /// Skip re-checking new loans' transactions: only for generated data that is valid by
    /// construction (benchmarks), never for anything a person typed.
    pub valid_by_construction: bool,
}

/// A borrower named by what an import file knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BorrowerRef {
    /// An organisation borrowing in its own name.
    Org(i64),
    /// A member of a cooperative (organisation id) borrowing as a person.
    Member { name: String, id: String, of: i64 },
}

impl FundBatch {
    /// Whether the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.loans.is_empty() && self.transactions.is_empty()
    }
}

impl Store {
    /// Checks every transaction of every loan against the rules (in order, as if recorded one
    /// by one) and writes the batch in one transaction; nothing is written if one is refused.
    /// Returns the number of loans and transactions written.
    pub async fn apply_fund_batch(
        &self,
        batch: &FundBatch,
        author: &str,
        today: Date,
    ) -> Result<(usize, usize)> {
        let mut tx = self.pool.begin().await?;
        let written = self
            .apply_fund_batch_in(&mut tx, batch, author, today)
            .await?;
        tx.commit().await?;
        Ok(written)
    }

    /// [`Store::apply_fund_batch`] inside the caller's transaction.
    pub async fn apply_fund_batch_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        batch: &FundBatch,
        author: &str,
        today: Date,
    ) -> Result<(usize, usize)> {
        use crate::store::batch::{self as rows, Value};
        let mut loan_rows = Vec::new();
        for (i, (new, txs)) in batch.loans.iter().enumerate() {
            new.check_lengths()?;
            let borrower_id = match batch.borrowers.get(i) {
                None => new.borrower_id,
                Some(r) => resolve_borrower(tx, r, "").await?.0,
            };
            let loan = loan_of(new);
            let mut history: Vec<LoanTx> = Vec::new();
            let to_check = if batch.valid_by_construction {
                0
            } else {
                txs.len()
            };
            for (i, t) in txs.iter().take(to_check).enumerate() {
                if t.kind == TxKind::Reversal {
                    return Err(Error::invalid(
                        format!("hợp đồng {}", new.contract_no),
                        "hủy bút toán được ghi từng giao dịch (htx fund tx), không nhập hàng loạt",
                    ));
                }
                let mut candidate = t.clone();
                candidate.id = i as i64 + 1;
                fund::admit(&loan, &history, &candidate, today).map_err(|e| {
                    Error::invalid(format!("hợp đồng {}", new.contract_no), e.to_string())
                })?;
                history.push(candidate);
            }
            loan_rows.push(vec![
                Value::from(new.contract_no.clone()),
                borrower_id.into(),
                new.purpose.clone().into(),
                new.decision_no.clone().into(),
                new.decision_date.to_string().into(),
                new.contract_date.to_string().into(),
                new.terms.approved_amount.into(),
                new.terms.annual_rate_bp.into(),
                new.terms.overdue_rate_bp.into(),
                i64::from(new.terms.term_months).into(),
                i64::from(new.terms.repayment_every_months).into(),
                method_code(new.terms.method).into(),
                loan.maturity.to_string().into(),
                new.collateral.clone().into(),
                new.project_cost.into(),
                new.own_capital.into(),
                serde_json::to_string(&loan.schedule)
                    .unwrap_or_default()
                    .into(),
                now_iso().into(),
                author.into(),
            ]);
        }
        rows::insert(
            tx,
            "loan",
            &[
                "contract_no",
                "borrower_id",
                "purpose",
                "decision_no",
                "decision_date",
                "contract_date",
                "approved_amount",
                "annual_rate_bp",
                "overdue_rate_bp",
                "term_months",
                "repayment_every_months",
                "method",
                "maturity",
                "collateral",
                "project_cost",
                "own_capital",
                "schedule",
                "recorded_at",
                "author",
            ],
            &loan_rows,
            "",
        )
        .await?;
        let ids: HashMap<String, i64> = sqlx::query_as("SELECT contract_no, id FROM loan")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
        let recorded_at = now_iso();
        let mut tx_rows = Vec::new();
        let all = batch
            .loans
            .iter()
            .flat_map(|(new, txs)| txs.iter().map(move |t| (&new.contract_no, t)))
            .chain(batch.transactions.iter().map(|(c, t)| (c, t)));
        for (contract, t) in all {
            {
                tx_rows.push(vec![
                    Value::from(
                        *ids.get(contract)
                            .ok_or_else(|| Error::NotFound(format!("hợp đồng {contract}")))?,
                    ),
                    tx_code(t.kind).into(),
                    t.value_date.to_string().into(),
                    t.amount.into(),
                    t.new_maturity
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                        .into(),
                    serde_json::to_string(&t.new_schedule)
                        .unwrap_or_default()
                        .into(),
                    t.reverses.into(),
                    t.reference.clone().into(),
                    recorded_at.clone().into(),
                    author.into(),
                ]);
            }
        }
        rows::insert(
            tx,
            "loan_tx",
            &[
                "loan_id",
                "kind",
                "value_date",
                "amount",
                "new_maturity",
                "new_schedule",
                "reverses",
                "reference",
                "recorded_at",
                "author",
            ],
            &tx_rows,
            "",
        )
        .await?;
        let touched: std::collections::BTreeSet<i64> = batch
            .loans
            .iter()
            .map(|(new, _)| &new.contract_no)
            .chain(batch.transactions.iter().map(|(c, _)| c))
            .filter_map(|c| ids.get(c).copied())
            .collect();
        self.rebuild_positions(tx, &touched.into_iter().collect::<Vec<_>>())
            .await?;
        if !batch.transactions.is_empty() {
            let touched: std::collections::BTreeSet<&String> =
                batch.transactions.iter().map(|(c, _)| c).collect();
            for contract in touched {
                sqlx::query("UPDATE loan SET version = version + 1 WHERE contract_no = $1")
                    .bind(contract)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        audit::record(
            tx,
            author,
            "import",
            "fund",
            "batch",
            None,
            Some(&format!(
                "{{\"loans\":{},\"transactions\":{}}}",
                loan_rows.len(),
                tx_rows.len()
            )),
        )
        .await?;
        Ok((loan_rows.len(), tx_rows.len()))
    }
}

fn borrower_json(who: &BorrowerRef, related_group: &str) -> String {
    match who {
        BorrowerRef::Org(org) => {
            serde_json::json!({"org_id": org, "related_group": related_group}).to_string()
        }
        BorrowerRef::Member { name, id, of } => serde_json::json!({
            "person_name": name, "person_id": id, "member_of": of, "related_group": related_group,
        })
        .to_string(),
    }
}

async fn find_borrower_on(
    conn: &mut sqlx::AnyConnection,
    who: &BorrowerRef,
) -> Result<Option<i64>> {
    Ok(match who {
        BorrowerRef::Org(org) => {
            sqlx::query_scalar("SELECT id FROM borrower WHERE org_id = $1")
                .bind(*org)
                .fetch_optional(&mut *conn)
                .await?
        }
        BorrowerRef::Member { id, of, .. } => sqlx::query_scalar(
            "SELECT id FROM borrower WHERE person_id = $1 AND member_of = $2 AND person_id <> ''",
        )
        .bind(id)
        .bind(*of)
        .fetch_optional(&mut *conn)
        .await?,
    })
}

/// The borrower a reference names, created when new; and whether it was created.
async fn resolve_borrower(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    r: &BorrowerRef,
    related_group: &str,
) -> Result<(i64, bool)> {
    if let Some(id) = find_borrower_on(tx, r).await? {
        return Ok((id, false));
    }
    let id = match r {
        BorrowerRef::Org(org) => {
            sqlx::query_scalar(
                "INSERT INTO borrower (org_id, related_group) VALUES ($1, $2) RETURNING id",
            )
            .bind(*org)
            .bind(related_group)
            .fetch_one(&mut **tx)
            .await?
        }
        BorrowerRef::Member { name, id, of } => {
            sqlx::query_scalar(
                "INSERT INTO borrower (person_name, person_id, member_of, related_group)
             VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(id)
            .bind(*of)
            .bind(related_group)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    Ok((id, true))
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

/// One loan's counted figures on a date, from the projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionRow {
    pub loan_id: i64,
    pub borrower_id: i64,
    pub outstanding: i64,
    pub overdue_principal: i64,
    pub days_past_due: i64,
}

/// Totals of the loan book on a date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortfolioSummary {
    pub loans: i64,
    pub borrowers: i64,
    pub outstanding: i64,
    pub overdue_principal: i64,
    /// Loans with overdue principal.
    pub overdue_loans: i64,
    /// Loans more than 30 / 90 days past due: their count and outstanding.
    pub over_30: (i64, i64),
    pub over_90: (i64, i64),
    /// Per ageing bucket: loans and outstanding.
    pub ageing: Vec<(i64, i64)>,
}

impl PortfolioSummary {
    /// Sums position rows (the same figures the database computes for a whole book).
    pub fn of_rows<'a>(
        rows: impl IntoIterator<Item = &'a PositionRow>,
        buckets: &fund::AgeingBuckets,
    ) -> Self {
        let mut s = PortfolioSummary {
            ageing: vec![(0, 0); buckets.0.len()],
            ..Self::default()
        };
        let mut borrowers = std::collections::BTreeSet::new();
        for r in rows.into_iter().filter(|r| r.outstanding > 0) {
            s.loans += 1;
            s.outstanding += r.outstanding;
            s.overdue_principal += r.overdue_principal;
            s.overdue_loans += i64::from(r.overdue_principal > 0);
            borrowers.insert(r.borrower_id);
            let b = &mut s.ageing[buckets.bucket_of(r.days_past_due)];
            b.0 += 1;
            b.1 += r.outstanding;
            if r.days_past_due > 30 {
                s.over_30.0 += 1;
                s.over_30.1 += r.outstanding;
            }
            if r.days_past_due > 90 {
                s.over_90.0 += 1;
                s.over_90.1 += r.outstanding;
            }
        }
        s.borrowers = borrowers.len() as i64;
        s
    }
}

const POSITION_AT: &str =
    "FROM loan_position WHERE valid_to > $1 AND valid_from <= $1 AND outstanding > 0";
const DAYS_PAST_DUE: &str = "CASE WHEN overdue_principal > 0 AND overdue_since_day > 0 THEN $2 - overdue_since_day ELSE 0 END";

impl Store {
    /// Rebuilds the position projection of some loans inside the caller's transaction.
    pub(crate) async fn rebuild_positions(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        loan_ids: &[i64],
    ) -> Result<()> {
        use crate::store::batch::{self as rows, Value, placeholders};
        for chunk in loan_ids.chunks(rows::IN_LIST_MAX) {
            let list = placeholders(chunk.len(), 0);
            let mut loans = Vec::new();
            {
                let mut q = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {LOAN_COLUMNS} FROM loan WHERE id IN ({list})"
                )));
                for id in chunk {
                    q = q.bind(*id);
                }
                for row in q.fetch_all(&mut **tx).await? {
                    let borrower: i64 = row.try_get(2)?;
                    loans.push((loan_from_row(&row)?, borrower));
                }
            }
            let mut q = sqlx::query(AssertSqlSafe(format!(
                "SELECT loan_id, {TX_COLUMNS} FROM loan_tx WHERE loan_id IN ({list}) ORDER BY loan_id, value_date, id"
            )));
            for id in chunk {
                q = q.bind(*id);
            }
            let mut txs: HashMap<i64, Vec<LoanTx>> = HashMap::new();
            for row in q.fetch_all(&mut **tx).await? {
                let loan_id: i64 = row.try_get(0)?;
                txs.entry(loan_id)
                    .or_default()
                    .push(tx_from_row_at(&row, 1)?);
            }
            let mut q = sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM loan_position WHERE loan_id IN ({list})"
            )));
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut **tx).await?;
            let mut out = Vec::new();
            for (record, borrower) in &loans {
                let empty = Vec::new();
                for p in fund::positions(&record.loan, txs.get(&record.id).unwrap_or(&empty)) {
                    out.push(vec![
                        Value::from(record.id),
                        (*borrower).into(),
                        p.from.to_string().into(),
                        p.to.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string())
                            .into(),
                        p.outstanding.into(),
                        p.overdue_principal.into(),
                        i64::from(p.overdue_since.map_or(0, |d| d.to_julian_day())).into(),
                        p.maturity.to_string().into(),
                    ]);
                }
            }
            rows::insert(
                tx,
                "loan_position",
                &[
                    "loan_id",
                    "borrower_id",
                    "valid_from",
                    "valid_to",
                    "outstanding",
                    "overdue_principal",
                    "overdue_since_day",
                    "maturity",
                ],
                &out,
                "",
            )
            .await?;
        }
        Ok(())
    }

    /// Each loan with principal outstanding on `on`, from the projection.
    pub async fn position_rows(&self, on: Date) -> Result<Vec<PositionRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT loan_id, borrower_id, outstanding, overdue_principal, {DAYS_PAST_DUE} {POSITION_AT} ORDER BY loan_id"
        )))
        .bind(on.to_string())
        .bind(i64::from(on.to_julian_day()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PositionRow {
                    loan_id: r.try_get(0)?,
                    borrower_id: r.try_get(1)?,
                    outstanding: r.try_get(2)?,
                    overdue_principal: r.try_get(3)?,
                    days_past_due: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The whole book on `on`, summed by the database.
    pub async fn portfolio_summary(
        &self,
        on: Date,
        buckets: &fund::AgeingBuckets,
    ) -> Result<PortfolioSummary> {
        let mut bucket_case = String::from("CASE");
        for (i, (lo, hi)) in buckets.0.iter().enumerate() {
            bucket_case.push_str(&format!(" WHEN dpd >= {lo} AND dpd <= {hi} THEN {i}"));
        }
        bucket_case.push_str(&format!(" ELSE {} END", buckets.0.len().saturating_sub(1)));
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {bucket_case} AS bucket, CAST(COUNT(*) AS BIGINT), CAST(SUM(outstanding) AS BIGINT),
                    CAST(SUM(overdue_principal) AS BIGINT),
                    CAST(SUM(CASE WHEN dpd > 30 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN dpd > 30 THEN outstanding ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN dpd > 90 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN dpd > 90 THEN outstanding ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN overdue_principal > 0 THEN 1 ELSE 0 END) AS BIGINT)
             FROM (SELECT outstanding, overdue_principal, {DAYS_PAST_DUE} AS dpd {POSITION_AT}) p
             GROUP BY bucket"
        )))
        .bind(on.to_string())
        .bind(i64::from(on.to_julian_day()))
        .fetch_all(&self.pool)
        .await?;
        let mut s = PortfolioSummary {
            ageing: vec![(0, 0); buckets.0.len()],
            ..PortfolioSummary::default()
        };
        for r in rows {
            let bucket: i64 = r.try_get(0)?;
            let (n, amount): (i64, i64) = (r.try_get(1)?, r.try_get(2)?);
            s.loans += n;
            s.outstanding += amount;
            s.overdue_principal += r.try_get::<i64, _>(3)?;
            s.over_30.0 += r.try_get::<i64, _>(4)?;
            s.over_30.1 += r.try_get::<i64, _>(5)?;
            s.over_90.0 += r.try_get::<i64, _>(6)?;
            s.over_90.1 += r.try_get::<i64, _>(7)?;
            s.overdue_loans += r.try_get::<i64, _>(8)?;
            if let Some(b) = s.ageing.get_mut(bucket as usize) {
                b.0 += n;
                b.1 += amount;
            }
        }
        s.borrowers = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT CAST(COUNT(DISTINCT borrower_id) AS BIGINT) {POSITION_AT}"
        )))
        .bind(on.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(s)
    }
}

/// Transactions of one kind and borrower within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRow {
    pub kind: TxKind,
    pub borrower_id: i64,
    pub amount: i64,
    pub loans: i64,
}

impl Store {
    /// Disbursements, principal repayments and interest payments between two dates
    /// (inclusive), reversed entries left out, per kind and borrower.
    pub async fn fund_flows(&self, start: Date, end: Date) -> Result<Vec<FlowRow>> {
        let rows = sqlx::query(
            "SELECT t.kind, l.borrower_id, CAST(SUM(t.amount) AS BIGINT), CAST(COUNT(DISTINCT t.loan_id) AS BIGINT)
             FROM loan_tx t JOIN loan l ON l.id = t.loan_id
             WHERE t.value_date >= $1 AND t.value_date <= $2
               AND t.kind IN ('disbursement', 'principal_repayment', 'interest_payment')
               AND NOT EXISTS (SELECT 1 FROM loan_tx r WHERE r.reverses = t.id)
             GROUP BY t.kind, l.borrower_id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(0)?;
                Ok(FlowRow {
                    kind: tx_from(&kind).ok_or_else(|| Error::invalid("loan_tx.kind", kind))?,
                    borrower_id: r.try_get(1)?,
                    amount: r.try_get(2)?,
                    loans: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Extensions between two dates: (loan, borrower, principal extended = the loan's
    /// outstanding the day before).
    pub async fn fund_extensions(&self, start: Date, end: Date) -> Result<Vec<(i64, i64, i64)>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT t.loan_id, l.borrower_id, t.value_date
             FROM loan_tx t JOIN loan l ON l.id = t.loan_id
             WHERE t.value_date >= $1 AND t.value_date <= $2 AND t.kind = 'extension'
               AND NOT EXISTS (SELECT 1 FROM loan_tx r WHERE r.reverses = t.id)",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (loan, borrower, date) in rows {
            let day = parse_date(&date).map_err(|e| Error::invalid("value_date", e))?;
            let before = day.previous_day().unwrap_or(day).to_string();
            let outstanding: Option<i64> = sqlx::query_scalar(
                "SELECT outstanding FROM loan_position
                 WHERE loan_id = $1 AND valid_from <= $2 AND valid_to > $2",
            )
            .bind(loan)
            .bind(before)
            .fetch_optional(&self.pool)
            .await?;
            out.push((loan, borrower, outstanding.unwrap_or(0)));
        }
        Ok(out)
    }

    /// Contracts with principal outstanding on `on` whose maturity falls within `days` days.
    pub async fn maturing(&self, on: Date, days: i64) -> Result<Vec<String>> {
        let until = on + time::Duration::days(days);
        Ok(sqlx::query_scalar(
            "SELECT l.contract_no FROM loan_position p JOIN loan l ON l.id = p.loan_id
             WHERE p.valid_to > $1 AND p.valid_from <= $1 AND p.outstanding > 0
               AND p.maturity >= $1 AND p.maturity <= $2
             ORDER BY p.maturity, l.contract_no",
        )
        .bind(on.to_string())
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether the fund has any loan.
    pub async fn has_loans(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM loan")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
