//! The demo Alliance's own work in the first half of 2022, as the seed review tells it: advice
//! to the province, the Decision 167 selection of 10 cooperatives, the dialogue of 23/4/2022,
//! four training classes with 385 attendances, 6 topic series and 12 articles, 82 website
//! posts, 4 new members, a delegation of 6 cooperatives to a fair, and a workshop planned for
//! the end of the third quarter. Members admitted in earlier years give the membership a past.

use crate::demo::rng::Rng;
use crate::domain::alliance::{
    Activity, ActivityKind, ActivityStatus, MemberCategory, MemberKind, MembershipChange,
};
use crate::domain::programmes::{ProgrammeStage, SupportCategory};
use crate::domain::registry::OrgKind;
use crate::error::Result;
use crate::store::Store;
use crate::store::registry::OrgFilter;
use time::{Date, macros::date};

fn activity(kind: ActivityKind, title: &str, start: Date) -> Activity {
    Activity {
        id: 0,
        kind,
        title: title.to_string(),
        status: ActivityStatus::Held,
        start,
        end: start,
        area: String::new(),
        quantity: 1,
        attendees: None,
        channel: String::new(),
        partner: String::new(),
        document_no: String::new(),
        issuer: String::new(),
        funding: String::new(),
        note: String::new(),
        organisations: Vec::new(),
    }
}

/// Records the demo's members and activities.
pub async fn build(store: &Store, author: &str) -> Result<()> {
    let mut rng = Rng::new(0x004C_4D48_5458);
    let (htx, _) = store
        .list_orgs(&OrgFilter {
            on: Some(date!(2022 - 06 - 30)),
            kind: Some(OrgKind::Htx),
            counted_only: true,
            limit: 5_000,
            ..OrgFilter::default()
        })
        .await?;
    // Members admitted over the years before 2022, a few of whom left.
    for (i, org) in htx.iter().step_by(4).enumerate() {
        let member = (Some(org.id), org.name.as_str(), MemberKind::Htx);
        let joined = rng.date(date!(2012 - 01 - 01), date!(2021 - 12 - 15));
        let official = MemberCategory::Official;
        let joining = (MembershipChange::Joined, official, joined, "");
        membership(store, member, joining, author).await?;
        if i % 25 == 7 {
            let left = rng.date(joined + time::Duration::days(400), date!(2026 - 06 - 30));
            let leaving = (MembershipChange::Left, official, left, "");
            membership(store, member, leaving, author).await?;
        }
    }
    // The four members admitted in the first half of 2022.
    let newcomers = [
        (
            htx.get(1).map(|o| (o.id, o.name.clone())),
            MemberKind::Htx,
            date!(2022 - 02 - 18),
        ),
        (
            htx.get(5).map(|o| (o.id, o.name.clone())),
            MemberKind::Htx,
            date!(2022 - 04 - 08),
        ),
        (
            htx.get(9).map(|o| (o.id, o.name.clone())),
            MemberKind::Htx,
            date!(2022 - 05 - 27),
        ),
        (None, MemberKind::Enterprise, date!(2022 - 06 - 10)),
    ];
    for (org, kind, when) in newcomers {
        let (org_id, name) = match org {
            Some((id, name)) => (Some(id), name),
            None => (None, "Công ty TNHH Nông sản sạch Kinh Bắc".to_string()),
        };
        let category = if kind == MemberKind::Enterprise {
            MemberCategory::Associate
        } else {
            MemberCategory::Official
        };
        let joining = (
            MembershipChange::Joined,
            category,
            when,
            "QĐ kết nạp thành viên",
        );
        membership(store, (org_id, &name, kind), joining, author).await?;
    }

    let mut list = Vec::new();
    let advisory = |title: &str, when: Date, doc: &str, issuer: &str| {
        let mut a = activity(ActivityKind::Advisory, title, when);
        a.document_no = doc.into();
        a.issuer = issuer.into();
        a
    };
    list.push(advisory(
        "Xây dựng chương trình công tác của Ban Chấp hành Liên minh HTX tỉnh giai đoạn 2022-2025 và kế hoạch hoạt động năm 2022",
        date!(2022 - 01 - 20),
        "",
        "",
    ));
    list.push(advisory(
        "Phối hợp với Sở Kế hoạch và Đầu tư tham mưu UBND tỉnh ban hành Kế hoạch đổi mới, phát triển kinh tế tập thể năm 2022",
        date!(2022 - 02 - 15),
        "Kế hoạch số 45/KH-UBND",
        "UBND tỉnh",
    ));
    list.push(advisory(
        "Cùng các sở, ban, ngành tham mưu HĐND tỉnh sửa đổi Nghị quyết số 147/NQ-HĐND về hỗ trợ phát triển nông nghiệp, nông thôn",
        date!(2022 - 04 - 12),
        "",
        "",
    ));
    list.push(advisory(
        "Phối hợp với Sở Kế hoạch và Đầu tư tham mưu UBND tỉnh xây dựng Kế hoạch thực hiện Quyết định số 1804/QĐ-TTg về hỗ trợ phát triển kinh tế tập thể, HTX",
        date!(2022 - 05 - 20),
        "",
        "",
    ));
    let mut dialogue = activity(
        ActivityKind::Dialogue,
        "Tham mưu cho Tỉnh ủy, UBND tỉnh tổ chức hội nghị đối thoại giữa doanh nghiệp, HTX với lãnh đạo tỉnh và lãnh đạo các sở, ban, ngành",
        date!(2022 - 04 - 23),
    );
    dialogue.attendees = Some(250);
    list.push(dialogue);
    for (area, when, attendees) in [
        ("old-263", date!(2022 - 03 - 16), 96),
        ("old-262", date!(2022 - 04 - 14), 95),
        ("old-260", date!(2022 - 05 - 19), 97),
        ("old-256", date!(2022 - 06 - 16), 97),
    ] {
        let mut t = activity(
            ActivityKind::Training,
            "Tập huấn kiến thức về kinh tế tập thể, HTX",
            when,
        );
        t.area = area.into();
        t.attendees = Some(attendees);
        t.funding = "Ngân sách tỉnh".into();
        list.push(t);
    }
    let mut agreement = activity(
        ActivityKind::Agreement,
        "Ký chương trình phối hợp tuyên truyền về kinh tế tập thể, HTX năm 2022",
        date!(2022 - 01 - 10),
    );
    agreement.partner =
        "Đài Phát thanh và Truyền hình tỉnh, Báo Bắc Ninh và Cổng thông tin điện tử tỉnh".into();
    list.push(agreement);
    for (kind, channel, quantity, month) in [
        (
            ActivityKind::MediaSeries,
            "Đài Phát thanh và Truyền hình tỉnh",
            4,
            2,
        ),
        (
            ActivityKind::MediaSeries,
            "Cổng thông tin điện tử tỉnh",
            2,
            4,
        ),
        (ActivityKind::MediaArticle, "Báo Bắc Ninh", 12, 5),
    ] {
        let mut m = activity(
            kind,
            "Tuyên truyền về kinh tế tập thể, HTX",
            super::day(2022, month, 28),
        );
        m.channel = channel.into();
        m.quantity = quantity;
        list.push(m);
    }
    for (month, posts) in [(1u8, 12), (2, 13), (3, 15), (4, 14), (5, 14), (6, 14)] {
        let mut w = activity(
            ActivityKind::WebsitePost,
            "Tin bài về hoạt động kinh tế tập thể, HTX và các điển hình tiên tiến",
            super::day(2022, month, 25),
        );
        w.quantity = posts;
        list.push(w);
    }
    let mut fair = activity(
        ActivityKind::Fair,
        "Hội chợ xúc tiến thương mại sản phẩm HTX",
        date!(2022 - 05 - 12),
    );
    fair.partner = "Liên minh HTX Việt Nam".into();
    fair.channel = "Hà Nội".into();
    fair.organisations = htx
        .iter()
        .skip(40)
        .step_by(53)
        .take(6)
        .map(|o| o.id)
        .collect();
    list.push(fair);
    let mut workshop = activity(
        ActivityKind::Workshop,
        "Hội thảo khoa học về kinh tế tập thể do Ủy ban kiểm tra phối hợp với Sở Khoa học và Công nghệ tổ chức",
        date!(2022 - 09 - 28),
    );
    workshop.status = ActivityStatus::Planned;
    workshop.partner = "Sở Khoa học và Công nghệ".into();
    list.push(workshop);
    for a in &list {
        store.add_activity(a, author).await?;
    }
    programmes(store, &htx, author).await
}

/// Decision 167: 18 cooperatives nominated by the districts, 10 selected; Decision 1804
/// support given to the selected ones and to the fair's delegation.
async fn programmes(
    store: &Store,
    htx: &[crate::store::registry::OrgListItem],
    author: &str,
) -> Result<()> {
    store
        .set_programme(
            "QD167",
            "Đề án lựa chọn, hoàn thiện, nhân rộng mô hình HTX kiểu mới hiệu quả giai đoạn 2021-2025",
            "Quyết định số 167/QĐ-TTg ngày 03/02/2021 và Kế hoạch số 592/KH-UBND ngày 14/9/2021",
            author,
        )
        .await?;
    store
        .set_programme(
            "QD1804",
            "Chương trình hỗ trợ phát triển kinh tế tập thể, HTX giai đoạn 2021-2025",
            "Quyết định số 1804/QĐ-TTg ngày 13/11/2020",
            author,
        )
        .await?;
    let nominated: Vec<i64> = htx
        .iter()
        .skip(20)
        .step_by(19)
        .take(18)
        .map(|o| o.id)
        .collect();
    for (i, org) in nominated.iter().enumerate() {
        let day = date!(2022 - 02 - 10) + time::Duration::days(i as i64);
        store
            .record_stage(
                "QD167",
                *org,
                ProgrammeStage::Nominated,
                day,
                "UBND huyện giới thiệu",
                author,
            )
            .await?;
        store
            .record_stage(
                "QD167",
                *org,
                ProgrammeStage::Evaluated,
                date!(2022 - 03 - 10),
                "",
                author,
            )
            .await?;
        if i % 9 < 5 {
            store
                .record_stage(
                    "QD167",
                    *org,
                    ProgrammeStage::Selected,
                    date!(2022 - 03 - 25),
                    "UBND tỉnh lựa chọn",
                    author,
                )
                .await?;
            let given = support(
                *org,
                SupportCategory::ScienceTechnology,
                150_000_000,
                date!(2022 - 05 - 30),
            );
            store.add_support(&given, author).await?;
        }
    }
    for org in htx.iter().skip(40).step_by(53).take(6) {
        let given = support(
            org.id,
            SupportCategory::TradePromotion,
            15_000_000,
            date!(2022 - 05 - 12),
        );
        store.add_support(&given, author).await?;
    }
    Ok(())
}

fn support(
    org_id: i64,
    category: SupportCategory,
    amount: i64,
    date: Date,
) -> crate::store::programmes::Support {
    crate::store::programmes::Support {
        programme: Some("QD1804".into()),
        org_id,
        category,
        amount,
        date,
        note: String::new(),
    }
}

/// Records a membership change of a member (created on first use).
async fn membership(
    store: &Store,
    (org_id, name, kind): (Option<i64>, &str, MemberKind),
    (change, category, effective, reference): (MembershipChange, MemberCategory, Date, &str),
    author: &str,
) -> Result<()> {
    let m = crate::store::alliance::NewMembership {
        org_id,
        name: name.to_string(),
        event: crate::domain::alliance::MembershipEvent {
            id: 0,
            change,
            category,
            effective,
        },
        reference: reference.to_string(),
    };
    store.add_membership(&m, kind, author).await
}
