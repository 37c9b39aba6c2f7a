//! Rhai scripts: custom score functions and the campaign's adjustment function.
//!
//! Every script file is compiled once per run into an [`AST`]; one [`Engine`] evaluates all
//! calls. Scripts run in a sandbox: no file, module or clock access (the engine is built
//! without them), no function that waits (`sleep` is replaced by an error), strict
//! variables, unknown map properties are errors, and every call is bounded in operations,
//! call depth, expression depth, the size of each value, the total size of the values it
//! holds, and wall-clock time (see [`limits`]).
//!
//! A score function picks its inputs by the *names* of its parameters
//! (`fn fdi(actual, expected, weight)`), so each call passes only a few numbers.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rhai::{
    Array, CallFnOptions, Dynamic, Engine, EvalAltResult, Map, NativeCallContext, Position, Scope,
    AST,
};

use crate::diag::{Diagnostic, FileId, Kind, Sources};
use crate::result::AdjustmentKind;
use crate::rounding::MAX_NUMBER;

const SANDBOX_HELP: &str = "scripts run in a sandbox: no eval, modules, files, network, environment, clock or sleep; compute from the function's inputs";

/// Limits of one script call. The same in debug and release builds.
pub mod limits {
    pub const OPERATIONS: u64 = 1_000_000;
    pub const CALL_LEVELS: usize = 32;
    pub const EXPR_DEPTH: usize = 64;
    pub const FN_EXPR_DEPTH: usize = 32;
    /// One value (a string, or an array or map with everything nested in it).
    pub const STRING_SIZE: usize = 10_000;
    pub const ARRAY_SIZE: usize = 10_000;
    pub const MAP_SIZE: usize = 10_000;
    /// Everything the call's variables hold together, nested values included: array items
    /// and map entries…
    pub const TOTAL_ITEMS: usize = 100_000;
    /// …and bytes of strings, map keys and BLOBs (a string held twice counts twice).
    pub const TOTAL_BYTES: usize = 1_000_000;
    /// Wall-clock time of one call, for whatever the operation count misses. Generous: a
    /// call within the other limits takes well under a second. It can only turn a run into
    /// an error, never change a result.
    pub const SECONDS: u64 = 10;
}

/// How often (in variable reads) the total size of a call's variables is measured: every 8
/// reads while they hold little, up to every 100 as they near the total, so that measuring
/// costs at most about 1,000 items a read. Between two measures a call can add at most one
/// value (within the per-value limits) a read: the memory a call holds stays under the
/// totals plus 100 values of 10,000 items.
const MEASURE_EVERY: (u32, u32) = (8, 100);

thread_local! {
    /// When the call running on this thread must have finished.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Variable reads until the total size is measured again.
    static READS: Cell<u32> = const { Cell::new(MEASURE_EVERY.0) };
    /// Whether the call running on this thread went over the total size.
    static OVER_TOTAL: Cell<bool> = const { Cell::new(false) };
}

/// A value a score function can ask for by naming a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Actual,
    Target,
    Stretch,
    Expected,
    Progress,
    Weight,
    Direction,
    Rank,
    Count,
    Min,
    Max,
    Mean,
    Best,
    Worst,
    Unit,
    Group,
}

impl Param {
    pub const ALL: [(&'static str, Param); 16] = [
        ("actual", Param::Actual),
        ("target", Param::Target),
        ("stretch", Param::Stretch),
        ("expected", Param::Expected),
        ("progress", Param::Progress),
        ("weight", Param::Weight),
        ("direction", Param::Direction),
        ("rank", Param::Rank),
        ("count", Param::Count),
        ("min", Param::Min),
        ("max", Param::Max),
        ("mean", Param::Mean),
        ("best", Param::Best),
        ("worst", Param::Worst),
        ("unit", Param::Unit),
        ("group", Param::Group),
    ];

    pub fn from_name(name: &str) -> Option<Param> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }
}

/// The inputs of one score call.
#[derive(Debug, Clone, Copy)]
pub struct ScoreArgs<'a> {
    pub actual: f64,
    pub target: f64,
    pub stretch: Option<f64>,
    pub expected: f64,
    pub progress: f64,
    pub weight: f64,
    pub direction: f64,
    pub rank: u32,
    pub count: u32,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub best: f64,
    pub worst: f64,
    pub unit: &'a str,
    pub group: &'a str,
}

/// A script function, where it is defined and what it takes.
#[derive(Debug, Clone)]
pub struct ScriptFn {
    pub name: String,
    pub file: FileId,
    /// Index into the compiled files.
    slot: usize,
    /// Parameter names as written.
    pub param_names: Vec<String>,
    /// Byte offset of `fn name` in its file.
    pub offset: usize,
    /// Bound to an indicator as its score function: the points the indicator allows.
    pub allowed: Option<Allowed>,
}

/// The points an indicator allows its score function to give: `floor` to `cap` × `weight`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Allowed {
    pub floor: f64,
    pub cap: f64,
    pub weight: f64,
}

/// An adjustment made by the adjustment script.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAdjustment {
    pub kind: AdjustmentKind,
    pub points: f64,
    pub reason: String,
    /// The script line of the `bonus`/`penalty`/`veto` call.
    pub line: Option<usize>,
}

/// What the adjustment function sees of a unit: `unit.id`, `unit.base`,
/// `unit.categories.economy`, `unit.indicators.gdp_growth.rank`, `unit.events[0].kind`…
#[derive(Debug, Clone)]
pub struct UnitView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub group: &'a str,
    pub base: f64,
    pub categories: Vec<(&'a str, f64)>,
    pub indicators: Indicators,
    pub events: &'a [crate::data::Event],
}

/// `unit.indicators` as a script sees it: `unit.indicators.gdp_growth.rank`,
/// `"gdp_growth" in unit.indicators`, `unit.indicators.keys()`. Built once per unit without
/// a map per indicator: a script reads only the indicators it names.
#[derive(Debug, Clone)]
pub struct Indicators {
    /// Indicator id → index, shared by every unit of the campaign.
    pub ids: Arc<HashMap<String, usize>>,
    /// The unit's indicators, by increasing indicator index.
    pub rows: Arc<Vec<(usize, IndicatorView)>>,
}

/// One indicator of a unit: `.actual` (`()` when missing), `.target`, `.expected`,
/// `.points`, `.rank` (`()` when unranked) and `.status` (达标, 滞后…).
#[derive(Debug, Clone)]
pub struct IndicatorView {
    pub actual: Option<f64>,
    pub target: f64,
    pub expected: f64,
    pub points: f64,
    pub rank: Option<u32>,
    pub status: &'static str,
}

impl Indicators {
    fn get(&self, id: &str) -> Option<&IndicatorView> {
        let ii = *self.ids.get(id)?;
        let k = self.rows.binary_search_by_key(&ii, |(i, _)| *i).ok()?;
        Some(&self.rows[k].1)
    }
}

/// Registers `unit.indicators` and its entries with the engine.
fn register_indicators(engine: &mut Engine) {
    engine
        .register_type_with_name::<Indicators>("Indicators")
        .register_indexer_get(
            |x: &mut Indicators, id: &str| -> Result<IndicatorView, Box<EvalAltResult>> {
                x.get(id).cloned().ok_or_else(|| {
                    EvalAltResult::ErrorPropertyNotFound(id.to_string(), Position::NONE).into()
                })
            },
        )
        .register_fn("contains", |x: &mut Indicators, id: &str| {
            x.get(id).is_some()
        })
        .register_fn("keys", |x: &mut Indicators| -> Array {
            let mut names: Vec<(&usize, &String)> = x.ids.iter().map(|(k, v)| (v, k)).collect();
            names.sort();
            names
                .into_iter()
                .filter(|(i, _)| x.rows.binary_search_by_key(*i, |(r, _)| *r).is_ok())
                .map(|(_, k)| Dynamic::from(k.clone()))
                .collect()
        })
        .register_fn("len", |x: &mut Indicators| x.rows.len() as i64);
    engine
        .register_type_with_name::<IndicatorView>("Indicator")
        .register_get("actual", |x: &mut IndicatorView| {
            x.actual.map_or(Dynamic::UNIT, Dynamic::from_float)
        })
        .register_get("target", |x: &mut IndicatorView| x.target)
        .register_get("expected", |x: &mut IndicatorView| x.expected)
        .register_get("points", |x: &mut IndicatorView| x.points)
        .register_get("rank", |x: &mut IndicatorView| {
            x.rank
                .map_or(Dynamic::UNIT, |r| Dynamic::from_int(r as i64))
        })
        .register_get("status", |x: &mut IndicatorView| x.status.to_string());
}

impl UnitView<'_> {
    fn to_map(&self) -> Map {
        let mut m = Map::new();
        m.insert("id".into(), self.id.into());
        m.insert("name".into(), self.name.into());
        m.insert("group".into(), self.group.into());
        m.insert("base".into(), Dynamic::from_float(self.base));
        let cats: Map = self
            .categories
            .iter()
            .map(|(k, v)| ((*k).into(), Dynamic::from_float(*v)))
            .collect();
        m.insert("categories".into(), cats.into());
        m.insert("indicators".into(), Dynamic::from(self.indicators.clone()));
        let events: Array = self
            .events
            .iter()
            .map(|e| {
                let mut x = Map::new();
                x.insert("kind".into(), e.kind.as_str().into());
                x.insert("date".into(), e.date.to_string().into());
                x.insert("note".into(), e.note.as_str().into());
                x.into()
            })
            .collect();
        m.insert("events".into(), events.into());
        m
    }
}

/// A script that failed while it ran: where, and why.
#[derive(Debug, Clone)]
pub struct ScriptFailure {
    pub file: FileId,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for ScriptFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// All compiled scripts of a campaign and the engine that runs them.
pub struct Scripts {
    engine: Engine,
    asts: Vec<(FileId, AST)>,
    functions: BTreeMap<String, ScriptFn>,
    /// Per indicator of the bound campaign, its score function and parameters in call order.
    score: Vec<Option<Bound>>,
    /// The bound campaign's adjustment function.
    adjust: Option<ScriptFn>,
    /// Wall-clock limit of one call ([`limits::SECONDS`]).
    time_limit: Duration,
}

/// A score function resolved once per run: the function, and the values it takes in the
/// order it takes them.
#[derive(Debug, Clone)]
pub struct Bound {
    pub f: ScriptFn,
    pub params: Vec<Param>,
}

impl Scripts {
    /// A sandboxed engine with the adjustment helpers registered.
    pub fn engine() -> Engine {
        let mut engine = Engine::new();
        engine
            .set_strict_variables(true)
            .set_fail_on_invalid_map_property(true)
            .set_max_operations(limits::OPERATIONS)
            .set_max_call_levels(limits::CALL_LEVELS)
            .set_max_expr_depths(limits::EXPR_DEPTH, limits::FN_EXPR_DEPTH)
            .set_max_string_size(limits::STRING_SIZE)
            .set_max_array_size(limits::ARRAY_SIZE)
            .set_max_map_size(limits::MAP_SIZE)
            .disable_symbol("eval");
        register_indicators(&mut engine);
        engine.on_print(|_| {});
        engine.on_debug(|_, _, _| {});
        // Rhai's standard library has one function that blocks: `sleep` (which also panics
        // on a huge number of seconds). Functions registered here are found before the
        // library's, so these replace it.
        engine.register_fn("sleep", |_: f64| -> Result<(), Box<EvalAltResult>> {
            Err(no_waiting())
        });
        engine.register_fn("sleep", |_: i64| -> Result<(), Box<EvalAltResult>> {
            Err(no_waiting())
        });
        // Wall clock: checked every 256 operations against the deadline `call` sets. A call
        // that caught the total-size error (below) is stopped at its next operation.
        engine.on_progress(|ops| {
            if OVER_TOTAL.with(Cell::get) {
                return Some(Dynamic::from(TOTAL_WHAT));
            }
            if ops % 256 != 0 {
                return None;
            }
            let late = DEADLINE
                .with(Cell::get)
                .is_some_and(|d| Instant::now() >= d);
            late.then(|| Dynamic::from(TIME_TOKEN))
        });
        // Total size: Rhai checks each value it builds, but not the array or map an indexed
        // assignment (`a[i] = b`) writes into, so many such values add up unseen. Every few
        // variable reads, everything the call's variables hold is measured. The error is an
        // ordinary one so that Rhai gives it the line of the variable read; should the script
        // catch it, `on_progress` stops the call at the next operation.
        #[allow(deprecated)] // "volatile", not deprecated
        engine.on_var(|_, _, ctx| {
            let due = READS.with(|r| {
                let n = r.get().saturating_sub(1);
                r.set(n);
                n == 0
            });
            if !due {
                return Ok(None);
            }
            let mut held = Held::default();
            let mut largest = ("this", 0);
            for (name, _, value) in ctx.scope().iter_raw() {
                let before = held.weight();
                held.add(value);
                if held.weight() - before > largest.1 {
                    largest = (name, held.weight() - before);
                }
            }
            if let Some(this) = ctx.this_ptr() {
                held.add(this);
            }
            let next = (held.weight() / 1000).clamp(MEASURE_EVERY.0 as usize, MEASURE_EVERY.1 as usize);
            READS.with(|r| r.set(next as u32));
            if held.items > limits::TOTAL_ITEMS || held.bytes > limits::TOTAL_BYTES {
                OVER_TOTAL.with(|o| o.set(true));
                let message = format!(
                    "{TOTAL_WHAT}: {} array items and map entries and {} bytes of text, the most in `{}`",
                    held.items, held.bytes, largest.0
                );
                return Err(EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into());
            }
            Ok(None)
        });
        engine.register_fn("bonus", |ctx: NativeCallContext, p: f64, r: &str| {
            adjustment(&ctx, "bonus", p, r)
        });
        engine.register_fn("bonus", |ctx: NativeCallContext, p: i64, r: &str| {
            adjustment(&ctx, "bonus", p as f64, r)
        });
        engine.register_fn("penalty", |ctx: NativeCallContext, p: f64, r: &str| {
            adjustment(&ctx, "penalty", p, r)
        });
        engine.register_fn("penalty", |ctx: NativeCallContext, p: i64, r: &str| {
            adjustment(&ctx, "penalty", p as f64, r)
        });
        engine.register_fn("veto", |ctx: NativeCallContext, r: &str| {
            adjustment(&ctx, "veto", 0.0, r)
        });
        engine
    }

    /// Compiles every script file once. Reports every file that fails and every function
    /// defined twice.
    pub fn compile(sources: &Sources, files: &[FileId]) -> Result<Scripts, Vec<Diagnostic>> {
        let engine = Self::engine();
        let mut errors = Vec::new();
        let mut asts = Vec::new();
        let mut functions: BTreeMap<String, ScriptFn> = BTreeMap::new();
        for &file in files {
            let text = sources.text(file);
            let ast = match engine.compile(text) {
                Ok(ast) => ast,
                Err(e) => {
                    let pos = e.position();
                    let at =
                        sources.offset(file, pos.line().unwrap_or(1), pos.position().unwrap_or(1));
                    let help = match e.err_type() {
                        rhai::ParseErrorType::VariableUndefined(_) => "declare the variable with `let`, or take it as a parameter of the function (see the parameter names in the README)",
                        rhai::ParseErrorType::Reserved(_) | rhai::ParseErrorType::ForbiddenVariable(_) => SANDBOX_HELP,
                        other if other.to_string().contains("disabled") => SANDBOX_HELP,
                        _ => "fix the script's syntax; Rhai is close to JavaScript and Rust: `fn name(actual, expected, weight) { weight * actual / expected }`",
                    };
                    errors.push(
                        Diagnostic::error(
                            Kind::Script,
                            format!("the script does not compile: {}", e.err_type()),
                        )
                        .at(file, at..sources.span_to_line_end(file, at).end, "here")
                        .help(help),
                    );
                    continue;
                }
            };
            let slot = asts.len();
            for f in ast.iter_functions() {
                let offset = find_fn(text, f.name);
                let def = ScriptFn {
                    name: f.name.to_string(),
                    file,
                    slot,
                    param_names: f.params.iter().map(|p| p.to_string()).collect(),
                    offset,
                    allowed: None,
                };
                if let Some(first) = functions.get(f.name) {
                    errors.push(
                        Diagnostic::error(Kind::Duplicate, format!("the script function `{}` is defined twice", f.name))
                            .at(file, name_span(text, offset, f.name), "defined again here")
                            .also(first.file, name_span(sources.text(first.file), first.offset, f.name), "first defined here")
                            .help("rename one of them; rules name script functions, so each name must be unique across scripts/*.rhai"),
                    );
                    continue;
                }
                functions.insert(f.name.to_string(), def);
            }
            asts.push((file, ast));
        }
        if errors.is_empty() {
            Ok(Scripts {
                engine,
                asts,
                functions,
                score: Vec::new(),
                adjust: None,
                time_limit: Duration::from_secs(limits::SECONDS),
            })
        } else {
            Err(errors)
        }
    }

    pub fn function(&self, name: &str) -> Option<&ScriptFn> {
        self.functions.get(name)
    }

    /// Resolves, once per run, the score function of each of the campaign's indicators and its
    /// adjustment function, so evaluation never looks a function up by name. The loader calls
    /// this once the campaign is valid (every function it names exists, with parameters
    /// jingbiao supplies).
    pub fn bind(&mut self, c: &crate::campaign::Campaign) {
        self.score = c
            .indicators
            .iter()
            .map(|ind| match &ind.method {
                crate::indicator::Method::Script {
                    function,
                    cap,
                    floor,
                } => {
                    let mut f = self.functions.get(function)?.clone();
                    f.allowed = Some(Allowed {
                        floor: *floor,
                        cap: *cap,
                        weight: ind.weight,
                    });
                    let params = f
                        .param_names
                        .iter()
                        .filter_map(|p| Param::from_name(p))
                        .collect();
                    Some(Bound { f, params })
                }
                _ => None,
            })
            .collect();
        self.adjust = c
            .adjust
            .as_deref()
            .and_then(|a| self.functions.get(a))
            .cloned();
    }

    /// The score function of indicator `i` of the bound campaign, if it is scored by script.
    pub fn score_fn(&self, i: usize) -> Option<&Bound> {
        self.score.get(i).and_then(Option::as_ref)
    }

    /// The bound campaign's adjustment function, if it has one.
    pub fn adjust_fn(&self) -> Option<&ScriptFn> {
        self.adjust.as_ref()
    }

    /// How many script files were compiled.
    pub fn file_count(&self) -> usize {
        self.asts.len()
    }

    pub fn function_names(&self) -> impl Iterator<Item = &str> {
        self.functions.keys().map(String::as_str)
    }

    /// Calls a score function; its parameters were checked against [`Param`] by the loader.
    pub fn call_score(
        &self,
        f: &ScriptFn,
        params: &[Param],
        x: &ScoreArgs,
    ) -> Result<f64, ScriptFailure> {
        let args: Vec<Dynamic> = params
            .iter()
            .map(|p| match p {
                Param::Actual => Dynamic::from_float(x.actual),
                Param::Target => Dynamic::from_float(x.target),
                Param::Stretch => x.stretch.map_or(Dynamic::UNIT, Dynamic::from_float),
                Param::Expected => Dynamic::from_float(x.expected),
                Param::Progress => Dynamic::from_float(x.progress),
                Param::Weight => Dynamic::from_float(x.weight),
                Param::Direction => Dynamic::from_int(x.direction as i64),
                Param::Rank => Dynamic::from_int(x.rank as i64),
                Param::Count => Dynamic::from_int(x.count as i64),
                Param::Min => Dynamic::from_float(x.min),
                Param::Max => Dynamic::from_float(x.max),
                Param::Mean => Dynamic::from_float(x.mean),
                Param::Best => Dynamic::from_float(x.best),
                Param::Worst => Dynamic::from_float(x.worst),
                Param::Unit => Dynamic::from(x.unit.to_string()),
                Param::Group => Dynamic::from(x.group.to_string()),
            })
            .collect();
        let out = self.call(f, args)?;
        let points = number(&out).ok_or_else(|| {
            self.fail_at_fn(
                f,
                format!(
                    "`{}` must return the points as a number, but returned {} `{}`",
                    f.name,
                    out.type_name(),
                    out
                ),
                Some("end the function with the points, e.g. `weight * actual / expected`"),
            )
        })?;
        if !points.is_finite() || points.abs() > MAX_NUMBER {
            return Err(self.fail_at_fn(f, format!("`{}` returned {points}, which is not a usable number of points", f.name),
                Some("guard divisions: a zero expected or target value gives an infinite or NaN result")));
        }
        // Checked as adjustments are: points outside what the indicator allows are an error,
        // never published.
        if let Some(a) = f.allowed {
            let most = a.cap * a.weight;
            let eps = 1e-9 * most.abs().max(1.0);
            if !(a.floor - eps..=most + eps).contains(&points) {
                return Err(self.fail_at_fn(
                    f,
                    format!(
                        "`{}` returned {} points, outside the {} to {most} its indicator allows (weight {} × cap {})",
                        f.name,
                        (points * 1e6).round() / 1e6,
                        a.floor,
                        a.weight,
                        a.cap
                    ),
                    Some("hold the points within the range in the function (e.g. `min(points, weight)`), or declare the range in the method: { type = \"script\", function = …, cap = 1.2, floor = 0 } (cap × weight the most, floor the fewest)"),
                ));
            }
        }
        Ok(points)
    }

    /// Calls the adjustment function on a unit's result.
    pub fn call_adjust(
        &self,
        f: &ScriptFn,
        unit: &UnitView,
    ) -> Result<Vec<RawAdjustment>, ScriptFailure> {
        let out = self.call(f, vec![Dynamic::from_map(unit.to_map())])?;
        if out.is_unit() {
            return Ok(Vec::new());
        }
        let help = "return an array of bonus(points, reason), penalty(points, reason) and veto(reason), e.g. `[bonus(0.5, \"按时完成\")]`, or `[]` for none";
        let items: Array = out.clone().try_cast::<Array>().ok_or_else(|| {
            self.fail_at_fn(
                f,
                format!(
                    "`{}` must return an array of adjustments, but returned {} `{}`",
                    f.name,
                    out.type_name(),
                    out
                ),
                Some(help),
            )
        })?;
        items
            .into_iter()
            .map(|item| {
                let bad = || self.fail_at_fn(f, format!("`{}` returned `{item}`, which is not an adjustment", f.name), Some(help));
                let map = item.clone().try_cast::<Map>().ok_or_else(bad)?;
                let kind = match map.get("type").map(|t| t.to_string()).as_deref() {
                    Some("bonus") => AdjustmentKind::Bonus,
                    Some("penalty") => AdjustmentKind::Penalty,
                    Some("veto") => AdjustmentKind::Veto,
                    _ => return Err(bad()),
                };
                let points = map.get("points").and_then(number).ok_or_else(bad)?;
                let reason = map.get("reason").map(|r| r.to_string()).unwrap_or_default();
                let line = map.get("line").and_then(|l| l.as_int().ok()).map(|l| l as usize);
                if !points.is_finite() || !(0.0..=MAX_NUMBER).contains(&points) {
                    return Err(ScriptFailure {
                        file: f.file,
                        line: line.unwrap_or(1),
                        column: 1,
                        message: format!("the {} of `{reason}` is {points}; points must be between 0 and 10^12", kind_zh(kind)),
                        help: Some("write the size of the bonus or penalty as a positive number: penalty(0.5, …) subtracts 0.5".into()),
                    });
                }
                Ok(RawAdjustment { kind, points, reason, line })
            })
            .collect()
    }

    /// Sets the wall-clock limit of one call (tests use a short one).
    #[doc(hidden)]
    pub fn set_time_limit(&mut self, limit: Duration) {
        self.time_limit = limit;
    }

    fn call(&self, f: &ScriptFn, args: Vec<Dynamic>) -> Result<Dynamic, ScriptFailure> {
        let (file, ast) = &self.asts[f.slot];
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        DEADLINE.with(|d| d.set(Some(Instant::now() + self.time_limit)));
        READS.with(|r| r.set(MEASURE_EVERY.0));
        OVER_TOTAL.with(|o| o.set(false));
        let out = self.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            ast,
            &f.name,
            args,
        );
        DEADLINE.with(|d| d.set(None));
        let over_total = OVER_TOTAL.with(|o| o.replace(false));
        out.map_err(|e| {
            let mut fail = failure(*file, &e, over_total);
            if fail.line == 0 {
                // No position (e.g. too many operations): point at the function.
                fail = fail.with_offset(f.offset);
            }
            fail
        })
    }

    fn fail_at_fn(&self, f: &ScriptFn, message: String, help: Option<&str>) -> ScriptFailure {
        let text = &self.asts[f.slot];
        let _ = text;
        ScriptFailure {
            file: f.file,
            line: 0,
            column: 0,
            message,
            help: help.map(str::to_string),
        }
        .with_offset(f.offset)
    }
}

impl ScriptFailure {
    /// Marks the failure at a byte offset; resolved to line and column by [`Self::diagnostic`].
    fn with_offset(mut self, offset: usize) -> Self {
        self.line = 0;
        self.column = offset;
        self
    }

    /// The failure as a diagnostic pointing at the script, saying what was being scored.
    pub fn diagnostic(&self, sources: &Sources, context: &str) -> Diagnostic {
        let at = if self.line == 0 {
            self.column
        } else {
            sources.offset(self.file, self.line, self.column)
        };
        let end = sources.span_to_line_end(self.file, at).end.max(at);
        let mut d = Diagnostic::error(Kind::ScriptRuntime, format!("{context}: {}", self.message))
            .at(self.file, at..end, "the script failed here");
        if let Some(h) = &self.help {
            d = d.help(h.clone());
        }
        d
    }
}

/// What a call's variables hold, nested values included.
#[derive(Default)]
struct Held {
    items: usize,
    bytes: usize,
}

impl Held {
    /// Roughly what measuring these values costs: items, and bytes in 16-byte words.
    fn weight(&self) -> usize {
        self.items + self.bytes / 16
    }

    fn add(&mut self, value: &Dynamic) {
        if self.items > limits::TOTAL_ITEMS || self.bytes > limits::TOTAL_BYTES {
            return; // already over: no need to look further
        }
        if value.is_shared() {
            // A variable a closure captured. Locked only while Rhai writes to it, then it is
            // measured at a later read.
            if let Some(inner) = value.read_lock::<Dynamic>() {
                self.add(&inner);
            }
            return;
        }
        // Numbers, booleans, `()` and the host's types hold nothing more.
        if value.is_string() {
            if let Ok(s) = value.as_immutable_string_ref() {
                self.bytes += s.len();
            }
        } else if value.is_array() {
            if let Ok(a) = value.as_array_ref() {
                self.items += a.len();
                a.iter().for_each(|v| self.add(v));
            }
        } else if value.is_map() {
            if let Ok(m) = value.as_map_ref() {
                self.items += m.len();
                for (k, v) in m.iter() {
                    self.bytes += k.len();
                    self.add(v);
                }
            }
        } else if value.is_blob() {
            if let Ok(b) = value.as_blob_ref() {
                self.bytes += b.len();
            }
        } else if value.is_fnptr() {
            if let Some(f) = value.read_lock::<rhai::FnPtr>() {
                self.items += f.curry().len();
                f.curry().iter().for_each(|v| self.add(v));
            }
        }
    }
}

/// The token `on_progress` stops a call with when it runs out of time.
const TIME_TOKEN: &str = "wall-clock limit";
/// The error `on_var` raises when a call's variables hold too much together.
const TOTAL_WHAT: &str = "the call's variables hold too much together";

fn no_waiting() -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(
        "scripts may not sleep or wait: `sleep` is not available".into(),
        Position::NONE,
    )
    .into()
}

fn kind_zh(kind: AdjustmentKind) -> &'static str {
    match kind {
        AdjustmentKind::Bonus => "bonus",
        AdjustmentKind::Penalty => "penalty",
        AdjustmentKind::Veto => "veto",
    }
}

fn number(d: &Dynamic) -> Option<f64> {
    d.as_float()
        .ok()
        .or_else(|| d.as_int().ok().map(|i| i as f64))
}

fn adjustment(ctx: &NativeCallContext, kind: &str, points: f64, reason: &str) -> Map {
    let mut m = Map::new();
    m.insert("type".into(), kind.into());
    m.insert("points".into(), Dynamic::from_float(points));
    m.insert("reason".into(), reason.into());
    if let Some(line) = ctx.call_position().line() {
        m.insert("line".into(), Dynamic::from_int(line as i64));
    }
    m
}

/// Turns a Rhai error into a failure at the innermost position, with a hint where one helps.
/// `over_total`: the call went over the total size (and may have caught that error).
fn failure(file: FileId, e: &EvalAltResult, over_total: bool) -> ScriptFailure {
    let inner = e.unwrap_inner();
    // The innermost place known: the error's own, else the deepest call site on the way.
    let mut pos: Position = Position::NONE;
    let mut at = e;
    loop {
        if !at.position().is_none() {
            pos = at.position();
        }
        match at {
            EvalAltResult::ErrorInFunctionCall(.., next, _) => at = next,
            _ => break,
        }
    }
    let help = match &inner {
        EvalAltResult::ErrorTooManyOperations(_) => Some(format!(
            "a script call may run at most {} operations; look for a loop that never ends",
            limits::OPERATIONS
        )),
        EvalAltResult::ErrorStackOverflow(_) => Some(format!(
            "calls may nest at most {} deep; look for a function that calls itself without end",
            limits::CALL_LEVELS
        )),
        _ if over_total => Some(format!(
            "a script call's variables may hold at most {} array items and map entries and {} bytes of text together, nested values included; look for a loop that keeps storing copies of an array, map or string",
            limits::TOTAL_ITEMS,
            limits::TOTAL_BYTES
        )),
        EvalAltResult::ErrorDataTooLarge(..) => Some(format!(
            "strings may hold at most {} characters, arrays and maps {} items; look for a loop that keeps adding to one",
            limits::STRING_SIZE,
            limits::ARRAY_SIZE
        )),
        EvalAltResult::ErrorTerminated(..) => Some(format!(
            "a script call may run at most {} seconds; look for work that grows with the size of its data (a sort or search inside a loop)",
            limits::SECONDS
        )),
        EvalAltResult::ErrorRuntime(..) if e.to_string().contains("`sleep`") => {
            Some(SANDBOX_HELP.to_string())
        }
        EvalAltResult::ErrorVariableNotFound(..) => {
            Some("declare the variable with `let`, or take it as a parameter of the function".into())
        }
        EvalAltResult::ErrorPropertyNotFound(..) => Some(
            "the map has no such key; check its spelling, or test first with `\"key\" in map`".into(),
        ),
        EvalAltResult::ErrorFunctionNotFound(..) => Some(
            "check the function's name and the types of its arguments (e.g. 1 is an integer, 1.0 a decimal); scripts have no clock, file or network functions".into(),
        ),
        _ => None,
    };
    let message = match &inner {
        EvalAltResult::ErrorRuntime(m, _) if over_total || e.to_string().contains("`sleep`") => {
            m.to_string()
        }
        _ if over_total => TOTAL_WHAT.to_string(),
        EvalAltResult::ErrorTerminated(..) => format!(
            "the script ran longer than the {} seconds a call may take",
            limits::SECONDS
        ),
        _ => strip_position(inner.to_string(), pos),
    };
    ScriptFailure {
        file,
        line: pos.line().unwrap_or(0),
        column: pos.position().unwrap_or(1),
        message,
        help,
    }
}

/// Rhai appends ` (line 3, position 5)` to messages; the diagnostic shows the place itself.
fn strip_position(message: String, pos: Position) -> String {
    let suffix = format!(" ({pos})");
    match message.strip_suffix(&suffix) {
        Some(m) => m.to_string(),
        None => message,
    }
}

/// Byte offset of `fn name` in a script, or 0.
fn find_fn(text: &str, name: &str) -> usize {
    let mut from = 0;
    while let Some(i) = text[from..].find("fn ") {
        let at = from + i;
        let rest = text[at + 3..].trim_start();
        if rest.starts_with(name) && rest[name.len()..].trim_start().starts_with('(') {
            return at;
        }
        from = at + 3;
    }
    0
}

fn name_span(text: &str, offset: usize, name: &str) -> std::ops::Range<usize> {
    match text[offset..].find(name) {
        Some(i) => offset + i..offset + i + name.len(),
        None => offset..offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> (Sources, Scripts) {
        let mut s = Sources::new();
        let f = s.add("scores.rhai", text);
        let scripts = Scripts::compile(&s, &[f]).unwrap_or_else(|e| panic!("{e:?}"));
        (s, scripts)
    }

    fn args() -> ScoreArgs<'static> {
        ScoreArgs {
            actual: 9.0,
            target: 12.0,
            stretch: None,
            expected: 6.0,
            progress: 0.5,
            weight: 10.0,
            direction: 1.0,
            rank: 2,
            count: 11,
            min: 1.0,
            max: 20.0,
            mean: 8.0,
            best: 20.0,
            worst: 1.0,
            unit: "suixi",
            group: "county",
        }
    }

    #[test]
    fn parameters_pick_inputs_by_name() {
        let (_, s) =
            compile("fn f(expected, actual, weight) { weight * min(actual / expected, 1.2) }");
        let f = s.function("f").unwrap();
        let params: Vec<Param> = f
            .param_names
            .iter()
            .map(|n| Param::from_name(n).unwrap())
            .collect();
        assert_eq!(s.call_score(f, &params, &args()).unwrap(), 12.0);
    }

    #[test]
    fn integers_are_accepted_as_points() {
        let (_, s) = compile("fn f(rank) { if rank == 2 { 7 } else { 0 } }");
        let f = s.function("f").unwrap();
        assert_eq!(s.call_score(f, &[Param::Rank], &args()).unwrap(), 7.0);
    }

    #[test]
    fn runtime_errors_point_at_the_line() {
        let (src, s) = compile("fn f(actual) {\n  let m = #{a: actual};\n  m.b + 1.0\n}");
        let f = s.function("f").unwrap();
        let e = s.call_score(f, &[Param::Actual], &args()).unwrap_err();
        assert_eq!((e.line, e.column), (3, 5));
        let d = e.diagnostic(&src, "scoring 遂溪县 on 实际利用外资");
        assert!(d.message.contains("遂溪县"), "{}", d.message);
        assert!(d.message.contains("Property not found"), "{}", d.message);
    }

    #[test]
    fn an_endless_loop_is_stopped() {
        let (_, s) = compile("fn f(actual) { loop { } }");
        let f = s.function("f").unwrap();
        let e = s.call_score(f, &[Param::Actual], &args()).unwrap_err();
        assert!(e.help.unwrap().contains("operations"));
    }

    #[test]
    fn non_numbers_and_nan_are_rejected() {
        let (_, s) = compile("fn f(actual) { \"a\" }\nfn g(actual) { actual / 0.0 }");
        let e = s
            .call_score(s.function("f").unwrap(), &[Param::Actual], &args())
            .unwrap_err();
        assert!(
            e.message.contains("must return the points as a number"),
            "{}",
            e.message
        );
        let e = s
            .call_score(s.function("g").unwrap(), &[Param::Actual], &args())
            .unwrap_err();
        assert!(e.message.contains("not a usable number"), "{}", e.message);
    }

    #[test]
    fn adjustments_carry_kind_points_reason_and_line() {
        let (_, s) = compile(
            "fn adjust(u) {\n  [bonus(0.5, \"表扬\"),\n   penalty(1, \"约谈\"), veto(\"事故\")]\n}",
        );
        let f = s.function("adjust").unwrap();
        let view = UnitView {
            id: "a",
            name: "甲",
            group: "g",
            base: 90.0,
            categories: vec![],
            indicators: Indicators {
                ids: Arc::new(HashMap::new()),
                rows: Arc::new(vec![]),
            },
            events: &[],
        };
        let got = s.call_adjust(f, &view).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            RawAdjustment {
                kind: AdjustmentKind::Bonus,
                points: 0.5,
                reason: "表扬".into(),
                line: Some(2)
            }
        );
        assert_eq!(got[1].kind, AdjustmentKind::Penalty);
        assert_eq!(got[1].points, 1.0);
        assert_eq!(got[2].kind, AdjustmentKind::Veto);
    }

    #[test]
    fn compile_errors_and_duplicates_are_diagnostics() {
        let mut s = Sources::new();
        let a = s.add("a.rhai", "fn f(x) { x + }");
        let b = s.add("b.rhai", "fn g(x) { x }");
        let c = s.add("c.rhai", "fn g(y) { y }");
        let errs = Scripts::compile(&s, &[a, b, c]).err().unwrap();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].kind, Kind::Script);
        assert_eq!(errs[1].kind, Kind::Duplicate);
    }

    /// Runs `body` as the body of a score function taking `actual`, returning the failure.
    fn fails(body: &str) -> (Sources, ScriptFailure, Duration) {
        let (src, s) = compile(&format!("fn f(actual) {{\n{body}\n}}"));
        let start = Instant::now();
        let e = s
            .call_score(s.function("f").unwrap(), &[Param::Actual], &args())
            .unwrap_err();
        (src, e, start.elapsed())
    }

    #[test]
    fn scripts_cannot_sleep() {
        for body in [
            "sleep(1e300);\n1",
            "sleep(1000000000);\n1",
            "sleep(0.5);\n1",
        ] {
            let (_, e, took) = fails(body);
            assert!(e.message.contains("may not sleep"), "{body}: {}", e.message);
            assert_eq!(e.line, 2, "{body}: located at the call");
            assert!(took < Duration::from_secs(1), "{body}: took {took:?}");
        }
        // Caught, it still does not wait.
        let (_, s) = compile("fn f(actual) { try { sleep(5) } catch { } 1 }");
        let start = Instant::now();
        let got = s.call_score(s.function("f").unwrap(), &[Param::Actual], &args());
        assert_eq!(got.unwrap(), 1.0);
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn nested_arrays_are_bounded_together() {
        // Each row passes the per-array limit; 9,999 of them would take 1.6 GB.
        let (src, e, took) = fails(
            "let b = [];\nb.pad(9999, 0);\nlet a = [];\na.pad(9999, ());\nfor i in 0..9999 { a[i] = b; }\n1",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
        assert_eq!(e.line, 6, "located at the loop");
        assert!(
            e.help.as_deref().unwrap().contains("100000"),
            "{:?}",
            e.help
        );
        assert!(took < Duration::from_secs(2), "took {took:?}");
        let d = e.diagnostic(&src, "scoring");
        assert!(
            d.message.starts_with(&format!("scoring: {TOTAL_WHAT}: 1")),
            "{}",
            d.message
        );
        assert!(d.message.ends_with("the most in `a`"), "{}", d.message);
    }

    #[test]
    fn maps_of_large_strings_are_bounded_together() {
        let (_, e, _) = fails(
            "let s = \"0123456789\";\nfor i in 0..9 { s += s; }\nlet m = #{};\nfor i in 0..9999 { m[`k${i}`] = s + i; }\n1",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
        assert_eq!(e.line, 5);
    }

    #[test]
    fn maps_grown_by_new_keys_are_bounded() {
        // Indexing a map with a new key adds an entry without Rhai's size check.
        let (_, e, _) = fails(
            "let b = [];\nb.pad(999, 0);\nlet m = #{};\nfor i in 0..9999 { m[`${i}`] = b; }\n1",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
        assert!(e.message.contains("the most in `m`"), "{}", e.message);
    }

    #[test]
    fn curried_and_captured_values_count() {
        let (_, e, _) = fails(
            "let b = [];\nb.pad(9999, 0);\nlet f = Fn(\"max\");\nfor i in 0..100 { f = f.curry(b); }\n1",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
        let (_, e, _) = fails(
            "let b = [];\nb.pad(9999, 0);\nlet a = [];\na.pad(9999, ());\nlet g = || a.len();\nfor i in 0..9999 { a[i] = b; }\n1",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
    }

    #[test]
    fn catching_the_total_error_does_not_escape_it() {
        let (_, e, _) = fails(
            "let b = [];\nb.pad(9999, 0);\nlet a = [];\na.pad(9999, ());\ntry { for i in 0..9999 { a[i] = b; } } catch { }\nlet x = 1;\nx",
        );
        assert!(e.message.starts_with(TOTAL_WHAT), "{}", e.message);
    }

    #[test]
    fn strings_doubling_and_deep_recursion_are_stopped() {
        let (_, e, took) = fails("let s = \"ab\";\nloop { s += s; }");
        assert!(e.message.contains("too large"), "{}", e.message);
        assert!(took < Duration::from_secs(1));
        let (src, s) = compile("fn f(actual) { g(1) }\nfn g(n) { g(n + 1) }");
        let e = s
            .call_score(s.function("f").unwrap(), &[Param::Actual], &args())
            .unwrap_err();
        assert!(e.help.unwrap().contains("nest at most"));
        let _ = src;
    }

    #[test]
    fn the_wall_clock_limit_turns_a_long_call_into_an_error() {
        let text = "fn f(actual) { let s = 0; for i in 0..10000 { s += i; } s }";
        let (_, mut s) = compile(text);
        let f = s.function("f").unwrap().clone();
        // Within the limit: the result, whatever the limit.
        assert_eq!(
            s.call_score(&f, &[Param::Actual], &args()).unwrap(),
            49995000.0
        );
        s.set_time_limit(Duration::ZERO);
        let e = s.call_score(&f, &[Param::Actual], &args()).unwrap_err();
        assert!(e.message.contains("ran longer than"), "{}", e.message);
        assert!(e.help.unwrap().contains("seconds"));
        // The next call on the thread starts with its own deadline.
        s.set_time_limit(Duration::from_secs(limits::SECONDS));
        assert_eq!(
            s.call_score(&f, &[Param::Actual], &args()).unwrap(),
            49995000.0
        );
    }
}
