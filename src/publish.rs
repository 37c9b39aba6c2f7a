//! Published results: a period's results frozen with a fingerprint of the rules and data that
//! produced them. Later periods read movement and warning history from them, so a rule edit
//! never silently rewrites what was announced.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{FileId, Sources};
use crate::result::PeriodResult;

/// A published period, as stored in `rules/NAME/published/PERIOD.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// The jingbiao version that published it.
    pub jingbiao: String,
    pub period: String,
    pub fingerprint: Fingerprint,
    pub result: PeriodResult,
}

/// SHA-256 of the rule files and of the period's data files, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub rules: String,
    pub data: String,
}

/// SHA-256 over each file's label, length and text, in the order given.
pub fn fingerprint(sources: &Sources, files: &[(String, FileId)]) -> String {
    let mut h = Sha256::new();
    for (label, f) in files {
        let text = sources.text(*f);
        h.update(label.as_bytes());
        h.update([0]);
        h.update((text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Published {
    pub fn new(result: PeriodResult, fingerprint: Fingerprint) -> Published {
        Published {
            jingbiao: env!("CARGO_PKG_VERSION").to_string(),
            period: result.period.clone(),
            fingerprint,
            result,
        }
    }

    /// The file's text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results serialise");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_any_byte_or_label() {
        let mut s = Sources::new();
        let a = s.add("a", "x,y\n1,2\n");
        let b = s.add("b", "x,y\n1,3\n");
        let fa = fingerprint(&s, &[("m.csv".into(), a)]);
        assert_eq!(fa.len(), 64);
        assert_eq!(fa, fingerprint(&s, &[("m.csv".into(), a)]));
        assert_ne!(fa, fingerprint(&s, &[("m.csv".into(), b)]));
        assert_ne!(fa, fingerprint(&s, &[("n.csv".into(), a)]));
    }
}
