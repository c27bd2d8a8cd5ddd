//! The demo's governance and Supervisory Committee: the Executive Committee completed
//! ("kiện toàn Ban Chấp hành") in the first half of 2022, and the Committee's inspections.

use crate::domain::codes::Coded;
use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
use crate::error::Result;
use crate::store::Store;
use crate::store::governance::{Complaint, Inspection, Seat};
use crate::store::registry::OrgFilter;
use time::{Date, macros::date};

const PEOPLE: &[&str] = &[
    "Nguyễn Văn Minh",
    "Trần Thị Hoa",
    "Lê Văn Hùng",
    "Phạm Thị Lan",
    "Hoàng Văn Nam",
    "Vũ Thị Hằng",
    "Đỗ Văn Long",
    "Ngô Thị Mai",
    "Bùi Văn Tuấn",
    "Đặng Thị Thu",
    "Nguyễn Văn Bình",
    "Trần Văn Cường",
    "Lê Thị Dung",
    "Phạm Văn Đức",
    "Nguyễn Thị Giang",
];

/// Records the demo's committees, inspections and complaints.
pub async fn build(store: &Store, author: &str) -> Result<()> {
    let term = "2020-2025";
    for (i, person) in PEOPLE.iter().enumerate() {
        let (position, committee) = match i {
            0 => ("Chủ tịch", "executive"),
            1 | 2 => ("Phó Chủ tịch", "executive"),
            _ => ("Ủy viên", "executive"),
        };
        let from = if i < 13 {
            date!(2020 - 08 - 20)
        } else {
            date!(2022 - 03 - 30)
        };
        seat(store, committee, person, position, term, from, author).await?;
        if i < 5 {
            seat(store, "standing", person, position, term, from, author).await?;
        }
    }
    for (person, position) in [
        ("Lê Văn Hùng", "Chủ nhiệm"),
        ("Vũ Thị Hằng", "Ủy viên"),
        ("Đỗ Văn Long", "Ủy viên"),
    ] {
        seat(
            store,
            "supervisory",
            person,
            position,
            term,
            date!(2020 - 08 - 20),
            author,
        )
        .await?;
    }
    let (orgs, _) = store
        .list_orgs(&OrgFilter {
            on: Some(date!(2022 - 06 - 30)),
            counted_only: true,
            limit: 60,
            ..OrgFilter::default()
        })
        .await?;
    for (i, org) in orgs.iter().step_by(12).take(5).enumerate() {
        let done = i < 4;
        store
            .add_inspection(
                &Inspection {
                    org_id: Some(org.id),
                    kind: if i % 2 == 0 {
                        InspectionKind::Inspection
                    } else {
                        InspectionKind::Supervision
                    },
                    status: if done {
                        InspectionStatus::Done
                    } else {
                        InspectionStatus::Planned
                    },
                    date: super::day(2022, 3 + i as u8, 15),
                    subject: "Việc chấp hành Điều lệ và Luật Hợp tác xã".into(),
                    findings: if done {
                        "Cơ bản chấp hành đúng quy định; sổ sách kế toán chưa đầy đủ".into()
                    } else {
                        String::new()
                    },
                    recommendations: if done {
                        "Hoàn thiện sổ thành viên và sổ góp vốn".into()
                    } else {
                        String::new()
                    },
                    follow_up: String::new(),
                },
                author,
            )
            .await?;
    }
    store
        .add_complaint(
            &Complaint {
                received: date!(2022 - 04 - 05),
                complainant: "Thành viên HTX".into(),
                org_id: orgs.first().map(|o| o.id),
                subject: "Phân chia lợi nhuận năm 2021".into(),
                handled: Some(date!(2022 - 05 - 10)),
                result: "Đã hướng dẫn HTX tổ chức đại hội thành viên bất thường".into(),
            },
            author,
        )
        .await?;
    Ok(())
}

async fn seat(
    store: &Store,
    committee: &str,
    person: &str,
    position: &str,
    term: &str,
    from: Date,
    author: &str,
) -> Result<()> {
    store
        .appoint(
            &Seat {
                committee: Committee::from_code(committee).ok_or_else(|| {
                    crate::error::Error::invalid("committee", format!("\"{committee}\""))
                })?,
                person: person.into(),
                position: position.into(),
                term: term.into(),
                from,
            },
            author,
        )
        .await?;
    Ok(())
}
