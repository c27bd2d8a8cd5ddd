//! The position projection and what is counted from it: the portfolio, flows, maturities.

use super::*;

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

pub(super) const POSITION_AT: &str =
    "FROM loan_position WHERE valid_to > $1 AND valid_from <= $1 AND outstanding > 0";

pub(super) const DAYS_PAST_DUE: &str = "CASE WHEN overdue_principal > 0 AND overdue_since_day > 0 THEN $2 - overdue_since_day ELSE 0 END";

/// Transactions of one kind and borrower within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRow {
    pub kind: TxKind,
    pub borrower_id: i64,
    pub amount: i64,
    pub loans: i64,
}

impl Store {
    /// The outstanding principal of every loan between two dates (inclusive), from the
    /// projection: borrower, first day, day after the last, amount (only stretches with
    /// something outstanding that overlap the dates).
    pub async fn outstanding_stretches(
        &self,
        from: Date,
        to: Date,
    ) -> Result<Vec<(i64, Date, Date, i64)>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT borrower_id, valid_from, valid_to, outstanding FROM loan_position
             WHERE outstanding > 0 AND valid_to > $1 AND valid_from <= $2",
        )
        .bind(from.to_string())
        .bind(to.to_string())
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
