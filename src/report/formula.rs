//! The words of the explain report's formula lines, in Chinese and English: one template per
//! formula (and branch of it) of [`crate::methods::Breakdown`], with `{name}` placeholders the
//! explain report fills with the figures. The arithmetic is in `methods`; only words are
//! here. Chinese is the default and its output never changes with this table.

use super::Lang;

/// A formula line's template, or a word in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// No value reported.
    Missing,
    /// The expected value of an amount indicator: the target × time progress.
    Expected,
    /// 目标完成, all or nothing, met.
    AllOrNothingMet,
    /// 目标完成, all or nothing, missed.
    AllOrNothingMissed,
    /// 目标完成, proportional.
    Proportional,
    /// 目标完成, met, with a stretch target.
    Stretch,
    /// 功效系数: at or beyond the satisfactory value.
    EfficacySatisfactory,
    /// 功效系数: no room between the satisfactory and the unacceptable value.
    EfficacyNoRoom,
    /// 功效系数: between the two.
    EfficacyBetween,
    /// 功效系数: how d becomes points, after one of the three above.
    EfficacyPoints,
    /// Where an efficacy reference value comes from.
    AnchorTarget,
    AnchorBest,
    AnchorWorst,
    AnchorValue,
    /// 争先进位.
    Rank,
    /// 对标均值.
    Average,
    /// A script method's call.
    Script,
}

/// Each text in Chinese and in English. Placeholders are the same in both.
const TEXTS: &[(Text, &str, &str)] = &[
    (Text::Missing, "缺报，按 0 分计", "missing, scored 0"),
    (
        Text::Expected,
        "{expected}{measure}（{target} × 序时进度 {progress}%）",
        "{expected}{measure} ({target} × time progress {progress}%)",
    ),
    (
        Text::AllOrNothingMet,
        "{actual} {cmp} {expected}，达到目标，得满分 {weight} = {points}",
        "{actual} {cmp} {expected}, target met, full points {weight} = {points}",
    ),
    (
        Text::AllOrNothingMissed,
        "{actual} {cmp} {expected}，未达到目标，不得分 = {points}",
        "{actual} {cmp} {expected}, target missed, no points = {points}",
    ),
    (
        Text::Proportional,
        "{weight} × min({numerator} ÷ {denominator}, {cap}) = {points}",
        "{weight} × min({numerator} ÷ {denominator}, {cap}) = {points}",
    ),
    (
        Text::Stretch,
        "{actual} {cmp} {expected}，已达目标；向力争目标 {stretch} 推进 {percent}%：\
         {weight} × (1 + {bonus} × {toward}) = {points}",
        "{actual} {cmp} {expected}, target met; {percent}% of the way to the stretch target \
         {stretch}: {weight} × (1 + {bonus} × {toward}) = {points}",
    ),
    (
        Text::EfficacySatisfactory,
        "{actual} 已达到满意值（{high_from}）{high}，d = {d}",
        "{actual} has reached the satisfactory value ({high_from}) {high}, d = {d}",
    ),
    (
        Text::EfficacyNoRoom,
        "满意值与不允许值之间没有余地，d = {d}",
        "no room between the satisfactory and the unacceptable value, d = {d}",
    ),
    (
        Text::EfficacyBetween,
        "d = {floor} + {span} × ({actual} − {low}) ÷ ({high} − {low}) = {d}\
         （满意值：{high_from} {high}，不允许值：{low_from} {low}）",
        "d = {floor} + {span} × ({actual} − {low}) ÷ ({high} − {low}) = {d} \
         (satisfactory: {high_from} {high}, unacceptable: {low_from} {low})",
    ),
    (
        Text::EfficacyPoints,
        "{how}；{weight} × {d} ÷ 100 = {points}",
        "{how}; {weight} × {d} ÷ 100 = {points}",
    ),
    (Text::AnchorTarget, "目标值", "the target"),
    (Text::AnchorBest, "组内最优值", "the group's best"),
    (Text::AnchorWorst, "组内最差值", "the group's worst"),
    (Text::AnchorValue, "设定值", "a set value"),
    (
        Text::Rank,
        "组内第 {rank} 名：{weight} × (1 − {step} × {places}) = {points}",
        "rank {rank} in the group: {weight} × (1 − {step} × {places}) = {points}",
    ),
    (
        Text::Average,
        "组均值 {mean}（{count} 个单位）；{weight} + {points_per_step} × \
         ({minuend} − {subtrahend}) ÷ {step} = {points}（上限 {cap}，下限 {floor}）",
        "group mean {mean} ({count} units); {weight} + {points_per_step} × \
         ({minuend} − {subtrahend}) ÷ {step} = {points} (at most {cap}, at least {floor})",
    ),
    (
        Text::Script,
        "脚本 {function}({args}) = {points}",
        "script {function}({args}) = {points}",
    ),
];

/// The text in a language.
pub fn text(t: Text, lang: Lang) -> &'static str {
    let (_, zh, en) = TEXTS
        .iter()
        .find(|(x, _, _)| *x == t)
        .expect("every text is in the table");
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The text in a language with its `{name}` placeholders filled from `args`. A placeholder
/// without a value is left as written.
pub fn fill(t: Text, lang: Lang, args: &[(&str, &str)]) -> String {
    let template = text(t, lang);
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}`s of a template, in order.
    fn placeholders(s: &str) -> Vec<&str> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .collect()
    }

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        for (t, zh, en) in TEXTS {
            assert_eq!(TEXTS.iter().filter(|(x, _, _)| x == t).count(), 1, "{t:?}");
            let (mut a, mut b) = (placeholders(zh), placeholders(en));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{t:?}");
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(
            fill(
                Text::Rank,
                Lang::Zh,
                &[
                    ("rank", "3"),
                    ("weight", "6"),
                    ("step", "0.05"),
                    ("places", "2"),
                    ("points", "5.40")
                ]
            ),
            "组内第 3 名：6 × (1 − 0.05 × 2) = 5.40"
        );
        assert_eq!(
            fill(Text::EfficacyNoRoom, Lang::En, &[]),
            "no room between the satisfactory and the unacceptable value, d = {d}"
        );
        assert_eq!(
            fill(Text::Missing, Lang::Zh, &[("x", "{d}")]),
            "缺报，按 0 分计"
        );
    }
}
