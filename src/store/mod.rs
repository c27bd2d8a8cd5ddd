//! The only place with SQL. One SQL text serves SQLite and PostgreSQL through sqlx's `Any`
//! driver; the URL picks the backend, and each backend has its own migrations folder.

pub mod accounts;
pub mod alliance;
pub mod audit;
pub mod batch;
pub mod dossier;
pub mod evaluations;
pub mod fund;
pub mod governance;
pub mod issued;
pub mod passwords;
pub mod plans;
pub mod programmes;
pub mod registry;
pub mod report;
pub mod reporting_groups;
pub mod settings;
pub mod trends;

use crate::domain::sector::{BUILT_IN, Sector, SectorGroup, Taxonomy};
use crate::error::{Error, Result};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The default database: a SQLite file in the working directory, created when missing.
pub const DEFAULT_URL: &str = "sqlite://htx.db?mode=rwc";

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl FromStr for Backend {
    type Err = Error;
    fn from_str(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::invalid(
                "--db",
                format!(
                    "địa chỉ cơ sở dữ liệu \"{url}\" không được hỗ trợ (dùng sqlite://… hoặc postgres://…)"
                ),
            ))
        }
    }
}

/// A connection pool plus what it is connected to.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    /// Searches already seen and whether few names matched them (see `list_orgs`).
    pub(crate) search_routes: Arc<Mutex<HashMap<String, bool>>>,
    /// Bounds the password hashing running at once (see `accounts::PasswordGate`).
    pub(crate) passwords: accounts::PasswordGate,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects, applies pending migrations and seeds the built-in sector taxonomy.
    /// A missing SQLite file is created (with `mode=rwc` in the URL).
    pub async fn open(url: &str) -> Result<Store> {
        let backend: Backend = url.parse()?;
        sqlx::any::install_default_drivers();
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            options = options.max_connections(4).after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                             PRAGMA temp_store = MEMORY;",
                    )
                    .await?;
                    Ok(())
                })
            });
        } else {
            options = options.max_connections(8);
        }
        let pool = options.connect(url).await?;
        let store = Store {
            pool,
            backend,
            search_routes: Arc::default(),
            passwords: accounts::PasswordGate::default(),
        };
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&store.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&store.pool).await?,
        }
        store.seed_sectors().await?;
        Ok(store)
    }

    /// Starts a transaction for writes that span several areas (an import).
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin().await?)
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the planner's statistics up to date after a bulk write (an import, `htx gen`).
    /// PostgreSQL plans from statistics that autovacuum refreshes only later, and without them
    /// it picks plans that are many times slower right after a load. SQLite's queries are
    /// shaped for its planner without statistics (`list_orgs`), so it is left alone there.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn seed_sectors(&self) -> Result<()> {
        for (i, (code, group, vi, en, prose, vsic)) in BUILT_IN.iter().enumerate() {
            sqlx::query(
                "INSERT INTO sector (code, group_code, name_vi, name_en, prose, vsic, sort, built_in)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1) ON CONFLICT (code) DO NOTHING",
            )
            .bind(*code)
            .bind(group.code())
            .bind(*vi)
            .bind(*en)
            .bind(*prose)
            .bind(*vsic)
            .bind(i as i64 * 10)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// The sector taxonomy of this deployment (built-in fields and added ones).
    pub async fn taxonomy(&self) -> Result<Taxonomy> {
        let rows = sqlx::query(
            "SELECT code, group_code, name_vi, name_en, prose, vsic, sort FROM sector ORDER BY sort",
        )
        .fetch_all(&self.pool)
        .await?;
        let sectors = rows
            .iter()
            .map(|r: &AnyRow| -> Result<Sector> {
                let group: String = r.try_get(1)?;
                Ok(Sector {
                    code: r.try_get(0)?,
                    group: SectorGroup::from_code(&group)
                        .ok_or_else(|| Error::invalid("sector.group_code", group.clone()))?,
                    name_vi: r.try_get(2)?,
                    name_en: r.try_get(3)?,
                    prose: r.try_get(4)?,
                    vsic: r.try_get(5)?,
                    sort: r.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Taxonomy::new(sectors).with_reporting_groups(self.reporting_groups().await?))
    }

    /// Adds a field of activity to the taxonomy.
    pub async fn add_sector(&self, sector: &Sector, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT code FROM sector WHERE code = $1")
            .bind(&sector.code)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(Error::Conflict(format!(
                "lĩnh vực \"{}\" đã có",
                sector.code
            )));
        }
        sqlx::query(
            "INSERT INTO sector (code, group_code, name_vi, name_en, prose, vsic, sort, built_in)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(&sector.code)
        .bind(sector.group.code())
        .bind(&sector.name_vi)
        .bind(&sector.name_en)
        .bind(&sector.prose)
        .bind(&sector.vsic)
        .bind(sector.sort)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "create",
            "sector",
            &sector.code,
            None,
            Some(&serde_json::to_string(sector).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A date read back from a column; a malformed one names the column.
pub(crate) fn stored_date(field: &str, s: &str) -> Result<time::Date> {
    crate::domain::parse_date(s).map_err(|e| Error::invalid(field, e))
}

/// A coded value read back from a column; an unknown code names the column.
pub(crate) fn stored_code<T: crate::domain::codes::Coded>(field: &str, s: &str) -> Result<T> {
    T::from_code(s).ok_or_else(|| Error::invalid(field, format!("mã \"{s}\" không hợp lệ")))
}
