//! The Alliance's own work: the seed's statements from activities and members.

use crate::support::{TestDb, d};
use htx::domain::period::Period;
use htx::domain::plans::Indicator;
use htx::report::figures::{ReportRequest, build};

fn request(period: &str) -> ReportRequest {
    ReportRequest {
        period: Period::parse(period).unwrap(),
        area: None,
        compare_same_period: false,
        current_units: false,
        include_fund: true,
    }
}

fn htx(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(args)
        .env("HTX_DATABASE_URL", url)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_demo_half_year_work_is_the_seeds() {
    let db = TestDb::demo().await;
    let f = build(&db.store, &request("2022-H1")).await.unwrap();
    let w = f.alliance.as_ref().unwrap();
    assert_eq!((w.training.classes, w.training.attendances), (4, Some(385)));
    assert_eq!(w.training.areas.len(), 4);
    assert_eq!(
        (w.media.series, w.media.articles, w.media.website_posts),
        (6, 12, 82)
    );
    assert_eq!(w.new_members, 4);
    assert_eq!(w.fairs[0].organisations, 6);
    assert_eq!(
        (w.programmes[0].nominated, w.programmes[0].selected),
        (18, 10)
    );
    assert_eq!(
        (w.support.organisations, w.support.amount),
        (16, 1_590_000_000)
    );
    assert_eq!(w.events[0].date, "2022-04-23");
    assert_eq!(w.planned.len(), 1);
    let training = f
        .plans
        .iter()
        .find(|a| a.indicator == Indicator::TrainingClasses)
        .unwrap();
    assert_eq!(
        (training.actual, training.target, training.achievement_pct),
        (Some(4), 8, Some(50.0))
    );
    let md = htx::report::markdown::render(&f, None).unwrap();
    for s in [
        "đã tổ chức được 04 lớp tập huấn tại huyện Gia Bình",
        "với 385 lượt người tham dự, đạt 50% kế hoạch năm (08 lớp)",
        "đã thực hiện 06 chuyên đề và 12 bài báo",
        "đưa 82 tin bài",
        "đã kết nạp 04 thành viên",
        "01 đoàn gồm 06 HTX",
        "ngày 23/04/2022",
        "10 HTX được lựa chọn tham gia",
        "dự kiến tổ chức ngày 28/09/2022",
    ] {
        assert!(md.contains(s), "missing {s}\n{md}");
    }
}

#[tokio::test]
async fn membership_history_is_kept_and_contradictions_are_refused() {
    let db = TestDb::demo().await;
    db.store.close().await;
    let name = "Hiệp hội Làng nghề Thử nghiệm";
    let run = |args: &[&str]| {
        let mut all = vec!["member"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--name", name]);
        htx(&db.url, &all)
    };
    let leave = run(&["leave", "--date", "01/01/2015"]);
    assert!(!leave.status.success(), "not a member yet");
    assert!(String::from_utf8_lossy(&leave.stderr).contains("không phải thành viên"));
    assert!(
        run(&["join", "--date", "01/01/2016", "--associate"])
            .status
            .success()
    );
    let again = run(&["join", "--date", "01/02/2016"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã là thành viên"));
    assert!(run(&["leave", "--date", "01/01/2019"]).status.success());
    assert!(
        run(&["join", "--date", "01/01/2021"]).status.success(),
        "rejoining is allowed"
    );
    let store = htx::store::Store::open(&db.url).await.unwrap();
    let member = store
        .member_id(None, name)
        .await
        .unwrap()
        .expect("the member was created");
    assert_eq!(
        store.membership_events(member).await.unwrap().len(),
        3,
        "history is kept"
    );
}

#[tokio::test]
async fn an_activity_recorded_through_the_cli_counts_in_the_report() {
    let db = TestDb::demo().await;
    db.store.close().await;
    let future = htx(
        &db.url,
        &[
            "activity",
            "add",
            "--kind",
            "training",
            "--title",
            "Tập huấn",
            "--date",
            "01/01/2099",
        ],
    );
    assert!(
        !future.status.success(),
        "a held activity cannot be in the future"
    );
    let add = htx(
        &db.url,
        &[
            "activity",
            "add",
            "--kind",
            "lop tap huan",
            "--title",
            "Tập huấn kế toán HTX",
            "--date",
            "15/03/2023",
            "--area",
            "263",
            "--attendees",
            "60",
        ],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let store = htx::store::Store::open(&db.url).await.unwrap();
    let f = build(&store, &request("2023-H1")).await.unwrap();
    let w = f.alliance.unwrap();
    assert_eq!((w.training.classes, w.training.attendances), (1, Some(60)));
    assert_eq!(w.training.areas, ["huyện Gia Bình"]);
    let _ = d("2023-03-15");
}

#[tokio::test]
async fn committees_and_the_supervisory_committee_reach_the_report() {
    let db = TestDb::demo().await;
    let f = build(&db.store, &request("2022-H1")).await.unwrap();
    let w = f.alliance.as_ref().unwrap();
    assert_eq!(
        w.governance.committees[0],
        ("Ban Chấp hành".to_string(), 2, 15)
    );
    assert_eq!(
        (
            w.supervision.inspections_done,
            w.supervision.supervisions_done
        ),
        (2, 2)
    );
    assert_eq!(
        (
            w.supervision.complaints_received,
            w.supervision.complaints_handled
        ),
        (1, 1)
    );
    let md = htx::report::markdown::render(&f, None).unwrap();
    assert!(
        md.contains("Kiện toàn Ban Chấp hành: bổ sung 02 thành viên"),
        "{md}"
    );
    assert!(md.contains("# IV. CÔNG TÁC KIỂM TRA, GIÁM SÁT"), "{md}");
    db.store.close().await;
    let bad = htx(
        &db.url,
        &[
            "committee",
            "appoint",
            "--committee",
            "kitchen",
            "--person",
            "A",
            "--date",
            "01/01/2023",
        ],
    );
    assert!(!bad.status.success());
    let end = htx(
        &db.url,
        &["committee", "end", "999999", "--date", "01/01/2023"],
    );
    assert!(!end.status.success());
    let complaint = htx(
        &db.url,
        &[
            "complaint",
            "add",
            "--received",
            "10/05/2023",
            "--complainant",
            "A",
            "--subject",
            "B",
            "--handled",
            "01/05/2023",
        ],
    );
    assert!(
        !complaint.status.success(),
        "handled before received is refused"
    );
}

#[tokio::test]
async fn programme_stages_and_support_are_checked_and_counted() {
    let db = TestDb::demo().await;
    db.store.close().await;
    let add = htx(
        &db.url,
        &[
            "programme",
            "add",
            "--code",
            "NQ147",
            "--name",
            "Chính sách hỗ trợ nông nghiệp",
            "--decision",
            "Nghị quyết số 147/NQ-HĐND",
        ],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let stage = htx(
        &db.url,
        &[
            "programme",
            "stage",
            "--programme",
            "NQ147",
            "--org",
            "2725600001",
            "--stage",
            "selected",
            "--date",
            "10/02/2023",
        ],
    );
    assert!(
        stage.status.success(),
        "{}",
        String::from_utf8_lossy(&stage.stderr)
    );
    let bad_stage = htx(
        &db.url,
        &[
            "programme",
            "stage",
            "--programme",
            "NQ147",
            "--org",
            "2725600001",
            "--stage",
            "crowned",
            "--date",
            "10/02/2023",
        ],
    );
    assert!(!bad_stage.status.success());
    let unknown = htx(
        &db.url,
        &[
            "support",
            "add",
            "--org",
            "2725600001",
            "--programme",
            "NOPE",
            "--category",
            "training",
            "--amount",
            "1000",
            "--date",
            "10/02/2023",
        ],
    );
    assert!(!unknown.status.success());
    let support = htx(
        &db.url,
        &[
            "support",
            "add",
            "--org",
            "2725600001",
            "--programme",
            "NQ147",
            "--category",
            "training",
            "--amount",
            "20000000",
            "--date",
            "10/02/2023",
        ],
    );
    assert!(
        support.status.success(),
        "{}",
        String::from_utf8_lossy(&support.stderr)
    );
    let store = htx::store::Store::open(&db.url).await.unwrap();
    let f = build(&store, &request("2023-H1")).await.unwrap();
    let w = f.alliance.unwrap();
    assert_eq!(w.programmes[0].selected, 1);
    assert_eq!((w.support.count, w.support.amount), (1, 20_000_000));
}

#[tokio::test]
async fn activities_and_memberships_import_all_or_nothing_and_only_once() {
    let db = TestDb::demo().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("hoat-dong.csv");
    std::fs::write(
        &good,
        "Loại hoạt động,Nội dung,Ngày,Địa bàn (mã),Số người tham dự,Số lượng
lớp tập huấn,Tập huấn quản trị HTX,12/03/2023,263,70,
bài báo,Bài viết về HTX kiểu mới,20/03/2023,,,3
",
    )
    .unwrap();
    let today = d("2026-01-01");
    let first = htx::import::import_file(&db.store, &good, "an", today, false)
        .await
        .unwrap();
    assert!(first.errors().is_empty(), "{:?}", first.errors());
    assert_eq!(first.written.as_ref().unwrap().activities, 2);
    let again = htx::import::import_file(&db.store, &good, "an", today, false)
        .await
        .unwrap();
    assert!(
        again.written.unwrap().is_empty(),
        "re-import changes nothing"
    );
    let members = dir.path().join("thanh-vien.csv");
    std::fs::write(
        &members,
        "Tên thành viên,Kết nạp / ra khỏi,Ngày quyết định,Loại thành viên
Công ty Cổ phần Nông nghiệp Xanh,kết nạp,01/02/2023,liên kết
Công ty Cổ phần Nông nghiệp Xanh,kết nạp,01/03/2023,liên kết
Hội Làm vườn,ra khỏi,01/03/2023,
",
    )
    .unwrap();
    let bad = htx::import::import_file(&db.store, &members, "an", today, false)
        .await
        .unwrap();
    let lines: Vec<String> = bad.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 3") && l.contains("đã là thành viên")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 4") && l.contains("không phải thành viên")),
        "{lines:#?}"
    );
    let f = build(&db.store, &request("2023-H1")).await.unwrap();
    let w = f.alliance.unwrap();
    assert_eq!(
        (w.training.classes, w.media.articles, w.new_members),
        (1, 3, 0),
        "members file wrote nothing"
    );
}
