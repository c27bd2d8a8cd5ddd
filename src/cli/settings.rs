//! `htx settings show|set`: the deployment's area and document header.

use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx settings`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the settings.
    Show,
    /// Change some settings.
    Set(Box<SetArgs>),
}

/// Options of `htx settings set`.
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// Area served: a province unit id (old-27, new-24) or "" for the whole country.
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long)]
    pub parent_body: Option<String>,
    #[arg(long)]
    pub issuing_body: Option<String>,
    #[arg(long)]
    pub issuer_code: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub signer_capacity: Option<String>,
    #[arg(long)]
    pub signer_position: Option<String>,
    #[arg(long)]
    pub signer_name: Option<String>,
    /// Recipients, separated by "|".
    #[arg(long)]
    pub recipients: Option<String>,
    /// Fund: minimum own capital, % of the project.
    #[arg(long)]
    pub fund_own_capital_min_pct: Option<i64>,
    /// Fund: maximum outstanding of one borrower, % of the charter capital.
    #[arg(long)]
    pub fund_single_borrower_max_pct: Option<i64>,
    /// Fund: maximum outstanding of related borrowers, % of the charter capital.
    #[arg(long)]
    pub fund_related_group_max_pct: Option<i64>,
    /// Fund: longest term, in months.
    #[arg(long)]
    pub fund_max_term_months: Option<u32>,
    /// Fund: upper bounds of the ageing buckets in days, e.g. "0,30,90,180,360".
    #[arg(long)]
    pub ageing_days: Option<String>,
    /// Evaluation: the lowest totals of Tốt, Khá and Trung bình, e.g. "80;65;50".
    #[arg(long)]
    pub grade_thresholds: Option<String>,
    /// Size classes (Decree 113/2024): a JSON file with the thresholds per field, as
    /// `htx settings show` prints them under "size_thresholds".
    #[arg(long)]
    pub size_thresholds: Option<std::path::PathBuf>,
    /// How the report's prose writes money: "words" (2 tỷ 50 triệu đồng) or "billions"
    /// (2,1 tỷ đồng).
    #[arg(long)]
    pub money_in_prose: Option<String>,
    /// Whether the report's prose names HTX and THT by every field of activity (true) or by
    /// the three sector groups (false, the default).
    #[arg(long)]
    pub fields_in_prose: Option<bool>,
}

/// Runs `htx settings`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let mut d = store.deployment().await?;
    match cmd {
        Command::Show => {
            // The reporting groups are the deployment's too (set with `htx sector group`).
            let mut shown = serde_json::to_value(&d)?;
            shown["reporting_groups"] =
                serde_json::to_value(store.taxonomy().await?.reporting_groups())?;
            println!("{}", serde_json::to_string_pretty(&shown)?);
        }
        Command::Set(a) => {
            if let Some(area) = a.area {
                if !area.is_empty() && crate::domain::geo::geo().unit(&area).is_none() {
                    anyhow::bail!("--area: không có đơn vị hành chính \"{area}\"");
                }
                d.area = area;
            }
            let clean = |s: String| crate::domain::text::clean(&s);
            if let Some(v) = a.parent_body {
                d.parent_body = clean(v)
            }
            if let Some(v) = a.issuing_body {
                d.issuing_body = clean(v)
            }
            if let Some(v) = a.issuer_code {
                d.issuer_code = clean(v)
            }
            if let Some(v) = a.place {
                d.place = clean(v)
            }
            if let Some(v) = a.signer_capacity {
                d.signer_capacity = clean(v)
            }
            if let Some(v) = a.signer_position {
                d.signer_position = clean(v)
            }
            if let Some(v) = a.signer_name {
                d.signer_name = clean(v)
            }
            let r = &mut d.fund_rules;
            if let Some(v) = a.fund_own_capital_min_pct {
                r.own_capital_min_pct = v;
            }
            if let Some(v) = a.fund_single_borrower_max_pct {
                r.single_borrower_max_pct = v;
            }
            if let Some(v) = a.fund_related_group_max_pct {
                r.related_group_max_pct = v;
            }
            if let Some(v) = a.fund_max_term_months {
                r.max_term_months = v;
            }
            if let Some(v) = a.ageing_days {
                let bounds: Vec<i64> = v
                    .split(',')
                    .map(|x| x.trim().parse::<i64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "--ageing-days: \"{v}\" phải là các số ngày, ví dụ 0,30,90,180,360"
                        )
                    })?;
                if crate::domain::fund::AgeingBuckets::from_bounds(&bounds).is_none() {
                    anyhow::bail!("--ageing-days: phải bắt đầu bằng 0 và tăng dần");
                }
                d.ageing_days = bounds;
            }
            if let Some(v) = a.grade_thresholds {
                d.grade_thresholds = grade_thresholds(&v)?;
            }
            if let Some(path) = a.size_thresholds {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("--size-thresholds: {}: {e}", path.display()))?;
                let t: crate::domain::evaluation::SizeThresholds = serde_json::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("--size-thresholds: {e}"))?;
                t.check()
                    .map_err(|e| anyhow::anyhow!("--size-thresholds: {e}"))?;
                d.size_thresholds = t;
            }
            if let Some(v) = a.money_in_prose {
                d.money_in_prose =
                    crate::domain::text::MoneyInProse::parse(&v).ok_or_else(|| {
                        anyhow::anyhow!("--money-in-prose: \"{v}\" phải là words hoặc billions")
                    })?;
            }
            if let Some(v) = a.fields_in_prose {
                d.fields_in_prose = v;
            }
            if let Some(v) = a.recipients {
                d.recipients = v.split('|').map(|s| clean(s.to_string())).collect();
            }
            store.set_deployment(&d, author).await?;
            println!("Đã lưu cài đặt.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads "80;65;50" (Tốt; Khá; Trung bình) into grade thresholds.
fn grade_thresholds(typed: &str) -> anyhow::Result<crate::domain::evaluation::GradeThresholds> {
    use crate::domain::evaluation::{GradeThresholds, parse_points};
    let values: Vec<i64> = typed
        .split(';')
        .map(parse_points)
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("--grade-thresholds: {e}"))?;
    let [good, fair, average] = values[..] else {
        anyhow::bail!("--grade-thresholds: cần ba ngưỡng Tốt;Khá;Trung bình, ví dụ 80;65;50");
    };
    let t = GradeThresholds {
        good,
        fair,
        average,
    };
    t.check()
        .map_err(|e| anyhow::anyhow!("--grade-thresholds: {e}"))?;
    Ok(t)
}
