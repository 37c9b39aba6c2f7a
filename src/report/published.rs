//! What the office is told when a published period scores differently now: the published
//! results stand (later periods compare with them), and each difference is listed.

use super::lang::msg;
use super::Lang;
use crate::diag::{Diagnostic, Kind, Severity};
use crate::publish::Difference;
use crate::timeline::Stands;

/// One difference as a sentence.
pub fn difference(d: &Difference, lang: Lang) -> String {
    match d {
        Difference::NotRankedThen { unit, group } => {
            lang.fill(msg::NOT_RANKED_THEN, &[("unit", unit), ("group", group)])
        }
        Difference::Changed {
            unit,
            total,
            rank,
            tier,
        } => {
            let mut parts = Vec::new();
            if let Some((then, now)) = total {
                parts.push(lang.fill(
                    msg::CHANGED_TOTAL,
                    &[("then", &then.to_string()), ("now", &now.to_string())],
                ));
            }
            if let Some((then, now)) = rank {
                parts.push(lang.fill(
                    msg::CHANGED_RANK,
                    &[("then", &then.to_string()), ("now", &now.to_string())],
                ));
            }
            if let Some((then, now)) = tier {
                parts.push(lang.fill(
                    msg::CHANGED_TIER,
                    &[
                        ("then", then.as_deref().unwrap_or("—")),
                        ("now", now.as_deref().unwrap_or("—")),
                    ],
                ));
            }
            let sep = match lang {
                Lang::Zh => "，",
                Lang::En => ", ",
            };
            lang.fill(msg::CHANGED, &[("unit", unit), ("parts", &parts.join(sep))])
        }
        Difference::Warnings { then, now } => lang.fill(
            msg::CHANGED_WARNINGS,
            &[("then", &then.to_string()), ("now", &now.to_string())],
        ),
    }
}

/// The warning that a published period differs from the same period scored now.
pub fn stands_note(s: &Stands, lang: Lang) -> Diagnostic {
    let sep = match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    };
    let list: Vec<String> = s.differences.iter().map(|d| difference(d, lang)).collect();
    let period = s.period;
    let mut d = Diagnostic::error(
        Kind::Period,
        format!(
            "{period} was published ({}); scored now with the current rules and data, {} differ from what was published: {}",
            s.path.display(),
            list.len(),
            list.join(sep)
        ),
    )
    .help(format!("what was published stands and later periods compare with it; to replace it, run `jingbiao publish --period {period} --force`"));
    d.severity = Severity::Warning;
    d
}
