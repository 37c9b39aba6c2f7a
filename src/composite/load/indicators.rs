//! indicators.csv: the hierarchy of indicators and aggregates, with every check on levels,
//! parents, cycles, orphans, branches and weights.

use std::collections::HashMap;

use crate::composite::model::*;
use crate::diag::{did_you_mean, Diagnostic, Kind, Sources};
use crate::loader::csv_table::{self, Column};

pub(super) const INDICATOR_COLUMNS: [Column; 10] = [
    Column {
        name: "level",
        aliases: &["层级", "级别"],
        required: true,
    },
    Column {
        name: "code",
        aliases: &["代码", "编号"],
        required: true,
    },
    Column {
        name: "name",
        aliases: &["名称", "指标名称"],
        required: false,
    },
    Column {
        name: "direction",
        aliases: &["方向"],
        required: false,
    },
    Column {
        name: "weight",
        aliases: &["权重"],
        required: false,
    },
    Column {
        name: "parent",
        aliases: &["上级"],
        required: false,
    },
    Column {
        name: "denominator",
        aliases: &["分母"],
        required: false,
    },
    Column {
        name: "target",
        aliases: &["目标值", "目标"],
        required: false,
    },
    Column {
        name: "low",
        aliases: &["下限"],
        required: false,
    },
    Column {
        name: "high",
        aliases: &["上限"],
        required: false,
    },
];
pub(super) fn cell_text(row: &csv_table::Row, c: usize) -> Option<&csv_table::Cell> {
    row.cells[c].as_ref()
}

/// The hierarchy: every check on levels, parents, cycles, orphans and weights.
pub(super) fn build_nodes(
    sources: &Sources,
    table: &csv_table::Table,
    branches: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Option<(Vec<Node>, usize)> {
    let f = table.file;
    let before = errors.len();
    let mut nodes: Vec<Node> = Vec::new();
    let mut parents: Vec<Option<csv_table::Cell>> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let Some(code) = cell_text(row, 1) else {
            errors.push(
                Diagnostic::error(Kind::Value, "this row has no code")
                    .at(f, row.span.clone(), "no code")
                    .help("give every indicator and aggregate a short code, e.g. LPI"),
            );
            continue;
        };
        let level = match cell_text(row, 0) {
            Some(c) => match c.text.parse::<f64>() {
                Ok(v) if v >= 1.0 && v.fract() == 0.0 && v <= 20.0 => v as u32,
                _ => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("the level `{}` is not 1, 2, 3…", c.text))
                            .at(f, c.span.clone(), "expected a whole number from 1")
                            .help("1 = indicator, 2 = pillar, 3 = sub-index, 4 = index (as many levels as needed)"),
                    );
                    1
                }
            },
            None => {
                errors.push(
                    Diagnostic::error(Kind::Value, format!("`{}` has no level", code.text))
                        .at(f, code.span.clone(), "no level on this row")
                        .help("1 = indicator, 2 = pillar, 3 = sub-index, 4 = index"),
                );
                1
            }
        };
        let direction = match cell_text(row, 3) {
            None => 1.0,
            Some(c) => match c.text.as_str() {
                "1" | "1.0" | "+1" | "higher" | "正向" => 1.0,
                "-1" | "-1.0" | "lower" | "逆向" => -1.0,
                _ => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("the direction `{}` is not 1 or -1", c.text))
                            .at(f, c.span.clone(), "expected 1 or -1")
                            .help("1 (or higher, 正向) when higher is better; -1 (or lower, 逆向) when lower is better"),
                    );
                    1.0
                }
            },
        };
        let mut number = |c: usize, what: &str| -> Option<f64> {
            let cell = cell_text(row, c)?;
            cell.number(f, what).map_err(|e| errors.push(e)).ok()
        };
        let weight = number(4, "the weight").unwrap_or(1.0);
        let target = number(7, "the target");
        let low = number(8, "the low goalpost");
        let high = number(9, "the high goalpost");
        if weight < 0.0 {
            let c = cell_text(row, 4).expect("a weight was read");
            errors.push(
                Diagnostic::error(
                    Kind::Weights,
                    format!("the weight of `{}` is negative", code.text),
                )
                .at(f, c.span.clone(), "below zero")
                .help("weights are relative shares: write 0 or more, e.g. 1"),
            );
        }
        let denominator = cell_text(row, 6).map(|c| c.text.to_string());
        let branch = branches.contains(&code.text.as_str());
        if branch {
            if let Some(c) = cell_text(row, 6) {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        format!("the branch `{}` has a denominator", code.text),
                    )
                    .at(f, c.span.clone(), "a branch takes its values from a target-based campaign")
                    .help("remove the denominator: a branch's values are its campaign's scores, not a column of data.csv"),
                );
            }
        } else if level > 1 {
            if let Some(c) = cell_text(row, 6) {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        format!("the aggregate `{}` has a denominator", code.text),
                    )
                    .at(
                        f,
                        c.span.clone(),
                        "only indicators (level 1) can be divided",
                    )
                    .help("remove the denominator, or move it to the indicators under it"),
                );
            }
        }
        if let Some(&first) = by_code.get(code.text.as_str()) {
            errors.push(
                Diagnostic::error(Kind::Duplicate, format!("`{}` is defined twice", code.text))
                    .at(f, code.span.clone(), "again here")
                    .also(f, nodes[first].origin.span.clone(), "first here")
                    .help("give each indicator and aggregate its own code"),
            );
            continue;
        }
        by_code.insert(code.text.to_string(), nodes.len());
        nodes.push(Node {
            code: code.text.to_string(),
            name: cell_text(row, 2).map_or_else(|| code.text.to_string(), |c| c.text.to_string()),
            level,
            parent: None,
            children: Vec::new(),
            weight,
            direction: if level == 1 || branch { direction } else { 1.0 },
            denominator,
            target,
            goalposts: low.zip(high),
            origin: Origin {
                file: f,
                span: row.span.clone(),
            },
            branch,
        });
        parents.push(cell_text(row, 5).cloned());
    }
    if nodes.is_empty() {
        errors.push(
            Diagnostic::error(Kind::Value, "indicators.csv defines nothing")
                .at(f, 0..sources.span_to_line_end(f, 0).end, "header only")
                .help("add one row per indicator and per aggregate (pillar, sub-index, index)"),
        );
        return None;
    }
    // Parents.
    let codes: Vec<&str> = nodes.iter().map(|n| n.code.as_str()).collect();
    let mut resolved = vec![None; nodes.len()];
    for (i, p) in parents.iter().enumerate() {
        let Some(p) = p else { continue };
        match by_code.get(p.text.as_str()) {
            Some(&j) => resolved[i] = Some(j),
            None => {
                let hint = match did_you_mean(&p.text, codes.iter().copied()) {
                    Some(s) => {
                        format!("did you mean `{s}`? A parent must be a code defined in this file")
                    }
                    None => {
                        "a parent must be the code of an aggregate defined in this file".to_string()
                    }
                };
                errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!(
                            "`{}` is an orphan: its parent `{}` is not defined",
                            nodes[i].code, p.text
                        ),
                    )
                    .at(f, p.span.clone(), "no such code")
                    .help(hint),
                );
            }
        }
    }
    // Cycles: follow each chain of parents; a chain that comes back is a cycle, reported once
    // at its first member in file order.
    let mut in_cycle = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(p) = resolved[at] {
            if let Some(pos) = chain.iter().position(|&c| c == p) {
                let cycle = &chain[pos..];
                if cycle.iter().all(|&c| !in_cycle[c]) {
                    let first = *cycle.iter().min().expect("a cycle has members");
                    let k = cycle.iter().position(|&c| c == first).expect("member");
                    let mut names: Vec<&str> = cycle[k..]
                        .iter()
                        .chain(&cycle[..k])
                        .map(|&c| nodes[c].code.as_str())
                        .collect();
                    names.push(&nodes[first].code);
                    let mut d = Diagnostic::error(
                        Kind::Reference,
                        format!("the hierarchy has a cycle: {}", names.join(" → ")),
                    )
                    .at(
                        f,
                        parents[first]
                            .as_ref()
                            .map_or(nodes[first].origin.span.clone(), |c| c.span.clone()),
                        format!("`{}`'s parent", nodes[first].code),
                    );
                    for &c in cycle.iter().filter(|&&c| c != first) {
                        d = d.also(
                            f,
                            nodes[c].origin.span.clone(),
                            format!("`{}` is in the cycle", nodes[c].code),
                        );
                    }
                    errors.push(d.help("each code's parent must be one level up, ending at the index, which has no parent"));
                }
                for &c in cycle {
                    in_cycle[c] = true;
                }
                break;
            }
            if in_cycle[p] {
                break;
            }
            chain.push(p);
            at = p;
        }
    }
    // Levels: a parent is exactly one level up.
    for i in 0..nodes.len() {
        let Some(p) = resolved[i] else { continue };
        if in_cycle[i] || in_cycle[p] {
            continue;
        }
        if nodes[p].level != nodes[i].level + 1 {
            let span = parents[i]
                .as_ref()
                .map_or(nodes[i].origin.span.clone(), |c| c.span.clone());
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "`{}` is level {} but its parent `{}` is level {}",
                        nodes[i].code, nodes[i].level, nodes[p].code, nodes[p].level
                    ),
                )
                .at(f, span, format!("must be a level-{} code", nodes[i].level + 1))
                .also(f, nodes[p].origin.span.clone(), "the parent is defined here")
                .help("a parent is exactly one level up: indicators (1) under pillars (2), pillars under sub-indices (3)…"),
            );
        }
    }
    for (i, p) in resolved.iter().enumerate() {
        nodes[i].parent = *p;
        if let Some(p) = p {
            nodes[*p].children.push(i);
        }
    }
    // The root: the one node without a parent at the top level; any other is an orphan.
    let top = nodes.iter().map(|n| n.level).max().unwrap_or(1);
    let no_parent: Vec<usize> = (0..nodes.len()).filter(|&i| parents[i].is_none()).collect();
    let roots: Vec<usize> = no_parent
        .iter()
        .copied()
        .filter(|&i| nodes[i].level == top)
        .collect();
    for &i in &no_parent {
        if nodes[i].level != top || Some(&i) != roots.first() {
            let why = if nodes[i].level == top {
                format!(
                    "there is already a top-level code, `{}`",
                    nodes[roots[0]].code
                )
            } else {
                format!("it is level {} and the top level is {top}", nodes[i].level)
            };
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("`{}` is an orphan: it has no parent", nodes[i].code),
                )
                .at(f, nodes[i].origin.span.clone(), why)
                .help(format!(
                    "give it a parent one level up (level {}), or remove the row",
                    nodes[i].level + 1
                )),
            );
        }
    }
    if top == 1 {
        errors.push(
            Diagnostic::error(Kind::Value, "the hierarchy has no aggregate")
                .at(f, nodes[0].origin.span.clone(), "only indicators")
                .help("add the index as a row with level 2 (or more) and make it the indicators' parent"),
        );
    }
    // A branch is a leaf.
    for n in nodes.iter().filter(|n| n.branch && n.level > 1) {
        if let Some(&c) = n.children.first() {
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the branch `{}` has codes under it", n.code),
                )
                .at(f, n.origin.span.clone(), "a branch takes its values from a target-based campaign")
                .also(f, nodes[c].origin.span.clone(), format!("`{}` names it as parent", nodes[c].code))
                .help(format!("a branch is a leaf: give the codes under `{}` another parent, or remove its [[branch]] from composite.toml", n.code)),
            );
        }
    }
    // Aggregates need children with some weight.
    for (i, n) in nodes.iter().enumerate() {
        if n.is_indicator() || in_cycle[i] {
            continue;
        }
        if n.children.is_empty() {
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the aggregate `{}` has nothing under it", n.code),
                )
                .at(f, n.origin.span.clone(), "no code names it as parent")
                .help(format!(
                    "set `{}` as the parent of the codes it aggregates, or remove this row",
                    n.code
                )),
            );
        } else if n.children.iter().all(|&c| nodes[c].weight == 0.0) {
            let mut d = Diagnostic::error(
                Kind::Weights,
                format!("every weight under `{}` is zero", n.code),
            )
            .at(f, n.origin.span.clone(), "this group's weights add up to 0");
            for &c in &n.children {
                d = d.also(
                    f,
                    nodes[c].origin.span.clone(),
                    format!("`{}`: weight 0", nodes[c].code),
                );
            }
            errors.push(d.help("give at least one of them a weight above 0, e.g. 1"));
        }
    }
    if errors.len() > before {
        return None;
    }
    let root = roots.first().copied()?;
    Some((nodes, root))
}
