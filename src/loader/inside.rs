//! A campaign folder's files stay inside it. A rule file, script, rule test or published
//! file that is a symbolic link to a file elsewhere, or is reached through a linked folder
//! (`scripts/` itself a link), is refused before it is read: a diagnostic never quotes a
//! line of a file outside the folder the user named.

use std::path::Path;

use crate::diag::{Diagnostic, Kind};

/// Refuses `path` (a file or folder of the campaign folder `root`) if it resolves outside
/// `root`. A path that does not resolve (it does not exist) passes: reading it reports that.
pub(crate) fn check(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let (Ok(root_real), Ok(real)) = (root.canonicalize(), path.canonicalize()) else {
        return Ok(());
    };
    if real.starts_with(&root_real) {
        return Ok(());
    }
    let what = if real.is_dir() { "folder" } else { "file" };
    Err(Diagnostic::error(
        Kind::Io,
        format!(
            "`{}` leads outside the campaign folder `{}` (to the {what} `{}`); it is not read",
            path.display(),
            root.display(),
            real.display()
        ),
    )
    .help(format!(
        "a campaign folder holds its own rules: copy the {what} into it instead of linking to it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_are_refused_and_links_within_pass() {
        let base = std::env::temp_dir().join(format!("jingbiao-inside-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("campaign");
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::create_dir_all(base.join("elsewhere")).unwrap();
        std::fs::write(base.join("elsewhere/secret.rhai"), "secret").unwrap();
        std::fs::write(root.join("scripts/a.rhai"), "fn f() { 1 }").unwrap();
        let link = |to: &str, at: &str| std::os::unix::fs::symlink(to, root.join(at)).unwrap();
        link("../../elsewhere/secret.rhai", "scripts/out.rhai");
        link("a.rhai", "scripts/in.rhai");
        // A link to a link inside that leads out.
        link("out.rhai", "scripts/chain.rhai");
        link("../elsewhere", "linked");

        assert!(check(&root, &root.join("scripts/a.rhai")).is_ok());
        assert!(check(&root, &root.join("scripts/in.rhai")).is_ok());
        assert!(check(&root, &root.join("scripts/missing.rhai")).is_ok());
        for bad in [
            "scripts/out.rhai",
            "scripts/chain.rhai",
            "linked",
            "linked/secret.rhai",
        ] {
            let e = check(&root, &root.join(bad)).unwrap_err();
            assert!(e.message.contains("leads outside"), "{bad}: {}", e.message);
            assert!(!e.message.contains("secret\n"), "{bad}");
        }
        // `..` in the path given: resolved before it is compared.
        let up = root.join("scripts/../../elsewhere/secret.rhai");
        assert!(check(&root, &up).is_err());
        // The campaign folder itself may be reached through a link.
        std::os::unix::fs::symlink(&root, base.join("alias")).unwrap();
        assert!(check(&base.join("alias"), &base.join("alias/scripts/a.rhai")).is_ok());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
