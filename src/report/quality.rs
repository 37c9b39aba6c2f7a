//! Data-quality warnings ([`crate::quality`]) as notes: one warning each, written in the
//! report's language.

use crate::campaign::Campaign;
use crate::diag::{Diagnostic, Kind, Severity};
use crate::indicator::IndicatorKind;
use crate::period::Period;
use crate::quality::{Suspect, SuspectKind};

use super::lang::{msg, Lang};

/// A warning for each suspicious figure of `period`.
pub fn notes(c: &Campaign, period: Period, suspects: &[Suspect], lang: Lang) -> Vec<Diagnostic> {
    suspects
        .iter()
        .map(|s| {
            let mut d = Diagnostic::error(Kind::Value, sentence(c, period, s, lang))
                .help(lang.text(msg::QUALITY_HELP));
            d.severity = Severity::Warning;
            d
        })
        .collect()
}

/// Every suspicious figure, as errors: what `publish` refuses while they stand.
pub fn refusal(c: &Campaign, period: Period, suspects: &[Suspect], lang: Lang) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = notes(c, period, suspects, lang)
        .into_iter()
        .map(|mut d| {
            d.severity = Severity::Error;
            d
        })
        .collect();
    if let Some(last) = out.last_mut() {
        last.help = Some(lang.text(msg::QUALITY_REFUSED_HELP).to_string());
    }
    out
}

/// The sentence of one suspicious figure.
pub fn sentence(c: &Campaign, period: Period, s: &Suspect, lang: Lang) -> String {
    let ind = &c.indicators[s.indicator];
    let unit = &c.units[s.unit];
    let shown = |x: f64| trim(format!("{:.*}", ind.decimals as usize, x));
    let times = if s.ratio >= 1.0 {
        lang.fill(
            msg::QUALITY_TIMES,
            &[("r", &trim(format!("{:.1}", s.ratio)))],
        )
    } else {
        let r = trim(format!("{:.1}", 1.0 / s.ratio));
        lang.fill(msg::QUALITY_FRACTION, &[("r", &r)])
    };
    let pace = match (s.kind, ind.kind) {
        (SuspectKind::Previous, IndicatorKind::Amount) => lang.text(msg::QUALITY_PACE),
        _ => "",
    };
    let scaled = match (s.kind, ind.kind) {
        (SuspectKind::GroupMedian, IndicatorKind::Amount) => lang.text(msg::QUALITY_SCALED),
        _ => "",
    };
    let template = match s.kind {
        SuspectKind::Previous => msg::QUALITY_PREVIOUS,
        SuspectKind::GroupMedian => msg::QUALITY_MEDIAN,
        SuspectKind::YearToDateFell => msg::QUALITY_FELL,
    };
    lang.fill(
        template,
        &[
            ("unit", &unit.name),
            ("indicator", &ind.name),
            ("period", &period.to_string()),
            ("previous", &period.previous().to_string()),
            ("value", &shown(s.value)),
            ("against", &shown(s.against)),
            ("measure", &ind.measure),
            ("times", &times),
            ("pace", pace),
            ("scaled", scaled),
            ("group", &c.groups[unit.group].name),
        ],
    )
}

/// A number without trailing zeros after its decimal point (`6.50` → `6.5`, `6.0` → `6`).
fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}
