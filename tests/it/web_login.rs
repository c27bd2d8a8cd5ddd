//! Logging in under attack, through the router: the bounded failed-login table, length limits
//! checked before any hashing, the bound on password checks running at once, cross-site
//! logins, and API tokens that expire or end with a password change.

use crate::support::TestDb;
use crate::web_harness::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use htx::web::config::ServeConfig;
use htx::web::{AppState, router};
use std::net::SocketAddr;

/// A login posted from a client address (as `htx serve` records it for each connection).
pub async fn login_from(web: &Web, from: [u8; 4], username: &str, password: &str) -> Reply {
    web.send(login_request(
        from,
        &[("username", username), ("password", password)],
    ))
    .await
}

fn login_request(from: [u8; 4], form: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((from, 40_000))));
    req
}

/// A web application with these settings, and its state to look into.
async fn web_with(config: ServeConfig) -> (Web, AppState) {
    let db = TestDb::new().await;
    htx::demo::accounts::create(&db.store, "test")
        .await
        .unwrap();
    let state = AppState::new(db.store.clone(), config);
    let web = Web {
        app: router(state.clone()),
        db,
    };
    (web, state)
}

fn bearer(token: &str) -> Request<Body> {
    Request::get("/api/v1/orgs?limit=1")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

fn token_in_page(body: &str) -> String {
    let at = body.find("htx_").expect("the new token is shown once");
    body[at..at + 4 + 64].to_string()
}

#[tokio::test]
async fn the_failed_login_table_stays_bounded_after_many_distinct_and_huge_usernames() {
    let (web, state) = web_with(ServeConfig {
        login_throttle_entries: 10,
        ..ServeConfig::default()
    })
    .await;
    for n in 0..30u8 {
        let name = format!("{n:02}{}", "x".repeat(62)); // 64 characters, all different
        let r = login_from(&web, [10, 0, 0, n], &name, "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let held = state.throttle.lock().unwrap().entries();
    assert!(
        held <= 2 * 10,
        "pairs and addresses capped at 10 each: {held}"
    );
    // Names over the limit and bodies over the login's limit are refused and leave nothing.
    let long = login_from(&web, [10, 0, 1, 1], &"y".repeat(5_000), "wrong password").await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        long.body.contains("tên đăng nhập dài quá 64 ký tự"),
        "{}",
        long.body
    );
    let huge = login_from(&web, [10, 0, 1, 2], &"z".repeat(5 << 20), "wrong password").await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(state.throttle.lock().unwrap().entries(), held);
}

#[tokio::test]
async fn an_address_guessing_across_many_usernames_is_throttled() {
    let (web, _state) = web_with(ServeConfig {
        max_failed_logins_per_address: 6,
        ..ServeConfig::default()
    })
    .await;
    let guesser = [203, 0, 113, 50];
    for n in 0..6 {
        let r = login_from(&web, guesser, &format!("user{n}"), "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_from(&web, guesser, "canbo", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Đăng nhập sai quá nhiều lần"));
    let r = login_from(&web, [198, 51, 100, 1], "canbo", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "other addresses are not affected"
    );
}

#[tokio::test]
async fn over_long_login_fields_are_refused_before_any_hashing() {
    let (web, state) = web_with(ServeConfig {
        password_checks: 1,
        password_wait_ms: 50,
        ..ServeConfig::default()
    })
    .await;
    let admin = web.login("quantri").await;
    // With the only password slot taken, anything that tried to hash would answer 503.
    let _slot = state.store.password_gate().enter().await.unwrap();
    let from = [192, 0, 2, 1];
    let long_password = "p".repeat(1025);
    let long_next = format!("/{}", "n".repeat(2048));
    for (form, message) in [
        (
            vec![("username", "a".repeat(65)), ("password", "x".into())],
            "tên đăng nhập dài quá 64 ký tự",
        ),
        (
            vec![
                ("username", "canbo".into()),
                ("password", long_password.clone()),
            ],
            "mật khẩu dài quá 1024 ký tự",
        ),
        (
            vec![
                ("username", "canbo".into()),
                ("password", "x".into()),
                ("next", long_next),
            ],
            "địa chỉ trở về dài quá 2048 ký tự",
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = web.send(login_request(from, &form)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
    }
    let r = web
        .submit(
            "/admin/users",
            &admin,
            &[
                ("username", "moi"),
                ("display_name", "Người mới"),
                ("password", &long_password),
                ("role", "staff"),
            ],
        )
        .await;
    assert!(r.body.contains("mật khẩu dài quá 1024 ký tự"), "{}", r.body);
    let r = web
        .submit("/account/tokens", &admin, &[("name", &"t".repeat(201))])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("tên mã truy cập dài quá 200 ký tự"));
    // A login of ordinary length does reach the (full) gate.
    let r = login_from(&web, from, "canbo", "wrong password").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn password_checks_beyond_the_bound_are_answered_503_after_a_short_wait() {
    let (web, state) = web_with(ServeConfig {
        password_checks: 2,
        password_wait_ms: 100,
        ..ServeConfig::default()
    })
    .await;
    let staff = web.login("canbo").await;
    let admin = web.login("quantri").await;
    let gate = state.store.password_gate();
    assert_eq!(gate.available(), 2);
    let first = gate.enter().await.unwrap();
    let second = gate.enter().await.unwrap();
    let from = [192, 0, 2, 7];
    for username in ["canbo", "nobody-by-this-name"] {
        let r = login_from(&web, from, username, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{username}");
        assert!(r.body.contains("Máy chủ đang bận"), "{username}");
    }
    let r = web
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=quy&password=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let change = web
        .submit(
            "/account/password",
            &staff,
            &[
                ("old_password", PASSWORD),
                ("new_password", "một mật khẩu mới dài"),
            ],
        )
        .await;
    assert_eq!(
        change.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "password change"
    );
    let add = web
        .submit(
            "/admin/users",
            &admin,
            &[
                ("username", "moi"),
                ("display_name", "Người mới"),
                ("password", "mật khẩu đủ dài"),
                ("role", "staff"),
            ],
        )
        .await;
    assert_eq!(
        add.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "creating a user"
    );
    // Busy answers are not failures: the account is not throttled by them.
    drop((first, second));
    let r = login_from(&web, from, "canbo", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(gate.available(), 2, "slots come back when the checks end");
}

#[tokio::test]
async fn concurrent_logins_never_hash_more_than_the_bound_at_once() {
    let (web, state) = web_with(ServeConfig {
        password_checks: 2,
        password_wait_ms: 30_000,
        ..ServeConfig::default()
    })
    .await;
    let gate = state.store.password_gate().clone();
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (gate, watching) = (gate.clone(), watching.clone());
        tokio::spawn(async move {
            let mut fewest = usize::MAX;
            while watching.load(std::sync::atomic::Ordering::SeqCst) {
                fewest = fewest.min(gate.available());
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            fewest
        })
    };
    let logins: Vec<_> = (0..8u8)
        .map(|n| {
            let app = web.app.clone();
            tokio::spawn(async move {
                use tower::ServiceExt;
                let req =
                    login_request([10, 1, 0, n], &[("username", "canbo"), ("password", "sai")]);
                app.oneshot(req).await.unwrap().status()
            })
        })
        .collect();
    for login in logins {
        assert_eq!(
            login.await.unwrap(),
            StatusCode::UNAUTHORIZED,
            "each waited its turn"
        );
    }
    watching.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        watcher.await.unwrap(),
        0,
        "both slots were in use at the busiest"
    );
    assert_eq!(gate.available(), 2);
}

#[tokio::test]
async fn a_cross_site_login_post_is_refused() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let post = |headers: &[(&str, &str)]| {
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "htx.example.vn");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = serde_urlencoded::to_string([("username", "canbo"), ("password", PASSWORD)]);
        req.body(Body::from(body.unwrap())).unwrap()
    };
    for headers in [
        &[("origin", "https://evil.example")][..],
        &[("origin", "null")][..],
        &[("sec-fetch-site", "cross-site")][..],
    ] {
        let r = web.send(post(headers)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(r.set_cookie.is_empty(), "no session for {headers:?}");
    }
    let r = web
        .send(post(&[
            ("origin", "https://htx.example.vn"),
            ("sec-fetch-site", "same-origin"),
        ]))
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "our own login page still works"
    );
}

#[tokio::test]
async fn api_tokens_stop_working_when_the_password_changes() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let page = web
        .submit("/account/tokens", &s, &[("name", "tích hợp")])
        .await;
    let token = token_in_page(&page.body);
    assert_eq!(web.send(bearer(&token)).await.status, StatusCode::OK);
    let new_password = "mật khẩu mới của cán bộ";
    let r = web
        .submit(
            "/account/password",
            &s,
            &[("old_password", PASSWORD), ("new_password", new_password)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        web.send(bearer(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Also when an administrator (here through the store, as `htx user password` does) sets it.
    let staff = web
        .db
        .store
        .user_by_username("canbo")
        .await
        .unwrap()
        .unwrap();
    let second = web
        .db
        .store
        .create_api_token(staff.id, "b", "test")
        .await
        .unwrap();
    assert_eq!(web.send(bearer(&second)).await.status, StatusCode::OK);
    web.db
        .store
        .set_password(staff.id, "một mật khẩu khác nữa", "test")
        .await
        .unwrap();
    assert_eq!(
        web.send(bearer(&second)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_cli_password_change_revokes_tokens_and_tokens_can_be_given_days() {
    let db = TestDb::new().await;
    let htx = |args: &[&str], password: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
            .args(args)
            .env("HTX_DATABASE_URL", &db.url)
            .env("HTX_PASSWORD", password)
            .env("HTX_LOG", "error")
            .output()
            .expect("htx runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    htx(
        &["user", "add", "--username", "tich-hop", "--role", "staff"],
        "mật khẩu đầu tiên",
    );
    let token = htx(
        &[
            "user",
            "token",
            "tich-hop",
            "--name",
            "máy chủ",
            "--days",
            "30",
        ],
        "",
    );
    let user = db
        .store
        .user_by_username("tich-hop")
        .await
        .unwrap()
        .unwrap();
    assert!(db.store.token_user(&token).await.unwrap().is_some());
    let listed = &db.store.api_tokens(user.id).await.unwrap()[0];
    let expires = listed.expires_at.clone().expect("a token of 30 days");
    let in_30_days = |t: time::OffsetDateTime| (t + time::Duration::days(30)).date().to_string();
    let issued_after = in_30_days(time::OffsetDateTime::now_utc() - time::Duration::minutes(5));
    let now = in_30_days(time::OffsetDateTime::now_utc());
    assert!(
        [issued_after, now].contains(&expires[..10].to_string()),
        "{expires}"
    );
    htx(&["user", "password", "tich-hop"], "mật khẩu thứ hai");
    assert!(db.store.token_user(&token).await.unwrap().is_none());
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let bad = web
        .submit(
            "/account/tokens",
            &s,
            &[("name", "ngắn hạn"), ("days", "0")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("số ngày hiệu lực phải từ 1 đến 3650"));
    let page = web
        .submit(
            "/account/tokens",
            &s,
            &[("name", "ngắn hạn"), ("days", "1")],
        )
        .await;
    let token = token_in_page(&page.body);
    assert_eq!(web.send(bearer(&token)).await.status, StatusCode::OK);
    // A day later: the expiry is moved into the past in the database itself.
    let pool = sqlx::AnyPool::connect(&web.db.url).await.unwrap();
    sqlx::query("UPDATE api_token SET expires_at = $1")
        .bind("2020-01-01T00:00:00.000000Z")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(
        web.send(bearer(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let account = web.get("/account", Some(&s)).await;
    assert!(account.body.contains("2020-01-01"), "the expiry is shown");
}
