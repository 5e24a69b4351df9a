//! The subset of Python that feedparser's `Expect:` lines are written in: comparisons (chained),
//! `and`/`or`/`not`, subscripts, `len()`, string concatenation and literals (strings with their
//! escapes, numbers, tuples, lists, dicts, `None`, `True`, `False`).
//!
//! Evaluation is three-valued: a name or key that has no counterpart in feedhook's model is
//! [`Value::Ignored`], and so is every comparison that touches one. `and`/`or` drop ignored
//! operands, so `not bozo and entries[0]['title'] == 'x'` asks only about the title.

use std::collections::BTreeMap;

use super::expr::{Expr, Op};
use super::value::{Field, Value};

/// What an expression is evaluated against.
pub struct Scope<'a> {
    pub names: &'a BTreeMap<String, Value>,
    /// Compares one of feedhook's fields with an expected value: `Some(agrees)`, or `None` when
    /// the expected value is of a kind the field cannot be compared with.
    pub compare: &'a dyn Fn(&Field, &Value) -> Option<bool>,
    /// Whether a subscript path (`entries.*.title`, list indices as `*`) names a field feedhook
    /// extracts; any other path is ignored, present or not.
    pub mapped: &'a dyn Fn(&str) -> bool,
}

/// Splits the top-level `and` of `expr` into its conjuncts, so each is counted on its own.
pub fn conjuncts(expr: Expr) -> Vec<Expr> {
    match expr {
        Expr::And(parts) => parts.into_iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

/// Evaluates `expr` with `names` bound; `Ignored` when nothing in it could be compared.
pub fn eval(expr: &Expr, scope: &Scope) -> Value {
    match expr {
        Expr::Literal(value) => value.clone(),
        Expr::Name(name) => scope.names.get(name).cloned().unwrap_or(Value::Ignored),
        Expr::Subscript(target, index) => match path_of(expr) {
            Some(path) if !(scope.mapped)(&path) => Value::Ignored,
            _ => subscript(eval(target, scope), &eval(index, scope)),
        },
        Expr::Call(name, args) => call(name, args, scope),
        Expr::Tuple(items) | Expr::List(items) => {
            Value::Seq(items.iter().map(|item| eval(item, scope)).collect())
        }
        Expr::Dict(pairs) => {
            let mut dict = BTreeMap::new();
            for (key, value) in pairs {
                let Value::Str(key) = eval(key, scope) else {
                    return Value::Ignored;
                };
                dict.insert(key, eval(value, scope));
            }
            Value::Dict {
                entries: dict,
                open: false,
            }
        }
        Expr::Add(left, right) => match (eval(left, scope), eval(right, scope)) {
            (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
            (Value::Int(a), Value::Int(b)) => Value::Int(a + b),
            _ => Value::Ignored,
        },
        Expr::Not(inner) => match eval(inner, scope) {
            // Python raises `KeyError` before `not` applies.
            Value::Missing => Value::Bool(false),
            value => truth(&value).map_or(Value::Ignored, |known| Value::Bool(!known)),
        },
        Expr::And(parts) => logic(parts, scope, true),
        Expr::Or(parts) => logic(parts, scope, false),
        Expr::Compare(first, rest) => {
            let mut left = eval(first, scope);
            let mut outcome = Value::Ignored;
            for (op, right) in rest {
                let right = eval(right, scope);
                match compare(*op, &left, &right, scope.compare) {
                    Some(false) => return Value::Bool(false),
                    Some(true) => outcome = Value::Bool(true),
                    None => {}
                }
                left = right;
            }
            outcome
        }
    }
}

/// `and` (`all`) or `or`, with ignored operands left out.
fn logic(parts: &[Expr], scope: &Scope, all: bool) -> Value {
    let known: Vec<bool> = parts
        .iter()
        .filter_map(|part| truth(&eval(part, scope)))
        .collect();
    if known.is_empty() {
        Value::Ignored
    } else if all {
        Value::Bool(known.iter().all(|&b| b))
    } else {
        Value::Bool(known.iter().any(|&b| b))
    }
}

/// The truth of a value, or `None` for an ignored one.
pub fn truth(value: &Value) -> Option<bool> {
    match value {
        Value::Ignored => None,
        Value::Missing | Value::None => Some(false),
        Value::Bool(b) => Some(*b),
        Value::Int(n) => Some(*n != 0),
        Value::Str(s) => Some(!s.is_empty()),
        Value::Seq(items) => Some(!items.is_empty()),
        Value::Dict { entries, .. } => Some(!entries.is_empty()),
        Value::Field(_) => Some(true),
    }
}

fn subscript(target: Value, index: &Value) -> Value {
    match (target, index) {
        (Value::Dict { mut entries, open }, Value::Str(key)) => entries
            .remove(key)
            .unwrap_or(if open { Value::Ignored } else { Value::Missing }),
        (Value::Seq(items), Value::Int(i)) => {
            let at = if *i < 0 { items.len() as i64 + i } else { *i };
            usize::try_from(at)
                .ok()
                .and_then(|at| items.into_iter().nth(at))
                .unwrap_or(Value::Missing)
        }
        (Value::Missing, _) => Value::Missing,
        _ => Value::Ignored,
    }
}

fn call(name: &str, args: &[Expr], scope: &Scope) -> Value {
    match (name, args) {
        ("len", [arg]) => match eval(arg, scope) {
            Value::Seq(items) => Value::Int(items.len() as i64),
            Value::Str(s) => Value::Int(s.chars().count() as i64),
            Value::Missing => Value::Missing,
            _ => Value::Ignored,
        },
        _ => Value::Ignored,
    }
}

fn compare(
    op: Op,
    left: &Value,
    right: &Value,
    cmp: &dyn Fn(&Field, &Value) -> Option<bool>,
) -> Option<bool> {
    if matches!(left, Value::Missing) || matches!(right, Value::Missing) {
        // Python raises `KeyError` or `IndexError`: the expectation fails.
        return Some(false);
    }
    let equal = |l: &Value, r: &Value| equal(l, r, cmp);
    match op {
        Op::Eq | Op::Is => equal(left, right),
        Op::Ne | Op::IsNot => equal(left, right).map(|eq| !eq),
        Op::In | Op::NotIn => {
            let found = match right {
                Value::Dict { entries, open } => match left {
                    Value::Str(key) => match entries.get(key) {
                        Some(Value::Missing) => Some(false),
                        Some(Value::Ignored) => None,
                        None => (!open).then_some(false),
                        Some(_) => Some(true),
                    },
                    _ => None,
                },
                Value::Seq(items) => {
                    let outcomes: Vec<Option<bool>> =
                        items.iter().map(|item| equal(left, item)).collect();
                    if outcomes.contains(&Some(true)) {
                        Some(true)
                    } else if outcomes.iter().all(Option::is_some) {
                        Some(false)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            found.map(|found| found == (op == Op::In))
        }
    }
}

/// Python's `==` where one side may be a field of feedhook's or ignored.
fn equal(
    left: &Value,
    right: &Value,
    cmp: &dyn Fn(&Field, &Value) -> Option<bool>,
) -> Option<bool> {
    match (left, right) {
        (Value::Ignored, _) | (_, Value::Ignored) => None,
        (Value::Field(field), other) | (other, Value::Field(field)) => cmp(field, other),
        (Value::None, Value::None) => Some(true),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Int(a), Value::Int(b)) => Some(a == b),
        (Value::Bool(a), Value::Int(b)) | (Value::Int(b), Value::Bool(a)) => {
            Some(i64::from(*a) == *b)
        }
        (Value::Str(a), Value::Str(b)) => Some(a == b),
        (Value::Seq(a), Value::Seq(b)) => {
            if a.len() != b.len() {
                return Some(false);
            }
            all_known(a.iter().zip(b).map(|(l, r)| equal(l, r, cmp)))
        }
        (
            Value::Dict {
                entries: a,
                open: a_open,
            },
            Value::Dict {
                entries: b,
                open: b_open,
            },
        ) => {
            // A key that an open dict (feedhook's view) does not know is not compared.
            let keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            all_known(keys.into_iter().map(|key| match (a.get(key), b.get(key)) {
                (Some(l), Some(r)) => equal(l, r, cmp),
                (Some(_), None) if *b_open => None,
                (None, Some(_)) if *a_open => None,
                _ => Some(false),
            }))
        }
        _ => Some(false),
    }
}

/// `Some(true)` when every outcome is known and true, `Some(false)` when one is known false,
/// `None` when nothing was known.
fn all_known(outcomes: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut any_known = false;
    for outcome in outcomes {
        match outcome {
            Some(false) => return Some(false),
            Some(true) => any_known = true,
            None => {}
        }
    }
    any_known.then_some(true)
}

/// The subscript paths of `expr` (`entries[0]['title']`) with what they evaluate to, to show
/// what feedhook had where an expectation failed.
pub fn observed(expr: &Expr, scope: &Scope) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    collect_paths(expr, &mut |path| {
        out.push((path.to_string(), eval(path, scope)));
    });
    out
}

/// `entries.*.title` for `entries[0]['title']`; `None` unless rooted in a name with literal keys.
fn path_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.clone()),
        Expr::Subscript(target, index) => {
            let key = match &**index {
                Expr::Literal(Value::Str(key)) => key.clone(),
                Expr::Literal(Value::Int(_)) => "*".to_owned(),
                _ => return None,
            };
            Some(format!("{}.{key}", path_of(target)?))
        }
        _ => None,
    }
}

fn collect_paths(expr: &Expr, visit: &mut dyn FnMut(&Expr)) {
    match expr {
        Expr::Subscript(..) => visit(expr),
        Expr::Call(_, items) | Expr::Tuple(items) | Expr::List(items) => {
            for item in items {
                collect_paths(item, visit);
            }
        }
        Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| collect_paths(p, visit)),
        Expr::Not(inner) => collect_paths(inner, visit),
        Expr::Add(left, right) => {
            collect_paths(left, visit);
            collect_paths(right, visit);
        }
        Expr::Compare(first, rest) => {
            collect_paths(first, visit);
            for (_, right) in rest {
                collect_paths(right, visit);
            }
        }
        Expr::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
            collect_paths(k, visit);
            collect_paths(v, visit);
        }),
        Expr::Literal(_) | Expr::Name(_) => {}
    }
}
