//! Excel workbooks (rust_xlsxwriter): the score bulletin (a sheet per group's league table, a
//! warnings sheet, a per-unit detail sheet; frozen headers, the campaign's decimals as
//! number formats, tier and warning colours) and a plain workbook of any other report's
//! tables. Text is always written as a string cell, so a unit name starting with `=` is never
//! a formula. The workbook's creation date is fixed, so the same inputs give the same bytes.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::doc::Block;
use super::league;
use super::{Document, Lang};
use crate::result::{Change, Level, PeriodResult, Status, UnitResult};

const TIER_FILLS: [u32; 4] = [0xE6F4EA, 0xE8F0FE, 0xFEF7E0, 0xFCE8E6];
const RED: u32 = 0xC62828;
const YELLOW: u32 = 0xB7950B;
const RED_FILL: u32 = 0xF8D7DA;
const YELLOW_FILL: u32 = 0xFFF3CD;
const GREEN: u32 = 0x2E7D32;

/// Excel's number format for `decimals` places: "0", "0.0", "0.00"…
pub fn number_format(decimals: u32) -> String {
    if decimals == 0 {
        "0".into()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the
/// workbook (case-insensitively).
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "Sheet".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({n})");
        let head: String = base.chars().take(31 - suffix.chars().count()).collect();
        name = format!("{head}{suffix}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Column widths from the widest text written (CJK characters count two).
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, text: &str) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        self.0[col] = self.0[col].max(text.width());
    }

    fn apply(&self, ws: &mut Worksheet, max: usize) -> Result<(), XlsxError> {
        for (i, w) in self.0.iter().enumerate() {
            ws.set_column_width(i as u16, (*w).clamp(4, max) as f64 + 2.0)?;
        }
        Ok(())
    }
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF1F3F5))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
}

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(14)
}

fn fixed_properties(workbook: &mut Workbook, title: &str, year: u16) -> Result<(), XlsxError> {
    let date = ExcelDateTime::from_ymd(year, 1, 1)?;
    let props = DocProperties::new()
        .set_title(title)
        .set_author("jingbiao")
        .set_creation_datetime(&date);
    workbook.set_properties(&props);
    Ok(())
}

/// Writes the title in row 0 and the headings in row 1, and freezes both (and the first
/// `frozen_cols` columns).
fn heading_rows(
    ws: &mut Worksheet,
    title: &str,
    headings: &[String],
    frozen_cols: u16,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, &title_format())?;
    let hf = header_format();
    for (i, h) in headings.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, h, &hf)?;
        widths.see(i as u16, h);
    }
    ws.set_freeze_panes(2, frozen_cols)?;
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(1, 1)?;
    Ok(())
}

fn to_f64(d: rust_decimal::Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// The score bulletin as a workbook.
pub fn bulletin(result: &PeriodResult, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = league::title(result, lang);
    let tally = league::tally(result);
    let year = result
        .period
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(2000);
    fixed_properties(&mut wb, &title, year)?;
    let d = result.decimals;
    let border = Format::new().set_border(FormatBorder::Thin);
    let num = border.clone().set_num_format(number_format(d));
    let signed = border
        .clone()
        .set_num_format(format!("+{0};-{0};{0}", number_format(d)));
    let int = border.clone().set_num_format("0");
    let bold_num = num.clone().set_bold();
    let mut taken = Vec::new();
    let prev = league::has_previous(result);
    let year_earlier = league::has_year_earlier(result);

    for g in &result.groups {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&g.name, &mut taken))?;
        let mut w = Widths::default();
        let mut heads: Vec<String> = ["排名", "单位", "总分"]
            .map(|h| lang.t(h).to_string())
            .to_vec();
        heads.extend(result.categories.iter().map(|c| c.name.clone()));
        heads.push(lang.t("加减分").into());
        heads.push(lang.t("等次").into());
        if prev {
            heads.push(lang.t("环比").into());
        }
        if year_earlier {
            heads.push(lang.t("同比").into());
        }
        heads.push(lang.t("预警").into());
        let group_title = format!(
            "{} · {}",
            title,
            league::group_heading(&g.name, g.units.len(), lang)
        );
        heading_rows(ws, &group_title, &heads, 2, &mut w)?;
        let tiers = tier_order(&g.units);
        for (i, u) in g.units.iter().enumerate() {
            let row = 2 + i as u32;
            let mut col: u16 = 0;
            ws.write_number_with_format(row, col, u.rank, &int)?;
            col += 1;
            ws.write_string_with_format(row, col, &u.name, &border)?;
            w.see(col, &u.name);
            col += 1;
            ws.write_number_with_format(row, col, to_f64(u.total), &bold_num)?;
            col += 1;
            for c in &u.categories {
                match c {
                    Some(v) => ws.write_number_with_format(row, col, to_f64(*v), &num)?,
                    None => ws.write_string_with_format(row, col, "—", &border)?,
                };
                col += 1;
            }
            let sum: rust_decimal::Decimal = u.adjustments.iter().map(|a| a.points).sum();
            if u.vetoed {
                let text = league::adjustments(u, d, lang);
                let f = border.clone().set_font_color(Color::RGB(RED)).set_bold();
                ws.write_string_with_format(row, col, &text, &f)?;
                w.see(col, &text);
            } else if u.adjustments.is_empty() {
                ws.write_blank(row, col, &border)?;
            } else {
                ws.write_number_with_format(row, col, to_f64(sum), &signed)?;
            }
            col += 1;
            let tier = u.tier.as_deref().unwrap_or("—");
            let fill = u
                .tier
                .as_ref()
                .and_then(|t| tiers.iter().position(|x| x == t))
                .map(|i| TIER_FILLS[i.min(3)]);
            let tf = match fill {
                Some(c) => border.clone().set_background_color(Color::RGB(c)),
                None => border.clone(),
            };
            ws.write_string_with_format(row, col, tier, &tf)?;
            w.see(col, tier);
            col += 1;
            for (show, change) in [
                (prev, u.movement.previous.as_ref()),
                (year_earlier, u.movement.year_earlier.as_ref()),
            ] {
                if !show {
                    continue;
                }
                let (text, colour) = match change {
                    None => ("—".to_string(), None),
                    Some(c) => (
                        league::arrow(c, lang),
                        match c {
                            Change::Moved { places, .. } if *places > 0 => Some(GREEN),
                            Change::Moved { places, .. } if *places < 0 => Some(RED),
                            _ => None,
                        },
                    ),
                };
                let f = match colour {
                    Some(c) => border.clone().set_font_color(Color::RGB(c)).set_bold(),
                    None => border.clone(),
                };
                ws.write_string_with_format(row, col, &text, &f)?;
                col += 1;
            }
            let text = league::warning_counts(&tally, u, lang);
            let (reds, yellows) = league::unit_counts(&tally, u);
            let red = !u.submitted || reds > 0;
            let yellow = yellows > 0;
            let f = if red {
                border
                    .clone()
                    .set_background_color(Color::RGB(RED_FILL))
                    .set_font_color(Color::RGB(RED))
            } else if yellow {
                border
                    .clone()
                    .set_background_color(Color::RGB(YELLOW_FILL))
                    .set_font_color(Color::RGB(YELLOW))
            } else {
                border.clone()
            };
            ws.write_string_with_format(row, col, &text, &f)?;
            w.see(col, &text);
        }
        for c in 2..heads.len() as u16 {
            w.see(c, "100.00");
        }
        w.apply(ws, 30)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
    }

    // Warnings.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(lang.t("预警"), &mut taken))?;
        let mut w = Widths::default();
        let heads: Vec<String> = [
            "等级",
            "分组",
            "单位",
            "预警事项",
            "持续期数",
            "整改情况",
            "处置",
            "说明",
        ]
        .map(|h| lang.t(h).to_string())
        .to_vec();
        heading_rows(
            ws,
            &league::warnings_heading(result, lang),
            &heads,
            0,
            &mut w,
        )?;
        for (i, x) in result.warnings.iter().enumerate() {
            let row = 2 + i as u32;
            let (fill, font) = match x.level {
                Level::Red => (RED_FILL, RED),
                Level::Yellow => (YELLOW_FILL, YELLOW),
            };
            let lf = border
                .clone()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
                .set_bold();
            let group = result
                .groups
                .iter()
                .find(|g| g.id == x.group)
                .map_or(x.group.as_str(), |g| g.name.as_str());
            let level = lang.t(x.level.label_zh());
            ws.write_string_with_format(row, 0, level, &lf)?;
            w.see(0, level);
            let subject = super::warnings::subject(x, lang);
            for (col, text) in [
                (1u16, group),
                (2, x.unit_name.as_str()),
                (3, subject.as_str()),
            ] {
                ws.write_string_with_format(row, col, text, &border)?;
                w.see(col, text);
            }
            ws.write_number_with_format(row, 4, x.age, &int)?;
            let follow = lang.t(x.follow_up.label_zh());
            ws.write_string_with_format(row, 5, follow, &border)?;
            w.see(5, follow);
            let esc = x.escalation.as_deref().unwrap_or("—");
            ws.write_string_with_format(row, 6, esc, &border)?;
            w.see(6, esc);
            let text = super::warnings::sentence(x, lang);
            ws.write_string_with_format(row, 7, &text, &border)?;
            w.see(7, &text);
        }
        w.apply(ws, 60)?;
        ws.set_landscape();
    }

    // Every unit on every indicator.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(lang.t("单位得分明细"), &mut taken))?;
        let mut w = Widths::default();
        let heads: Vec<String> = [
            "分组",
            "单位",
            "排名",
            "指标",
            "实际值",
            "目标",
            "序时目标",
            "完成率",
            "权重",
            "得分",
            "指标排名",
            "状态",
        ]
        .map(|h| lang.t(h).to_string())
        .to_vec();
        heading_rows(ws, &title, &heads, 4, &mut w)?;
        let pct = border.clone().set_num_format("0.00%");
        let general = border.clone().set_num_format("0.####");
        let mut row = 2u32;
        for g in &result.groups {
            for u in &g.units {
                for c in &u.cells {
                    ws.write_string_with_format(row, 0, &g.name, &border)?;
                    w.see(0, &g.name);
                    ws.write_string_with_format(row, 1, &u.name, &border)?;
                    w.see(1, &u.name);
                    ws.write_number_with_format(row, 2, u.rank, &int)?;
                    ws.write_string_with_format(row, 3, &*c.name, &border)?;
                    w.see(3, &c.name);
                    match c.actual {
                        Some(a) => {
                            let f = border.clone().set_num_format(number_format(a.scale()));
                            ws.write_number_with_format(row, 4, to_f64(a), &f)?
                        }
                        None => ws.write_string_with_format(row, 4, lang.t("缺报"), &border)?,
                    };
                    ws.write_number_with_format(row, 5, c.target, &general)?;
                    ws.write_number_with_format(row, 6, c.expected, &general)?;
                    match c.ratio {
                        Some(r) => ws.write_number_with_format(row, 7, to_f64(r), &pct)?,
                        None => ws.write_blank(row, 7, &border)?,
                    };
                    ws.write_number_with_format(row, 8, c.weight, &general)?;
                    ws.write_number_with_format(row, 9, to_f64(c.points), &num)?;
                    match c.rank {
                        Some(r) => ws.write_number_with_format(row, 10, r, &int)?,
                        None => ws.write_blank(row, 10, &border)?,
                    };
                    let status = lang.t(c.status.label_zh());
                    let sf = match c.status {
                        Status::SeverelyLagging | Status::Missing => border
                            .clone()
                            .set_background_color(Color::RGB(RED_FILL))
                            .set_font_color(Color::RGB(RED)),
                        Status::Lagging => border
                            .clone()
                            .set_background_color(Color::RGB(YELLOW_FILL))
                            .set_font_color(Color::RGB(YELLOW)),
                        _ => border.clone(),
                    };
                    ws.write_string_with_format(row, 11, status, &sf)?;
                    w.see(11, status);
                    row += 1;
                }
            }
        }
        for c in 4..11 {
            w.see(c, "100.00%");
        }
        w.apply(ws, 40)?;
        ws.autofilter(1, 0, row.saturating_sub(1).max(1), 11)?;
    }
    wb.save_to_buffer()
}

fn tier_order(units: &[UnitResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in units.iter().filter_map(|u| u.tier.clone()) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Any report's tables as a workbook: a sheet per table, named after the heading before it,
/// and the text lines on a last sheet. Numeric columns hold numbers where the text is one.
pub fn document(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    fixed_properties(&mut wb, &doc.title, 2000)?;
    let mut taken = Vec::new();
    let mut heading: Option<&str> = None;
    let mut lines: Vec<&str> = Vec::new();
    let border = Format::new().set_border(FormatBorder::Thin);
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => heading = Some(h),
            Block::Lines(l) => {
                if let Some(h) = heading.take() {
                    lines.push(h);
                }
                lines.extend(l.iter().map(String::as_str));
            }
            Block::Table(g) => {
                let ws = wb.add_worksheet();
                let name = heading.unwrap_or(&doc.title);
                ws.set_name(sheet_name(name, &mut taken))?;
                let mut w = Widths::default();
                let title = match heading.take() {
                    Some(h) => format!("{} · {h}", doc.title),
                    None => doc.title.clone(),
                };
                heading_rows(ws, &title, &g.headings, 0, &mut w)?;
                for (i, r) in g.rows.iter().enumerate() {
                    let row = 2 + i as u32;
                    for (j, cell) in r.iter().enumerate() {
                        let col = j as u16;
                        let numeric = g.numeric.get(j).copied().unwrap_or(false);
                        match cell.parse::<f64>() {
                            Ok(v) if numeric && v.is_finite() => {
                                let decimals = cell.split_once('.').map_or(0, |(_, f)| f.len());
                                let f = border
                                    .clone()
                                    .set_num_format(number_format(decimals as u32));
                                ws.write_number_with_format(row, col, v, &f)?;
                            }
                            _ => {
                                ws.write_string_with_format(row, col, cell, &border)?;
                            }
                        }
                        w.see(col, cell);
                    }
                }
                w.apply(ws, 60)?;
            }
        }
    }
    if let Some(h) = heading {
        lines.push(h);
    }
    if !lines.is_empty() || taken.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("说明", &mut taken))?;
        ws.write_string_with_format(0, 0, &doc.title, &title_format())?;
        for (i, l) in lines.iter().enumerate() {
            ws.write_string(1 + i as u32, 0, *l)?;
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("县（市、区）", &mut taken), "县（市、区）");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("A_B_C", &mut taken), "A_B_C (2)");
        let long = "长".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(number_format(0), "0");
        assert_eq!(number_format(2), "0.00");
    }
}
