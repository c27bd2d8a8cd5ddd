//! `htx evaluation …`: the yearly evaluation of cooperatives (Circular 01/2020/TT-BKHĐT):
//! record a year's sheet or result, show an organisation's evaluations with every version and
//! its size class (Decree 113/2024/NĐ-CP) per year, list a year's evaluations.

use crate::app::evaluations::{self, EvaluationInput};
use crate::domain::codes::Coded;
use crate::domain::evaluation::{self, Evaluation, Outcome, SizeField};
use crate::domain::registry::YearFigures;
use crate::domain::{parse_date, text};
use crate::error::{Error, Problem};
use crate::store::Store;
use crate::store::evaluations::StoredEvaluation;
use std::collections::BTreeSet;
use std::process::ExitCode;
use time::{Date, Month};

/// Subcommands of `htx evaluation`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record an organisation's evaluation for a year (a correction adds a version).
    Record(Box<RecordArgs>),
    /// Every year and version of an organisation's evaluations, with its size class.
    Show(ShowArgs),
    /// The latest evaluation of every organisation for a year.
    List(ListArgs),
}

/// Options of `htx evaluation record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// Registration code of the HTX, LHHTX or QTDND.
    #[arg(long)]
    pub code: String,
    /// The year evaluated.
    #[arg(long)]
    pub year: String,
    /// Points of the 15 criteria in order, separated by ";" (decimal comma allowed):
    /// "7;6;11;6;8;6;6;6;4;10;10;5;5;5;4,5".
    #[arg(long, default_value = "")]
    pub points: String,
    /// Total points (with --points it must be their sum; without, the reported result).
    #[arg(long, default_value = "")]
    pub total: String,
    /// Tốt, Khá, Trung bình or Yếu (derived from the total when left out).
    #[arg(long, default_value = "")]
    pub grade: String,
    /// Why it is not graded: dưới 12 tháng, tạm ngừng, QTDND.
    #[arg(long, default_value = "")]
    pub not_graded: String,
    /// Who scored.
    #[arg(long, default_value = "")]
    pub scored_by: String,
    /// The day of the scoring, dd/mm/yyyy.
    #[arg(long, default_value = "")]
    pub scored_on: String,
    #[arg(long, default_value = "")]
    pub note: String,
    /// The version this corrects, as last seen (0 for a first evaluation); refused if
    /// someone recorded another since.
    #[arg(long, default_value = "")]
    pub version: String,
}

/// Options of `htx evaluation show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Registration code.
    #[arg(long)]
    pub code: String,
}

/// Options of `htx evaluation list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    pub year: i32,
}

/// The command-line option of a field of [`EvaluationInput`]: the criteria `c1`…`c15` are
/// parts of `--points`.
fn option(field: &str) -> String {
    match field {
        "" => String::new(),
        f if f.starts_with('c') && f[1..].parse::<usize>().is_ok() => "--points".into(),
        f => format!("--{}", f.replace('_', "-")),
    }
}

/// A refusal with each problem named by its option.
fn by_option(e: Error) -> Error {
    match e {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| Problem::new(option(&p.field), p.reason))
                .collect(),
        ),
        other => other,
    }
}

/// Runs `htx evaluation …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Record(a) => record(store, author, *a).await,
        Command::Show(a) => show(store, &a.code).await,
        Command::List(a) => list(store, a.year).await,
    }
}

async fn record(store: &Store, author: &str, a: RecordArgs) -> anyhow::Result<ExitCode> {
    let points = match a.points.trim() {
        "" => Vec::new(),
        p => p.split(';').map(|s| s.trim().to_string()).collect(),
    };
    let input = EvaluationInput {
        code: a.code,
        year: a.year,
        points,
        total: a.total,
        grade: a.grade,
        not_graded: a.not_graded,
        scored_by: a.scored_by,
        scored_on: a.scored_on,
        note: a.note,
        version: a.version,
    };
    let (checked, version) = evaluations::evaluate(store, &input, author)
        .await
        .map_err(by_option)?;
    println!(
        "Đã ghi đánh giá năm {} của {}: {} (phiên bản {version})",
        checked.evaluation.year,
        checked.code,
        result(&checked.evaluation)
    );
    Ok(ExitCode::SUCCESS)
}

/// The result in words: "82,5 điểm, Tốt", "Khá", "không xếp loại: …".
fn result(e: &Evaluation) -> String {
    match &e.outcome {
        Outcome::Graded { total, grade, .. } => match total {
            Some(t) => format!("{} điểm, {}", evaluation::points(*t), grade.name_vi()),
            None => grade.name_vi().to_string(),
        },
        Outcome::NotGraded { reason } => format!("không xếp loại: {}", reason.name_vi()),
    }
}

/// Who scored and when, and who recorded the version and when.
fn provenance(v: &StoredEvaluation) -> String {
    let e = &v.evaluation;
    let mut parts = Vec::new();
    match (e.scored_by.as_str(), e.scored_on) {
        ("", None) => {}
        ("", Some(on)) => parts.push(format!("chấm ngày {}", text::date(on))),
        (by, None) => parts.push(format!("chấm: {by}")),
        (by, Some(on)) => parts.push(format!("chấm: {by}, ngày {}", text::date(on))),
    }
    let recorded = v
        .recorded_at
        .get(..10)
        .and_then(|d| parse_date(d).ok())
        .map(text::date)
        .unwrap_or_else(|| v.recorded_at.clone());
    parts.push(format!("ghi ngày {recorded} bởi {}", v.author));
    if !e.note.is_empty() {
        parts.push(format!("ghi chú: {}", e.note));
    }
    parts.join("; ")
}

async fn show(store: &Store, code: &str) -> anyhow::Result<ExitCode> {
    let Some(org) = store.org_by_code(code).await? else {
        return Err(Error::NotFound(format!("tổ chức mã số {code}")).into());
    };
    let versions = store.evaluations_of(org.id).await?;
    let figures = store.org_figures(org.id).await?;
    let intervals = store.org_intervals(org.id).await?;
    let taxonomy = store.taxonomy().await?;
    let sizes = store.deployment().await?.size_thresholds;
    println!("{} ({}, {})", org.name, org.reg_code, org.kind.code());
    let years: BTreeSet<i32> = versions
        .iter()
        .map(|v| v.evaluation.year)
        .chain(figures.iter().map(|f| f.year))
        .collect();
    if years.is_empty() {
        println!("Chưa có đánh giá, xếp loại hay số liệu năm nào.");
    }
    for year in years.into_iter().rev() {
        // The sector in force at the end of the year (or when the organisation began).
        let end = Date::from_calendar_date(year, Month::December, 31).ok();
        let sector = intervals
            .iter()
            .rev()
            .find(|i| end.is_some_and(|e| i.valid_from <= e))
            .or(intervals.first())
            .and_then(|i| taxonomy.get(&i.sector));
        let size = match (figures.iter().find(|f| f.year == year), sector) {
            (None, _) => "chưa có số liệu năm".to_string(),
            (Some(_), None) => "không rõ lĩnh vực".to_string(),
            (Some(f), Some(s)) => size_words(&sizes, SizeField::of_vsic(&s.vsic), f),
        };
        println!("Năm {year} — quy mô: {size}");
        let of_year: Vec<&StoredEvaluation> = versions
            .iter()
            .filter(|v| v.evaluation.year == year)
            .collect();
        if of_year.is_empty() {
            println!("  chưa có đánh giá, xếp loại");
        }
        for v in of_year {
            println!(
                "  phiên bản {}: {}; {}",
                v.version,
                result(&v.evaluation),
                provenance(v)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The size class of a year's figures in words, or why it is not known.
fn size_words(
    sizes: &evaluation::SizeThresholds,
    field: SizeField,
    figures: &YearFigures,
) -> String {
    match sizes.class(field, figures) {
        Some(class) => format!("{} (lĩnh vực {})", class.name_vi(), field.name_vi()),
        None if sizes.of(field).is_none() => {
            format!("chưa đặt ngưỡng quy mô cho lĩnh vực {}", field.name_vi())
        }
        None => "chưa đủ số liệu (thành viên chính thức, doanh thu hoặc tổng nguồn vốn)".into(),
    }
}

async fn list(store: &Store, year: i32) -> anyhow::Result<ExitCode> {
    let latest = store.evaluations_in(year).await?;
    if latest.is_empty() {
        println!("Chưa có đánh giá, xếp loại năm {year}.");
    }
    let mut lines = Vec::with_capacity(latest.len());
    for v in &latest {
        let (code, name) = match store.org_by_id(v.org_id).await? {
            Some(o) => (o.reg_code, o.name),
            None => (String::new(), String::new()),
        };
        lines.push((code, name, v));
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    for (code, name, v) in lines {
        // The name last, so that long names do not push the columns out of line.
        println!(
            "{code:<12} {:<34} phiên bản {:<3} {name}",
            result(&v.evaluation),
            v.version
        );
    }
    Ok(ExitCode::SUCCESS)
}
