//! `Sp<T>`: a value together with the place in the YAML source it came from.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;

use miette::SourceSpan;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value with its YAML source span.
///
/// Deserializes with its span from the span tree (see [`SPAN_NEWTYPE`]), serializes as
/// the bare value, and compares, hashes and orders by value only (the span is metadata).
#[derive(Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: SourceSpan,
    /// 1-based line of the value (0 when the value came from a default).
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl<T> Sp<T> {
    /// A value that did not come from the source (a default).
    pub fn synthetic(value: T) -> Self {
        Sp {
            value,
            span: SourceSpan::from(0..0),
            line: 0,
            col: 0,
        }
    }

    /// Whether the value was written in the source.
    pub fn is_written(&self) -> bool {
        self.line > 0
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp {
            value: f(self.value),
            span: self.span,
            line: self.line,
            col: self.col,
        }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Default> Default for Sp<T> {
    fn default() -> Self {
        Sp::synthetic(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Sp<T> {}
impl<T: PartialOrd> PartialOrd for Sp<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}
impl<T: Ord> Ord for Sp<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}
impl<T: Hash> Hash for Sp<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl PartialEq<str> for Sp<String> {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

/// Name of the newtype through which a deserializer that knows spans (the span tree of
/// [`crate::load`]) hands an [`Sp`] its position. Any other deserializer sees a plain
/// newtype and the value gets no span.
pub const SPAN_NEWTYPE: &str = "__maa_span";
/// First key of the span map: `[offset, length, line, column]`.
pub const SPAN_KEY: &str = "__maa_span_position";
/// Second key of the span map: the value itself.
pub const VALUE_KEY: &str = "__maa_span_value";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(SPAN_NEWTYPE, SpVisitor(PhantomData))
    }
}

struct SpVisitor<T>(PhantomData<T>);

/// A key of the span map.
enum SpField {
    Position,
    Value,
}

impl<'de> Deserialize<'de> for SpField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = SpField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a span map key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SpField, E> {
                match v {
                    SPAN_KEY => Ok(SpField::Position),
                    VALUE_KEY => Ok(SpField::Value),
                    other => Err(E::unknown_field(other, &[SPAN_KEY, VALUE_KEY])),
                }
            }
        }
        d.deserialize_identifier(FieldVisitor)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpVisitor<T> {
    type Value = Sp<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    /// A deserializer without spans.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Sp<T>, D::Error> {
        T::deserialize(d).map(Sp::synthetic)
    }

    /// The span protocol: the position, then the value.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<T>, A::Error> {
        let mut position: Option<[u64; 4]> = None;
        let mut value: Option<T> = None;
        while let Some(key) = map.next_key::<SpField>()? {
            match key {
                SpField::Position => position = Some(map.next_value()?),
                SpField::Value => value = Some(map.next_value()?),
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field(VALUE_KEY))?;
        let [offset, len, line, col] = position.unwrap_or_default();
        let offset = usize::try_from(offset).unwrap_or(0);
        let len = usize::try_from(len).unwrap_or(0);
        Ok(Sp {
            value,
            span: SourceSpan::from(offset..offset.saturating_add(len)),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
        })
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        T::json_schema(g)
    }
}
