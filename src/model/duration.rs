//! Human durations: `250ms`, `30s`, `5m`, `1h30m`, `2d`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A duration in whole milliseconds, written as a human string (`30s`, `5m`, `1h30m`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub u64);

/// The pattern the schema and the parser accept.
pub const DURATION_PATTERN: &str = r"^([0-9]+(ms|s|m|h|d))+$";

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn ms(ms: u64) -> Self {
        Duration(ms)
    }
    pub const fn secs(s: u64) -> Self {
        Duration(s * 1000)
    }
    pub const fn mins(m: u64) -> Self {
        Duration(m * 60_000)
    }
    pub fn as_millis(self) -> u64 {
        self.0
    }
    /// Whole seconds, rounded up (so `500ms` is 1 s, never 0).
    pub fn as_secs_ceil(self) -> u64 {
        self.0.div_ceil(1000)
    }
    pub fn saturating_add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }
    pub fn saturating_sub(self, other: Duration) -> Duration {
        Duration(self.0.saturating_sub(other.0))
    }

    /// Parses `1h30m`, `45s`, `250ms`. Units: ms, s, m, h, d. At least one part.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err("empty duration; write e.g. `30s`, `5m` or `1h30m`".into());
        }
        let mut total: u64 = 0;
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if start == i {
                return Err(format!(
                    "`{text}` is not a duration; write e.g. `30s`, `5m` or `1h30m`"
                ));
            }
            let number: u64 = text[start..i]
                .parse()
                .map_err(|_| format!("`{text}`: number too large"))?;
            let unit_start = i;
            // Everything up to the next digit is the unit, so `5 min` names its bad unit.
            while i < bytes.len() && !bytes[i].is_ascii_digit() {
                i += 1;
            }
            let factor = match &text[unit_start..i] {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                "" => {
                    return Err(format!(
                        "`{text}` lacks a unit; write e.g. `{number}s` (units: ms, s, m, h, d)"
                    ));
                }
                other => {
                    return Err(format!(
                        "`{text}`: unknown unit `{other}` (units: ms, s, m, h, d)"
                    ));
                }
            };
            total = number
                .checked_mul(factor)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| format!("`{text}`: duration too large"))?;
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    /// Canonical form: the largest units first, e.g. `1h30m`, `2m30s`, `250ms`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        for (unit, size) in [
            ("d", 86_400_000),
            ("h", 3_600_000),
            ("m", 60_000),
            ("s", 1000),
            ("ms", 1),
        ] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: a number and a unit (ms, s, m, h, d), e.g. `30s`, `5m`, `1h30m`."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonically() {
        for (text, ms, canon) in [
            ("30s", 30_000, "30s"),
            ("5m", 300_000, "5m"),
            ("1h30m", 5_400_000, "1h30m"),
            ("90s", 90_000, "1m30s"),
            ("250ms", 250, "250ms"),
            ("0s", 0, "0s"),
            ("1d", 86_400_000, "1d"),
        ] {
            let d = Duration::parse(text).unwrap_or_default();
            assert_eq!(d.as_millis(), ms, "{text}");
            assert_eq!(d.to_string(), canon, "{text}");
        }
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        assert!(Duration::parse("30").unwrap_err().contains("lacks a unit"));
        assert!(
            Duration::parse("5 min")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(Duration::parse("").unwrap_err().contains("empty"));
        assert!(Duration::parse("99999999999999999999d").is_err());
    }

    #[test]
    fn seconds_round_up() {
        assert_eq!(Duration::ms(500).as_secs_ceil(), 1);
        assert_eq!(Duration::secs(3).as_secs_ceil(), 3);
    }
}
