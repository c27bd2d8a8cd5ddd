//! `htx plan …`: plans with targets, and what was achieved against them.

use crate::app::plans::{PlanInput, PlanTargetInput};
use crate::domain::period::Period;
use crate::domain::plans::{Indicator, Unit};
use crate::domain::text;
use crate::report::figures::{ReportRequest, build};
use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx plan`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the indicators a target can be set on.
    Indicators,
    /// Record (or replace) the plan of a period.
    Set(SetArgs),
    /// Show a period's plan with the actual figures and the achievement.
    Show(ShowArgs),
}

/// Options of `htx plan set`.
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// Period: 2022, 2022-H1, 2022-Q3.
    #[arg(long)]
    pub period: String,
    /// Targets as INDICATOR=VALUE (repeat), e.g. --target new_htx=15.
    #[arg(long = "target", required = true)]
    pub targets: Vec<String>,
    #[arg(long, default_value = "")]
    pub title: String,
    /// The approving document.
    #[arg(long, default_value = "")]
    pub reference: String,
}

/// Options of `htx plan show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    #[arg(long)]
    pub period: String,
}

/// Runs `htx plan …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Indicators => {
            for i in Indicator::ALL {
                let unit = match i.unit() {
                    Unit::Count => "số lượng",
                    Unit::Money => "đồng",
                    Unit::Percent => "tỷ lệ %",
                };
                println!("{:<18} {:<32} {unit}", i.code(), i.name_vi());
            }
        }
        Command::Set(a) => {
            let mut targets = Vec::new();
            for t in &a.targets {
                let (code, value) = t.split_once('=').ok_or_else(|| {
                    anyhow::anyhow!("--target: \"{t}\" phải có dạng CHỈ_TIÊU=GIÁ_TRỊ")
                })?;
                targets.push(PlanTargetInput {
                    indicator: code.to_string(),
                    value: value.to_string(),
                });
            }
            let input = PlanInput {
                period: a.period.clone(),
                title: a.title.clone(),
                reference: a.reference.clone(),
                targets,
            };
            let plan = crate::app::plans::set_plan(store, &input, author).await?;
            let label = Period::parse(&plan.period)?.label;
            println!("Đã lưu kế hoạch {label}");
        }
        Command::Show(a) => {
            let period = Period::parse(&a.period)?;
            let figures = build(
                store,
                &ReportRequest {
                    period: period.clone(),
                    area: None,
                    compare_same_period: false,
                    current_units: false,
                    include_fund: true,
                },
            )
            .await?;
            if figures.plans.is_empty() {
                println!("Chưa có kế hoạch cho {} (htx plan set).", period.label);
            }
            for p in &figures.plans {
                println!(
                    "{:<32} {:<28} chỉ tiêu {:>24}  thực hiện {:>24}  đạt {}",
                    p.name,
                    p.plan_label,
                    p.indicator.format(p.target),
                    p.actual
                        .map_or_else(|| "–".into(), |v| p.indicator.format(v)),
                    p.achievement_pct
                        .map(|v| text::format_tenths((v * 10.0).round() as i64) + "%")
                        .unwrap_or_else(|| "–".into())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
