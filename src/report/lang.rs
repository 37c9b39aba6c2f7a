//! The catalogue: every word and sentence a report prints, in Chinese and English.
//!
//! Two kinds of entry:
//! - **labels** ([`LABELS`]): headings, column names and short cell words, looked up by their
//!   Chinese text with [`Lang::t`];
//! - **sentences** ([`Text`] constants in [`msg`]): templates with named slots (`{unit}`),
//!   filled with [`Lang::fill`].
//!
//! The engine writes no prose: it produces facts (see `result::Warning`), and reports turn
//! them into sentences here, so the same facts give the Chinese and the English bulletin.
//! Text taken from the rules or data (unit, indicator, category and tier names, units of
//! measure) is shown as written. Chinese is the default and its output never changes with
//! this module. Diagnostics, success lines and help are still written where they are raised;
//! they move here by adding entries to [`msg`].

/// A report's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文 (default)
    #[default]
    Zh,
    /// English headings, labels and sentences.
    En,
}

/// A sentence in both languages, with `{name}` slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

/// The sentences, by what they say.
pub mod msg {
    use super::Text;

    macro_rules! texts {
        ($($(#[$doc:meta])* $name:ident = $zh:literal, $en:literal;)*) => {
            $($(#[$doc])* pub const $name: Text = Text { zh: $zh, en: $en };)*
            /// Every sentence, for the catalogue's own tests.
            pub const ALL: &[(&str, Text)] = &[$((stringify!($name), $name)),*];
        };
    }

    texts! {
        // Warnings, from `result::Warning`'s facts.
        NOT_SUBMITTED = "{unit}本期未报送任何数据（{missing}项指标缺报，按0分计）",
            "{unit} reported nothing this period ({missing} indicator values missing, scored 0)";
        MISSING_VALUE = "{unit}「{indicator}」未报送数值（缺报，按0分计）",
            "{unit}: no value reported for “{indicator}” (missing, scored 0)";
        LAGGING = "{unit}「{indicator}」{actual}{measure}，{against}{expected}{measure}{lower}{ratio}",
            "{unit}: “{indicator}” {actual}{measure}, {against} {expected}{measure}{lower}{ratio}";
        AGAINST_TARGET = "目标", "target";
        AGAINST_EXPECTED = "序时目标", "expected by now";
        LOWER_IS_BETTER = "（越低越好）", " (lower is better)";
        RATIO = "，完成率{ratio}%", ", completion {ratio}%";
        ITEM_BEHIND = "{unit}「{item}」{status}：进度{progress}%，计划{planned}%，落后{gap}个百分点",
            "{unit}: “{item}” {status}: progress {progress}%, planned {planned}%, {gap} points behind";
        ITEM_OVERDUE = "{unit}「{item}」逾期未完成：完成时限{due}，进度{progress}%",
            "{unit}: “{item}” overdue: due {due}, progress {progress}%";
        ITEM_UNREPORTED = "{unit}「{item}」本期未报送进度",
            "{unit}: no progress reported for “{item}” this period";
        SUBMISSION = "本期数据报送", "this period's submission";
        // Data quality (数据质量), from `quality::Suspect`'s facts.
        QUALITY_PREVIOUS = "数据质量：{unit}「{indicator}」{period}为{value}{measure}，是上期（{previous}）{against}{measure}的{times}{pace}，请核实是否错位小数点或计量单位",
            "data quality: {unit}: “{indicator}” is {value}{measure} in {period}, {times} the previous period's ({previous}) {against}{measure}{pace}: check for a slipped decimal point or unit";
        QUALITY_MEDIAN = "数据质量：{unit}「{indicator}」{period}为{value}{measure}，是{group}中位数{against}{measure}{scaled}的{times}，请核实是否错位小数点或计量单位",
            "data quality: {unit}: “{indicator}” is {value}{measure} in {period}, {times} the median of {group} ({against}{measure}{scaled}): check for a slipped decimal point or unit";
        QUALITY_SCALED = "（按本单位目标折算）", ", at this unit's target";
        QUALITY_FELL = "数据质量：{unit}「{indicator}」为年度累计值，{period}的{value}{measure}低于上期（{previous}）的{against}{measure}，累计值不应下降，请核实",
            "data quality: {unit}: “{indicator}” is a year-to-date amount, yet {value}{measure} in {period} is below the previous period's ({previous}) {against}{measure}: check it";
        QUALITY_TIMES = "{r}倍", "{r} times";
        QUALITY_FRACTION = "1/{r}", "1/{r} of";
        QUALITY_PACE = "（按序时进度折算）", " (each at its period's time progress)";
        QUALITY_HELP = "核实并更正数据；确属无误的，用 `jingbiao publish --accept-quality` 发布，发布文件会记下已确认的数据质量提示",
            "correct the figure; if it is right, publish with `jingbiao publish --accept-quality`, and the published file records what was accepted";
        QUALITY_REFUSED = "{count} 项数据质量提示未确认，未发布", "{count} data-quality warnings stand: nothing was published";
        QUALITY_REFUSED_HELP = "逐项核实并更正数据后重新发布；确属无误的，加 `--accept-quality` 发布，发布文件会记下已确认的提示",
            "check and correct each figure, then publish again; if they are right, add `--accept-quality`: the published file records what was accepted";
        // League tables.
        TITLE = "{campaign} · {label}（{period}）", "{campaign} · {period}";
        GROUP_HEADING = "【{group}】{count} 个单位", "{group} ({count} units)";
        WARNINGS_HEADING = "预警：{summary}", "Warnings: {summary}";
        WARNING_SUMMARY = "红色预警 {red} 项，黄色预警 {yellow} 项", "{red} red, {yellow} yellow";
        WARNING_LINE = "[{level}] {text}", "[{level}] {text}";
        GENERATED = "由 jingbiao 生成", "Generated by jingbiao";
        // Warning follow-up.
        FOLLOW_UP_TITLE = "{campaign} · {label}（{period}）预警跟踪",
            "{campaign} · {period} · warning follow-up";
        OPEN_HEADING = "在办预警：{summary}", "Open warnings: {summary}";
        CLOSED_HEADING = "本期已整改：{count} 项", "Rectified this period: {count}";
        // Key work items.
        ITEMS_TITLE = "{campaign} · {label}（{period}）重点工作事项",
            "{campaign} · {period} · key work items";
        ITEMS_GROUP = "【{group}】{count} 项，按时序完成 {on} 项（{rate}）",
            "{group}: {count} items, {on} on schedule ({rate})";
        ITEMS_NONE = "本期没有在推进的重点工作事项。", "No key work items under way this period.";
        ITEMS_ALL = "全部 {count} 项，按时序完成 {on} 项（{rate}）",
            "All {count} items, {on} on schedule ({rate})";
        // Trends.
        TREND_TITLE = "{campaign} · 排名走势", "{campaign} · rank trend";
        TREND_UNIT_TITLE = "{campaign} · {unit} 排名走势", "{campaign} · {unit} · rank trend";
        RANK_TOTAL = "{rank}（{total}）", "{rank} ({total})";
        TREND_GROUP = "【{group}】排名（总分）", "{group}: rank (total)";
        TREND_SCORED_NOW = "* 未发布，按现行规则和数据计算",
            "* not published: scored with the current rules and data";
        // A rule edit's effect.
        DIFF_TITLE = "{title} · {period} · 规则修改前后对比", "{title} · {period} · before and after the rule edit";
        DIFF_SUMMARY = "{total} 个单位总分变化，{rank} 个单位名次变化，{tier} 个单位等次变化",
            "{total} units' totals changed, {rank} units' ranks changed, {tier} units' tiers changed";
        DIFF_RETIERED = "（{units}）", " ({units})";
        DIFF_BIGGEST = "；名次变化最大：{unit}（{arrow}{places}）", "; biggest move: {unit} ({arrow}{places})";
        DIFF_NO_MOVE = "；名次无变化", "; no rank changed";
        // A published period against the same period scored now.
        NOT_RANKED_THEN = "{unit}：发布时不在「{group}」的排名中",
            "{unit}: not in the “{group}” table when published";
        CHANGED = "{unit}：{parts}", "{unit}: {parts}";
        CHANGED_TOTAL = "总分 {then} → {now}", "total {then} → {now}";
        CHANGED_RANK = "排名 {then} → {now}", "rank {then} → {now}";
        CHANGED_TIER = "等次 {then} → {now}", "tier {then} → {now}";
        CHANGED_WARNINGS = "预警 {then} 项 → {now} 项", "warnings {then} → {now}";
        // Explain: formula lines.
        FORMULA_MISSING = "缺报，按 0 分计", "missing, scored 0";
        /// The expected value of an amount indicator: the target × time progress.
        FORMULA_EXPECTED = "{expected}{measure}（{target} × 序时进度 {progress}%）",
            "{expected}{measure} ({target} × time progress {progress}%)";
        /// 目标完成, all or nothing, met.
        FORMULA_ALL_OR_NOTHING_MET = "{actual} {cmp} {expected}，达到目标，得满分 {weight} = {points}",
            "{actual} {cmp} {expected}, target met, full points {weight} = {points}";
        /// 目标完成, all or nothing, missed.
        FORMULA_ALL_OR_NOTHING_MISSED = "{actual} {cmp} {expected}，未达到目标，不得分 = {points}",
            "{actual} {cmp} {expected}, target missed, no points = {points}";
        /// 目标完成, proportional.
        FORMULA_PROPORTIONAL = "{weight} × min({numerator} ÷ {denominator}, {cap}) = {points}",
            "{weight} × min({numerator} ÷ {denominator}, {cap}) = {points}";
        /// 目标完成, met, with a stretch target.
        FORMULA_STRETCH = "{actual} {cmp} {expected}，已达目标；向力争目标 {stretch} 推进 {percent}%：\
            {weight} × (1 + {bonus} × {toward}) = {points}",
            "{actual} {cmp} {expected}, target met; {percent}% of the way to the stretch target \
            {stretch}: {weight} × (1 + {bonus} × {toward}) = {points}";
        /// 功效系数: at or beyond the satisfactory value.
        FORMULA_EFFICACY_SATISFACTORY = "{actual} 已达到满意值（{high_from}）{high}，d = {d}",
            "{actual} has reached the satisfactory value ({high_from}) {high}, d = {d}";
        /// 功效系数: no room between the satisfactory and the unacceptable value.
        FORMULA_EFFICACY_NO_ROOM = "满意值与不允许值之间没有余地，d = {d}",
            "no room between the satisfactory and the unacceptable value, d = {d}";
        /// 功效系数: between the two.
        FORMULA_EFFICACY_BETWEEN = "d = {floor} + {span} × ({actual} − {low}) ÷ ({high} − {low}) = {d}\
            （满意值：{high_from} {high}，不允许值：{low_from} {low}）",
            "d = {floor} + {span} × ({actual} − {low}) ÷ ({high} − {low}) = {d} \
            (satisfactory: {high_from} {high}, unacceptable: {low_from} {low})";
        /// 功效系数: how d becomes points, after one of the three above.
        FORMULA_EFFICACY_POINTS = "{how}；{weight} × {d} ÷ 100 = {points}",
            "{how}; {weight} × {d} ÷ 100 = {points}";
        /// Where an efficacy reference value comes from.
        ANCHOR_TARGET = "目标值", "the target";
        ANCHOR_BEST = "组内最优值", "the group's best";
        ANCHOR_WORST = "组内最差值", "the group's worst";
        ANCHOR_VALUE = "设定值", "a set value";
        /// 争先进位.
        FORMULA_RANK = "组内第 {rank} 名：{weight} × (1 − {step} × {places}) = {points}",
            "rank {rank} in the group: {weight} × (1 − {step} × {places}) = {points}";
        /// 对标均值.
        FORMULA_AVERAGE = "组均值 {mean}（{count} 个单位）；{weight} + {points_per_step} × \
            ({minuend} − {subtrahend}) ÷ {step} = {points}（上限 {cap}，下限 {floor}）",
            "group mean {mean} ({count} units); {weight} + {points_per_step} × \
            ({minuend} − {subtrahend}) ÷ {step} = {points} (at most {cap}, at least {floor})";
        /// A script method's call.
        FORMULA_SCRIPT = "脚本 {function}({args}) = {points}", "script {function}({args}) = {points}";
        // Explain: the title, how the total adds up, how the rank and tier were decided.
        EXPLAIN_TITLE = "{campaign} · {period} · {unit}（{group}）",
            "{campaign} · {period} · {unit} ({group})";
        EXPLAIN_ADJUSTMENTS = "加减分", "Adjustments";
        /// Between the parts of a sentence (tier rules).
        EXPLAIN_SEP = "；", "; ";
        /// Between names in a list (tied units).
        EXPLAIN_LIST_SEP = "、", ", ";
        /// Before the total of a unit whose weights do not add up to the full marks.
        TOTAL_SCALED = "各指标得分合计 {points}（满分 {weight}），各类别按 × {marks} ÷ {weight} 折算为百分制后：",
            "Indicator points {points} (out of {weight}); each category scaled × {marks} ÷ {weight}. ";
        TOTAL_BASE = "{scaled}基础得分 = {parts} = {base}", "{scaled}Base score = {parts} = {base}";
        TOTAL_ADJUSTED = "；加减分 {adjustment}", "; adjustments {adjustment}";
        TOTAL_VETOED = "；一票否决（不改变分数，排名和等次见下）",
            "; vetoed (the score stands; rank and tier below)";
        TOTAL_TOTAL = "；总分 {total}", "; total {total}";
        KEY_TOTAL = "总分", "total";
        KEY_CATEGORY = "「{category}」小计", "“{category}” subtotal";
        KEY_INDICATOR = "「{indicator}」完成值", "“{indicator}” actual value";
        KEY_POINTS = "「{indicator}」得分", "“{indicator}” points";
        /// Two units told apart by a ranking key.
        DECIDED_BY = "{key} {a} 对 {b}", "{key} {a} vs {b}";
        RANK_LINE = "第 {rank} 名（共 {count} 个单位；排名依据依次为：{chain}）",
            "Rank {rank} of {count} units (ranked by {chain})";
        RANK_VETOED = "。一票否决，排在未被否决的单位之后",
            ". Vetoed: ranked after every unit not vetoed";
        RANK_TIED = "。与 {units} 并列：排名依据逐项相同",
            ". Tied with {units}: equal on every ranking key";
        RANK_AFTER = "。排在 {unit} 之后：{why}", ". Behind {unit}: {why}";
        RANK_BEFORE = "。排在 {unit} 之前：{why}", ". Ahead of {unit}: {why}";
        TIER_NONE = "本组不分等次", "This group has no tiers";
        TIER_LINE = "{tier}（{rules}）", "{tier} ({rules})";
        TIER_REST = "{tier}：其余", "{tier}: the rest";
        TIER_COUNT = "{tier}：第 {from}～{to} 名", "{tier}: ranks {from}–{to}";
        TIER_SHARE = "{tier}：累计不超过 {percent}%，即第 {from}～{to} 名",
            "{tier}: at most {percent}% in all, i.e. ranks {from}–{to}";
        TIER_SCORE = "{tier}：总分 ≥ {limit}", "{tier}: total ≥ {limit}";
        TIER_VETOED = "。一票否决，列入最低等次", ". Vetoed: placed in the lowest tier";
        TIER_TIES_LOWER = "。并列单位同一等次；跨越名额界线的并列单位列入较低等次",
            ". Tied units share a tier; tied units across a boundary go to the lower tier";
        TIER_TIES_HIGHER = "。并列单位同一等次；跨越名额界线的并列单位列入较高等次",
            ". Tied units share a tier; tied units across a boundary go to the higher tier";
    }
}

/// Labels: the Chinese text and its English form.
pub const LABELS: &[(&str, &str)] = &[
    ("分组", "Group"),
    ("排名", "Rank"),
    ("单位", "Unit"),
    ("总分", "Total"),
    ("加减分", "Adj."),
    ("等次", "Tier"),
    ("环比", "vs prev."),
    ("同比", "vs year ago"),
    ("预警", "Warnings"),
    ("一票否决", "veto"),
    ("未报送", "no data"),
    ("新", "new"),
    ("红", "R"),
    ("黄", "Y"),
    ("红色预警", "Red"),
    ("黄色预警", "Yellow"),
    ("等级", "Level"),
    ("预警事项", "Subject"),
    ("说明", "Details"),
    ("指标", "Indicator"),
    ("计量单位", "Measure"),
    ("实际值", "Actual"),
    ("目标", "Target"),
    ("序时目标", "Expected"),
    ("完成率", "Completion"),
    ("得分", "Points"),
    ("权重", "Weight"),
    ("指标排名", "Ind. rank"),
    ("状态", "Status"),
    ("达标", "met"),
    ("基本达标", "near"),
    ("滞后", "lagging"),
    ("严重滞后", "severely lagging"),
    ("缺报", "missing"),
    ("单位得分明细", "Unit details"),
    ("总分对比", "Totals"),
    ("排名走势", "Rank trend"),
    ("持续期数", "Periods open"),
    ("整改情况", "Follow-up"),
    ("新增", "new"),
    ("整改中", "improving"),
    ("未整改", "not improved"),
    ("已整改", "rectified"),
    ("处置", "Escalation"),
    ("历程", "History"),
    ("在办", "open"),
    // Key work items and their statuses.
    ("事项数", "Items"),
    ("按时序完成率", "On-schedule rate"),
    ("合计", "Total"),
    ("提前完成", "done early"),
    ("按时完成", "done on time"),
    ("逾期完成", "done late"),
    ("超进度", "ahead"),
    ("达进度", "on track"),
    ("欠进度", "behind"),
    ("未启动", "not started"),
    ("逾期未完成", "overdue"),
    // Trends.
    ("期别", "Period"),
    ("来源", "Source"),
    ("已发布", "published"),
    ("按现行规则计算", "scored now"),
    // A rule edit's effect.
    ("总分（改前）", "Total (before)"),
    ("总分（改后）", "Total (after)"),
    ("总分变化", "Total change"),
    ("名次（改前→改后）", "Rank (before→after)"),
    ("名次变化", "Rank change"),
    ("等次（改前→改后）", "Tier (before→after)"),
    ("新增/移除", "added/removed"),
    // Explain.
    ("各项指标", "Indicators"),
    ("方法", "Method"),
    ("完成值", "Actual"),
    ("计算", "Calculation"),
    ("类型", "Type"),
    ("分值", "Points"),
    ("事由", "Reason"),
    ("规则出处", "Rule source"),
    ("加分", "bonus"),
    ("扣分", "penalty"),
    ("目标完成", "target completion"),
    ("功效系数", "efficacy coefficient"),
    ("争先进位", "rank"),
    ("对标均值", "group mean"),
    ("自定义脚本", "script"),
];

impl Lang {
    /// The label in this language; `zh` must be one of [`LABELS`] (the catalogue's tests
    /// check every call in `src/report`), else it is returned as is.
    pub fn t(self, zh: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => LABELS
                .iter()
                .find(|(z, _)| *z == zh)
                .map_or(zh, |(_, en)| en),
        }
    }

    /// The sentence's template in this language.
    pub fn text(self, t: Text) -> &'static str {
        match self {
            Lang::Zh => t.zh,
            Lang::En => t.en,
        }
    }

    /// The sentence with its `{name}` slots filled from `args`; a slot with no value is left
    /// as written (the catalogue's tests make sure none is).
    pub fn fill(self, t: Text, args: &[(&str, &str)]) -> String {
        fill(self.text(t), args)
    }

    /// The HTML `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
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

/// The `{name}` slots of a template, in order.
pub fn slots(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Does the text hold a Chinese character (CJK ideograph or CJK punctuation)?
pub fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF65)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_unchanged_and_english_is_known() {
        assert_eq!(Lang::Zh.t("总分"), "总分");
        assert_eq!(Lang::En.t("总分"), "Total");
        for (zh, en) in LABELS {
            assert_ne!(Lang::En.t(zh), *zh);
            assert!(!has_chinese(en), "English label `{en}` holds Chinese");
        }
    }

    #[test]
    fn labels_are_unique() {
        for (i, (zh, _)) in LABELS.iter().enumerate() {
            assert!(
                !LABELS[..i].iter().any(|(z, _)| z == zh),
                "label `{zh}` twice"
            );
        }
    }

    #[test]
    fn every_sentence_has_the_same_slots_in_both_languages_and_english_is_english() {
        for (name, t) in msg::ALL {
            let mut zh = slots(t.zh);
            let mut en = slots(t.en);
            // The Chinese period label (`2023年第二季度`) has no English form: English
            // titles show the period's code alone.
            zh.retain(|s| *s != "label" || en.contains(&"label"));
            zh.sort();
            en.sort();
            zh.dedup();
            en.dedup();
            assert_eq!(zh, en, "{name}: the two languages have different slots");
            assert!(!has_chinese(t.en), "{name}: the English text holds Chinese");
        }
    }

    #[test]
    fn fill_puts_values_in_slots_and_leaves_unknown_slots() {
        let t = Text {
            zh: "{a}与{b}，{c}",
            en: "{a} and {b}, {c}",
        };
        assert_eq!(Lang::Zh.fill(t, &[("a", "甲"), ("b", "乙")]), "甲与乙，{c}");
        assert_eq!(
            Lang::En.fill(t, &[("b", "B"), ("a", "A"), ("c", "C")]),
            "A and B, C"
        );
        assert_eq!(fill("{x", &[("x", "1")]), "{x");
    }

    /// Every `.t("…")` in the reports is a known label, so no Chinese word slips through
    /// `--lang en` untranslated.
    #[test]
    fn every_label_the_reports_use_is_in_the_catalogue() {
        let files = [
            include_str!("league.rs"),
            include_str!("warnings.rs"),
            include_str!("items.rs"),
            include_str!("trend.rs"),
            include_str!("diff.rs"),
            include_str!("html.rs"),
            include_str!("xlsx.rs"),
            include_str!("../explain.rs"),
        ];
        let mut seen = 0;
        for text in files {
            for (k, _) in text.match_indices(".t(\"") {
                let rest = &text[k + 4..];
                let label = &rest[..rest.find('"').unwrap()];
                seen += 1;
                assert!(
                    LABELS.iter().any(|(z, _)| *z == label),
                    "label `{label}` is not in the catalogue"
                );
            }
        }
        assert!(seen > 20, "the scan found only {seen} labels");
    }
}
