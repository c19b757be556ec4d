//! The restricted minijinja of custom rules: bounded in memory by construction, not only
//! in instructions.
//!
//! minijinja's fuel counts instructions, not bytes: `{% set a = a ~ a %}` doubles a string
//! per instruction and `'x' * 100000000` is one instruction. So custom-rule texts:
//!
//! - allow no statement but `if`/`elif`/`else`/`endif` (no `set`, `for`, `macro`, `call`,
//!   `filter`, `with`, `include`, `import`…): without variables or loops, every
//!   sub-expression is evaluated once, so a value is at most the expression's size times
//!   the topology's;
//! - allow neither `*` nor `**` (repetition) nor `~` (which turns any list into a string);
//! - see only a whitelist of filters and tests that cannot grow their input beyond a
//!   constant factor; `join` charges what it builds to the run's byte budget and `map`
//!   takes no `default` or arguments (which would repeat one value for every element);
//! - write at most [`MESSAGE_CHARS`] characters of a message (the rest is cut with an
//!   ellipsis, and the rendering stops there), charged to the same budget.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use minijinja::machinery::{Token, tokenize};
use minijinja::value::{Kwargs, Rest};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value};

/// Fuel of one expression or message evaluation (minijinja instructions).
pub const FUEL: u64 = 200_000;
/// Recursion limit of one evaluation.
pub const RECURSION_LIMIT: usize = 64;
/// Characters of a finding message; a longer one is cut with an ellipsis.
pub const MESSAGE_CHARS: usize = 1_000;
/// Bytes (messages and `join` results) all custom rules of a run may produce, plus
/// [`BYTES_PER_OBJECT`] per object a rule is evaluated on.
pub const RUN_BYTES: u64 = 16 << 20;
/// Bytes added to the run's total per object evaluated (four full messages).
pub const BYTES_PER_OBJECT: u64 = 4 * MESSAGE_CHARS as u64;

/// The only statements a message may hold.
const STATEMENTS: [&str; 4] = ["if", "elif", "else", "endif"];

/// What a custom-rule text uses that is not allowed, if anything (`in_expr`: an `assert`
/// or `when` expression rather than a message template). Syntax errors are left to the
/// compiler, which reports them with their position.
pub fn refusal(text: &str, in_expr: bool) -> Option<String> {
    let mut block_start = false;
    for token in tokenize(text, in_expr, Default::default()) {
        let Ok((token, _)) = token else {
            return None;
        };
        match token {
            Token::Mul | Token::Pow => return Some("the `*` operator".to_owned()),
            Token::Tilde => return Some("the `~` operator".to_owned()),
            Token::Ident(word) if block_start && !STATEMENTS.contains(&word) => {
                return Some(format!("the `{{% {word} %}}` statement"));
            }
            Token::BlockStart if in_expr => return Some("a statement".to_owned()),
            _ => {}
        }
        block_start = matches!(token, Token::BlockStart);
    }
    None
}

/// The help line of a refused text.
pub const REFUSAL_HELP: &str = "custom rules may use `{% if %}`/`{% elif %}`/`{% else %}`/\
    `{% endif %}` and no other statement, and neither `*` nor `~` (they can grow a value \
    without bound); write `{{ a }}{{ b }}` instead of `a ~ b`; see docs/configuration.md";

/// The bytes the custom rules of one topology may still produce (shared by the filters of
/// an environment and its messages).
#[derive(Clone, Debug)]
pub struct Bytes(Arc<AtomicU64>);

impl Bytes {
    pub fn new(total: u64) -> Self {
        Bytes(Arc::new(AtomicU64::new(total)))
    }

    /// Takes `n` bytes; `false` (and nothing left) when fewer remain.
    pub fn charge(&self, n: usize) -> bool {
        let n = n as u64;
        let taken = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            });
        if taken.is_err() {
            self.0.store(0, Ordering::Relaxed);
        }
        taken.is_ok()
    }

    pub fn exhausted(&self) -> bool {
        self.0.load(Ordering::Relaxed) == 0
    }
}

fn spent() -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        "the custom rules' byte budget is used up",
    )
}

/// A `fmt::Write` that charges every byte to a budget and fails when it is used up.
struct Charged<'a> {
    out: String,
    bytes: &'a Bytes,
}

impl std::fmt::Write for Charged<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if !self.bytes.charge(s.len()) {
            return Err(std::fmt::Error);
        }
        self.out.push_str(s);
        Ok(())
    }
}

/// `join`, charging what it builds.
fn join(bytes: &Bytes, value: &Value, joiner: Option<&str>) -> Result<String, Error> {
    use std::fmt::Write as _;
    let mut w = Charged {
        out: String::new(),
        bytes,
    };
    for (i, item) in value.try_iter()?.enumerate() {
        let written = if i > 0 {
            w.write_str(joiner.unwrap_or_default())
        } else {
            Ok(())
        };
        written
            .and_then(|()| match item.as_str() {
                Some(s) => w.write_str(s),
                None => write!(w, "{item}"),
            })
            .map_err(|_| spent())?;
    }
    Ok(w.out)
}

/// `map` with an attribute or a filter name, and nothing that would repeat a value
/// (`default=`, filter arguments).
fn map(
    state: &mut State,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let attribute: Option<String> = kwargs.get("attribute")?;
    kwargs.assert_all_used()?;
    let mut out = Vec::new();
    match (attribute, &args[..]) {
        (Some(path), []) => {
            for item in value.try_iter()? {
                let mut v = item;
                for part in path.split('.') {
                    v = v.get_attr(part)?;
                }
                out.push(v);
            }
        }
        (None, [name]) => {
            let name = name.as_str().ok_or_else(|| {
                Error::new(ErrorKind::InvalidOperation, "map takes a filter name")
            })?;
            for item in value.try_iter()? {
                out.push(state.apply_filter(name, &[item])?);
            }
        }
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "custom rules use map(attribute='…') or map('filter') without arguments",
            ));
        }
    }
    Ok(Value::from(out))
}

/// `sum` of numbers (strings would concatenate, in quadratic time).
fn sum(value: &Value) -> Result<Value, Error> {
    let mut int: i64 = 0;
    let mut float: Option<f64> = None;
    for item in value.try_iter()? {
        if let Ok(i) = i64::try_from(item.clone()) {
            int = int
                .checked_add(i)
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "sum overflows"))?;
        } else if let Ok(f) = f64::try_from(item.clone()) {
            *float.get_or_insert(0.0) += f;
        } else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "custom rules sum numbers only",
            ));
        }
    }
    Ok(match float {
        Some(f) => Value::from(f + int as f64),
        None => Value::from(int),
    })
}

/// The environment of custom rules: empty but for the whitelisted filters and tests.
pub fn environment(bytes: &Bytes) -> Environment<'static> {
    use minijinja::filters as f;
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    for name in ["length", "count"] {
        env.add_filter(name, f::length);
    }
    for name in ["default", "d"] {
        env.add_filter(name, f::default);
    }
    env.add_filter("lower", f::lower);
    env.add_filter("upper", f::upper);
    env.add_filter("title", f::title);
    env.add_filter("capitalize", f::capitalize);
    env.add_filter("trim", f::trim);
    env.add_filter("first", f::first);
    env.add_filter("last", f::last);
    env.add_filter("min", f::min);
    env.add_filter("max", f::max);
    env.add_filter("abs", f::abs);
    env.add_filter("int", f::int);
    env.add_filter("float", f::float);
    env.add_filter("bool", f::bool);
    env.add_filter("round", f::round);
    env.add_filter("attr", f::attr);
    env.add_filter("list", f::list);
    env.add_filter("sort", f::sort);
    env.add_filter("unique", f::unique);
    env.add_filter("reverse", f::reverse);
    env.add_filter("items", f::items);
    env.add_filter("dictsort", f::dictsort);
    env.add_filter("select", f::select);
    env.add_filter("reject", f::reject);
    env.add_filter("selectattr", f::selectattr);
    env.add_filter("rejectattr", f::rejectattr);
    env.add_filter("map", map);
    env.add_filter("sum", sum);
    let b = bytes.clone();
    env.add_filter("join", move |v: &Value, j: Option<&str>| join(&b, v, j));
    add_tests(&mut env);
    env
}

/// Every minijinja test (they return a boolean), but `filter` and `test`.
fn add_tests(env: &mut Environment<'static>) {
    use minijinja::tests as t;
    env.add_test("defined", t::is_defined);
    env.add_test("undefined", t::is_undefined);
    env.add_test("none", t::is_none);
    env.add_test("boolean", t::is_boolean);
    env.add_test("true", t::is_true);
    env.add_test("false", t::is_false);
    env.add_test("odd", t::is_odd);
    env.add_test("even", t::is_even);
    env.add_test("divisibleby", t::is_divisibleby);
    env.add_test("number", t::is_number);
    env.add_test("integer", t::is_integer);
    env.add_test("int", t::is_integer);
    env.add_test("float", t::is_float);
    env.add_test("string", t::is_string);
    env.add_test("sequence", t::is_sequence);
    env.add_test("iterable", t::is_iterable);
    env.add_test("mapping", t::is_mapping);
    env.add_test("startingwith", t::is_startingwith);
    env.add_test("endingwith", t::is_endingwith);
    env.add_test("lower", t::is_lower);
    env.add_test("upper", t::is_upper);
    env.add_test("in", t::is_in);
    for name in ["eq", "equalto", "=="] {
        env.add_test(name, t::is_eq);
    }
    for name in ["ne", "!="] {
        env.add_test(name, t::is_ne);
    }
    for name in ["lt", "lessthan", "<"] {
        env.add_test(name, t::is_lt);
    }
    for name in ["le", "<="] {
        env.add_test(name, t::is_le);
    }
    for name in ["gt", "greaterthan", ">"] {
        env.add_test(name, t::is_gt);
    }
    for name in ["ge", ">="] {
        env.add_test(name, t::is_ge);
    }
}

/// An `io::Write` that keeps the first [`MESSAGE_CHARS`] characters of a message and
/// fails after them (which stops the rendering).
pub struct Message {
    pub text: String,
    pub cut: bool,
}

impl std::io::Write for Message {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = MESSAGE_CHARS.saturating_sub(self.text.chars().count());
        let s = String::from_utf8_lossy(buf);
        if s.chars().count() > room {
            self.text.extend(s.chars().take(room));
            self.cut = true;
            return Err(std::io::Error::other("message cut"));
        }
        self.text.push_str(&s);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
