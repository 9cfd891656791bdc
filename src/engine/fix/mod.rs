//! De-identifying transforms: the fixes offered for each finding, and "de-identify document".
//!
//! Fixes are worked out here rather than by the detectors because the good ones need the whole
//! document: every mention of a person gets the same placeholder, and "in her 40s" needs the
//! patient's pronouns. Each fix is [`Applicability::Safe`] (meaning-preserving de-identification,
//! which [`fix_all`] applies in bulk) or needs review (offered one at a time).

mod ages;
mod dates;
mod gender;
mod grammar;
mod names;
mod redact;
mod wording;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

pub use gender::GenderChange;
pub use names::NameStyle;

use self::grammar::Gender;
use super::finding::{Applicability, Edit, Finding, Fix};
use super::markup::{self, Format, Prepared};
use super::rules::Rule;
use super::segment;
use super::Checker;

/// What the transforms read: the document, its masked text and blocks, and the gender most of
/// its pronouns point to.
pub(crate) struct Doc<'a> {
    source: &'a str,
    /// `source` with markup blanked (same length).
    text: &'a str,
    blocks: &'a [Range<usize>],
    gender: Gender,
    /// The gender of each block, counted when first asked for (empty: counted every time).
    block_genders: &'a [OnceLock<Gender>],
}

impl Doc<'_> {
    /// The patient's gender as the pronouns near `at` show it (its block, else the document).
    fn gender_near(&self, at: usize) -> Gender {
        let block = self.blocks.partition_point(|b| b.end <= at);
        let local = self
            .blocks
            .get(block)
            .filter(|b| b.start <= at)
            .map_or(Gender::Unknown, |b| {
                let count = || grammar::majority_gender(&self.text[b.clone()]);
                // Counted once per block: a paragraph of a megabyte may hold thousands of ages.
                self.block_genders
                    .get(block)
                    .map_or_else(count, |known| *known.get_or_init(count))
            });
        if local == Gender::Unknown {
            self.gender
        } else {
            local
        }
    }
}

/// How far a fix reaches. The editor offers document-wide fixes (every mention of a person);
/// `--format json` and fix-all use per-mention edits, which add up to the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Mention,
    Document,
}

/// What the fixes of one checked version of a document read, worked out once for all of them:
/// the text with markup blanked and its blocks, the patient's gender, who each name refers to,
/// and where each finding is. A language server keeps it with the version's findings, so asking
/// for the fixes at the cursor does not parse a long document again.
pub struct FixFacts {
    prepared: Prepared<'static>,
    gender: Gender,
    persons: names::Persons,
    /// The first finding other than a combination at each span (combinations point to them).
    at_span: HashMap<(usize, usize), usize>,
    /// The two gender rewrites of the whole document, made when first asked for.
    gender_rewrites: OnceLock<Vec<(GenderChange, Fix)>>,
    /// The gender of each block of `prepared`, counted when first asked for.
    block_genders: Vec<OnceLock<Gender>>,
}

/// One segment's text with markup blanked, and its blocks, in the segment's own offsets.
struct Part {
    text: Box<str>,
    blocks: Vec<Range<usize>>,
    /// Its masculine and feminine pronouns ([`grammar::pronoun_counts`]).
    pronouns: (usize, usize),
}

/// The segments prepared for a document's last [`FixFacts`], by their content: the facts of the
/// next version prepare again only the segments an edit changed. Keep one per open document.
#[derive(Default)]
pub struct FixCache {
    parts: HashMap<(u64, u64, usize), Arc<Part>>,
}

impl FixFacts {
    /// The facts of `source` as checked into `findings`.
    pub fn new(source: &str, format: Format, findings: &[Finding]) -> FixFacts {
        let segments = segment::split(source, format);
        FixFacts::assembled(source, format, findings, &segments, &mut FixCache::default())
    }

    /// The same facts, the markup of `source` read segment by segment as the check reads it
    /// (`segments` are those of [`segment::split`] of `source`), taking from `cache` the
    /// segments prepared before and leaving this version's there.
    pub fn assembled(
        source: &str,
        format: Format,
        findings: &[Finding],
        segments: &[segment::Segment],
        cache: &mut FixCache,
    ) -> FixFacts {
        if !covers(source, segments) {
            // Segments of another text: the markup read in one piece, none of them trusted.
            let prepared = markup::prepare(source, format);
            let text = prepared.text.into_owned();
            let pronouns = grammar::pronoun_counts(&text);
            return FixFacts::of(source, findings, text, prepared.blocks, pronouns);
        }
        let mut text = String::with_capacity(source.len());
        let mut blocks = Vec::new();
        // Segments end at line ends or between sentences, where no word goes on: the
        // document's pronouns are the sum of its segments'.
        let (mut male, mut female) = (0, 0);
        let mut parts = HashMap::with_capacity(segments.len());
        for s in segments {
            let part = cache.parts.get(&s.key()).map(Arc::clone).unwrap_or_else(|| {
                let prepared = markup::prepare(&source[s.range.clone()], format);
                Arc::new(Part {
                    pronouns: grammar::pronoun_counts(&prepared.text),
                    text: prepared.text.into(),
                    blocks: prepared.blocks,
                })
            });
            text.push_str(&part.text);
            male += part.pronouns.0;
            female += part.pronouns.1;
            let at = s.range.start;
            blocks.extend(part.blocks.iter().map(|b| at + b.start..at + b.end));
            parts.insert(s.key(), part);
        }
        cache.parts = parts;
        FixFacts::of(source, findings, text, blocks, (male, female))
    }

    fn of(
        source: &str,
        findings: &[Finding],
        text: String,
        blocks: Vec<Range<usize>>,
        (male, female): (usize, usize),
    ) -> FixFacts {
        let mut at_span = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            if f.rule != Rule::QuasiCombination {
                at_span.entry((f.span.start, f.span.end)).or_insert(i);
            }
        }
        FixFacts {
            gender: grammar::gender_of_counts(male, female),
            block_genders: blocks.iter().map(|_| OnceLock::new()).collect(),
            prepared: Prepared {
                text: Cow::Owned(text),
                blocks,
            },
            persons: names::Persons::new(source, findings),
            at_span,
            gender_rewrites: OnceLock::new(),
        }
    }
}

/// Whether `segments` cut `source` into consecutive pieces from its start to its end, at
/// character boundaries.
fn covers(source: &str, segments: &[segment::Segment]) -> bool {
    let mut at = 0;
    for s in segments {
        if s.range.start != at || s.range.end < at || !source.is_char_boundary(s.range.end) {
            return false;
        }
        at = s.range.end;
    }
    at == source.len()
}

/// The facts a [`FixContext`] reads: its own, or kept by the caller.
enum Facts<'a> {
    Own(Box<FixFacts>),
    Kept(&'a FixFacts),
}

/// Everything needed to offer fixes for one checked version of a document.
pub struct FixContext<'a> {
    source: &'a str,
    format: Format,
    facts: Facts<'a>,
    findings: &'a [Finding],
    style: NameStyle,
    /// The bounds of the line of the last "ignore here" fix (its start, and its end before the
    /// line break): findings come in text order, and a pasted line can be a megabyte long
    /// with a finding every few words, so the line is searched for once, not once for each.
    last_line: std::cell::Cell<Option<(usize, usize)>>,
}

impl<'a> FixContext<'a> {
    pub fn new(source: &'a str, format: Format, findings: &'a [Finding], style: NameStyle) -> FixContext<'a> {
        FixContext {
            source,
            format,
            facts: Facts::Own(Box::new(FixFacts::new(source, format, findings))),
            findings,
            style,
            last_line: std::cell::Cell::new(None),
        }
    }

    /// The same context with `facts` made earlier ([`FixFacts::new`], [`FixFacts::assembled`])
    /// of this `source`, `format` and `findings`.
    pub fn with_facts(
        source: &'a str,
        format: Format,
        findings: &'a [Finding],
        style: NameStyle,
        facts: &'a FixFacts,
    ) -> FixContext<'a> {
        FixContext {
            source,
            format,
            facts: Facts::Kept(facts),
            findings,
            style,
            last_line: std::cell::Cell::new(None),
        }
    }

    fn facts(&self) -> &FixFacts {
        match &self.facts {
            Facts::Own(facts) => facts,
            Facts::Kept(facts) => facts,
        }
    }

    fn doc(&self) -> Doc<'_> {
        let facts = self.facts();
        Doc {
            source: self.source,
            text: &facts.prepared.text,
            blocks: &facts.prepared.blocks,
            gender: facts.gender,
            block_genders: &facts.block_genders,
        }
    }

    /// The fixes for finding `index`, the preferred first, ending with "ignore here".
    pub fn fixes(&self, index: usize, scope: Scope) -> Vec<Fix> {
        let Some(finding) = self.findings.get(index) else {
            return Vec::new();
        };
        let doc = self.doc();
        let mut fixes = match finding.rule {
            Rule::Name => self.name_fixes(index, scope),
            Rule::Age => ages::fixes(&doc, &finding.span),
            Rule::Date => dates::fixes(&doc, &finding.span),
            Rule::Stigmatizing => wording::stigmatizing(&doc, &finding.span),
            Rule::Derogatory => wording::remove_remark(&doc, &finding.span),
            Rule::Photo => vec![Fix {
                title: "Remove the image (keep it only with the patient's consent)".to_string(),
                edits: vec![Edit {
                    span: finding.span.clone(),
                    replacement: String::new(),
                }],
                applicability: Applicability::NeedsReview,
            }],
            Rule::QuasiCombination => self.combination_fix(finding).into_iter().collect(),
            rule => redact::fixes(&doc, rule, &finding.span),
        };
        // The preferred fix is the first safe one (for names: the configured style).
        if finding.rule != Rule::Name {
            fixes.sort_by_key(|f| f.applicability != Applicability::Safe);
        }
        fixes.push(self.ignore_fix(finding));
        fixes
    }

    fn name_fixes(&self, index: usize, scope: Scope) -> Vec<Fix> {
        let facts = self.facts();
        let (source, blocks) = (self.source, &facts.prepared.blocks[..]);
        match scope {
            Scope::Document => facts
                .persons
                .person_fixes(source, blocks, self.findings, index, self.style, facts.gender),
            Scope::Mention => NameStyle::preferred_first(self.style)
                .filter_map(|style| {
                    let edit = facts
                        .persons
                        .mention_edit(source, blocks, self.findings, index, style, facts.gender)?;
                    Some(Fix {
                        title: format!("Replace the name with \u{201c}{}\u{201d}", edit.replacement),
                        edits: vec![edit],
                        applicability: style.applicability(),
                    })
                })
                .collect(),
        }
    }

    /// For a combination of details: the safe fixes of the identifiers among them, together.
    fn combination_fix(&self, combination: &Finding) -> Option<Fix> {
        let mut edits: Vec<Edit> = Vec::new();
        for (span, _) in &combination.related {
            let Some(&index) = self.facts().at_span.get(&(span.start, span.end)) else {
                continue;
            };
            if let Some(fix) = self
                .fixes(index, Scope::Mention)
                .into_iter()
                .find(|f| f.applicability == Applicability::Safe)
            {
                edits.extend(fix.edits);
            }
        }
        edits.sort_by_key(|e| e.span.start);
        edits.dedup_by(|b, a| b.span.start < a.span.end);
        (!edits.is_empty()).then(|| Fix {
            title: "Generalize the identifying details (age range, year only, placeholders)".to_string(),
            edits,
            applicability: Applicability::NeedsReview,
        })
    }

    /// Where image file names are in the text: identifiers there are reported, but rewriting
    /// them would break the image, so bulk fixes leave them to the author (rename the file).
    fn image_targets(&self) -> Vec<Range<usize>> {
        self.findings
            .iter()
            .filter(|f| f.rule == Rule::Photo)
            .filter_map(|f| {
                let written = &self.source[f.span.clone()];
                let offset = written
                    .rfind("](")
                    .map(|i| i + 2)
                    .or_else(|| written.find("src").map(|i| i + 3))?;
                Some(f.span.start + offset..f.span.end)
            })
            .collect()
    }

    /// "Ignore here": a suppression comment in the document's own syntax.
    fn ignore_fix(&self, finding: &Finding) -> Fix {
        let code = finding.rule.code();
        let at = finding.span.start.min(self.source.len());
        let (line_start, line_end) = match self.last_line.get() {
            Some((start, end)) if (start..=end).contains(&at) => (start, end),
            _ => {
                let start = memchr::memrchr(b'\n', &self.source.as_bytes()[..at]).map_or(0, |i| i + 1);
                let end = memchr::memchr(b'\n', &self.source.as_bytes()[at..]).map_or(self.source.len(), |i| at + i);
                self.last_line.set(Some((start, end)));
                (start, end)
            }
        };
        let (carriage, line_end) = match self.source[..line_end].strip_suffix('\r') {
            Some(before) => ("\r", before.len()),
            None => ("", line_end),
        };
        let edit = match self.format {
            // A comment at the end of the line: invisible when rendered, and it cannot split a
            // paragraph the way a comment line of its own can.
            Format::Markdown => Edit {
                span: line_end..line_end,
                replacement: format!(" <!-- scrubs-ignore-line {code} -->"),
            },
            Format::PlainText => {
                let indent: String = self.source[line_start..]
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                Edit {
                    span: line_start..line_start,
                    replacement: format!("{indent}scrubs-ignore-next-line {code}{carriage}\n"),
                }
            }
        };
        Fix {
            title: format!("Ignore {code} on this line (adds a scrubs-ignore comment)"),
            edits: vec![edit],
            applicability: Applicability::NeedsReview,
        }
    }

    /// "Swap the gender" and "make gender-neutral", when `range` touches a gendered word.
    pub fn gender_fixes(&self, range: &Range<usize>) -> &[(GenderChange, Fix)] {
        if !self.on_gendered_word(range) {
            return &[];
        }
        self.gender_rewrites()
    }

    /// Whether `range` lies in the document and touches a word the gender rewrites change.
    fn on_gendered_word(&self, range: &Range<usize>) -> bool {
        range.start <= range.end && range.end <= self.source.len() && gender::touches_gendered_word(&self.doc(), range)
    }

    /// The titles of [`FixContext::gender_fixes`], without making their edits when they were
    /// not made before (an editor that resolves actions asks for the edits when one is chosen).
    pub fn gender_titles(&self, range: &Range<usize>) -> Vec<(GenderChange, String)> {
        if !self.on_gendered_word(range) {
            return Vec::new();
        }
        match self.facts().gender_rewrites.get() {
            Some(rewrites) => rewrites.iter().map(|(c, fix)| (*c, fix.title.clone())).collect(),
            None => gender::titles(&self.doc()),
        }
    }

    /// One of the gender rewrites of the whole document, if it changes anything.
    pub fn gender_rewrite(&self, change: GenderChange) -> Option<Fix> {
        self.gender_rewrites()
            .iter()
            .find(|(c, _)| *c == change)
            .map(|(_, fix)| fix.clone())
    }

    fn gender_rewrites(&self) -> &[(GenderChange, Fix)] {
        self.facts().gender_rewrites.get_or_init(|| gender::fixes(&self.doc()))
    }

    /// The first safe fix of every finding, as non-overlapping edits in document order.
    pub fn safe_edits(&self) -> Vec<Edit> {
        let bulk = names::bulk_style(self.style);
        let mut edits: Vec<Edit> = Vec::new();
        let doc = self.doc();
        let images = self.image_targets();
        for (index, finding) in self.findings.iter().enumerate() {
            if images
                .iter()
                .any(|r| r.start <= finding.span.start && finding.span.end <= r.end)
            {
                continue;
            }
            let fix = if finding.rule == Rule::Name {
                self.facts()
                    .persons
                    .mention_edit(self.source, doc.blocks, self.findings, index, bulk, doc.gender)
                    .map(|edit| vec![edit])
            } else {
                self.fixes(index, Scope::Mention)
                    .into_iter()
                    .find(|f| f.applicability == Applicability::Safe)
                    .map(|f| f.edits)
            };
            edits.extend(fix.unwrap_or_default());
        }
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
        for edit in edits {
            let overlaps = kept.last().is_some_and(|last| {
                edit.span.start < last.span.end || (edit.span.start == last.span.start && last.span.is_empty())
            });
            if !overlaps {
                kept.push(edit);
            }
        }
        kept
    }
}

/// Applies sorted, non-overlapping edits to `source`.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in edits {
        if edit.span.start < at || edit.span.end > source.len() {
            continue;
        }
        out.push_str(&source[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&source[at..]);
    out
}

/// The result of de-identifying a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixAll {
    pub text: String,
    /// Edits against the original text that produce `text`.
    pub edits: Vec<Edit>,
    /// How many identifiers were replaced.
    pub applied: usize,
    /// What a check of `text` reports: findings whose fixes need a person's judgement.
    pub remaining: Vec<Finding>,
}

/// Applies every safe fix, re-checking until nothing safe is left (a rewrite can reveal a
/// finding another one hid). Findings whose fixes need review stay for a person to decide.
pub fn fix_all(checker: &Checker, source: &str, format: Format) -> FixAll {
    const MAX_PASSES: usize = 4;
    let mut text = source.to_string();
    let mut first_edits = Vec::new();
    let mut applied = 0;
    let mut passes = 0;
    let remaining = loop {
        let findings = checker.check(&text, format);
        if passes == MAX_PASSES {
            break findings;
        }
        let context = FixContext::new(&text, format, &findings, checker.options().name_style);
        let edits = context.safe_edits();
        let changed = apply(&text, &edits);
        if edits.is_empty() || changed == text {
            break findings;
        }
        applied += edits.len();
        if passes == 0 {
            first_edits = edits;
        }
        text = changed;
        passes += 1;
    };
    let edits = if passes <= 1 {
        first_edits
    } else {
        vec![whole_change(source, &text)]
    };
    FixAll {
        text,
        edits,
        applied,
        remaining,
    }
}

/// One edit that turns `before` into `after`: the part between their common prefix and suffix.
fn whole_change(before: &str, after: &str) -> Edit {
    let prefix = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map_or(before.len().min(after.len()), |((i, _), _)| i);
    let max_suffix = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix) || !after.is_char_boundary(after.len() - suffix) {
        suffix -= 1;
    }
    Edit {
        span: prefix..before.len() - suffix,
        replacement: after[prefix..after.len() - suffix].to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn doc_for(text: &str) -> (Prepared<'_>, Gender) {
        let prepared = markup::prepare(text, Format::PlainText);
        let gender = grammar::majority_gender(&prepared.text);
        (prepared, gender)
    }

    fn fixes_for(text: &str, rule: Rule) -> Vec<Fix> {
        let findings = Checker::default().check(text, Format::Markdown);
        let index = findings
            .iter()
            .position(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule:?} in {text:?}: {findings:?}"));
        FixContext::new(text, Format::Markdown, &findings, NameStyle::Placeholder).fixes(index, Scope::Document)
    }

    /// The text after the first (preferred) fix of the first finding of `rule`.
    pub fn first_fix(text: &str, rule: Rule) -> String {
        let fixes = fixes_for(text, rule);
        apply(text, &fixes[0].edits)
    }

    pub fn titles(text: &str, rule: Rule) -> Vec<String> {
        fixes_for(text, rule).into_iter().map(|f| f.title).collect()
    }

    /// The text after the fix whose title starts with `title`.
    pub fn apply_titled(text: &str, rule: Rule, title: &str) -> String {
        let fixes = fixes_for(text, rule);
        let fix = fixes
            .iter()
            .find(|f| f.title.starts_with(title))
            .unwrap_or_else(|| panic!("no fix {title:?} among {fixes:?}"));
        apply(text, &fix.edits)
    }

    /// A context asked for every finding's fixes in text order, then backwards (so that what it
    /// remembers of the last line and of each paragraph's pronouns is read again), offers what
    /// a fresh context offers for each finding alone.
    #[test]
    fn fixes_asked_in_turn_are_those_asked_alone() {
        let text = "Mrs. Gray, 91, saw her GP on 3 May 2024. She is 93 and he is 45; Mr. Lee is 52.\n\
                    He lives in Springfield.\r\nHis wife, 88, called on 4/5/2024.\n\n\
                    She, 95, and her son, 70, came in on 12 June 2024. Ms. Ruiz, 99.";
        for format in [Format::Markdown, Format::PlainText] {
            let findings = Checker::default().check(text, format);
            assert!(findings.len() > 10, "{findings:?}");
            let alone: Vec<String> = (0..findings.len())
                .map(|i| {
                    let fixes =
                        FixContext::new(text, format, &findings, NameStyle::Placeholder).fixes(i, Scope::Mention);
                    format!("{fixes:?}")
                })
                .collect();
            let context = FixContext::new(text, format, &findings, NameStyle::Placeholder);
            let in_turn: Vec<String> = (0..findings.len())
                .chain((0..findings.len()).rev())
                .map(|i| format!("{:?}", context.fixes(i, Scope::Mention)))
                .collect();
            let both_ways: Vec<String> = alone.iter().chain(alone.iter().rev()).cloned().collect();
            assert_eq!(in_turn, both_ways);
        }
    }

    fn styled(text: &str, style: NameStyle) -> String {
        let findings = Checker::default().check(text, Format::PlainText);
        let index = findings.iter().position(|f| f.rule == Rule::Name).expect("a name");
        let fixes = FixContext::new(text, Format::PlainText, &findings, style).fixes(index, Scope::Document);
        apply(text, &fixes[0].edits)
    }

    #[test]
    fn facts_assembled_from_an_earlier_versions_segments_are_those_of_a_fresh_start() {
        let paragraphs: String = (0..200)
            .map(|i| {
                format!(
                    "Maria Lopez, {}, came in on March 3, 2024 with her husband. Bed {i}.\n\n",
                    20 + i % 60
                )
            })
            .collect();
        let first = format!("# Case\n\n{paragraphs}");
        let mut second = first.clone();
        let middle = second.len() / 2;
        let middle = second[..middle].rfind("\n\n").unwrap() + 2;
        second.insert_str(middle, "Mr. Chen, 91, phoned him on 4/5/2023.\n\n");
        let checker = Checker::default();
        let mut cache = FixCache::default();
        let mut before: Vec<*const Part> = Vec::new();
        for text in [&first, &second] {
            let findings = checker.check(text, Format::Markdown);
            let segments = segment::split(text, Format::Markdown);
            assert!(segments.len() > 3, "{}", segments.len());
            let kept = FixFacts::assembled(text, Format::Markdown, &findings, &segments, &mut cache);
            let fresh = FixFacts::new(text, Format::Markdown, &findings);
            assert_eq!(kept.prepared.text, fresh.prepared.text);
            assert_eq!(kept.prepared.blocks, fresh.prepared.blocks);
            assert_eq!(kept.gender, fresh.gender);
            let style = NameStyle::Placeholder;
            let kept = FixContext::with_facts(text, Format::Markdown, &findings, style, &kept);
            let fresh = FixContext::new(text, Format::Markdown, &findings, style);
            for i in 0..findings.len() {
                assert_eq!(kept.fixes(i, Scope::Document), fresh.fixes(i, Scope::Document));
            }
            // The second version prepared again only the segments the edit touched.
            let reused = cache
                .parts
                .values()
                .filter(|p| before.contains(&Arc::as_ptr(p)))
                .count();
            if !before.is_empty() {
                assert!(reused + 2 >= segments.len(), "{reused} of {}", segments.len());
            }
            before = cache.parts.values().map(Arc::as_ptr).collect();
        }
    }

    #[test]
    fn facts_from_segments_of_another_text_fall_back_to_reading_the_whole() {
        let text = "# Case\n\nShe is 45. Her husband called.\n";
        let findings = Checker::default().check(text, Format::Markdown);
        let wrong = segment::split(
            "a much longer text than the one checked\n\nand more\n",
            Format::Markdown,
        );
        let facts = FixFacts::assembled(text, Format::Markdown, &findings, &wrong, &mut FixCache::default());
        let fresh = FixFacts::new(text, Format::Markdown, &findings);
        assert_eq!(facts.prepared.text, fresh.prepared.text);
        assert_eq!(facts.prepared.blocks, fresh.prepared.blocks);
        assert_eq!(facts.gender, fresh.gender);
    }

    #[test]
    fn every_mention_of_a_person_gets_the_same_placeholder() {
        let text =
            "Maria Lopez, 45, came in. Maria's husband, Mr. Lopez, and Dr. Chen talked. Ms. Lopez left; she is well.";
        assert_eq!(
            styled(text, NameStyle::Placeholder),
            "[Name A], 45, came in. [Name A]'s husband, Mr. [Name A], and Dr. Chen talked. Ms. [Name A] left; she is well."
        );
        assert_eq!(
            styled(text, NameStyle::Patient),
            "The patient, 45, came in. The patient's husband, Mr. [Name A], and Dr. Chen talked. The patient left; she is well."
        );
        assert_eq!(
            styled(text, NameStyle::Initials),
            "M. L., 45, came in. M.'s husband, Mr. L., and Dr. Chen talked. Ms. L. left; she is well."
        );
        assert_eq!(
            styled(text, NameStyle::Pseudonym),
            "Alex Shaw, 45, came in. Alex's husband, Mr. Shaw, and Dr. Chen talked. Ms. Shaw left; she is well."
        );
    }

    #[test]
    fn placeholders_skip_letters_already_used() {
        let text = "[Name A] met Maria Lopez.";
        assert_eq!(styled(text, NameStyle::Placeholder), "[Name A] met [Name B].");
        // Only whole labels count: "[Name AB]" leaves A free, an unclosed "[Name A" too.
        let text = "[Name AB] and [Name B] met Maria Lopez.";
        assert_eq!(
            styled(text, NameStyle::Placeholder),
            "[Name AB] and [Name B] met [Name A]."
        );
        let text = "[Name B] and [Name A] met Maria Lopez. [Name C";
        assert_eq!(
            styled(text, NameStyle::Placeholder),
            "[Name B] and [Name A] met [Name C]. [Name C"
        );
    }

    #[test]
    fn ignore_here_uses_the_formats_comment() {
        let text = "Call 555-201-4477 now.\r\nNext line.";
        let findings = Checker::default().check(text, Format::Markdown);
        let fixes =
            FixContext::new(text, Format::Markdown, &findings, NameStyle::Placeholder).fixes(0, Scope::Document);
        let ignore = fixes.last().expect("an ignore fix");
        let ignored = apply(text, &ignore.edits);
        assert_eq!(
            ignored,
            "Call 555-201-4477 now. <!-- scrubs-ignore-line phi/phone -->\r\nNext line."
        );
        assert!(Checker::default().check(&ignored, Format::Markdown).is_empty());

        let findings = Checker::default().check(text, Format::PlainText);
        let fixes =
            FixContext::new(text, Format::PlainText, &findings, NameStyle::Placeholder).fixes(0, Scope::Document);
        let ignored = apply(text, &fixes.last().expect("an ignore fix").edits);
        assert_eq!(
            ignored,
            "scrubs-ignore-next-line phi/phone\r\nCall 555-201-4477 now.\r\nNext line."
        );
        assert!(Checker::default().check(&ignored, Format::PlainText).is_empty());
    }

    #[test]
    fn fix_all_de_identifies_and_is_idempotent() {
        let text = "Maria Lopez, a 45-year-old woman from Springfield, Ohio, was admitted on March 3, 2024. \
                    Call her at 555-201-4477. MRN: 4455667. Maria went home.";
        let checker = Checker::default();
        let fixed = fix_all(&checker, text, Format::PlainText);
        assert_eq!(
            fixed.text,
            "[Name A], a woman in her 40s from [place], Ohio, was admitted in 2024. \
             Call her at [phone]. MRN: [ID]. [Name A] went home."
        );
        assert!(checker.check(&fixed.text, Format::PlainText).is_empty());
        let again = fix_all(&checker, &fixed.text, Format::PlainText);
        assert_eq!(again.text, fixed.text);
        assert_eq!(again.applied, 0);
        assert_eq!(apply(text, &fixed.edits), fixed.text);
    }

    #[test]
    fn whole_change_is_minimal_and_on_char_boundaries() {
        let edit = whole_change("a é b", "a è b");
        assert_eq!(apply("a é b", std::slice::from_ref(&edit)), "a è b");
        assert_eq!(edit.span, 2..4);
    }
}
