//! Loan contracts: recording one, reading them.

use super::*;

impl Store {
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
}
