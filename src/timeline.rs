//! The periods of a campaign in order, each scored once: a period that was published is read
//! from its published results (what was announced stays as announced), any other is scored
//! from its data with the current rules. Each result is annotated with its movement and
//! warning follow-up against the results before it.
//!
//! This is orchestration: files are read through [`crate::loader`], scoring is
//! [`crate::evaluate`], annotation [`crate::history`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::diag::{Diagnostic, Kind, Severity, Sources};
use crate::evaluate::evaluate_facts;
use crate::history;
use crate::loader::{self, Loaded, PeriodFiles};
use crate::period::Period;
use crate::publish::{
    differences, fingerprint, unresolved_note, Difference, Fingerprint, Published,
};
use crate::result::{Facts, PeriodResult};
use rayon::prelude::*;

/// One period's facts and where they came from.
pub struct Entry {
    /// By index, against the run's campaign ([`Entry::result`] names them).
    pub facts: Facts,
    /// The published results, if the period was published.
    pub published: Option<Published>,
    /// Set when this entry was scored now (not read from the published file).
    pub fingerprint: Option<Fingerprint>,
}

/// Every period with data up to `last`, oldest first.
pub struct Timeline {
    /// Every period's facts. Periods before the last keep no cells, and periods before the
    /// previous one keep no warnings either, only each unit's `open_warnings`.
    pub entries: BTreeMap<Period, Entry>,
    /// Notes that do not stop the run (e.g. progress that went down).
    pub notes: Vec<Diagnostic>,
    /// Set when `last` was published and, scored again now, differs from what was
    /// published: what was published stands, and the office should be told.
    pub stands: Option<Stands>,
    /// The data-quality warnings of `last` when it was scored now ([`crate::quality`]),
    /// against the previous period's data where it has some.
    pub suspects: Vec<crate::quality::Suspect>,
}

impl Entry {
    /// The facts with the campaign's ids and names, as reports show them.
    pub fn result(&self, c: &Campaign) -> PeriodResult {
        PeriodResult::named(c, &self.facts)
    }

    /// [`Entry::result`], consuming the entry (its cells are freed as they are named).
    pub fn into_result(self, c: &Campaign) -> PeriodResult {
        PeriodResult::into_named(c, self.facts)
    }
}

/// A published period that scores differently now (the "published results stand" policy).
pub struct Stands {
    pub period: Period,
    pub path: PathBuf,
    pub differences: Vec<Difference>,
}

/// Scores the campaign's periods up to `last`. Earlier periods come from their published
/// results where they exist. `last` itself is scored with the current rules when
/// `score_last` is set (and compared with what was published by the caller), else it too
/// is read from its published results if there are any.
pub fn run(
    loaded: &mut Loaded,
    data: &Path,
    last: Period,
    score_last: bool,
    sources: &mut Sources,
) -> Result<Timeline, Vec<Diagnostic>> {
    run_with_progress(loaded, data, last, score_last, sources, &mut |_, _, _| {})
}

/// [`run`], calling `progress(done, total, period)` before each period is read or scored
/// (and once with `done == total` at the end), e.g. for a progress bar.
pub fn run_with_progress(
    loaded: &mut Loaded,
    data: &Path,
    last: Period,
    score_last: bool,
    sources: &mut Sources,
    progress: &mut dyn FnMut(usize, usize, Period),
) -> Result<Timeline, Vec<Diagnostic>> {
    let periods: Vec<Period> = loader::list_periods(data, &loaded.campaign)
        .map_err(|e| vec![e])?
        .into_iter()
        .filter(|p| *p < last)
        .chain(std::iter::once(last))
        .collect();
    // Published periods are read as published; the others' files are read and parsed one
    // period ahead of scoring (below).
    let mut published: BTreeMap<Period, Published> = BTreeMap::new();
    let mut pre_notes = Vec::new();
    let mut to_score = Vec::new();
    for &p in &periods {
        let read = match loader::read_published(loaded, p, sources) {
            Ok(x) => x,
            // The period scored now can be compared with what was published only if that
            // can be read; if not (e.g. an older format), say so and score it all the same:
            // this is how it gets re-published. A file edited since is an error all the same.
            Err(mut e) if score_last && p == last && e.kind != Kind::Published => {
                e.severity = Severity::Warning;
                pre_notes.push(e);
                None
            }
            Err(e) => return Err(vec![e]),
        };
        match read {
            Some(x) if !(score_last && p == last) => {
                published.insert(p, x);
            }
            other => {
                if let Some(x) = other {
                    published.insert(p, x);
                }
                to_score.push(p);
            }
        }
    }
    // The previous period's data, for the data-quality check of the last period scored now:
    // read here only where the previous period is not scored in this run (it was published).
    let previous = last.previous();
    let mut previous_files =
        if score_last && published.contains_key(&previous) && periods.contains(&previous) {
            loader::read_period(data, previous, loaded, sources).ok()
        } else {
            None
        };
    pre_notes.append(&mut loaded.notes);
    // The periods to score are read and parsed one ahead: the next period's files are
    // parsed while this one is scored, so at most two periods' data are held at once, and a
    // period's texts are let go once it is scored.
    let build =
        |sources: &Sources, c: &Campaign, f: PeriodFiles| loader::build_period(sources, c, f);
    // Every remaining period's data problems, reported together as a loader does.
    let all_errors = |loaded: &mut Loaded,
                      sources: &mut Sources,
                      rest: Vec<Period>,
                      errors: &mut Vec<Diagnostic>| {
        let mut files = Vec::new();
        for q in rest {
            match loader::read_period(data, q, loaded, sources) {
                Ok(f) => files.push(f),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let (shared, c): (&Sources, &Campaign) = (sources, &loaded.campaign);
        let built: Vec<_> = files.into_par_iter().map(|f| build(shared, c, f)).collect();
        for e in built {
            if let Err(mut e) = e {
                errors.append(&mut e);
            }
        }
    };
    let mut to_score: std::collections::VecDeque<Period> = to_score.into();
    let mut ahead: Option<Result<PeriodData, Vec<Diagnostic>>> = match to_score.pop_front() {
        Some(q) => {
            let f = loader::read_period(data, q, loaded, sources)?;
            Some(build(sources, &loaded.campaign, f))
        }
        None => None,
    };

    let mut entries: BTreeMap<Period, Entry> = BTreeMap::new();
    let mut notes = pre_notes;
    let mut stands = None;
    let mut suspects = Vec::new();
    // The data of the period scored just before, for the quality check of the next.
    let mut scored_before: Option<PeriodData> = None;
    // Published facts as results against the current rules; what no longer resolves is noted.
    let mut as_published: BTreeMap<Period, Facts> = BTreeMap::new();
    for (p, x) in &published {
        let (result, unresolved) = x.resolve(&loaded.campaign, *p);
        let path = loader::published_path(loaded, *p);
        notes.extend(unresolved_note(&path, &p.to_string(), &unresolved));
        as_published.insert(*p, result);
    }
    let total = periods.len();
    for (done, p) in periods.into_iter().enumerate() {
        progress(done, total, p);
        // Earlier periods serve only movement, warning history and trends: their scorecards
        // (the cells) are dropped before this period is scored, to keep memory flat however
        // many periods there are.
        if let Some(before) = entries.values_mut().last() {
            before.facts.slim();
        }
        // Only the previous period's warnings feed the warning loop; earlier ones keep their
        // counts (for trends) and let the warnings go, so memory stays flat over a year.
        for (q, e) in entries.iter_mut() {
            if *q < p.previous() {
                e.facts.forget_warnings();
            }
        }
        let scored_now = ahead.as_ref().is_some_and(|d| match d {
            Ok(d) => d.period == p,
            Err(_) => true,
        });
        let entry = match scored_now.then(|| ahead.take()).flatten() {
            Some(Err(mut errors)) => {
                all_errors(loaded, sources, to_score.drain(..).collect(), &mut errors);
                return Err(errors);
            }
            None => Entry {
                facts: as_published.remove(&p).expect("read above"),
                published: published.remove(&p),
                fingerprint: None,
            },
            Some(Ok(period_data)) => {
                if let Some(prev) = entries.get(&p.previous()) {
                    notes.extend(progress_going_down(
                        &loaded.campaign,
                        &prev.facts,
                        &period_data,
                    ));
                }
                let next = match to_score.pop_front() {
                    Some(q) => Some(loader::read_period(data, q, loaded, sources)?),
                    None => None,
                };
                let (shared, campaign): (&Sources, &Campaign) = (sources, &loaded.campaign);
                let (result, next) = rayon::join(
                    || evaluate_facts(campaign, &period_data, &loaded.scripts, shared),
                    || next.map(|f| build(shared, campaign, f)),
                );
                ahead = next;
                let mut result = match result {
                    Ok(r) => r,
                    Err(mut errors) => {
                        // Every period's data problems come with it, as a loader reports them.
                        if let Some(Err(mut e)) = ahead.take() {
                            errors.append(&mut e);
                        }
                        all_errors(loaded, sources, to_score.drain(..).collect(), &mut errors);
                        return Err(errors);
                    }
                };
                if score_last && p == last {
                    let before = match previous_files.take() {
                        Some(files) => build(sources, &loaded.campaign, files).ok(),
                        None => scored_before.take().filter(|d| d.period == previous),
                    };
                    suspects =
                        crate::quality::check(&loaded.campaign, &period_data, before.as_ref());
                }
                history::annotate(
                    &loaded.campaign.escalation,
                    &mut result,
                    entries.get(&p.previous()).map(|e| &e.facts),
                    entries.get(&p.a_year_earlier()).map(|e| &e.facts),
                );
                if let (Some(then), Some(file)) = (as_published.get(&p), published.get(&p)) {
                    let announced = file.facts.warnings.len();
                    let differences = differences(&loaded.campaign, then, announced, &result);
                    if !differences.is_empty() {
                        stands = Some(Stands {
                            period: p,
                            path: loader::published_path(loaded, p),
                            differences,
                        });
                    }
                }
                let entry = Entry {
                    fingerprint: Some(Fingerprint {
                        rules: fingerprint(sources, &loaded.rule_files),
                        data: fingerprint(sources, &period_data.files),
                        facts: String::new(),
                        content: String::new(),
                    }),
                    facts: result,
                    published: published.remove(&p),
                };
                // The period's files have served (parsed, fingerprinted): their texts go,
                // so a year of data is not held to the end, but for a file a note points
                // into, which is still to be shown.
                if p != last {
                    for (_, file) in &period_data.files {
                        if !notes
                            .iter()
                            .any(|n| n.labels.iter().any(|l| l.file == *file))
                        {
                            sources.forget(*file);
                        }
                    }
                }
                scored_before = Some(period_data);
                entry
            }
        };
        entries.insert(p, entry);
    }
    progress(total, total, last);
    // What reading the periods' folders noted (files there but not read, say).
    notes.append(&mut loaded.notes);
    Ok(Timeline {
        entries,
        notes,
        stands,
        suspects,
    })
}

/// A warning for each item whose reported progress is below last period's: a unit may be
/// correcting an over-report, and the office should know.
fn progress_going_down(
    campaign: &Campaign,
    previous: &Facts,
    data: &crate::data::PeriodData,
) -> Vec<Diagnostic> {
    let Some(progress) = &data.progress else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ((item, report), before) in campaign.items.iter().zip(progress).zip(&previous.items) {
        let (Some(r), Some(then)) = (report, before.as_ref().and_then(|b| b.progress)) else {
            continue;
        };
        if r.report.progress < then {
            let mut d = Diagnostic::error(
                Kind::Value,
                format!("the progress of `{}` went down from {then}% in {} to {}%", item.id, previous.period, r.report.progress),
            )
            .at(r.origin.file, r.origin.span.clone(), "less than last period")
            .help("progress is cumulative; if last period's figure was too high, keep this one and note the correction");
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
    out
}

/// What `publish` did.
pub struct Outcome {
    pub path: PathBuf,
    pub published: Published,
    /// Notes that do not stop the run.
    pub notes: Vec<Diagnostic>,
}

/// What publishing does with a period's data-quality warnings: `Err` refuses to publish.
pub type Accept<'a> =
    dyn Fn(&Campaign, &[crate::quality::Suspect]) -> Result<(), Vec<Diagnostic>> + 'a;

/// Publishes `period`: scores it with the current rules and data (earlier periods as
/// published), and writes `rules/NAME/published/PERIOD.json` all or nothing. Its
/// data-quality warnings go through `accept` first: an error there refuses to publish;
/// otherwise the file records them as accepted. Refuses to replace a published period unless
/// `force`.
pub fn publish(
    loaded: &mut loader::Loaded,
    data: &Path,
    period: Period,
    force: bool,
    accept: &Accept<'_>,
    sources: &mut Sources,
) -> Result<Outcome, Vec<Diagnostic>> {
    let path = loader::published_path(loaded, period);
    if loader::is_file(&path) && !force {
        return Err(vec![Diagnostic::error(Kind::Period, format!("{period} is already published: {}", path.display()))
            .help(format!("published results are not replaced by accident; to replace them, run `jingbiao publish --period {period} --force`"))]);
    }
    // The file being replaced is not read: whatever it holds, it is what is replaced.
    loaded.replacing = Some(period);
    let mut tl = run(loaded, data, period, true, sources)?;
    accept(&loaded.campaign, &tl.suspects)?;
    let entry = tl.entries.remove(&period).expect("scored");
    let fingerprint = entry.fingerprint.expect("the last period is scored now");
    let published = Published::new(&loaded.campaign, &entry.facts, fingerprint)
        .with_accepted(&loaded.campaign, &tl.suspects);
    // The file being replaced was read as an input; it is the one file publish may overwrite.
    loaded.inputs.retain(|p| *p != path);
    crate::output::write_creating_folder(&path, published.to_json().as_bytes(), &loaded.inputs)
        .map_err(|e| vec![e])?;
    // That the file being replaced could not be read (an older format) is no news: replacing
    // it is what the office asked for.
    let replaced = path.display().to_string();
    tl.notes
        .retain(|n| !n.labels.iter().any(|l| sources.name(l.file) == replaced));
    Ok(Outcome {
        path,
        published,
        notes: tl.notes,
    })
}
