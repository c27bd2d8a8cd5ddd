//! Who is asking: the session cookie (pages) or a bearer token (API), the client's address,
//! the anti-forgery check on state-changing requests, and the throttle on failed logins.

use crate::domain::access::Action;
use crate::store::accounts::User;
use crate::web::AppState;
use crate::web::error::{ApiError, WebError};
use crate::web::i18n::Lang;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
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

/// The address a request comes from, for the login throttle: the connection's peer, or with
/// `trust_forwarded_for` the last `X-Forwarded-For` entry (the one the proxy itself added).
/// IPv6 addresses count by their /64 network, which one machine usually holds whole. Requests
/// without connection details (the router driven in-process) all share the unspecified address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    fn of(ip: IpAddr) -> ClientAddress {
        let ip = match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !((1u128 << 64) - 1))),
            },
            v4 => v4,
        };
        ClientAddress(ip)
    }

    /// The client address of a request under these settings.
    pub fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> ClientAddress {
        let forwarded = trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|last| last.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip())
        };
        ClientAddress::of(
            forwarded
                .or_else(peer)
                .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
        )
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(ClientAddress::from_parts(
            parts,
            state.config.trust_forwarded_for,
        ))
    }
}

/// Whether a browser says the request comes from another site: `Sec-Fetch-Site: cross-site`,
/// or an `Origin` whose host is not ours.
fn is_cross_site(req: &Request) -> bool {
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let host = header(header::HOST.as_str()).or_else(|| req.uri().authority().map(|a| a.as_str()));
    match (header(header::ORIGIN.as_str()), host) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) != Some(host),
        _ => false,
    }
}

/// Refuses state-changing page requests from another site (by `Origin` or `Sec-Fetch-Site`;
/// the login too, so that no other site can log a visitor into an account of its choosing),
/// and those with a session that do not carry its anti-forgery token (a `_csrf` form field,
/// query parameter or `X-CSRF-Token` header). Requests without a session pass on to be sent
/// to the login.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    if is_cross_site(&req) {
        return WebError::Csrf.into_response();
    }
    if req.uri().path() == "/login" {
        return next.run(req).await;
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
        return WebError::invalid("biểu mẫu quá lớn").into_response();
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

/// Counts failed logins per (client address, username) and per client address, in tables of
/// bounded size. A pair is refused after `max_failed_logins` failures and an address after
/// `max_failed_logins_per_address`, each for `window` after its latest failure; so a stranger
/// guessing at an account does not lock out its owner, who logs in from another address.
/// Usernames are kept as keyed hashes, so an entry's size does not depend on what was typed.
#[derive(Debug)]
pub struct LoginThrottle {
    pairs: Streaks<(ClientAddress, u64)>,
    addresses: Streaks<ClientAddress>,
    names: RandomState,
    limits: ThrottleLimits,
}

/// The throttle's rules (from [`crate::web::config::ServeConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub per_pair: u32,
    pub per_address: u32,
    pub window: Duration,
    /// Entries kept per table.
    pub entries: usize,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let c = crate::web::config::ServeConfig::default();
        LoginThrottle::new(ThrottleLimits::of(&c))
    }
}

impl ThrottleLimits {
    /// The limits the settings ask for.
    pub fn of(c: &crate::web::config::ServeConfig) -> ThrottleLimits {
        ThrottleLimits {
            per_pair: c.max_failed_logins,
            per_address: c.max_failed_logins_per_address,
            window: Duration::from_secs(c.lockout_minutes * 60),
            entries: c.login_throttle_entries.max(1),
        }
    }
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> LoginThrottle {
        LoginThrottle {
            pairs: Streaks::default(),
            addresses: Streaks::default(),
            names: RandomState::new(),
            limits,
        }
    }

    fn pair(&self, client: ClientAddress, username: &str) -> (ClientAddress, u64) {
        (client, self.names.hash_one(username))
    }

    /// Whether logins for this username from this address are refused for now.
    pub fn is_locked(&self, client: ClientAddress, username: &str) -> bool {
        let l = &self.limits;
        self.addresses.reached(&client, l.per_address, l.window)
            || self
                .pairs
                .reached(&self.pair(client, username), l.per_pair, l.window)
    }

    /// Notes a failure.
    pub fn failed(&mut self, client: ClientAddress, username: &str) {
        let pair = self.pair(client, username);
        let l = self.limits;
        self.pairs.add(pair, l.window, l.entries);
        self.addresses.add(client, l.window, l.entries);
    }

    /// Clears the pair's count after a successful login (the address keeps its count, so that
    /// an attacker's own account cannot wipe the record of their guesses).
    pub fn succeeded(&mut self, client: ClientAddress, username: &str) {
        let pair = self.pair(client, username);
        self.pairs.map.remove(&pair);
    }

    /// Entries held, pairs and addresses together.
    pub fn entries(&self) -> usize {
        self.pairs.map.len() + self.addresses.map.len()
    }
}

/// Failure streaks by key: how many, and when the latest was.
#[derive(Debug)]
struct Streaks<K> {
    map: HashMap<K, (u32, Instant)>,
}

impl<K> Default for Streaks<K> {
    fn default() -> Self {
        Streaks {
            map: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Streaks<K> {
    fn reached(&self, key: &K, max: u32, window: Duration) -> bool {
        self.map
            .get(key)
            .is_some_and(|(n, last)| *n >= max && last.elapsed() < window)
    }

    /// Counts a failure; a streak older than the window starts again from one. A full table
    /// first forgets the streaks past their window, then the one with the oldest failure.
    fn add(&mut self, key: K, window: Duration, cap: usize) {
        if !self.map.contains_key(&key) && self.map.len() >= cap {
            self.map.retain(|_, (_, last)| last.elapsed() < window);
            if self.map.len() >= cap
                && let Some(oldest) = self
                    .map
                    .iter()
                    .min_by_key(|(_, (_, last))| *last)
                    .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        let now = Instant::now();
        let entry = self.map.entry(key).or_insert((0, now));
        if entry.1.elapsed() >= window {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(entries: usize) -> ThrottleLimits {
        ThrottleLimits {
            per_pair: 5,
            per_address: 30,
            window: Duration::from_secs(900),
            entries,
        }
    }

    fn address(n: u32) -> ClientAddress {
        ClientAddress::of(IpAddr::V4(n.into()))
    }

    #[test]
    fn the_throttle_keeps_at_most_its_cap_whatever_the_usernames() {
        let mut throttle = LoginThrottle::new(limits(1000));
        let huge = "x".repeat(100_000);
        for n in 0..20_000u32 {
            throttle.failed(address(n % 3000), &format!("{huge}{n}"));
        }
        assert!(throttle.entries() <= 2 * 1000, "{}", throttle.entries());
        // The newest failures are the ones remembered.
        assert_eq!(throttle.pairs.map.len(), 1000);
        assert!(
            throttle
                .pairs
                .map
                .contains_key(&throttle.pair(address(19_999 % 3000), &format!("{huge}19999")))
        );
    }

    #[test]
    fn a_stranger_locks_only_their_own_pair_and_then_their_address() {
        let mut throttle = LoginThrottle::new(limits(100));
        let (stranger, owner) = (address(1), address(2));
        for _ in 0..5 {
            throttle.failed(stranger, "admin");
        }
        assert!(throttle.is_locked(stranger, "admin"));
        assert!(
            !throttle.is_locked(owner, "admin"),
            "the owner still logs in"
        );
        assert!(!throttle.is_locked(stranger, "canbo"));
        for n in 0..25 {
            throttle.failed(stranger, &format!("user{n}"));
        }
        assert!(throttle.is_locked(stranger, "someone-new"), "30 failures");
        assert!(!throttle.is_locked(owner, "someone-new"));
    }

    #[test]
    fn x_forwarded_for_is_believed_only_when_trusted() {
        let (mut parts, ()) = Request::builder()
            .header("x-forwarded-for", "198.51.100.7, 203.0.113.5")
            .body(())
            .unwrap()
            .into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 5000))));
        let peer = ClientAddress::from_parts(&parts, false);
        assert_eq!(peer, address(0x0a00_0001), "the connection's peer");
        let forwarded = ClientAddress::from_parts(&parts, true);
        assert_eq!(forwarded, address(0xcb00_7105), "the entry the proxy added");
        parts.extensions.clear();
        assert_eq!(
            ClientAddress::from_parts(&parts, false),
            ClientAddress(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
            "no connection details: one shared address"
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ClientAddress::of(a), ClientAddress::of(b));
        assert_ne!(ClientAddress::of(a), ClientAddress::of(c));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(ClientAddress::of(mapped), address(0x0a00_0001));
    }
}
