//! The expressions of the Python subset that feedparser's `Expect:` lines are written in:
//! comparisons (chained), `and`/`or`/`not`, subscripts, attribute access, calls, `+` and literals
//! (strings, numbers, tuples, lists, dicts, `None`, `True`, `False`).

use super::tokens::{Token, tokenize};
use super::value::Value;

/// A parsed expression.
#[derive(Debug, Clone)]
pub enum Expr {
    Literal(Value),
    Name(String),
    Subscript(Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    Add(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// `a == b != c`: each neighbouring pair compared.
    Compare(Box<Expr>, Vec<(Op, Expr)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Is,
    IsNot,
}

/// Parses an expression; `None` when it uses syntax outside the subset.
pub fn parse(source: &str) -> Option<Expr> {
    let tokens = tokenize(source)?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or()?;
    (parser.at == parser.tokens.len()).then_some(expr)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, token: &Token) -> bool {
        let found = self.peek() == Some(token);
        self.at += usize::from(found);
        found
    }

    fn eat_name(&mut self, name: &str) -> bool {
        self.eat(&Token::Name(name.to_owned()))
    }

    fn expect(&mut self, punct: &'static str) -> Option<()> {
        self.eat(&Token::Punct(punct)).then_some(())
    }

    fn or(&mut self) -> Option<Expr> {
        let mut parts = vec![self.and()?];
        while self.eat_name("or") {
            parts.push(self.and()?);
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Option<Expr> {
        let mut parts = vec![self.not()?];
        while self.eat_name("and") {
            parts.push(self.not()?);
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn not(&mut self) -> Option<Expr> {
        if self.eat_name("not") {
            return Some(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Option<Expr> {
        let first = self.sum()?;
        let mut rest = Vec::new();
        while let Some(op) = self.operator() {
            rest.push((op, self.sum()?));
        }
        Some(if rest.is_empty() {
            first
        } else {
            Expr::Compare(Box::new(first), rest)
        })
    }

    fn operator(&mut self) -> Option<Op> {
        if self.eat(&Token::Punct("==")) {
            return Some(Op::Eq);
        }
        if self.eat(&Token::Punct("!=")) {
            return Some(Op::Ne);
        }
        if self.eat_name("in") {
            return Some(Op::In);
        }
        if self.eat_name("is") {
            return Some(if self.eat_name("not") {
                Op::IsNot
            } else {
                Op::Is
            });
        }
        if self.peek() == Some(&Token::Name("not".into()))
            && self.tokens.get(self.at + 1) == Some(&Token::Name("in".into()))
        {
            self.at += 2;
            return Some(Op::NotIn);
        }
        None
    }

    fn sum(&mut self) -> Option<Expr> {
        let mut left = self.postfix()?;
        while self.eat(&Token::Punct("+")) {
            left = Expr::Add(Box::new(left), Box::new(self.postfix()?));
        }
        Some(left)
    }

    fn postfix(&mut self) -> Option<Expr> {
        let mut expr = self.atom()?;
        loop {
            if self.eat(&Token::Punct("[")) {
                let index = self.or()?;
                self.expect("]")?;
                expr = Expr::Subscript(Box::new(expr), Box::new(index));
            } else if self.eat(&Token::Punct(".")) {
                let Some(Token::Name(name)) = self.peek().cloned() else {
                    return None;
                };
                self.at += 1;
                if self.eat(&Token::Punct("(")) {
                    // Method calls (`headers.get(…)`) are outside the subset.
                    self.items(")")?;
                    expr = Expr::Literal(Value::Ignored);
                } else {
                    // feedparser's dicts read keys as attributes too (`feed.link`).
                    expr =
                        Expr::Subscript(Box::new(expr), Box::new(Expr::Literal(Value::Str(name))));
                }
            } else {
                return Some(expr);
            }
        }
    }

    fn atom(&mut self) -> Option<Expr> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Str(mut text) => {
                // Adjacent literals concatenate.
                while let Some(Token::Str(more)) = self.peek() {
                    text.push_str(more);
                    self.at += 1;
                }
                Some(Expr::Literal(Value::Str(text)))
            }
            Token::Int(n) => Some(Expr::Literal(Value::Int(n))),
            Token::Float => Some(Expr::Literal(Value::Ignored)),
            Token::Punct("-") => match self.atom()? {
                Expr::Literal(Value::Int(n)) => Some(Expr::Literal(Value::Int(-n))),
                Expr::Literal(Value::Ignored) => Some(Expr::Literal(Value::Ignored)),
                _ => None,
            },
            Token::Name(name) => match name.as_str() {
                "None" => Some(Expr::Literal(Value::None)),
                "True" => Some(Expr::Literal(Value::Bool(true))),
                "False" => Some(Expr::Literal(Value::Bool(false))),
                _ if self.eat(&Token::Punct("(")) => Some(Expr::Call(name, self.items(")")?)),
                _ => Some(Expr::Name(name)),
            },
            Token::Punct("(") => {
                let items = self.items(")")?;
                Some(if items.len() == 1 && !self.last_was_comma() {
                    items.into_iter().next()?
                } else {
                    Expr::Tuple(items)
                })
            }
            Token::Punct("[") => Some(Expr::List(self.items("]")?)),
            Token::Punct("{") => self.dict(),
            Token::Punct(_) => None,
        }
    }

    fn last_was_comma(&self) -> bool {
        self.at >= 2 && self.tokens[self.at - 2] == Token::Punct(",")
    }

    /// Comma-separated expressions up to `close` (consumed).
    fn items(&mut self, close: &'static str) -> Option<Vec<Expr>> {
        let mut items = Vec::new();
        while !self.eat(&Token::Punct(close)) {
            items.push(self.or()?);
            if !self.eat(&Token::Punct(",")) {
                self.expect(close)?;
                break;
            }
        }
        Some(items)
    }

    fn dict(&mut self) -> Option<Expr> {
        let mut pairs = Vec::new();
        while !self.eat(&Token::Punct("}")) {
            let key = self.or()?;
            self.expect(":")?;
            pairs.push((key, self.or()?));
            if !self.eat(&Token::Punct(",")) {
                self.expect("}")?;
                break;
            }
        }
        Some(Expr::Dict(pairs))
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, items: &[Expr]| -> std::fmt::Result {
            for (i, item) in items.iter().enumerate() {
                write!(f, "{}{item}", if i == 0 { "" } else { ", " })?;
            }
            Ok(())
        };
        match self {
            Expr::Literal(Value::Str(text)) => write!(f, "{text:?}"),
            Expr::Literal(Value::Int(n)) => write!(f, "{n}"),
            Expr::Literal(Value::None) => write!(f, "None"),
            Expr::Literal(Value::Bool(b)) => write!(f, "{}", if *b { "True" } else { "False" }),
            Expr::Literal(_) => write!(f, "…"),
            Expr::Name(name) => write!(f, "{name}"),
            Expr::Subscript(target, index) => write!(f, "{target}[{index}]"),
            Expr::Call(name, args) => {
                write!(f, "{name}(")?;
                list(f, args)?;
                write!(f, ")")
            }
            Expr::Tuple(items) => {
                write!(f, "(")?;
                list(f, items)?;
                write!(f, ")")
            }
            Expr::List(items) => {
                write!(f, "[")?;
                list(f, items)?;
                write!(f, "]")
            }
            Expr::Dict(pairs) => {
                write!(f, "{{")?;
                for (i, (key, value)) in pairs.iter().enumerate() {
                    write!(f, "{}{key}: {value}", if i == 0 { "" } else { ", " })?;
                }
                write!(f, "}}")
            }
            Expr::Add(left, right) => write!(f, "{left} + {right}"),
            Expr::Not(inner) => write!(f, "not {inner}"),
            Expr::And(parts) | Expr::Or(parts) => {
                let joiner = if matches!(self, Expr::And(_)) {
                    " and "
                } else {
                    " or "
                };
                for (i, part) in parts.iter().enumerate() {
                    write!(f, "{}({part})", if i == 0 { "" } else { joiner })?;
                }
                Ok(())
            }
            Expr::Compare(first, rest) => {
                write!(f, "{first}")?;
                for (op, right) in rest {
                    let op = match op {
                        Op::Eq => "==",
                        Op::Ne => "!=",
                        Op::In => "in",
                        Op::NotIn => "not in",
                        Op::Is => "is",
                        Op::IsNot => "is not",
                    };
                    write!(f, " {op} {right}")?;
                }
                Ok(())
            }
        }
    }
}
