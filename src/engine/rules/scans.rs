// The sources of the line scans: see `mod scans` in `src/engine/rules/mod.rs`. This file is also
// included by `build.rs`: it may hold only constants and macros, and use nothing from the crate.

/// The month names and their abbreviations, for the date patterns and their hints.
macro_rules! month {
    () => {
        r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    };
}

/// The days of the week, whole or shortened.
macro_rules! weekday {
    () => {
        r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
    };
}

/// The top-level domains of web addresses written without a scheme (`example.org/page`).
macro_rules! top_level_domains {
    () => {
        "com|org|net|edu|gov|io|co|me|us|uk|ca|au|info|biz|ly|app|page|site|blog|health|social"
    };
}

/// The sources of the first line scan, in the order of `rules::Lined`. Patterns with big lists of
/// words (ages, streets, record numbers) are left out: searched together with these, they made
/// the automaton so large that it cost more than the searches it saved. Ages and record numbers
/// are scanned through hints in the second scan; streets through the last of this list, a hint
/// of the number that starts them (it grew the automaton from 3.2 to 3.4 MB).
pub(crate) const LINE_PATTERN_SOURCES: [&str; 15] = [
    NUMERIC_SOURCE, BARE_ORDINAL_DAY_SOURCE, VIN_SOURCE, CODE_SOURCE, PHONE_NANP_SOURCE, PHONE_LOCAL_SOURCE,
    IPV4_SOURCE, POSTCODE_SOURCE, INSULTS_SOURCE, SHOUTING_SOURCE, SSN_SOURCE, INITIALS_SOURCE, COMPACT_SOURCE,
    HOLIDAY_SOURCE, STREET_HINT_SOURCE,
];

/// The sources of the second line scan, in the order of `rules::Lined` after those of
/// [`LINE_PATTERN_SOURCES`]: phrases and words. Searched with the patterns above, which count
/// digits and capitals, they multiplied the automaton's states; on their own, they make an
/// automaton much like a list of words. The first two are hints (patterns that match inside every
/// match of another): web addresses and citations hold long repeats, which multiply states too.
/// So are the two after the details of combinations, of dates with a month name, whose weekday may
/// be on an earlier line (see [`MONTH_FIRST_HINT_SOURCE`]), and the last two, of ages and record
/// numbers, whose own lists of words would make the automaton too large (the hints add 0.5 MB to
/// its 1.1 MB). The last is the union of the rare patterns ([`RARE_PATTERNS_SOURCE`]), which
/// matches nothing in most lines: it makes the automaton 5.6 MB instead of 1.6, and saves
/// searching each segment whole for any of them, which was most of their cost. A hint of
/// streets with their runs of capitalised words made this automaton four times as large, and in
/// a third scan of its own (23 kB) the walk cost more than the search it saved: streets are
/// scanned through the shorter hint of the first scan ([`STREET_HINT_SOURCE`]).
pub(crate) const PHRASE_PATTERN_SOURCES: [&str; 14] = [
    URL_HINT_SOURCE, CITATION_HINT_SOURCE, TIME_SOURCE, PLACE_SOURCE, ROLE_SOURCE, RARE_SOURCE, EVENT_SOURCE,
    GENDER_SOURCE, MONTH_FIRST_HINT_SOURCE, DAY_FIRST_HINT_SOURCE, INSULT_NOUNS_SOURCE, AGE_HINT_SOURCE,
    RECORD_HINT_SOURCE, RARE_PATTERNS_SOURCE,
];

// Dates (`dates`).

/// The source of `dates::NUMERIC`.
pub(crate) const NUMERIC_SOURCE: &str = r"(?-u:\b)(?:(?P<y1>(?:19|20)[0-9]{2})(?P<s1>[-/.])(?P<m1>[0-9]{1,2})[-/.](?P<d1>[0-9]{1,2})|(?P<a>[0-9]{1,2})(?P<s2>[-/.])(?P<b>(?:19|20)[0-9]{2}|[0-9]{1,2})(?:[-/.](?P<y2>[0-9]{4}|[0-9]{2}))?)(?-u:\b)";

/// The source of `dates::BARE_ORDINAL_DAY`.
pub(crate) const BARE_ORDINAL_DAY_SOURCE: &str =
    r"(?i)(?-u:\b)(?:on|since|until|by|from)[ \t]+the[ \t]+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)(?-u:\b)";

/// The source of `dates::COMPACT`.
pub(crate) const COMPACT_SOURCE: &str = r"(?-u:\b)(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?-u:\b)";

/// The source of `dates::HOLIDAY`.
pub(crate) const HOLIDAY_SOURCE: &str = r"(?-u:\b)(?:Christmas(?: Eve| Day)?|New Year's (?:Eve|Day)|Thanksgiving(?: Day)?|Easter(?: Sunday| Monday)?|Halloween|Valentine's Day|Independence Day|Memorial Day|Labor Day|Labour Day|Mother's Day|Father's Day|Boxing Day|Veterans Day|St\.? Patrick's Day)(?-u:\b)";

/// What every match of `dates::MONTH_FIRST` holds on the line where its month is, in the same
/// case-blind terms: the month and, after spaces and perhaps `the` or `of`, a digit. The weekday before it
/// may be on an earlier line (`\s+` takes line ends): see `dates::with_weekday_lines`.
pub(crate) const MONTH_FIRST_HINT_SOURCE: &str =
    concat!(r"(?i)", month!(), r"(?-u:\b)\.?,?[ \t]+(?:(?:the|of)[ \t]+)?[0-9]");

/// What every match of `dates::DAY_FIRST` holds on the line where its month is (see
/// [`MONTH_FIRST_HINT_SOURCE`]): the day's last digit, perhaps its ordinal and `of`, and the month.
pub(crate) const DAY_FIRST_HINT_SOURCE: &str = concat!(
    r"(?i)[0-9](?:st|nd|rd|th)?[ \t]+(?:(?:day[ \t]+)?of[ \t]+)?",
    month!(),
    r"(?-u:\b)"
);

// Ages (`ages`).

/// What every match of `ages::AGE` holds, in the same case-blind terms, one branch for each of
/// its shapes: the unit and `old` of `45-year-old` and `seventy-two year old`; the digit and `M`
/// or `F` of `72yo F` (case-sensitive there too); the digit and `yo`, `y/o`, `y.o` or a bare `y`
/// of `45 yo` and `45y`; `age` and the digit of `aged 45` and `age: 45`; and the word just before
/// the number of `she was 93`, `who had just turned 90`, `died at 94` and `a man of 92`. The
/// long lists of words before them (numbers in words, the people and the verbs) are left out.
pub(crate) const AGE_HINT_SOURCE: &str = concat!(
    r"(?i)[yrshok][ \t]*-?[ \t]*old",
    r"|(?-i:[0-9](?:[ \t]*(?:yo|y/o|y))?[ \t]?[MF])(?-u:\b)",
    r"|[0-9][ \t]*-?(?:y/o|y\.o|yo)",
    r"|[0-9][ \t]?y(?-u:\b)",
    r"|age(?:d|[ \t]*:|[ \t]+of)?[ \t]*[0-9]",
    r"|(?:was|is|were|are|turned|turns|now|only|just|barely|at|of)[ \t]+[0-9]"
);

// Record numbers, codes and SSNs (`ids`).

/// What every match of `ids::CONTEXT_ID` holds, in the same case-blind terms: the last word of
/// its context (`mrn`, `record`, `member id`, `tag number`, `s/n`, or the `no.` or `#` after one),
/// the separators after it, and the identifier's first character (a capital or a digit, whatever
/// the case of the words). The phrases the words end are left out.
pub(crate) const RECORD_HINT_SOURCE: &str = concat!(
    r"(?i)(?:(?-u:\b)(?:mrn|record|chart|account|acct\.?|member|subscriber|policy|group|plan|insurance",
    r"|beneficiary|medicare|medicaid|licen[cs]e|lic\.|dea|npi|passport|id|case|claim|accession|specimen",
    r"|encounter|certificate|badge|plates?|number|vin|serial|s/n|sn|lot|udi|imei|num|no\.?)|#)",
    r"[ \t]*[:#(\[]*[ \t]*(?:is[ \t]+)?(?-i:[A-Z0-9])"
);

/// The source of `ids::VIN`.
pub(crate) const VIN_SOURCE: &str = r"(?-u:\b)[A-Z0-9]{17}(?-u:\b)";

/// The source of `ids::CODE`.
pub(crate) const CODE_SOURCE: &str =
    r"(?-u:\b)[A-Za-z0-9]*[0-9](?:[A-Za-z0-9-]*[0-9]){4}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?-u:\b)";

/// The source of `ids::SSN`.
pub(crate) const SSN_SOURCE: &str = r"(?-u:\b)[0-9]{3}-[0-9]{2}-[0-9]{4}(?-u:\b)";

// Contacts and citations (`contacts`).

/// The source of `contacts::PHONE_NANP`.
pub(crate) const PHONE_NANP_SOURCE: &str = r"(?i)(?:\+?1[ \t.-]?)?(?:\([0-9]{3}\)[ \t.-]?|[0-9]{3}[ \t.-]?)[0-9]{3}[ \t.-]?[0-9]{4}(?:[ \t]*(?:x|ext\.?|extension)[ \t]*[0-9]{1,5})?";

/// The source of `contacts::PHONE_LOCAL`.
pub(crate) const PHONE_LOCAL_SOURCE: &str = r"(?-u:\b)[0-9]{3}[-.][0-9]{4}(?-u:\b)";

/// The source of `contacts::IPV4`.
pub(crate) const IPV4_SOURCE: &str = r"(?-u:\b)(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?-u:\b)";

/// What every match of `contacts::URL` holds, in the same case-blind terms: a scheme and `://`
/// or `www.` (its first branch), or a dot, a top-level domain and a slash (its second). The lines
/// where this matches are those searched for web addresses; this adds few states to the scan's
/// automaton, where the long repeats of `contacts::URL` did.
pub(crate) const URL_HINT_SOURCE: &str = concat!(r"(?i)(?:https?|ftp)://|www\.|\.(?:", top_level_domains!(), r")/");

/// What every match of `contacts::CITATION_ID` holds, in the same case-blind terms: `10.` and
/// four digits, a PubMed word, `PMC` and a digit, or a trial registry's prefix (see
/// [`URL_HINT_SOURCE`]).
pub(crate) const CITATION_HINT_SOURCE: &str =
    r"(?i)10\.[0-9]{4}|pmid|pmcid|pubmed|pmc[0-9]|nct[0-9]|isrctn|actrn|eudract";

// Addresses (`addresses`).

/// The hint of `addresses::STREET`: the number that starts every street address, at a word's
/// start, perhaps with a letter (`12B`), then spaces and the capital or digit that starts a
/// direction, a street name or an ordinal (`12 N.`, `12 Main`, `12 3rd`). Searched over whole
/// segments, the street pattern was 3% of a check of notes: doses, times and vital signs are
/// numbers, and most of them are followed by a lower-case unit or nothing.
pub(crate) const STREET_HINT_SOURCE: &str = r"(?-u:\b)[0-9]{1,6}[A-Za-z]?[ \t]+[A-Z0-9]";

/// The source of `addresses::POSTCODE`.
pub(crate) const POSTCODE_SOURCE: &str = r"(?-u:\b)(?:[A-Z]{1,2}[0-9][A-Z0-9]?[ \t][0-9][ABD-HJLNP-UW-Z]{2}|[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][ \t]?[0-9][ABCEGHJ-NPRSTV-Z][0-9])(?-u:\b)";

// Language (`language`).

/// The source of `language::INSULTS`.
pub(crate) const INSULTS_SOURCE: &str = r"(?i)(?-u:\b)(?:stupid|dumb|pathetic|disgusting|nasty|lazy|crazy|insane|smelly|stinky|filthy|ugly|annoying|obnoxious|clueless|whiny|hysterical|worthless|useless|idiotic|moronic|retarded|psycho|fat)(?-u:\b)";

/// The source of `language::SHOUTING`.
pub(crate) const SHOUTING_SOURCE: &str = r"(?-u:\b)[A-Z]{2,}(?:[ \t]+[A-Z]{2,})+(?-u:\b)";

/// The source of `language::INSULT_NOUNS`.
pub(crate) const INSULT_NOUNS_SOURCE: &str = r"(?i)(?-u:\b)(?:idiots?|morons?|imbeciles?|cretins?|numbskulls?)(?-u:\b)";

// Names (`names`).

/// The source of `names::INITIALS`.
pub(crate) const INITIALS_SOURCE: &str = r"(?-u:\b)[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?";

// Details of combinations (`quasi`); none of them matches a line end.

/// The source of `quasi::TIME`.
pub(crate) const TIME_SOURCE: &str = r"(?i)(?-u:\b)(?:last (?:night|evening|week|weekend|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|this (?:morning|afternoon|evening|week|weekend)|tonight|earlier today|(?:on|this|last) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|at (?:[0-9]{1,2}(?::[0-9]{2})? ?(?:am|pm|a\.m\.|p\.m\.)|midnight|noon)|new year's eve)(?-u:\b)";

/// The source of `quasi::PLACE`.
pub(crate) const PLACE_SOURCE: &str = r"(?i)(?-u:\b)(?:(?:route|highway|hwy|interstate|state road|county road|exit) ?[0-9]{1,4}[a-z]?|I-[0-9]{1,3}|the (?:local |town'?s |city'?s )?(?:high school|middle school|elementary school|mall|stadium|arena|factory|mill|county fair|fairgrounds)|our (?:town|city|village|county|community|neighbou?rhood)|downtown|main street)(?-u:\b)";

/// The source of `quasi::ROLE`.
pub(crate) const ROLE_SOURCE: &str = r"(?i)(?-u:\b)(?:(?:star|starting|varsity) (?:point guard|quarterback|pitcher|striker|player|forward|goalie|athlete|runner|wrestler|swimmer|linebacker|center)|(?:local|town|city|village|county|our|the|town's|city's) (?:pastor|priest|minister|rabbi|imam|mayor|sheriff|judge|councilman|councilwoman|council member|news anchor|weatherman|celebrity|politician|principal|fire chief|police chief|bishop|senator|congressman|congresswoman)|(?:local|town's|village|our town's) (?:teacher|coach|librarian|bartender|mail carrier|doctor|nurse|firefighter|police officer)|professional (?:athlete|footballer|football player|basketball player|baseball player|hockey player|soccer player|boxer|wrestler)|(?:famous|well-known|well known|prominent|celebrity) (?:singer|actor|actress|athlete|author|artist|musician|chef|politician|businessman|businesswoman)|(?:olympic|nfl|nba|mlb|nhl|mls|wnba|premier league) (?:player|athlete|star|champion|medalist|quarterback)|point guard|quarterback|head coach|team captain)(?-u:\b)";

/// The source of `quasi::RARE`.
pub(crate) const RARE_SOURCE: &str = r"(?i)(?-u:\b)(?:one in a million|first (?:reported )?case|only (?:known |reported )?case|never (?:been )?seen before|progeria|creutzfeldt-jakob|rabies|ebola|anthrax|bubonic plague|leprosy|kuru|fibrodysplasia ossificans progressiva|harlequin ichthyosis|conjoined twins|face transplant|hand transplant|uterus transplant|quintuplets|sextuplets|septuplets|octuplets|hypertrichosis)(?-u:\b)";

/// The source of `quasi::EVENT`.
pub(crate) const EVENT_SOURCE: &str = r"(?i)(?-u:\b)(?:crash(?:ed|es)?|collision|car accident|motor vehicle accident|rollover|pile-?up|shooting|(?:was|were|got|been) shot|shot by|stabbing|stabbed|house fire|apartment fire|fire|explosion|blast|drown(?:ed|ing)|near-drowning|mass casualty|on the news|in the news|made the news|local news|news (?:report|coverage|story)|headlines?|newspaper|local paper|went viral|viral video|struck by lightning|lightning strike|shark attack|bear attack|dog attack|mauled|police chase|standoff|hostage|tornado|hurricane|earthquake|avalanche|derailment|hit-and-run|hit and run)(?-u:\b)";

/// The source of `quasi::GENDER`. Found in the first lines of most pieces, but a piece that
/// never says it (notes that write `pt` throughout) was searched to its end.
pub(crate) const GENDER_SOURCE: &str = r"(?i)(?-u:\b)(?:man|woman|boy|girl|male|female|gentleman|lady|he|she|his|her|him|mr|mrs|ms)(?-u:\b)|(?-u:\b)[0-9]{1,3} ?(?:yo|y/o)? ?[MF](?-u:\b)";

/// The source of `contacts::URL`, searched line by line (its classes leave out `\s`) where its hint
/// matches.
pub(crate) const URL_SOURCE: &str = concat!(
    r#"(?i)(?:(?:https?|ftp)://|www\.)[^\s<>"'`]+|(?-u:\b)[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:"#,
    top_level_domains!(),
    r#")/[^\s<>"'`]*"#
);

/// The source of `contacts::CITATION_ID`, searched line by line (no class of it holds `\s`) where its hint
/// matches.
pub(crate) const CITATION_SOURCE: &str = r#"(?i)(?-u:\b)(?:doi:?[ \t]*)?10\.[0-9]{4,9}/[^\s<>"'`]+|(?-u:\b)(?:pmid|pmcid|pubmed)[ \t:#]*(?:pmc)?[0-9]{5,9}|(?-u:\b)PMC[0-9]{5,9}|(?-u:\b)(?:NCT|ISRCTN|ACTRN|EudraCT[ \t:]*)[0-9][0-9\-]{6,16}"#;

/// A number written in words, from one to one hundred and ninety-nine, for [`AGE_SOURCE`].
macro_rules! number_word {
    () => {
        r"(?:(?:one[ -]hundred(?:[ -]and)?(?:[ -](?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    };
}

/// The source of `ids::CONTEXT_ID`: a context word, then the identifier. Each alternative names
/// its family: `record` (medical record, account, health plan, licence and other numbers),
/// `vehicle` (plates, VINs), `device` (serial and lot numbers); then an optional "number" word.
/// None matches across a line end: it is searched in the lines where its hint matches
/// ([`RECORD_HINT_SOURCE`]).
pub(crate) const CONTEXT_ID_SOURCE: &str = concat!(
    r"(?i)(?-u:\b)(?:(?P<record>",
    r"mrn|medical[ \t]+record|record|chart|account|acct\.?|member(?:[ \t]+id)?|subscriber(?:[ \t]+id)?|policy|group",
    r"|health[ \t]+plan(?:[ \t]+id)?|insurance(?:[ \t]+(?:member[ \t]+)?id)?|beneficiary(?:[ \t]+id)?|medicare|medicaid",
    r"|driver'?s[ \t]+licen[cs]e|licen[cs]e|lic\.|dea|npi|passport|patient[ \t]+id|pt\.?[ \t]+id|case|claim|accession",
    r"|specimen|encounter|visit[ \t]+id|certificate|badge|employee[ \t]+id|student[ \t]+id|id",
    r")|(?P<vehicle>(?:licen[cs]e[ \t]+)?plates?|tag[ \t]+number|vin)",
    r"|(?P<device>serial|s/n|sn|lot|udi|imei|device[ \t]+id|pacemaker[ \t]+id|model[ \t]+number))",
    r"(?:[ \t]+(?:number|num|no\.?|#|id))?",
    r"(?-u:\b)[ \t]*[:#(\[]*[ \t]*(?:is[ \t]+)?(?P<id>(?-i:[A-Z0-9](?:[A-Z0-9]|[-•·. ](?:[A-Z0-9]))*))",
);

/// The source of `dates::MONTH_FIRST`: `March 3`, `Mar. 3rd, 2024`, `Monday, March 3`, `March
/// 2024`.
pub(crate) const MONTH_FIRST_SOURCE: &str = concat!(
    r"(?i)(?-u:\b)(?:",
    weekday!(),
    r"\.?,?\s+(?:the\s+)?)?(?P<month>",
    month!(),
    r")(?-u:\b)\.?,?[ \t]+(?:(?:the[ \t]+)?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?-u:\b)(?:,?[ \t]+(?P<year>(?:19|20)[0-9]{2})(?-u:\b))?|(?:of[ \t]+)?(?P<monthyear>(?:19|20)[0-9]{2})(?-u:\b))",
);

/// The source of `dates::DAY_FIRST`: `3 March 2024`, `the 3rd of March`, `Monday 3rd March`.
pub(crate) const DAY_FIRST_SOURCE: &str = concat!(
    r"(?i)(?-u:\b)(?:",
    weekday!(),
    r"\.?,?\s+)?(?:the[ \t]+)?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?[ \t]+(?:(?:day[ \t]+)?of[ \t]+)?(?P<month>",
    month!(),
    r")(?-u:\b)\.?(?:,?[ \t]+(?P<year>(?:19|20)[0-9]{2})(?-u:\b))?",
);

/// The source of `ages::AGE`: every shape of an exact age, each alternative capturing the age as
/// `n…` (digits) or `w` (words). None matches across a line end: it is searched in the lines
/// where its hint matches ([`AGE_HINT_SOURCE`]).
pub(crate) const AGE_SOURCE: &str = concat!(
    r"(?i)(?-u:\b)(?:",
    // 45-year-old, 45 year old, 45-yr-old, 45 y old, 6-month-old, 3-day-old
    r"(?P<n1>[0-9]{1,3})[ \t]*-?[ \t]*(?P<unit1>years?|yrs?|y|months?|mos?|weeks?|wks?|days?)[ \t]*-?[ \t]*old",
    // seventy-two-year-old, one hundred and two year old
    r"|(?P<w>",
    number_word!(),
    r")[ \t]*-?[ \t]*(?:years?|yrs?)[ \t]*-?[ \t]*old",
    // 45M, 45F, 72yo F
    r"|(?-i:(?P<n5>[0-9]{1,3})(?:[ \t]*(?:yo|y/o|y))?[ \t]?[MF])",
    // 45 yo, 45y/o, 45 y.o., 45yo
    r"|(?P<n2>[0-9]{1,3})[ \t]*-?(?:y/o|y\.o\.?|yo)",
    // 45y, (18 y) — a bare "y" after a number
    r"|(?P<n3>[0-9]{1,3})[ \t]?y",
    // aged 45, age 45, age: 45, at age 45, age of 45
    r"|(?:aged?|age[ \t]*:|age[ \t]+of)[ \t]*(?P<n4>[0-9]{1,3})",
    // she was 93, he is 45, who turned 90
    r"|(?:he|she|they|who|patient|pt)[ \t]+(?:was|is|were|are|turned|turns|had[ \t]+just[ \t]+turned|is[ \t]+now|was[ \t]+only|was[ \t]+just|was[ \t]+barely)[ \t]+(?P<n6>[0-9]{1,3})",
    // died at 94, still sharp at 94
    r"|(?:died|passed[ \t]+away|death|retired|widowed|sharp|alive|independent|active|lucid)[ \t]+at[ \t]+(?:age[ \t]+)?(?P<n8>[0-9]{1,3})",
    // a woman of 92, a man of 101
    r"|(?:man|woman|boy|girl|gentleman|lady|male|female|patient|person|child|grandmother|grandfather|widow|widower|veteran)[ \t]+of[ \t]+(?P<n7>[0-9]{1,3})",
    r")(?-u:\b)"
);

/// USPS street suffixes, full and abbreviated (Publication 28).
macro_rules! street_suffixes {
    () => {
        "Alley|Aly|Annex|Arcade|Avenue|Ave|Av|Bayou|Beach|Bend|Bluff|Bluffs|Bottom|Boulevard|Blvd|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|Byp|Camp|Canyon|Cape|Causeway|Center|Centre|Circle|Cir|Circles|Cliff|Cliffs|Club|Common|Commons|Corner|Corners|Course|Court|Ct|Courts|Cove|Coves|Creek|Crescent|Cres|Crest|Crossing|Xing|Crossroad|Curve|Dale|Dam|Divide|Drive|Dr|Drives|Estate|Estates|Expressway|Expy|Extension|Ext|Extensions|Fall|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|Forest|Forge|Forges|Fork|Forks|Fort|Freeway|Fwy|Garden|Gardens|Gateway|Glen|Glens|Green|Greens|Grove|Groves|Harbor|Harbors|Haven|Heights|Hts|Highway|Hwy|Hill|Hills|Hollow|Inlet|Island|Islands|Isle|Junction|Junctions|Key|Keys|Knoll|Knolls|Lake|Lakes|Landing|Lane|Ln|Light|Lights|Loaf|Lock|Locks|Lodge|Loop|Mall|Manor|Manors|Meadow|Meadows|Mews|Mill|Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval|Overpass|Park|Parks|Parkway|Pkwy|Parkways|Pass|Passage|Path|Pike|Pine|Pines|Place|Pl|Plain|Plains|Plaza|Plz|Point|Points|Port|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|Ridges|River|Road|Rd|Roads|Route|Rte|Row|Rue|Run|Shoal|Shoals|Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Square|Sq|Squares|Station|Stravenue|Stream|Street|St|Streets|Summit|Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|Trl|Trailer|Tunnel|Turnpike|Tpke|Underpass|Union|Unions|Valley|Valleys|Via|Viaduct|View|Views|Village|Villages|Ville|Vista|Walk|Walks|Wall|Way|Ways|Well|Wells"
    };
}

/// The source of `addresses::STREET`: a number, an optional direction, one to four capitalised
/// words or ordinals, a street suffix and an optional unit.
pub(crate) const STREET_SOURCE: &str = concat!(
    r"(?-u:\b)[0-9]{1,6}[A-Za-z]?[ \t]+(?:(?:[NSEW]\.?|North|South|East|West|NORTH|SOUTH|EAST|WEST)[ \t]+)?(?:(?:[A-Z][A-Za-z'\-]*|[0-9]{1,3}(?:st|nd|rd|th))\.?[ \t]+){1,4}(?i:",
    street_suffixes!(),
    r")(?-u:\b)\.?(?:,?[ \t]+(?i:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Floor|Fl|Bldg|Building|Lot|Space|#)\.?[ \t]*#?[ \t]*[A-Za-z0-9\-]+)?"
);

// The rare patterns: those that match nothing in most documents (ages over 89, pagers, IPv6,
// ZIP codes, PO boxes, slurs, laughter, mocking and stigmatizing labels). The second scan
// finds the lines where any of them matches, as one pattern ([`RARE_PATTERNS_SOURCE`]); each
// is searched only there. Each is a macro so that the scan's pattern is made of their very
// sources.
macro_rules! nineties {
    () => {
        r"(?i)(?-u:\b)(?:in[ \t]+(?:his|her|their)[ \t]+(?:late[ \t]+|early[ \t]+|mid[ \t-]*)?(?:9[0-9]'?s|1[0-9]{2}'?s|nineties|hundreds)|nonagenarian|centenarian|supercentenarian)(?-u:\b)"
    };
}
macro_rules! pager {
    () => {
        r"(?i)(?-u:\b)(?:pager|beeper|bleep|pg|ext\.?|extension)(?:[ \t]+(?:number|no\.?|num))?[ \t]*[:#]?[ \t]*#?(?P<n>[0-9]{4,6})(?-u:\b)"
    };
}
macro_rules! ipv6 {
    () => {
        r"(?i)(?-u:\b)(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?-u:\b)|(?-u:\b)(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?"
    };
}
/// The US states, DC and the territories with ZIP codes, by name and by postal abbreviation.
macro_rules! us_states {
    () => {
        "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
    };
}
macro_rules! zip {
    () => {
        concat!(
            r"(?-u:\b)(?:(?:",
            us_states!(),
            r"),?[ \t]+(?P<zip1>[0-9]{5}(?:-[0-9]{4})?)|(?i:zip|zip[ \t]+code|zipcode|postal[ \t]+code)[ \t:#]*(?P<zip2>[0-9]{5}(?:-[0-9]{4})?)|(?P<zip4>[0-9]{5}-[0-9]{4}))(?-u:\b)"
        )
    };
}
macro_rules! po_box {
    () => {
        r"(?i)(?-u:\b)(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box)[ \t]+[0-9A-Z\-]+"
    };
}
macro_rules! slurs {
    () => {
        r"(?i)(?-u:\b)(?:gomers?|gorks?|gorked|shpos|dirtballs?|scumbags?|frequent[ -]fl(?:y|i)ers?|train[ -]?wrecks?|status dramaticus|lolinad|crocks?|white trash|trailer trash|hillbill(?:y|ies)|retards?|retarded|lunatics?|psychos?|nut ?jobs?|nut ?cases?|weirdos?|losers?|drama queens?|whiners?|beached whales?|whales?|fatsos?|fatties|lard ?ass(?:es)?|hippos?|dinosaurs?|vegetables?|veggies?|turkeys?|freaks?|wackos?|wack ?jobs?|bed ?blockers?|bounce[ -]?backs?|fluffy|hypochondriacs?|malingerers?|fakers?)(?-u:\b)"
    };
}
macro_rules! laughter {
    () => {
        r"(?i)(?:(?-u:\b)(?:lol|lmao|lmfao|rofl|haha(?:ha)*|hehe|smh|omg|wtf)(?-u:\b)|[\u{1F602}\u{1F923}\u{1F644}\u{1F92A}\u{1F4A9}])"
    };
}
macro_rules! mocking {
    () => {
        r"(?i)(?-u:\b)(?:stank|stunk|reeked|pooped|farted|farts?|peed (?:him|her|them)self|ate (?:like a pig|everything)|too fat|so fat|fat (?:ass|slob|guy|lady|man|woman))(?-u:\b)"
    };
}
/// Each stigmatizing label of `language::LABELS`, in its order, as the group `l0`, `l1`, ….
macro_rules! labels {
    () => {
        concat!(
            r"(?i)(?-u:\b)(?:",
            r"(?P<l0>(?:drug |substance |heroin |opioid |opiate |meth |cocaine |alcohol )?addicts)",
            r"|(?P<l1>(?:an? |the )(?:drug |substance |heroin |opioid |opiate |meth |cocaine |alcohol )?addict)",
            r"|(?P<l2>(?:drug|substance) abusers?)",
            r"|(?P<l3>junkies?|crackheads?|druggies?|dope ?fiends?|tweakers?|pillheads?|potheads?|drunks?|boozers?)",
            r"|(?P<l4>(?:substance|drug|alcohol|opioid|opiate|cocaine|heroin|polysubstance|prescription drug|IV drug|intravenous drug) abuse)",
            r"|(?P<l5>(?:an? |the )alcoholics?|alcoholics)",
            r"|(?P<l6>(?:an? |the )diabetic|diabetics)",
            r"|(?P<l7>(?:an? |the )(?:epileptic|schizophrenic|asthmatic|psychotic|anorexic|bulimic|hemophiliac|paraplegic|quadriplegic)|(?:epileptics|schizophrenics|asthmatics|anorexics|bulimics|hemophiliacs|paraplegics|quadriplegics))",
            r"|(?P<l8>the mentally ill|the disabled|the handicapped)",
            r"|(?P<l9>(?:an? )?(?:morbidly |severely )?obese (?:patient|woman|man|person|girl|boy|child|lady|gentleman|female|male|individual|people|patients|adult|adults))",
            r"|(?P<l10>non-?complian(?:t|ce))",
            r"|(?P<l11>drug[ -]seek(?:ing|ers?))",
            r"|(?P<l12>suffer(?:s|ed|ing)? from|afflicted (?:with|by)|stricken with)",
            r"|(?P<l13>(?:wheelchair[ -]bound|confined to a wheelchair))",
            r"|(?P<l14>(?:mentally retarded|mental retardation))",
            r"|(?P<l15>sicklers?)",
            r"|(?P<l16>(?:dirty|clean) (?:urine|tox|drug screen|UDS))",
            r"|(?P<l17>(?:he|she|they|patient|pt) (?:claims|claimed|insists|insisted))",
            r")(?-u:\b)"
        )
    };
}

/// The source of `ages::NINETIES`.
pub(crate) const NINETIES_SOURCE: &str = nineties!();

/// The source of `contacts::PAGER`.
pub(crate) const PAGER_SOURCE: &str = pager!();

/// The source of `contacts::IPV6`.
pub(crate) const IPV6_SOURCE: &str = ipv6!();

/// The source of `addresses::ZIP`.
pub(crate) const ZIP_SOURCE: &str = zip!();

/// The source of `addresses::PO_BOX`.
pub(crate) const PO_BOX_SOURCE: &str = po_box!();

/// The source of `language::SLURS`.
pub(crate) const SLURS_SOURCE: &str = slurs!();

/// The source of `language::LAUGHTER`.
pub(crate) const LAUGHTER_SOURCE: &str = laughter!();

/// The source of `language::MOCKING`.
pub(crate) const MOCKING_SOURCE: &str = mocking!();

/// The source of `language::LABEL_PATTERN`.
pub(crate) const LABEL_SOURCE: &str = labels!();

/// Where any of the rare patterns matches: the lines where it does hold all their matches.
pub(crate) const RARE_PATTERNS_SOURCE: &str = concat!(
    "(?:",
    nineties!(),
    ")",
    "|(?:",
    pager!(),
    ")",
    "|(?:",
    ipv6!(),
    ")",
    "|(?:",
    zip!(),
    ")",
    "|(?:",
    po_box!(),
    ")",
    "|(?:",
    slurs!(),
    ")",
    "|(?:",
    laughter!(),
    ")",
    "|(?:",
    mocking!(),
    ")",
    "|(?:",
    labels!(),
    ")"
);

/// The patterns whose automata `build.rs` makes ahead of time, as it does the line scans' (see
/// `Pattern::prebuilt`): compiling them and building their states while checking was 13% of
/// the work of checking a megabyte of nursing notes. They are those searched in the lines the
/// scans find, without a literal prefilter; each is a static of its rule's module made with
/// `Pattern::prebuilt`. The last six have groups, which are read from each match found.
pub(crate) const PREBUILT_SOURCES: [&str; 33] = [
    STREET_SOURCE, URL_SOURCE, CITATION_SOURCE, VIN_SOURCE, CODE_SOURCE, SSN_SOURCE, PHONE_NANP_SOURCE,
    PHONE_LOCAL_SOURCE, IPV4_SOURCE, IPV6_SOURCE, POSTCODE_SOURCE, INSULTS_SOURCE, SHOUTING_SOURCE, INITIALS_SOURCE,
    NINETIES_SOURCE, SLURS_SOURCE, LAUGHTER_SOURCE, MOCKING_SOURCE, TIME_SOURCE, PLACE_SOURCE, ROLE_SOURCE,
    RARE_SOURCE, EVENT_SOURCE, GENDER_SOURCE, AGE_SOURCE, LABEL_SOURCE, ZIP_SOURCE, PAGER_SOURCE,
    BARE_ORDINAL_DAY_SOURCE, NUMERIC_SOURCE, CONTEXT_ID_SOURCE, MONTH_FIRST_SOURCE, DAY_FIRST_SOURCE,
];
