//! The report's prose is right in every case: for many random small registries of random
//! provinces (both eras, any mix of kinds, blanks among the figures, with or without a fund, an
//! Alliance's work and a plan) and random periods of every form, every sentence is checked
//! against patterns a reader would stumble on ("00 HTX", "0 đồng", "Trong từ…", a missing
//! figure printed as "–"), and every number the prose states must be one of the numbers of
//! the report's JSON. The registries are seeded, so a failure names a case that can be rerun;
//! `HTX_PROSE_CASES` asks for more cases than the default.

use crate::support::TestDb;
use htx::app::alliance::{ActivityInput, MembershipInput, add_activity};
use htx::app::fund::{CapitalInput, LoanInput, LoanTxInput};
use htx::app::plans::{PlanInput, PlanTargetInput, set_plan};
use htx::app::registry::{EventInput, FiguresInput, RegisterInput, record_event, register};
use htx::demo::rng::Rng;
use htx::domain::access::{Access, Role};
use htx::domain::geo::{Era, Level, geo};
use htx::domain::period::Period;
use htx::domain::text;
use htx::report::figures::{ReportRequest, build};
use htx::report::markdown::{DEFAULT_TEMPLATE, render};
use htx::store::settings::Deployment;
use serde_json::Value;
use time::Date;
use time::macros::date;

/// The default number of random registries (each reported for several periods).
const CASES: u64 = 10;
const PERIODS_PER_CASE: usize = 4;
const LAST_DAY: Date = date!(2026 - 11 - 30);

// ---------------------------------------------------------------------------------------------
// What a sentence must not say
// ---------------------------------------------------------------------------------------------

/// Units a count is followed by in the prose: a zero before one of them should be said in
/// words ("không có HTX giải thể"), never as "0 HTX" or "00 HTX".
const UNITS: [&str; 16] = [
    "HTX",
    "THT",
    "LHHTX",
    "liên hiệp",
    "quỹ",
    "tổ hợp tác",
    "tổ chức",
    "đồng",
    "thành viên",
    "người",
    "lớp",
    "lượt",
    "bên vay",
    "khoản vay",
    "hợp tác xã",
    "đơn",
];

/// What is wrong with one line of prose, if anything.
fn stumbles(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut say = |what: &str| found.push(format!("{what}: {line}"));
    for literal in [
        "Trong từ",
        "trong từ",
        "None",
        "null",
        "undefined",
        "NaN",
        "{{",
        "}}",
        "{%",
        "  ",
        " ,",
        " .",
        " ;",
        ",,",
        ", .",
        "..",
        "( ",
        " )",
        "()",
        "–%",
        "(–",
        "chiếm –",
        "đạt –",
        ": .",
        ":.",
        ": ;",
        "gồm .",
        // A people's credit fund is named as one, not as "an HTX of credit".
        "HTX tín dụng",
    ] {
        if line.contains(literal) {
            say(&format!("\"{literal}\""));
        }
    }
    // A zero count or amount: "0 HTX", "00 HTX", "0 đồng".
    let words: Vec<&str> = line.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_start_matches('(');
        if !bare.is_empty() && bare.chars().all(|c| c == '0') {
            let rest = words[i + 1..].join(" ");
            if UNITS.iter().any(|u| rest.starts_with(u)) {
                let unit = words[i + 1].trim_end_matches([',', '.', ';', ')']);
                say(&format!("zero said as \"{bare} {unit}\""));
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Every number of the prose is a number of the JSON
// ---------------------------------------------------------------------------------------------

/// The numbers of a JSON document, and its strings (with the dd/mm/yyyy form of every ISO date).
fn json_values(v: &Value, numbers: &mut Vec<f64>, strings: &mut Vec<String>) {
    match v {
        Value::Number(n) => numbers.extend(n.as_f64()),
        Value::String(s) => {
            if let Ok(day) = htx::domain::parse_date(s)
                && s.len() == 10
            {
                strings.push(text::date(day));
            }
            strings.push(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| json_values(x, numbers, strings)),
        Value::Object(o) => {
            for (key, x) in o {
                // A map by year ({"2023": 412}) holds its years as keys.
                numbers.extend(key.parse::<f64>().ok());
                json_values(x, numbers, strings);
            }
        }
        _ => {}
    }
}

/// The phrases of the template's own text that hold a digit ("Thông tư 01/2020/TT-BKHĐT",
/// "dưới 12 tháng"), each with the words either side: the prose may say them as written.
fn template_phrases(template: &str) -> Vec<String> {
    let mut literal = String::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{']) {
        literal.push_str(&rest[..open]);
        literal.push(' ');
        let close = match &rest[open..open + 2.min(rest.len() - open)] {
            "{{" => "}}",
            "{%" => "%}",
            "{#" => "#}",
            _ => {
                rest = &rest[open + 1..];
                continue;
            }
        };
        match rest[open..].find(close) {
            Some(end) => rest = &rest[open + end + 2..],
            None => break,
        }
    }
    literal.push_str(rest);
    let mut phrases = Vec::new();
    for line in literal.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            if w.chars().any(|c| c.is_ascii_digit()) {
                let from = i.saturating_sub(1);
                let to = (i + 2).min(words.len());
                phrases.push(words[from..to].join(" "));
                phrases.push(w.to_string());
            }
        }
    }
    phrases.retain(|p| {
        // A bare number ("12") alone would excuse every 12; keep it only with its words.
        !p.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    });
    phrases
}

/// Reads "1.234" (thousands with points) or "79,4" (a decimal comma) as a number.
fn read_number(token: &str) -> Option<f64> {
    let t = token.trim_matches(|c: char| !c.is_ascii_digit());
    if t.is_empty() {
        return None;
    }
    let (whole, tenths) = match t.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let whole: f64 = whole.replace('.', "").parse().ok()?;
    match tenths {
        Some(f) => Some(whole + format!("0.{f}").parse::<f64>().ok()?),
        None => Some(whole),
    }
}

/// The amounts a line says in words ("1.342 tỷ 336 triệu đồng", "950 triệu đồng",
/// "3,3 tỷ đồng"), as (value, how far it may be from the figure it rounds), with the line
/// left once they are taken out.
fn money_in(line: &str) -> (Vec<(f64, f64)>, String) {
    let words: Vec<&str> = line.split(' ').collect();
    let mut amounts = Vec::new();
    let mut left: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        let mut value = 0.0;
        let mut rounded = false;
        let mut smallest = f64::MAX;
        let mut parts = 0;
        while j + 1 < words.len() {
            let Some(n) = read_number(words[j]) else {
                break;
            };
            let scale = match words[j + 1].trim_end_matches([',', '.', ';', ')']) {
                "tỷ" => 1e9,
                "triệu" => 1e6,
                "nghìn" => 1e3,
                "đồng" | "đồng/người/năm" => 1.0,
                _ => break,
            };
            rounded |= words[j].contains(',');
            smallest = smallest.min(scale);
            value += n * scale;
            parts += 1;
            j += 2;
            if scale == 1.0 {
                break;
            }
        }
        let ends_in_dong = parts > 0
            && words[j - 1]
                .trim_end_matches([',', '.', ';', ')'])
                .starts_with("đồng");
        let ends_before_dong = parts > 0
            && words
                .get(j)
                .is_some_and(|w| w.trim_end_matches([',', '.', ';', ')']).starts_with("đồng"));
        if parts > 0 && (ends_in_dong || ends_before_dong) {
            // "3,3 tỷ" is rounded to a tenth of its unit; "1.922 tỷ 862 triệu" may be rounded
            // to its last unit (money_approx); an amount to the đồng is exact.
            let tolerance = if rounded {
                smallest / 20.0
            } else if smallest >= 1e6 {
                smallest / 2.0
            } else {
                0.5
            };
            // "lỗ 500 triệu đồng" is a profit of minus 500 million; "âm" is a minus sign.
            if i > 0 && matches!(words[i - 1], "lỗ" | "âm") {
                value = -value;
            }
            amounts.push((value, tolerance));
            i = j;
        } else {
            left.push(words[i]);
            i += 1;
        }
    }
    (amounts, left.join(" "))
}

/// The line without each whole occurrence of a phrase (not a part of a longer number:
/// a name "9" is no excuse for the 9 of "59 tỷ").
fn without_phrase(line: &str, phrase: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(phrase) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + phrase.len()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        out.push_str(&rest[..at]);
        if glued(before) || glued(after) {
            out.push_str(phrase);
        } else {
            out.push(' ');
        }
        rest = &rest[at + phrase.len()..];
    }
    out.push_str(rest);
    out
}

/// The numbers a line states that are none of the JSON's, with the reason.
fn unexplained(line: &str, numbers: &[f64], excused: &[String]) -> Vec<String> {
    let mut line = line.to_string();
    for phrase in excused {
        if phrase.chars().any(|c| c.is_ascii_digit()) && line.contains(phrase.as_str()) {
            line = without_phrase(&line, phrase);
        }
    }
    let known = |v: f64, tolerance: f64| numbers.iter().any(|n| (n - v).abs() <= tolerance);
    let mut found = Vec::new();
    let (amounts, line) = money_in(&line);
    for (v, tolerance) in amounts {
        if !known(v, tolerance) {
            found.push(format!("{v} đồng"));
        }
    }
    for token in line.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        let Some(v) = read_number(token) else {
            continue;
        };
        // A share "79,4%" is a JSON ratio rounded to a tenth; a count is exact.
        let tolerance = if token.contains('%') || token.contains(',') {
            0.05
        } else {
            0.0
        };
        let percent_of_fraction = token.contains('%') && known(v / 100.0, 0.0005);
        if !known(v, tolerance) && !percent_of_fraction {
            found.push(token.to_string());
        }
    }
    found
}

/// Every problem of a report: its stumbles and the numbers the JSON does not hold.
fn problems(md: &str, json: &Value) -> Vec<String> {
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    json_values(json, &mut numbers, &mut strings);
    // A change is said as its size ("giảm 02 HTX", "giảm 2 tỷ đồng").
    let sizes: Vec<f64> = numbers.iter().filter(|n| **n < 0.0).map(|n| -n).collect();
    numbers.extend(sizes);
    // A label may open a sentence ("Từ tháng 02 đến tháng 05 năm 2024").
    let capitalised: Vec<String> = strings.iter().map(|s| text::capitalise(s)).collect();
    strings.extend(capitalised);
    strings.extend(template_phrases(DEFAULT_TEMPLATE));
    // Longest first, so that a phrase is taken out before a part of it.
    strings.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    let mut out = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("|---") {
            continue;
        }
        // Table cells are numbers printed with points; the rules of a sentence do not apply.
        let unescaped = trimmed.replace('\\', "");
        if !trimmed.starts_with('|') {
            out.extend(stumbles(&unescaped));
        }
        let text = unescaped.replace("**", "").replace('|', " ");
        let text = text.trim_start_matches("- ");
        for n in unexplained(text, &numbers, &strings) {
            out.push(format!("\"{n}\" is not a number of the JSON: {trimmed}"));
        }
    }
    out
}

#[test]
fn the_checks_can_fail() {
    let json = serde_json::json!({
        "a": [0, 2, 12, 0.794, 2_050_000_000i64, 1_922_862_400_000i64],
        "d": "2022-06-30"
    });
    let md = "Có 00 HTX giải thể.\nDoanh thu 0 đồng.\nTrong từ tháng 02 có 12 HTX.\n\
              Có 13 HTX, chiếm 79,4%, giải ngân 2 tỷ 50 triệu đồng, dư nợ 3 tỷ đồng.\n\
              Tính đến ngày 30/06/2022 có 12 HTX, doanh thu 1.922 tỷ 862 triệu đồng.";
    let found = problems(md, &json);
    // Each problem is "reason: line"; the assertions look at the reasons.
    let has = |s: &str| {
        found.iter().any(|p| {
            p.split_once(": ")
                .is_some_and(|(reason, _)| reason.contains(s))
        })
    };
    assert!(has("zero said as \"00 HTX\""), "{found:#?}");
    assert!(has("zero said as \"0 đồng\""), "{found:#?}");
    assert!(has("\"Trong từ\""), "{found:#?}");
    assert!(has("\"13\" is not"), "{found:#?}");
    assert!(has("\"3000000000 đồng\" is not"), "{found:#?}");
    assert!(!has("79,4"), "{found:#?}");
    assert!(!has("2050000000"), "{found:#?}");
    assert!(!has("30/06/2022"), "{found:#?}");
    assert!(!has("1922862000000"), "{found:#?}");
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[tokio::test]
async fn the_demo_reports_say_only_the_numbers_of_their_json() {
    let db = TestDb::demo().await;
    let mut found = Vec::new();
    for period in ["2022-H1", "2021", "2022-Q2", "2022-01..2022-04"] {
        let req = ReportRequest {
            compare_same_period: true,
            ..ReportRequest::of(Period::parse(period).unwrap())
        };
        found.extend(
            report_problems(&db, &req)
                .await
                .into_iter()
                .map(|p| format!("{period}: {p}")),
        );
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn a_deployment_that_writes_billions_gets_rounded_amounts_summed_from_the_same_data() {
    let db = TestDb::demo().await;
    let mut settings = db.store.deployment().await.unwrap();
    settings.money_in_prose = htx::domain::text::MoneyInProse::Billions;
    db.store.set_deployment(&settings, "admin").await.unwrap();
    let req = ReportRequest::of(Period::parse("2022-H1").unwrap());
    let figures = build(&db.store, &req).await.unwrap();
    let md = render(&figures, None).unwrap();
    for said in [
        "giải ngân cho 05 HTX với số tiền 2,1 tỷ đồng",
        "dư nợ là 24,2 tỷ đồng với 63 HTX vay vốn, giảm 2,3 tỷ đồng so với năm 2021 (26,5 tỷ đồng)",
        "Vốn điều lệ của Quỹ là 30 tỷ đồng (khi thành lập ngày 01/06/2015: 20 tỷ đồng)",
        "tổng vốn điều lệ 1.342,3 tỷ đồng",
        "thu lãi 792 triệu đồng",
    ] {
        assert!(md.contains(said), "{said}\n{md}");
    }
    let json = serde_json::to_value(&figures).unwrap();
    assert_eq!(json["money_in_prose"], "billions");
    // Rounded, but every amount is still one of the JSON's.
    let found = problems(&md, &json);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn a_deployment_that_names_every_field_gets_them_in_the_prose() {
    let db = TestDb::demo().await;
    let mut settings = db.store.deployment().await.unwrap();
    settings.fields_in_prose = true;
    db.store.set_deployment(&settings, "admin").await.unwrap();
    let req = ReportRequest::of(Period::parse("2022-H1").unwrap());
    let figures = build(&db.store, &req).await.unwrap();
    let md = render(&figures, None).unwrap();
    let htx = md
        .lines()
        .find(|l| l.starts_with("Trong 678 HTX hiện có"))
        .unwrap_or_else(|| panic!("{md}"));
    let fields: Vec<&str> = figures
        .registry
        .htx
        .by_field
        .iter()
        .filter(|f| f.end > 0 && f.code != "credit")
        .map(|f| f.label.as_str())
        .collect();
    assert!(fields.len() > 3, "{fields:?}");
    for label in fields {
        assert!(
            htx.contains(&format!("HTX hoạt động trong lĩnh vực {label},")),
            "{label}: {htx}"
        );
    }
    assert!(htx.contains("quỹ tín dụng nhân dân"), "{htx}");
    // THT by every field, agricultural ones too, and no "còn lại là … nông nghiệp".
    let tht = md.lines().find(|l| l.contains("tổ hợp tác (THT)")).unwrap();
    assert!(!tht.contains("còn lại là"), "{tht}");
    for f in figures.registry.tht.by_field.iter().filter(|f| f.end > 0) {
        assert!(
            tht.contains(&format!("THT {} (chiếm", f.label)),
            "{}: {tht}",
            f.label
        );
    }
    let json = serde_json::to_value(&figures).unwrap();
    assert_eq!(json["fields_in_prose"], true);
    let found = problems(&md, &json);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

async fn report_problems(db: &TestDb, req: &ReportRequest) -> Vec<String> {
    let figures = build(&db.store, req).await.unwrap();
    let md = render(&figures, None).unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    problems(&md, &json)
}

// ---------------------------------------------------------------------------------------------
// Random registries
// ---------------------------------------------------------------------------------------------

/// A date in a range as typed (dd/mm/yyyy).
fn typed(day: Date) -> String {
    text::date(day)
}

/// A figure as typed: blank (no figure) a third of the time, sometimes zero.
fn figure(rng: &mut Rng, lo: i64, hi: i64) -> String {
    match rng.range(0, 9) {
        0..=2 => String::new(),
        3 => "0".into(),
        _ => rng.range(lo, hi).to_string(),
    }
}

/// Writes a random registry through the application layer and returns the deployment's area.
async fn random_registry(db: &TestDb, rng: &mut Rng) -> String {
    let g = geo();
    let era = if rng.chance(25) { Era::New } else { Era::Old };
    let provinces = g.units_of(era, Level::Province);
    let area = provinces[rng.range(0, provinces.len() as i64 - 1) as usize]
        .id
        .clone();
    db.store
        .set_deployment(
            &Deployment {
                area: area.clone(),
                // Every way a deployment may ask its prose to be written.
                money_in_prose: if rng.chance(30) {
                    htx::domain::text::MoneyInProse::Billions
                } else {
                    htx::domain::text::MoneyInProse::Words
                },
                fields_in_prose: rng.chance(30),
                ..Deployment::default()
            },
            "test",
        )
        .await
        .unwrap();
    // Sometimes the deployment's own reporting groups, of a few fields each, through the
    // check every entrance uses.
    if rng.chance(35) {
        let mut fields: Vec<String> = htx::domain::sector::Taxonomy::built_in()
            .all()
            .iter()
            .map(|s| s.code.clone())
            .collect();
        for (code, name) in [
            ("cong_thuong", "công thương"),
            ("tong_hop", "dịch vụ tổng hợp"),
        ] {
            if fields.len() < 2 || !rng.chance(70) {
                continue;
            }
            let mut chosen = Vec::new();
            for _ in 0..rng.range(1, 3) {
                if fields.is_empty() {
                    break;
                }
                let i = rng.range(0, fields.len() as i64 - 1) as usize;
                chosen.push(fields.remove(i));
            }
            htx::app::sectors::record_reporting_group(
                &db.store,
                &htx::app::sectors::ReportingGroupInput {
                    code: code.into(),
                    name_vi: name.into(),
                    name_en: String::new(),
                    fields: chosen.join("; "),
                },
                "test",
            )
            .await
            .unwrap();
        }
    }
    // The communes (the area's places also hold its old districts).
    let communes: Vec<String> = g
        .communes_in_area(&area)
        .iter()
        .filter(|id| g.unit(id).is_some_and(|u| u.level == Level::Commune))
        .cloned()
        .collect();
    let kinds: Vec<&str> = ["THT", "HTX", "LHHTX", "QTDND"]
        .into_iter()
        .filter(|_| rng.chance(60))
        .collect();
    let sectors: Vec<String> = htx::domain::sector::Taxonomy::built_in()
        .all()
        .iter()
        .map(|s| s.code.clone())
        .filter(|c| c != "credit")
        .collect();
    let count = if kinds.is_empty() {
        0
    } else {
        rng.range(0, 28)
    };
    let mut orgs: Vec<(String, &str, Date)> = Vec::new();
    for i in 0..count {
        let kind = *rng.pick(&kinds);
        let founded = rng.date(date!(2012 - 01 - 01), LAST_DAY);
        let valid: Vec<&String> = communes
            .iter()
            .filter(|c| {
                g.unit(c).is_some_and(|u| {
                    u.era == Era::at(founded) && g.commune_at(c, founded).is_some()
                })
            })
            .collect();
        let Some(commune) = (!valid.is_empty()).then(|| *rng.pick(&valid)) else {
            continue;
        };
        let code = format!("R{i:03}");
        let sector = if kind == "QTDND" {
            "credit"
        } else {
            rng.pick(&sectors).as_str()
        };
        register(
            &db.store,
            &RegisterInput {
                kind: kind.into(),
                code: code.clone(),
                name: format!("Tổ chức thử {code}"),
                date: typed(founded),
                commune: g.unit(commune).unwrap().code.clone(),
                sector: sector.into(),
                founding_members: figure(rng, 3, 120),
                ..RegisterInput::default()
            },
            "test",
        )
        .await
        .unwrap_or_else(|e| panic!("{code} {kind} {commune} {founded}: {e}"));
        orgs.push((code, kind, founded));
    }
    for (code, _, founded) in &orgs {
        if rng.chance(35) && *founded < LAST_DAY {
            let on = rng.date(*founded + time::Duration::days(1), LAST_DAY);
            let kind = *rng.pick(&["dissolved", "ceased", "suspended", "revoked"]);
            let org = db.store.org_by_code(code).await.unwrap().unwrap();
            record_event(
                &db.store,
                &org,
                None,
                &EventInput {
                    kind: kind.into(),
                    date: typed(on),
                    ..EventInput::default()
                },
                "test",
            )
            .await
            .unwrap_or_else(|e| panic!("{code} {kind} {on}: {e}"));
        }
        if rng.chance(55) {
            for year in founded.year()..=2025 {
                if !rng.chance(60) {
                    continue;
                }
                htx::app::registry::record_figures(
                    &db.store,
                    &FiguresInput {
                        code: code.clone(),
                        year: year.to_string(),
                        official_members: figure(rng, 3, 400),
                        associate_members: figure(rng, 0, 50),
                        workers: figure(rng, 1, 60),
                        seasonal_workers: figure(rng, 0, 80),
                        charter_capital: figure(rng, 10_000_000, 9_000_000_000),
                        operating_capital: figure(rng, 10_000_000, 20_000_000_000),
                        total_assets: figure(rng, 10_000_000, 30_000_000_000),
                        revenue: figure(rng, 1_000_000, 40_000_000_000),
                        profit: figure(rng, -500_000_000, 2_000_000_000),
                        average_income: figure(rng, 20_000_000, 120_000_000),
                        ..FiguresInput::default()
                    },
                    "test",
                )
                .await
                .unwrap_or_else(|e| panic!("{code} figures {year}: {e}"));
            }
        }
    }
    if rng.chance(50) {
        random_fund(db, rng, &orgs).await;
    }
    if rng.chance(50) {
        random_alliance(db, rng, &orgs).await;
    }
    let targets: Vec<PlanTargetInput> = [
        ("new_htx", rng.range(0, 40)),
        ("training_classes", rng.range(1, 12)),
        ("fund_disbursed", rng.range(1, 20) * 500_000_000),
    ]
    .into_iter()
    .filter(|_| rng.chance(70))
    .map(|(indicator, v)| PlanTargetInput {
        indicator: indicator.into(),
        value: v.to_string(),
    })
    .collect();
    if rng.chance(40) && !targets.is_empty() {
        let year = rng.range(2016, 2026);
        set_plan(
            &db.store,
            &PlanInput {
                period: year.to_string(),
                title: format!("kế hoạch năm {year}"),
                reference: String::new(),
                targets,
            },
            "test",
        )
        .await
        .unwrap();
    }
    area
}

/// A fund with a charter capital and a few loans to the registry's HTX and THT, disbursed,
/// some repaid in part.
async fn random_fund(db: &TestDb, rng: &mut Rng, orgs: &[(String, &str, Date)]) {
    use htx::app::fund::{record_capital, record_loan, record_loan_tx};
    let today = htx::domain::today();
    record_capital(
        &db.store,
        &CapitalInput {
            date: "01/01/2012".into(),
            amount: (rng.range(20, 60) * 1_000_000_000).to_string(),
            source: "Ngân sách tỉnh".into(),
            reference: "1/QĐ-UBND".into(),
        },
        "test",
        today,
    )
    .await
    .unwrap();
    let borrowers: Vec<&(String, &str, Date)> = orgs
        .iter()
        .filter(|(_, kind, founded)| {
            matches!(*kind, "HTX" | "THT") && *founded < date!(2026 - 06 - 01)
        })
        .collect();
    for (n, (code, _, founded)) in borrowers.iter().enumerate() {
        if !rng.chance(50) {
            continue;
        }
        let signed = rng.date(*founded + time::Duration::days(1), date!(2026 - 06 - 30));
        let contract = format!("HD{n:03}");
        let amount = rng.range(1, 9) * 100_000_000;
        record_loan(
            &db.store,
            &LoanInput {
                contract: contract.clone(),
                borrower: code.clone(),
                amount: amount.to_string(),
                rate: "6,6".into(),
                term_months: "36".into(),
                contract_date: typed(signed),
                decision_no: format!("{n}/QĐ-QHTPT"),
                decision_date: typed(signed),
                purpose: "Mua máy".into(),
                project_cost: (amount * 2).to_string(),
                own_capital: amount.to_string(),
                ..LoanInput::default()
            },
            "test",
            today,
        )
        .await
        .unwrap_or_else(|e| panic!("{contract}: {e}"));
        record_loan_tx(
            &db.store,
            &contract,
            &LoanTxInput {
                kind: "giai_ngan".into(),
                date: typed(signed),
                amount: amount.to_string(),
                ..LoanTxInput::default()
            },
            "test",
            today,
        )
        .await
        .unwrap_or_else(|e| panic!("{contract} disbursed: {e}"));
        if rng.chance(50) {
            let paid = signed + time::Duration::days(rng.range(30, 200));
            if paid <= LAST_DAY {
                record_loan_tx(
                    &db.store,
                    &contract,
                    &LoanTxInput {
                        kind: "thu_no_goc".into(),
                        date: typed(paid),
                        amount: (amount / 4).to_string(),
                        ..LoanTxInput::default()
                    },
                    "test",
                    today,
                )
                .await
                .unwrap_or_else(|e| panic!("{contract} repaid: {e}"));
            }
        }
    }
}

/// A few activities of the Alliance (training with or without a count of attendances, media)
/// and members joining.
async fn random_alliance(db: &TestDb, rng: &mut Rng, orgs: &[(String, &str, Date)]) {
    let staff = Access {
        role: Role::Staff,
        area: None,
    };
    for i in 0..rng.range(1, 8) {
        let on = rng.date(date!(2016 - 01 - 01), LAST_DAY);
        let kind = *rng.pick(&[
            "training",
            "media_article",
            "media_series",
            "fair",
            "conference",
        ]);
        add_activity(
            &db.store,
            &ActivityInput {
                kind: kind.into(),
                title: format!("Hoạt động {i}"),
                date: typed(on),
                quantity: if rng.chance(30) {
                    rng.range(1, 6).to_string()
                } else {
                    String::new()
                },
                attendees: if rng.chance(50) {
                    rng.range(10, 300).to_string()
                } else {
                    String::new()
                },
                ..ActivityInput::default()
            },
            &staff,
            "test",
        )
        .await
        .unwrap_or_else(|e| panic!("activity {i} {kind} {on}: {e}"));
    }
    for (code, _, founded) in orgs {
        if !rng.chance(30) {
            continue;
        }
        let on = rng.date(*founded, LAST_DAY);
        let input = MembershipInput {
            change: "joined".into(),
            code: code.clone(),
            date: typed(on),
            ..MembershipInput::default()
        };
        let checked = htx::app::alliance::check_membership(
            &db.store,
            &htx::app::Planned::none(),
            &input,
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("member {code}: {e}"));
        htx::app::alliance::record_membership(&db.store, &checked, "test")
            .await
            .unwrap();
    }
}

/// A random period of any form within the years the registries cover.
fn random_period(rng: &mut Rng) -> Period {
    let year = rng.range(2016, 2026) as i32;
    let code = match rng.range(0, 5) {
        0 => year.to_string(),
        1 => format!("{year}-H{}", rng.range(1, 2)),
        2 => format!("{year}-Q{}", rng.range(1, 4)),
        3 => {
            let from = rng.range(1, 12);
            let to = rng.range(from, 12);
            format!("{year}-{from:02}..{year}-{to:02}")
        }
        _ => {
            let from = rng.date(
                Date::from_calendar_date(year, time::Month::January, 1).unwrap(),
                Date::from_calendar_date(year, time::Month::December, 31).unwrap(),
            );
            let to = rng.date(from, from + time::Duration::days(200));
            format!("{from}..{to}")
        }
    };
    Period::parse(&code).unwrap_or_else(|e| panic!("{code}: {e}"))
}

/// An area of the report: the deployment's, or one of its districts or communes.
fn random_area(rng: &mut Rng, deployment: &str) -> Option<String> {
    if rng.chance(60) {
        return None;
    }
    let g = geo();
    let parts: Vec<String> = g.children(deployment).map(|u| u.id.clone()).collect();
    (!parts.is_empty()).then(|| rng.pick(&parts).clone())
}

#[tokio::test]
async fn every_sentence_of_random_reports_reads_right_and_states_only_the_jsons_numbers() {
    let cases: u64 = std::env::var("HTX_PROSE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES);
    let mut found = Vec::new();
    for seed in 1..=cases {
        let db = TestDb::new().await;
        let mut rng = Rng::new(seed * 7919);
        let area = random_registry(&db, &mut rng).await;
        for _ in 0..PERIODS_PER_CASE {
            let period = random_period(&mut rng);
            let req = ReportRequest {
                area: random_area(&mut rng, &area),
                compare_same_period: rng.chance(50),
                ..ReportRequest::of(period.clone())
            };
            for p in report_problems(&db, &req).await {
                found.push(format!(
                    "seed {seed}, {area}, {}, area {:?}: {p}",
                    period.code, req.area
                ));
            }
        }
        db.store.close().await;
    }
    if let Ok(path) = std::env::var("HTX_PROSE_OUT") {
        std::fs::write(path, found.join("\n")).unwrap();
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found[..found.len().min(60)].join("\n")
    );
}

#[tokio::test]
async fn the_administration_page_sets_how_the_prose_writes_money_and_fields() {
    let web = crate::web_harness::Web::demo().await;
    let admin = web.login("quantri").await;
    let page = web.get("/admin", Some(&admin)).await;
    assert!(
        page.body.contains("name=\"money_in_prose\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"fields_in_prose\""));
    let d = web.db.store.deployment().await.unwrap();
    let recipients = d.recipients.join("\n");
    let form = |money: &'static str, fields: Option<&'static str>| {
        let mut f = vec![
            ("parent_body", d.parent_body.clone()),
            ("issuing_body", d.issuing_body.clone()),
            ("issuer_code", d.issuer_code.clone()),
            ("place", d.place.clone()),
            ("signer_capacity", d.signer_capacity.clone()),
            ("signer_position", d.signer_position.clone()),
            ("signer_name", d.signer_name.clone()),
            ("recipients", recipients.clone()),
            ("money_in_prose", money.to_string()),
        ];
        if let Some(v) = fields {
            f.push(("fields_in_prose", v.to_string()));
        }
        f
    };
    let send = |f: Vec<(&'static str, String)>| {
        let web = &web;
        let admin = &admin;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            web.submit("/admin/settings", admin, &f).await
        }
    };
    send(form("billions", Some("1"))).await;
    let saved = web.db.store.deployment().await.unwrap();
    assert_eq!(
        (saved.money_in_prose, saved.fields_in_prose),
        (htx::domain::text::MoneyInProse::Billions, true)
    );
    let figures = build(
        &web.db.store,
        &ReportRequest::of(Period::parse("2022-H1").unwrap()),
    )
    .await
    .unwrap();
    assert!(
        render(&figures, None)
            .unwrap()
            .contains("dư nợ là 24,2 tỷ đồng")
    );
    // An unticked box turns it off again; the rest of the settings stay as they were.
    send(form("words", None)).await;
    let saved = web.db.store.deployment().await.unwrap();
    assert_eq!(
        (saved.money_in_prose, saved.fields_in_prose),
        (htx::domain::text::MoneyInProse::Words, false)
    );
    assert_eq!(saved.signer_name, d.signer_name);
}
