//! The check engine: text in, findings out.
//!
//! Pure by design: no I/O, no async, no LSP or CLI types. The adapters in `lsp/` and `cli/` call
//! [`Checker::check`] and translate its byte-offset findings into their own protocols.

pub mod finding;
pub mod findings;
pub mod fix;
pub mod markup;
pub mod rules;
pub mod segment;
pub mod suppress;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use finding::{Applicability, Edit, Finding, Fix, Severity};
pub use findings::{Findings, Piece, Run};
pub use fix::{fix_all, FixAll, FixCache, FixContext, FixFacts, GenderChange, NameStyle, Scope};
pub use markup::Format;
pub use rules::{Category, PhiLabel, Rule};

/// What detectors see: the original text and a same-length copy with markup syntax blanked out.
pub struct Context<'a> {
    /// The document exactly as written.
    pub source: &'a str,
    /// `source` with markup syntax replaced by spaces: byte offsets are identical, so a match in
    /// `text` is a span in `source`.
    pub text: &'a str,
    /// Byte ranges of the document's blocks (paragraphs, headings, list items, code blocks).
    pub blocks: &'a [Range<usize>],
}

/// Per-run settings: which rules run and how loud they are.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rules switched off entirely.
    pub disabled: Vec<Rule>,
    /// Severity overrides.
    pub severities: Vec<(Rule, Severity)>,
    /// Words and phrases never reported, such as the author's own name or the clinic's public
    /// name. Matched as whole words, ignoring case.
    pub allow: Vec<String>,
    /// How quick fixes and fix-all replace names.
    pub name_style: NameStyle,
}

/// Checks documents. Cheap to create; share one across threads.
#[derive(Debug, Clone)]
pub struct Checker {
    options: Options,
    /// Tells checkers with different options apart, so a [`CheckCache`] filled by one is not
    /// used by another. Clones share it: they have the same options.
    id: u64,
}

impl Default for Checker {
    fn default() -> Checker {
        Checker::new(Options::default())
    }
}

/// What checking one segment found, in the segment's own offsets: the part of a check that is
/// kept from one version of a document to the next.
#[derive(Debug)]
pub struct SegmentResult {
    /// Findings after the allow-list, citations and disabled rules are taken out.
    findings: Vec<Finding>,
    mentions: rules::names::Mentions,
    pieces: Vec<rules::quasi::Piece>,
    /// Whether the segment's text holds what may be a suppression directive: its scope can reach
    /// into other segments, so a document with one is assembled as a whole.
    directives: bool,
}

/// The segment results of a document's last check, for re-checking only what an edit touched.
/// Keep one per open document; a cache filled by another checker or for another format is
/// emptied rather than used.
#[derive(Debug, Default)]
pub struct CheckCache {
    checker: Option<u64>,
    format: Option<Format>,
    entries: QuickMap<(u64, u64, usize), Arc<SegmentResult>>,
    /// Each segment's findings after the document-level work, for the names found in the
    /// document whose parts are `parts` (in no order).
    runs: QuickMap<(u64, u64, usize), Arc<[Finding]>>,
    /// Updated by difference: a keystroke seldom finds or loses a name.
    parts: HashSet<Box<str>, std::hash::BuildHasherDefault<WordHasher>>,
    /// The text of the last check and its segments, to cut the next version again only
    /// around what changed.
    text: Arc<str>,
    segments: Vec<segment::Segment>,
    /// What the last check did.
    pub last: CacheStats,
}

impl CheckCache {
    /// The segments of the last check's text.
    pub fn segments(&self) -> &[segment::Segment] {
        &self.segments
    }
}

/// How much of a check was done again and how much came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Segments in the document.
    pub segments: usize,
    /// Segments that were checked (the rest came from the cache).
    pub checked: usize,
    /// Segments whose findings were assembled again (the rest were reused as they were).
    pub assembled: usize,
}

impl Checker {
    pub fn new(options: Options) -> Checker {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Checker {
            options,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Finds identifiers and problem language in `source`, sorted by position.
    pub fn check(&self, source: &str, format: Format) -> Vec<Finding> {
        let segments = segment::split(source, format);
        let results: Vec<Arc<SegmentResult>> = segments
            .iter()
            .map(|s| Arc::new(self.check_segment(&source[s.range.clone()], format)))
            .collect();
        self.assemble(source, &segments, &results)
    }

    /// The same findings as [`Checker::check`], re-checking only the segments that are not in
    /// `cache` from the previous check (of an earlier version of the same document), and leaving
    /// this check's segments there for the next one. The document-level work is redone only for
    /// the segments it can have changed: a segment whose text and the names found elsewhere are
    /// as before keeps its findings as they were ([`Run::findings`] is the same shared slice).
    pub fn check_cached(&self, source: &str, format: Format, cache: &mut CheckCache) -> Findings {
        self.check_shared(Arc::from(source), format, cache)
    }

    /// [`Checker::check_cached`] of a text the cache keeps without copying it (a language server
    /// keeps the same text for its own use).
    pub fn check_shared(&self, shared: Arc<str>, format: Format, cache: &mut CheckCache) -> Findings {
        let source: &str = &shared;
        if cache.checker != Some(self.id) || cache.format != Some(format) {
            cache.entries.clear();
            cache.runs.clear();
            cache.parts.clear();
            cache.text = Arc::default();
            cache.segments.clear();
            cache.checker = Some(self.id);
            cache.format = Some(format);
        }
        let segments = segment::split_again(&cache.text, &cache.segments, source, format);
        cache.segments.clone_from(&segments);
        cache.text = Arc::clone(&shared);
        let previous = std::mem::take(&mut cache.entries);
        let mut checked = 0;
        let results: Vec<Arc<SegmentResult>> = segments
            .iter()
            .map(|s| match previous.get(&s.key()) {
                Some(result) => Arc::clone(result),
                None => {
                    checked += 1;
                    Arc::new(self.check_segment(&source[s.range.clone()], format))
                }
            })
            .collect();
        drop(previous);
        cache.entries = segments
            .iter()
            .zip(&results)
            .map(|(s, r)| (s.key(), Arc::clone(r)))
            .collect();
        let (findings, assembled) = self.assemble_runs(source, &segments, &results, cache);
        cache.last = CacheStats {
            segments: segments.len(),
            checked,
            assembled,
        };
        findings
    }

    /// [`Checker::assemble`] segment by segment, reusing each segment's findings from `cache`
    /// when neither its text nor the names found in the document changed. Returns the findings
    /// and how many segments were assembled again.
    fn assemble_runs(
        &self,
        source: &str,
        segments: &[segment::Segment],
        results: &[Arc<SegmentResult>],
        cache: &mut CheckCache,
    ) -> (Findings, usize) {
        if results.iter().any(|r| r.directives) {
            // A suppression's reach is the document's business: assemble it as a whole.
            cache.runs.clear();
            cache.parts.clear();
            return (
                Findings::single(self.assemble(source, segments, results)),
                segments.len(),
            );
        }
        let parts: WordSet<'_> = results
            .iter()
            .flat_map(|r| r.mentions.parts.iter().map(|p| &**p))
            .collect();
        // The parts found or no longer found since the last check: only a segment with a
        // capitalised word among them can have other mentions to add or drop.
        let found: Vec<&str> = parts.iter().copied().filter(|&p| !cache.parts.contains(p)).collect();
        let lost: Vec<Box<str>> = cache.parts.iter().filter(|p| !parts.contains(&***p)).cloned().collect();
        for part in &lost {
            cache.parts.remove(part);
        }
        cache.parts.extend(found.iter().map(|&p| Box::from(p)));
        let changed: WordSet<'_> = found.into_iter().chain(lost.iter().map(|p| &**p)).collect();
        let previous = std::mem::take(&mut cache.runs);
        let name_disabled = self.options.disabled.contains(&Rule::Name);
        let mut assembled = 0;
        let mut runs = Vec::with_capacity(segments.len());
        let mut fresh = QuickMap::with_capacity_and_hasher(segments.len(), Default::default());
        for (segment, result) in segments.iter().zip(results) {
            let key = segment.key();
            let mentions = &result.mentions;
            let unaffected =
                || changed.is_empty() || !mentions.candidates.iter().any(|m| changed.contains(mentions.lower(m)));
            let findings = match fresh.get(&key).or_else(|| previous.get(&key).filter(|_| unaffected())) {
                Some(findings) => Arc::clone(findings),
                None => {
                    assembled += 1;
                    let mut findings = result.findings.clone();
                    rules::names::propagate(&parts, &result.mentions, 0, &mut findings);
                    if name_disabled {
                        findings.retain(|f| f.rule != Rule::Name);
                    }
                    self.apply_severities(&mut findings);
                    let findings: Arc<[Finding]> = resolve_overlaps(findings).into();
                    findings
                }
            };
            fresh.insert(key, Arc::clone(&findings));
            runs.push(Run {
                offset: segment.range.start,
                findings,
            });
        }
        cache.runs = fresh;
        // Combinations, from every segment's own findings before overlaps are resolved, as in
        // `assemble` (the other mentions of names it also passes are never details).
        let identifiers = segments.iter().zip(results).flat_map(|(s, r)| {
            let offset = s.range.start;
            r.findings
                .iter()
                .map(move |f| (f.rule, f.span.start + offset..f.span.end + offset))
        });
        let pieces = segments
            .iter()
            .zip(results)
            .flat_map(|(s, r)| r.pieces.iter().map(move |p| (s.range.start, p)));
        let count = results.iter().map(|r| r.findings.len()).sum();
        let mut combinations = rules::quasi::combine(pieces, source.len(), identifiers, count);
        combinations.retain(|f| !self.options.disabled.contains(&f.rule));
        self.apply_severities(&mut combinations);
        (Findings::new(runs, resolve_overlaps(combinations)), assembled)
    }

    fn apply_severities(&self, findings: &mut [Finding]) {
        if self.options.severities.is_empty() {
            return;
        }
        for finding in findings {
            if let Some((_, severity)) = self.options.severities.iter().find(|(r, _)| *r == finding.rule) {
                finding.severity = *severity;
            }
        }
    }

    /// Runs the detectors on one segment on its own.
    fn check_segment(&self, source: &str, format: Format) -> SegmentResult {
        let prepared = markup::prepare(source, format);
        let ctx = Context {
            source,
            text: &prepared.text,
            blocks: &prepared.blocks,
        };
        let mut findings = Vec::new();
        let gates = rules::Gates::of(ctx.text);
        let mut mentions = rules::run_all(&ctx, &gates, &mut findings);
        let mut exempt = rules::contacts::reference_spans(ctx.text, &gates);
        exempt.extend(self.allowed_spans(source));
        let exempted = |span: &Range<usize>| exempt.iter().any(|r| r.start <= span.start && span.end <= r.end);
        findings.retain(|f| {
            !(self.options.disabled.contains(&f.rule) || f.rule.category() == Category::Phi && exempted(&f.span))
        });
        mentions.candidates.retain(|m| !exempted(&m.span));
        // In the order the document's findings are sorted in, so that sorting them is a merge.
        sort_findings(&mut findings);
        SegmentResult {
            findings,
            mentions,
            pieces: rules::quasi::pieces(source, ctx.text, &gates),
            directives: suppress::may_hold_directive(source),
        }
    }

    /// The document's findings from its segments' results: the other mentions of every name
    /// found, suppressions, combinations within each case, severities and overlaps.
    fn assemble(&self, source: &str, segments: &[segment::Segment], results: &[Arc<SegmentResult>]) -> Vec<Finding> {
        let parts: WordSet<'_> = results
            .iter()
            .flat_map(|r| r.mentions.parts.iter().map(|p| &**p))
            .collect();
        let local: usize = results.iter().map(|r| r.findings.len()).sum();
        let mut findings = Vec::with_capacity(local + local / 4);
        for (segment, result) in segments.iter().zip(results) {
            let offset = segment.range.start;
            findings.extend(result.findings.iter().map(|f| f.shifted(offset)));
            rules::names::propagate(&parts, &result.mentions, offset, &mut findings);
        }
        if self.options.disabled.contains(&Rule::Name) {
            findings.retain(|f| f.rule != Rule::Name);
        }
        suppress::apply(source, &mut findings);
        // Combinations are judged on what is left after allow-lists and suppressions.
        let pieces = segments
            .iter()
            .zip(results)
            .flat_map(|(s, r)| r.pieces.iter().map(move |p| (s.range.start, p)));
        let mut combinations = rules::quasi::combine(
            pieces,
            source.len(),
            findings.iter().map(|f| (f.rule, f.span.clone())),
            findings.len(),
        );
        suppress::apply(source, &mut combinations);
        findings.extend(combinations);
        findings.retain(|f| !self.options.disabled.contains(&f.rule));
        self.apply_severities(&mut findings);
        resolve_overlaps(findings)
    }
}

impl Checker {
    /// Where the allow-list's words occur in the text.
    fn allowed_spans(&self, source: &str) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        for word in &self.options.allow {
            let mut from = 0;
            while let Some(at) = text::find_word(&source[from..], word) {
                let start = from + at;
                spans.push(start..start + word.len());
                from = start + word.len().max(1);
                if from >= source.len() {
                    break;
                }
            }
        }
        spans
    }
}

/// Text order, the longer of two findings that start together first; stable, so that of two
/// with the same span the one found first stays first.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
}

/// A fast hasher for short words and numbers (the multiply-rotate scheme of rustc's FxHash):
/// looking up every capitalised word of a long document in the found names, and every segment
/// in the cache, is on every keystroke's path. Not for keys an attacker picks to collide; the
/// keys here are words of the document and fingerprints of its segments.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

/// A hash map with [`WordHasher`].
pub type QuickMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

const WORD_HASH_FACTOR: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl std::hash::Hasher for WordHasher {
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(WORD_HASH_FACTOR);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits, which the multiplication fills only
        // from the low bits of the input (zero in aligned addresses): bring the high bits down.
        self.0.rotate_left(26)
    }
}

pub type WordSet<'a> = HashSet<&'a str, std::hash::BuildHasherDefault<WordHasher>>;

/// Sorts findings and drops any that lie wholly inside an earlier, longer one, so one piece of
/// text is reported once (a date inside an ID, an URL inside an email). Where two detectors claim
/// the same span, the one that ran first wins: detectors run from the most to the least specific.
fn resolve_overlaps(mut findings: Vec<Finding>) -> Vec<Finding> {
    sort_findings(&mut findings);
    // Kept findings are in start order, so a new one is inside an earlier one of its category
    // exactly when it ends no later than the furthest end seen so far in that category.
    // A photo is reported as a whole and the identifiers in its caption or file name on their
    // own, so the photo rule gets its own lane.
    let mut furthest_end: Vec<((Category, bool), usize)> = Vec::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        let category = (finding.rule.category(), finding.rule == Rule::Photo);
        match furthest_end.iter_mut().find(|(c, _)| *c == category) {
            Some((_, end)) if finding.span.end <= *end => continue,
            Some((_, end)) => *end = finding.span.end,
            None => furthest_end.push((category, finding.span.end)),
        }
        kept.push(finding);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_findings_are_reported_once() {
        let checker = Checker::default();
        let found = checker.check("Seen 2024-03-03 in clinic.", Format::PlainText);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::Date);
    }

    #[test]
    fn allowed_words_are_not_reported() {
        let options = Options {
            allow: vec!["Mercy Clinic".into(), "555-201-4477".into()],
            ..Options::default()
        };
        let text = "Call MERCY CLINIC at 555-201-4477 or 555-201-9999.";
        let found = Checker::new(options).check(text, Format::PlainText);
        let flagged: Vec<&str> = found.iter().map(|f| &text[f.span.clone()]).collect();
        assert_eq!(flagged, vec!["555-201-9999"]);
    }

    /// A long document of short cases, some with names mentioned again far away.
    fn long_document() -> String {
        let mut text = String::from("# Cases\n\n");
        for i in 0..400 {
            match i % 4 {
                0 => text.push_str(&format!(
                    "Maria Lopez, a {}-year-old woman, was seen on 3/{}/2024.\n\n",
                    20 + i % 60,
                    1 + i % 28
                )),
                // Paragraphs that repeat word for word every few paragraphs can keep segment cuts
                // out of step after an edit (see `segment`); real text rarely does, so these vary.
                1 => text.push_str(&format!("Later that week Lopez returned with her daughter ({i}).\n\n")),
                2 => text.push_str(&format!(
                    "## Follow-up {i}\n\nThe troponin was normal and the ECG unchanged since visit {i}.\n\n"
                )),
                _ => text.push_str(&format!(
                    "Call 555-201-{:04} with questions; Mercy Clinic is open late.\n\n",
                    i
                )),
            }
        }
        text
    }

    #[test]
    fn cached_checks_match_full_checks_and_redo_only_what_changed() {
        let checker = Checker::new(Options {
            allow: vec!["Mercy Clinic".into()],
            ..Options::default()
        });
        let mut text = long_document();
        let mut cache = CheckCache::default();
        assert_eq!(
            checker.check_cached(&text, Format::Markdown, &mut cache).to_vec(),
            checker.check(&text, Format::Markdown)
        );
        let segments = cache.last.segments;
        assert!(segments > 5, "{segments} segments");
        assert_eq!(cache.last.checked, segments);
        let inserts = [
            "Ethan Brooks ", "x", "\n\n", "Lopez", "## Heading\n", "<!-- scrubs-disable phi/date -->\n\n",
        ];
        for (i, insert) in inserts.iter().enumerate() {
            let at = text.len() * (i + 1) / 7;
            insert_and_check_again(&checker, &mut text, at, insert, &mut cache);
            if *insert == "x" {
                // No name came or went: only the segment typed in is assembled again.
                assert!(cache.last.assembled <= 2, "{:?} after inserting {insert:?}", cache.last);
            }
        }
        // Another checker (other options) does not use this cache.
        let other = Checker::default();
        assert_eq!(
            other.check_cached(&text, Format::Markdown, &mut cache).to_vec(),
            other.check(&text, Format::Markdown)
        );
        assert_eq!(cache.last.checked, cache.last.segments);
    }

    /// A document pasted without line breaks is cut into segments inside its one line, and an
    /// edit in it checks again only the segments around the edit.
    #[test]
    fn a_long_line_is_checked_again_only_around_an_edit() {
        let checker = Checker::default();
        let mut text = long_document().replace("\n\n", " ").repeat(3);
        let mut cache = CheckCache::default();
        assert_eq!(
            checker.check_cached(&text, Format::Markdown, &mut cache).to_vec(),
            checker.check(&text, Format::Markdown)
        );
        let segments = cache.last.segments;
        assert!(segments > 2, "{segments} segments");
        assert!(cache.segments()[1..]
            .iter()
            .all(|s| text.as_bytes()[s.range.start - 1] == b' '));
        for (i, insert) in ["x", "Ethan Brooks ", ". Then", "\n", "Dr. "].iter().enumerate() {
            let at = text.len() * (i + 1) / 6;
            insert_and_check_again(&checker, &mut text, at, insert, &mut cache);
        }
    }

    /// Inserts `insert` at the first character boundary from `at` and checks again with the
    /// cache: the findings are a fresh check's, and at most three segments were checked again.
    fn insert_and_check_again(checker: &Checker, text: &mut String, at: usize, insert: &str, cache: &mut CheckCache) {
        text.insert_str(text::ceil_boundary(text, at), insert);
        let cached = checker.check_cached(text, Format::Markdown, cache).to_vec();
        assert_eq!(
            cached,
            checker.check(text, Format::Markdown),
            "after inserting {insert:?}"
        );
        assert!(cache.last.checked <= 3, "{:?} after inserting {insert:?}", cache.last);
    }

    #[test]
    fn a_name_found_in_one_segment_is_found_in_all() {
        let checker = Checker::default();
        let mut text = long_document()
            .replace("Maria Lopez", "The patient")
            .replace("Lopez", "Okafor");
        let mut cache = CheckCache::default();
        let names = |found: &[Finding]| found.iter().filter(|f| f.rule == Rule::Name).count();
        let before = names(&checker.check_cached(&text, Format::Markdown, &mut cache).to_vec());
        text.insert_str(0, "Mr. Okafor agreed to this write-up.\n\n");
        let after = names(&checker.check_cached(&text, Format::Markdown, &mut cache).to_vec());
        assert!(cache.last.checked <= 2, "{:?}", cache.last);
        assert!(after > before + 50, "{before} names before, {after} after");
        // Taken out again, the name is lost everywhere, as a check from nothing finds.
        text.replace_range(..37, "");
        let again = checker.check_cached(&text, Format::Markdown, &mut cache).to_vec();
        assert_eq!(again, checker.check(&text, Format::Markdown));
        assert_eq!(names(&again), before);
    }

    #[test]
    fn disabled_rules_are_not_reported_and_severities_apply() {
        let options = Options {
            disabled: vec![Rule::Email],
            severities: vec![(Rule::Date, Severity::Info)],
            ..Options::default()
        };
        let found = Checker::new(options).check("Mail a@b.org on 3/4/2024", Format::PlainText);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Rule::Date);
        assert_eq!(found[0].severity, Severity::Info);
    }
}
