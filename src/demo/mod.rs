//! Demo data: a synthetic but realistic Bắc Ninh registry whose 2022-H1 report reproduces
//! the registry statements of the Alliance's published half-year review (8 July 2022), with
//! a plausible history before it and events up to 2026 across the 2025 reform.
//! Names are made up; figures are plausible; everything is deterministic.

pub mod accounts;
pub mod alliance;
pub mod evaluations;
pub mod fund;
pub mod generate;
pub mod governance;
pub mod rng;

use crate::domain::geo::{Unit, geo};
use crate::domain::plans::Indicator;
use crate::domain::registry::{
    AttributeChanges, Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind, YearFigures,
};
use crate::error::Result;
use crate::store::Store;
use crate::store::registry::{BatchOutcome, NewOrganisation, RegistryBatch};
use crate::store::settings::Deployment;
use rng::Rng;
use std::collections::{HashMap, HashSet};
use time::{Date, macros::date};

/// The province of the demo: old Bắc Ninh (code 27), eight district units before 2025.
pub const DEMO_AREA: &str = "old-27";

/// The proposals the demo report carries (free text, kept with the report).
pub const PROPOSALS: &str = "Đề nghị UBND tỉnh chỉ đạo các sở, ngành phối hợp xây dựng 10 HTX theo Quyết định số 1804/QĐ-TTg ngày 13/11/2020 của Thủ tướng Chính phủ; sớm thông qua sửa đổi Nghị quyết số 147/NQ-HĐND về chính sách hỗ trợ phát triển nông nghiệp, nông thôn; đề nghị các huyện, thị xã, thành phố rà soát các HTX hoạt động kém hiệu quả và báo cáo Ban Chỉ đạo tỉnh.";

/// The seed's document date, used as the demo report's header date.
pub const SEED_REPORT_DATE: Date = date!(2022 - 07 - 08);

/// How many of each sector were alive at the end of 2021 (HTX and QTDND).
const HTX_END_2021: &[(&str, usize)] = &[
    ("agri_services", 362),
    ("agri_specialised", 148),
    ("fisheries", 18),
    ("industry_handicraft", 30),
    ("trade", 28),
    ("transport", 18),
    ("construction", 10),
    ("environment", 16),
    ("housing", 2),
    ("other", 8),
];
const QTDND_END_2021: usize = 26;
/// THT alive at the end of 2021 and on 30/6/2022, besides those converted from HTX.
const THT_END_2021: &[(&str, usize)] = &[
    ("agri_services", 146),
    ("agri_specialised", 60),
    ("environment", 3),
    ("industry_handicraft", 4),
];
/// HTX reorganised into THT before 2022 (their THT count among the agricultural THT).
const CONVERSIONS: usize = 10;

const VILLAGES: &[&str] = &[
    "Đông",
    "Đoài",
    "Nam",
    "Bắc",
    "Thượng",
    "Hạ",
    "Trung",
    "An",
    "Hòa",
    "Phú",
    "Lạc",
    "Thọ",
    "Xuân",
    "Thịnh",
    "Hưng",
    "Yên",
    "Quang",
    "Tiến",
    "Minh",
    "Đức",
];

/// What the demo wrote.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub outcome: BatchOutcome,
    /// Loans and loan transactions.
    pub loans: usize,
    pub loan_transactions: usize,
}

/// The deployment settings of the demo Alliance.
pub fn deployment() -> Deployment {
    Deployment {
        area: DEMO_AREA.into(),
        parent_body: "LIÊN MINH HTX VIỆT NAM".into(),
        issuing_body: "LIÊN MINH HTX TỈNH BẮC NINH".into(),
        issuer_code: "LMHTX".into(),
        place: "Bắc Ninh".into(),
        signer_capacity: "TM. BAN THƯỜNG VỤ".into(),
        signer_position: "CHỦ TỊCH".into(),
        signer_name: "Nguyễn Văn Minh".into(),
        recipients: vec![
            "- Liên minh HTX Việt Nam;".into(),
            "- Thường trực Tỉnh ủy, HĐND, UBND tỉnh;".into(),
            "- Sở Kế hoạch và Đầu tư;".into(),
            "- Ban Thường vụ Liên minh HTX tỉnh;".into(),
            "- Lưu: VT.".into(),
        ],
        ..Deployment::default()
    }
}

/// Builds the demo registry into an empty store.
pub async fn build(store: &Store, author: &str) -> Result<DemoSummary> {
    store.set_deployment(&deployment(), author).await?;
    let batch = Builder::new().registry();
    let outcome = store.apply_batch(&batch, author, "demo").await?;
    let (loans, loan_transactions) = fund::build(store, author, crate::domain::today()).await?;
    alliance::build(store, author).await?;
    governance::build(store, author).await?;
    evaluations::build(store, author).await?;
    for (period, targets) in [
        ("2022-H1", vec![(Indicator::NewHtx, 15)]),
        (
            "2022",
            vec![
                (Indicator::NewHtx, 30),
                (Indicator::FundDisbursed, 5_000_000_000),
                (Indicator::TrainingClasses, 8),
                (Indicator::NewMembers, 10),
            ],
        ),
        (
            "2022-H2",
            vec![
                (Indicator::NewHtx, 15),
                (Indicator::TrainingClasses, 4),
                (Indicator::NewMembers, 6),
                (Indicator::FundDisbursed, 2_950_000_000),
            ],
        ),
    ] {
        store
            .set_plan(
                &crate::store::plans::Plan {
                    period: period.into(),
                    title: format!(
                        "kế hoạch hoạt động {} của Liên minh HTX tỉnh",
                        crate::domain::period::Period::parse(period)?.label
                    ),
                    reference: "KH số 05/KH-LMHTX ngày 10/01/2022".into(),
                    targets,
                },
                author,
            )
            .await?;
    }
    Ok(DemoSummary {
        outcome,
        loans,
        loan_transactions,
    })
}

struct Builder {
    rng: Rng,
    communes: Vec<&'static Unit>,
    names: HashSet<String>,
    serial: HashMap<String, usize>,
    batch: RegistryBatch,
    /// (code, kind, sector, established, ended) of every organisation, for later events.
    orgs: Vec<Demo>,
}

#[derive(Clone)]
struct Demo {
    code: String,
    kind: OrgKind,
    sector: String,
    commune: String,
    established: Date,
    ended: Option<Date>,
    ceased: bool,
}

fn label(sector: &str) -> &'static str {
    match sector {
        "agri_services" => "Dịch vụ nông nghiệp",
        "agri_specialised" => "Rau an toàn",
        "fisheries" => "Thủy sản",
        "industry_handicraft" => "Tiểu thủ công nghiệp",
        "trade" => "Thương mại dịch vụ",
        "transport" => "Vận tải",
        "construction" => "Xây dựng",
        "environment" => "Vệ sinh môi trường",
        "housing" => "Nhà ở",
        "credit" => "",
        _ => "Dịch vụ tổng hợp",
    }
}

impl Builder {
    fn new() -> Builder {
        Builder {
            rng: Rng::new(0x4254_4E49_4E48),
            communes: geo().communes_within(DEMO_AREA),
            names: HashSet::new(),
            serial: HashMap::new(),
            batch: RegistryBatch::default(),
            orgs: Vec::new(),
        }
    }

    fn registry(mut self) -> RegistryBatch {
        let before_2022 = (date!(1997 - 01 - 01), date!(2021 - 12 - 31));
        // Cooperatives alive at the end of 2021; some founded in H1 2021 for comparisons.
        for (sector, n) in HTX_END_2021 {
            for i in 0..*n {
                let when = if i % 40 == 7 {
                    self.rng.date(date!(2021 - 01 - 05), date!(2021 - 06 - 28))
                } else if *sector == "agri_services" {
                    self.rng.date(date!(1997 - 06 - 01), date!(2003 - 12 - 31))
                } else {
                    self.rng.date(date!(2002 - 01 - 01), date!(2021 - 12 - 20))
                };
                let idx = self.add(OrgKind::Htx, sector, when, None);
                if i % 60 == 11 {
                    // Ceased before 2022 but not dissolved: still counted.
                    let d = self.rng.date(date!(2019 - 01 - 01), date!(2021 - 10 - 31));
                    self.event(
                        idx,
                        EventKind::Ceased,
                        d.max(when + time::Duration::days(30)),
                    );
                    self.orgs[idx].ceased = true;
                }
            }
        }
        for _ in 0..QTDND_END_2021 {
            let when = self.rng.date(date!(1995 - 01 - 01), date!(2005 - 12 - 31));
            self.add(OrgKind::Qtdnd, "credit", when, None);
        }
        for (sector, n) in THT_END_2021 {
            for _ in 0..*n {
                let when = self.rng.date(date!(2008 - 01 - 01), date!(2021 - 11 - 30));
                self.add(OrgKind::Tht, sector, when, None);
            }
        }
        // History: cooperatives dissolved before 2022, some reorganised into THT.
        for i in 0..30 {
            let sector = if i < 20 {
                "agri_services"
            } else {
                *self
                    .rng
                    .pick(&["trade", "transport", "industry_handicraft"])
            };
            let founded = self.rng.date(date!(1997 - 01 - 01), date!(2008 - 12 - 31));
            let ended = self.rng.date(
                date!(2012 - 01 - 01),
                before_2022.1 - time::Duration::days(20),
            );
            let idx = self.add(OrgKind::Htx, sector, founded, None);
            if i < CONVERSIONS {
                let tht = self.add(
                    OrgKind::Tht,
                    "agri_services",
                    ended,
                    Some(self.orgs[idx].commune.clone()),
                );
                let code = self.orgs[tht].code.clone();
                self.event_with(idx, EventKind::Converted, ended, |p| {
                    p.related = vec![code.clone()]
                });
            } else {
                self.event(idx, EventKind::Dissolved, ended);
            }
        }
        for _ in 0..5 {
            let founded = self.rng.date(date!(2009 - 01 - 01), date!(2014 - 12 - 31));
            let idx = self.add(OrgKind::Tht, "agri_specialised", founded, None);
            let ended = self.rng.date(date!(2016 - 01 - 01), date!(2020 - 12 - 31));
            self.event(idx, EventKind::Dissolved, ended);
        }
        // A few renames and temporary suspensions before 2022 (they change no count).
        for k in 0..25 {
            let idx = (k * 23) % 600;
            let o = self.orgs[idx].clone();
            if o.ended.is_some() || o.ceased || o.kind != OrgKind::Htx {
                continue;
            }
            let d = self.rng.date(
                o.established + time::Duration::days(200),
                date!(2021 - 09 - 30),
            );
            if d <= o.established {
                continue;
            }
            if k % 2 == 0 {
                let new_name =
                    format!("{} (đổi tên)", self.name_of(idx)).replace(" (đổi tên)", " Xanh");
                let new_name = self.unique(new_name);
                self.event_with(idx, EventKind::Changed, d, |p| {
                    p.changes.name = Some(new_name.clone())
                });
            } else {
                self.event(idx, EventKind::Suspended, d);
                self.event(idx, EventKind::Resumed, d + time::Duration::days(120));
            }
        }
        self.first_half_2022();
        self.later_years();
        self.figures();
        self.batch
    }

    /// The seed's H1 2022: 13 founded (9 specialised farming, 1 agricultural services,
    /// 3 trade), 1 ceased, 1 dissolved (a non-agricultural one).
    fn first_half_2022(&mut self) {
        let founded = [("agri_specialised", 9), ("agri_services", 1), ("trade", 3)];
        for (sector, n) in founded {
            for _ in 0..n {
                let when = self.rng.date(date!(2022 - 01 - 10), date!(2022 - 06 - 25));
                self.add(OrgKind::Htx, sector, when, None);
            }
        }
        let ceased = self.find(|o| {
            o.kind == OrgKind::Htx
                && o.sector == "agri_services"
                && o.ended.is_none()
                && !o.ceased
                && o.established < date!(2010 - 01 - 01)
        });
        self.event(ceased, EventKind::Ceased, date!(2022 - 03 - 15));
        self.orgs[ceased].ceased = true;
        let dissolved = self.find(|o| {
            o.kind == OrgKind::Htx
                && o.sector == "transport"
                && o.ended.is_none()
                && !o.ceased
                && o.established < date!(2015 - 01 - 01)
        });
        self.event(dissolved, EventKind::Dissolved, date!(2022 - 05 - 20));
    }

    /// Plausible activity from July 2022 to September 2026, across the 2025 reform.
    fn later_years(&mut self) {
        let halves = [
            (date!(2022 - 07 - 01), date!(2022 - 12 - 31)),
            (date!(2023 - 01 - 01), date!(2023 - 06 - 30)),
            (date!(2023 - 07 - 01), date!(2023 - 12 - 31)),
            (date!(2024 - 01 - 01), date!(2024 - 06 - 30)),
            (date!(2024 - 07 - 01), date!(2024 - 12 - 31)),
            (date!(2025 - 01 - 01), date!(2025 - 06 - 30)),
            (date!(2025 - 07 - 01), date!(2025 - 12 - 31)),
            (date!(2026 - 01 - 01), date!(2026 - 06 - 30)),
            (date!(2026 - 07 - 01), date!(2026 - 09 - 30)),
        ];
        let sectors = [
            "agri_specialised",
            "agri_services",
            "trade",
            "industry_handicraft",
            "environment",
            "fisheries",
            "transport",
        ];
        for (start, end) in halves {
            let n = self.rng.range(6, 15);
            for _ in 0..n {
                let sector = *self.rng.pick(&sectors);
                let when = self.rng.date(start, end);
                let kind = if self.rng.chance(15) {
                    OrgKind::Tht
                } else {
                    OrgKind::Htx
                };
                self.add(kind, sector, when, None);
            }
            for _ in 0..self.rng.range(1, 3) {
                let candidates: Vec<usize> = (0..self.orgs.len())
                    .filter(|&i| {
                        let o = &self.orgs[i];
                        o.ended.is_none()
                            && o.kind == OrgKind::Htx
                            && o.established < start - time::Duration::days(365)
                    })
                    .collect();
                let idx = *self.rng.pick(&candidates);
                let when = self.rng.date(start, end);
                let kind = if self.rng.chance(70) {
                    EventKind::Dissolved
                } else {
                    EventKind::Ceased
                };
                if kind == EventKind::Ceased && self.orgs[idx].ceased {
                    continue;
                }
                self.event(idx, kind, when);
                if kind == EventKind::Ceased {
                    self.orgs[idx].ceased = true;
                }
            }
        }
        // After the reform some cooperatives re-register under the 2023 law at their new commune.
        for k in 0..12 {
            let idx = (k * 37 + 5) % 700;
            let o = self.orgs[idx].clone();
            if o.ended.is_some() || o.established >= date!(2025 - 07 - 01) {
                continue;
            }
            let Some(new_commune) = geo().successor(&o.commune) else {
                continue;
            };
            let when = self.rng.date(date!(2025 - 08 - 01), date!(2026 - 06 - 30));
            let commune = new_commune.id.clone();
            self.event_with(idx, EventKind::Reregistered, when, |p| {
                p.changes.law = Some(2023);
                p.changes.commune = Some(commune.clone());
            });
        }
    }

    /// Yearly figures 2020–2025 of every cooperative alive at each year's end.
    fn figures(&mut self) {
        for year in 2020..=2025 {
            let end = day(year, 12, 31);
            for i in 0..self.orgs.len() {
                let o = self.orgs[i].clone();
                if o.kind == OrgKind::Tht
                    || o.established > end
                    || o.ended.is_some_and(|e| e <= end)
                {
                    continue;
                }
                let (members, workers, capital) = match (o.kind, o.sector.as_str()) {
                    (OrgKind::Qtdnd, _) => (
                        self.rng.range(800, 4_500),
                        self.rng.range(6, 18),
                        self.rng.range(3_000, 12_000),
                    ),
                    (_, "agri_services") => (
                        self.rng.range(150, 1_800),
                        self.rng.range(5, 25),
                        self.rng.range(300, 3_000),
                    ),
                    _ => (
                        self.rng.range(7, 60),
                        self.rng.range(5, 40),
                        self.rng.range(200, 4_000),
                    ),
                };
                let million = 1_000_000;
                let revenue = capital * million * self.rng.range(60, 220) / 100;
                self.batch.figures.push((
                    o.code.clone(),
                    YearFigures {
                        year,
                        official_members: Some(members),
                        associate_members: Some(members * self.rng.range(0, 8) / 100),
                        workers: Some(workers),
                        charter_capital: Some(capital * million),
                        total_assets: Some(capital * million * self.rng.range(130, 260) / 100),
                        revenue: Some(revenue),
                        profit: Some(revenue * self.rng.range(-3, 12) / 100),
                        average_income: Some(self.rng.range(48, 96) * million),
                        ..YearFigures::default()
                    },
                ));
            }
        }
    }

    #[allow(
        clippy::expect_used,
        reason = "the demo's fixed registry has a candidate for every story; the demo test builds it"
    )]
    fn find(&mut self, pred: impl Fn(&Demo) -> bool) -> usize {
        (0..self.orgs.len())
            .find(|&i| pred(&self.orgs[i]))
            .expect("demo has a candidate")
    }

    fn name_of(&self, idx: usize) -> String {
        let code = &self.orgs[idx].code;
        self.batch
            .organisations
            .iter()
            .find(|o| &o.reg_code == code)
            .and_then(|o| o.established.payload.attributes.as_ref())
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    fn unique(&mut self, name: String) -> String {
        let mut candidate = name.clone();
        let mut n = 2;
        while !self.names.insert(candidate.clone()) {
            candidate = format!("{name} {n}");
            n += 1;
        }
        candidate
    }

    /// Adds an organisation established on `when` in a random commune (or the given one).
    #[allow(
        clippy::expect_used,
        reason = "the demo's communes are fixed codes of the shipped map; the demo test builds them"
    )]
    fn add(&mut self, kind: OrgKind, sector: &str, when: Date, commune: Option<String>) -> usize {
        let commune = match commune {
            Some(c) => c,
            None => {
                let c = self.rng.pick(&self.communes).id.clone();
                if when >= crate::domain::geo::REFORM_DATE {
                    geo().successor(&c).map(|s| s.id.clone()).unwrap_or(c)
                } else {
                    c
                }
            }
        };
        let g = geo();
        let commune_unit = g.unit(&commune).expect("demo communes exist");
        let place = commune_unit.name.clone();
        let village = *self.rng.pick(VILLAGES);
        let base = match kind {
            OrgKind::Qtdnd => format!("Quỹ tín dụng nhân dân {place}"),
            OrgKind::Tht => format!(
                "Tổ hợp tác {} thôn {village}, {place}",
                label(sector).to_lowercase()
            ),
            _ => format!("HTX {} {village} {place}", label(sector)),
        };
        let name = self.unique(base);
        let district = commune_unit
            .parent_id
            .as_deref()
            .and_then(|p| g.unit(p))
            .map(|u| u.code.clone())
            .unwrap_or_else(|| "000".into());
        let district = if district.len() == 2 {
            format!("0{district}")
        } else {
            district
        };
        let prefix = if kind == OrgKind::Tht {
            format!("27{district}T")
        } else {
            format!("27{district}")
        };
        let serial = self.serial.entry(prefix.clone()).or_insert(0);
        *serial += 1;
        let code = if kind == OrgKind::Tht {
            format!("{prefix}{serial:04}")
        } else {
            format!("{prefix}{serial:05}")
        };
        let law = if when >= date!(2024 - 07 - 01) {
            2023
        } else {
            2012
        };
        let attributes = Attributes {
            name,
            address: format!("Thôn {village}, {}", commune_unit.full_name()),
            commune,
            sector: sector.to_string(),
            registering_body: match kind {
                OrgKind::Tht => format!("UBND {}", commune_unit.full_name()),
                OrgKind::Qtdnd | OrgKind::Lhhtx => "Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh".into(),
                OrgKind::Htx => "Phòng Tài chính - Kế hoạch".into(),
            },
            law,
            flags: ModelFlags {
                new_type: self.rng.chance(3),
                high_tech: sector == "agri_specialised" && self.rng.chance(10),
                value_chain: self.rng.chance(8),
                ocop: self.rng.chance(4),
            },
            representative: String::new(),
        };
        self.batch.organisations.push(NewOrganisation {
            kind,
            reg_code: code.clone(),
            established: Event {
                id: 0,
                kind: EventKind::Established,
                effective: when,
                payload: EventPayload {
                    attributes: Some(attributes),
                    ..EventPayload::default()
                },
            },
        });
        self.orgs.push(Demo {
            code,
            kind,
            sector: sector.to_string(),
            commune: self
                .batch
                .organisations
                .last()
                .and_then(|o| o.established.payload.attributes.as_ref())
                .map(|a| a.commune.clone())
                .unwrap_or_default(),
            established: when,
            ended: None,
            ceased: false,
        });
        self.orgs.len() - 1
    }

    fn event(&mut self, idx: usize, kind: EventKind, when: Date) {
        self.event_with(idx, kind, when, |_| {});
    }

    fn event_with(
        &mut self,
        idx: usize,
        kind: EventKind,
        when: Date,
        fill: impl FnOnce(&mut EventPayload),
    ) {
        let mut payload = EventPayload {
            changes: AttributeChanges::default(),
            ..EventPayload::default()
        };
        fill(&mut payload);
        if matches!(
            kind,
            EventKind::Dissolved | EventKind::Converted | EventKind::Bankrupt
        ) {
            self.orgs[idx].ended = Some(when);
        }
        if kind == EventKind::Resumed {
            self.orgs[idx].ceased = false;
        }
        self.batch.events.push((
            self.orgs[idx].code.clone(),
            Event {
                id: 0,
                kind,
                effective: when,
                payload,
            },
        ));
    }
}

/// A date of the demo's fixed calendar (months 1–12, days within the month).
#[allow(
    clippy::expect_used,
    reason = "called with the demo's constant dates only, all built by the demo test"
)]
pub(crate) fn day(year: i32, month: u8, day: u8) -> Date {
    let month = time::Month::January.nth_next(month.saturating_sub(1));
    Date::from_calendar_date(year, month, day).expect("a date of the demo calendar")
}
