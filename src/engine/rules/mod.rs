//! The rule registry and the detectors, one module per family.
//!
//! Every rule has a stable code (`phi/date`); codes never change once released because users put
//! them in `scrubs.toml` and in suppression comments. Safe Harbor identifier rules start with `phi/`.

use std::ops::Range;
use std::sync::LazyLock;

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;

use super::finding::{Finding, Severity};
use super::Context;
use pattern::Aligned;
use scans::{LINE_PATTERN_SOURCES, PHRASE_PATTERN_SOURCES};

/// The sources of the patterns of the two line scans ([`LineScan`]), in one file that `build.rs`
/// includes too (so it holds only constants and macros): it compiles each scan's patterns into
/// one minimized DFA ahead of time, which the program loads as it is, with no compiling and no
/// states to build while it checks. Each detector uses its sources from here; what they match
/// is documented with the detector.
#[macro_use]
mod scans;

pub mod addresses;
pub mod ages;
pub mod contacts;
pub mod dates;
pub mod ids;
pub mod language;
pub mod names;
pub mod pattern;
pub mod photos;
pub mod places;
pub mod proper;
pub mod quasi;

/// The kinds of identifier the annotated corpora use (see `scrubs eval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PhiLabel {
    Name,
    Date,
    Age,
    Location,
    Contact,
    Id,
}

impl PhiLabel {
    pub const ALL: [PhiLabel; 6] = [
        PhiLabel::Name,
        PhiLabel::Date,
        PhiLabel::Age,
        PhiLabel::Location,
        PhiLabel::Contact,
        PhiLabel::Id,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhiLabel::Name => "NAME",
            PhiLabel::Date => "DATE",
            PhiLabel::Age => "AGE",
            PhiLabel::Location => "LOCATION",
            PhiLabel::Contact => "CONTACT",
            PhiLabel::Id => "ID",
        }
    }

    pub fn parse(s: &str) -> Option<PhiLabel> {
        PhiLabel::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

/// Broad family of a rule, shown to users and used to filter output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A HIPAA Safe Harbor identifier.
    Phi,
    /// Details that single a patient out in combination.
    Quasi,
    /// Unprofessional or stigmatizing language.
    Language,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Phi => "phi",
            Category::Quasi => "quasi",
            Category::Language => "language",
        }
    }
}

macro_rules! rules {
    ($( $variant:ident => $code:literal, $category:ident, $label:expr, $severity:ident, $summary:literal; )+) => {
        /// Every rule scrubs knows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $( $variant, )+ }

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )+ ];

            /// The stable code users write in configuration and suppression comments.
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )+ }
            }

            pub fn category(self) -> Category {
                match self { $( Rule::$variant => Category::$category, )+ }
            }

            /// The corpus label this rule's findings count under, for PHI rules.
            pub fn phi_label(self) -> Option<PhiLabel> {
                match self { $( Rule::$variant => $label, )+ }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$severity, )+ }
            }

            /// One plain sentence: what the rule is about.
            pub fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )+ }
            }
        }
    };
}

rules! {
    Date => "phi/date", Phi, Some(PhiLabel::Date), Error,
        "Dates more precise than the year (day or month) can identify a patient.";
    Age => "phi/age", Phi, Some(PhiLabel::Age), Warning,
        "Exact ages help single a patient out; ages over 89 must be grouped as '90 or older'.";
    Phone => "phi/phone", Phi, Some(PhiLabel::Contact), Error,
        "Telephone and fax numbers identify a person directly.";
    Email => "phi/email", Phi, Some(PhiLabel::Contact), Error,
        "Email addresses identify a person directly.";
    Url => "phi/url", Phi, Some(PhiLabel::Contact), Error,
        "Web addresses of a person's own pages (social media, fundraisers) identify them.";
    Ip => "phi/ip", Phi, Some(PhiLabel::Contact), Error,
        "IP addresses can be traced to a person's device.";
    Social => "phi/social", Phi, Some(PhiLabel::Contact), Error,
        "Social media handles identify a person directly.";
    Ssn => "phi/ssn", Phi, Some(PhiLabel::Id), Error,
        "Social Security numbers identify a person directly.";
    Id => "phi/id", Phi, Some(PhiLabel::Id), Error,
        "Record, account, health plan, licence and other identifying numbers point to one person.";
    Vehicle => "phi/vehicle", Phi, Some(PhiLabel::Id), Error,
        "Licence plates and vehicle identification numbers (VINs) point to one person.";
    Device => "phi/device", Phi, Some(PhiLabel::Id), Error,
        "Serial numbers of implants and medical devices point to one patient.";
    Zip => "phi/zip", Phi, Some(PhiLabel::Location), Error,
        "ZIP codes and postcodes narrow a patient down to a small area.";
    Address => "phi/address", Phi, Some(PhiLabel::Location), Error,
        "Street addresses identify where a patient lives.";
    Name => "phi/name", Phi, Some(PhiLabel::Name), Error,
        "Names of patients, relatives and other private people identify the patient.";
    Location => "phi/location", Phi, Some(PhiLabel::Location), Error,
        "Towns, cities, counties and named hospitals, schools or workplaces narrow down who the patient is.";
    Photo => "phi/photo", Phi, None, Warning,
        "Photos, scans and videos need consent and can show a face, tattoo, wristband or screen; file names can hold names and dates.";
    QuasiCombination => "quasi/combination", Quasi, None, Warning,
        "Several details together (exact age, place, time, role, rare condition, newsworthy event) can identify a patient without a name.";
    Derogatory => "lang/derogatory", Language, None, Warning,
        "Derogatory or flippant remarks about patients damage trust in the profession.";
    Stigmatizing => "lang/stigmatizing", Language, None, Info,
        "Stigmatizing labels (\"addict\", \"diabetic\" as a noun, \"noncompliant\") have person-first alternatives.";
}

impl Rule {
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// Runs every detector over the prepared text of one segment, with the [`Gates`] of that text.
/// Returns what finding the other mentions of its names needs, which is done for the whole
/// document at once.
pub(crate) fn run_all(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) -> names::Mentions {
    dates::check(ctx, gates, out);
    ages::check(ctx, gates, out);
    contacts::check(ctx, gates, out);
    ids::check(ctx, gates, out);
    addresses::check(ctx, gates, out);
    let mentions = names::check(ctx, gates, out);
    photos::check(ctx, out);
    language::check(ctx, gates, out);
    mentions
}

/// What the searches of all patterns together found in one segment, for the detectors to
/// search each pattern only where it can match.
pub(crate) struct Gates {
    /// The lines where each of the [`Lined`] patterns of [`LINE_PATTERN_SOURCES`] matches.
    pub lines: Lines,
    /// The lines where each of those of [`PHRASE_PATTERN_SOURCES`] matches.
    pub phrases: Lines,
}

impl Gates {
    /// The searches of all patterns together in the prepared text of one segment, shared by the
    /// detectors, the citations they leave alone and the details of combinations.
    pub fn of(text: &str) -> Gates {
        let [lines, phrases] = LineScan::lines_of_each([&LINE_PATTERNS, &PHRASE_PATTERNS], text);
        Gates { lines, phrases }
    }

    /// The stretches of lines where `pattern` matches (or, for a pattern searched through a
    /// hint, may match).
    pub fn lines(&self, pattern: Lined) -> &[Range<usize>] {
        match (pattern as usize).checked_sub(LINE_PATTERN_SOURCES.len()) {
            None => self.lines.of(pattern as usize),
            Some(index) => self.phrases.of(index),
        }
    }
}

/// The patterns searched line by line: none of them can match across a line end (see
/// [`LineScan`]). Those up to [`Lined::Street`] are searched together, in the order of
/// [`LINE_PATTERN_SOURCES`]; the others, phrases and words, in a scan of their own, in the order
/// of [`PHRASE_PATTERN_SOURCES`]; streets, web addresses, citations, dates with a month name, ages and
/// record numbers through a hint (a pattern that matches inside each of their matches), and the
/// rare patterns (ages over 89, pagers, IPv6, ZIP codes, PO boxes, slurs, laughter, mocking and
/// stigmatizing labels: [`scans::RARE_PATTERNS_SOURCE`]) through their union, [`Lined::RarePatterns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lined {
    NumericDate,
    OrdinalDay,
    Vin,
    Code,
    PhoneNanp,
    PhoneLocal,
    Ipv4,
    Postcode,
    Insults,
    Shouting,
    Ssn,
    Initials,
    CompactDate,
    Holiday,
    Street,
    Url,
    Citation,
    QuasiTime,
    QuasiPlace,
    QuasiRole,
    QuasiRare,
    QuasiEvent,
    QuasiGender,
    MonthFirst,
    DayFirst,
    InsultNouns,
    Age,
    RecordNumber,
    RarePatterns,
}

static LINE_PATTERNS: LazyLock<LineScan> =
    LazyLock::new(|| LineScan::compiled_in(LINE_SCAN, LINE_PATTERN_SOURCES.len()));

static PHRASE_PATTERNS: LazyLock<LineScan> =
    LazyLock::new(|| LineScan::compiled_in(PHRASE_SCAN, PHRASE_PATTERN_SOURCES.len()));

/// The DFA of [`LINE_PATTERN_SOURCES`], compiled and minimized by `build.rs`.
static LINE_SCAN: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/line-scan.dfa")),
};

/// The DFA of [`PHRASE_PATTERN_SOURCES`], compiled and minimized by `build.rs`.
static PHRASE_SCAN: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/phrase-scan.dfa")),
};

/// A group of patterns none of which can match a line end (`\n`: they use `[ \t]`, never `\s`,
/// and no class that holds a line end), searched together to find the lines where each matches.
///
/// One DFA for all of them, reporting every pattern that matches at each position (as a regex
/// set does), is walked over the whole text once, byte by byte. Since no match crosses a line
/// end, a pattern reported while a line's bytes are read has a match in that line, and its
/// matches in the whole text are its matches in those lines, searched in order. One pass over the
/// text replaced a set search per line (a line of ICU notes is 60 bytes; most of that search's
/// time went into starting and stopping).
///
/// The DFA is built ahead of time, by `build.rs` from the sources in [`scans`], and minimized:
/// built lazily while checking, as it once was, its states (thousands in a megabyte of ICU notes,
/// each costly to make) were a sixth of the work of checking a megabyte.
pub(crate) struct LineScan {
    dfa: dense::DFA<&'static [u32]>,
}

/// Where each pattern of a [`LineScan`] matches in one text: for each, in the scan's order, the
/// stretches of whole lines that hold a match of it (adjacent lines joined), in text order.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    stretches: Vec<Vec<Range<usize>>>,
}

impl Lines {
    /// The stretches of text in which pattern `index` of the scan matches.
    pub fn of(&self, index: usize) -> &[Range<usize>] {
        self.stretches.get(index).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, bits: u64, line: Range<usize>) {
        let mut bits = bits;
        while bits != 0 {
            let lines = &mut self.stretches[bits.trailing_zeros() as usize];
            match lines.last_mut() {
                Some(last) if last.end == line.start => last.end = line.end,
                _ => lines.push(line.clone()),
            }
            bits &= bits - 1;
        }
    }
}

impl LineScan {
    /// The scan whose DFA `build.rs` wrote into `bytes`, of `patterns` patterns (at most 64).
    fn compiled_in(bytes: &'static Aligned<[u8]>, patterns: usize) -> LineScan {
        // Checking the DFA's tables as it is read (`from_bytes`) took 25M instructions per
        // process, a third of the check of a small file; the test
        // `compiled_scans_are_valid_dfas` checks them instead, on every test run.
        //
        // SAFETY: `from_bytes_unchecked` needs bytes written by `DFA::to_bytes_*` of the same
        // regex-automata, for this target's endianness; it still reads and checks the header
        // (format version, endianness, alignment) and returns an error on a mismatch. These bytes
        // are written by this crate's `build.rs`, with `to_bytes_little_endian` or
        // `to_bytes_big_endian` as the target is, with the one regex-automata of `Cargo.lock`
        // (the build script's copy and the library's are the same version), and embedded in
        // the binary: nothing else can write them.
        let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(&bytes.bytes) }
            .expect("the DFA of a line scan, written by build.rs");
        assert!(
            patterns <= 64 && dfa.pattern_len() == patterns,
            "a line scan built from other sources"
        );
        LineScan { dfa }
    }

    /// The lines of `text` in which each pattern of each of `scans` matches, the scans walked
    /// together: each byte's transitions depend only on their own scan's last one, so the
    /// processor follows them side by side, where walked one after the other each waited for
    /// the one before.
    pub fn lines_of_each<const N: usize>(scans: [&LineScan; N], text: &str) -> [Lines; N] {
        let mut lines = scans.map(|scan| Lines {
            stretches: vec![Vec::new(); scan.dfa.pattern_len()],
        });
        let walked = walk(scans.map(|scan| &scan.dfa), text, |line, found| {
            for (lines, &found) in lines.iter_mut().zip(&found) {
                lines.add(found, line.clone());
            }
        });
        // None gives up as built (no byte makes it quit, and an unanchored start needs nothing
        // the text may lack): a test would say if that changed.
        debug_assert!(walked.is_ok(), "a line scan gave up");
        if walked.is_err() {
            // A DFA gave up: every line may hold anything.
            for lines in &mut lines {
                for stretches in &mut lines.stretches {
                    stretches.clear();
                    if !text.is_empty() {
                        stretches.push(0..text.len());
                    }
                }
            }
        }
        lines
    }
}

/// Follows each of `dfas` from `states` over `bytes`, up to the first byte after which one of
/// them is in a special state (see [`walk`]), or to the end; returns how many bytes it read. A
/// function of its own so that the compiler keeps the states and tables in registers: inside
/// [`walk`] they went to memory and back on every byte.
#[inline(never)]
fn follow<const N: usize>(dfas: &[&dense::DFA<&'static [u32]>; N], states: &mut [StateID; N], bytes: &[u8]) -> usize {
    let mut now = *states;
    for (i, &byte) in bytes.iter().enumerate() {
        let mut special = false;
        for k in 0..N {
            // SAFETY: `next_state_unchecked` needs a state of this DFA: `now[k]` is its start
            // state or a state its own table led to, and its table is the one `build.rs` wrote,
            // whose every transition leads to one of its states (the test
            // `compiled_scans_are_valid_dfas` reads each scan with the checks of `from_bytes`).
            // The checked transition's bounds test was a sixth of this loop.
            now[k] = unsafe { dfas[k].next_state_unchecked(now[k], byte) };
            special |= dfas[k].is_special_state(now[k]);
        }
        if special {
            *states = now;
            return i + 1;
        }
    }
    *states = now;
    bytes.len()
}

/// Follows each of `dfas` over two texts at once, `x` from `xs` and `y` from `ys`, as [`follow`]
/// does over one, up to the first byte after which any of them is in a special state or to the
/// end of the shorter text; returns how many bytes it read of each. Each byte's transition waits
/// for the one before in the same text: two texts give the processor twice as many transitions
/// to follow side by side.
#[inline(never)]
fn follow_two<const N: usize>(
    dfas: &[&dense::DFA<&'static [u32]>; N],
    xs: &mut [StateID; N],
    x: &[u8],
    ys: &mut [StateID; N],
    y: &[u8],
) -> usize {
    let (mut p, mut q) = (*xs, *ys);
    let len = x.len().min(y.len());
    for i in 0..len {
        let (from_x, from_y) = (x[i], y[i]);
        let mut special = false;
        for k in 0..N {
            // SAFETY: as in `follow`: each state is a start state of `dfas[k]` or one its table
            // led to.
            p[k] = unsafe { dfas[k].next_state_unchecked(p[k], from_x) };
            q[k] = unsafe { dfas[k].next_state_unchecked(q[k], from_y) };
            special |= dfas[k].is_special_state(p[k]) | dfas[k].is_special_state(q[k]);
        }
        if special {
            (*xs, *ys) = (p, q);
            return i + 1;
        }
    }
    (*xs, *ys) = (p, q);
    len
}

/// Where a walk is in its part of the text: the states of its DFAs, the line it reads and the
/// patterns found in that line so far.
struct Cursor<const N: usize> {
    states: [StateID; N],
    /// The next byte to read.
    at: usize,
    line_start: usize,
    /// The end of the line being read, after its line end.
    line_end: usize,
    /// The end of this cursor's part of the text.
    stop: usize,
    found: [u64; N],
}

impl<const N: usize> Cursor<N> {
    /// A cursor over `text[start..stop]`, its DFAs in the start states for `start`.
    fn new(
        dfas: &[&dense::DFA<&'static [u32]>; N],
        text: &str,
        start: usize,
        stop: usize,
    ) -> Result<Cursor<N>, regex_automata::MatchError> {
        let input = regex_automata::Input::new(text).range(start..);
        let mut states = [StateID::ZERO; N];
        for (state, dfa) in states.iter_mut().zip(dfas) {
            *state = dfa.start_state_forward(&input)?;
        }
        Ok(Cursor {
            states,
            at: start,
            line_start: start,
            line_end: line_end(text.as_bytes(), start, stop),
            stop,
            found: [0; N],
        })
    }

    fn reading(&self) -> bool {
        self.at < self.stop
    }

    /// After a follow stopped: notes the patterns of match states, and once the line is read,
    /// gives it with its patterns to `line` and starts the next.
    fn settle(
        &mut self,
        dfas: &[&dense::DFA<&'static [u32]>; N],
        bytes: &[u8],
        bits_of: &mut impl FnMut(usize, StateID) -> u64,
        line: &mut impl FnMut(Range<usize>, [u64; N]),
    ) -> Result<(), regex_automata::MatchError> {
        // Special states are few: dead, quit and match ones (`build.rs` makes no accelerated
        // states, and start states are not made special). A match is reported one byte late, on
        // the byte after it (for look-around): one that ends a line is reported on its line end,
        // which is in the line.
        for (k, (dfa, &state)) in dfas.iter().zip(&self.states).enumerate() {
            if dfa.is_match_state(state) {
                self.found[k] |= bits_of(k, state);
            } else if dfa.is_quit_state(state) {
                return Err(regex_automata::MatchError::quit(bytes[self.at - 1], self.at - 1));
            }
        }
        if self.at < self.line_end {
            return Ok(());
        }
        if self.line_end == bytes.len() {
            for (k, (dfa, state)) in dfas.iter().zip(&mut self.states).enumerate() {
                *state = dfa.next_eoi_state(*state);
                if dfa.is_match_state(*state) {
                    self.found[k] |= bits_of(k, *state);
                }
            }
        }
        line(
            self.line_start..self.line_end,
            std::mem::replace(&mut self.found, [0; N]),
        );
        self.line_start = self.line_end;
        self.line_end = line_end(bytes, self.line_end, self.stop);
        Ok(())
    }

    /// Reads the rest of this cursor's part on its own.
    fn finish(
        &mut self,
        dfas: &[&dense::DFA<&'static [u32]>; N],
        bytes: &[u8],
        bits_of: &mut impl FnMut(usize, StateID) -> u64,
        line: &mut impl FnMut(Range<usize>, [u64; N]),
    ) -> Result<(), regex_automata::MatchError> {
        while self.reading() {
            self.at += follow(dfas, &mut self.states, &bytes[self.at..self.line_end]);
            self.settle(dfas, bytes, bits_of, line)?;
        }
        Ok(())
    }
}

/// The end of the line that starts at `start`, after its line end, or `stop`.
fn line_end(bytes: &[u8], start: usize, stop: usize) -> usize {
    memchr::memchr(b'\n', &bytes[start..stop]).map_or(stop, |i| start + i + 1)
}

/// Texts shorter than this are walked in one piece (see [`walk`]).
const WALKED_IN_TWO: usize = 1024;

/// Walks each of `dfas` over `text`, calling `line` with each line (with its line end), in order,
/// and, for each DFA, the bits of its patterns that match in the line.
///
/// A text of [`WALKED_IN_TWO`] bytes or more is walked as two halves at once, the second from the
/// start of a line near the middle, its DFAs in their start states there. That gives the same
/// patterns in each line as one walk from the start: no pattern of a line scan matches a line
/// end, so no match crosses one, and a start state after a line end is where the one walk's
/// state after that line end leads too (only a match that ended the line before, reported on its
/// line end, is in the one and not the other). The test
/// `walking_in_two_halves_finds_what_one_walk_finds` compares them.
fn walk<const N: usize>(
    dfas: [&dense::DFA<&'static [u32]>; N],
    text: &str,
    line: impl FnMut(Range<usize>, [u64; N]),
) -> Result<(), regex_automata::MatchError> {
    let middle = (text.len() >= WALKED_IN_TWO)
        .then(|| memchr::memchr(b'\n', &text.as_bytes()[text.len() / 2..]).map(|i| text.len() / 2 + i + 1))
        .flatten()
        .filter(|&middle| middle < text.len());
    walk_from(dfas, text, middle, line)
}

/// [`walk`], with the second half starting at `middle` (none: one walk).
fn walk_from<const N: usize>(
    dfas: [&dense::DFA<&'static [u32]>; N],
    text: &str,
    middle: Option<usize>,
    mut line: impl FnMut(Range<usize>, [u64; N]),
) -> Result<(), regex_automata::MatchError> {
    let bytes = text.as_bytes();
    // For each DFA, the patterns of the last match state seen: consecutive bytes often leave it
    // in the same one (a run of capitals, a long number).
    let mut last: [Option<(StateID, u64)>; N] = [None; N];
    let mut bits_of = |k: usize, state: StateID| match last[k] {
        Some((seen, bits)) if seen == state => bits,
        _ => {
            let dfa = dfas[k];
            let bits =
                (0..dfa.match_len(state)).fold(0u64, |bits, i| bits | 1 << dfa.match_pattern(state, i).as_usize());
            last[k] = Some((state, bits));
            bits
        }
    };
    let Some(middle) = middle else {
        return Cursor::new(&dfas, text, 0, text.len())?.finish(&dfas, bytes, &mut bits_of, &mut line);
    };
    let mut first = Cursor::new(&dfas, text, 0, middle)?;
    let mut second = Cursor::new(&dfas, text, middle, text.len())?;
    // The second half's lines with a pattern, given to `line` once the first half's are.
    let mut later: Vec<(Range<usize>, [u64; N])> = Vec::new();
    let mut keep = |range: Range<usize>, found: [u64; N]| {
        if found.iter().any(|&bits| bits != 0) {
            later.push((range, found));
        }
    };
    while first.reading() && second.reading() {
        let read = follow_two(
            &dfas,
            &mut first.states,
            &bytes[first.at..first.line_end],
            &mut second.states,
            &bytes[second.at..second.line_end],
        );
        first.at += read;
        second.at += read;
        first.settle(&dfas, bytes, &mut bits_of, &mut line)?;
        second.settle(&dfas, bytes, &mut bits_of, &mut keep)?;
    }
    first.finish(&dfas, bytes, &mut bits_of, &mut line)?;
    second.finish(&dfas, bytes, &mut bits_of, &mut keep)?;
    for (range, found) in later {
        line(range, found);
    }
    Ok(())
}

impl std::fmt::Debug for LineScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineScan")
            .field("patterns", &self.dfa.pattern_len())
            .finish()
    }
}

/// Compiles every detector's patterns now instead of on first use, for a program that has time
/// to spare before its first check (a language server waiting for its first document). Run it
/// on a thread of its own: a check that starts meanwhile compiles what it needs itself, and the
/// two share the work (the order here is the reverse of the order in which a check needs them).
/// Calling it more than once, or from several threads, is harmless.
pub fn warm_up() {
    quasi::warm_up();
    language::warm_up();
    photos::warm_up();
    names::warm_up();
    addresses::warm_up();
    ids::warm_up();
    contacts::warm_up();
    ages::warm_up();
    dates::warm_up();
    LazyLock::force(&LINE_PATTERNS);
    LazyLock::force(&PHRASE_PATTERNS);
}

/// The texts a check of `text` (as Markdown) reports under `rule`: the helper rule tests share.
#[cfg(test)]
pub(crate) fn found(text: &str, rule: Rule) -> Vec<String> {
    crate::engine::Checker::default()
        .check(text, super::Format::Markdown)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| text[f.span].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled examples and the hard cases of the test fixtures, as texts to scan.
    fn bundled_texts() -> Vec<String> {
        vec![
            include_str!("../../../examples/vignette.md").to_string(),
            include_str!("../../../examples/clean.md").to_string(),
            include_str!("../../../examples/social-post.md").to_string(),
            include_str!("../../../tests/fixtures/hard_cases.jsonl").replace("\\n", "\n"),
        ]
    }

    /// The scans' DFAs, read at run time without checking their tables (`LineScan::compiled_in`),
    /// pass the full check of `from_bytes`: every transition, start state and match state valid.
    #[test]
    fn compiled_scans_are_valid_dfas() {
        for (bytes, patterns) in [
            (LINE_SCAN, LINE_PATTERN_SOURCES.len()),
            (PHRASE_SCAN, PHRASE_PATTERN_SOURCES.len()),
        ] {
            let (checked, read) = dense::DFA::from_bytes(&bytes.bytes).expect("a valid DFA");
            assert_eq!(read, bytes.bytes.len(), "the whole file is the DFA");
            assert_eq!(checked.pattern_len(), patterns);
            let unchecked = LineScan::compiled_in(bytes, patterns);
            assert_eq!(unchecked.dfa.memory_usage(), checked.memory_usage());
        }
    }

    /// The lines with a pattern, and the patterns, of a walk of both scans over `text` from
    /// `middle` as well as from its start (none: one walk).
    fn walked(text: &str, middle: Option<usize>) -> Vec<(Range<usize>, [u64; 2])> {
        let mut lines = Vec::new();
        walk_from(
            [&LINE_PATTERNS.dfa, &PHRASE_PATTERNS.dfa],
            text,
            middle,
            |range, found| {
                if found.iter().any(|&bits| bits != 0) {
                    lines.push((range, found));
                }
            },
        )
        .expect("a line scan never gives up");
        lines
    }

    /// Walking a text as two halves at once, the second from any line start, finds the same
    /// patterns in the same lines as one walk from its start: on the bundled texts and the rare
    /// patterns, cut at each of their line starts, with line ends of every kind and lines that
    /// end in a match.
    #[test]
    fn walking_in_two_halves_finds_what_one_walk_finds() {
        let mut texts = bundled_texts();
        texts.extend(RARE_TEXTS.iter().map(|text| text.to_string()));
        texts.push("MR SMITH\r\nCall 555-123-4567\r\n\r\nSSN 123-45-6789\nDOB 3/4/1950".to_string());
        texts.push("lol\nHAHA\n\n\nON 12/25\nhe claims\n\u{1F602}\nZip 02115".to_string());
        for text in &texts {
            // The hard cases are long: cut them into pieces of a few lines.
            let pieces: Vec<&str> = if text.len() > 4096 {
                text.split_inclusive("\n\n").collect()
            } else {
                vec![text.as_str()]
            };
            for piece in pieces {
                let whole = walked(piece, None);
                for (middle, _) in piece.match_indices('\n') {
                    assert_eq!(
                        walked(piece, Some(middle + 1)),
                        whole,
                        "{piece:?} walked from {}",
                        middle + 1
                    );
                }
            }
        }
    }

    /// A text long enough to be walked in two halves gives the lines of one walk.
    #[test]
    fn long_texts_are_walked_in_two_halves_with_the_same_lines() {
        let text = include_str!("../../../examples/vignette.md").repeat(3);
        assert!(text.len() >= WALKED_IN_TWO);
        let mut lines = Vec::new();
        walk([&LINE_PATTERNS.dfa, &PHRASE_PATTERNS.dfa], &text, |range, found| {
            if found.iter().any(|&bits| bits != 0) {
                lines.push((range, found));
            }
        })
        .expect("a line scan never gives up");
        assert!(!lines.is_empty());
        assert_eq!(lines, walked(&text, None));
    }

    /// Texts with the rare patterns (see [`Lined::RarePatterns`]) whole and cut by line ends.
    const RARE_TEXTS: [&str; 4] = [
        "in her\nnineties, in her nineties; a centenarian\n; pager\n#54321, pager #54321, ext.\n4410, ext. 4410\n",
        "fe80::\n1, fe80::1, 2001:db8:0:0:0:0:\n2:1; Boston, MA\n02115, Boston, MA 02115, zip code\n 02115; P.O.\nBox 12, PO Box 12\n",
        "a frequent\nflyer, a frequent flyer, a gomer\n; lol\n, haha, \u{1F602}\n; she peed\nherself, she peed herself; too\nfat\n",
        "the\nmentally ill, the mentally ill; drug\nseeking, drug-seeking; he\nclaims, he claims, an\naddict, an addict, \u{17f}lol\n",
    ];

    /// Every rare pattern, searched only in the lines where their union matches, finds what a
    /// search of the whole text finds; and the union is made of exactly these patterns.
    #[test]
    fn rare_patterns_searched_in_their_lines_find_what_whole_searches_find() {
        use scans::{
            IPV6_SOURCE, LABEL_SOURCE, LAUGHTER_SOURCE, MOCKING_SOURCE, NINETIES_SOURCE, PAGER_SOURCE, PO_BOX_SOURCE,
            RARE_PATTERNS_SOURCE, SLURS_SOURCE, ZIP_SOURCE,
        };
        let rare = [
            NINETIES_SOURCE, PAGER_SOURCE, IPV6_SOURCE, ZIP_SOURCE, PO_BOX_SOURCE, SLURS_SOURCE, LAUGHTER_SOURCE,
            MOCKING_SOURCE, LABEL_SOURCE,
        ];
        let union: Vec<String> = rare.iter().map(|s| format!("(?:{s})")).collect();
        assert_eq!(RARE_PATTERNS_SOURCE, union.join("|"));
        let mut texts = bundled_texts();
        texts.extend(RARE_TEXTS.map(String::from));
        texts.push(texts.concat());
        for source in rare {
            let pattern = pattern::Pattern::new(source).expect("pattern");
            let mut found = 0;
            for text in &texts {
                let lines = Gates::of(text).lines(Lined::RarePatterns).to_vec();
                let whole: Vec<_> = pattern
                    .captures_iter(text)
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                let by_line: Vec<_> = pattern
                    .captures_iter_in(text, &lines)
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                assert_eq!(by_line, whole, "{source} in {:?}", &text[..text.len().min(60)]);
                found += whole.len();
            }
            assert!(found > 0, "the texts hold no match of {source}");
        }
    }

    /// Every [`Lined`] pattern, in order: those of the first scan, then those of the second.
    const ALL_LINED: [Lined; 29] = [
        Lined::NumericDate,
        Lined::OrdinalDay,
        Lined::Vin,
        Lined::Code,
        Lined::PhoneNanp,
        Lined::PhoneLocal,
        Lined::Ipv4,
        Lined::Postcode,
        Lined::Insults,
        Lined::Shouting,
        Lined::Ssn,
        Lined::Initials,
        Lined::CompactDate,
        Lined::Holiday,
        Lined::Street,
        Lined::Url,
        Lined::Citation,
        Lined::QuasiTime,
        Lined::QuasiPlace,
        Lined::QuasiRole,
        Lined::QuasiRare,
        Lined::QuasiEvent,
        Lined::QuasiGender,
        Lined::MonthFirst,
        Lined::DayFirst,
        Lined::InsultNouns,
        Lined::Age,
        Lined::RecordNumber,
        Lined::RarePatterns,
    ];

    /// What is searched in the lines of each [`Lined`] pattern: the pattern itself, or the one
    /// its hint stands for.
    fn searched_in_lines() -> Vec<String> {
        let mut sources: Vec<String> = LINE_PATTERN_SOURCES
            .iter()
            .chain(&PHRASE_PATTERN_SOURCES)
            .map(|s| s.to_string())
            .collect();
        sources[Lined::Street as usize] = scans::STREET_SOURCE.to_string();
        sources[Lined::Url as usize] = scans::URL_SOURCE.to_string();
        sources[Lined::Citation as usize] = scans::CITATION_SOURCE.to_string();
        sources[Lined::Age as usize] = scans::AGE_SOURCE.to_string();
        sources[Lined::RecordNumber as usize] = scans::CONTEXT_ID_SOURCE.to_string();
        sources
    }

    /// Each pattern searched line by line finds, in the lines where the scan says it (or its
    /// hint) matches, exactly what a search of the whole text finds: none of them matches across
    /// a line end, even where a line end sits inside something it would match.
    #[test]
    fn patterns_searched_line_by_line_find_what_whole_searches_find() {
        let mut texts = bundled_texts();
        texts.extend(
            [
                "call 555\n123-4567 or (555) 201-\n4477, 555-1234\n",
                "seen 3/\n4/2024 and 3\n/4, on the\n3rd, on the 3rd\n",
                "see https://example.com/a\nb and www.\nexample.org/x\n10.0.0.\n1 and 10.0.0.1",
                "VIN 1HGCM82633A00\n4352 and 1HGCM82633A004352; SN-5635785\n-K27 UA779341905\r\n",
                "SW1A\n1AA, K1A 0B1; so STUPID\nAND LAZY and so STUPID AND LAZY\n\n",
                "\u{1F642} 3/4 \u{e9}\n\u{17f}tupid 12345678 ",
                "1HGCM82633A004352x 1HGCM82633A00435 _1HGCM82633A004352 \u{e9}1HGCM82633A004352\u{e9}\n",
                "AB CDe, AB\tCD, AB  CD\n A BC DE, AB CD5 EF GH_ IJ, \u{e9}AB CD\u{e9} AB\u{a0}CD AB\rCD x\n",
                "MRI SHOWS\nNO BLEED; AB-CD EF GHI\n",
                "HTTPS://X.ORG and httpſ://x and WwW.a and x.CoM/ and x.uſ/ and x.\u{212a}K/ and 120/80, w/ a.m./p.m.\n",
                "a.b/ .ab/ ab/ .a/ ://x :/ //x www x.www.y\n",
                "doi:10.1056/NEJMoa2034577 (PMID 33301246), PMC7151291, NCT04368728; pmid:\n12345678\n",
                "10.\n1056/x, 10.1056\n/x, EudraCT 2020-\n001234-56, ISRCTN12345678, pmc 1234567, Pubmed#1234567\n",
                "\u{17f}\u{212a} i\u{17f}rctn12345678 PUBMED: 12345 nct-1234567 10.12345/\u{e9}x\n",
                "last\nnight, last night; at 5\npm, at 5 pm, at 5 P.M.; Route\n9, route 9a, I-95; the local\nmall\n",
                "the star\npoint guard, the star point guard; first\ncase; progeria; car\naccident, car accident\n",
                "a 45\nyo F; 45 yo F, 45F; HE, \u{17f}he, man\n; mr; the town\u{2019}s mayor, the town's mayor\n",
                "the idiot, IDIOTS, idiot\u{17f}, numb\nskull, numbskulls, cretin\n, moron\u{e9} imbecile\n",
                "a 45-\nyear-old; a 45-year-\nold, a 45-year-old; 72yo\nF, 72yo F; aged\n45; she was\n93, she was 93\n",
                "a man of\n92, a man of 92; MRN\n12345, MRN: 12345, acct.\n#A1, acct. #A1, s/n\nX9, S/N X9\n",
                "born 2024\n0303, born 20240303, dob 19991231\n; on Christmas\nEve, on Christmas Eve, New Year's\nDay, St.\nPatrick's Day, St. Patrick's Day\n",
                "at 12\nMain St, at 12 Main\nSt, at 12 N.\tMain St., Apt\n3B; 965 Amanda Forges Suite 466, 4 3rd\nAve\non 4 3rd Ave.\n",
                "x12 Main St, 1234567 Main St, 12B Oak Rd, \u{e9}12 Elm St_ 12  Elm\tSt, 80783 AMANDA MANORS, 4 3rd Ave\r\n",
                "",
                "\n\n\n",
            ]
            .map(String::from),
        );
        texts.extend(RARE_TEXTS.map(String::from));
        assert_eq!(Lined::Url as usize, LINE_PATTERN_SOURCES.len());
        assert_eq!(Lined::RarePatterns as usize + 1, searched_in_lines().len());
        for (index, source) in searched_in_lines().into_iter().enumerate() {
            let pattern = pattern::Pattern::new(&source).expect("pattern");
            let lined = ALL_LINED[index];
            assert_eq!(lined as usize, index);
            for text in &texts {
                let gates = Gates::of(text);
                let whole: Vec<_> = pattern.find_iter(text).map(|m| m.range()).collect();
                let by_line: Vec<_> = pattern
                    .find_iter_in(text, gates.lines(lined))
                    .map(|m| m.range())
                    .collect();
                assert_eq!(by_line, whole, "pattern {index} in {:?}", &text[..text.len().min(60)]);
                let whole: Vec<_> = pattern
                    .captures_iter(text)
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                let by_line: Vec<_> = pattern
                    .captures_iter_in(text, gates.lines(lined))
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                assert_eq!(by_line, whole, "pattern {index}");
            }
        }
    }

    /// The stretches of whole lines of `text` (each with its line end, adjacent ones joined)
    /// that hold a match starting at one of `starts`.
    fn lines_holding(text: &str, starts: impl Iterator<Item = usize>) -> Vec<Range<usize>> {
        let mut stretches: Vec<Range<usize>> = Vec::new();
        for start in starts {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
            match stretches.last_mut() {
                Some(last) if last.end >= line_start => last.end = last.end.max(line_end),
                _ => stretches.push(line_start..line_end),
            }
        }
        stretches
    }

    /// The scans report exactly the lines where their patterns match, no more: each pattern of
    /// the two scans (hints included, as they are scanned), searched over the whole text, has a
    /// match in exactly the lines the scan gives it. (A match cannot cross a line end, so a line
    /// holds a match of a pattern exactly when the search of the whole text finds one starting
    /// in it.)
    #[test]
    fn scans_report_exactly_the_lines_that_hold_a_match() {
        let mut texts = bundled_texts();
        texts.extend([
            "call 555-123-4567, VIN 1HGCM82633A004352; SW1A 1AA\nSTUPID AND LAZY J.D. 10.0.0.1\r\n\n".to_string(),
            "see www.example.org/x, PMID 12345678, last night at 5 pm\non Route 9; March 3, 3rd of May\n".to_string(),
            "".to_string(),
            "\n".to_string(),
            "no newline at the end: 3/4/2024".to_string(),
            "born 20240303, on Christmas Eve\nNew Year's Day; 19991231\n".to_string(),
        ]);
        texts.extend(RARE_TEXTS.map(String::from));
        texts.push(texts.concat());
        let sources: Vec<&str> = LINE_PATTERN_SOURCES
            .iter()
            .chain(&PHRASE_PATTERN_SOURCES)
            .copied()
            .collect();
        assert_eq!(sources.len(), ALL_LINED.len());
        for text in &texts {
            let gates = Gates::of(text);
            for (index, source) in sources.iter().enumerate() {
                let pattern = pattern::Pattern::new(source).expect("pattern");
                let whole = lines_holding(text, pattern.find_iter(text).map(|m| m.start()));
                assert_eq!(
                    gates.lines(ALL_LINED[index]),
                    whole,
                    "pattern {index} in {:?}",
                    &text[..text.len().min(60)]
                );
            }
        }
    }

    /// Texts made of `pieces`.
    fn text_of(pieces: &'static [&'static str]) -> impl proptest::prelude::Strategy<Value = String> {
        use proptest::prelude::{prop, Strategy};
        prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|pieces| pieces.concat())
    }

    /// Pieces of text around what a web address needs.
    const URL_PIECES: &[&str] = &[
        "x", "ab", "A", "5", "_", " ", "\t", "\n", "\r", "-", ".", "/", ":", "://", "www", "WWW", "http", "com", "CoM",
        "uk", "\u{17f}", "\u{212a}", "\u{e9}", "\u{a0}", "<", "\"",
    ];

    /// Pieces of text around what a citation needs.
    const CITATION_PIECES: &[&str] = &[
        "x", "10", ".", "1056", "/", "doi", "DOI:", "pmid", "PMCID", "pubmed", "PMC", "NCT", "nct", "ISRCTN", "ACTRN",
        "EudraCT", ":", "#", " ", "\t", "\n", "\r", "0123", "45678", "-", "\u{17f}", "\u{212a}", "\u{e9}", "<",
    ];

    /// Pieces of text around what an age needs.
    const AGE_PIECES: &[&str] = &[
        "45", "7", "100", " ", "\t", "-", "\n", "\r", "year", "years", "yr", "yrs", "y", "Y", "yo", "YO", "y/o",
        "y.o.", ".", "month", "mos", "week", "wk", "day", "old", "OLD", "seventy", "two", "one hundred", "and", "M",
        "F", "m", "aged", "Age", ":", "of", "at", "she", "was", "is", "now", "turned", "had just", "died", "man",
        "\u{17f}", "\u{212a}", "x", "_", "\u{e9}",
    ];

    /// Pieces of text around what a record number needs.
    const RECORD_PIECES: &[&str] = &[
        "MRN", "mrn", "record", "medical", "acct", "acct.", "member", "id", "ID", "no", "No.", "#", "number", "num",
        ":", "(", "[", " ", "\t", "\n", "is", "A", "Z", "5", "12", "-", ".", "\u{2022}", "s/n", "SN", "lic.", "plate",
        "plates", "licen", "se", "CE", "driver's", "tag", "vin", "lot", "x", "\u{17f}", "\u{212a}", "\u{e9}", "a",
    ];

    /// The matches of `source` in the lines the scan gives `lined`, and in the whole text.
    fn by_line_and_whole(source: &str, lined: Lined, text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        by_line_and_whole_of(&pattern::Pattern::new(source).expect("pattern"), lined, text)
    }

    /// The matches of `pattern` in the lines the scan gives `lined`, and in the whole text.
    fn by_line_and_whole_of(
        pattern: &pattern::Pattern,
        lined: Lined,
        text: &str,
    ) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let gates = Gates::of(text);
        let by_line = pattern
            .find_iter_in(text, gates.lines(lined))
            .map(|m| m.range())
            .collect();
        let whole = pattern.find_iter(text).map(|m| m.range()).collect();
        (by_line, whole)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

        /// The lines the hint of web addresses lets through hold every match a search of the
        /// whole text finds.
        #[test]
        fn url_hint_lines_hold_every_match(text in text_of(URL_PIECES)) {
            let (by_line, whole) = by_line_and_whole(scans::URL_SOURCE, Lined::Url, &text);
            proptest::prelude::prop_assert_eq!(by_line, whole, "in {:?}", text);
        }

        /// The lines the hint of citations lets through hold every match a search of the whole
        /// text finds.
        #[test]
        fn citation_hint_lines_hold_every_match(text in text_of(CITATION_PIECES)) {
            let (by_line, whole) = by_line_and_whole(scans::CITATION_SOURCE, Lined::Citation, &text);
            proptest::prelude::prop_assert_eq!(by_line, whole, "in {:?}", text);
        }

        /// The lines the hint of ages lets through hold every match a search of the whole text
        /// finds.
        #[test]
        fn age_hint_lines_hold_every_match(text in text_of(AGE_PIECES)) {
            let (by_line, whole) = by_line_and_whole_of(&ages::AGE, Lined::Age, &text);
            proptest::prelude::prop_assert_eq!(by_line, whole, "in {:?}", text);
        }

        /// The lines the hint of record numbers lets through hold every match a search of the
        /// whole text finds.
        #[test]
        fn record_hint_lines_hold_every_match(text in text_of(RECORD_PIECES)) {
            let (by_line, whole) = by_line_and_whole_of(&ids::CONTEXT_ID, Lined::RecordNumber, &text);
            proptest::prelude::prop_assert_eq!(by_line, whole, "in {:?}", text);
        }
    }

    /// Warming up on other threads while checks run changes nothing they find.
    #[test]
    fn warming_up_beside_checks_changes_no_finding() {
        let text = include_str!("../../../examples/vignette.md");
        let check = || crate::engine::Checker::default().check(text, crate::engine::Format::Markdown);
        let found = std::thread::scope(|scope| {
            let warmers: Vec<_> = (0..2).map(|_| scope.spawn(warm_up)).collect();
            let found = check();
            for warmer in warmers {
                warmer.join().expect("warm-up finishes");
            }
            found
        });
        assert!(found.len() > 10, "{} findings", found.len());
        assert_eq!(found, check());
        warm_up();
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &rule in Rule::ALL {
            assert!(seen.insert(rule.code()), "duplicate code {}", rule.code());
            assert_eq!(Rule::from_code(rule.code()), Some(rule));
            if rule.category() == Category::Phi {
                assert!(rule.code().starts_with("phi/"));
                assert!(rule.phi_label().is_some() || rule == Rule::Photo);
            } else {
                assert!(rule.phi_label().is_none());
            }
        }
    }
}
