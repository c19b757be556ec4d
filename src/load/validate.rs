//! Validates a [`Node`] tree against the topology JSON Schema and collects *every* error,
//! each with the span of the offending key or value and a did-you-mean where one fits.
//!
//! It understands the subset of JSON Schema that schemars emits for the model:
//! `$ref`, `allOf`, `anyOf`, `oneOf`, `type`, `enum`, `const`, `properties`,
//! `additionalProperties`, `required`, `items`, `pattern`, `minimum`, `maximum`,
//! `minItems`, `maxItems`.

use std::collections::HashMap;

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
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Problem::UnknownKey => "load/unknown-key",
            Problem::WrongType => "load/wrong-type",
            Problem::MissingField => "load/missing-field",
            Problem::InvalidValue => "load/invalid-value",
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

/// Validates `node` against `schema` (the root schema with its `definitions`).
pub fn validate(node: &Sp<Node>, schema: &Value) -> Vec<Violation> {
    let mut v = Validator {
        root: schema,
        regexes: HashMap::new(),
        out: Vec::new(),
    };
    v.check(node, schema, "", None);
    v.out
}

struct Validator<'s> {
    root: &'s Value,
    regexes: HashMap<&'s str, Option<Regex>>,
    out: Vec<Violation>,
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

    fn push(
        &mut self,
        problem: Problem,
        span: SourceSpan,
        path: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
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

    fn check(&mut self, node: &Sp<Node>, schema: &'s Value, path: &str, parent: Parent<'_>) {
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(node, s, path, parent);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                self.check_alternatives(node, branches, path, parent);
            }
        }
        if let Some(types) = schema.get("type")
            && !type_matches(&node.value, types)
        {
            let expected = type_list(types);
            let label = format!("expected {expected}");
            self.push(
                Problem::WrongType,
                node.span,
                path,
                format!(
                    "`{}` should be {expected}, found {}",
                    leaf(path),
                    node.value.preview()
                ),
                &label,
                type_hint(&node.value, types).or_else(|| describe(schema)),
            );
            return;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            self.check_enum(node, values, path);
        }
        if let Some(c) = schema.get("const") {
            self.check_enum(node, std::slice::from_ref(c), path);
        }
        match &node.value {
            Node::Map(entries) => self.check_object(node, entries, schema, path, parent),
            Node::Seq(items) => {
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
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
                if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
                    && (items.len() as u64) > max
                {
                    self.push(
                        Problem::InvalidValue,
                        node.span,
                        path,
                        format!("`{}` takes at most {max} items", leaf(path)),
                        "too many items",
                        None,
                    );
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, item_schema, &format!("{path}[{i}]"), None);
                    }
                }
            }
            Node::Str(s) => {
                if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
                    let re = self.regexes.entry(p).or_insert_with(|| Regex::new(p).ok());
                    if let Some(re) = re
                        && !re.is_match(s)
                    {
                        self.push(
                            Problem::InvalidValue,
                            node.span,
                            path,
                            format!("{} is not a valid `{}`", node.value.preview(), leaf(path)),
                            "does not match the expected format",
                            Some(
                                describe(schema)
                                    .unwrap_or_else(|| format!("the value must match `{p}`")),
                            ),
                        );
                    }
                }
            }
            Node::Int(i) => self.check_range(node, *i as f64, schema, path),
            Node::Float(f) => self.check_range(node, *f, schema, path),
            _ => {}
        }
    }

    fn check_range(&mut self, node: &Sp<Node>, value: f64, schema: &Value, path: &str) {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && value < min
        {
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
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && value > max
        {
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

    fn check_enum(&mut self, node: &Sp<Node>, values: &[Value], path: &str) {
        if values.iter().any(|v| node_equals(&node.value, v)) {
            return;
        }
        let names: Vec<String> = values.iter().map(value_text).collect();
        self.report_enum(node, &names, path);
    }

    fn report_enum(&mut self, node: &Sp<Node>, names: &[String], path: &str) {
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
        path: &str,
        parent: Parent<'_>,
    ) {
        let mut attempts: Vec<Vec<Violation>> = Vec::new();
        for b in branches {
            let mut sub = Validator {
                root: self.root,
                regexes: std::mem::take(&mut self.regexes),
                out: Vec::new(),
            };
            sub.check(node, b, path, parent);
            self.regexes = sub.regexes;
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
            self.report_enum(node, &names, path);
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
            self.out.extend(errs);
        }
    }

    fn check_object(
        &mut self,
        node: &Sp<Node>,
        entries: &[(Sp<String>, Sp<Node>)],
        schema: &'s Value,
        path: &str,
        parent: Parent<'_>,
    ) {
        let props = schema.get("properties").and_then(Value::as_object);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        if let Some(props) = props {
            for (key, value) in entries {
                let child_path = if path.is_empty() {
                    key.value.clone()
                } else {
                    format!("{path}.{}", key.value)
                };
                match props.get(key.value.as_str()) {
                    Some(sub) => self.check(value, sub, &child_path, Some(key)),
                    None if closed => {
                        let expected: Vec<&str> = props.keys().map(String::as_str).collect();
                        let help = match suggest(&key.value, expected.iter().copied()) {
                            Some(s) => format!(
                                "did you mean `{s}`? (expected one of: {})",
                                expected.join(", ")
                            ),
                            None => format!("expected one of: {}", expected.join(", ")),
                        };
                        let where_ = if path.is_empty() {
                            "at the top level".to_owned()
                        } else {
                            format!("in `{path}`")
                        };
                        self.push(
                            Problem::UnknownKey,
                            key.span,
                            &child_path,
                            format!("unknown key `{}` {where_}", key.value),
                            "unknown key",
                            Some(help),
                        );
                    }
                    None => {}
                }
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for field in required.iter().filter_map(Value::as_str) {
                if !entries.iter().any(|(k, _)| k.value == field) {
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
                    let help = props
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
    fn leaf_names() {
        assert_eq!(leaf("sites[0].zones[1].hosts"), "hosts");
        assert_eq!(leaf("sites[0]"), "sites");
        assert_eq!(leaf("version"), "version");
    }
}
