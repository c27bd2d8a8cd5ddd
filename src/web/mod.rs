//! The web application: server-rendered pages for everyday work and the JSON API, in one
//! axum router. Templates and assets are compiled into the binary (no CDN).

pub mod api;
pub mod assets;
pub mod config;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod period_picker;
pub mod reach;
pub mod session;
pub mod svg_chart;
pub mod uploads;
pub mod view;

use crate::domain::sector::Taxonomy;
use crate::store::Store;
use crate::store::settings::Deployment;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use config::ServeConfig;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServeConfig>,
    pub throttle: Arc<Mutex<session::LoginThrottle>>,
    /// Uploaded files waiting for confirmation, by random token.
    pub uploads: Arc<Mutex<HashMap<String, pages::imports::PendingImport>>>,
    pub dashboards: Arc<pages::dashboard::DashboardCache>,
    /// Imports running and waiting (a bounded queue).
    pub imports: Arc<pages::imports::ImportQueue>,
    /// The sector taxonomy and deployment settings, reread at most every few seconds.
    settings: Arc<Mutex<Option<RememberedSettings>>>,
}

/// When the taxonomy and settings were read, and what they were.
type RememberedSettings = (Instant, Arc<Taxonomy>, Arc<Deployment>);

/// How long the taxonomy and settings are reused before they are read again (changes made
/// through the pages take effect at once; changes from the command line within this time).
const SETTINGS_FRESH_FOR: Duration = Duration::from_secs(5);

/// The largest body of a login.
pub const LOGIN_BODY_LIMIT: usize = 64 << 10;
/// The largest body of every other form and API call, except uploads (`max_upload_mb`).
pub const FORM_BODY_LIMIT: usize = 1 << 20;

impl AppState {
    pub fn new(store: Store, config: ServeConfig) -> AppState {
        let gate = crate::store::accounts::PasswordGate::new(
            config.password_checks,
            Duration::from_millis(config.password_wait_ms),
        );
        let throttle = session::LoginThrottle::new(session::ThrottleLimits::of(&config));
        AppState {
            store: store.with_password_gate(gate),
            config: Arc::new(config),
            throttle: Arc::new(Mutex::new(throttle)),
            uploads: Arc::default(),
            dashboards: Arc::default(),
            imports: Arc::default(),
            settings: Arc::default(),
        }
    }

    async fn settings(&self) -> crate::Result<(Arc<Taxonomy>, Arc<Deployment>)> {
        if let Some((at, t, d)) = crate::sync::lock(&self.settings).as_ref()
            && at.elapsed() < SETTINGS_FRESH_FOR
        {
            return Ok((t.clone(), d.clone()));
        }
        let t = Arc::new(self.store.taxonomy().await?);
        let d = Arc::new(self.store.deployment().await?);
        *crate::sync::lock(&self.settings) = Some((Instant::now(), t.clone(), d.clone()));
        Ok((t, d))
    }

    /// The sector taxonomy (recently read).
    pub async fn taxonomy(&self) -> crate::Result<Arc<Taxonomy>> {
        Ok(self.settings().await?.0)
    }

    /// The deployment settings (recently read).
    pub async fn deployment(&self) -> crate::Result<Arc<Deployment>> {
        Ok(self.settings().await?.1)
    }

    /// Forgets the remembered taxonomy and settings after a change.
    pub fn settings_changed(&self) {
        *crate::sync::lock(&self.settings) = None;
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    use pages::*;
    let upload = DefaultBodyLimit::max(state.config.max_upload_mb << 20);
    let pages = Router::new()
        .route("/", get(dashboard::show))
        .route(
            "/login",
            get(auth::login_page)
                .post(auth::login)
                .layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/logout", post(auth::logout))
        .route("/account", get(auth::account))
        .route("/account/password", post(auth::change_password))
        .route("/account/lang", post(auth::change_lang))
        .route("/account/tokens", post(auth::create_token))
        .route("/account/tokens/revoke", post(auth::revoke_token))
        .route("/orgs", get(registry::list).post(registry::create))
        .route("/orgs/new", get(registry::new_form))
        .route("/orgs/export", get(registry_export::export))
        .route("/orgs/{code}", get(registry::show))
        .route(
            "/orgs/{code}/events",
            get(registry::event_form).post(registry::record_event),
        )
        .route(
            "/orgs/{code}/figures",
            get(figures::form).post(figures::save),
        )
        .route(
            "/orgs/{code}/evaluations",
            get(evaluations::show).post(evaluations::save),
        )
        .route("/fund", get(fund::portfolio))
        .route("/fund/loans", get(fund::loans))
        .route("/fund/loans/export", get(exports::loans))
        .route(
            "/fund/loans/{contract}",
            get(fund::loan).post(fund::record_tx),
        )
        .route("/alliance", get(alliance::overview))
        .route("/alliance/activities", post(alliance::add_activity))
        .route("/alliance/activities/export", get(exports::activities))
        .route("/alliance/committee-seats", post(alliance::appoint))
        .route("/alliance/inspections", post(alliance::add_inspection))
        .route(
            "/imports",
            get(imports::form).post(imports::upload).layer(upload),
        )
        .route("/imports/template.xlsx", get(imports::template))
        .route("/imports/{token}", post(imports::confirm))
        .route("/reports", get(reports::picker))
        .route("/reports/download", get(reports::download))
        .route("/reports/issue", post(reports::issue))
        .route("/reports/issued/{number}", get(reports::issued_file))
        .route("/units", get(units::communes))
        .route("/period", get(crate::web::period_picker::preview))
        .route("/audit", get(audit::log))
        .route("/audit/export", get(exports::audit))
        .route("/admin", get(admin::overview))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/users/{id}", post(admin::update_user))
        .route("/admin/settings", post(admin::save_settings))
        .route("/admin/sectors", post(admin::add_sector))
        .route("/admin/reporting-groups", post(admin::save_reporting_group))
        .route(
            "/admin/reporting-groups/remove",
            post(admin::remove_reporting_group),
        )
        .layer(from_fn_with_state(state.clone(), session::csrf_guard));
    let app = Router::new()
        .merge(pages)
        .nest("/api/v1", api::router(upload))
        .route("/assets/{file}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        // Routes that accept uploads set their own, larger limit.
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    with_safety_layers(app).with_state(state)
}

/// What every response goes through: compression, security headers, a panic caught and
/// answered 500 (the server goes on), and the request trace.
pub fn with_safety_layers<S: Clone + Send + Sync + 'static>(app: Router<S>) -> Router<S> {
    app
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            // Bar widths are inline styles; nothing else is inline, and nothing is remote.
            HeaderValue::from_static(
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
            ),
        ))
        .layer(CatchPanicLayer::custom(error::panicked))
        .layer(TraceLayer::new_for_http())
}

/// Listens until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    // The province's dashboard is computed once before the first visitor asks for it.
    let warm = state.clone();
    tokio::spawn(async move {
        let staff = crate::domain::access::Access {
            role: crate::domain::access::Role::Staff,
            area: None,
        };
        if let Err(e) = pages::dashboard::data(&warm, &staff, crate::domain::today(), None).await {
            tracing::warn!(error = ?e, "dashboard warm-up failed");
        }
    });
    let address = format!("{}:{}", state.config.bind, state.config.port);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    tracing::info!(%address, "listening");
    eprintln!("htx đang phục vụ tại http://{address}/ (Ctrl-C để dừng)");
    // The peer's address feeds the login throttle (session::ClientAddress).
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    eprintln!("Đang dừng: hoàn tất các yêu cầu đang xử lý…");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_and_the_server_goes_on() {
        let app = with_safety_layers(
            Router::new()
                .route("/boom", get(boom))
                .route("/healthz", get(|| async { "ok" })),
        );
        let boom = app
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(boom.into_body(), 1 << 20)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Lỗi hệ thống"), "{body}");
        assert!(!body.contains("a bug"), "no details for the user");
        let ok = app
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
    }
}
