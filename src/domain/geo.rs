//! Vietnam's administrative units in both eras and the 2025 reform that abolished districts.
//!
//! Before 1/7/2025 a commune sits in a district in a province; from that day a commune sits
//! directly in a province. Units are reference data shipped in the binary (generated from the
//! MIT-licensed `vietnamadminunits` package, see `data/admin_units/`), so every deployment
//! agrees on codes without a database round trip.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use time::{Date, macros::date};

/// The first day of the two-level administration (Resolution 202/2025/QH15).
pub const REFORM_DATE: Date = date!(2025 - 07 - 01);

/// Which administration a unit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// Three levels, valid until 30/6/2025.
    Old,
    /// Two levels, valid from 1/7/2025.
    New,
}

impl Era {
    /// The era in force on a date.
    pub fn at(d: Date) -> Era {
        if d < REFORM_DATE { Era::Old } else { Era::New }
    }
}

/// Level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    District,
    Commune,
}

/// One administrative unit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unit {
    /// `{era}-{code}`, e.g. `old-256`, `new-24`: codes repeat across eras.
    pub id: String,
    /// The statistics office code (2, 3 or 5 digits).
    pub code: String,
    pub era: Era,
    pub level: Level,
    /// "Tỉnh", "Huyện", "Phường"…
    pub kind: String,
    /// The name without its kind ("Bắc Ninh").
    pub name: String,
    pub parent_id: Option<String>,
}

impl Unit {
    /// Kind and name: "Huyện Gia Bình".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }

    /// Whether an organisation may be located here: a commune, or a district before the
    /// reform (for data of years whose commune no longer exists in the unit data: the
    /// organisation is then counted in its district, and after the reform in its province).
    pub fn is_place(&self) -> bool {
        self.level == Level::Commune || (self.level == Level::District && self.era == Era::Old)
    }
}

/// The whole map of units.
pub struct Geo {
    units: HashMap<String, Unit>,
    children: HashMap<String, Vec<String>>,
    successor: HashMap<String, String>,
    /// `communes_in_area` answers, by area id (bounded by the number of units).
    reached: Mutex<HashMap<String, Arc<Vec<String>>>>,
}

static UNITS_CSV: &str = include_str!("../../data/admin_units/units.csv");
static MAPPING_CSV: &str = include_str!("../../data/admin_units/mapping.csv");
static GEO: LazyLock<Geo> = LazyLock::new(|| Geo::parse(UNITS_CSV, MAPPING_CSV));

/// The shipped map of Vietnam.
pub fn geo() -> &'static Geo {
    &GEO
}

impl Geo {
    #[allow(
        clippy::expect_used,
        reason = "the tables are compiled into the binary and read by every geography test"
    )]
    fn parse(units_csv: &str, mapping_csv: &str) -> Geo {
        let mut units = HashMap::new();
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        let mut reader = csv::Reader::from_reader(units_csv.as_bytes());
        for row in reader.records() {
            let row = row.expect("units.csv is well formed");
            let parent = (!row[6].is_empty()).then(|| row[6].to_string());
            let unit = Unit {
                id: row[0].to_string(),
                code: row[1].to_string(),
                era: if &row[2] == "old" { Era::Old } else { Era::New },
                level: match &row[3] {
                    "province" => Level::Province,
                    "district" => Level::District,
                    _ => Level::Commune,
                },
                kind: row[4].to_string(),
                name: row[5].to_string(),
                parent_id: parent.clone(),
            };
            if let Some(p) = parent {
                children.entry(p).or_default().push(unit.id.clone());
            }
            units.insert(unit.id.clone(), unit);
        }
        let mut successor = HashMap::new();
        let mut reader = csv::Reader::from_reader(mapping_csv.as_bytes());
        for row in reader.records() {
            let row = row.expect("mapping.csv is well formed");
            if &row[2] == "1" {
                successor.insert(row[0].to_string(), row[1].to_string());
            }
        }
        Geo {
            units,
            children,
            successor,
            reached: Mutex::default(),
        }
    }

    /// A unit by id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.get(id)
    }

    /// The direct children of a unit.
    pub fn children(&self, id: &str) -> impl Iterator<Item = &Unit> {
        self.children
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|c| self.units.get(c))
    }

    /// Finds a unit by its official code in the era in force on `on`.
    pub fn by_code(&self, code: &str, on: Date) -> Option<&Unit> {
        let prefix = match Era::at(on) {
            Era::Old => "old",
            Era::New => "new",
        };
        self.units.get(&format!("{prefix}-{}", code.trim()))
    }

    /// The unit of today's administration that an old unit went into (its main successor).
    /// A unit of the new era is its own successor.
    pub fn successor<'a>(&'a self, id: &'a str) -> Option<&'a Unit> {
        match self.units.get(id)?.era {
            Era::New => self.units.get(id),
            Era::Old => self.units.get(self.successor.get(id)?),
        }
    }

    /// The commune that stood for `commune_id` on date `on`: itself while its era lasts,
    /// its successor after the reform.
    pub fn commune_at<'a>(&'a self, commune_id: &'a str, on: Date) -> Option<&'a Unit> {
        let unit = self.units.get(commune_id)?;
        if unit.era == Era::at(on) {
            Some(unit)
        } else if unit.era == Era::Old {
            self.successor(commune_id)
        } else {
            // A new-era commune before the reform: no predecessor is unique, keep it.
            Some(unit)
        }
    }

    /// The ancestor of `id` at `level` (or the unit itself when it is at that level).
    pub fn ancestor_at_level<'a>(&'a self, id: &'a str, level: Level) -> Option<&'a Unit> {
        let mut unit = self.units.get(id)?;
        loop {
            if unit.level == level {
                return Some(unit);
            }
            unit = self.units.get(unit.parent_id.as_deref()?)?;
        }
    }

    /// The province a unit lies in.
    pub fn province_of<'a>(&'a self, id: &'a str) -> Option<&'a Unit> {
        self.ancestor_at_level(id, Level::Province)
    }

    /// Whether `id` is `ancestor` or lies beneath it.
    pub fn is_within(&self, id: &str, ancestor: &str) -> bool {
        let mut current = self.units.get(id);
        while let Some(unit) = current {
            if unit.id == ancestor {
                return true;
            }
            current = unit.parent_id.as_deref().and_then(|p| self.units.get(p));
        }
        false
    }

    /// Whether a commune (of either era) belongs to the area `area_id` (of either era):
    /// directly, or through the reform mapping in either direction.
    pub fn commune_in_area(&self, commune_id: &str, area_id: &str) -> bool {
        if self.is_within(commune_id, area_id) {
            return true;
        }
        let (Some(commune), Some(area)) = (self.units.get(commune_id), self.units.get(area_id))
        else {
            return false;
        };
        match (commune.era, area.era) {
            // A district has no successor of its own: its province's stands for it.
            (Era::Old, Era::New) if commune.level == Level::District => self
                .province_of(commune_id)
                .and_then(|p| self.successor(&p.id))
                .is_some_and(|s| self.is_within(&s.id, area_id)),
            (Era::Old, Era::New) => self
                .successor(commune_id)
                .is_some_and(|s| self.is_within(&s.id, area_id)),
            (Era::New, Era::Old) if area.level == Level::Province => self
                .successor(area_id)
                .is_some_and(|s| self.is_within(commune_id, &s.id)),
            _ => false,
        }
    }

    /// The reporting area a commune is counted under on a date: its district before the
    /// reform, its (current) commune after it. With `current_units`, history is mapped onto
    /// today's communes. An organisation known only by its old district has its district
    /// before the reform and none after it (no commune of today can be said).
    pub fn reporting_area<'a>(
        &'a self,
        commune_id: &'a str,
        on: Date,
        current_units: bool,
    ) -> Option<&'a Unit> {
        if current_units {
            return self.successor(commune_id);
        }
        let commune = self.commune_at(commune_id, on)?;
        match commune.era {
            Era::Old => self.ancestor_at_level(&commune.id, Level::District),
            Era::New => Some(commune),
        }
    }

    /// Every commune id, of both eras, that belongs to an area by `commune_in_area`: the set a
    /// list filtered by that area keeps. Old districts are in it too, as the places of
    /// organisations known only by their district ([`Unit::is_place`]). Empty for an unknown
    /// id. Computed once per area.
    pub fn communes_in_area(&self, area_id: &str) -> Arc<Vec<String>> {
        if !self.units.contains_key(area_id) {
            return Arc::default();
        }
        // A poisoned lock only means another thread panicked while inserting; the map holds
        // complete answers or none, so it is still good to read.
        let mut reached = self.reached.lock().unwrap_or_else(|e| e.into_inner());
        reached
            .entry(area_id.to_string())
            .or_insert_with(|| {
                let mut ids: Vec<String> = self
                    .units
                    .values()
                    .filter(|u| u.is_place() && self.commune_in_area(&u.id, area_id))
                    .map(|u| u.id.clone())
                    .collect();
                ids.sort();
                Arc::new(ids)
            })
            .clone()
    }

    /// Whether every commune of area `inner` also belongs to area `outer` (both eras).
    pub fn area_within(&self, inner: &str, outer: &str) -> bool {
        if self.is_within(inner, outer) {
            return true;
        }
        let outer_communes = self.communes_in_area(outer);
        let inner_communes = self.communes_in_area(inner);
        !inner_communes.is_empty()
            && inner_communes
                .iter()
                .all(|c| outer_communes.binary_search(c).is_ok())
    }

    /// All communes (of the era of `on`) within an area, for pickers and generators.
    pub fn communes_within(&self, area_id: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack = vec![area_id.to_string()];
        while let Some(id) = stack.pop() {
            for child in self.children(&id) {
                if child.level == Level::Commune {
                    out.push(child);
                } else {
                    stack.push(child.id.clone());
                }
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// All units of one level and era, sorted by code.
    pub fn units_of(&self, era: Era, level: Level) -> Vec<&Unit> {
        let mut out: Vec<&Unit> = self
            .units
            .values()
            .filter(|u| u.era == era && u.level == level)
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_bac_ninh_has_its_eight_district_units() {
        let g = geo();
        let districts: Vec<String> = g.children("old-27").map(|u| u.code.clone()).collect();
        let mut sorted = districts.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["256", "258", "259", "260", "261", "262", "263", "264"]
        );
        assert_eq!(g.unit("old-263").unwrap().full_name(), "Huyện Gia Bình");
    }

    #[test]
    fn the_reform_merges_bac_ninh_and_bac_giang_into_new_code_24() {
        let g = geo();
        assert_eq!(g.successor("old-27").unwrap().id, "new-24");
        assert_eq!(g.successor("old-24").unwrap().id, "new-24");
        assert_eq!(g.communes_within("new-24").len(), 99);
    }

    #[test]
    fn a_commune_is_counted_under_its_district_before_the_reform_and_its_successor_after() {
        let g = geo();
        let commune = g.communes_within("old-263")[0].id.clone();
        let before = g
            .reporting_area(&commune, date!(2022 - 06 - 30), false)
            .unwrap();
        assert_eq!(before.id, "old-263");
        let after = g
            .reporting_area(&commune, date!(2026 - 06 - 30), false)
            .unwrap();
        assert_eq!(after.era, Era::New);
        assert_eq!(after.level, Level::Commune);
        assert!(g.commune_in_area(&commune, "new-24"));
        assert!(g.commune_in_area(&after.id, "old-27"));
        assert!(!g.commune_in_area(&commune, "old-01"));
    }
}
