//! Path globs (`*`, `**`, `?`) as anchored regexes, and the dates of suppression expiry.

use regex::Regex;

/// `**/` any directories, `**` anything, `*` anything but `/`, `?` one character but `/`.
pub fn to_regex(glob: &str) -> Result<Regex, String> {
    if glob.is_empty() {
        return Err("empty glob".into());
    }
    let mut re = String::from("^(?:\\./)?");
    let chars: Vec<char> = glob.trim_start_matches("./").chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    re.push_str("(?:.*/)?");
                    i += 3;
                } else {
                    re.push_str(".*");
                    i += 2;
                }
                continue;
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' | ']' | '{' | '}' => {
                return Err(format!("`{c}` is not supported; use `*`, `**` and `?`"));
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    Regex::new(&re).map_err(|e| e.to_string())
}

/// `*` and `?` wildcards over any characters (object paths contain `/` rarely, `[` often).
/// `None` only if the regex engine refuses the (fully escaped) pattern, e.g. for size.
pub fn to_regex_simple(pattern: &str) -> Option<Regex> {
    let mut re = String::from("^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).ok()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), if valid.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut it = text.split('-');
    let (y, m, d) = (
        it.next()?.parse::<i64>().ok()?,
        it.next()?.parse::<i64>().ok()?,
        it.next()?.parse::<i64>().ok()?,
    );
    if it.next().is_some() || text.len() != 10 || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > *dim.get(usize::try_from(m - 1).ok()?)? {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today, as days since the epoch. `MAA_TODAY=YYYY-MM-DD` overrides the clock (tests, CI replays).
pub fn today() -> i64 {
    if let Some(d) = std::env::var("MAA_TODAY").ok().and_then(|t| parse_date(&t)) {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs / 86_400).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = to_regex("topologies/**/*.yaml").unwrap();
        assert!(g.is_match("topologies/a.yaml"));
        assert!(g.is_match("topologies/x/y/a.yaml"));
        assert!(!g.is_match("other/a.yaml"));
        let g = to_regex("*.yaml").unwrap();
        assert!(g.is_match("a.yaml") && g.is_match("./a.yaml") && !g.is_match("d/a.yaml"));
        assert!(to_regex("a[b]").is_err());
        assert!(
            to_regex_simple("domains[*].clusters[c?]")
                .unwrap()
                .is_match("domains[d].clusters[c1]")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("23-1-1"), None);
    }
}
