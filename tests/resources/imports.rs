//! Imports against the clock and the memory gauge: a workbook that inflates to 1 GB, a
//! megabyte heading line, 200,000 empty rows and a long Alliance sheet are refused or read
//! within their bounds; and a running `htx serve` keeps answering `/healthz` at once while it
//! imports, and refuses the 1 GB workbook in little memory.

use crate::import_files::*;
use crate::support::{TestDb, d};
use htx::import::import_file;
use htx::web::pages::imports::{RUNNING_IMPORTS, WAITING_IMPORTS};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_workbook_that_inflates_to_a_gigabyte_is_refused_within_a_second() {
    let _alone = crate::one_at_a_time().await;
    let db = TestDb::new().await;
    let bomb = shared_strings_bomb();
    assert!(bomb.len() < 8 << 20, "{} bytes", bomb.len());
    let started = Instant::now();
    let message = refusal(&db, "bom.xlsx", &bomb).await;
    let took = started.elapsed();
    eprintln!(
        "a {} KB workbook inflating to 1 GB refused in {took:?}",
        bomb.len() >> 10
    );
    assert!(
        message.contains("quá lớn") && message.contains("100 MB"),
        "{message}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[tokio::test]
async fn a_megabyte_heading_line_is_refused_at_once() {
    let _alone = crate::one_at_a_time().await;
    let db = TestDb::new().await;
    let line = "Tên tổ chức,".repeat((1 << 20) / "Tên tổ chức,".len());
    let started = Instant::now();
    let message = refusal(&db, "dai.csv", format!("{line}\n").as_bytes()).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("dòng 1: quá 16.384 cột"), "{message}");
}

#[tokio::test]
async fn two_hundred_thousand_empty_rows_are_skipped_in_linear_time() {
    let _alone = crate::one_at_a_time().await;
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = format!("{HEADINGS}\n");
    csv.push_str(&",,,,,\n".repeat(200_000));
    csv.push_str("2725600901,HTX,HTX Vũ Ninh,31/02/2022,09163,trade\n");
    let path = write(dir.path(), "trong.csv", csv.as_bytes());
    let started = Instant::now();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), true)
        .await
        .unwrap();
    let took = started.elapsed();
    let errors: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("dòng 200002"), "{errors:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}

/// `htx serve` as a child process on a free port, stopped when dropped.
struct Server {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(db_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(dir.path())
            .env("HTX_DATABASE_URL", db_url)
            .env("HTX_LOG", "error")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.try_get("/healthz").map(|r| r.0) != Some(200) {
            assert!(Instant::now() < deadline, "htx serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn exchange(&self, head: &str, body: &[u8]) -> Option<(u16, String)> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .ok()?;
        stream.write_all(head.as_bytes()).ok()?;
        stream.write_all(body).ok()?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).ok()?;
        let reply = String::from_utf8_lossy(&reply).into_owned();
        let status = reply.split(' ').nth(1)?.parse().ok()?;
        Some((status, reply))
    }

    fn try_get(&self, path: &str) -> Option<(u16, String)> {
        self.exchange(
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            b"",
        )
    }

    fn import(&self, token: &str, filename: &str, body: &[u8]) -> (u16, String) {
        let head = format!(
            "POST /api/v1/imports?filename={filename}&dry_run=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        self.exchange(&head, body).expect("the server answers")
    }

    /// The most memory the server has held, in bytes.
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kb * 1024
    }
}

#[tokio::test]
async fn a_running_server_answers_at_once_while_it_imports_and_refuses_a_bomb_in_little_memory() {
    let _alone = crate::one_at_a_time().await;
    let db = TestDb::new().await;
    let htx = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
            .args(args)
            .env("HTX_DATABASE_URL", &db.url)
            .env("HTX_PASSWORD", "mat-khau-du-dai-2026")
            .env("HTX_LOG", "error")
            .output()
            .unwrap()
    };
    let added = htx(&["user", "add", "--username", "nhap", "--role", "staff"]);
    assert!(added.status.success(), "{added:?}");
    let token = String::from_utf8(htx(&["user", "token", "nhap"]).stdout).unwrap();
    let token = token.trim().to_string();
    let server = std::sync::Arc::new(Server::start(&db.url));

    let bomb = shared_strings_bomb();
    let asked = Instant::now();
    let (status, body) = server.import(&token, "bom.xlsx", &bomb);
    let took = asked.elapsed();
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("quá lớn"), "{body}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    let peak = server.peak_memory();
    assert!(peak < 100 << 20, "the server held {} MB", peak >> 20);

    // Two 1 MB one-line files and, filling the queue, 1 MB files of real rows that take
    // time to check: none waits without bound, none is refused.
    let line = "Tên tổ chức,".repeat((1 << 20) / "Tên tổ chức,".len()) + "\n";
    let mut rows = format!("{HEADINGS}\n");
    for i in 0.. {
        if rows.len() >= 1 << 20 {
            break;
        }
        rows.push_str(&format!("27{i:08},HTX,HTX số {i},15/03/2022,09163,trade\n"));
    }
    let row_files = RUNNING_IMPORTS + WAITING_IMPORTS - 2;
    let bodies = [vec![line.clone(), line], vec![rows; row_files]].concat();
    let uploads: Vec<_> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let (server, token) = (server.clone(), token.clone());
            std::thread::spawn(move || {
                server.import(&token, &format!("tep{i}.csv"), body.as_bytes())
            })
        })
        .collect();
    let (mut slowest, mut probes) = (Duration::ZERO, 0);
    while probes < 20 || !uploads.iter().all(|u| u.is_finished()) {
        let asked = Instant::now();
        assert_eq!(server.try_get("/healthz").map(|r| r.0), Some(200));
        slowest = slowest.max(asked.elapsed());
        probes += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    let answers: Vec<(u16, String)> = uploads.into_iter().map(|u| u.join().unwrap()).collect();
    for (status, body) in &answers[..2] {
        assert_eq!(*status, 422, "{body}");
        assert!(body.contains("quá 16.384 cột"), "{body}");
    }
    for (status, body) in &answers[2..] {
        assert_eq!(*status, 200, "{body}");
    }
    assert!(
        slowest < Duration::from_millis(100),
        "/healthz took {slowest:?} ({probes} probes)"
    );

    eprintln!(
        "healthz slowest {slowest:?} over {probes} probes; row files answered {:?}; bomb refused in {took:?}; server peak {} MB",
        answers[2..].iter().map(|a| a.0).collect::<Vec<_>>(),
        peak >> 20
    );
}

#[tokio::test]
async fn a_long_sheet_of_the_alliance_is_checked_in_linear_time() {
    let _alone = crate::one_at_a_time().await;
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = "Kiểm tra / giám sát,Ngày,Nội dung\n".to_string();
    for i in 0..20_000 {
        csv.push_str(&format!("kiểm tra,01/03/2022,Kiểm tra tài chính số {i}\n"));
    }
    csv.push_str("kiểm tra,01/03/2022,Kiểm tra tài chính số 7\n");
    let path = write(dir.path(), "kiem-tra.csv", csv.as_bytes());
    let started = Instant::now();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), true)
        .await
        .unwrap();
    let took = started.elapsed();
    eprintln!("20,001 inspection rows checked in {took:?}");
    assert_eq!(report.governance.inspections.len(), 20_000);
    assert_eq!(report.unchanged(), 1, "the repeated row is found");
    assert!(took < Duration::from_secs(3), "{took:?}");
}
