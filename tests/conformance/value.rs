//! Values of the Python subset, and the fields of feedhook's that the view puts among them.

use std::collections::BTreeMap;

/// A value: Python data, or one of feedhook's fields with the comparison that fits it.
#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Value>),
    /// A dict; an `open` one (a view of feedhook's model) knows only some keys, and any other key
    /// is ignored rather than missing.
    Dict {
        entries: BTreeMap<String, Value>,
        open: bool,
    },
    /// A field of feedhook's that a string is compared with by `compare`.
    Field(Field),
    /// A key feedhook's model does not have, or anything computed from one.
    Ignored,
    /// A key feedhook's model has, with no value in this document: Python raises `KeyError`.
    Missing,
}

/// How a field of feedhook's compares with an expected Python value.
#[derive(Debug, Clone)]
pub enum Field {
    /// Text: compared with the expected string read as text or as HTML (see `compare`).
    Text(String),
    /// An absolute URL; an expected relative one is resolved against `base` first.
    Url { value: String, base: String },
    /// A UTC date as `(year, month, day, hour, minute, second)`.
    Date([i64; 6]),
    /// A plain string compared exactly, surrounding whitespace aside (ids, categories).
    Exact(String),
    /// A person's name (or address): also equal to an expected `Name (address)` or
    /// `address (Name)`.
    Person(String),
}
