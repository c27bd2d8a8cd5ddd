//! The Alliance's committees and its Supervisory Committee's work: seats, inspections and
//! supervisions, complaints, with their closed sets of values and their rules.

use crate::domain::codes::Coded;
use crate::domain::text;
use serde::{Deserialize, Serialize};
use time::Date;

/// The Alliance's committees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Committee {
    /// Ban Chấp hành.
    Executive,
    /// Ban Thường vụ.
    Standing,
    /// Ủy ban Kiểm tra.
    Supervisory,
}

impl Coded for Committee {
    const ALL: &'static [Self] = &[Self::Executive, Self::Standing, Self::Supervisory];

    fn code(self) -> &'static str {
        match self {
            Self::Executive => "executive",
            Self::Standing => "standing",
            Self::Supervisory => "supervisory",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Executive => "Ban Chấp hành",
            Self::Standing => "Ban Thường vụ",
            Self::Supervisory => "Ủy ban Kiểm tra",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Executive => "Executive Committee",
            Self::Standing => "Standing Committee",
            Self::Supervisory => "Supervisory Committee",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Executive => &["bch"],
            Self::Standing => &["btv"],
            // Provincial Alliances name their supervisory body either way.
            Self::Supervisory => &["ubkt", "ban kiem tra", "ban kiem soat", "bks"],
        }
    }
}

/// An inspection (kiểm tra) or a supervision (giám sát).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    Inspection,
    Supervision,
}

impl Coded for InspectionKind {
    const ALL: &'static [Self] = &[Self::Inspection, Self::Supervision];

    fn code(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::Supervision => "supervision",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Inspection => "kiểm tra",
            Self::Supervision => "giám sát",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::Supervision => "supervision",
        }
    }
}

/// Whether an inspection is planned or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    Planned,
    Done,
}

impl Coded for InspectionStatus {
    const ALL: &'static [Self] = &[Self::Planned, Self::Done];

    fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Done => "done",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Planned => "dự kiến",
            Self::Done => "đã thực hiện",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Done => "done",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Planned => &["du kien", "ke hoach"],
            Self::Done => &["da kiem tra", "da giam sat", "hoan thanh"],
        }
    }
}

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Received, not settled yet.
    Received,
    /// Settled.
    Handled,
}

impl Coded for ComplaintStatus {
    const ALL: &'static [Self] = &[Self::Received, Self::Handled];

    fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Handled => "handled",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Received => "đang giải quyết",
            Self::Handled => "đã giải quyết",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Received => "being settled",
            Self::Handled => "settled",
        }
    }
}

/// A seat on a committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seat {
    pub committee: Committee,
    pub person: String,
    pub position: String,
    pub term: String,
    pub from: Date,
}

/// A seat as recorded: its number, and its last day when it has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldSeat {
    /// The seat's number (`htx committee end NUMBER`).
    pub id: i64,
    /// The appointment.
    pub seat: Seat,
    /// The date the seat ended; `None` while it is held.
    pub to: Option<Date>,
}

/// What one write of the committee records: an appointment or the end of a seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatChange {
    /// A new seat, ended at once when its last day is given.
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

/// An inspection or supervision of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub org_id: Option<i64>,
    pub kind: InspectionKind,
    pub status: InspectionStatus,
    pub date: Date,
    pub subject: String,
    pub findings: String,
    pub recommendations: String,
    pub follow_up: String,
}

/// A complaint received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub received: Date,
    pub complainant: String,
    pub org_id: Option<i64>,
    pub subject: String,
    /// When it was settled, if it was.
    pub handled: Option<Date>,
    pub result: String,
}

impl Complaint {
    /// Whether it was settled.
    pub fn status(&self) -> ComplaintStatus {
        match self.handled {
            Some(_) => ComplaintStatus::Handled,
            None => ComplaintStatus::Received,
        }
    }
}

/// A seat's last day must come after its first.
pub fn check_seat_end(from: Date, to: Date) -> Result<(), String> {
    if to <= from {
        return Err(format!(
            "ngày thôi giữ chức {} phải sau ngày bắt đầu {}",
            text::date(to),
            text::date(from)
        ));
    }
    Ok(())
}

/// A complaint cannot be settled before it was received.
pub fn check_complaint_handled(received: Date, handled: Date) -> Result<(), String> {
    if handled < received {
        return Err(format!(
            "ngày giải quyết {} trước ngày nhận {}",
            text::date(handled),
            text::date(received)
        ));
    }
    Ok(())
}

/// An inspection done cannot lie in the future.
pub fn check_inspection_date(
    status: InspectionStatus,
    date: Date,
    today: Date,
) -> Result<(), String> {
    if status == InspectionStatus::Done && date > today {
        return Err(
            "cuộc kiểm tra, giám sát đã thực hiện không thể ở ngày tương lai (đánh dấu dự kiến)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn committees_are_read_as_officials_write_them() {
        assert_eq!(
            Committee::parse("Ban Chấp hành"),
            Some(Committee::Executive)
        );
        assert_eq!(Committee::parse("BTV"), Some(Committee::Standing));
        assert_eq!(
            Committee::parse("Ban Kiểm soát"),
            Some(Committee::Supervisory)
        );
        assert_eq!(
            Committee::parse("supervisory"),
            Some(Committee::Supervisory)
        );
        assert_eq!(Committee::parse("Ban X"), None);
    }

    #[test]
    fn inspection_values_are_read_by_code_or_name() {
        assert_eq!(
            InspectionKind::parse("giám sát"),
            Some(InspectionKind::Supervision)
        );
        assert_eq!(
            InspectionStatus::parse("done"),
            Some(InspectionStatus::Done)
        );
        assert_eq!(
            InspectionStatus::parse("Dự kiến"),
            Some(InspectionStatus::Planned)
        );
        assert_eq!(
            InspectionStatus::read("xong"),
            Err("\"xong\" phải là dự kiến hoặc đã thực hiện".into())
        );
    }

    #[test]
    fn dates_of_seats_complaints_and_inspections_keep_their_order() {
        let (a, b) = (date!(2022 - 01 - 10), date!(2022 - 03 - 01));
        assert!(check_seat_end(a, b).is_ok());
        assert!(check_seat_end(a, a).is_err());
        assert!(check_complaint_handled(a, a).is_ok());
        assert!(check_complaint_handled(b, a).is_err());
        assert!(check_inspection_date(InspectionStatus::Done, b, a).is_err());
        assert!(check_inspection_date(InspectionStatus::Planned, b, a).is_ok());
    }
}
