//! Recording the Alliance's governance from typed input: committee seats (appointed and
//! ended), the Supervisory Committee's inspections and supervisions, and complaints. The
//! import, the command line and the API fill the same inputs and call the same checks.

use crate::domain::codes::Coded;
use crate::domain::governance::{
    Committee, Complaint, Inspection, InspectionKind, InspectionStatus, Seat,
    check_complaint_handled, check_inspection_date, check_seat_end,
};
use crate::domain::text::{self, MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Problems, Result};
use crate::store::Store;
use serde::Deserialize;
use time::Date;

/// An appointment to a committee as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SeatInput {
    /// executive / standing / supervisory, or Ban Chấp hành, BTV, Ban Kiểm soát…
    pub committee: String,
    pub person: String,
    /// Chức vụ ("Ủy viên", "Phó Chủ tịch").
    pub position: String,
    pub term: String,
    /// First day.
    pub from: String,
    /// Last day, when the seat has already ended; blank while it is held.
    pub to: String,
}

/// A checked appointment, and its last day if given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSeat {
    pub seat: Seat,
    pub to: Option<Date>,
}

/// Checks an appointment, reporting every problem. Its days cannot lie after `today`.
pub fn check_seat(input: &SeatInput, today: Date) -> Result<CheckedSeat> {
    let mut problems = Problems::new();
    let committee = super::required(&mut problems, "committee", &input.committee)
        .and_then(|c| problems.take("committee", Committee::read(&c)));
    let person = super::required(&mut problems, "person", &input.person);
    let position = super::required(&mut problems, "position", &input.position);
    let term = text::clean(&input.term);
    let from = super::required_date(&mut problems, "from", &input.from);
    super::not_future(&mut problems, "from", from, today);
    let to = super::optional_date(&mut problems, "to", &input.to);
    super::not_future(&mut problems, "to", to.flatten(), today);
    if let (Some(from), Some(Some(to))) = (from, to)
        && let Err(reason) = check_seat_end(from, to)
    {
        problems.add("to", reason);
    }
    super::lengths(
        &mut problems,
        &[
            ("person", person.as_deref().unwrap_or(""), MAX_NAME_CHARS),
            (
                "position",
                position.as_deref().unwrap_or(""),
                MAX_NAME_CHARS,
            ),
            ("term", &term, MAX_NAME_CHARS),
        ],
    );
    problems.finish(|| {
        Some(CheckedSeat {
            seat: Seat {
                committee: committee?,
                person: person?,
                position: position?,
                term,
                from: from?,
            },
            to: to?,
        })
    })
}

/// Records a checked appointment (and its end, if given) in one transaction with its audit
/// entries; returns the seat's number.
pub async fn record_seat(store: &Store, checked: &CheckedSeat, author: &str) -> Result<i64> {
    let mut tx = store.pool.begin().await?;
    let id = store.appoint_in(&mut tx, &checked.seat, author).await?;
    if let Some(to) = checked.to {
        store.end_seat_in(&mut tx, id, to, author).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Checks and records an appointment.
pub async fn appoint(store: &Store, input: &SeatInput, author: &str) -> Result<(i64, Seat)> {
    let checked = check_seat(input, crate::domain::today())?;
    let id = record_seat(store, &checked, author).await?;
    Ok((id, checked.seat))
}

/// The end of a seat as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SeatEndInput {
    /// The seat's number.
    #[serde(deserialize_with = "super::text")]
    pub seat: String,
    /// Its last day.
    pub to: String,
}

/// Checks the end of a seat: (its number, its last day). Whether the seat is held and began
/// before that day is checked when it is written.
pub fn check_seat_end_input(input: &SeatEndInput, today: Date) -> Result<(i64, Date)> {
    let mut problems = Problems::new();
    let seat = super::required(&mut problems, "seat", &input.seat).and_then(|s| {
        problems.take(
            "seat",
            s.parse::<i64>()
                .map_err(|_| format!("\"{s}\" không phải số nhiệm kỳ")),
        )
    });
    let to = super::required_date(&mut problems, "to", &input.to);
    super::not_future(&mut problems, "to", to, today);
    problems.finish(|| Some((seat?, to?)))
}

/// Checks and records the end of a seat (one transaction with its audit entry).
pub async fn end_seat(store: &Store, input: &SeatEndInput, author: &str) -> Result<(i64, Date)> {
    let (id, to) = check_seat_end_input(input, crate::domain::today())?;
    store.end_seat(id, to, author).await?;
    Ok((id, to))
}

/// An inspection or supervision as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InspectionInput {
    /// Registration code of the organisation; blank for none.
    pub code: String,
    /// inspection / supervision (kiểm tra / giám sát).
    pub kind: String,
    /// planned / done (dự kiến / đã thực hiện); blank for done.
    pub status: String,
    pub date: String,
    pub subject: String,
    pub findings: String,
    pub recommendations: String,
    pub follow_up: String,
}

/// Checks an inspection, reporting every problem. One done cannot lie after `today`.
pub async fn check_inspection(
    store: &Store,
    planned: &super::Planned,
    input: &InspectionInput,
    today: Date,
) -> Result<Inspection> {
    let mut problems = Problems::new();
    let org_id = super::org_of(store, planned, &mut problems, "code", &input.code).await?;
    let kind = super::required(&mut problems, "kind", &input.kind)
        .and_then(|k| problems.take("kind", InspectionKind::read(&k)));
    let status = match input.status.trim() {
        "" => Some(InspectionStatus::Done),
        typed => problems.take("status", InspectionStatus::read(typed)),
    };
    let date = super::required_date(&mut problems, "date", &input.date);
    if let (Some(status), Some(date)) = (status, date)
        && let Err(reason) = check_inspection_date(status, date, today)
    {
        problems.add("date", reason);
    }
    let subject = super::required(&mut problems, "subject", &input.subject);
    let findings = text::clean_paragraphs(&input.findings);
    let recommendations = text::clean_paragraphs(&input.recommendations);
    let follow_up = text::clean_paragraphs(&input.follow_up);
    super::lengths(
        &mut problems,
        &[
            ("subject", subject.as_deref().unwrap_or(""), MAX_LINE_CHARS),
            ("findings", &findings, MAX_NOTE_CHARS),
            ("recommendations", &recommendations, MAX_NOTE_CHARS),
            ("follow_up", &follow_up, MAX_NOTE_CHARS),
        ],
    );
    problems.finish(|| {
        Some(Inspection {
            org_id: org_id?,
            kind: kind?,
            status: status?,
            date: date?,
            subject: subject?,
            findings,
            recommendations,
            follow_up,
        })
    })
}

/// Checks and records an inspection (one transaction with its audit entry).
pub async fn add_inspection(
    store: &Store,
    input: &InspectionInput,
    author: &str,
) -> Result<(i64, Inspection)> {
    let inspection = check_inspection(
        store,
        &super::Planned::none(),
        input,
        crate::domain::today(),
    )
    .await?;
    let id = store.add_inspection(&inspection, author).await?;
    Ok((id, inspection))
}

/// A complaint as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ComplaintInput {
    /// The day it was received.
    pub received: String,
    pub complainant: String,
    /// Registration code of the organisation concerned; blank for none.
    pub code: String,
    pub subject: String,
    /// The day it was settled; blank while it is not.
    pub handled: String,
    pub result: String,
}

/// Checks a complaint, reporting every problem. Its days cannot lie after `today`.
pub async fn check_complaint(
    store: &Store,
    planned: &super::Planned,
    input: &ComplaintInput,
    today: Date,
) -> Result<Complaint> {
    let mut problems = Problems::new();
    let received = super::required_date(&mut problems, "received", &input.received);
    super::not_future(&mut problems, "received", received, today);
    let complainant = super::required(&mut problems, "complainant", &input.complainant);
    let org_id = super::org_of(store, planned, &mut problems, "code", &input.code).await?;
    let subject = super::required(&mut problems, "subject", &input.subject);
    let handled = super::optional_date(&mut problems, "handled", &input.handled);
    super::not_future(&mut problems, "handled", handled.flatten(), today);
    if let (Some(r), Some(Some(h))) = (received, handled)
        && let Err(reason) = check_complaint_handled(r, h)
    {
        problems.add("handled", reason);
    }
    let result = text::clean_paragraphs(&input.result);
    super::lengths(
        &mut problems,
        &[
            (
                "complainant",
                complainant.as_deref().unwrap_or(""),
                MAX_NAME_CHARS,
            ),
            ("subject", subject.as_deref().unwrap_or(""), MAX_NOTE_CHARS),
            ("result", &result, MAX_NOTE_CHARS),
        ],
    );
    problems.finish(|| {
        Some(Complaint {
            received: received?,
            complainant: complainant?,
            org_id: org_id?,
            subject: subject?,
            handled: handled?,
            result,
        })
    })
}

/// Checks and records a complaint (one transaction with its audit entry).
pub async fn add_complaint(
    store: &Store,
    input: &ComplaintInput,
    author: &str,
) -> Result<(i64, Complaint)> {
    let complaint = check_complaint(
        store,
        &super::Planned::none(),
        input,
        crate::domain::today(),
    )
    .await?;
    let id = store.add_complaint(&complaint, author).await?;
    Ok((id, complaint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2022 - 06 - 30);

    #[test]
    fn an_appointment_reports_every_problem_by_field() {
        let input = SeatInput {
            committee: "Ban X".into(),
            from: "01/07/2022".into(),
            to: "01/01/2022".into(),
            ..SeatInput::default()
        };
        let e = check_seat(&input, TODAY).unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["committee", "person", "position", "from", "to"]);
        assert_eq!(
            e.problems()[0].reason,
            "\"Ban X\" phải là Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra"
        );
    }

    #[test]
    fn an_appointment_reads_the_committee_as_officials_write_it() {
        let input = SeatInput {
            committee: "BTV".into(),
            person: " Trần  Thị Bình ".into(),
            position: "Ủy viên".into(),
            from: "15/06/2020".into(),
            to: "30/04/2022".into(),
            ..SeatInput::default()
        };
        let c = check_seat(&input, TODAY).unwrap();
        assert_eq!(c.seat.committee, Committee::Standing);
        assert_eq!(c.seat.person, "Trần Thị Bình");
        assert_eq!(c.seat.position, "Ủy viên");
        assert_eq!(c.to, Some(date!(2022 - 04 - 30)));
    }

    #[test]
    fn the_end_of_a_seat_needs_a_number_and_a_day() {
        let e = check_seat_end_input(
            &SeatEndInput {
                seat: "ba".into(),
                to: "".into(),
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["seat", "to"]);
    }
}
