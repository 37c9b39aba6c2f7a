//! A one-line progress bar on stderr for runs over many periods, shown only when stderr is a
//! terminal: piped or redirected output gets nothing.

use std::io::{IsTerminal, Write};

use crate::period::Period;

/// Draws `[#####-----] 3/6 2023-Q1` with `\r`, and clears the line when done.
pub struct Bar {
    on: bool,
}

impl Bar {
    pub fn new() -> Bar {
        Bar {
            on: std::io::stderr().is_terminal(),
        }
    }

    pub fn update(&mut self, done: usize, total: usize, period: Period) {
        if !self.on || total == 0 {
            return;
        }
        let mut err = std::io::stderr().lock();
        if done >= total {
            let _ = write!(err, "\r\x1b[2K");
        } else {
            let _ = write!(err, "\r{}", line(done, total, &period.to_string()));
        }
        let _ = err.flush();
    }
}

/// The bar's text.
fn line(done: usize, total: usize, what: &str) -> String {
    const WIDTH: usize = 24;
    let filled = WIDTH * done / total.max(1);
    format!(
        "[{}{}] {done}/{total} {what}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(
            super::line(3, 6, "2023-Q1"),
            "[############------------] 3/6 2023-Q1"
        );
    }
}
