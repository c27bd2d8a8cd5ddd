//! Turns committee-seat, inspection and complaint sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::app::Planned;
use crate::app::governance::{
    CheckedSeat, ComplaintInput, InspectionInput, SeatInput, check_complaint, check_inspection,
    check_seat,
};
use crate::domain::codes::Coded;
use crate::domain::governance::InspectionStatus;
use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{KnownRecords, Row, RowError, span};
use crate::store::Store;
use crate::store::governance::{Complaint, Inspection, Seat};
use time::Date;

pub use crate::domain::governance::SeatChange;

/// What the governance sheets of a file would add.
#[derive(Debug, Default)]
pub struct GovernancePlan {
    /// Appointments and ends of seats, in row order.
    pub seats: Vec<SeatChange>,
    /// Inspections and supervisions not recorded yet.
    pub inspections: Vec<Inspection>,
    /// Complaints not recorded yet.
    pub complaints: Vec<Complaint>,
    /// Rows already recorded, skipped.
    pub unchanged: usize,
    /// Every bad row.
    pub errors: Vec<RowError>,
}

impl GovernancePlan {
    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.seats.is_empty() && self.inspections.is_empty() && self.complaints.is_empty()
    }
}

fn seat_column(field: &str) -> &str {
    field
}

fn inspection_column(field: &str) -> &str {
    match field {
        "code" => "reg_code",
        "kind" => "inspection",
        "status" => "planned",
        other => other,
    }
}

fn complaint_column(field: &str) -> &str {
    match field {
        "code" => "reg_code",
        other => other,
    }
}

fn rows_of<'r, 'a>(rows: &'r [Row<'a>], kind: SheetKind) -> Vec<&'r Row<'a>> {
    rows.iter().filter(|r| r.kind == kind).collect()
}

/// Checks the committee, inspection and complaint rows of a file.
pub async fn plan(
    store: &Store,
    rows: &[Row<'_>],
    planned: &Planned,
    today: Date,
) -> Result<GovernancePlan> {
    let mut plan = GovernancePlan::default();
    seats(
        store,
        &rows_of(rows, SheetKind::CommitteeSeats),
        today,
        &mut plan,
    )
    .await?;
    inspections(
        store,
        planned,
        &rows_of(rows, SheetKind::Inspections),
        today,
        &mut plan,
    )
    .await?;
    complaints(
        store,
        planned,
        &rows_of(rows, SheetKind::Complaints),
        today,
        &mut plan,
    )
    .await?;
    Ok(plan)
}

/// A seat known to the check: recorded (with its number) or added by an earlier row.
struct KnownSeat {
    id: Option<i64>,
    seat: Seat,
    to: Option<Date>,
}

async fn seats(
    store: &Store,
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // A seat is the same seat when committee, person, position and first day agree.
    let key = |s: &Seat| (s.committee, s.person.clone(), s.position.clone(), s.from);
    let mut known = std::collections::HashMap::new();
    for h in store.seats().await? {
        known.entry(key(&h.seat)).or_insert(KnownSeat {
            id: Some(h.id),
            seat: h.seat,
            to: h.to,
        });
    }
    for row in rows {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = SeatInput {
            committee: cell(Col::Committee),
            person: cell(Col::Person),
            position: cell(Col::Position),
            term: cell(Col::Term),
            from: cell(Col::From),
            to: cell(Col::To),
        };
        let CheckedSeat { seat, to } = match check_seat(&input, today) {
            Ok(c) => c,
            Err(e) => {
                plan.errors.extend(row.refusal(e, seat_column)?);
                continue;
            }
        };
        let Some(same) = known.get_mut(&key(&seat)) else {
            known.insert(
                key(&seat),
                KnownSeat {
                    id: None,
                    seat: seat.clone(),
                    to,
                },
            );
            plan.seats.push(SeatChange::Appoint { seat, to });
            continue;
        };
        let whence = if same.id.is_some() {
            "đã có trong sổ"
        } else {
            "đã có ở dòng trước trong tệp"
        };
        if same.seat.term != seat.term {
            plan.errors.push(row.error(
                Col::Term,
                format!("nhiệm kỳ này {whence} với nhiệm kỳ \"{}\"", same.seat.term),
            ));
            continue;
        }
        match (same.id, same.to, to) {
            (_, a, b) if a == b => plan.unchanged += 1,
            // Ending a seat held is the one change a re-import may bring.
            (Some(id), None, Some(to)) => {
                same.to = Some(to);
                plan.seats.push(SeatChange::End { id, to });
            }
            (_, Some(ended), _) => plan.errors.push(row.error(
                Col::To,
                format!(
                    "nhiệm kỳ này {whence}, thôi giữ chức từ ngày {}",
                    text::date(ended)
                ),
            )),
            (_, None, _) => plan.errors.push(row.error(
                Col::To,
                format!("nhiệm kỳ này {whence}, chưa có ngày thôi giữ chức"),
            )),
        }
    }
    Ok(())
}

/// The heading key of the first field two versions of a record disagree on.
fn first_difference(pairs: &[(Col, bool)]) -> Col {
    pairs
        .iter()
        .find(|(_, differs)| *differs)
        .map_or(pairs[0].0, |(key, _)| *key)
}

async fn inspections(
    store: &Store,
    planned: &Planned,
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = InspectionInput {
            code: cell(Col::RegCode),
            kind: cell(Col::Inspection),
            status: if row.flag(Col::Planned) {
                InspectionStatus::Planned.code().to_string()
            } else {
                String::new()
            },
            date: cell(Col::Date),
            subject: cell(Col::Subject),
            findings: cell(Col::Findings),
            recommendations: cell(Col::Recommendations),
            follow_up: cell(Col::FollowUp),
        };
        match check_inspection(store, planned, &input, today).await {
            Ok(i) => checked.push((*row, i)),
            Err(e) => plan.errors.extend(row.refusal(e, inspection_column)?),
        }
    }
    let Some((start, end)) = span(checked.iter().map(|(_, i)| i.date)) else {
        return Ok(());
    };
    let stored = store.inspections(start, end).await?;
    // Organisation, kind, date and subject name an inspection; the rest is its content.
    let identity = |o: &Inspection| (o.org_id, o.kind, o.date, o.subject.clone());
    let mut known = KnownRecords::new(&stored, identity);
    for (row, i) in checked {
        let key = identity(&i);
        let Some((other, whence)) = known.find(&key, &stored, &plan.inspections) else {
            known.plan(key, plan.inspections.len());
            plan.inspections.push(i);
            continue;
        };
        if *other == i {
            plan.unchanged += 1;
            continue;
        }
        let key = first_difference(&[
            (Col::Planned, other.status != i.status),
            (Col::Findings, other.findings != i.findings),
            (
                Col::Recommendations,
                other.recommendations != i.recommendations,
            ),
            (Col::FollowUp, other.follow_up != i.follow_up),
        ]);
        plan.errors.push(row.error(
            key,
            format!(
                "cuộc kiểm tra, giám sát cùng tổ chức, ngày và nội dung {whence} với thông tin khác"
            ),
        ));
    }
    Ok(())
}

async fn complaints(
    store: &Store,
    planned: &Planned,
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = ComplaintInput {
            received: cell(Col::Received),
            complainant: cell(Col::Complainant),
            code: cell(Col::RegCode),
            subject: cell(Col::Subject),
            handled: cell(Col::Handled),
            result: cell(Col::Result),
        };
        match check_complaint(store, planned, &input, today).await {
            Ok(c) => checked.push((*row, c)),
            Err(e) => plan.errors.extend(row.refusal(e, complaint_column)?),
        }
    }
    let Some((start, end)) = span(checked.iter().map(|(_, c)| c.received)) else {
        return Ok(());
    };
    let stored = store.complaints(start, end).await?;
    // Day received, complainant and subject name a complaint; the rest is its handling.
    let identity = |o: &Complaint| (o.received, o.complainant.clone(), o.subject.clone());
    let mut known = KnownRecords::new(&stored, identity);
    for (row, c) in checked {
        let key = identity(&c);
        let Some((other, whence)) = known.find(&key, &stored, &plan.complaints) else {
            known.plan(key, plan.complaints.len());
            plan.complaints.push(c);
            continue;
        };
        if *other == c {
            plan.unchanged += 1;
            continue;
        }
        let key = first_difference(&[
            (Col::RegCode, other.org_id != c.org_id),
            (Col::Handled, other.handled != c.handled),
            (Col::Result, other.result != c.result),
        ]);
        plan.errors.push(row.error(
            key,
            format!("đơn cùng ngày nhận, người gửi và nội dung {whence} với thông tin khác"),
        ));
    }
    Ok(())
}
