//! The script functions the rules name: each must exist, and take parameters jingbiao can
//! supply (the unit for an adjustment, named inputs for a score function).

use std::ops::Range;

use super::Builder;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind};
use crate::script::{Param, Scripts};

impl Builder<'_> {
    /// Checks that a script function exists and takes what it will be given.
    pub(super) fn script_fn(
        &mut self,
        scripts: &Scripts,
        name: &str,
        file: FileId,
        span: Range<usize>,
        arity: usize,
        arity_help: &str,
    ) {
        let Some(f) = scripts.function(name) else {
            let hint = match did_you_mean(name, scripts.function_names()) {
                Some(s) => {
                    format!("did you mean `{s}`? Define `fn {name}(…)` in a file under scripts/")
                }
                None => format!("define `fn {name}(…)` in a file under scripts/"),
            };
            self.errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("no script defines the function `{name}`"),
                )
                .at(file, span, "named here")
                .help(hint),
            );
            return;
        };
        if arity != usize::MAX {
            if f.param_names.len() != arity {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Script,
                        format!(
                            "`{name}` takes {} parameters but is called with {arity}",
                            f.param_names.len()
                        ),
                    )
                    .at(
                        f.file,
                        f.offset..f.offset + 2 + 1 + name.len(),
                        "defined here",
                    )
                    .help(arity_help.to_string()),
                );
            }
            return;
        }
        for p in &f.param_names {
            if Param::from_name(p).is_none() {
                let names = Param::ALL.iter().map(|(n, _)| *n);
                let hint = match did_you_mean(p, names.clone()) {
                    Some(s) => format!("did you mean `{s}`? A score function's parameters are named after its inputs: {}", names.collect::<Vec<_>>().join(", ")),
                    None => format!("a score function's parameters are named after its inputs: {}", names.collect::<Vec<_>>().join(", ")),
                };
                let text = self.sources.text(f.file);
                let at = text[f.offset..]
                    .find(p.as_str())
                    .map_or(f.offset, |i| f.offset + i);
                self.errors.push(
                    Diagnostic::error(
                        Kind::Script,
                        format!(
                            "`{name}` has a parameter `{p}`, which is not an input jingbiao knows"
                        ),
                    )
                    .at(f.file, at..at + p.len(), "unknown input")
                    .help(hint),
                );
            }
        }
    }
}
