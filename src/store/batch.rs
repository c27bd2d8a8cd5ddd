//! Multi-row INSERTs: one statement for many rows keeps bulk imports fast on both backends.

use crate::error::Result;
use sqlx::{Any, AssertSqlSafe, Transaction};

/// A value bound into a batch.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::Null, Value::Int)
    }
}

/// Bound parameters per statement on SQLite. Small on purpose: sqlx-sqlite looks up every
/// parameter by name, which costs time proportional to the statement size (quadratic overall).
const MAX_PARAMS_SQLITE: usize = 90;

/// Bound parameters per statement on PostgreSQL, whose protocol allows 65,535. Each statement
/// is a round trip and a plan, so larger statements are what make a bulk load fast there
/// (docs/benchmarks.md: `htx gen` on PostgreSQL).
const MAX_PARAMS_POSTGRES: usize = 8_000;

/// Longest `IN (…)` list per statement, for the same reason as [`MAX_PARAMS_SQLITE`].
pub const IN_LIST_MAX: usize = 150;

/// A write of this many rows or more is a bulk load, after which PostgreSQL's statistics are
/// refreshed before they are relied on (see `Store::refresh_statistics`).
pub const BULK_ROWS: usize = 1_000;

/// Inserts `rows` into `table` in as few statements as the parameter limit allows.
/// `suffix` is appended to each statement (e.g. `ON CONFLICT … DO NOTHING`).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
    suffix: &str,
) -> Result<()> {
    let max_params = if tx.backend_name() == "PostgreSQL" {
        MAX_PARAMS_POSTGRES
    } else {
        MAX_PARAMS_SQLITE
    };
    let per_statement = (max_params / columns.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        sql.push(' ');
        sql.push_str(suffix);
        bind(sqlx::query(AssertSqlSafe(sql)), chunk.iter().flatten())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Binds `values` to `query` in order.
pub fn bind<'a, 'v>(
    query: sqlx::query::Query<'a, Any, sqlx::any::AnyArguments>,
    values: impl IntoIterator<Item = &'v Value>,
) -> sqlx::query::Query<'a, Any, sqlx::any::AnyArguments> {
    values.into_iter().fold(query, |q, value| match value {
        Value::Int(i) => q.bind(*i),
        Value::Text(t) => q.bind(t.clone()),
        Value::Null => q.bind(None::<i64>),
    })
}

/// Builds `$1, $2, …` placeholders for an `IN (…)` list starting after `offset` parameters.
pub fn placeholders(count: usize, offset: usize) -> String {
    (1..=count)
        .map(|i| format!("${}", i + offset))
        .collect::<Vec<_>>()
        .join(", ")
}
