//! The sector taxonomy: fields of activity grouped as reports group them
//! (nông nghiệp / phi nông nghiệp / tín dụng), mapped to VSIC 2018 sections.
//! The built-in fields are seeded by the migrations; a deployment may add its own.

use crate::domain::text;
use serde::Serialize;

/// The three groups of every Alliance report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectorGroup {
    /// Agriculture, forestry, fisheries, salt, agricultural services.
    Agriculture,
    /// Industry and handicraft, trade, transport, construction, environment, housing, other.
    NonAgriculture,
    /// People's credit funds.
    Credit,
}

impl SectorGroup {
    /// All groups in report order.
    pub const ALL: [SectorGroup; 3] = [Self::Agriculture, Self::NonAgriculture, Self::Credit];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Agriculture => "agriculture",
            Self::NonAgriculture => "non_agriculture",
            Self::Credit => "credit",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<SectorGroup> {
        Self::ALL.into_iter().find(|g| g.code() == s)
    }

    /// Vietnamese label as used in prose ("nông nghiệp").
    pub fn label(self) -> &'static str {
        match self {
            Self::Agriculture => "nông nghiệp",
            Self::NonAgriculture => "phi nông nghiệp",
            Self::Credit => "tín dụng",
        }
    }

    /// English label, for pages in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Agriculture => "agriculture",
            Self::NonAgriculture => "non-agriculture",
            Self::Credit => "credit",
        }
    }
}

/// One field of activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sector {
    /// Stable code (`agri_services`).
    pub code: String,
    pub group: SectorGroup,
    /// Vietnamese name ("Dịch vụ nông nghiệp").
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// How the field qualifies an organisation in prose: "HTX {prose}" → "HTX dịch vụ nông nghiệp".
    pub prose: String,
    /// VSIC 2018 section letter(s).
    pub vsic: String,
    /// Position in lists.
    pub sort: i64,
}

/// The built-in fields: (code, group, Vietnamese, English, prose, VSIC).
pub const BUILT_IN: &[(&str, SectorGroup, &str, &str, &str, &str)] = &[
    (
        "agri_services",
        SectorGroup::Agriculture,
        "Dịch vụ nông nghiệp",
        "Agricultural services",
        "dịch vụ nông nghiệp",
        "A",
    ),
    (
        "agri_specialised",
        SectorGroup::Agriculture,
        "Chuyên ngành nông nghiệp (trồng trọt, chăn nuôi)",
        "Specialised farming",
        "chuyên ngành nông nghiệp",
        "A",
    ),
    (
        "fisheries",
        SectorGroup::Agriculture,
        "Thủy sản",
        "Fisheries",
        "thủy sản",
        "A",
    ),
    (
        "forestry",
        SectorGroup::Agriculture,
        "Lâm nghiệp",
        "Forestry",
        "lâm nghiệp",
        "A",
    ),
    (
        "salt",
        SectorGroup::Agriculture,
        "Diêm nghiệp",
        "Salt production",
        "diêm nghiệp",
        "A",
    ),
    (
        "industry_handicraft",
        SectorGroup::NonAgriculture,
        "Công nghiệp - tiểu thủ công nghiệp",
        "Industry and handicraft",
        "công nghiệp - tiểu thủ công nghiệp",
        "C",
    ),
    (
        "trade",
        SectorGroup::NonAgriculture,
        "Thương mại - dịch vụ",
        "Trade and services",
        "thương mại",
        "G",
    ),
    (
        "transport",
        SectorGroup::NonAgriculture,
        "Giao thông vận tải",
        "Transport",
        "vận tải",
        "H",
    ),
    (
        "construction",
        SectorGroup::NonAgriculture,
        "Xây dựng",
        "Construction",
        "xây dựng",
        "F",
    ),
    (
        "environment",
        SectorGroup::NonAgriculture,
        "Môi trường, vệ sinh môi trường",
        "Environment and sanitation",
        "vệ sinh môi trường",
        "E",
    ),
    (
        "housing",
        SectorGroup::NonAgriculture,
        "Nhà ở",
        "Housing",
        "nhà ở",
        "L",
    ),
    (
        "other",
        SectorGroup::NonAgriculture,
        "Lĩnh vực khác",
        "Other",
        "lĩnh vực khác",
        "S",
    ),
    (
        "credit",
        SectorGroup::Credit,
        "Tín dụng (quỹ tín dụng nhân dân)",
        "Credit (people's credit funds)",
        "tín dụng",
        "K",
    ),
];

/// A reporting group a deployment defines over its fields, as its province reports them
/// ("công thương" = công nghiệp - tiểu thủ công nghiệp + thương mại). A field is in one
/// reporting group at most; the fields in none are reported alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportingGroup {
    /// Stable code (`cong_thuong`).
    pub code: String,
    /// How the group reads in prose: "HTX {name}" → "HTX công thương".
    pub name_vi: String,
    pub name_en: String,
    /// The codes of its fields, in report order.
    pub fields: Vec<String>,
}

impl ReportingGroup {
    /// Whether two groups say the same, whatever the order of their fields (the taxonomy
    /// keeps them in report order, a check in code order).
    pub fn same_as(&self, other: &ReportingGroup) -> bool {
        let sorted = |g: &ReportingGroup| {
            let mut f = g.fields.clone();
            f.sort();
            f
        };
        self.code == other.code
            && self.name_vi == other.name_vi
            && self.name_en == other.name_en
            && sorted(self) == sorted(other)
    }
}

/// One line of a deployment's reporting breakdown: a reporting group, or a field in none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingPart {
    pub code: String,
    /// Prose label ("công thương", "vận tải").
    pub label: String,
    pub label_en: String,
    /// The fields it sums.
    pub fields: Vec<String>,
    /// Whether it is a reporting group (not a field standing alone).
    pub is_group: bool,
}

/// The fields known to a deployment.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    sectors: Vec<Sector>,
    /// Folded names (Vietnamese, English, prose) per sector, for [`Taxonomy::find`].
    keys: Vec<[String; 3]>,
    /// The deployment's reporting groups (none by default).
    groups: Vec<ReportingGroup>,
}

impl Taxonomy {
    /// Builds a taxonomy from rows, ordered by `sort`.
    pub fn new(mut sectors: Vec<Sector>) -> Taxonomy {
        sectors.sort_by_key(|s| (s.group, s.sort));
        let keys = sectors
            .iter()
            .map(|s| {
                [
                    text::fold(&s.name_vi),
                    text::fold(&s.name_en),
                    text::fold(&s.prose),
                ]
            })
            .collect();
        Taxonomy {
            sectors,
            keys,
            groups: Vec::new(),
        }
    }

    /// The same fields with the deployment's reporting groups, each group's fields in
    /// report order.
    pub fn with_reporting_groups(mut self, mut groups: Vec<ReportingGroup>) -> Taxonomy {
        let position = |code: &str| self.sectors.iter().position(|s| s.code == code);
        for g in &mut groups {
            g.fields.retain(|f| position(f).is_some());
            g.fields.sort_by_key(|f| position(f));
        }
        groups.retain(|g| !g.fields.is_empty());
        groups.sort_by_key(|g| position(&g.fields[0]));
        self.groups = groups;
        self
    }

    /// The reporting groups, in report order (by their first field).
    pub fn reporting_groups(&self) -> &[ReportingGroup] {
        &self.groups
    }

    /// The reporting group a field is in, if any.
    pub fn reporting_group_of(&self, field: &str) -> Option<&ReportingGroup> {
        self.groups
            .iter()
            .find(|g| g.fields.iter().any(|f| f == field))
    }

    /// The deployment's reporting breakdown, empty when it defines no reporting group: every
    /// group where its first field stands, and every field in no group alone, so that the
    /// parts cover every field once and their shares add up to the whole.
    pub fn reporting_parts(&self) -> Vec<ReportingPart> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let mut parts: Vec<ReportingPart> = Vec::new();
        for s in &self.sectors {
            match self.reporting_group_of(&s.code) {
                Some(g) if g.fields[0] == s.code => parts.push(ReportingPart {
                    code: g.code.clone(),
                    label: g.name_vi.clone(),
                    label_en: g.name_en.clone(),
                    fields: g.fields.clone(),
                    is_group: true,
                }),
                Some(_) => {}
                None => parts.push(ReportingPart {
                    code: s.code.clone(),
                    label: s.prose.clone(),
                    label_en: s.name_en.clone(),
                    fields: vec![s.code.clone()],
                    is_group: false,
                }),
            }
        }
        parts
    }

    /// The built-in fields alone.
    pub fn built_in() -> Taxonomy {
        Taxonomy::new(
            BUILT_IN
                .iter()
                .enumerate()
                .map(|(i, (code, group, vi, en, prose, vsic))| Sector {
                    code: code.to_string(),
                    group: *group,
                    name_vi: vi.to_string(),
                    name_en: en.to_string(),
                    prose: prose.to_string(),
                    vsic: vsic.to_string(),
                    sort: i as i64 * 10,
                })
                .collect(),
        )
    }

    /// All fields in report order.
    pub fn all(&self) -> &[Sector] {
        &self.sectors
    }

    /// A field by code.
    pub fn get(&self, code: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.code == code)
    }

    /// Finds a field from what a person typed: its code, its Vietnamese or English name or
    /// prose label, accents and case ignored.
    pub fn find(&self, typed: &str) -> Option<&Sector> {
        let key = text::fold(typed);
        self.sectors
            .iter()
            .zip(&self.keys)
            .find(|(s, keys)| s.code == typed.trim() || keys.contains(&key))
            .map(|(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_by_code_or_name_without_accents() {
        let t = Taxonomy::built_in();
        assert_eq!(t.find("trade").unwrap().code, "trade");
        assert_eq!(t.find("dich vu nong nghiep").unwrap().code, "agri_services");
        assert_eq!(t.find("Thương mại").unwrap().code, "trade");
        assert_eq!(t.find("Fisheries").unwrap().group, SectorGroup::Agriculture);
        assert!(t.find("astrology").is_none());
    }

    #[test]
    fn reporting_parts_cover_every_field_once_with_groups_where_their_first_field_stands() {
        let plain = Taxonomy::built_in();
        assert!(plain.reporting_parts().is_empty());
        let t = Taxonomy::built_in().with_reporting_groups(vec![ReportingGroup {
            code: "cong_thuong".into(),
            name_vi: "công thương".into(),
            name_en: "industry and trade".into(),
            fields: vec!["trade".into(), "industry_handicraft".into(), "gone".into()],
        }]);
        let parts = t.reporting_parts();
        let codes: Vec<&str> = parts.iter().map(|p| p.code.as_str()).collect();
        let at = |c: &str| codes.iter().position(|x| *x == c).unwrap();
        assert!(at("salt") + 1 == at("cong_thuong") && at("cong_thuong") + 1 == at("transport"));
        assert!(!codes.contains(&"trade") && !codes.contains(&"industry_handicraft"));
        let covered: usize = parts.iter().map(|p| p.fields.len()).sum();
        assert_eq!(covered, plain.all().len());
        assert_eq!(
            parts[at("cong_thuong")].fields,
            vec!["industry_handicraft", "trade"]
        );
    }
}
