//! `--lang zh|en`: the report layer's [`Lang`] as a command-line value. The report layer knows
//! nothing of clap; the CLI says how its values are spelt.

use clap::builder::PossibleValue;

use crate::report::Lang;

impl clap::ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &[Lang::Zh, Lang::En]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Lang::Zh => PossibleValue::new("zh").help("中文 (default)"),
            Lang::En => PossibleValue::new("en").help("English headings, labels and sentences"),
        })
    }
}
