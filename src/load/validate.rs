//! Validates a [`Node`] tree against the topology JSON Schema and collects *every* error,
//! each with the span of the offending key or value and a did-you-mean where one fits.
//!
//! It understands the subset of JSON Schema that schemars emits for the model:
//! `$ref`, `allOf`, `anyOf`, `oneOf`, `type`, `enum`, `const`, `properties`,
//! `additionalProperties`, `required`, `items`, `pattern`, `minimum`, `maximum`,
//! `minItems`, `maxItems`.

use crate::diagnostic::Code;
use std::collections::HashMap;
use std::rc::Rc;

use miette::SourceSpan;
use regex::Regex;
use serde_json::Value;

use super::tree::Node;
use crate::diagnostic::suggest;
use crate::model::Sp;

/// What went wrong, for the error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    UnknownKey,
    WrongType,
    MissingField,
    InvalidValue,
    /// A schema `pattern` that does not compile: a bug in maa, never the input's fault.
    Internal,
}

impl Problem {
    pub fn code(self) -> Code {
        match self {
            Problem::UnknownKey => Code::LoadUnknownKey,
            Problem::WrongType => Code::LoadWrongType,
            Problem::MissingField => Code::LoadMissingField,
            Problem::InvalidValue => Code::LoadInvalidValue,
            Problem::Internal => Code::LoadInternal,
        }
    }
}

/// One schema violation.
#[derive(Debug, Clone)]
pub struct Violation {
    pub problem: Problem,
    pub span: SourceSpan,
    pub path: String,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// Violations kept per file: beyond them a file is not what the user meant to check, and
/// reporting every one made the output (and the memory) grow with the file.
pub const MAX_VIOLATIONS: usize = 100;

/// Validates `node` against `schema` (the root schema with its `definitions`): the first
/// [`MAX_VIOLATIONS`] violations, and how many more there are.
pub fn validate(node: &Sp<Node>, schema: &Value) -> (Vec<Violation>, usize) {
    let mut v = Validator {
        root: schema,
        regexes: HashMap::new(),
        compiled: FastMap::default(),
        out: Vec::new(),
        dropped: 0,
    };
    v.check(node, schema, &Path::Root, None);
    (v.out, v.dropped)
}

type FastMap<K, V> = foldhash::HashMap<K, V>;

/// Where a node sits, built as the walk descends and rendered (`sites[0].zones`) only
/// for a violation: formatting a path for every node was a fifth of validation.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }
}

/// The keywords of one schema object, looked up once (each lookup in a `serde_json` map
/// hashes the keyword; a topology node used to pay ten of them).
struct Compiled<'s> {
    /// The schema itself, after following `$ref`.
    schema: &'s Value,
    all_of: Option<&'s [Value]>,
    alternatives: Vec<&'s [Value]>,
    types: Option<&'s Value>,
    enum_values: Option<&'s [Value]>,
    constant: Option<&'s Value>,
    props: Option<&'s serde_json::Map<String, Value>>,
    /// `props` by name, hashed fast.
    prop_index: FastMap<&'s str, &'s Value>,
    closed: bool,
    required: Vec<&'s str>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    items: Option<&'s Value>,
    pattern: Option<&'s str>,
    minimum: Option<f64>,
    maximum: Option<f64>,
}

impl<'s> Compiled<'s> {
    fn new(schema: &'s Value) -> Compiled<'s> {
        let props = schema.get("properties").and_then(Value::as_object);
        Compiled {
            schema,
            all_of: schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice),
            alternatives: ["anyOf", "oneOf"]
                .iter()
                .filter_map(|k| schema.get(*k).and_then(Value::as_array).map(Vec::as_slice))
                .collect(),
            types: schema.get("type"),
            enum_values: schema
                .get("enum")
                .and_then(Value::as_array)
                .map(Vec::as_slice),
            constant: schema.get("const"),
            props,
            prop_index: props
                .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
                .unwrap_or_default(),
            closed: schema.get("additionalProperties") == Some(&Value::Bool(false)),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default(),
            min_items: schema.get("minItems").and_then(Value::as_u64),
            max_items: schema.get("maxItems").and_then(Value::as_u64),
            items: schema.get("items"),
            pattern: schema.get("pattern").and_then(Value::as_str),
            minimum: schema.get("minimum").and_then(Value::as_f64),
            maximum: schema.get("maximum").and_then(Value::as_f64),
        }
    }
}

struct Validator<'s> {
    root: &'s Value,
    /// Compiled `pattern`s; the error text of one that does not compile.
    regexes: HashMap<&'s str, Result<Regex, String>>,
    /// Compiled schemas by the address of the schema value (which the walk never moves).
    compiled: FastMap<usize, Rc<Compiled<'s>>>,
    out: Vec<Violation>,
    /// Violations found beyond [`MAX_VIOLATIONS`].
    dropped: usize,
}

/// The key under which a value sits: its name and span (for "missing field" errors).
type Parent<'n> = Option<&'n Sp<String>>;

impl<'s> Validator<'s> {
    fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.rsplit('/').next().unwrap_or("");
                    match self.root.get("definitions").and_then(|d| d.get(name)) {
                        Some(s) => schema = s,
                        None => return schema,
                    }
                }
                None => return schema,
            }
        }
        schema
    }

    /// The compiled form of `schema` (with `$ref` followed).
    fn compile(&mut self, schema: &'s Value) -> Rc<Compiled<'s>> {
        let key = schema as *const Value as usize;
        if let Some(c) = self.compiled.get(&key) {
            return Rc::clone(c);
        }
        let c = Rc::new(Compiled::new(self.resolve(schema)));
        self.compiled.insert(key, Rc::clone(&c));
        c
    }

    fn push(
        &mut self,
        problem: Problem,
        span: SourceSpan,
        path: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        if self.out.len() >= MAX_VIOLATIONS {
            self.dropped += 1;
            return;
        }
        self.out.push(Violation {
            problem,
            span,
            path: if path.is_empty() {
                "(top level)".into()
            } else {
                path.to_owned()
            },
            message,
            label: label.to_owned(),
            help,
        });
    }

    fn check(&mut self, node: &Sp<Node>, schema: &'s Value, at: &Path<'_>, parent: Parent<'_>) {
        let c = self.compile(schema);
        let schema = c.schema;
        if let Some(all) = c.all_of {
            for s in all {
                self.check(node, s, at, parent);
            }
        }
        for branches in &c.alternatives {
            self.check_alternatives(node, branches, at, parent);
        }
        if let Some(types) = c.types
            && !type_matches(&node.value, types)
        {
            let path = &at.render();
            let expected = type_list(types);
            let label = format!("expected {expected}");
            self.push(
                Problem::WrongType,
                node.span,
                path,
                format!(
                    "{} should be {expected}, found {}",
                    subject(path),
                    node.value.preview()
                ),
                &label,
                type_hint(&node.value, types).or_else(|| describe(schema)),
            );
            return;
        }
        if let Some(values) = c.enum_values {
            self.check_enum(node, values, at);
        }
        if let Some(k) = c.constant {
            self.check_enum(node, std::slice::from_ref(k), at);
        }
        match &node.value {
            Node::Map(entries) => self.check_object(node, entries, &c, at, parent),
            Node::Seq(items) => {
                if let Some(min) = c.min_items
                    && (items.len() as u64) < min
                {
                    let path = &at.render();
                    self.push(
                        Problem::InvalidValue,
                        node.span,
                        path,
                        format!(
                            "`{}` needs at least {min} item{}",
                            leaf(path),
                            if min == 1 { "" } else { "s" }
                        ),
                        "too few items",
                        None,
                    );
                }
                if let Some(max) = c.max_items
                    && (items.len() as u64) > max
                {
                    let path = &at.render();
                    self.push(
                        Problem::InvalidValue,
                        node.span,
                        path,
                        format!("`{}` takes at most {max} items", leaf(path)),
                        "too many items",
                        None,
                    );
                }
                if let Some(item_schema) = c.items {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, item_schema, &Path::Index(at, i), None);
                    }
                }
            }
            Node::Str(s) => {
                if let Some(p) = c.pattern {
                    self.check_pattern(node, s, p, schema, at);
                }
            }
            Node::Int(i) => self.check_range(node, *i as f64, &c, at),
            Node::Float(f) => self.check_range(node, *f, &c, at),
            _ => {}
        }
    }

    /// A string against a schema `pattern`. A pattern that does not compile is reported as
    /// an internal error (the value is not checked), never skipped in silence.
    fn check_pattern(
        &mut self,
        node: &Sp<Node>,
        value: &str,
        p: &'s str,
        schema: &'s Value,
        at: &Path<'_>,
    ) {
        let outcome = match self
            .regexes
            .entry(p)
            .or_insert_with(|| Regex::new(p).map_err(|e| e.to_string()))
        {
            Ok(re) => Ok(re.is_match(value)),
            Err(e) => Err(e.clone()),
        };
        match outcome {
            Ok(true) => {}
            Ok(false) => {
                let path = &at.render();
                self.push(
                    Problem::InvalidValue,
                    node.span,
                    path,
                    format!("{} is not a valid `{}`", node.value.preview(), leaf(path)),
                    "does not match the expected format",
                    Some(describe(schema).unwrap_or_else(|| format!("the value must match `{p}`"))),
                );
            }
            Err(e) => {
                let path = &at.render();
                let message = format!(
                    "internal error: the schema pattern for `{}` does not compile: {e}",
                    leaf(path)
                );
                self.push(
                    Problem::Internal,
                    node.span,
                    path,
                    message,
                    "not checked",
                    Some("this is a bug in maa; please report it with this file".into()),
                );
            }
        }
    }

    fn check_range(&mut self, node: &Sp<Node>, value: f64, c: &Compiled<'s>, at: &Path<'_>) {
        if let Some(min) = c.minimum
            && value < min
        {
            let path = &at.render();
            self.push(
                Problem::InvalidValue,
                node.span,
                path,
                format!(
                    "`{}` must be at least {min}, found {}",
                    leaf(path),
                    node.value.preview()
                ),
                "too small",
                None,
            );
        }
        if let Some(max) = c.maximum
            && value > max
        {
            let path = &at.render();
            self.push(
                Problem::InvalidValue,
                node.span,
                path,
                format!(
                    "`{}` must be at most {max}, found {}",
                    leaf(path),
                    node.value.preview()
                ),
                "too large",
                None,
            );
        }
    }

    fn check_enum(&mut self, node: &Sp<Node>, values: &[Value], at: &Path<'_>) {
        if values.iter().any(|v| node_equals(&node.value, v)) {
            return;
        }
        let names: Vec<String> = values.iter().map(value_text).collect();
        self.report_enum(node, &names, at);
    }

    fn report_enum(&mut self, node: &Sp<Node>, names: &[String], at: &Path<'_>) {
        let path = &at.render();
        let got = match &node.value {
            Node::Str(s) => s.clone(),
            other => other.preview(),
        };
        let mut help = format!("expected one of: {}", names.join(", "));
        if let Some(s) = suggest(&got, names.iter().map(String::as_str)) {
            help = format!("did you mean `{s}`? ({help})");
        }
        self.push(
            Problem::InvalidValue,
            node.span,
            path,
            format!("unknown `{}` value {}", leaf(path), node.value.preview()),
            "not one of the accepted values",
            Some(help),
        );
    }

    fn check_alternatives(
        &mut self,
        node: &Sp<Node>,
        branches: &'s [Value],
        at: &Path<'_>,
        parent: Parent<'_>,
    ) {
        let mut attempts: Vec<Vec<Violation>> = Vec::new();
        for b in branches {
            let mut sub = Validator {
                root: self.root,
                regexes: std::mem::take(&mut self.regexes),
                compiled: std::mem::take(&mut self.compiled),
                out: Vec::new(),
                dropped: 0,
            };
            sub.check(node, b, at, parent);
            self.regexes = sub.regexes;
            self.compiled = sub.compiled;
            if sub.out.is_empty() {
                return;
            }
            attempts.push(sub.out);
        }
        // All branches are constants (an enum with documented variants): one clear message.
        let consts: Option<Vec<String>> = branches
            .iter()
            .map(|b| {
                let b = self.resolve(b);
                b.get("const").map(value_text).or_else(|| {
                    b.get("enum")
                        .and_then(Value::as_array)
                        .map(|vs| vs.iter().map(value_text).collect::<Vec<_>>().join(", "))
                })
            })
            .collect();
        if let Some(names) = consts {
            self.report_enum(node, &names, at);
            return;
        }
        // Otherwise report the branch the node came closest to, ignoring `null` branches.
        let best = branches
            .iter()
            .zip(attempts)
            .filter(|(b, _)| self.resolve(b).get("type").and_then(Value::as_str) != Some("null"))
            .map(|(_, errs)| errs)
            .min_by_key(|errs| {
                (
                    errs.iter()
                        .filter(|e| e.problem == Problem::WrongType)
                        .count(),
                    errs.len(),
                )
            });
        if let Some(errs) = best {
            let room = MAX_VIOLATIONS.saturating_sub(self.out.len());
            self.dropped += errs.len().saturating_sub(room);
            self.out.extend(errs.into_iter().take(room));
        }
    }

    fn check_object(
        &mut self,
        node: &Sp<Node>,
        entries: &[(Sp<String>, Sp<Node>)],
        c: &Compiled<'s>,
        at: &Path<'_>,
        parent: Parent<'_>,
    ) {
        if let Some(props) = c.props {
            for (key, value) in entries {
                let child = Path::Key(at, key.value.as_str());
                match c.prop_index.get(key.value.as_str()) {
                    Some(sub) => self.check(value, sub, &child, Some(key)),
                    // Beyond the limit, only counted (a did-you-mean per key is not free).
                    None if c.closed && self.out.len() >= MAX_VIOLATIONS => self.dropped += 1,
                    None if c.closed => {
                        let expected: Vec<&str> = props.keys().map(String::as_str).collect();
                        let help = match suggest(&key.value, expected.iter().copied()) {
                            Some(s) => format!(
                                "did you mean `{s}`? (expected one of: {})",
                                expected.join(", ")
                            ),
                            None => format!("expected one of: {}", expected.join(", ")),
                        };
                        let where_ = if at.is_root() {
                            "at the top level".to_owned()
                        } else {
                            format!("in `{}`", at.render())
                        };
                        self.push(
                            Problem::UnknownKey,
                            key.span,
                            &child.render(),
                            format!("unknown key `{}` {where_}", key.value),
                            "unknown key",
                            Some(help),
                        );
                    }
                    None => {}
                }
            }
        }
        for field in &c.required {
            let field = *field;
            if !entries.iter().any(|(k, _)| k.value == field) {
                let path = &at.render();
                let (span, owner) = match parent {
                    Some(key) => (key.span, format!("`{}`", key.value)),
                    None if path.is_empty() => (node.span, "the topology".to_owned()),
                    None => (node.span, format!("`{path}`")),
                };
                let owner = if path.ends_with(']') {
                    format!("`{path}`")
                } else {
                    owner
                };
                let help = c
                    .props
                    .and_then(|p| p.get(field))
                    .and_then(|s| describe(s).or_else(|| describe(self.resolve(s))))
                    .map(|d| format!("add `{field}:` ({d})"))
                    .or_else(|| Some(format!("add `{field}:`")));
                self.push(
                    Problem::MissingField,
                    span,
                    path,
                    format!("{owner} is missing the required key `{field}`"),
                    &format!("`{field}` missing here"),
                    help,
                );
            }
        }
    }
}

/// What a message names: `` `leaf` ``, or "the document" at the root (whose path is empty).
fn subject(path: &str) -> String {
    match leaf(path) {
        "" => "the document".to_owned(),
        l => format!("`{l}`"),
    }
}

fn leaf(path: &str) -> &str {
    let p = path.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit());
    let p = p.trim_end_matches('[');
    p.rsplit('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(path)
}

fn describe(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(|d| d.trim_end_matches('.').to_owned())
}

fn type_matches(node: &Node, types: &Value) -> bool {
    let one = |t: &str| match t {
        "null" => matches!(node, Node::Null),
        "boolean" => matches!(node, Node::Bool(_)),
        "integer" => {
            matches!(node, Node::Int(_)) || matches!(node, Node::Float(f) if f.fract() == 0.0)
        }
        "number" => matches!(node, Node::Int(_) | Node::Float(_)),
        "string" => matches!(node, Node::Str(_)),
        "array" => matches!(node, Node::Seq(_)),
        "object" => matches!(node, Node::Map(_)),
        _ => true,
    };
    match types {
        Value::String(t) => one(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(one),
        _ => true,
    }
}

/// A fix for the common type mistakes: a quoted number, a quoted boolean, a scalar where
/// a list is expected.
fn type_hint(node: &Node, types: &Value) -> Option<String> {
    let wants = |t: &str| match types {
        Value::String(s) => s == t,
        Value::Array(ts) => ts.iter().any(|x| x == t),
        _ => false,
    };
    match node {
        Node::Str(s)
            if (wants("integer") || wants("number")) && s.trim().parse::<f64>().is_ok() =>
        {
            Some(format!("write the number without quotes: `{}`", s.trim()))
        }
        Node::Str(s)
            if wants("boolean")
                && matches!(
                    s.as_str(),
                    "yes" | "no" | "on" | "off" | "True" | "False" | "TRUE" | "FALSE"
                ) =>
        {
            Some(
                "write `true` or `false` (YAML 1.2: `yes`, `no`, `on` and `off` are strings)"
                    .to_owned(),
            )
        }
        Node::Str(_) | Node::Int(_) | Node::Float(_) | Node::Bool(_) if wants("array") => Some(
            format!("write a list: `[{}]`", node.preview().trim_matches('"')),
        ),
        _ => None,
    }
}

fn type_list(types: &Value) -> String {
    let word = |t: &str| {
        match t {
            "null" => "null",
            "boolean" => "true or false",
            "integer" => "a whole number",
            "number" => "a number",
            "string" => "a string",
            "array" => "a list",
            "object" => "a mapping",
            other => other,
        }
        .to_owned()
    };
    match types {
        Value::String(t) => word(t),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .map(word)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "a value".into(),
    }
}

fn node_equals(node: &Node, v: &Value) -> bool {
    match (node, v) {
        (Node::Str(s), Value::String(t)) => s == t,
        (Node::Bool(a), Value::Bool(b)) => a == b,
        (Node::Int(a), Value::Number(n)) => n.as_i64().is_some_and(|b| i128::from(b) == *a),
        (Node::Null, Value::Null) => true,
        _ => false,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_that_does_not_compile_is_an_internal_error_not_a_pass() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "pattern": "^(unclosed$"},
                "ok": {"type": "string", "pattern": "^[a-z]+$"}
            }
        });
        let tree =
            super::super::tree::parse("name: x\nok: ABC\n", crate::load::parser_options()).unwrap();
        let (v, _) = validate(&tree, &schema);
        let got: Vec<_> = v.iter().map(|v| (v.problem, v.path.as_str())).collect();
        assert_eq!(
            got,
            [(Problem::Internal, "name"), (Problem::InvalidValue, "ok")],
            "{v:?}"
        );
        assert_eq!(Problem::Internal.code(), Code::LoadInternal);
        assert!(
            v[0].message
                .starts_with("internal error: the schema pattern for `name`")
        );
    }

    #[test]
    fn leaf_names() {
        assert_eq!(leaf("sites[0].zones[1].hosts"), "hosts");
        assert_eq!(leaf("sites[0]"), "sites");
        assert_eq!(leaf("version"), "version");
        assert_eq!(subject("sites[0]"), "`sites`");
        assert_eq!(subject(""), "the document");
    }
}
