//! Loan transactions: reading a loan's history, recording one after the rules.

use super::*;

impl Store {
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
