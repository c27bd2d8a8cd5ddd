//! A web application in a test: the router on a test database with the demo accounts, and
//! a browser's cookie and form token, without a server or a network.

use crate::support::TestDb;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::app::registry::communes_of_area;
use htx::store::registry::OrgFilter;
use htx::web::config::ServeConfig;
use htx::web::{AppState, router};
use tower::ServiceExt;

pub const PASSWORD: &str = htx::demo::accounts::DEMO_PASSWORD;

pub struct Web {
    pub app: Router,
    pub db: TestDb,
}

/// A logged-in browser: its cookie and the form token of its session.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    pub set_cookie: String,
}

impl Web {
    pub async fn demo() -> Web {
        Web::with(TestDb::demo().await, ServeConfig::default()).await
    }

    pub async fn with(db: TestDb, config: ServeConfig) -> Web {
        htx::demo::accounts::create(&db.store, "test")
            .await
            .unwrap();
        Web {
            app: router(AppState::new(db.store.clone(), config)),
            db,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let header_of = |name| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let location = header_of(header::LOCATION);
        let set_cookie = header_of(header::SET_COOKIE);
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            set_cookie,
        }
    }

    pub async fn get(&self, path: &str, s: Option<&Session>) -> Reply {
        let mut req = Request::get(path);
        if let Some(s) = s {
            req = req.header(header::COOKIE, &s.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, path: &str, s: Option<&Session>, form: &[(&str, &str)]) -> Reply {
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = s {
            req = req.header(header::COOKIE, &s.cookie);
        }
        let body = serde_urlencoded::to_string(form).unwrap();
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form with the session's token.
    pub async fn submit(&self, path: &str, s: &Session, form: &[(&str, &str)]) -> Reply {
        let mut with_token = vec![("_csrf", s.csrf.as_str())];
        with_token.extend_from_slice(form);
        self.post(path, Some(s), &with_token).await
    }

    /// The problems (field, reason) of an API call the server refuses as invalid input.
    pub async fn api_problems(
        &self,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> Vec<(String, String)> {
        let r = self
            .send(
                Request::post(format!("/api/v1{path}"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["field"].as_str().unwrap().to_string(),
                    p["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    pub async fn login(&self, username: &str) -> Session {
        let r = self
            .post(
                "/login",
                None,
                &[
                    ("username", username),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{username} logs in");
        let cookie = r.set_cookie.split(';').next().unwrap().to_string();
        let page = self
            .get(
                "/account",
                Some(&Session {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        let csrf = token_in(&page.body);
        Session { cookie, csrf }
    }

    /// A new API token of a user.
    pub async fn token(&self, username: &str, name: &str) -> String {
        let user = self
            .db
            .store
            .user_by_username(username)
            .await
            .unwrap()
            .expect("a demo account");
        self.db
            .store
            .create_api_token(user.id, name, "test")
            .await
            .unwrap()
    }

    /// How many organisations of a kind are counted on a date, as the registry list says.
    pub async fn counted(&self, kind: htx::domain::registry::OrgKind, on: time::Date) -> i64 {
        let (_, total) = self
            .db
            .store
            .list_orgs(&OrgFilter {
                on: Some(on),
                kind: Some(kind),
                counted_only: true,
                limit: 1,
                ..OrgFilter::default()
            })
            .await
            .unwrap();
        total
    }

    /// The code of a counted organisation whose commune lies in an area.
    pub async fn org_in(&self, area: &str) -> String {
        let (items, _) = self
            .db
            .store
            .list_orgs(&OrgFilter {
                communes: Some(communes_of_area(area)),
                counted_only: true,
                limit: 1,
                ..OrgFilter::default()
            })
            .await
            .unwrap();
        items[0].reg_code.clone()
    }
}

pub fn token_in(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a token")
        + 20;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

pub fn version_in(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}
