//! units.csv: each unit's id, name and group, in display order.

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use crate::campaign::*;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::loader::csv_table::{self, Column};

const UNIT_COLUMNS: [Column; 4] = [
    Column {
        name: "id",
        aliases: &["编号", "代码"],
        required: true,
    },
    Column {
        name: "name",
        aliases: &["名称", "单位名称"],
        required: true,
    },
    Column {
        name: "group",
        aliases: &["分组", "组别"],
        required: true,
    },
    Column {
        name: "order",
        aliases: &["排序", "序号"],
        required: false,
    },
];

impl Builder<'_> {
    pub(super) fn units(&mut self, file: FileId, groups: &[(String, String)]) -> Vec<Unit> {
        let table = match csv_table::read(self.sources, file, &UNIT_COLUMNS) {
            Ok(t) => t,
            Err(mut e) => {
                self.errors.append(&mut e);
                self.declared.units_failed = true;
                return Vec::new();
            }
        };
        self.at.units_file = Some(file);
        self.declared.units = table
            .rows
            .iter()
            .filter_map(|r| r.cells[0].as_ref().map(|c| c.text.to_string()))
            .collect();
        let mut units: Vec<(f64, usize, Unit)> = Vec::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for (i, row) in table.rows.iter().enumerate() {
            let (Some(id), Some(name), Some(group)) = (&row.cells[0], &row.cells[1], &row.cells[2])
            else {
                self.errors.push(
                    Diagnostic::error(Kind::Value, "this unit is missing its id, name or group")
                        .at(file, row.span.clone(), "incomplete row")
                        .help("fill in id, name and group on every row"),
                );
                continue;
            };
            self.errors.extend(crate::loader::ids::check(
                file,
                &id.text,
                id.span.clone(),
                "unit",
            ));
            if let Some(first) = seen.get(id.text.as_str()) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("the unit `{}` is listed twice", id.text),
                    )
                    .at(file, id.span.clone(), "listed again here")
                    .also(file, first.clone(), "first listed here")
                    .help("delete the duplicate row, or give the unit its own id"),
                );
                continue;
            }
            seen.insert(id.text.to_string(), id.span.clone());
            self.at.units.insert(id.text.to_string(), id.span.clone());
            let Some(g) = groups.iter().position(|(gid, _)| *gid == group.text) else {
                self.errors.push(self.unknown(
                    file,
                    group,
                    "group",
                    groups.iter().map(|(g, _)| g.as_str()),
                    "groups are defined as [[group]] in campaign.toml",
                ));
                continue;
            };
            let order = match &row.cells[3] {
                Some(c) => match c.number(file, "the order") {
                    Ok(v) => v,
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                },
                None => f64::MAX,
            };
            units.push((
                order,
                i,
                Unit {
                    id: id.text.to_string(),
                    name: name.text.to_string(),
                    group: g,
                },
            ));
        }
        // Display order: by `order`, then as listed.
        units.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        units.into_iter().map(|(_, _, u)| u).collect()
    }
}
