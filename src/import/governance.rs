//! Turns committee-seat, inspection and complaint sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::domain::codes::Coded;
use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
use crate::domain::text;
use crate::error::Result;
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

fn rows_of<'r, 'a>(rows: &'r [Row<'a>], kind: SheetKind) -> Vec<&'r Row<'a>> {
    rows.iter().filter(|r| r.kind == kind).collect()
}

/// Checks the committee, inspection and complaint rows of a file.
pub async fn plan(store: &Store, rows: &[Row<'_>], today: Date) -> Result<GovernancePlan> {
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
        &rows_of(rows, SheetKind::Inspections),
        today,
        &mut plan,
    )
    .await?;
    complaints(
        store,
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
    let key = |s: &Seat| {
        (
            s.committee,
            s.person.clone(),
            s.position.clone(),
            s.from,
        )
    };
    let mut known = std::collections::HashMap::new();
    for h in store.seats().await? {
        known.entry(key(&h.seat)).or_insert(KnownSeat {
            id: Some(h.id),
            seat: h.seat,
            to: h.to,
        });
    }
    for row in rows {
        let mut errors = Vec::new();
        let code = row.required("committee", &mut errors).and_then(|c| {
            Committee::read(&c)
                .map_err(|reason| errors.push(row.error("committee", reason)))
                .ok()
        });
        let person = row.required("person", &mut errors);
        let position = row.required("position", &mut errors);
        let from = row
            .date("from", &mut errors)
            .filter(|d| row.not_future("from", *d, today, &mut errors));
        let to = row
            .optional_date("to", &mut errors)
            .filter(|d| row.not_future("to", *d, today, &mut errors));
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            errors.push(row.error(
                "to",
                format!(
                    "ngày thôi giữ chức {} phải sau ngày bắt đầu {}",
                    text::date(to),
                    text::date(from)
                ),
            ));
        }
        let (Some(code), Some(person), Some(position), Some(from), true) =
            (code, person, position, from, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        let seat = Seat {
            committee: code,
            person,
            position,
            term: row.get("term").map(text::clean).unwrap_or_default(),
            from,
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
                "term",
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
                "to",
                format!(
                    "nhiệm kỳ này {whence}, thôi giữ chức từ ngày {}",
                    text::date(ended)
                ),
            )),
            (_, None, _) => plan.errors.push(row.error(
                "to",
                format!("nhiệm kỳ này {whence}, chưa có ngày thôi giữ chức"),
            )),
        }
    }
    Ok(())
}

/// The heading key of the first field two versions of a record disagree on.
fn first_difference<'k>(pairs: &[(&'k str, bool)]) -> &'k str {
    pairs
        .iter()
        .find(|(_, differs)| *differs)
        .map_or(pairs[0].0, |(key, _)| key)
}

async fn inspections(
    store: &Store,
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let org_id = row.org(store, "reg_code", &mut errors).await?;
        let kind = row.required("inspection", &mut errors).and_then(|k| {
            InspectionKind::read(&k)
                .map_err(|reason| errors.push(row.error("inspection", reason)))
                .ok()
        });
        let date = row.date("date", &mut errors);
        let planned = row.flag("planned");
        if let Some(d) = date
            && !planned
            && d > today
        {
            errors.push(row.error(
                "date",
                "cuộc kiểm tra, giám sát đã thực hiện không thể ở ngày tương lai (đánh dấu cột Dự kiến)",
            ));
        }
        let subject = row.required("subject", &mut errors);
        let (Some(kind), Some(date), Some(subject), true) =
            (kind, date, subject, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        let text_of = |key| row.get(key).map(text::clean).unwrap_or_default();
        checked.push((
            *row,
            Inspection {
                org_id,
                kind,
                status: if planned {
                    InspectionStatus::Planned
                } else {
                    InspectionStatus::Done
                },
                date,
                subject,
                findings: text_of("findings"),
                recommendations: text_of("recommendations"),
                follow_up: text_of("follow_up"),
            },
        ));
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
            ("planned", other.status != i.status),
            ("findings", other.findings != i.findings),
            (
                "recommendations",
                other.recommendations != i.recommendations,
            ),
            ("follow_up", other.follow_up != i.follow_up),
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
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let received = row
            .date("received", &mut errors)
            .filter(|d| row.not_future("received", *d, today, &mut errors));
        let complainant = row.required("complainant", &mut errors);
        let org_id = row.org(store, "reg_code", &mut errors).await?;
        let subject = row.required("subject", &mut errors);
        let handled = row
            .optional_date("handled", &mut errors)
            .filter(|d| row.not_future("handled", *d, today, &mut errors));
        if let (Some(r), Some(h)) = (received, handled)
            && h < r
        {
            errors.push(row.error(
                "handled",
                format!(
                    "ngày giải quyết {} trước ngày nhận {}",
                    text::date(h),
                    text::date(r)
                ),
            ));
        }
        let (Some(received), Some(complainant), Some(subject), true) =
            (received, complainant, subject, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        checked.push((
            *row,
            Complaint {
                received,
                complainant,
                org_id,
                subject,
                handled,
                result: row.get("result").map(text::clean).unwrap_or_default(),
            },
        ));
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
            ("reg_code", other.org_id != c.org_id),
            ("handled", other.handled != c.handled),
            ("result", other.result != c.result),
        ]);
        plan.errors.push(row.error(
            key,
            format!("đơn cùng ngày nhận, người gửi và nội dung {whence} với thông tin khác"),
        ));
    }
    Ok(())
}
