//! Rounding of published figures, decided on the decimal value a person sees.
//!
//! Offices check results in Excel, whose ROUND rounds halves away from zero on the decimal
//! value of a number (to 15 significant digits), so `ROUND(2.675, 2)` is 2.68 even though the
//! binary double nearest 2.675 is slightly below it. GB/T 8170 rounds halves to even. Both
//! are offered; the result is a [`Decimal`], so sums and ties of published figures are exact.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The largest number jingbiao accepts in data or from a script: far beyond any real figure,
/// well inside what published decimals can hold exactly.
pub const MAX_NUMBER: f64 = 1e12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundingMode {
    /// Halves away from zero, as Excel's ROUND (the default).
    #[default]
    HalfAwayFromZero,
    /// Halves to the even neighbour, as GB/T 8170.
    HalfEven,
}

/// A number of decimals and a way of rounding halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rounding {
    pub decimals: u32,
    pub mode: RoundingMode,
}

impl Rounding {
    pub fn new(decimals: u32, mode: RoundingMode) -> Self {
        Rounding { decimals, mode }
    }

    /// Rounds a finite number to `decimals` places. Non-finite input gives zero; callers
    /// reject it before it gets here.
    pub fn round(&self, x: f64) -> Decimal {
        round(x, self.decimals, self.mode)
    }

    /// Rounds an exact decimal (e.g. a sum of published figures).
    pub fn round_decimal(&self, d: Decimal) -> Decimal {
        let mut d = d.round_dp_with_strategy(self.decimals, strategy(self.mode));
        // Keep the published number of decimals, also for 0 (`0.00`, not `0`).
        d.rescale(self.decimals);
        d
    }
}

fn strategy(mode: RoundingMode) -> RoundingStrategy {
    match mode {
        RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
        RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
    }
}

/// 10^0 … 10^12, exact.
const POW10: [f64; 13] = [
    1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
];

/// Rounds `x` to `decimals` places as a person would on its decimal value.
pub fn round(x: f64, decimals: u32, mode: RoundingMode) -> Decimal {
    if !x.is_finite() {
        return Decimal::ZERO;
    }
    let decimals = decimals.min(12);
    let scaled = x * POW10[decimals as usize];
    // Fast path: far from a half, the nearest integer of the scaled double is the answer.
    if scaled.abs() < 1e15 {
        let frac = (scaled - scaled.trunc()).abs();
        // The double's error grows with its size; well clear of it, the float decides.
        let tolerance = 1e-6 + scaled.abs() * 1e-13;
        if (frac - 0.5).abs() > tolerance {
            return Decimal::new(scaled.round() as i64, decimals);
        }
    }
    // Near a half: take the decimal a person sees (15 significant digits, as Excel), then
    // round that exactly.
    let seen = format!("{x:.14e}");
    match Decimal::from_scientific(&seen) {
        Ok(d) => d.round_dp_with_strategy(decimals, strategy(mode)),
        Err(_) => Decimal::from_f64_retain(x)
            .unwrap_or_default()
            .round_dp_with_strategy(decimals, strategy(mode)),
    }
}

/// [`round`] as the nearest double: what a published value is when computed with. Equal to
/// `round(..).to_f64()`, without building the decimal on the common path.
pub fn round_f64(x: f64, decimals: u32, mode: RoundingMode) -> f64 {
    let decimals = decimals.min(12);
    let pow = POW10[decimals as usize];
    let scaled = x * pow;
    if x.is_finite() && scaled.abs() < 1e15 {
        let frac = (scaled - scaled.trunc()).abs();
        if (frac - 0.5).abs() > 1e-6 + scaled.abs() * 1e-13 {
            // An exact integer over an exact power of ten: correctly rounded, as the decimal's.
            return scaled.round() / pow;
        }
    }
    rust_decimal::prelude::ToPrimitive::to_f64(&round(x, decimals, mode)).unwrap_or(x)
}

/// A decimal as the nearest double, for computing with a published figure (a script's
/// input, a severity). Published figures (at most 12 decimals, 15 digits) take a fast exact
/// path: an integer mantissa over an exact power of ten, one correctly rounded division.
pub fn to_f64(d: Decimal) -> f64 {
    let (m, scale) = (d.mantissa(), d.scale());
    if scale <= 12 && m.unsigned_abs() < 1 << 53 {
        return m as f64 / POW10[scale as usize];
    }
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}

/// Formats a published figure with exactly `decimals` places (e.g. `85.50`).
pub fn format_fixed(d: Decimal, decimals: u32) -> String {
    let mut d = d;
    d.rescale(decimals);
    d.to_string()
}

/// The value a person would write for a computed figure: 12 significant digits. Makes
/// target × time progress exact where it is exact on paper (42 × 45% = 18.9, not
/// 18.900000000000002), so a unit exactly on its expected value has met it.
pub fn snap(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 11 - x.abs().log10().floor() as i32;
    if !(0..=22).contains(&digits) {
        return x;
    }
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use RoundingMode::*;

    #[test]
    fn snap_makes_paper_exact_products_exact() {
        assert_eq!(42.0 * 0.45, 18.900000000000002);
        assert_eq!(snap(42.0 * 0.45), 18.9);
        assert_eq!(snap(12.0 * 0.2), 2.4);
        assert_eq!(snap(1.6 * 0.75), 1.2);
        assert_eq!(snap(54.0 * (7.0 / 12.0)), 31.5);
        assert_eq!(snap(1234567.0), 1234567.0);
        assert_eq!(snap(-0.1 - 0.2), -0.3);
    }

    #[test]
    fn snap_writes_figures_as_on_paper() {
        assert_eq!(snap(42.0 * 0.45), 18.9);
        assert_eq!(snap(54.0 * (7.0 / 12.0)), 31.5);
        assert_eq!(snap(-0.1 - 0.2), -0.3);
        assert_eq!(snap(0.0), 0.0);
    }

    fn r(x: f64, dp: u32, mode: RoundingMode) -> String {
        round(x, dp, mode).to_string()
    }

    #[test]
    fn excel_round_half_away_from_zero_on_the_decimal_value() {
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875.
        assert_eq!(r(2.675, 2, HalfAwayFromZero), "2.68");
        assert_eq!(r(1.005, 2, HalfAwayFromZero), "1.01");
        assert_eq!(r(-2.675, 2, HalfAwayFromZero), "-2.68");
        assert_eq!(r(2.665, 2, HalfAwayFromZero), "2.67");
        assert_eq!(r(0.5, 0, HalfAwayFromZero), "1");
        assert_eq!(r(-0.5, 0, HalfAwayFromZero), "-1");
    }

    #[test]
    fn gb_t_8170_half_to_even() {
        assert_eq!(r(2.665, 2, HalfEven), "2.66");
        assert_eq!(r(2.675, 2, HalfEven), "2.68");
        assert_eq!(r(2.5, 0, HalfEven), "2");
        assert_eq!(r(3.5, 0, HalfEven), "4");
        assert_eq!(r(-2.665, 2, HalfEven), "-2.66");
    }

    #[test]
    fn ordinary_values_and_scale() {
        assert_eq!(r(58.733333, 2, HalfAwayFromZero), "58.73");
        assert_eq!(r(10.0, 2, HalfAwayFromZero), "10.00");
        assert_eq!(r(-0.001, 2, HalfAwayFromZero), "0.00");
        assert_eq!(r(0.1 + 0.2, 2, HalfEven), "0.30");
        assert_eq!(r(123456789.125, 2, HalfAwayFromZero), "123456789.13");
        // Large values: the half is decided on the decimal, not the float's noise.
        assert_eq!(r(2159098556.095, 2, HalfAwayFromZero), "2159098556.10");
        assert_eq!(r(33374.8036925, 6, HalfAwayFromZero), "33374.803693");
        assert_eq!(r(33374.8036925, 6, HalfEven), "33374.803692");
        assert_eq!(r(f64::NAN, 2, HalfEven), "0");
    }

    #[test]
    fn agrees_with_the_exact_decimal_path_on_many_halves() {
        // Every x.xx5 from 0.005 to 99999.995 step 0.01 (and their negatives), both modes.
        for mode in [HalfAwayFromZero, HalfEven] {
            for i in (0..10_000_000i64).step_by(997) {
                let text = format!("{}.{:02}5", i / 100, i % 100);
                let want = text
                    .parse::<Decimal>()
                    .unwrap()
                    .round_dp_with_strategy(2, strategy(mode));
                let x: f64 = text.parse().unwrap();
                assert_eq!(round(x, 2, mode), want, "{text} {mode:?}");
                assert_eq!(round(-x, 2, mode), -want, "-{text} {mode:?}");
            }
        }
    }

    #[test]
    fn round_f64_is_the_decimal_as_a_double() {
        use rust_decimal::prelude::ToPrimitive;
        for i in 0..20_000 {
            let x = i as f64 * 0.0137 - 50.0;
            for dp in 0..4 {
                let want = round(x, dp, HalfAwayFromZero).to_f64().unwrap();
                assert_eq!(round_f64(x, dp, HalfAwayFromZero), want, "{x} {dp}");
            }
        }
        assert_eq!(round_f64(2.675, 2, HalfAwayFromZero), 2.68);
        assert_eq!(round_f64(2.665, 2, HalfEven), 2.66);
    }

    #[test]
    fn to_f64_is_the_nearest_double() {
        for text in [
            "0",
            "-0.00",
            "2.675",
            "-1234.5678",
            "0.1",
            "99999999.99",
            "1e-12",
        ] {
            let d: Decimal = text
                .parse()
                .or_else(|_| Decimal::from_scientific(text))
                .unwrap();
            assert_eq!(to_f64(d), text.parse::<f64>().unwrap(), "{text}");
        }
        for i in -20_000..20_000i64 {
            let d = Decimal::new(i * 7919, 4);
            let want = rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap();
            assert_eq!(to_f64(d), want, "{d}");
        }
    }

    #[test]
    fn sums_of_rounded_figures_are_exact() {
        let rd = Rounding::new(2, HalfAwayFromZero);
        let total: Decimal = [0.1, 0.2, 0.3].iter().map(|x| rd.round(*x)).sum();
        assert_eq!(total.to_string(), "0.60");
        assert_eq!(rd.round_decimal(Decimal::ZERO).to_string(), "0.00");
        assert_eq!(format_fixed(rd.round(5.0), 2), "5.00");
    }
}
