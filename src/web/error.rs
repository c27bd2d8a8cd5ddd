//! Failures of a web request, turned into a page (or JSON for the API) with the right status.
//! Internal errors are logged in full and shown without details.

use crate::error::{Error, Problem};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// What can stop a request.
#[derive(Debug)]
pub enum WebError {
    /// No valid session: go to the login page and come back to `next`.
    Login {
        next: String,
    },
    /// Logged in, but the role or area does not allow it.
    Forbidden,
    NotFound(String),
    /// Someone else changed the record; the message says what to do.
    Conflict(String),
    /// Bad input the user can correct: every problem found, each naming its field (empty
    /// when the whole request is meant).
    Invalid(Vec<Problem>),
    /// The form's anti-forgery token was missing or wrong.
    Csrf,
    /// The server has too much work of one kind in hand (password checks, imports); the
    /// message says so and to try again shortly.
    Busy(String),
    Internal(String),
}

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => WebError::NotFound(what),
            Error::Busy(what) => WebError::Busy(format!(
                "Máy chủ đang bận ({what}); hãy thử lại sau ít giây. / The server is busy; try again in a few seconds."
            )),
            Error::Conflict(msg) => WebError::Conflict(msg),
            Error::Invalid(problems) => WebError::Invalid(problems),
            Error::Rule(_) | Error::Period(_) => WebError::invalid(e.to_string()),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

impl WebError {
    /// Bad input not tied to one field.
    pub fn invalid(reason: impl Into<String>) -> WebError {
        WebError::Invalid(vec![Problem::new("", reason)])
    }

    /// The problems of bad input (empty for other failures).
    pub fn problems(&self) -> &[Problem] {
        match self {
            WebError::Invalid(p) => p,
            _ => &[],
        }
    }

    /// The status code this failure answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Login { .. } => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the user (Vietnamese and English together, since the page
    /// may fail before the user's language is known).
    pub fn message(&self) -> String {
        match self {
            WebError::Login { .. } => "Cần đăng nhập / Please log in".into(),
            WebError::Forbidden => {
                "Bạn không có quyền thực hiện thao tác này. / You are not allowed to do this.".into()
            }
            WebError::NotFound(what) => format!("Không tìm thấy {what}. / Not found."),
            WebError::Conflict(msg) => msg.clone(),
            WebError::Invalid(problems) => Problem::joined(problems),
            WebError::Busy(msg) => msg.clone(),
            WebError::Csrf => "Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy tải lại trang rồi gửi lại. / The form expired; reload the page and try again.".into(),
            WebError::Internal(_) => {
                "Lỗi hệ thống; đã ghi nhật ký để kiểm tra. / Internal error; it has been logged.".into()
            }
        }
    }

    fn log(&self) {
        if let WebError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if let WebError::Login { next } = &self {
            let target = format!("/login?next={}", percent(next));
            return Redirect::to(&target).into_response();
        }
        let status = self.status();
        let reload = matches!(self, WebError::Conflict(_) | WebError::Csrf);
        let page = format!(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{code}</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\
             <body><main class=\"narrow\"><h1>{code}</h1><p class=\"notice error\" role=\"alert\">{msg}</p>\
             <p>{reload}<a href=\"/\">Trang chủ / Home</a></p></main></body></html>",
            code = status.as_u16(),
            msg = escape(&self.message()),
            reload = if reload {
                "<a href=\"javascript:history.back()\">Quay lại / Back</a> · "
            } else {
                ""
            },
        );
        let mut res = (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response();
        retry_later(&self, &mut res);
        res
    }
}

/// The answer when a handler panicked: logged in full, a 500 page for the user (a bug, never
/// a way to bring the server down: the other requests go on).
pub fn panicked(detail: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = detail
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| detail.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into());
    WebError::Internal(format!("panic: {detail}")).into_response()
}

/// The API's form of an error: JSON with a status, and never a redirect.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = match self.0 {
            WebError::Login { .. } => StatusCode::UNAUTHORIZED,
            ref other => other.status(),
        };
        let body = serde_json::json!({
            "error": match self.0 {
                WebError::Login { .. } => "unauthorized",
                WebError::Forbidden => "forbidden",
                WebError::NotFound(_) => "not_found",
                WebError::Conflict(_) => "conflict",
                WebError::Invalid(_) => "invalid",
                WebError::Csrf => "csrf",
                WebError::Busy(_) => "busy",
                WebError::Internal(_) => "internal",
            },
            "message": self.0.message(),
            "problems": self.0.problems(),
        });
        let mut res = (status, axum::Json(body)).into_response();
        retry_later(&self.0, &mut res);
        res
    }
}

/// Tells clients of a busy server when to try again.
fn retry_later(e: &WebError, res: &mut Response) {
    if let WebError::Busy(_) = e {
        res.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
    }
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL query value.
pub fn percent(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
