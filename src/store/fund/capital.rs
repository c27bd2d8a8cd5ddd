//! The fund's charter capital over time.

use super::*;

/// A change of the fund's charter capital, checked (`app::fund::check_capital`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapitalChange {
    pub date: Date,
    /// đồng; negative to reduce.
    pub amount: i64,
    /// Where the capital comes from (the province's budget…).
    pub source: String,
    pub reference: String,
}

impl Store {
    /// Records a change of the fund's charter capital (an allocation, or a negative amount).
    pub async fn add_fund_capital(&self, change: &CapitalChange, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.add_fund_capital_in(&mut tx, change, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::add_fund_capital`] inside the caller's transaction (an import).
    pub async fn add_fund_capital_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        change: &CapitalChange,
        author: &str,
    ) -> Result<()> {
        let CapitalChange {
            date,
            amount,
            source,
            reference,
        } = change;
        sqlx::query(
            "INSERT INTO fund_capital (value_date, amount, source, reference, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(date.to_string())
        .bind(*amount)
        .bind(source)
        .bind(reference)
        .bind(now_iso())
        .bind(author)
        .execute(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            "create",
            "fund_capital",
            &date.to_string(),
            None,
            Some(&format!(
                "{{\"amount\":{amount},\"source\":{}}}",
                serde_json::json!(source)
            )),
        )
        .await?;
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

    /// Every change of the fund's charter capital as recorded, in date order.
    pub async fn fund_capital_changes(&self) -> Result<Vec<CapitalChange>> {
        let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT value_date, amount, source, reference FROM fund_capital ORDER BY value_date, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(d, amount, source, reference)| {
                Ok(CapitalChange {
                    date: parse_date(&d).map_err(|e| Error::invalid("date", e))?,
                    amount,
                    source,
                    reference,
                })
            })
            .collect()
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
}
