//! Loans with their transactions written together (an import, the demo).

use super::*;

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
    /// Changes of the charter capital, already checked; written before the loans.
    pub capital: Vec<CapitalChange>,
    /// Skip re-checking new loans' transactions: only for generated data that is valid by
    /// construction (benchmarks), never for anything a person typed.
    pub valid_by_construction: bool,
}

impl FundBatch {
    /// Whether the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.loans.is_empty() && self.transactions.is_empty() && self.capital.is_empty()
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
        for change in &batch.capital {
            self.add_fund_capital_in(tx, change, author).await?;
        }
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
