//! Logging in and out, and the user's own account: password, language, API tokens.

use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::i18n::Lang;
use crate::web::session::{COOKIE, Viewer, cookie, session_cookie};
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use askama::Template;
use axum::Form as PostForm;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::time::Duration;

#[derive(Template)]
#[template(path = "web/login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
}

/// Query of the login page.
#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub lang: Option<String>,
    pub done: Option<String>,
}

fn login_layout(lang: Lang) -> Layout {
    Layout {
        title: lang.t("login").to_string(),
        lang,
        user: None,
        csrf: String::new(),
        nav: Vec::new(),
    }
}

/// Only paths on this site are followed after login (no open redirects).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".into(),
    }
}

/// GET /login
pub async fn login_page(Query(q): Query<LoginQuery>) -> Result<Html<String>, WebError> {
    let lang = Lang::from_code(q.lang.as_deref().unwrap_or("vi"));
    let page = LoginPage {
        layout: login_layout(lang),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
        notice: q
            .done
            .is_some()
            .then(|| lang.t("account.password_changed").to_string()),
    };
    Ok(Html(page.render()?))
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub next: Option<String>,
}

/// POST /login: checks the password, starts a new session (a new id every time) and ends
/// the one the browser had.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    PostForm(form): PostForm<LoginForm>,
) -> Result<Response, WebError> {
    let username = form.username.trim().to_lowercase();
    let lockout = Duration::from_secs(state.config.lockout_minutes * 60);
    let max = state.config.max_failed_logins;
    let locked = state
        .throttle
        .lock()
        .expect("throttle lock")
        .is_locked(&username, max, lockout);
    let user = if locked {
        None
    } else {
        state.store.authenticate(&username, &form.password).await?
    };
    let Some(user) = user else {
        if !locked {
            state
                .throttle
                .lock()
                .expect("throttle lock")
                .failed(&username, lockout);
        }
        let lang = Lang::Vi;
        let page = LoginPage {
            layout: login_layout(lang),
            next: safe_next(form.next.as_deref()),
            username: form.username,
            error: Some(
                lang.t(if locked {
                    "login.locked"
                } else {
                    "login.failed"
                })
                .to_string(),
            ),
            notice: None,
        };
        let status = if locked {
            axum::http::StatusCode::TOO_MANY_REQUESTS
        } else {
            axum::http::StatusCode::UNAUTHORIZED
        };
        return Ok((status, Html(page.render()?)).into_response());
    };
    state
        .throttle
        .lock()
        .expect("throttle lock")
        .succeeded(&username);
    if let Some(old) = cookie(&headers, COOKIE) {
        state.store.end_session(&old).await?;
    }
    let minutes = state.config.session_minutes;
    let id = state
        .store
        .create_session(user.id, time::Duration::minutes(minutes))
        .await?;
    let secure = state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes() == b"https");
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(Some(&id), minutes, secure),
        )],
        Redirect::to(&safe_next(form.next.as_deref())),
    )
        .into_response())
}

/// POST /logout
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(id) = cookie(&headers, COOKIE) {
        state.store.end_session(&id).await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(None, 0, state.config.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

fn account_page(viewer: &Viewer, tokens: Tokens, extra: Vec<Block>, password: Form) -> Page {
    let (tokens, active) = tokens;
    let t = |k| viewer.t(k);
    let mut blocks = vec![Block::Facts(vec![
        (t("field.username").into(), viewer.user.username.clone()),
        (
            t("field.display_name").into(),
            viewer.user.display_name.clone(),
        ),
        (
            t("field.role").into(),
            match viewer.lang {
                Lang::Vi => viewer.user.role.name_vi(),
                Lang::En => viewer.user.role.name_en(),
            }
            .into(),
        ),
        (
            t("field.area").into(),
            if viewer.user.area.is_empty() {
                "—".into()
            } else {
                crate::web::forms::unit_name(&viewer.user.area)
            },
        ),
    ])];
    blocks.extend(extra);
    blocks.extend([
        Block::Heading(t("account.password").into()),
        Block::Form(password),
        Block::Heading(t("account.lang").into()),
        Block::Form(
            Form::post("lang", "/account/lang", t("action.save")).field(
                Field::new("lang", t("account.lang"), FieldKind::Select)
                    .value(viewer.lang.code())
                    .options(vec![
                        ("vi".into(), "Tiếng Việt".into()),
                        ("en".into(), "English".into()),
                    ]),
            ),
        ),
    ]);
    blocks.push(Block::Heading(t("account.tokens").into()));
    blocks.push(Block::Table(tokens));
    blocks.push(Block::Form(
        Form::post("token", "/account/tokens", t("action.create_token"))
            .field(Field::new("name", t("account.token_name"), FieldKind::Text).required()),
    ));
    if !active.is_empty() {
        blocks.push(Block::Form(
            Form::post("revoke", "/account/tokens/revoke", t("action.revoke")).field(
                Field::new("token", t("account.token_name"), FieldKind::Select).options(active),
            ),
        ));
    }
    Page {
        layout: Layout::for_viewer(viewer, t("account"), ""),
        blocks,
    }
}

fn password_form(viewer: &Viewer) -> Form {
    let t = |k| viewer.t(k);
    Form::post("password", "/account/password", t("action.save"))
        .field(
            Field::new(
                "old_password",
                t("account.old_password"),
                FieldKind::Password,
            )
            .required(),
        )
        .field(
            Field::new(
                "new_password",
                t("account.new_password"),
                FieldKind::Password,
            )
            .required()
            .hint(format!(
                "≥ {} ký tự / characters",
                crate::store::accounts::MIN_PASSWORD_LEN
            )),
        )
}

/// The user's tokens, and the ones still active as choices for revoking.
type Tokens = (Table, Vec<(String, String)>);

async fn token_table(state: &AppState, viewer: &Viewer) -> Result<Tokens, WebError> {
    let mut table = Table::new(
        "",
        &[viewer.t("account.token_name"), viewer.t("audit.when"), "—"],
    );
    let mut active = Vec::new();
    for (id, name, created, revoked) in state.store.api_tokens(viewer.user.id).await? {
        if revoked.is_none() {
            active.push((id.to_string(), name.clone()));
        }
        table.rows.push(vec![
            Cell::text(name),
            Cell::text(created.get(..10).unwrap_or("").to_string()),
            Cell::text(if revoked.is_some() { "✗" } else { "✓" }),
        ]);
    }
    Ok((table, active))
}

/// GET /account
pub async fn account(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, WebError> {
    let tokens = token_table(&state, &viewer).await?;
    account_page(&viewer, tokens, Vec::new(), password_form(&viewer)).render_html()
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub old_password: String,
    pub new_password: String,
}

/// POST /account/password: the current password is asked again; all sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<PasswordForm>,
) -> Result<Response, WebError> {
    let ok = state
        .store
        .authenticate(&viewer.user.username, &form.old_password)
        .await?
        .is_some();
    let outcome = if ok {
        state
            .store
            .set_password(viewer.user.id, &form.new_password, &viewer.author())
            .await
            .map_err(|e| ("new_password", e.to_string()))
    } else {
        Err(("old_password", viewer.t("login.failed").to_string()))
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/login?done=1").into_response()),
        Err((field, message)) => {
            let tokens = token_table(&state, &viewer).await?;
            let form = password_form(&viewer).with_error(field, message);
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&viewer, tokens, Vec::new(), form).render_html()?,
            )
                .into_response())
        }
    }
}

/// The language form.
#[derive(Debug, Deserialize)]
pub struct LangForm {
    pub lang: String,
}

/// POST /account/lang
pub async fn change_lang(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<LangForm>,
) -> Result<Response, WebError> {
    let mut user = viewer.user.clone();
    user.lang = Lang::from_code(&form.lang).code().to_string();
    state
        .store
        .update_user(&user, viewer.user.version, &viewer.author())
        .await?;
    super::see_other("/account")
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    pub name: String,
}

/// POST /account/tokens: shows the new token once.
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<TokenForm>,
) -> Result<Html<String>, WebError> {
    let token = state
        .store
        .create_api_token(viewer.user.id, &form.name, &viewer.author())
        .await?;
    let tokens = token_table(&state, &viewer).await?;
    account_page(
        &viewer,
        tokens,
        vec![
            Block::Notice("ok", viewer.t("account.token_created").into()),
            Block::Facts(vec![("Bearer".into(), token)]),
        ],
        password_form(&viewer),
    )
    .render_html()
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    pub token: i64,
}

/// POST /account/tokens/revoke: a token stops working at once.
pub async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<RevokeForm>,
) -> Result<Response, WebError> {
    state
        .store
        .revoke_api_token(viewer.user.id, form.token, &viewer.author())
        .await?;
    super::see_other("/account")
}
