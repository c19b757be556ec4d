//! Every rule, in code order.

use std::sync::LazyLock;

use super::{
    Rule, aws, clients, cman, coherence, database, frontend, gds, goldengate, resilience, weblogic,
};

/// The areas in the order their codes are listed; each area lists its rules in code order
/// (`area_rules!` in its `mod.rs`).
static AREAS: &[&[&Rule]] = &[
    frontend::RULES,
    weblogic::RULES,
    coherence::RULES,
    database::RULES,
    goldengate::RULES,
    gds::RULES,
    clients::RULES,
    cman::RULES,
    aws::RULES,
    resilience::RULES,
];

static ALL: LazyLock<Vec<&'static Rule>> =
    LazyLock::new(|| AREAS.iter().flat_map(|area| area.iter().copied()).collect());

/// Suppression bookkeeping codes (MAA001 unused, MAA002 expired, MAA003 no reason): documented
/// like rules and accepted by selectors, but reported by the suppression pass, not by a check.
static META: &[&Rule] = &[&MAA001, &MAA002, &MAA003];

static MAA001: Rule = Rule::new(include_str!("../../rules/MAA001.yaml"), no_check);
static MAA002: Rule = Rule::new(include_str!("../../rules/MAA002.yaml"), no_check);
static MAA003: Rule = Rule::new(include_str!("../../rules/MAA003.yaml"), no_check);

fn no_check(_: &mut super::Ctx<'_>) {}

/// All rules that check topologies.
pub fn all() -> &'static [&'static Rule] {
    &ALL
}

/// The suppression bookkeeping codes.
pub fn meta() -> &'static [&'static Rule] {
    META
}

/// Every documented code: the checks, then the suppression codes.
pub fn catalogue() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().chain(META.iter()).copied()
}

/// Finds a rule by code, name or former name (case-insensitive for codes).
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().chain(META.iter()).copied().find(|r| {
        let d = r.doc();
        d.code.eq_ignore_ascii_case(id) || d.name == id || d.aliases.iter().any(|a| a == id)
    })
}

#[cfg(test)]
mod tests {
    use super::AREAS;

    /// The number of a code (`WLS012` → 12).
    fn number(code: &str) -> u32 {
        code.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap_or(0)
    }

    #[test]
    fn each_area_lists_its_rules_in_code_order() {
        for area in AREAS {
            let codes: Vec<(String, u32)> = area
                .iter()
                .map(|r| {
                    let c = &r.doc().code;
                    (
                        c.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned(),
                        number(c),
                    )
                })
                .collect();
            for w in codes.windows(2) {
                assert!(
                    w[0].0 != w[1].0 || w[0].1 < w[1].1,
                    "{}{:03} is listed before {}{:03}",
                    w[0].0,
                    w[0].1,
                    w[1].0,
                    w[1].1
                );
            }
        }
    }
}
