//! Who is asking: the session cookie (pages) or a bearer token (API), the anti-forgery
//! check on state-changing requests, and the throttle on failed logins.

use crate::domain::access::Action;
use crate::store::accounts::User;
use crate::web::AppState;
use crate::web::error::{ApiError, WebError};
use crate::web::i18n::Lang;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Name of the session cookie.
pub const COOKIE: &str = "htx_session";

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The Set-Cookie value for a new session (or, with `None`, one that clears it).
pub fn session_cookie(id: Option<&str>, minutes: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match id {
        Some(id) => format!(
            "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            minutes * 60
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// A logged-in user of the pages.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub lang: Lang,
}

impl Viewer {
    /// Refuses the request unless the user's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), WebError> {
        if self.user.access().can(action) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// The text of a dictionary key in the user's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The name the audit log records.
    pub fn author(&self) -> String {
        format!("web:{}", self.user.username)
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(id) = cookie(&parts.headers, COOKIE) else {
            return Err(WebError::Login { next });
        };
        match state.store.session(&id).await? {
            Some(s) => Ok(Viewer {
                lang: Lang::from_code(&s.user.lang),
                user: s.user,
                csrf: s.csrf,
            }),
            None => Err(WebError::Login { next }),
        }
    }
}

/// A user of the JSON API, identified by `Authorization: Bearer <token>` (or, for pages'
/// own scripts, by the session cookie together with the `X-CSRF-Token` header).
#[derive(Debug, Clone)]
pub struct ApiUser {
    pub user: User,
}

impl ApiUser {
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.user.access().can(action) {
            Ok(())
        } else {
            Err(ApiError(WebError::Forbidden))
        }
    }

    pub fn author(&self) -> String {
        format!("api:{}", self.user.username)
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let unauthorized = || {
            ApiError(WebError::Login {
                next: String::new(),
            })
        };
        if let Some(token) = bearer {
            let user = state.store.token_user(token).await?;
            return user.map(|user| ApiUser { user }).ok_or_else(unauthorized);
        }
        let Some(id) = cookie(&parts.headers, COOKIE) else {
            return Err(unauthorized());
        };
        let session = state.store.session(&id).await?.ok_or_else(unauthorized)?;
        // Cookies are sent by browsers on their own, so writes through them must prove
        // they come from our pages.
        if !is_safe(&parts.method) && csrf_header(&parts.headers) != Some(session.csrf.as_str()) {
            return Err(ApiError(WebError::Csrf));
        }
        Ok(ApiUser { user: session.user })
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
}

/// Refuses state-changing page requests that do not carry the session's anti-forgery token
/// (a `_csrf` form field, query parameter or `X-CSRF-Token` header), and those whose
/// `Origin` is another site. Requests without a session pass on to be sent to the login.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) || req.uri().path() == "/login" {
        return next.run(req).await;
    }
    if let (Some(origin), Some(host)) = (
        req.headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok()),
        req.headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok()),
    ) && origin.split("://").nth(1) != Some(host)
    {
        return WebError::Csrf.into_response();
    }
    let Some(id) = cookie(req.headers(), COOKIE) else {
        return next.run(req).await;
    };
    let expected = match state.store.session(&id).await {
        Ok(Some(s)) => s.csrf,
        Ok(None) => return next.run(req).await,
        Err(e) => return WebError::from(e).into_response(),
    };
    let from_query = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v)
        });
    if csrf_header(req.headers()) == Some(expected.as_str())
        || from_query.as_deref() == Some(expected.as_str())
    {
        return next.run(req).await;
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return WebError::Csrf.into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return WebError::Invalid("biểu mẫu quá lớn".into()).into_response();
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v)
        });
    if token.as_deref() != Some(expected.as_str()) {
        return WebError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Counts failed logins per username and locks an account for a while after too many.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: HashMap<String, (u32, Instant)>,
}

impl LoginThrottle {
    /// Whether this username is currently locked out.
    pub fn is_locked(&self, username: &str, max: u32, lockout: Duration) -> bool {
        self.failures
            .get(username)
            .is_some_and(|(n, last)| *n >= max && last.elapsed() < lockout)
    }

    /// Notes a failure; a long-past streak starts again from one.
    pub fn failed(&mut self, username: &str, lockout: Duration) {
        let entry = self
            .failures
            .entry(username.to_string())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= lockout {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = Instant::now();
    }

    /// Clears the count after a successful login.
    pub fn succeeded(&mut self, username: &str) {
        self.failures.remove(username);
    }
}
