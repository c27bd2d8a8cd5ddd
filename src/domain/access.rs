//! Who may do what: roles, the actions they are allowed, and the area an area officer is
//! limited to. Pure rules; the web layer asks them on every request.

use crate::domain::geo::geo;
use serde::{Deserialize, Serialize};

/// What a user is in the Alliance's office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users and settings; may do everything.
    Admin,
    /// Alliance staff: records and reports for the whole province.
    Staff,
    /// Support fund officer: the loan book; reads the rest.
    FundOfficer,
    /// Officer of one administrative unit (a former district, or a commune after the reform):
    /// sees and records the organisations of that unit only.
    AreaOfficer,
    /// Leaders and other readers: see everything, change nothing.
    Leader,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Staff,
        Role::FundOfficer,
        Role::AreaOfficer,
        Role::Leader,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::FundOfficer => "fund_officer",
            Role::AreaOfficer => "area_officer",
            Role::Leader => "leader",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Staff => "Cán bộ Liên minh",
            Role::FundOfficer => "Cán bộ Quỹ hỗ trợ",
            Role::AreaOfficer => "Cán bộ địa bàn",
            Role::Leader => "Lãnh đạo (chỉ xem)",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Staff => "Alliance staff",
            Role::FundOfficer => "Fund officer",
            Role::AreaOfficer => "Area officer",
            Role::Leader => "Leader (read-only)",
        }
    }
}

/// Everything a request may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ViewRegistry,
    EditRegistry,
    ViewFund,
    EditFund,
    ViewAlliance,
    EditAlliance,
    /// Importing a workbook (it may touch every area and part, so it is not area-scoped).
    Import,
    ViewReports,
    IssueReport,
    ViewAudit,
    /// Users, sectors, settings.
    Administer,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::ViewRegistry,
        Action::EditRegistry,
        Action::ViewFund,
        Action::EditFund,
        Action::ViewAlliance,
        Action::EditAlliance,
        Action::Import,
        Action::ViewReports,
        Action::IssueReport,
        Action::ViewAudit,
        Action::Administer,
    ];
}

/// A user's rights: role plus, for area officers, their unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    /// Unit id (`old-…`/`new-…`); only meaningful for area officers.
    pub area: Option<String>,
}

impl Access {
    /// Whether the role allows the action at all (area limits are checked separately).
    pub fn can(&self, action: Action) -> bool {
        use Action::*;
        match self.role {
            Role::Admin => true,
            Role::Staff => action != Administer,
            Role::FundOfficer => matches!(
                action,
                ViewRegistry | ViewFund | EditFund | ViewAlliance | ViewReports
            ),
            // An area officer without a valid unit may do nothing.
            Role::AreaOfficer => {
                self.area_unit().is_some()
                    && matches!(action, ViewRegistry | EditRegistry | ViewReports)
            }
            Role::Leader => matches!(
                action,
                ViewRegistry | ViewFund | ViewAlliance | ViewReports | ViewAudit
            ),
        }
    }

    /// The unit an area officer is limited to; `None` for everyone else (whole province).
    pub fn area_unit(&self) -> Option<&str> {
        match self.role {
            Role::AreaOfficer => self.area.as_deref().filter(|a| geo().unit(a).is_some()),
            _ => None,
        }
    }

    /// Whether an organisation whose address is this commune is within the user's reach.
    pub fn covers_commune(&self, commune_id: &str) -> bool {
        match self.role {
            Role::AreaOfficer => self
                .area_unit()
                .is_some_and(|area| geo().commune_in_area(commune_id, area)),
            _ => true,
        }
    }

    /// Whether a report or list for `area` (None = whole province) is within reach.
    pub fn covers_area(&self, area: Option<&str>) -> bool {
        match (self.role, self.area_unit(), area) {
            (Role::AreaOfficer, None, _) => false,
            (Role::AreaOfficer, Some(_), None) => false,
            (Role::AreaOfficer, Some(mine), Some(asked)) => geo().area_within(asked, mine),
            _ => true,
        }
    }

    /// What a read of `asked` (None = everything) may cover for this user: the asked area
    /// narrowed to the user's reach. Every list, search, report, dashboard and download
    /// asks this one rule. `None` when the two do not nest (another district, another
    /// province) or the area does not exist: callers answer both the same way (404), so
    /// that a refusal tells nothing about what exists.
    pub fn scope(&self, asked: Option<&str>) -> Option<Scope> {
        let g = geo();
        let asked = asked.map(str::trim).filter(|a| !a.is_empty());
        if asked.is_some_and(|a| g.unit(a).is_none()) {
            return None;
        }
        match (self.role, asked) {
            (Role::AreaOfficer, asked) => {
                let mine = self.area_unit()?;
                match asked {
                    None => Some(Scope::area(mine)),
                    Some(a) if g.area_within(a, mine) => Some(Scope::area(a)),
                    Some(a) if g.area_within(mine, a) => Some(Scope::area(mine)),
                    Some(_) => None,
                }
            }
            (_, None) => Some(Scope::Whole),
            (_, Some(a)) => Some(Scope::area(a)),
        }
    }

    /// Whether the user may change an organisation whose commune on the event's date is
    /// `commune_then`: area officers only while it lies in their area.
    pub fn may_write_at(&self, commune_then: Option<&str>) -> bool {
        match self.role {
            Role::AreaOfficer => commune_then.is_some_and(|c| self.covers_commune(c)),
            _ => true,
        }
    }
}

/// The part of the deployment a read covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything the deployment holds.
    Whole,
    /// One administrative unit (of either era) and the communes that belong to it.
    Area(String),
}

impl Scope {
    fn area(id: &str) -> Scope {
        Scope::Area(id.to_string())
    }

    /// The area id, or None for the whole deployment.
    pub fn area_id(&self) -> Option<&str> {
        match self {
            Scope::Whole => None,
            Scope::Area(a) => Some(a),
        }
    }

    /// The commune ids a list keeps (both eras), or None for no restriction.
    pub fn communes(&self) -> Option<Vec<String>> {
        self.area_id()
            .map(|a| geo().communes_in_area(a).as_ref().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(area: &str) -> Access {
        Access {
            role: Role::AreaOfficer,
            area: Some(area.into()),
        }
    }

    #[test]
    fn a_leader_reads_everything_and_changes_nothing() {
        let leader = Access {
            role: Role::Leader,
            area: None,
        };
        assert!(leader.can(Action::ViewFund));
        assert!(!leader.can(Action::EditRegistry));
        assert!(!leader.can(Action::Import));
    }

    #[test]
    fn an_area_officer_reaches_the_communes_of_the_district_only() {
        // Thuận Thành (old district 262) contains Phường Hồ (09400); Vũ Ninh (09163) is in TP Bắc Ninh.
        let g = officer("old-262");
        assert!(g.can(Action::EditRegistry));
        assert!(g.covers_commune("old-09400"));
        assert!(!g.covers_commune("old-09163"));
        assert!(!g.covers_area(None));
        assert!(g.covers_area(Some("old-262")));
        assert!(!g.covers_area(Some("old-256")));
    }

    #[test]
    fn a_read_is_the_asked_area_narrowed_to_the_officers_own() {
        let g = officer("old-262");
        // Nothing asked, or the province: the officer's district.
        assert_eq!(g.scope(None), Some(Scope::Area("old-262".into())));
        assert_eq!(g.scope(Some("old-27")), Some(Scope::Area("old-262".into())));
        // A commune of the district: that commune alone.
        assert_eq!(
            g.scope(Some("old-09400")),
            Some(Scope::Area("old-09400".into()))
        );
        assert_eq!(
            g.scope(Some("old-09400")).unwrap().communes().unwrap(),
            ["old-09400"]
        );
        // A sibling district, another province and an unknown code all give nothing.
        assert_eq!(g.scope(Some("old-256")), None);
        assert_eq!(g.scope(Some("old-01")), None);
        assert_eq!(g.scope(Some("old-99999")), None);
        let staff = Access {
            role: Role::Staff,
            area: None,
        };
        assert_eq!(staff.scope(None), Some(Scope::Whole));
        assert_eq!(staff.scope(Some("old-99999")), None);
        assert_eq!(
            staff.scope(Some("old-09400")).unwrap().communes().unwrap(),
            ["old-09400"]
        );
    }

    #[test]
    fn an_area_officer_writes_only_while_the_organisation_is_in_the_area() {
        let g = officer("old-262");
        assert!(g.may_write_at(Some("old-09400")));
        assert!(!g.may_write_at(Some("old-09163")));
        assert!(!g.may_write_at(None));
    }

    #[test]
    fn an_area_officer_without_a_valid_unit_can_do_nothing() {
        let lost = officer("old-99999");
        assert!(Action::ALL.iter().all(|a| !lost.can(*a)));
    }

    #[test]
    fn roles_round_trip_through_their_codes() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
    }
}
