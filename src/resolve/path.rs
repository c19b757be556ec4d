//! Object paths used in findings, baselines and suppressions (`domains[d].clusters[c]`).
//!
//! Users commit these strings in baselines: a change to a format is a breaking change.

pub fn site(s: &str) -> String {
    format!("sites[{s}]")
}
pub fn cluster(domain: &str, cluster: &str) -> String {
    format!("domains[{domain}].clusters[{cluster}]")
}
pub fn ohs(o: &str) -> String {
    format!("ohs[{o}]")
}
pub fn database(d: &str) -> String {
    format!("databases[{d}]")
}
pub fn data_guard(g: &str) -> String {
    format!("data_guard[{g}]")
}
pub fn named(list: &str, name: &str) -> String {
    format!("{list}[{name}]")
}
