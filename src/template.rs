//! Fill-in workbooks for a period (`jingbiao template`): one per unit, with only its own
//! reported indicators, and the office's collection workbook with one row per unit. Both
//! load back as the period's `metrics.xlsx` without edits: the unit's in the long format
//! (the extra columns are for the reader), the collection workbook in the wide format.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Workbook,
    Worksheet, XlsxError,
};

use crate::campaign::Campaign;
use crate::indicator::{Indicator, Source};
use crate::period::Period;

/// A workbook to write: its file name and bytes.
pub struct Template {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The sheet the figures are typed into.
pub const SHEET: &str = "填报";

/// Every unit's workbook (units with no reported indicator get none), then the office's
/// collection workbook `汇总-PERIOD.xlsx`.
pub fn workbooks(c: &Campaign, period: Period) -> Result<Vec<Template>, XlsxError> {
    let mut out = Vec::new();
    for (ui, unit) in c.units.iter().enumerate() {
        let rows: Vec<(&Indicator, f64)> = reported(c)
            .filter_map(|ind| {
                let a = ind.assignments.iter().find(|a| a.unit == ui)?;
                Some((ind, a.target))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(SHEET)?;
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7));
        let heads = [
            "单位",
            "单位名称",
            "指标",
            "指标名称",
            "计量单位",
            "目标",
            "序时目标",
            "数值",
        ];
        for (col, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *h, &header)?;
        }
        for (r, (ind, target)) in rows.iter().enumerate() {
            let row = r as u32 + 1;
            sheet.write_string(row, 0, &unit.id)?;
            sheet.write_string(row, 1, &unit.name)?;
            sheet.write_string(row, 2, &ind.id)?;
            sheet.write_string(row, 3, &ind.name)?;
            sheet.write_string(row, 4, &ind.measure)?;
            sheet.write_number(row, 5, *target)?;
            sheet.write_number(row, 6, expected(c, ind, *target, period))?;
            sheet.add_data_validation(row, 7, row, 7, &validation(ind)?)?;
        }
        for (col, width) in [10, 16, 14, 28, 12, 10, 10, 12].iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        notes(book.add_worksheet(), c, period, Some(&unit.name))?;
        out.push(Template {
            // Each part made safe (the loader already refused an id that is a path).
            file_name: format!(
                "{}-{}.xlsx",
                crate::campaign::safe_file_name(&unit.id, crate::campaign::ID_MAX_CHARS),
                crate::campaign::safe_file_name(&unit.name, 40)
            ),
            bytes: book.save_to_buffer()?,
        });
    }
    out.push(collection(c, period)?);
    Ok(out)
}

/// The indicators units report (not those computed from key work items).
fn reported(c: &Campaign) -> impl Iterator<Item = &Indicator> {
    c.indicators.iter().filter(|i| i.source == Source::Metrics)
}

/// The expected value by the end of the period: the target, or for amounts the target ×
/// time progress.
fn expected(c: &Campaign, ind: &Indicator, target: f64, period: Period) -> f64 {
    crate::methods::expected(ind.kind, target, c.progress(ind, period.index))
}

/// Only a number may be typed into a value cell.
fn validation(ind: &Indicator) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e12, 1e12))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_input_title("填写数值")?
        .set_input_message(if ind.measure.trim() == "%" {
            format!("{}（%）：填 12.5 或 12.5% 均可，都表示 12.5%。", ind.name)
        } else {
            format!(
                "{}，计量单位：{}。只填数字，不带单位。",
                ind.name, ind.measure
            )
        })?
        .set_error_title("不是数值")?
        .set_error_message(format!("请填写数字（计量单位：{}）", ind.measure))
}

/// The office's collection workbook: one row per unit, one column per reported indicator
/// (headed by its name, or its id where two indicators share a name); cells of indicators
/// that do not apply to a unit are grey and stay empty.
fn collection(c: &Campaign, period: Period) -> Result<Template, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let grey = Format::new().set_background_color(Color::RGB(0xD9D9D9));
    sheet.write_string_with_format(0, 0, "单位", &header)?;
    sheet.write_string_with_format(0, 1, "单位名称", &header)?;
    let inds: Vec<&Indicator> = reported(c).collect();
    for (k, ind) in inds.iter().enumerate() {
        let shared = c.indicators.iter().filter(|i| i.name == ind.name).count() > 1;
        let head = if shared { &ind.id } else { &ind.name };
        let col = k as u16 + 2;
        sheet.write_string_with_format(0, col, head, &header)?;
        sheet.set_column_width(col, 14)?;
    }
    for (ui, unit) in c.units.iter().enumerate() {
        let row = ui as u32 + 1;
        sheet.write_string(row, 0, &unit.id)?;
        sheet.write_string(row, 1, &unit.name)?;
        for (k, ind) in inds.iter().enumerate() {
            let col = k as u16 + 2;
            if ind.assignments.iter().any(|a| a.unit == ui) {
                sheet.add_data_validation(row, col, row, col, &validation(ind)?)?;
            } else {
                sheet.write_blank(row, col, &grey)?;
            }
        }
    }
    sheet.set_column_width(1, 16)?;
    sheet.set_freeze_panes(1, 2)?;
    notes(book.add_worksheet(), c, period, None)?;
    Ok(Template {
        file_name: format!("汇总-{period}.xlsx"),
        bytes: book.save_to_buffer()?,
    })
}

/// A second sheet saying what the workbook is and how it is read back.
fn notes(
    sheet: &mut Worksheet,
    c: &Campaign,
    period: Period,
    unit: Option<&str>,
) -> Result<(), XlsxError> {
    sheet.set_name("说明")?;
    let lines = [
        format!("{} · {period}", c.name),
        match unit {
            Some(u) => format!("{u}：请在「{SHEET}」表的“数值”列填写本期数值（累计值），只填数字；缺报的留空。"),
            None => "汇总表：每个单位一行，每个指标一列；灰色格为该单位不考核的指标，须留空。整行留空表示该单位未报送。".to_string(),
        },
        "百分比指标填 12.5 或 12.5% 均可（都表示 12.5%）；非百分比指标不要带 % 号。请勿修改单位、指标列和表头。".into(),
        format!("填好后另存为 {period} 文件夹下的 metrics.xlsx，jingbiao 直接读取。"),
    ];
    for (r, line) in lines.iter().enumerate() {
        sheet.write_string(r as u32, 0, line)?;
    }
    sheet.set_column_width(0, 100)?;
    Ok(())
}
