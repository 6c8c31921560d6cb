//! Chart geometry (pure): scales, ticks and point positions in SVG pixel coordinates. The UI
//! only draws what this computes, so the geometry is tested natively.

use crate::core::results::Results;

use crate::core::present::explain::arm_title;
pub use crate::core::stats::describe::nice_ticks;

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    pub fn px(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    /// Text for screen readers and tooltips.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// `intervention`, `control` or `all` (the UI colours by it).
    pub arm: String,
    pub points: Vec<Point>,
}

/// A line chart of mean scores over time, one line per arm.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub width: f64,
    pub height: f64,
    pub series: Vec<Series>,
    /// (pixel y, label).
    pub y_ticks: Vec<(f64, String)>,
    /// (pixel x, label).
    pub x_labels: Vec<(f64, String)>,
    pub plot_left: f64,
    pub plot_right: f64,
    /// One sentence describing the chart for screen readers.
    pub description: String,
}

/// Mean score before, after and (when present) at follow-up, per arm. Pre and post means are
/// over complete pre/post pairs; the follow-up mean is over complete pre/follow-up pairs.
pub fn means_over_time(r: &Results) -> Option<LineChart> {
    let (width, height) = (520.0, 260.0);
    let (left, right, top, bottom) = (48.0, width - 140.0, 16.0, height - 36.0);
    let has_fu = !r.paired_followup.is_empty();
    let times: Vec<&str> = if has_fu { vec!["Before", "After", "Follow-up"] } else { vec!["Before", "After"] };
    let mut raw: Vec<(String, Vec<(usize, f64)>)> = Vec::new();
    for arm in ["intervention", "control", "all"] {
        let Some(p) = r.paired.get(arm) else { continue };
        let mut pts = Vec::new();
        if let Some(m) = p.mean_pre {
            pts.push((0, m));
        }
        if let Some(m) = p.mean_post {
            pts.push((1, m));
        }
        if let Some(m) = r.paired_followup.get(arm).and_then(|f| f.mean_post) {
            pts.push((2, m));
        }
        if !pts.is_empty() {
            raw.push((arm.to_string(), pts));
        }
    }
    let values: Vec<f64> = raw.iter().flat_map(|(_, p)| p.iter().map(|x| x.1)).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let pad = ((hi - lo) * 0.15).max(0.05);
    let ticks = nice_ticks(lo - pad, hi + pad, 5);
    let (t0, t1) = (*ticks.first()?, *ticks.last()?);
    let ys = Scale { d0: t0, d1: t1, p0: bottom, p1: top };
    let xs = Scale { d0: 0.0, d1: (times.len() - 1) as f64, p0: left + 20.0, p1: right - 20.0 };
    let series: Vec<Series> = raw
        .into_iter()
        .map(|(arm, pts)| Series {
            points: pts
                .iter()
                .map(|&(t, m)| Point {
                    x: xs.px(t as f64),
                    y: ys.px(m),
                    label: format!("{}, {}: mean {m:.2}", arm_title(&arm), times[t].to_lowercase()),
                })
                .collect(),
            arm,
        })
        .collect();
    let description = series
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                arm_title(&s.arm),
                s.points.iter().map(|p| p.label.split(": ").nth(1).unwrap_or("")).collect::<Vec<_>>().join(" → ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(LineChart {
        width,
        height,
        y_ticks: ticks.iter().map(|&t| (ys.px(t), format_tick(t))).collect(),
        x_labels: times.iter().enumerate().map(|(i, t)| (xs.px(i as f64), t.to_string())).collect(),
        series,
        plot_left: left,
        plot_right: right,
        description: format!("Mean scores over time. {description}."),
    })
}

/// A generic x–y chart: points and/or a polyline, with ticks and zero lines.
#[derive(Debug, Clone, PartialEq)]
pub struct XyChart {
    pub width: f64,
    pub height: f64,
    pub plot: (f64, f64, f64, f64),
    pub points: Vec<(f64, f64)>,
    /// The highlighted point (the point estimate), if any.
    pub mark: Option<(f64, f64)>,
    /// A polyline through `line` (already in pixels), if any.
    pub line: Vec<(f64, f64)>,
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    /// Pixel positions of x = 0 and y = 0 when inside the plot.
    pub zero_x: Option<f64>,
    pub zero_y: Option<f64>,
    pub x_label: String,
    pub y_label: String,
    pub description: String,
    /// Named lines (pixels), drawn over the points, with a legend.
    pub series: Vec<XySeries>,
    /// Horizontal bands behind the data (pixels), each named.
    pub bands: Vec<XyBand>,
    /// A named vertical marker (pixel x), e.g. the program start.
    pub vline: Option<(f64, String)>,
}

/// One named line of an [`XyChart`]; `style` is a CSS class suffix chosen by the builder
/// (`s0`…`s5`: colour-blind-safe colours; `dashed` lines also differ in dash pattern).
#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    pub label: String,
    pub style: String,
    pub dashed: bool,
    /// Drawn thicker: the line the chart is about (e.g. the plan's own power curve).
    pub bold: bool,
    pub line: Vec<(f64, f64)>,
}

/// A horizontal band between two y pixel positions (`top` < `bottom`).
#[derive(Debug, Clone, PartialEq)]
pub struct XyBand {
    pub top: f64,
    pub bottom: f64,
    pub label: String,
    pub style: String,
}

/// A line of a [`series_chart`] in data units.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSpec {
    pub label: String,
    pub dashed: bool,
    pub bold: bool,
    pub data: Vec<(f64, f64)>,
}

/// A band of a [`series_chart`] in data units (y from `lo` to `hi`).
#[derive(Debug, Clone, PartialEq)]
pub struct BandSpec {
    pub lo: f64,
    pub hi: f64,
    pub label: String,
}

/// Several named lines (and optional points, bands and a vertical marker) on shared axes.
/// `y_range` fixes the y axis (e.g. 0 to 1 for power); otherwise it covers the data and zero.
/// `None` when there is nothing finite to draw.
#[allow(clippy::too_many_arguments)]
pub fn series_chart(
    lines: &[LineSpec],
    points: &[(f64, f64)],
    y_range: Option<(f64, f64)>,
    bands: &[BandSpec],
    vline: Option<(f64, &str)>,
    x_label: &str,
    y_label: &str,
    description: String,
) -> Option<XyChart> {
    let (width, height) = (520.0, 300.0);
    let plot = (64.0, 14.0, width - 14.0, height - 44.0);
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let all: Vec<(f64, f64)> =
        lines.iter().flat_map(|l| l.data.iter()).chain(points.iter()).filter(finite).copied().collect();
    let (x0, x1) = range(all.iter().map(|p| p.0).chain(vline.map(|v| v.0)))?;
    let xt = nice_ticks(x0, x1, 6);
    let yt = match y_range {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => nice_ticks(a, b, 6),
        _ => {
            let (y0, y1) = range(all.iter().map(|p| p.1).chain([0.0]))?;
            nice_ticks(y0, y1, 6)
        }
    };
    let xs = Scale { d0: *xt.first()?, d1: *xt.last()?, p0: plot.0, p1: plot.2 };
    let ys = Scale { d0: *yt.first()?, d1: *yt.last()?, p0: plot.3, p1: plot.1 };
    let clamp_y = |v: f64| v.clamp(plot.1, plot.3);
    let to_px = |data: &[(f64, f64)]| {
        data.iter().filter(finite).map(|&(x, y)| (xs.px(x), clamp_y(ys.px(y)))).collect::<Vec<_>>()
    };
    let series = lines
        .iter()
        .enumerate()
        .map(|(i, l)| XySeries {
            label: l.label.clone(),
            style: format!("s{}", i % 6),
            dashed: l.dashed,
            bold: l.bold,
            line: to_px(&l.data),
        })
        .filter(|s| !s.line.is_empty())
        .collect();
    let bands = bands
        .iter()
        .enumerate()
        .filter(|(_, b)| b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo)
        .map(|(i, b)| XyBand {
            top: clamp_y(ys.px(b.hi)),
            bottom: clamp_y(ys.px(b.lo)),
            label: b.label.clone(),
            style: format!("b{}", i % 4),
        })
        .collect();
    Some(XyChart {
        width,
        height,
        plot,
        points: to_px(points),
        mark: None,
        line: Vec::new(),
        x_ticks: xt.iter().map(|&t| (xs.px(t), format_tick(t))).collect(),
        y_ticks: yt.iter().map(|&t| (ys.px(t), format_tick(t))).collect(),
        zero_x: None,
        zero_y: None,
        x_label: x_label.into(),
        y_label: y_label.into(),
        description,
        series,
        bands,
        vline: vline.filter(|v| v.0.is_finite()).map(|(x, label)| (xs.px(x), label.to_string())),
    })
}

fn range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    (lo <= hi).then_some((lo, hi))
}

/// Scatter of (x, y) data with an optional marked point; both axes include zero.
pub fn xy_chart(
    data: &[(f64, f64)],
    mark: Option<(f64, f64)>,
    line: bool,
    x_label: &str,
    y_label: &str,
    description: String,
) -> Option<XyChart> {
    let (width, height) = (520.0, 300.0);
    let plot = (64.0, 14.0, width - 14.0, height - 44.0);
    let all: Vec<(f64, f64)> =
        data.iter().copied().chain(mark).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    let (x0, x1) = range(all.iter().map(|p| p.0).chain([0.0]))?;
    let (y0, y1) = range(all.iter().map(|p| p.1).chain([0.0]))?;
    let xt = nice_ticks(x0, x1, 6);
    let yt = nice_ticks(y0, y1, 6);
    let xs = Scale { d0: *xt.first()?, d1: *xt.last()?, p0: plot.0, p1: plot.2 };
    let ys = Scale { d0: *yt.first()?, d1: *yt.last()?, p0: plot.3, p1: plot.1 };
    let inside = |v: f64, t: &[f64]| t.first().is_some_and(|a| *a < v) && t.last().is_some_and(|b| v < *b);
    let px: Vec<(f64, f64)> = all.iter().take(data.len().min(all.len())).map(|&(x, y)| (xs.px(x), ys.px(y))).collect();
    Some(XyChart {
        width,
        height,
        plot,
        line: if line { px.clone() } else { Vec::new() },
        points: if line { Vec::new() } else { px },
        mark: mark.filter(|(x, y)| x.is_finite() && y.is_finite()).map(|(x, y)| (xs.px(x), ys.px(y))),
        x_ticks: xt.iter().map(|&t| (xs.px(t), format_tick(t))).collect(),
        y_ticks: yt.iter().map(|&t| (ys.px(t), format_tick(t))).collect(),
        zero_x: inside(0.0, &xt).then(|| xs.px(0.0)),
        zero_y: inside(0.0, &yt).then(|| ys.px(0.0)),
        x_label: x_label.into(),
        y_label: y_label.into(),
        description,
        series: Vec::new(),
        bands: Vec::new(),
        vline: None,
    })
}

/// One row of an interval (forest) chart, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    pub label: String,
    pub y: f64,
    pub x: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// Text for screen readers and tooltips.
    pub text: String,
}

/// A horizontal interval chart: a point and its interval per row (forest plot, proportions).
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalChart {
    pub width: f64,
    pub height: f64,
    pub plot: (f64, f64, f64, f64),
    pub rows: Vec<IntervalRow>,
    pub x_ticks: Vec<(f64, String)>,
    pub zero_x: Option<f64>,
    pub x_label: String,
    pub description: String,
}

/// One bar of a tornado chart: label, the outcome at the input's low and at its high value.
pub type TornadoRow = (String, Option<f64>, Option<f64>);

/// One row of an interval chart: label, estimate, low and high limits.
pub type IntervalInput = (String, Option<f64>, Option<f64>, Option<f64>);

/// Lays out `(label, estimate, low, high)` rows; rows without an estimate are listed but not drawn.
/// With `include_zero` the axis always contains 0 (differences); otherwise it spans the data.
pub fn interval_chart(rows: &[IntervalInput], include_zero: bool, x_label: &str) -> Option<IntervalChart> {
    let row_h = 26.0;
    let (width, left, right, top) = (560.0, 170.0, 540.0, 10.0);
    let height = top + row_h * rows.len() as f64 + 40.0;
    let bottom = height - 34.0;
    let values = rows.iter().flat_map(|r| [r.1, r.2, r.3]).flatten().chain(include_zero.then_some(0.0));
    let (lo, hi) = range(values)?;
    let ticks = nice_ticks(lo, hi, 6);
    let xs = Scale { d0: *ticks.first()?, d1: *ticks.last()?, p0: left, p1: right };
    let fmt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "not computable".into());
    let out: Vec<IntervalRow> = rows
        .iter()
        .enumerate()
        .map(|(i, (label, est, l, h))| IntervalRow {
            label: label.clone(),
            y: top + row_h * (i as f64 + 0.5),
            x: est.filter(|v| v.is_finite()).map(|v| xs.px(v)),
            lo: l.filter(|v| v.is_finite()).map(|v| xs.px(v)),
            hi: h.filter(|v| v.is_finite()).map(|v| xs.px(v)),
            text: format!("{label}: {} ({} to {})", fmt(*est), fmt(*l), fmt(*h)),
        })
        .collect();
    let description = out.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join("; ");
    Some(IntervalChart {
        width,
        height,
        plot: (left, top, right, bottom),
        rows: out,
        x_ticks: ticks.iter().map(|&t| (xs.px(t), format_tick(t))).collect(),
        zero_x: (ticks.first().is_some_and(|a| *a < 0.0) && ticks.last().is_some_and(|b| *b > 0.0)).then(|| xs.px(0.0)),
        x_label: x_label.into(),
        description,
    })
}

/// One bar of a [`TornadoChart`]: the result with the input at its low and at its high value.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub y: f64,
    /// Pixel x of the result with the input low / high (`None` = not computable).
    pub low_x: Option<f64>,
    pub high_x: Option<f64>,
    pub text: String,
}

/// A one-way sensitivity tornado: a bar per input from the base result to its value with the
/// input low and high, widest first.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    pub width: f64,
    pub height: f64,
    pub plot: (f64, f64, f64, f64),
    pub base_x: f64,
    pub bar_h: f64,
    pub bars: Vec<TornadoBar>,
    pub x_ticks: Vec<(f64, String)>,
    pub x_label: String,
    pub description: String,
}

/// Lays out `(label, result at low input, result at high input)` around `base`, sorted by the
/// bar's width (widest on top); rows with neither value computable are left out. `fmt` writes
/// a value for the text alternative. `None` when nothing is drawable.
pub fn tornado_chart(
    base: f64,
    rows: &[TornadoRow],
    x_label: &str,
    fmt: &dyn Fn(f64) -> String,
) -> Option<TornadoChart> {
    if !base.is_finite() {
        return None;
    }
    let ok = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let mut kept: Vec<(String, Option<f64>, Option<f64>)> = rows
        .iter()
        .filter(|r| ok(&r.1).is_some() || ok(&r.2).is_some())
        .map(|r| (r.0.clone(), ok(&r.1), ok(&r.2)))
        .collect();
    if kept.is_empty() {
        return None;
    }
    let spread = |r: &(String, Option<f64>, Option<f64>)| {
        let a = r.1.unwrap_or(base);
        let b = r.2.unwrap_or(base);
        (a.max(b).max(base) - a.min(b).min(base)).abs()
    };
    kept.sort_by(|a, b| spread(b).total_cmp(&spread(a)));
    let row_h = 30.0;
    let (width, left, right, top) = (620.0, 250.0, 600.0, 10.0);
    let height = top + row_h * kept.len() as f64 + 40.0;
    let bottom = height - 34.0;
    let (lo, hi) = range(kept.iter().flat_map(|r| [r.1, r.2]).flatten().chain([base]))?;
    let ticks = nice_ticks(lo, hi, 6);
    let xs = Scale { d0: *ticks.first()?, d1: *ticks.last()?, p0: left, p1: right };
    let show = |v: Option<f64>| v.map(fmt).unwrap_or_else(|| "not computable".into());
    let bars: Vec<TornadoBar> = kept
        .iter()
        .enumerate()
        .map(|(i, (label, l, h))| TornadoBar {
            // Long names are shortened on the chart; the full name is in `text`.
            label: if label.chars().count() > 36 {
                format!("{}…", label.chars().take(35).collect::<String>())
            } else {
                label.clone()
            },
            y: top + row_h * (i as f64 + 0.5),
            low_x: l.map(|v| xs.px(v)),
            high_x: h.map(|v| xs.px(v)),
            text: format!("{label}: {} with the input low, {} with it high", show(*l), show(*h)),
        })
        .collect();
    let description = format!(
        "Sensitivity of {x_label} (base {}), widest first: {}.",
        fmt(base),
        bars.iter().map(|b| b.text.clone()).collect::<Vec<_>>().join("; ")
    );
    Some(TornadoChart {
        width,
        height,
        plot: (left, top, right, bottom),
        base_x: xs.px(base),
        bar_h: row_h * 0.6,
        bars,
        x_ticks: ticks.iter().map(|&t| (xs.px(t), format_tick(t))).collect(),
        x_label: x_label.into(),
        description,
    })
}

fn format_tick(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        format!("{t:.0}")
    } else {
        let s = format!("{t:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::stats::paired::paired;

    #[test]
    fn ticks_are_nice_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 10.0, 6), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = nice_ticks(2.63, 3.41, 5);
        assert!(t[0] <= 2.63 && *t.last().unwrap() >= 3.41, "{t:?}");
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(!nice_ticks(3.0, 3.0, 5).is_empty(), "a flat range still gets ticks");
    }

    #[test]
    fn xy_chart_places_points_and_zero_lines() {
        let c = xy_chart(&[(0.1, 50.0), (-0.05, 20.0)], Some((0.2, 60.0)), false, "x", "y", "d".into()).unwrap();
        assert_eq!(c.points.len(), 2);
        let (mx, my) = c.mark.unwrap();
        assert!(mx > c.points[0].0 && my < c.points[0].1, "the mark is right of and above the first point");
        assert!(c.zero_x.is_some(), "x spans zero");
        assert!(c.zero_y.is_none(), "y starts at zero, so its zero line is the axis");
        assert!(xy_chart(&[], None, false, "x", "y", String::new()).is_some(), "zero alone still gives axes");
        assert!(xy_chart(&[(f64::NAN, 1.0)], None, true, "x", "y", String::new()).unwrap().line.is_empty());
    }

    #[test]
    fn interval_rows_keep_order_and_scale() {
        let rows = vec![
            ("a".to_string(), Some(-0.5), Some(-0.9), Some(-0.1)),
            ("b".to_string(), Some(0.2), Some(-0.1), Some(0.5)),
            ("c".to_string(), None, None, None),
        ];
        let c = interval_chart(&rows, true, "change").unwrap();
        assert_eq!(c.rows.len(), 3);
        assert!(c.rows[0].y < c.rows[1].y);
        let (a, b) = (&c.rows[0], &c.rows[1]);
        assert!(a.lo.unwrap() < a.x.unwrap() && a.x.unwrap() < a.hi.unwrap());
        assert!(
            a.x.unwrap() < c.zero_x.unwrap() && c.zero_x.unwrap() < b.x.unwrap(),
            "zero between a negative and a positive estimate"
        );
        assert!(c.rows[2].x.is_none() && c.rows[2].text.contains("not computable"));
        assert!(interval_chart(&[], false, "x").is_none());
    }

    #[test]
    fn lower_means_are_drawn_lower() {
        let mut r = Results::default();
        r.paired.insert("all".into(), paired(&[(4.0, 3.0), (4.5, 3.0), (3.5, 3.0)], 0.05));
        let c = means_over_time(&r).unwrap();
        let pts = &c.series[0].points;
        assert_eq!(pts.len(), 2);
        assert!(pts[1].y > pts[0].y, "post mean is smaller so its pixel y is larger (SVG y grows down)");
        assert!(pts[0].x < pts[1].x);
        assert!(c.description.contains("mean 4.00") && c.description.contains("mean 3.00"), "{}", c.description);
        assert!(means_over_time(&Results::default()).is_none());
        // Arms in the words of the page, never the results' keys.
        r.paired.insert("intervention".into(), paired(&[(4.0, 3.0), (4.5, 3.5), (3.5, 3.0)], 0.05));
        r.paired.insert("control".into(), paired(&[(4.0, 4.0), (4.5, 4.0), (3.5, 3.5)], 0.05));
        let c = means_over_time(&r).unwrap();
        assert!(
            c.description.starts_with(
                "Mean scores over time. Program group: mean 4.00 → mean 3.17; Comparison group: mean 4.00 → mean 3.83"
            ),
            "{}",
            c.description
        );
        assert_eq!(c.series[0].points[1].label, "Program group, after: mean 3.17");
    }

    #[test]
    fn series_chart_places_lines_bands_and_marker() {
        let lines = vec![
            LineSpec {
                label: "d = 0.2".into(),
                dashed: false,
                bold: true,
                data: vec![(10.0, 0.1), (100.0, 0.5), (200.0, 0.8)],
            },
            LineSpec { label: "none".into(), dashed: true, bold: false, data: vec![(f64::NAN, 1.0)] },
        ];
        let bands = vec![
            BandSpec { lo: 0.0, hi: 0.5, label: "likely to miss".into() },
            BandSpec { lo: 0.8, hi: 0.95, label: "probably".into() },
        ];
        let c = series_chart(
            &lines,
            &[(50.0, 0.3)],
            Some((0.0, 1.0)),
            &bands,
            Some((100.0, "start")),
            "n",
            "Power",
            "x".into(),
        )
        .unwrap();
        let (l, t, r, b) = c.plot;
        // A line with no finite point is dropped; the other keeps its three points.
        assert_eq!(c.series.len(), 1);
        assert_eq!(c.series[0].line.len(), 3);
        // y from 0 to 1: power 0.5 sits half-way up, 0 on the bottom axis.
        let y05 = c.series[0].line[1].1;
        assert!((y05 - (t + b) / 2.0).abs() < 1e-9, "{y05}");
        assert!((c.bands[0].bottom - b).abs() < 1e-9 && (c.bands[0].top - y05).abs() < 1e-9);
        assert!(c.bands[1].top < c.bands[1].bottom);
        // x ticks 0..200: the marker at 100 is in the middle.
        let (vx, label) = c.vline.clone().unwrap();
        assert!((vx - (l + r) / 2.0).abs() < 1e-9 && label == "start");
        assert_eq!(c.points.len(), 1);
        // Nothing finite: no chart.
        assert!(series_chart(&lines[1..], &[], None, &[], None, "", "", String::new()).is_none());
    }

    #[test]
    fn tornado_sorts_by_width_and_places_bars_around_the_base() {
        let rows = vec![
            ("small".to_string(), Some(95.0), Some(105.0)),
            ("none".to_string(), None, None),
            ("wide".to_string(), Some(60.0), Some(140.0)),
            ("one side".to_string(), None, Some(120.0)),
        ];
        let c = tornado_chart(100.0, &rows, "ICER", &|v| format!("{v:.0}")).unwrap();
        let labels: Vec<&str> = c.bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, vec!["wide", "one side", "small"]);
        let (l, _, r, _) = c.plot;
        // Ticks 60..140: the base (100) is in the middle; "wide" spans the whole axis.
        assert!((c.base_x - (l + r) / 2.0).abs() < 1e-9);
        assert!((c.bars[0].low_x.unwrap() - l).abs() < 1e-9 && (c.bars[0].high_x.unwrap() - r).abs() < 1e-9);
        assert!(c.bars[1].low_x.is_none());
        assert!(c.bars[0].y < c.bars[1].y);
        assert!(c.description.contains("wide: 60 with the input low, 140 with it high"));
        assert!(tornado_chart(f64::NAN, &rows, "", &|v| v.to_string()).is_none());
        assert!(tornado_chart(1.0, &rows[1..2], "", &|v| v.to_string()).is_none());
    }
}
