//! Users of the web application, their login sessions and API tokens. Secrets (session ids,
//! tokens) are random and only their SHA-256 is stored; passwords are argon2id hashes, computed
//! through a [`PasswordGate`] (`store::passwords`) so that a flood of logins cannot exhaust memory.

use crate::domain::access::{Access, Role};
use crate::domain::now_iso;
use crate::error::{Error, Result};
pub use crate::store::passwords::{PasswordGate, PasswordSlot};
use crate::store::{Store, audit};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// A user account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Unit id for area officers, "" otherwise.
    pub area: String,
    /// "vi" or "en".
    pub lang: String,
    pub disabled: bool,
    pub version: i64,
    #[serde(skip)]
    pub password_hash: String,
}

impl User {
    /// The rights this user has.
    pub fn access(&self) -> Access {
        Access {
            role: self.role,
            area: (!self.area.is_empty()).then(|| self.area.clone()),
        }
    }
}

/// What an administrator fills in for a new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub area: String,
    pub lang: String,
}

/// A live session found from its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    /// The token every state-changing form must carry.
    pub csrf: String,
}

/// The smallest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// The longest password accepted, in characters (longer input is refused before hashing).
pub const MAX_PASSWORD_LEN: usize = 1024;
/// The longest username, in characters.
pub const MAX_USERNAME_LEN: usize = 64;
/// The longest display name and API token name, in characters.
pub const MAX_NAME_LEN: usize = 200;
/// The longest validity of an API token, in days (about ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// One of a user's API tokens, as listed on the account page.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// ISO time in UTC after which the token is refused; `None` for no limit.
    pub expires_at: Option<String>,
}

/// Refuses over-long login input before any hashing is done.
pub fn check_login(username: &str, password: &str) -> Result<()> {
    check_length("username", "tên đăng nhập", username, MAX_USERNAME_LEN)?;
    check_length("password", "mật khẩu", password, MAX_PASSWORD_LEN)
}

fn check_length(field: &str, label: &str, value: &str, max: usize) -> Result<()> {
    // Counting stops past the limit: the input may be large.
    if value.chars().nth(max).is_some() {
        return Err(Error::invalid(
            field,
            format!("{label} dài quá {max} ký tự"),
        ));
    }
    Ok(())
}

const USER_COLUMNS: &str =
    "id, username, display_name, password_hash, role, area, lang, disabled, version";

fn user_from(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get(4)?;
    Ok(User {
        id: row.try_get(0)?,
        username: row.try_get(1)?,
        display_name: row.try_get(2)?,
        password_hash: row.try_get(3)?,
        role: Role::parse(&role).ok_or_else(|| Error::invalid("role", role))?,
        area: row.try_get(5)?,
        lang: row.try_get(6)?,
        disabled: row.try_get::<i64, _>(7)? != 0,
        version: row.try_get(8)?,
    })
}

/// A new random secret, hex encoded (32 bytes of entropy).
pub fn random_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn iso(t: OffsetDateTime) -> String {
    crate::domain::iso_instant(t)
}

fn check_password(password: &str) -> Result<()> {
    check_length("password", "mật khẩu", password, MAX_PASSWORD_LEN)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid(
            "password",
            format!("mật khẩu cần ít nhất {MIN_PASSWORD_LEN} ký tự"),
        ));
    }
    Ok(())
}

fn check_area(role: Role, area: &str) -> Result<()> {
    let access = Access {
        role,
        area: Some(area.to_string()),
    };
    if role == Role::AreaOfficer && access.area_unit().is_none() {
        return Err(Error::invalid(
            "area",
            format!("cán bộ địa bàn cần một đơn vị hành chính hợp lệ (\"{area}\" không có)"),
        ));
    }
    Ok(())
}

impl Store {
    /// The same store with another bound on password hashing (the web server sets its own).
    pub fn with_password_gate(mut self, gate: PasswordGate) -> Store {
        self.passwords = gate;
        self
    }

    /// The bound on password hashing this store uses.
    pub fn password_gate(&self) -> &PasswordGate {
        &self.passwords
    }

    /// Creates a user. The username must be new.
    pub async fn create_user(&self, new: &NewUser, author: &str) -> Result<User> {
        let username = new.username.trim().to_lowercase();
        if username.is_empty() || username.contains(char::is_whitespace) {
            return Err(Error::invalid(
                "username",
                "tên đăng nhập không được trống hay có dấu cách",
            ));
        }
        check_length("username", "tên đăng nhập", &username, MAX_USERNAME_LEN)?;
        check_length("display_name", "họ tên", &new.display_name, MAX_NAME_LEN)?;
        check_password(&new.password)?;
        let area = if new.role == Role::AreaOfficer {
            new.area.trim().to_string()
        } else {
            String::new()
        };
        check_area(new.role, &area)?;
        if self.user_by_username(&username).await?.is_some() {
            return Err(Error::Conflict(format!(
                "tên đăng nhập \"{username}\" đã có"
            )));
        }
        let hash = self.hash(&new.password).await?;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO app_user (username, display_name, password_hash, role, area, lang,
                                   disabled, created_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 1) RETURNING id",
        )
        .bind(&username)
        .bind(crate::domain::text::clean(&new.display_name))
        .bind(&hash)
        .bind(new.role.code())
        .bind(&area)
        .bind(if new.lang == "en" { "en" } else { "vi" })
        .bind(now_iso())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::record(
            &mut tx,
            author,
            "create",
            "user",
            &username,
            None,
            Some(&format!(
                "{{\"role\":\"{}\",\"area\":\"{area}\"}}",
                new.role.code()
            )),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("người dùng số {id}")))
    }

    /// A user by login name.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM app_user WHERE username = $1"
        )))
        .bind(username.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// A user by id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM app_user WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Every user, by login name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM app_user ORDER BY username"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from).collect()
    }

    /// Whether any user exists (the first one is created from the command line).
    pub async fn has_users(&self) -> Result<bool> {
        let n: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM app_user")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(n > 0)
    }

    /// The user whose name and password these are, if the account is enabled. Over-long input
    /// is refused (`Invalid`) without hashing; `Busy` when the [`PasswordGate`] is full.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<Option<User>> {
        check_login(username, password)?;
        let user = self.user_by_username(username).await?;
        // Unknown names are checked against a dummy hash, so that response times don't reveal
        // which names exist (and they pass through the same gate).
        let ok = self
            .verify(password, user.as_ref().map(|u| u.password_hash.clone()))
            .await?;
        Ok(user.filter(|u| ok && !u.disabled))
    }

    /// Changes role, area, name, language or the disabled flag. `expected_version` guards
    /// against two administrators editing the same user at once.
    pub async fn update_user(
        &self,
        user: &User,
        expected_version: i64,
        author: &str,
    ) -> Result<()> {
        let area = if user.role == Role::AreaOfficer {
            user.area.trim().to_string()
        } else {
            String::new()
        };
        check_area(user.role, &area)?;
        check_length("display_name", "họ tên", &user.display_name, MAX_NAME_LEN)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE app_user SET display_name = $1, role = $2, area = $3, lang = $4,
                    disabled = $5, version = version + 1
             WHERE id = $6 AND version = $7",
        )
        .bind(crate::domain::text::clean(&user.display_name))
        .bind(user.role.code())
        .bind(&area)
        .bind(if user.lang == "en" { "en" } else { "vi" })
        .bind(i64::from(user.disabled))
        .bind(user.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(Error::Conflict(format!(
                "tài khoản {} vừa được người khác sửa; hãy tải lại trang",
                user.username
            )));
        }
        if user.disabled {
            sqlx::query("DELETE FROM app_session WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            author,
            "update",
            "user",
            &user.username,
            None,
            Some(&format!(
                "{{\"role\":\"{}\",\"area\":\"{area}\",\"disabled\":{}}}",
                user.role.code(),
                user.disabled
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password, ends the user's sessions and revokes their API tokens (a token
    /// made by whoever knew the old password must not outlive it).
    pub async fn set_password(&self, user_id: i64, password: &str, author: &str) -> Result<()> {
        check_password(password)?;
        let hash = self.hash(password).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE app_user SET password_hash = $1, version = version + 1 WHERE id = $2")
            .bind(&hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM app_session WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_iso())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "password",
            "user",
            &user_id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session lasting `ttl`; returns the session id for the cookie.
    pub async fn create_session(&self, user_id: i64, ttl: time::Duration) -> Result<String> {
        let id = random_secret();
        let now = OffsetDateTime::now_utc();
        sqlx::query(
            "INSERT INTO app_session (id_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(digest(&id))
        .bind(user_id)
        .bind(random_secret())
        .bind(iso(now))
        .bind(iso(now + ttl))
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// The live session with this id, if it has not expired and its user is enabled.
    pub async fn session(&self, id: &str) -> Result<Option<Session>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.csrf, {} FROM app_session s JOIN app_user u ON u.id = s.user_id
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .bind(digest(id))
        .bind(iso(OffsetDateTime::now_utc()))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let csrf: String = row.try_get(0)?;
        let role: String = row.try_get(5)?;
        let user = User {
            id: row.try_get(1)?,
            username: row.try_get(2)?,
            display_name: row.try_get(3)?,
            password_hash: row.try_get(4)?,
            role: Role::parse(&role).ok_or_else(|| Error::invalid("role", role))?,
            area: row.try_get(6)?,
            lang: row.try_get(7)?,
            disabled: row.try_get::<i64, _>(8)? != 0,
            version: row.try_get(9)?,
        };
        Ok(Some(Session { user, csrf }))
    }

    /// Ends a session (logout) and clears expired ones.
    pub async fn end_session(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM app_session WHERE id_hash = $1 OR expires_at <= $2")
            .bind(digest(id))
            .bind(iso(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Issues an API token for a user without a time limit (see [`Store::create_api_token_for`]).
    pub async fn create_api_token(&self, user_id: i64, name: &str, author: &str) -> Result<String> {
        self.create_api_token_for(user_id, name, None, author).await
    }

    /// Issues an API token for a user, valid for `days` days if given (else until revoked);
    /// the token is shown once and only its hash is kept.
    pub async fn create_api_token_for(
        &self,
        user_id: i64,
        name: &str,
        days: Option<u32>,
        author: &str,
    ) -> Result<String> {
        let name = crate::domain::text::clean(name.trim());
        if name.is_empty() {
            return Err(Error::invalid("name", "cần đặt tên cho mã truy cập"));
        }
        check_length("name", "tên mã truy cập", &name, MAX_NAME_LEN)?;
        let expires_at = match days {
            None => None,
            Some(d @ 1..=MAX_TOKEN_DAYS) => Some(iso(
                OffsetDateTime::now_utc() + time::Duration::days(i64::from(d))
            )),
            Some(d) => {
                return Err(Error::invalid(
                    "days",
                    format!("số ngày hiệu lực phải từ 1 đến {MAX_TOKEN_DAYS} ({d} không hợp lệ)"),
                ));
            }
        };
        let token = format!("htx_{}", random_secret());
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_token (user_id, name, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(&name)
        .bind(digest(&token))
        .bind(now_iso())
        .bind(&expires_at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "create",
            "api_token",
            &user_id.to_string(),
            None,
            Some(&serde_json::json!({"name": name, "expires_at": expires_at}).to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The enabled user an API token belongs to, unless it was revoked or has expired.
    pub async fn token_user(&self, token: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT user_id FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(digest(token.trim()))
        .bind(iso(OffsetDateTime::now_utc()))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = self.user_by_id(row.try_get(0)?).await?;
        Ok(user.filter(|u| !u.disabled))
    }

    /// The API tokens of a user, oldest first.
    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, revoked_at, expires_at FROM api_token
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    revoked_at: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Revokes one of a user's tokens.
    pub async fn revoke_api_token(&self, user_id: i64, token_id: i64, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_iso())
        .bind(token_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            author,
            "revoke",
            "api_token",
            &token_id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

// Argon2 is slow on purpose: it runs off the async workers so other requests keep flowing, and
// each run holds its slot of the gate until it ends (even if the request that asked for it has
// gone), so the gate bounds the work really under way.
impl Store {
    /// Whether `password` matches `hash` (a dummy hash when `None`, which never matches).
    async fn verify(&self, password: &str, hash: Option<String>) -> Result<bool> {
        let mut slot = self.passwords.enter().await?;
        let password = password.to_string();
        Ok(tokio::task::spawn_blocking(move || {
            let ok = slot.verify(&password, hash.as_deref().unwrap_or(DUMMY_HASH));
            ok && hash.is_some()
        })
        .await
        .unwrap_or(false))
    }

    async fn hash(&self, password: &str) -> Result<String> {
        let mut slot = self.passwords.enter().await?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || slot.hash(&password))
            .await
            .map_err(|e| Error::Render(format!("băm mật khẩu: {e}")))
    }
}

/// A hash of the default parameters to check unknown usernames against, so that they take as
/// long as known ones.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZSBkdW1teSBzYWx0$0gXBBEeSQVeHGoc1kcY8bWp7zP0WZQbnWrrxVGUdiVo";
