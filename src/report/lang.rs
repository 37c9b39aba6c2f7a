//! The language of a report's own labels (headings, column names, short cell words). Text
//! taken from the rules or data (unit, category and tier names, warning messages) is shown as
//! written. Chinese is the default and its output never changes with this module.

/// A report's language.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文 (default)
    #[default]
    Zh,
    /// English headings and labels.
    En,
}

/// Chinese labels and their English form.
const LABELS: &[(&str, &str)] = &[
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
];

impl Lang {
    /// The label in this language; `zh` must be one of the known labels (else it is
    /// returned as is).
    pub fn t(self, zh: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => LABELS
                .iter()
                .find(|(z, _)| *z == zh)
                .map_or(zh, |(_, en)| en),
        }
    }

    /// The HTML `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_unchanged_and_english_is_known() {
        assert_eq!(Lang::Zh.t("总分"), "总分");
        assert_eq!(Lang::En.t("总分"), "Total");
        for (zh, _) in LABELS {
            assert_ne!(Lang::En.t(zh), *zh);
        }
    }
}
