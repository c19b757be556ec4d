//! Identifiers: the names of everything in a topology.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::Sp;

/// The characters a name may hold. Every generated artifact (tnsnames, WLST, shell,
/// DGMGRL, CloudFormation logical IDs after mapping) can represent these unquoted or
/// safely quoted, so hostile names are refused at load time, not at render time.
pub const IDENT_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$";

/// A name: letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 128 chars.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ident(String);

impl Ident {
    pub fn new(text: &str) -> Result<Ident, String> {
        let ok = !text.is_empty()
            && text.len() <= 128
            && text
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphanumeric)
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if ok {
            Ok(Ident(text.to_owned()))
        } else {
            Err(format!(
                "`{}` is not a valid name: use letters, digits, `_`, `.` and `-`, starting with a letter or digit (at most 128 characters)",
                text.escape_debug()
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identity of an object of a replica domain: the name it shares with the active
    /// domain's object, qualified by the replica's site (`orders_ms1@dc2`). Only the
    /// resolver makes these; `@` cannot be written in a name, so a qualified name never
    /// equals a declared one. Rendered configuration uses [`Ident::plain`].
    pub fn qualified(name: &str, site: &str) -> Ident {
        Ident(format!("{name}@{site}"))
    }

    /// The name without a replica's site qualifier (the name rendered configuration uses).
    pub fn plain(&self) -> &str {
        plain(&self.0)
    }
}

/// A name without a replica's site qualifier (`orders_ms1@dc2` → `orders_ms1`).
pub fn plain(name: &str) -> &str {
    name.split_once('@').map_or(name, |(n, _)| n)
}

impl Deref for Ident {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}
impl Borrow<str> for Ident {
    fn borrow(&self) -> &str {
        &self.0
    }
}
impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ident::new(&text).map_err(de::Error::custom)
    }
}
impl Serialize for Ident {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl JsonSchema for Ident {
    fn schema_name() -> Cow<'static, str> {
        "Name".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": IDENT_PATTERN,
            "description": "A name: letters, digits, `_`, `.` and `-`, starting with a letter or digit."
        })
    }
}

/// A name with its span: the type of every `name:` and every reference.
pub type Name = Sp<Ident>;

impl Name {
    pub fn as_str(&self) -> &str {
        self.value.as_str()
    }
}

/// Network host names / addresses (DNS names or IPs): like names, plus `:` for IPv6.
pub const HOSTNAME_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}$";

/// A DNS name or IP address.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hostname(String);

impl Hostname {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl Deref for Hostname {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}
impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
impl<'de> Deserialize<'de> for Hostname {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let ok = !text.is_empty()
            && text.len() <= 253
            && text
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphanumeric)
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':'));
        if ok {
            Ok(Hostname(text))
        } else {
            Err(de::Error::custom(format!(
                "`{}` is not a valid host name or address",
                text.escape_debug()
            )))
        }
    }
}
impl Serialize for Hostname {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl JsonSchema for Hostname {
    fn schema_name() -> Cow<'static, str> {
        "Hostname".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": HOSTNAME_PATTERN,
            "description": "A DNS name or an IP address."
        })
    }
}
