//! Turns committee-seat, inspection and complaint sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{KnownRecords, Row, RowError, span};
use crate::store::Store;
use crate::store::governance::{Complaint, Inspection, Seat};
use time::Date;

/// What one row of the committee sheet writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatChange {
    /// A new seat, ended at once when the row gives its last day.
    Appoint {
        /// The appointment.
        seat: Seat,
        /// Its last day, if it has ended.
        to: Option<Date>,
    },
    /// The end of a seat already recorded.
    End {
        /// The seat's number.
        id: i64,
        /// Its last day.
        to: Date,
    },
}

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

/// Reads a committee as written by officials ("Ban Chấp hành", "BCH") or by its code.
fn committee(s: &str) -> Option<&'static str> {
    match text::fold(s).as_str() {
        "ban chap hanh" | "bch" | "executive" => Some("executive"),
        "ban thuong vu" | "btv" | "standing" => Some("standing"),
        // Provincial Alliances name their supervisory body either way.
        "uy ban kiem tra" | "ubkt" | "ban kiem tra" | "ban kiem soat" | "bks" | "supervisory" => {
            Some("supervisory")
        }
        _ => None,
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
            s.committee.clone(),
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
        let code = row.required(Col::Committee, &mut errors).and_then(|c| {
            committee(&c).or_else(|| {
                errors.push(row.error(
                    Col::Committee,
                    format!("\"{c}\" không phải Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra"),
                ));
                None
            })
        });
        let person = row.required(Col::Person, &mut errors);
        let position = row.required(Col::Position, &mut errors);
        let from = row
            .date(Col::From, &mut errors)
            .filter(|d| row.not_future(Col::From, *d, today, &mut errors));
        let to = row
            .optional_date(Col::To, &mut errors)
            .filter(|d| row.not_future(Col::To, *d, today, &mut errors));
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            errors.push(row.error(
                Col::To,
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
            committee: code.to_string(),
            person,
            position,
            term: row.get(Col::Term).map(text::clean).unwrap_or_default(),
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
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let org_id = row.org(store, Col::RegCode, &mut errors).await?;
        let kind = row.required(Col::Inspection, &mut errors).and_then(|k| {
            match text::fold(&k).as_str() {
                "kiem tra" | "inspection" => Some("inspection"),
                "giam sat" | "supervision" => Some("supervision"),
                _ => {
                    errors.push(row.error(
                        Col::Inspection,
                        format!("\"{k}\" phải là kiểm tra hoặc giám sát"),
                    ));
                    None
                }
            }
        });
        let date = row.date(Col::Date, &mut errors);
        let planned = row.flag(Col::Planned);
        if let Some(d) = date
            && !planned
            && d > today
        {
            errors.push(row.error(
                Col::Date,
                "cuộc kiểm tra, giám sát đã thực hiện không thể ở ngày tương lai (đánh dấu cột Dự kiến)",
            ));
        }
        let subject = row.required(Col::Subject, &mut errors);
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
                kind: kind.to_string(),
                status: if planned { "planned" } else { "done" }.to_string(),
                date,
                subject,
                findings: text_of(Col::Findings),
                recommendations: text_of(Col::Recommendations),
                follow_up: text_of(Col::FollowUp),
            },
        ));
    }
    let Some((start, end)) = span(checked.iter().map(|(_, i)| i.date)) else {
        return Ok(());
    };
    let stored = store.inspections(start, end).await?;
    // Organisation, kind, date and subject name an inspection; the rest is its content.
    let identity = |o: &Inspection| (o.org_id, o.kind.clone(), o.date, o.subject.clone());
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
    rows: &[&Row<'_>],
    today: Date,
    plan: &mut GovernancePlan,
) -> Result<()> {
    let mut checked = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let received = row
            .date(Col::Received, &mut errors)
            .filter(|d| row.not_future(Col::Received, *d, today, &mut errors));
        let complainant = row.required(Col::Complainant, &mut errors);
        let org_id = row.org(store, Col::RegCode, &mut errors).await?;
        let subject = row.required(Col::Subject, &mut errors);
        let handled = row
            .optional_date(Col::Handled, &mut errors)
            .filter(|d| row.not_future(Col::Handled, *d, today, &mut errors));
        if let (Some(r), Some(h)) = (received, handled)
            && h < r
        {
            errors.push(row.error(
                Col::Handled,
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
                result: row.get(Col::Result).map(text::clean).unwrap_or_default(),
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
