//! `htx serve` as a real process under a flood of logins: its memory stays bounded, the health
//! check keeps answering, and huge login bodies leave nothing behind. Traffic goes only to
//! 127.0.0.1. The server always runs on its own SQLite file (the login path is the same on
//! both databases and this measures the process, not the database), also when
//! `HTX_TEST_POSTGRES` is set.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Connections posting wrong logins at once, and for how long.
const FLOODERS: usize = 64;
const FLOOD_FOR: Duration = Duration::from_secs(10);
/// Requests per connection at most, whatever the speed of the machine.
const MAX_PER_FLOODER: usize = 2_000;
const MAX_RSS_KB: u64 = 300 * 1024;

/// The server process; stopped when dropped, also when an assertion fails.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Memory of the process from /proc: (peak resident, resident), in KiB.
    fn memory_kb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("{name} in /proc status"))
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

fn htx(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_htx"));
    c.args(args)
        .args(["--db", db])
        .env("HTX_LOG", "error")
        .env("HTX_PASSWORD", "mật khẩu thật dài của cán bộ");
    c
}

async fn start_server(dir: &std::path::Path) -> Server {
    let db = format!("sqlite://{}?mode=rwc", dir.join("flood.db").display());
    let added = htx(
        &db,
        &["user", "add", "--username", "canbo", "--role", "staff"],
    )
    .output()
    .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = dir.join("htx.toml"); // absent: built-in defaults, whatever the folder holds
    let child = htx(
        &db,
        &[
            "serve",
            "--port",
            &port.to_string(),
            "--config",
            config.to_str().unwrap(),
        ],
    )
    // Every flood request must reach the password check: an attacker with many addresses is
    // not slowed by the throttle, so it is opened wide here to measure the gate alone.
    .env("HTX_MAX_FAILED_LOGINS", "1000000000")
    .env("HTX_MAX_FAILED_LOGINS_PER_ADDRESS", "1000000000")
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while exchange(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await
    .is_err()
    {
        assert!(Instant::now() < deadline, "the server starts");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server
}

/// Sends one request on a new connection and reads the whole answer: its status code.
async fn exchange(port: u16, request: &[u8]) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    // A server that refuses a large body may stop reading and close: the answer still counts.
    let written = stream.write_all(request).await;
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer).await;
    let status = answer
        .get(9..12)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse().ok());
    match status {
        Some(code) => Ok(code),
        None => Err(written.and(read).err().unwrap_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "no HTTP answer")
        })),
    }
}

fn login(username: &str) -> Vec<u8> {
    let body = format!("username={username}&password=wrong+password");
    format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_flood_keeps_the_server_small_and_its_health_check_fast() {
    let _alone = crate::one_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(dir.path()).await;
    let port = server.port;
    let (_, before) = server.memory_kb();

    let until = Instant::now() + FLOOD_FOR;
    let flooders: Vec<_> = (0..FLOODERS)
        .map(|n| {
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                while Instant::now() < until && statuses.len() < MAX_PER_FLOODER {
                    let request = login(if n % 2 == 0 { "canbo" } else { "nobody" });
                    statuses.push(exchange(port, &request).await.unwrap_or(0));
                }
                statuses
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    let mut probes = 0;
    tokio::time::sleep(Duration::from_secs(1)).await; // the flood is under way
    while Instant::now() + Duration::from_millis(500) < until {
        let asked = Instant::now();
        let status = exchange(
            port,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        assert_eq!(status, 200);
        slowest = slowest.max(asked.elapsed());
        probes += 1;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut counts = std::collections::BTreeMap::<u16, usize>::new();
    for flooder in flooders {
        for status in flooder.await.unwrap() {
            *counts.entry(status).or_default() += 1;
        }
    }
    let (peak, after_flood) = server.memory_kb();
    eprintln!(
        "login flood: answers {counts:?}; RSS {before} kB before, {after_flood} kB after, \
         peak {peak} kB; slowest of {probes} health checks {slowest:?}"
    );
    assert!(
        counts.get(&401).copied().unwrap_or(0) > 0,
        "passwords were checked: {counts:?}"
    );
    assert!(
        counts.keys().all(|s| [401, 503].contains(s)),
        "only refusals and busy answers: {counts:?}"
    );
    assert!(peak < MAX_RSS_KB, "peak RSS {peak} kB");
    assert!(
        slowest < Duration::from_millis(100),
        "health check took {slowest:?}"
    );

    // 20 logins with 5 MB usernames, at once: refused by the body limit, nothing kept.
    let huge = Arc::new(login(&"x".repeat(5 << 20)));
    let posts: Vec<_> = (0..20)
        .map(|_| {
            let huge = huge.clone();
            tokio::spawn(async move {
                tokio::time::timeout(Duration::from_secs(10), exchange(port, &huge)).await
            })
        })
        .collect();
    for post in posts {
        let answer = post.await.unwrap().expect("answered in time");
        assert!(matches!(answer, Ok(413) | Err(_)), "{answer:?}");
    }
    let (_, after_huge) = server.memory_kb();
    eprintln!("huge usernames: RSS {after_flood} kB before, {after_huge} kB after");
    assert!(
        after_huge < after_flood + 20 * 1024,
        "RSS grew from {after_flood} kB to {after_huge} kB"
    );
    let status = exchange(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "still serving");
    drop(server);
}
