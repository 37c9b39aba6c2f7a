//! Self-contained HTML: the score bulletin (league tables with rank-movement arrows, a bar
//! chart of totals per group, a rank-trend chart across periods, the warnings) and a plain
//! rendering of any other report's [`Document`]. CSS, SVG and the one small script are
//! inline; nothing is loaded from the network. Every piece of text from the rules or data
//! goes through [`escape`]. A4 print styles put each group on its own page.

use std::fmt::Write as _;

use super::doc::Block;
use super::lang::msg;
use super::league;
use super::{warnings, Document, Lang};
use crate::result::{Change, Level, PeriodResult, UnitResult};
use crate::rounding::format_fixed;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --red: #c62828; --yellow: #b7950b; --up: #2e7d32; --down: #c62828; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  margin: 24px auto; max-width: 1180px; color: #1f2328; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 22px; border-bottom: 3px solid var(--red); padding-bottom: 8px; }
h2 { font-size: 18px; margin-top: 28px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: #444; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.tier-0 td.tier { background: #e6f4ea; }
.tier-1 td.tier { background: #e8f0fe; }
.tier-2 td.tier { background: #fef7e0; }
.tier-3 td.tier { background: #fce8e6; }
.up { color: var(--up); font-weight: 600; }
.down { color: var(--down); font-weight: 600; }
.same, .muted { color: #888; }
.new { color: #1a73e8; }
.badge { display: inline-block; border-radius: 3px; padding: 0 5px; color: #fff; font-size: 12px; }
.badge.red { background: var(--red); }
.badge.yellow { background: var(--yellow); }
.veto { color: var(--red); font-weight: 600; }
tr.red td.level { color: var(--red); font-weight: 600; }
tr.yellow td.level { color: var(--yellow); font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.charts figure { margin: 0; flex: 1 1 520px; }
figcaption { font-size: 13px; color: #444; margin-bottom: 4px; }
svg text { font-size: 11px; fill: #1f2328; }
svg .axis { stroke: #999; stroke-width: 1; }
svg .grid { stroke: #e5e5e5; stroke-width: 1; }
footer { margin-top: 32px; font-size: 12px; color: #777; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  section.group { break-before: page; }
  section.group:first-of-type { break-before: auto; }
  section.warnings { break-before: page; }
  .charts { display: block; }
  .charts figure { break-inside: avoid; margin-bottom: 8mm; }
  table { font-size: 10pt; }
}
"#;

/// Checks, once the page is loaded, that every chart drew something; the browser test reads
/// the flag. It touches no data and loads nothing.
const SCRIPT: &str = r#"
document.addEventListener("DOMContentLoaded", function () {
  var charts = document.querySelectorAll("svg.chart");
  var ok = charts.length > 0;
  charts.forEach(function (c) {
    if (c.querySelectorAll("rect.bar, polyline.trend").length === 0) { ok = false; }
  });
  document.body.dataset.ok = ok ? "1" : "0";
});
"#;

/// Colours for the trend lines, chosen to stay apart.
const PALETTE: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
];

fn page(title: &str, lang: Lang, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}<script>{SCRIPT}</script>\n</body>\n</html>\n",
        lang.code(),
        escape(title)
    )
}

/// Any report's document as a plain HTML page (headings, tables, lists).
pub fn document(doc: &Document, lang: Lang) -> String {
    let mut b = format!("<h1>{}</h1>\n", escape(&doc.title));
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                let _ = writeln!(b, "<h2>{}</h2>", escape(h));
            }
            Block::Table(g) => {
                b.push_str("<table>\n<thead><tr>");
                for (i, h) in g.headings.iter().enumerate() {
                    let _ = write!(b, "<th{}>{}</th>", num_class(&g.numeric, i), escape(h));
                }
                b.push_str("</tr></thead>\n<tbody>\n");
                for r in &g.rows {
                    b.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        let _ = write!(b, "<td{}>{}</td>", num_class(&g.numeric, i), escape(c));
                    }
                    b.push_str("</tr>\n");
                }
                b.push_str("</tbody>\n</table>\n");
            }
            Block::Lines(lines) => {
                b.push_str("<ul>\n");
                for l in lines {
                    let _ = writeln!(b, "<li>{}</li>", escape(l));
                }
                b.push_str("</ul>\n");
            }
        }
    }
    page(&doc.title, lang, &b)
}

fn num_class(numeric: &[bool], i: usize) -> &'static str {
    if numeric.get(i).copied().unwrap_or(false) {
        " class=\"num\""
    } else {
        ""
    }
}

/// The score bulletin for one period. `history` holds the earlier periods' results, oldest
/// first, for the rank-trend chart (the current period is added at its end).
pub fn bulletin(result: &PeriodResult, history: &[&PeriodResult], lang: Lang) -> String {
    let title = league::title(result, lang);
    let tally = league::tally(result);
    let d = result.decimals;
    let mut b = format!("<h1>{}</h1>\n", escape(&title));
    let _ = writeln!(
        b,
        "<p class=\"summary\">{}</p>",
        escape(&league::warnings_heading(result, lang))
    );
    let mut periods: Vec<&PeriodResult> = history.to_vec();
    periods.push(result);
    let prev = league::has_previous(result);
    let year = league::has_year_earlier(result);
    for g in &result.groups {
        let _ = writeln!(
            b,
            "<section class=\"group\" id=\"group-{}\">\n<h2>{}</h2>",
            escape(&g.id),
            escape(&league::group_heading(&g.name, g.units.len(), lang))
        );
        b.push_str("<table class=\"league\">\n<thead><tr>");
        let mut heads: Vec<(String, bool)> = vec![
            (lang.t("排名").into(), true),
            (lang.t("单位").into(), false),
            (lang.t("总分").into(), true),
        ];
        heads.extend(result.categories.iter().map(|c| (c.name.clone(), true)));
        heads.push((lang.t("加减分").into(), true));
        heads.push((lang.t("等次").into(), false));
        if prev {
            heads.push((lang.t("环比").into(), false));
        }
        if year {
            heads.push((lang.t("同比").into(), false));
        }
        heads.push((lang.t("预警").into(), false));
        for (h, n) in &heads {
            let class = if *n { " class=\"num\"" } else { "" };
            let _ = write!(b, "<th{class}>{}</th>", escape(h));
        }
        b.push_str("</tr></thead>\n<tbody>\n");
        let tiers = tier_order(&g.units);
        for u in &g.units {
            let counts = league::unit_counts(&tally, u);
            let tier_class = u
                .tier
                .as_ref()
                .and_then(|t| tiers.iter().position(|x| x == t))
                .map_or(String::new(), |i| format!(" class=\"tier-{}\"", i.min(3)));
            let _ = write!(
                b,
                "<tr{tier_class}><td class=\"num\">{}</td><td>{}</td><td class=\"num\"><b>{}</b></td>",
                u.rank,
                escape(&u.name),
                format_fixed(u.total, d)
            );
            for c in &u.categories {
                let _ = write!(
                    b,
                    "<td class=\"num\">{}</td>",
                    c.map_or("—".into(), |v| format_fixed(v, d))
                );
            }
            let adj = league::adjustments(u, d, lang);
            let adj_class = if u.vetoed { "num veto" } else { "num" };
            let _ = write!(b, "<td class=\"{adj_class}\">{}</td>", escape(&adj));
            let _ = write!(
                b,
                "<td class=\"tier\">{}</td>",
                escape(u.tier.as_deref().unwrap_or("—"))
            );
            if prev {
                b.push_str(&movement_cell(u.movement.previous.as_ref(), lang));
            }
            if year {
                b.push_str(&movement_cell(u.movement.year_earlier.as_ref(), lang));
            }
            b.push_str(&warning_cell(counts, u, lang));
            b.push_str("</tr>\n");
        }
        b.push_str("</tbody>\n</table>\n<div class=\"charts\">\n");
        b.push_str(&bar_chart(g.units.as_slice(), d, lang));
        b.push_str(&trend_chart(&periods, &g.id, &g.units, lang));
        b.push_str("</div>\n</section>\n");
    }
    b.push_str(&warnings_section(result, lang));
    let _ = writeln!(b, "<footer>{}</footer>", lang.text(msg::GENERATED));
    page(&title, lang, &b)
}

/// The group's tier names in the order they appear (best first).
fn tier_order(units: &[UnitResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in units.iter().filter_map(|u| u.tier.clone()) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn movement_cell(c: Option<&Change>, lang: Lang) -> String {
    let Some(c) = c else {
        return "<td class=\"muted\">—</td>".into();
    };
    let class = match c {
        Change::New => "new",
        Change::Moved { places, .. } if *places > 0 => "up",
        Change::Moved { places, .. } if *places < 0 => "down",
        Change::Moved { .. } => "same",
    };
    format!(
        "<td class=\"{class}\">{}</td>",
        escape(&league::arrow(c, lang))
    )
}

fn warning_cell((red, yellow): (u32, u32), u: &UnitResult, lang: Lang) -> String {
    if !u.submitted {
        return format!(
            "<td><span class=\"badge red\">{}</span></td>",
            lang.t("未报送")
        );
    }
    let mut s = String::from("<td>");
    if red > 0 {
        let _ = write!(s, "<span class=\"badge red\">{}{red}</span> ", lang.t("红"));
    }
    if yellow > 0 {
        let _ = write!(
            s,
            "<span class=\"badge yellow\">{}{yellow}</span>",
            lang.t("黄")
        );
    }
    if red == 0 && yellow == 0 {
        s.push_str("<span class=\"muted\">—</span>");
    }
    s.push_str("</td>");
    s
}

/// Horizontal bars of the group's totals, by rank. The axis starts below the lowest total
/// (labelled), so that differences of a point or two are visible.
fn bar_chart(units: &[UnitResult], decimals: u32, lang: Lang) -> String {
    let totals: Vec<f64> = units
        .iter()
        .map(|u| u.total.to_string().parse::<f64>().unwrap_or(0.0))
        .collect();
    let max = totals.iter().copied().fold(f64::MIN, f64::max).max(0.0);
    let min = totals.iter().copied().fold(f64::MAX, f64::min);
    let span = (max - min).max(1.0);
    let lo = ((min - span * 0.25).floor()).max(0.0).min(min.floor());
    let hi = max.ceil().max(lo + 1.0);
    let (label_w, plot_w, row_h, top) = (150.0, 360.0, 18.0, 20.0);
    let height = top + row_h * units.len() as f64 + 24.0;
    let width = label_w + plot_w + 60.0;
    let x = |v: f64| label_w + (v - lo) / (hi - lo) * plot_w;
    let mut s = format!(
        "<figure><figcaption>{}</figcaption>\n<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\">\n",
        lang.t("总分对比")
    );
    for i in 0..=4 {
        let v = lo + (hi - lo) * f64::from(i) / 4.0;
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{1:.1}\"/><text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\">{3}</text>",
            x(v),
            height - 20.0,
            height - 6.0,
            trim(v)
        );
    }
    let tiers = tier_order(units);
    for (i, (u, t)) in units.iter().zip(&totals).enumerate() {
        let y = top + row_h * i as f64;
        let colour = match u
            .tier
            .as_ref()
            .and_then(|t| tiers.iter().position(|x| x == t))
        {
            _ if u.vetoed => "#c62828",
            Some(0) => "#34a853",
            Some(1) => "#4285f4",
            Some(2) => "#fbbc04",
            _ => "#9aa0a6",
        };
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{} {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + row_h * 0.7,
            escape(&u.name),
            y + 2.0,
            (x(*t) - label_w).max(1.0),
            row_h - 4.0,
            escape(&u.name),
            format_fixed(u.total, decimals),
            x(*t) + 4.0,
            y + row_h * 0.7,
            format_fixed(u.total, decimals)
        );
    }
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"{label_w}\" x2=\"{label_w}\" y1=\"{top}\" y2=\"{:.1}\"/>",
        height - 20.0
    );
    s.push_str("</svg></figure>\n");
    s
}

/// A number for an axis label: no trailing zeros.
fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Each unit's rank in the group, period by period (1 at the top).
fn trend_chart(periods: &[&PeriodResult], group: &str, units: &[UnitResult], lang: Lang) -> String {
    let n = periods.len();
    let max_rank = periods
        .iter()
        .flat_map(|p| p.groups.iter().filter(|g| g.id == group))
        .flat_map(|g| g.units.iter().map(|u| u.rank))
        .max()
        .unwrap_or(1)
        .max(2);
    let (left, plot_w, top, plot_h, label_w) = (30.0, 380.0, 16.0, 14.0 * max_rank as f64, 150.0);
    let width = left + plot_w + label_w;
    // Room below for tied units' labels pushed down.
    let height = (top + plot_h + 34.0).max(top + 11.0 * units.len() as f64 + 8.0);
    let x = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |rank: u32| top + plot_h * f64::from(rank - 1) / f64::from(max_rank - 1);
    let mut s = format!(
        "<figure><figcaption>{}</figcaption>\n<svg class=\"chart trend\" role=\"img\" viewBox=\"0 0 {width} {height:.1}\" width=\"100%\">\n",
        lang.t("排名走势")
    );
    for (i, p) in periods.iter().enumerate() {
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{1:.1}\"/><text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\">{3}</text>",
            x(i),
            top + plot_h,
            top + plot_h + 16.0,
            escape(&p.period)
        );
    }
    for r in [1, max_rank] {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{r}</text>",
            left - 6.0,
            y(r) + 4.0
        );
    }
    let mut labels: Vec<(f64, f64, &str, String)> = Vec::new();
    for (k, u) in units.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<(usize, u32)> = periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.groups
                    .iter()
                    .filter(|g| g.id == group)
                    .flat_map(|g| &g.units)
                    .find(|x| x.id == u.id)
                    .map(|x| (i, x.rank))
            })
            .collect();
        let coords: Vec<String> = points
            .iter()
            .map(|(i, r)| format!("{:.1},{:.1}", x(*i), y(*r)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline class=\"trend\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\" points=\"{}\"><title>{}</title></polyline>",
            coords.join(" "),
            escape(&u.name)
        );
        for (i, r) in &points {
            let _ = writeln!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>",
                x(*i),
                y(*r)
            );
        }
        if let Some((i, r)) = points.last() {
            labels.push((y(*r) + 4.0, x(*i) + 6.0, colour, format!("{r} {}", u.name)));
        }
    }
    // The units' names at the end of their lines, pushed apart where ranks are tied.
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last_y = f64::MIN;
    for (y, x, colour, text) in labels {
        let y = y.max(last_y + 11.0);
        last_y = y;
        let _ = writeln!(
            s,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" style=\"fill:{colour}\">{}</text>",
            escape(&text)
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

fn warnings_section(result: &PeriodResult, lang: Lang) -> String {
    let mut s = format!(
        "<section class=\"warnings\">\n<h2>{}</h2>\n<table class=\"warnings\">\n<thead><tr>",
        escape(&league::warnings_heading(result, lang))
    );
    for h in [
        lang.t("等级"),
        lang.t("单位"),
        lang.t("预警事项"),
        lang.t("持续期数"),
        lang.t("整改情况"),
        lang.t("说明"),
    ] {
        let _ = write!(s, "<th>{h}</th>");
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for w in &result.warnings {
        let class = match w.level {
            Level::Red => "red",
            Level::Yellow => "yellow",
        };
        let _ = writeln!(
            s,
            "<tr class=\"{class}\"><td class=\"level\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            lang.t(w.level.label_zh()),
            escape(&w.unit_name),
            escape(&warnings::subject(w, lang)),
            w.age,
            lang.t(w.follow_up.label_zh()),
            escape(&warnings::sentence(w, lang))
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn plain_documents_escape_their_text() {
        let mut d = Document::new("<b>标题</b>");
        d.heading("a&b");
        let mut g = super::super::Grid::new(vec!["单位".into()], vec![false]);
        g.rows.push(vec!["<img src=x onerror=alert(1)>".into()]);
        d.table(g);
        let html = document(&d, Lang::Zh);
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("<h2>a&amp;b</h2>"));
        assert!(!html.contains("http"), "nothing from the network");
    }
}
