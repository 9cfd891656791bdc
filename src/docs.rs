//! The rule pages of `docs/rules/`, compiled in: shown on hover in the editor and by
//! `scrubs rule CODE`, so they are there without a network or a source checkout.

use crate::engine::Rule;

/// The documentation page of `rule` (Markdown).
pub fn page(rule: Rule) -> &'static str {
    match rule {
        Rule::Date => include_str!("../docs/rules/phi-date.md"),
        Rule::Age => include_str!("../docs/rules/phi-age.md"),
        Rule::Phone => include_str!("../docs/rules/phi-phone.md"),
        Rule::Email => include_str!("../docs/rules/phi-email.md"),
        Rule::Url => include_str!("../docs/rules/phi-url.md"),
        Rule::Ip => include_str!("../docs/rules/phi-ip.md"),
        Rule::Social => include_str!("../docs/rules/phi-social.md"),
        Rule::Ssn => include_str!("../docs/rules/phi-ssn.md"),
        Rule::Id => include_str!("../docs/rules/phi-id.md"),
        Rule::Vehicle => include_str!("../docs/rules/phi-vehicle.md"),
        Rule::Device => include_str!("../docs/rules/phi-device.md"),
        Rule::Zip => include_str!("../docs/rules/phi-zip.md"),
        Rule::Address => include_str!("../docs/rules/phi-address.md"),
        Rule::Name => include_str!("../docs/rules/phi-name.md"),
        Rule::Location => include_str!("../docs/rules/phi-location.md"),
        Rule::Photo => include_str!("../docs/rules/phi-photo.md"),
        Rule::QuasiCombination => include_str!("../docs/rules/quasi-combination.md"),
        Rule::Derogatory => include_str!("../docs/rules/lang-derogatory.md"),
        Rule::Stigmatizing => include_str!("../docs/rules/lang-stigmatizing.md"),
    }
}

/// The file name of `rule`'s page in `docs/rules/`.
pub fn file_name(rule: Rule) -> String {
    format!("{}.md", rule.code().replace('/', "-"))
}

/// The page without its settings section: what an editor shows on hover.
pub fn summary(rule: Rule) -> &'static str {
    let page = page(rule);
    page.find("\n## Settings").map_or(page, |end| &page[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_page_with_the_four_sections() {
        for &rule in Rule::ALL {
            let page = page(rule);
            assert!(page.starts_with(&format!("# `{}`", rule.code())), "{}", rule.code());
            for section in [
                "## What it flags", "## Why it matters", "## Examples", "## Fixes", "## Settings",
            ] {
                assert!(page.contains(section), "{} lacks {section}", rule.code());
            }
            assert!(!summary(rule).contains("## Settings"));
        }
    }

    #[test]
    fn the_index_lists_every_page() {
        let index = include_str!("../docs/rules/README.md");
        for &rule in Rule::ALL {
            assert!(
                index.contains(&file_name(rule)),
                "{} missing from docs/rules/README.md",
                rule.code()
            );
        }
    }
}
