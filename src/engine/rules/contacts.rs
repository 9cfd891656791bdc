//! Contact details: `phi/phone` (telephone and fax), `phi/email`, `phi/url`, `phi/ip`, `phi/social`.
//!
//! Spell-checkers skip e-mails and URLs; here they are exactly what we look for. Links to
//! reference sites (journals, PubMed, public-health agencies) are not about a patient and are
//! left alone; links to social media and fundraising pages are errors; other links are warnings
//! to check.

use crate::engine::rules::scans::{
    CITATION_SOURCE, IPV4_SOURCE, IPV6_SOURCE, PAGER_SOURCE, PHONE_LOCAL_SOURCE, PHONE_NANP_SOURCE, URL_SOURCE,
};
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Pattern};

use crate::engine::finding::{Finding, Severity};
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{char_at, char_before, context_before, is_word_char};
use crate::engine::Context;

/// North American numbers: `(555) 123-4567`, `555.123.4567`, `+1 555 123 4567`, `5551234567`.
static PHONE_NANP: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(PHONE_NANP_SOURCE));

/// International numbers written with a leading `+`: `+44 20 7946 0958`, `+33 (0)1 23 45 67 89`.
static PHONE_INTL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::with_prefilter(r"\+[0-9]{1,3}(?:[ \t.-]?\(?[0-9]{1,5}\)?){2,6}").expect("international phone")
});

/// Pager and extension numbers: `Pager #54321`, `beeper number 55037`, `ext. 4410`.
static PAGER: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(PAGER_SOURCE));

/// Seven-digit local numbers (`555-1234`) need a phone word nearby.
static PHONE_LOCAL: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(PHONE_LOCAL_SOURCE));

static EMAIL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::with_prefilter(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
        .expect("email pattern")
});

/// `https://...`, `www.example.com/...`, and bare `example.com/path`.
static URL: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(URL_SOURCE));

static IPV4: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(IPV4_SOURCE));

static IPV6: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(IPV6_SOURCE));

static HANDLE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::with_prefilter(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?").expect("handle pattern")
});

const PHONE_CONTEXT: &[&str] = &[
    "call", "called", "phone", "tel", "telephone", "cell", "mobile", "fax", "pager", "page", "text", "texted", "reach",
    "reached", "contact", "ph", "ring", "dial", "whatsapp", "hotline",
];

/// Hosts whose pages belong to a person: an address there points at someone.
const PERSONAL_HOSTS: &[&str] = &[
    "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "tiktok.com", "linkedin.com", "youtube.com",
    "youtu.be", "gofundme.com", "caringbridge.org", "reddit.com", "snapchat.com", "pinterest.com", "threads.net",
    "bsky.app", "venmo.com", "paypal.me", "cash.app", "patreon.com", "tumblr.com", "wa.me", "t.me", "discord.gg",
    "flickr.com", "vimeo.com", "givesendgo.com", "fundly.com", "spotfund.com", "mealtrain.com",
    "lotsahelpinghands.com", "legacy.com", "findagrave.com", "obituaries.com", "tributes.com", "ancestry.com",
    "nextdoor.com", "substack.com",
];

/// Public reference sites: linking to them says nothing about a patient.
const REFERENCE_HOSTS: &[&str] = &[
    "doi.org", "dx.doi.org", "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "nih.gov", "cdc.gov", "who.int", "fda.gov",
    "cms.gov", "hhs.gov", "clinicaltrials.gov", "medlineplus.gov", "nejm.org", "thelancet.com", "jamanetwork.com",
    "bmj.com", "nature.com", "sciencedirect.com", "springer.com", "link.springer.com", "wiley.com",
    "onlinelibrary.wiley.com", "cochranelibrary.com", "wikipedia.org", "uptodate.com", "ama-assn.org", "acponline.org",
    "acpjournals.org", "ahajournals.org", "acc.org", "nice.org.uk", "nhs.uk", "gov.uk", "aafp.org", "aap.org",
    "who.org", "medscape.com", "annals.org", "plos.org", "journals.plos.org", "biorxiv.org", "medrxiv.org",
    "arxiv.org", "europepmc.org", "scholar.google.com", "mayoclinic.org", "heart.org", "cancer.gov", "cancer.org",
    "diabetes.org", "fsmb.org", "aamc.org", "jwatch.org", "nccn.org", "idsociety.org", "thoracic.org",
];

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let text = ctx.text;
    emails(text, out);
    urls(text, gates, out);
    phones(text, gates, out);
    ips(text, gates, out);
    handles(text, out);
}

/// DOIs and PubMed/trial registry numbers in citations: `doi:10.1056/NEJMoa2034577`, `PMID 12345678`.
static CITATION_ID: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(CITATION_SOURCE));

/// Spans that cite public literature — reference links, DOIs, PubMed and trial registry numbers.
/// Numbers and dates inside them are about a publication, not a patient. `gates` are those of
/// the detectors, for the same text.
pub(crate) fn reference_spans(text: &str, gates: &Gates) -> Vec<std::ops::Range<usize>> {
    let mut spans: Vec<_> = in_lines(&CITATION_ID, text, gates.lines(Lined::Citation))
        .map(|m| m.range())
        .collect();
    for m in in_lines(&URL, text, gates.lines(Lined::Url)) {
        let host = host_of(m.as_str());
        if REFERENCE_HOSTS.iter().any(|h| host_matches(&host, h)) {
            spans.push(m.range());
        }
    }
    spans
}

fn redact(rule: Rule, span: std::ops::Range<usize>, message: impl Into<std::borrow::Cow<'static, str>>) -> Finding {
    Finding::new(rule, span, message)
}

/// Whether `text` holds `byte`, which every match of a pattern holds: without it the pattern is
/// not searched, nor compiled (most documents have no `@` or `+`, and compiling the three
/// patterns that need one was a tenth of the check of a short document).
fn holds(text: &str, byte: u8) -> bool {
    memchr::memchr(byte, text.as_bytes()).is_some()
}

fn emails(text: &str, out: &mut Vec<Finding>) {
    if !holds(text, b'@') {
        return;
    }
    for m in EMAIL.find_iter(text) {
        out.push(redact(
            Rule::Email,
            m.range(),
            "Email address: it identifies a person directly (HIPAA Safe Harbor). Remove it or replace it with [redacted].",
        ));
    }
}

fn urls(text: &str, gates: &Gates, out: &mut Vec<Finding>) {
    for m in in_lines(&URL, text, gates.lines(Lined::Url)) {
        let trimmed = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '*', '_']);
        if trimmed.is_empty() || char_before(text, m.start()) == Some('@') {
            continue;
        }
        let span = m.start()..m.start() + trimmed.len();
        let host = host_of(trimmed);
        if REFERENCE_HOSTS.iter().any(|h| host_matches(&host, h)) {
            continue;
        }
        let finding = if PERSONAL_HOSTS.iter().any(|h| host_matches(&host, h)) {
            redact(
                Rule::Url,
                span,
                "Link to a personal page (social media or fundraiser): it leads straight to the patient or family. Remove the link.",
            )
        } else {
            redact(
                Rule::Url,
                span,
                "Web address: if it leads to a patient's or relative's own page it identifies them. Check the link, and remove it unless it is a public reference.",
            )
            .with_severity(Severity::Warning)
        };
        out.push(finding);
    }
}

/// The lower-cased host of a URL, without scheme, `www.` or port.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    host.trim_start_matches("www.").to_ascii_lowercase()
}

fn host_matches(host: &str, known: &str) -> bool {
    host.strip_suffix(known)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// A match counts only if it is not glued to letters or digits on either side: a letter or digit
/// beside the match's own first or last letter or digit would make one longer token of them, and
/// a `/` makes it part of a path. A match that starts with `(` or `+` starts a number of its own,
/// so in `4477(555) 201-4477` the second number is one too.
fn standalone(text: &str, span: &std::ops::Range<usize>) -> bool {
    let glued = |beside: Option<char>, edge: Option<char>| {
        beside.is_some_and(|c| {
            c == '/' || is_word_char(c) && c.is_ascii_alphanumeric() && edge.is_some_and(|e| e.is_ascii_alphanumeric())
        })
    };
    !glued(char_before(text, span.start), char_at(text, span.start))
        && !glued(char_at(text, span.end), char_before(text, span.end))
}

fn phones(text: &str, gates: &Gates, out: &mut Vec<Finding>) {
    let phone_finding = |span: std::ops::Range<usize>| {
        let fax = context_before(text, span.start, 25, &["fax", "facsimile"]);
        let what = if fax { "Fax number" } else { "Phone number" };
        redact(
            Rule::Phone,
            span,
            format!(
                "{what}: it identifies a person directly (HIPAA Safe Harbor). Remove it or replace it with [redacted]."
            ),
        )
    };
    for m in in_lines(&PHONE_NANP, text, gates.lines(Lined::PhoneNanp)) {
        let span = m.range();
        if !standalone(text, &span) {
            continue;
        }
        // Ten bare digits are as likely an account number; without a phone word, leave them to
        // the identifier rule, which reports long numbers too.
        let has_separators = m.as_str().contains(|c: char| !c.is_ascii_digit());
        if has_separators || context_before(text, span.start, 30, PHONE_CONTEXT) {
            out.push(phone_finding(span));
        }
    }
    for m in holds(text, b'+')
        .then(|| PHONE_INTL.find_iter(text))
        .into_iter()
        .flatten()
    {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let span = m.start()..m.as_str().trim_end_matches([' ', '\t', '.', '-']).len() + m.start();
        if (8..=15).contains(&digits) && standalone(text, &span) {
            out.push(phone_finding(span));
        }
    }
    for caps in captures_in_lines(&PAGER, text, gates.lines(Lined::RarePatterns)) {
        if let Some(n) = caps.name("n") {
            out.push(phone_finding(n.range()));
        }
    }
    for m in in_lines(&PHONE_LOCAL, text, gates.lines(Lined::PhoneLocal)) {
        if context_before(text, m.start(), 25, PHONE_CONTEXT) && standalone(text, &m.range()) {
            out.push(phone_finding(m.range()));
        }
    }
}

fn ips(text: &str, gates: &Gates, out: &mut Vec<Finding>) {
    let message = "IP address: it can be traced to the patient's device or home (HIPAA Safe Harbor). Remove it.";
    for m in in_lines(&IPV4, text, gates.lines(Lined::Ipv4)) {
        let octets_valid = m.as_str().split('.').all(|o| o.parse::<u16>().is_ok_and(|v| v <= 255));
        let dotted_on =
            char_at(text, m.end()) == Some('.') && char_at(text, m.end() + 1).is_some_and(|c| c.is_ascii_digit());
        if octets_valid && !dotted_on && !context_before(text, m.start(), 12, &["version", "v", "ver"]) {
            out.push(redact(Rule::Ip, m.range(), message));
        }
    }
    for m in in_lines(&IPV6, text, gates.lines(Lined::RarePatterns)) {
        let s = m.as_str();
        let groups = s.split(':').filter(|g| !g.is_empty()).count();
        let has_digit = s.contains(|c: char| c.is_ascii_digit());
        let has_hex_letter = s.contains(|c: char| c.is_ascii_alphabetic());
        // Times (12:30:45) have few groups and no letters.
        if has_digit && (groups >= 4 || has_hex_letter && groups >= 2 && s.contains("::")) {
            out.push(redact(Rule::Ip, m.range(), message));
        }
    }
}

fn handles(text: &str, out: &mut Vec<Finding>) {
    if !holds(text, b'@') {
        return;
    }
    for m in HANDLE.find_iter(text) {
        let glued = char_before(text, m.start()).is_some_and(|c| is_word_char(c) || matches!(c, '.' | '_' | '-' | '@'));
        let name = &m.as_str()[1..];
        let followed_by_domain = char_at(text, m.end()) == Some('@');
        // Handles start with a letter or underscore and run to three characters or more; `@2nd`
        // and `@33CC` are shorthand for "at".
        let shaped = name.len() >= 3 && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        if glued || followed_by_domain || !shaped {
            continue;
        }
        out.push(redact(
            Rule::Social,
            m.range(),
            "Social media handle: it leads straight to a person's account. Remove it or replace it with [redacted].",
        ));
    }
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&PHONE_NANP);
    std::sync::LazyLock::force(&PHONE_INTL);
    std::sync::LazyLock::force(&PAGER);
    std::sync::LazyLock::force(&PHONE_LOCAL);
    std::sync::LazyLock::force(&EMAIL);
    std::sync::LazyLock::force(&URL);
    std::sync::LazyLock::force(&IPV4);
    std::sync::LazyLock::force(&IPV6);
    std::sync::LazyLock::force(&HANDLE);
    std::sync::LazyLock::force(&CITATION_ID);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule};

    fn found(text: &str) -> Vec<(Rule, String)> {
        Checker::default()
            .check(text, Format::PlainText)
            .into_iter()
            .map(|f| (f.rule, text[f.span].to_string()))
            .collect()
    }

    #[test]
    fn finds_contact_details() {
        for (text, rule, expected) in [
            ("call 779-825-3556.", Rule::Phone, "779-825-3556"),
            ("from (640) 469-9390 today", Rule::Phone, "(640) 469-9390"),
            ("cell#2(640) 469-9390", Rule::Phone, "(640) 469-9390"),
            ("texted from 364.927.3765.", Rule::Phone, "364.927.3765"),
            ("DM me or call +1 447 634 0942.", Rule::Phone, "+1 447 634 0942"),
            ("the office: +44 20 7946 0958", Rule::Phone, "+44 20 7946 0958"),
            ("Fax: 555-123-4567", Rule::Phone, "555-123-4567"),
            ("call 555-1234 now", Rule::Phone, "555-1234"),
            ("tel:5551234567", Rule::Phone, "5551234567"),
            ("Pager: #54321  Time", Rule::Phone, "54321"),
            ("reached at beeper number 55037 for", Rule::Phone, "55037"),
            ("Reach her at anna77@example.com.", Rule::Email, "anna77@example.com"),
            (
                "see https://www.gofundme.com/f/help-joseph.",
                Rule::Url,
                "https://www.gofundme.com/f/help-joseph",
            ),
            (
                "via www.facebook.com/herrerabenjamin.",
                Rule::Url,
                "www.facebook.com/herrerabenjamin",
            ),
            (
                "at wilson.com/williamorozco today",
                Rule::Url,
                "wilson.com/williamorozco",
            ),
            ("from IP address 181.53.128.228 every", Rule::Ip, "181.53.128.228"),
            (
                "from 2001:db8:85a3::8a2e:370:7334 too",
                Rule::Ip,
                "2001:db8:85a3::8a2e:370:7334",
            ),
            ("and tagged @mclaughlinjason.", Rule::Social, "@mclaughlinjason"),
        ] {
            assert_eq!(found(text), vec![(rule, expected.to_string())], "in {text:?}");
        }
    }

    #[test]
    fn numbers_written_one_after_another_are_each_found() {
        // Found by the fix-all property: the second number was found only once the first was
        // replaced, so five in a row outlasted fix-all's passes.
        let phone = ("(555) 201-4477", Rule::Phone);
        let text = "(555) 201-4477(555) 201-4477(555) 201-4477";
        let expected: Vec<(Rule, String)> = (0..3).map(|_| (phone.1, phone.0.to_string())).collect();
        assert_eq!(found(text), expected);
        // A digit glued to a number's own digit still makes it part of a longer one.
        assert!(found("ref 91555-201-4477").iter().all(|(rule, _)| *rule != Rule::Phone));
    }

    #[test]
    fn leaves_references_and_clinical_numbers_alone() {
        for text in [
            "See https://doi.org/10.1056/NEJMoa2034577 for the trial.",
            "PubMed: https://pubmed.ncbi.nlm.nih.gov/12345678/",
            "Troponin 0.04 at 12:30:45, BP 120/80",
            "Meet @ 5 pm",
            "stool loose @nd rectal bag, infusion @33CC/HR",
            "Dose 1.5 mg q.i.d.",
            "version 1.2.3.4 of the app",
            "Published as doi:10.1056/NEJMoa2034577 (PMID 33301246), NCT04368728.",
            "https://www.ncbi.nlm.nih.gov/pmc/articles/2020/03/03/PMC7151291",
        ] {
            assert_eq!(found(text), Vec::new(), "in {text:?}");
        }
    }

    #[test]
    fn other_links_are_warnings_personal_pages_errors() {
        let f = Checker::default().check(
            "https://example.com/jane and https://facebook.com/jane",
            Format::PlainText,
        );
        assert_eq!(f[0].severity, crate::engine::Severity::Warning);
        assert_eq!(f[1].severity, crate::engine::Severity::Error);
    }
}
