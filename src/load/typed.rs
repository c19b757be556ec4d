//! Builds the typed model from the validated span tree: a serde `Deserializer` over
//! [`Node`], so the YAML text is parsed once.
//!
//! [`Sp<T>`] fields receive the span of their node through the protocol in
//! [`crate::model::sp`]; an error carries the span of the innermost node it arose in.

use crate::diagnostic::Code;
use std::fmt;

use miette::SourceSpan;
use serde::de::value::{SeqDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use super::tree::Node;
use crate::model::Sp;
use crate::model::sp::{SPAN_KEY, SPAN_NEWTYPE, VALUE_KEY};

/// What kind of mistake an [`Error`] reports, for the diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    UnknownKey,
    MissingField,
    InvalidValue,
}

impl ErrorKind {
    pub fn code(self) -> Code {
        match self {
            ErrorKind::UnknownKey => Code::LoadUnknownKey,
            ErrorKind::MissingField => Code::LoadMissingField,
            ErrorKind::InvalidValue => Code::LoadInvalidValue,
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            ErrorKind::UnknownKey => "check the spelling of the key",
            ErrorKind::MissingField => "add the missing key",
            ErrorKind::InvalidValue => "see `maa schema` for the accepted values",
        }
    }
}

/// A deserialization error with the span of the node it arose in.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Option<SourceSpan>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl fmt::Display) -> Error {
        Error {
            kind,
            message: message.to_string(),
            span: None,
        }
    }

    /// Places the error at `span` unless an inner node placed it already.
    fn at(mut self, span: SourceSpan) -> Error {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(ErrorKind::InvalidValue, msg)
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Error {
        Error::new(
            ErrorKind::UnknownKey,
            format_args!("unknown field `{field}`, expected {}", one_of(expected)),
        )
    }
    fn missing_field(field: &'static str) -> Error {
        Error::new(
            ErrorKind::MissingField,
            format_args!("missing field `{field}`"),
        )
    }
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "no fields".to_owned(),
        [one] => format!("`{one}`"),
        _ => format!(
            "one of {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Deserializes `T` from `tree`, consuming it (strings move into the model).
pub fn from_tree<'de, T: de::Deserialize<'de>>(tree: Sp<Node>, text: &str) -> Result<T, Error> {
    T::deserialize(NodeDe { node: tree, text })
}

/// A deserializer over one node of the tree.
struct NodeDe<'t> {
    node: Sp<Node>,
    /// The source text: a plain scalar read as a string is its text as written.
    text: &'t str,
}

impl<'t> NodeDe<'t> {
    fn span(&self) -> SourceSpan {
        self.node.span
    }

    /// The scalar as written in the source (`1.0` stays `1.0`); `None` when the span holds
    /// something else: an alias (`*base`), a tag or anchor, or nothing (an empty value).
    fn written(&self) -> Option<&'t str> {
        let s = self.node.span;
        self.text
            .get(s.offset()..s.offset() + s.len())
            .filter(|t| !t.is_empty() && !t.starts_with(['*', '&', '!']))
    }

    /// A non-string scalar as text: as written when possible, else as its value; `None`
    /// for strings and collections.
    fn scalar_text(&self) -> Option<String> {
        let value = match &self.node.value {
            Node::Str(_) | Node::Seq(_) | Node::Map(_) => return None,
            Node::Null => String::new(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
        };
        Some(self.written().map_or(value, str::to_owned))
    }

    fn any<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.span();
        let text = self.text;
        match self.node.value {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Int(i) => match (i64::try_from(i), u64::try_from(i)) {
                (Ok(v), _) => visitor.visit_i64(v),
                (_, Ok(v)) => visitor.visit_u64(v),
                _ => visitor.visit_i128(i),
            },
            Node::Float(f) => visitor.visit_f64(f),
            Node::Str(s) => visitor.visit_string(s),
            Node::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.into_iter(),
                text,
            }),
            Node::Map(entries) => visitor.visit_map(MapDe {
                entries: entries.into_iter(),
                value: None,
                text,
            }),
        }
        .map_err(|e: Error| e.at(span))
    }

    /// A whole-number float (`2.0`, which the schema accepts as an integer) as an integer.
    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.value {
            Node::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                let span = self.span();
                // Exact: the magnitude is below 2^53.
                let i = f as i64;
                match u64::try_from(i) {
                    Ok(u) => visitor.visit_u64(u),
                    Err(_) => visitor.visit_i64(i),
                }
                .map_err(|e: Error| e.at(span))
            }
            _ => self.any(visitor),
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.integer(visitor)
        })*
    };
}

impl<'de> Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.any(visitor)
    }

    integers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.span();
        match self.node.value {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e: Error| e.at(span))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.scalar_text() {
            Some(text) => {
                let span = self.span();
                visitor.visit_string(text).map_err(|e: Error| e.at(span))
            }
            None => self.any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let span = self.span();
        if name == SPAN_NEWTYPE {
            visitor.visit_map(SpanMap {
                node: Some(self),
                sent_span: false,
            })
        } else {
            visitor.visit_newtype_struct(self)
        }
        .map_err(|e: Error| e.at(span))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let span = self.span();
        let text = self.text;
        match self.node.value {
            Node::Str(s) => visitor.visit_enum(s.into_deserializer()),
            // A variant with content: a mapping of one key.
            Node::Map(entries) => match <[_; 1]>::try_from(entries) {
                Ok([(key, value)]) => visitor.visit_enum(EnumDe { key, value, text }),
                Err(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &visitor)),
            },
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
        .map_err(|e: Error| e.at(span))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool f32 f64 char bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
    }
}

fn unexpected(node: &Node) -> de::Unexpected<'_> {
    match node {
        Node::Null => de::Unexpected::Unit,
        Node::Bool(b) => de::Unexpected::Bool(*b),
        Node::Int(i) => i64::try_from(*i).map_or(de::Unexpected::Other("a large integer"), |i| {
            de::Unexpected::Signed(i)
        }),
        Node::Float(f) => de::Unexpected::Float(*f),
        Node::Str(s) => de::Unexpected::Str(s),
        Node::Seq(_) => de::Unexpected::Seq,
        Node::Map(_) => de::Unexpected::Map,
    }
}

struct SeqDe<'t> {
    items: std::vec::IntoIter<Sp<Node>>,
    text: &'t str,
}

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(NodeDe {
                    node,
                    text: self.text,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'t> {
    entries: std::vec::IntoIter<(Sp<String>, Sp<Node>)>,
    value: Option<Sp<Node>>,
    text: &'t str,
}

/// A mapping key as a node of its own (keys are strings, with their span).
fn key_node(key: Sp<String>) -> Sp<Node> {
    key.map(Node::Str)
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(NodeDe {
                    node: key_node(key),
                    text: self.text,
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDe {
                node,
                text: self.text,
            }),
            None => Err(Error::new(
                ErrorKind::InvalidValue,
                "a mapping value was read before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The two entries an [`Sp`] reads: the span, then the value.
struct SpanMap<'t> {
    node: Option<NodeDe<'t>>,
    sent_span: bool,
}

impl<'de> MapAccess<'de> for SpanMap<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match (&self.node, self.sent_span) {
            (None, _) => return Ok(None),
            (Some(_), false) => SPAN_KEY,
            (Some(_), true) => VALUE_KEY,
        };
        seed.deserialize(StrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        if self.sent_span {
            return match self.node.take() {
                Some(node) => seed.deserialize(node),
                None => Err(Error::new(ErrorKind::InvalidValue, "no value")),
            };
        }
        self.sent_span = true;
        let position = match &self.node {
            Some(n) => [
                n.node.span.offset() as u64,
                n.node.span.len() as u64,
                u64::from(n.node.line),
                u64::from(n.node.col),
            ],
            None => [0; 4],
        };
        seed.deserialize(SeqDeserializer::<_, Error>::new(position.into_iter()))
    }
}

struct EnumDe<'t> {
    key: Sp<String>,
    value: Sp<Node>,
    text: &'t str,
}

impl<'de, 't> EnumAccess<'de> for EnumDe<'t> {
    type Error = Error;
    type Variant = NodeDe<'t>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, NodeDe<'t>), Error> {
        let key = NodeDe {
            node: key_node(self.key),
            text: self.text,
        };
        let variant = seed.deserialize(key)?;
        Ok((
            variant,
            NodeDe {
                node: self.value,
                text: self.text,
            },
        ))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.node.value {
            Node::Null => Ok(()),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a unit variant",
            )),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::load::{parser_options, tree};
    use crate::model::Ident;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Sp<Ident>,
        count: Sp<u32>,
        label: Option<Sp<String>>,
        #[serde(default)]
        items: Vec<Sp<String>>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Rac,
        SingleInstance,
    }

    fn load(text: &str) -> Result<Doc, Error> {
        let tree = tree::parse(text, parser_options()).map_err(|e| Error {
            kind: ErrorKind::InvalidValue,
            message: e.to_string(),
            span: None,
        })?;
        from_tree(tree, text)
    }

    fn at(text: &str, span: SourceSpan) -> &str {
        text.get(span.offset()..span.offset() + span.len())
            .unwrap_or("<out of range>")
    }

    #[test]
    fn values_get_the_span_line_and_column_they_were_written_at() {
        let text = "name: db1\ncount: 2.0\nlabel: 007\nitems:\n  - \"a b\"\n  - c\nkind: single-instance\n";
        let doc = load(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.name.as_str(), "db1");
        assert_eq!(at(text, doc.name.span), "db1");
        assert_eq!((doc.name.line, doc.name.col), (1, 7));
        // A whole-number float is an integer (as the schema accepts it).
        assert_eq!(*doc.count, 2);
        assert_eq!((doc.count.line, doc.count.col), (2, 8));
        // A plain scalar read as a string is its text as written, not its number.
        let label = doc.label.unwrap_or_default();
        assert_eq!(label.value, "007");
        assert_eq!(at(text, label.span), "007");
        let items: Vec<(&str, u32)> = doc.items.iter().map(|i| (i.as_str(), i.line)).collect();
        assert_eq!(items, [("a b", 5), ("c", 6)]);
        assert_eq!(at(text, doc.items[1].span), "c");
        assert_eq!(doc.kind, Some(Kind::SingleInstance));
    }

    #[test]
    fn errors_point_at_the_innermost_node() {
        let text = "name: db1\ncount: 1\nitems: [a, b]\nkind: exadata\n";
        let e = load(text).err().unwrap_or_else(|| panic!("must fail"));
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(at(text, e.span.unwrap_or((0..0).into())), "exadata");
        assert!(
            e.message.contains("unknown variant `exadata`"),
            "{}",
            e.message
        );

        let text = "name: db1\ncount: 1\ncolour: red\n";
        let e = load(text).err().unwrap_or_else(|| panic!("must fail"));
        assert_eq!(e.kind, ErrorKind::UnknownKey);
        assert_eq!(at(text, e.span.unwrap_or((0..0).into())), "colour");
        assert!(
            e.message
                .starts_with("unknown field `colour`, expected one of `name`")
        );

        let text = "name: -bad\ncount: 1\n";
        let e = load(text).err().unwrap_or_else(|| panic!("must fail"));
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(at(text, e.span.unwrap_or((0..0).into())), "-bad");

        let text = "name: db1\n";
        let e = load(text).err().unwrap_or_else(|| panic!("must fail"));
        assert_eq!(e.kind, ErrorKind::MissingField);
        assert_eq!(e.message, "missing field `count`");
    }

    #[test]
    fn an_aliased_scalar_read_as_text_is_its_value_not_the_alias() {
        let text = "name: db1\ncount: &n 3\nlabel: *n\n";
        let doc = load(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.label.map(|l| l.value), Some("3".to_owned()));
    }

    #[test]
    fn other_deserializers_give_values_without_spans() {
        let doc: Doc = serde_json::from_str(r#"{"name": "db1", "count": 3}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(*doc.count, 3);
        assert!(!doc.name.is_written());
    }
}
