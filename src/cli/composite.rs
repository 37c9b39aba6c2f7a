//! `jingbiao composite` and `jingbiao sensitivity`: composite indices (see
//! [`crate::composite`]) and their rank uncertainty.

use std::path::{Path, PathBuf};

use crate::composite::{self, CompositeArgs, SensitivityArgs};
use crate::diag::{Diagnostic, Sources};

pub fn run(
    args: &CompositeArgs,
    sources: &mut Sources,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let (text, inputs) = composite::run_composite(args, sources)?;
    write(&text, args.out.as_deref(), &inputs)
}

pub fn run_sensitivity(
    args: &SensitivityArgs,
    sources: &mut Sources,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let (text, inputs) = composite::run_sensitivity(args, sources)?;
    write(&text, args.out.as_deref(), &inputs)
}

fn write(
    text: &str,
    out: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    super::write_out(text.as_bytes(), out, inputs)?;
    Ok(Vec::new())
}
