//! Charts over time drawn on the server as inline SVG: columns per period (side by side or
//! stacked), a scale with its figures, the periods under the columns, each column's value in
//! its tooltip (`<title>`) and, where there is room, written above it. The same figures
//! follow as a table, so that the chart reads without scripts, without colours and on paper.

use crate::domain::text;

/// How the figures of a chart are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Đồng; the scale in tỷ or triệu, the table in full.
    Money,
}

impl Unit {
    /// In the table and tooltips: "1.234", "24.164.000.000 đồng".
    pub fn full(self, v: i64) -> String {
        match self {
            Unit::Count => text::number(v),
            Unit::Money => text::money(v),
        }
    }

    /// On the scale and above columns: "1.234", "24,2 tỷ", "950 triệu".
    pub fn short(self, v: i64) -> String {
        match self {
            Unit::Count => text::number(v),
            Unit::Money if v.abs() >= 1_000_000_000 => {
                format!("{} tỷ", text::format_tenths(round_div(v, 100_000_000)))
            }
            Unit::Money if v.abs() >= 1_000_000 => {
                format!("{} triệu", text::number(round_div(v, 1_000_000)))
            }
            Unit::Money => text::number(v),
        }
    }
}

fn round_div(v: i64, by: i64) -> i64 {
    (v + by / 2 * v.signum()) / by
}

/// One period of a chart: its label and, per series, its value and the list behind it.
pub struct Point {
    pub label: String,
    pub values: Vec<i64>,
    pub hrefs: Vec<Option<String>>,
}

/// A chart over time.
pub struct TrendChart {
    /// The figure's id (for links and tests).
    pub id: String,
    pub title: String,
    /// (css class b0–b3, name) per series.
    pub series: Vec<(&'static str, String)>,
    pub points: Vec<Point>,
    /// Series stacked in one column per period (parts of a whole) instead of side by side.
    pub stacked: bool,
    pub unit: Unit,
    /// The heading of the table's first column ("Năm", "Tháng", "Quý").
    pub period_heading: String,
    /// The summary line of the table.
    pub table_label: String,
}

/// A column as drawn.
pub struct Column {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub class: &'static str,
    /// "2022 – HTX: 1.234"
    pub title: String,
    pub href: Option<String>,
}

/// A text as drawn: where, which way it is anchored, what.
pub struct Label {
    pub x: i64,
    pub y: i64,
    pub anchor: &'static str,
    pub text: String,
}

/// The chart in SVG coordinates.
pub struct Drawing {
    pub width: i64,
    pub height: i64,
    /// The scale's lines: (y, from x, to x) with their labels.
    pub grid: Vec<(i64, Label)>,
    pub plot_left: i64,
    pub plot_right: i64,
    pub columns: Vec<Column>,
    /// Values written above columns, and the periods under them.
    pub values: Vec<Label>,
    pub periods: Vec<Label>,
}

// The drawing's own units; the page scales it to its column (about 1.5 px each when the
// dashboard shows three columns), with text of 13 units.
const WIDTH: i64 = 480;
const HEIGHT: i64 = 250;
const LEFT: i64 = 64;
const RIGHT: i64 = 6;
const TOP: i64 = 18;
const BOTTOM: i64 = 26;
/// Period labels need about this much room each; with less, every n-th is written.
const LABEL_ROOM: i64 = 60;

/// A "nice" step (1, 2 or 5 times a power of ten) for a scale of about four steps to `max`.
fn nice_step(max: i64) -> i64 {
    let rough = (max.max(1) as f64 / 4.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    (step.round() as i64).max(1)
}

impl TrendChart {
    /// The largest column.
    fn max(&self) -> i64 {
        self.points
            .iter()
            .map(|p| {
                if self.stacked {
                    p.values.iter().sum()
                } else {
                    p.values.iter().copied().max().unwrap_or(0)
                }
            })
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// The figures' table: the period, then each series.
    pub fn headers(&self) -> Vec<String> {
        std::iter::once(self.period_heading.clone())
            .chain(self.series.iter().map(|(_, n)| n.clone()))
            .collect()
    }

    pub fn rows(&self) -> Vec<Vec<String>> {
        self.points
            .iter()
            .map(|p| {
                std::iter::once(p.label.clone())
                    .chain(p.values.iter().map(|v| self.unit.full(*v)))
                    .collect()
            })
            .collect()
    }

    /// What the chart says in one sentence, for readers that do not see it.
    pub fn summary(&self) -> String {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) => format!("{}, {} – {}", self.title, a.label, b.label),
            _ => self.title.clone(),
        }
    }

    /// Lays the chart out.
    pub fn drawing(&self) -> Drawing {
        let step = nice_step(self.max());
        let steps = ((self.max() + step - 1) / step).max(1);
        let top = step * steps;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let plot_w = WIDTH - LEFT - RIGHT;
        let y_of = |v: i64| TOP + plot_h - (v.max(0) as i128 * plot_h as i128 / top as i128) as i64;
        let grid = (0..=steps)
            .map(|i| {
                let y = y_of(i * step);
                (
                    y,
                    Label {
                        x: LEFT - 6,
                        y: y + 4,
                        anchor: "end",
                        text: self.unit.short(i * step),
                    },
                )
            })
            .collect();
        let n = self.points.len().max(1) as i64;
        let slot = plot_w / n;
        let per_slot = if self.stacked {
            1
        } else {
            self.series.len().max(1) as i64
        };
        let gap = (slot / 5).max(1);
        let w = ((slot - gap) / per_slot).max(1);
        let every = (LABEL_ROOM + slot - 1) / slot.max(1);
        let mut columns = Vec::new();
        let mut values = Vec::new();
        let mut periods = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            let i = i as i64;
            let x0 = LEFT + i * slot + gap / 2;
            let mut below = 0;
            for (s, v) in p.values.iter().enumerate() {
                let (class, name) = self.series.get(s).map_or(("b0", ""), |(c, n)| (*c, n));
                let x = if self.stacked { x0 } else { x0 + s as i64 * w };
                let (y, h) = if self.stacked {
                    let y = y_of(below + v);
                    let h = y_of(below) - y;
                    below += v;
                    (y, h)
                } else {
                    let y = y_of(*v);
                    (y, TOP + plot_h - y)
                };
                columns.push(Column {
                    x,
                    y,
                    w,
                    h,
                    class,
                    title: format!("{} – {name}: {}", p.label, self.unit.full(*v)),
                    href: p.hrefs.get(s).cloned().flatten(),
                });
                // A value above its own column where there is room for it.
                if !self.stacked && w >= 20 {
                    values.push(Label {
                        x: x + w / 2,
                        y: y - 3,
                        anchor: "middle",
                        text: self.unit.short(*v),
                    });
                }
            }
            if self.stacked && slot >= 36 {
                values.push(Label {
                    x: x0 + w / 2,
                    y: y_of(below) - 3,
                    anchor: "middle",
                    text: self.unit.short(below),
                });
            }
            if i == n - 1 && n > 1 {
                // The last label ends at the chart's edge, so that a long date is not cut.
                periods.push(Label {
                    x: LEFT + (i + 1) * slot,
                    y: HEIGHT - BOTTOM + 16,
                    anchor: "end",
                    text: p.label.clone(),
                });
            } else if i % every == 0 {
                periods.push(Label {
                    x: LEFT + i * slot + slot / 2,
                    y: HEIGHT - BOTTOM + 16,
                    anchor: "middle",
                    text: p.label.clone(),
                });
            }
        }
        // The last period's label may crowd the one before it.
        if periods.len() >= 2 {
            let last = periods.len() - 1;
            // About 8 units a character: the last label ends at its x, the one before is
            // centred on its x; keep a gap of at least 12 between them.
            let width = |l: &Label| 8 * l.text.chars().count() as i64;
            let (a, b) = (&periods[last - 1], &periods[last]);
            if b.x - width(b) - (a.x + width(a) / 2) < 12 {
                periods.remove(last - 1);
            }
        }
        Drawing {
            width: WIDTH,
            height: HEIGHT,
            grid,
            plot_left: LEFT,
            plot_right: WIDTH - RIGHT,
            columns,
            values,
            periods,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(stacked: bool, values: &[[i64; 2]]) -> TrendChart {
        TrendChart {
            id: "t".into(),
            title: "Thử".into(),
            series: vec![("b0", "A".into()), ("b1", "B".into())],
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| Point {
                    label: format!("{}", 2020 + i),
                    values: v.to_vec(),
                    hrefs: vec![None, Some(format!("/x/{i}"))],
                })
                .collect(),
            stacked,
            unit: Unit::Count,
            period_heading: "Năm".into(),
            table_label: "Bảng số liệu".into(),
        }
    }

    #[test]
    fn scales_step_by_one_two_or_five() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(1_234), 500);
        assert_eq!(nice_step(24_164_000_000), 10_000_000_000);
    }

    #[test]
    fn columns_stand_on_the_axis_and_the_largest_reaches_the_scale() {
        let d = chart(false, &[[10, 4], [20, 0]]).drawing();
        let base = HEIGHT - BOTTOM;
        assert!(d.columns.iter().all(|c| c.y + c.h == base));
        let tallest = d.columns.iter().map(|c| c.h).max().unwrap();
        assert_eq!(
            tallest,
            base - TOP,
            "20 is the top of a scale of 5, 10, 15, 20"
        );
        assert_eq!(d.columns[3].h, 0, "zero is no column");
        assert_eq!(d.columns[1].href.as_deref(), Some("/x/0"));
        assert_eq!(d.columns[0].title, "2020 – A: 10");
        assert_eq!(d.grid.last().unwrap().1.text, "20");
    }

    #[test]
    fn stacked_parts_sit_on_each_other() {
        let d = chart(true, &[[6, 4]]).drawing();
        let (a, b) = (&d.columns[0], &d.columns[1]);
        assert_eq!(b.y + b.h, a.y, "B on top of A");
        assert_eq!(d.values[0].text, "10", "the total above the column");
    }

    #[test]
    fn money_is_written_short_on_the_scale_and_in_full_in_the_table() {
        assert_eq!(Unit::Money.short(24_164_000_000), "24,2 tỷ");
        assert_eq!(Unit::Money.short(950_400_000), "950 triệu");
        assert_eq!(Unit::Money.full(1_500_000), "1.500.000 đồng");
    }
}
