//! Path globs (globset: `*`, `**`, `?`, `[ab]`, `{a,b}`), object patterns, and the dates of
//! suppression expiry.

use globset::{GlobBuilder, GlobMatcher};
use regex::Regex;

/// A compiled path glob, matched against `/`-separated paths relative to the config file.
#[derive(Debug, Clone)]
pub struct PathGlob(GlobMatcher);

impl PathGlob {
    /// Compiles a glob. `*`, `?` and `[ab]` never match `/` (`[!ab]` may); `**` is a whole
    /// path component (`**/x`, `x/**`, `x/**/y`) matching any number of directories; `{a,b}`
    /// is either; a backslash escapes the next character. A leading `./` is ignored.
    pub fn new(glob: &str) -> Result<Self, String> {
        let glob = glob.trim_start_matches("./");
        if glob.is_empty() {
            return Err("empty glob".into());
        }
        // globset reads `a**` as `a*`; before globset, maa read it as "anything, `/` too".
        // Neither is what a reader guesses, so say it instead of silently matching less.
        if glob.split('/').any(|c| c.contains("**") && c != "**") {
            return Err(
                "`**` must be a whole path component, as in `**/*.yaml` or `labs/**`".into(),
            );
        }
        GlobBuilder::new(glob)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map(|g| PathGlob(g.compile_matcher()))
            .map_err(|e| e.kind().to_string())
    }

    /// Whether a `/`-separated path (a leading `./` ignored) matches.
    pub fn is_match(&self, path: &str) -> bool {
        self.0.is_match(path.strip_prefix("./").unwrap_or(path))
    }
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

    /// The hand-written translation maa used before globset: the oracle for old patterns.
    fn old_glob(glob: &str) -> Option<Regex> {
        let mut re = String::from("^(?:\\./)?");
        let chars: Vec<char> = glob.trim_start_matches("./").chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let slash = chars.get(i + 2) == Some(&'/');
                    re.push_str(if slash { "(?:.*/)?" } else { ".*" });
                    i += if slash { 3 } else { 2 };
                    continue;
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                '[' | ']' | '{' | '}' => return None,
                c => re.push_str(&regex::escape(&c.to_string())),
            }
            i += 1;
        }
        re.push('$');
        Regex::new(&re).ok()
    }

    const PATHS: &[&str] = &[
        "a.yaml",
        "./a.yaml",
        "b-dev.yaml",
        "./b-dev.yaml",
        "labs/a.yaml",
        "labs/x/y/a.yaml",
        "./labs/a-dev.yaml",
        "legacy/old.yaml",
        "legacy/deep/old.yaml",
        "topologies/a.yaml",
        "topologies/batch-1.yaml",
        "topologies/x/batch-2.yaml",
        "topologies/x/y/a.yaml",
        "other/a.yaml",
        "other/topologies/a.yaml",
        "/abs/labs/a.yaml",
        "/tmp/t/topologies/batch-1.yaml",
        "a.yml",
        ".hidden.yaml",
        "labs/.hidden.yaml",
        "a?c.yaml",
        "abc.yaml",
        "a/c.yaml",
        "dir.v2/a.yaml",
        "weird (1)/a+b.yaml",
    ];

    /// Every glob in docs/configuration.md and tests/, and the shapes the old docs described
    /// (`*`, `**`, `?`), match exactly what they matched before globset.
    #[test]
    fn old_patterns_keep_their_meaning() {
        let globs = [
            "labs/**",
            "*-dev.yaml",
            "topologies/batch-*.yaml",
            "legacy/**",
            "topologies/**/*.yaml",
            "*.yaml",
            "./*.yaml",
            "**",
            "**/*.yaml",
            "**/batch-?.yaml",
            "a?c.yaml",
            "a.yaml",
            "labs/*",
            "labs/**/a.yaml",
            "**/labs/**",
            "dir.v2/*.yaml",
            "weird (1)/a+b.yaml",
            "/abs/labs/*.yaml",
        ];
        for g in globs {
            let (Some(old), Ok(new)) = (old_glob(g), PathGlob::new(g)) else {
                panic!("{g}: both implementations compile it");
            };
            for p in PATHS {
                assert_eq!(old.is_match(p), new.is_match(p), "glob {g:?} on {p:?}");
            }
        }
    }

    #[test]
    fn globs() {
        let g = PathGlob::new("topologies/**/*.yaml").unwrap();
        assert!(g.is_match("topologies/a.yaml"));
        assert!(g.is_match("topologies/x/y/a.yaml"));
        assert!(!g.is_match("other/a.yaml"));
        let g = PathGlob::new("*.yaml").unwrap();
        assert!(g.is_match("a.yaml") && g.is_match("./a.yaml") && !g.is_match("d/a.yaml"));
        // New with globset: classes and alternatives (errors before).
        let g = PathGlob::new("site[ab]/*.{yaml,yml}").unwrap();
        assert!(g.is_match("sitea/x.yaml") && g.is_match("siteb/x.yml"));
        assert!(!g.is_match("sitec/x.yaml") && !g.is_match("sitea/x.json"));
        let g = PathGlob::new("[!x]*.yaml").unwrap();
        assert!(g.is_match("a.yaml") && !g.is_match("x.yaml"));
        // As documented: a negated set is not barred from `/`.
        assert!(PathGlob::new("a[!x]b").unwrap().is_match("a/b"));
        assert!(!PathGlob::new("a[b]/c").unwrap().is_match("a[b]/c"));
        assert!(PathGlob::new("a[[]b]/c").unwrap().is_match("a[b]/c"));
        // Errors: empty, unclosed class, `**` inside a component (meant "anything" before).
        for bad in ["", "./", "a[b", "**.yaml", "labs/**.yaml", "a**/b"] {
            assert!(PathGlob::new(bad).is_err(), "{bad:?} is rejected");
        }
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
