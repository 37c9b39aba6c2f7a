//! campaign.toml's `[[event_kind]]` (the kinds of event events.csv may name) and `[quality]`
//! (the thresholds of the data-quality warnings).

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use crate::campaign::{EventKind, QualityRules};
use crate::diag::{Diagnostic, FileId, Kind, Origin};
use crate::loader::schema::{EventKindRaw, QualityRaw};

impl Builder<'_> {
    /// The declared event kinds: each named once, with a name.
    pub(super) fn event_kinds(&mut self, raw: &[EventKindRaw], file: FileId) -> Vec<EventKind> {
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for k in raw {
            let name = k.name.get_ref().trim();
            if name.trim().is_empty() {
                self.errors.push(
                    Diagnostic::error(Kind::Value, "an event kind has no name")
                        .at(file, k.name.span(), "empty")
                        .help("name the kind as events.csv writes it, e.g. name = \"约谈\""),
                );
                continue;
            }
            if let Some(first) = seen.get(name) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("the event kind `{name}` is declared twice"),
                    )
                    .at(file, k.name.span(), "declared again here")
                    .also(file, first.clone(), "first declared here")
                    .help("declare each kind of event once"),
                );
                continue;
            }
            seen.insert(name, k.name.span());
            out.push(EventKind {
                name: name.to_string(),
                origin: Origin {
                    file,
                    span: k.name.span(),
                },
            });
        }
        out
    }

    pub(super) fn quality(&mut self, raw: &QualityRaw, file: FileId) -> QualityRules {
        let (ratio, near_zero) = (*raw.ratio.get_ref(), *raw.near_zero.get_ref());
        if !(ratio > 1.0 && ratio <= 1e6) {
            self.errors.push(
                Diagnostic::error(Kind::Value, format!("the quality ratio {ratio} is not more than 1"))
                    .at(file, raw.ratio.span(), "ratio")
                    .help("ratio = 8 warns of a figure at least 8 times, or at most 1/8 of, the unit's previous figure or its group's median"),
            );
        }
        if !(near_zero >= 0.0 && near_zero.is_finite()) {
            self.errors.push(
                Diagnostic::error(Kind::Value, format!("near_zero = {near_zero} is not a size"))
                    .at(file, raw.near_zero.span(), "near_zero")
                    .help("near_zero is zero or more: figures smaller than it (either sign) are never compared, e.g. near_zero = 1"),
            );
        }
        QualityRules { ratio, near_zero }
    }
}
