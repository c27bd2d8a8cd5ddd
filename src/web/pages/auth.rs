//! Logging in and out, and the user's own account: password, language, API tokens.

use crate::error::Error;
use crate::store::accounts::{MAX_NAME_LEN, MAX_TOKEN_DAYS, check_login};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::i18n::Lang;
use crate::web::session::{COOKIE, ClientAddress, Viewer, cookie, session_cookie};
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use askama::Template;
use axum::Form as PostForm;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

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

/// The longest path followed after login, in characters.
const MAX_NEXT_LEN: usize = 2048;

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

/// POST /login: refuses over-long input, then a throttled address or (address, username)
/// pair, then checks the password when the password gate has room; on success starts a new
/// session (a new id every time) and ends the one the browser had.
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    headers: HeaderMap,
    PostForm(form): PostForm<LoginForm>,
) -> Result<Response, WebError> {
    let lang = Lang::Vi;
    if let Err(reason) = check_login_form(&form) {
        // Nothing this long is echoed back.
        return refused(StatusCode::UNPROCESSABLE_ENTITY, reason, "", None);
    }
    let username = form.username.trim().to_lowercase();
    let next = form.next.as_deref();
    let locked = crate::sync::lock(&state.throttle).is_locked(client, &username);
    if locked {
        let reason = lang.t("login.locked").to_string();
        return refused(StatusCode::TOO_MANY_REQUESTS, reason, &form.username, next);
    }
    let user = match state.store.authenticate(&username, &form.password).await {
        Ok(user) => user,
        Err(Error::Busy(_)) => {
            let reason = lang.t("login.busy").to_string();
            let mut res = refused(
                StatusCode::SERVICE_UNAVAILABLE,
                reason,
                &form.username,
                next,
            )?;
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    let Some(user) = user else {
        crate::sync::lock(&state.throttle).failed(client, &username);
        let reason = lang.t("login.failed").to_string();
        return refused(StatusCode::UNAUTHORIZED, reason, &form.username, next);
    };
    crate::sync::lock(&state.throttle).succeeded(client, &username);
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
        Redirect::to(&safe_next(next)),
    )
        .into_response())
}

/// The reason a login form is too long to be looked at, if it is.
fn check_login_form(form: &LoginForm) -> Result<(), String> {
    check_login(&form.username, &form.password).map_err(|e| match e {
        e @ Error::Invalid(_) => reasons(&e),
        other => other.to_string(),
    })?;
    if form
        .next
        .as_deref()
        .is_some_and(|n| n.chars().nth(MAX_NEXT_LEN).is_some())
    {
        return Err(format!("địa chỉ trở về dài quá {MAX_NEXT_LEN} ký tự"));
    }
    Ok(())
}

/// The login page again, with the reason the login was refused.
fn refused(
    status: StatusCode,
    reason: String,
    username: &str,
    next: Option<&str>,
) -> Result<Response, WebError> {
    let page = LoginPage {
        layout: login_layout(Lang::Vi),
        next: safe_next(next),
        username: username.to_string(),
        error: Some(reason),
        notice: None,
    };
    Ok((status, Html(page.render()?)).into_response())
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

/// The forms of the account page that may come back with an error.
struct AccountForms {
    password: Form,
    token: Form,
}

impl AccountForms {
    fn fresh(viewer: &Viewer) -> AccountForms {
        AccountForms {
            password: password_form(viewer),
            token: token_form(viewer, "", ""),
        }
    }
}

fn account_page(viewer: &Viewer, tokens: Tokens, extra: Vec<Block>, forms: AccountForms) -> Page {
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
        Block::Form(forms.password),
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
    blocks.push(Block::Form(forms.token));
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

fn token_form(viewer: &Viewer, name: &str, days: &str) -> Form {
    let t = |k| viewer.t(k);
    Form::post("token", "/account/tokens", t("action.create_token"))
        .field(
            Field::new("name", t("account.token_name"), FieldKind::Text)
                .value(name)
                .required()
                .hint(format!("≤ {MAX_NAME_LEN} ký tự / characters")),
        )
        .field(
            Field::new("days", t("account.token_days"), FieldKind::Number)
                .value(days)
                .hint(format!("1–{MAX_TOKEN_DAYS}")),
        )
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
        &[
            viewer.t("account.token_name"),
            viewer.t("audit.when"),
            viewer.t("account.token_expires"),
            "—",
        ],
    );
    let mut active = Vec::new();
    let now = crate::domain::now_iso();
    for token in state.store.api_tokens(viewer.user.id).await? {
        let expired = token
            .expires_at
            .as_deref()
            .is_some_and(|e| e <= now.as_str());
        let day = |iso: &str| iso.get(..10).unwrap_or("").to_string();
        if token.revoked_at.is_none() && !expired {
            active.push((token.id.to_string(), token.name.clone()));
        }
        table.rows.push(vec![
            Cell::text(token.name),
            Cell::text(day(&token.created_at)),
            Cell::text(token.expires_at.as_deref().map_or("—".into(), day)),
            Cell::text(if token.revoked_at.is_some() || expired {
                "✗"
            } else {
                "✓"
            }),
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
    account_page(&viewer, tokens, Vec::new(), AccountForms::fresh(&viewer)).render_html()
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub old_password: String,
    pub new_password: String,
}

/// POST /account/password: the current password is asked again; all sessions end and the
/// API tokens are revoked.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<PasswordForm>,
) -> Result<Response, WebError> {
    let checked = state
        .store
        .authenticate(&viewer.user.username, &form.old_password)
        .await;
    let outcome = match checked {
        Ok(Some(_)) => match state
            .store
            .set_password(viewer.user.id, &form.new_password, &viewer.author())
            .await
        {
            Ok(()) => Ok(()),
            Err(e @ Error::Invalid(_)) => Err(("new_password", reasons(&e))),
            Err(e) => return Err(e.into()),
        },
        Ok(None) => Err(("old_password", viewer.t("login.failed").to_string())),
        Err(e @ Error::Invalid(_)) => Err(("old_password", reasons(&e))),
        Err(e) => return Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/login?done=1").into_response()),
        Err((field, message)) => {
            let tokens = token_table(&state, &viewer).await?;
            let forms = AccountForms {
                password: password_form(&viewer).with_error(field, message),
                ..AccountForms::fresh(&viewer)
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&viewer, tokens, Vec::new(), forms).render_html()?,
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
    /// Days of validity; empty for a token that lasts until revoked.
    #[serde(default)]
    pub days: String,
}

/// POST /account/tokens: shows the new token once.
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(form): PostForm<TokenForm>,
) -> Result<Response, WebError> {
    let days = match form.days.trim() {
        "" => Ok(None),
        d => d.parse::<u32>().map(Some).map_err(|_| {
            Error::invalid(
                "days",
                format!("số ngày hiệu lực \"{d}\" không phải số nguyên dương"),
            )
        }),
    };
    let created = match days {
        Ok(days) => {
            state
                .store
                .create_api_token_for(viewer.user.id, &form.name, days, &viewer.author())
                .await
        }
        Err(e) => Err(e),
    };
    let tokens = token_table(&state, &viewer).await?;
    match created {
        Ok(token) => account_page(
            &viewer,
            tokens,
            vec![
                Block::Notice("ok", viewer.t("account.token_created").into()),
                Block::Facts(vec![("Bearer".into(), token)]),
            ],
            AccountForms::fresh(&viewer),
        )
        .render_html()
        .map(IntoResponse::into_response),
        Err(Error::Invalid(problems)) => {
            let forms = AccountForms {
                token: token_form(&viewer, &form.name, &form.days).with_problems(&problems),
                ..AccountForms::fresh(&viewer)
            };
            let page = account_page(&viewer, tokens, Vec::new(), forms);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page.render_html()?).into_response())
        }
        Err(e) => Err(e.into()),
    }
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

/// The reasons of invalid input without their field names, for a form that shows them at
/// one field.
fn reasons(e: &Error) -> String {
    e.problems()
        .iter()
        .map(|p| p.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
