//! From sqlparser's syntax tree to the predicate over a table's partition keys: names resolved,
//! literals read as their key's type, and everything the grammar allows but Glue does not refused.

use super::eval::{Cmp, Key, Node};
use super::like::like_regex;
use super::types::{KeyType, Scalar};
use crate::engine::{Error, Result};
use sqlparser::ast::{BinaryOperator, DataType, Expr, InTarget, UnaryOperator, Value};
use std::borrow::Cow;

/// A partition key as the table declares it.
pub(super) struct Declared<'k> {
    pub name: &'k str,
    pub type_name: &'k str,
}

pub(super) struct Compiler<'a> {
    pub expression: &'a str,
    pub keys: &'a [Declared<'a>],
}

impl Compiler<'_> {
    pub(super) fn compile(&self, expr: &Expr) -> Result<Node> {
        match expr {
            Expr::Nested(inner) => self.compile(inner),
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => Ok(Node::Not(Box::new(self.compile(expr)?))),
            Expr::BinaryOp {
                op: BinaryOperator::And,
                ..
            } => self.chain(expr, &BinaryOperator::And).map(Node::All),
            Expr::BinaryOp {
                op: BinaryOperator::Or, ..
            } => self.chain(expr, &BinaryOperator::Or).map(Node::Any),
            Expr::BinaryOp { left, op, right } => self.comparison(expr, left, op, right),
            Expr::IsNull(operand) | Expr::IsNotNull(operand) => Ok(Node::IsNull {
                key: self.key(operand)?,
                negated: matches!(expr, Expr::IsNotNull(_)),
            }),
            Expr::In {
                expr: operand,
                target: InTarget::List(list),
                negated,
                global: false,
            } => {
                let key = self.key(operand)?;
                let mut set = list
                    .iter()
                    .map(|item| self.literal(key, item))
                    .collect::<Result<Vec<_>>>()?;
                set.sort();
                set.dedup();
                Ok(Node::In {
                    key,
                    set,
                    negated: *negated,
                })
            }
            Expr::Between {
                expr: operand,
                negated,
                low,
                high,
            } => {
                let key = self.key(operand)?;
                Ok(Node::Between {
                    key,
                    low: self.literal(key, low)?,
                    high: self.literal(key, high)?,
                    negated: *negated,
                })
            }
            Expr::Like {
                negated,
                any: false,
                expr: operand,
                pattern,
                escape_char,
            } => self.like(operand, pattern, escape_char.as_deref(), *negated),
            other => Err(self.unsupported(format!("{other} is not a supported condition"))),
        }
    }

    /// `a AND b AND c …` as one list, walked without recursion: a long chain is a deep tree.
    fn chain(&self, expr: &Expr, op: &BinaryOperator) -> Result<Vec<Node>> {
        let mut operands = Vec::new();
        let mut stack = vec![expr];
        while let Some(e) = stack.pop() {
            match e {
                Expr::BinaryOp { left, op: o, right } if o == op => {
                    stack.push(right);
                    stack.push(left);
                }
                other => operands.push(self.compile(other)?),
            }
        }
        Ok(operands)
    }

    fn comparison(&self, expr: &Expr, left: &Expr, op: &BinaryOperator, right: &Expr) -> Result<Node> {
        let cmp = match op {
            BinaryOperator::Eq => Cmp::Eq,
            BinaryOperator::NotEq => Cmp::Ne,
            BinaryOperator::Lt => Cmp::Lt,
            BinaryOperator::LtEq => Cmp::Le,
            BinaryOperator::Gt => Cmp::Gt,
            BinaryOperator::GtEq => Cmp::Ge,
            other => return Err(self.unsupported(format!("operator {other} is not supported"))),
        };
        let (key_side, literal_side, cmp) = if is_column(left) {
            (left, right, cmp)
        } else if is_column(right) {
            (right, left, cmp.flipped())
        } else {
            return Err(self.unsupported(format!("{expr} compares no partition key")));
        };
        let key = self.key(key_side)?;
        Ok(Node::Compare {
            key,
            cmp,
            literal: self.literal(key, literal_side)?,
        })
    }

    fn like(&self, operand: &Expr, pattern: &Expr, escape: Option<&Expr>, negated: bool) -> Result<Node> {
        let key = self.key(operand)?;
        if key.ty != KeyType::Text {
            return Err(Error::InvalidInput(format!(
                "{} data type doesn't support operation 'LIKE'",
                key.ty.family()
            )));
        }
        let string = |e: &Expr| match e {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        let pattern =
            string(pattern).ok_or_else(|| self.unsupported(format!("the LIKE pattern {pattern} is not a string")))?;
        let escape = match escape {
            None => None,
            Some(e) => {
                let text = string(e).unwrap_or_default();
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(c),
                    _ => return Err(self.unsupported(format!("ESCAPE {e} is not one character"))),
                }
            }
        };
        let pattern = like_regex(&pattern, escape).map_err(Error::InvalidInput)?;
        Ok(Node::Like { key, pattern, negated })
    }

    /// The partition key `expr` names (case-insensitively, as Hive does).
    fn key(&self, expr: &Expr) -> Result<Key> {
        let Expr::Identifier(ident) = expr else {
            return Err(self.unsupported(format!("{expr} is not a partition key")));
        };
        let Some(index) = self.keys.iter().position(|k| k.name.eq_ignore_ascii_case(&ident.value)) else {
            let names: Vec<&str> = self.keys.iter().map(|k| k.name).collect();
            return Err(Error::InvalidInput(format!(
                "Unknown column '{}': the table's partition keys are [{}]",
                ident.value,
                names.join(", ")
            )));
        };
        let ty = KeyType::of(self.keys[index].type_name).map_err(Error::InvalidInput)?;
        Ok(Key { index, ty })
    }

    /// A literal read as `key`'s type: `'2024-01-01'` is a date for a date key, `10` is the string
    /// "10" for a string key.
    fn literal(&self, key: Key, expr: &Expr) -> Result<Scalar<'static>> {
        let text = literal_text(expr).ok_or_else(|| self.unsupported(format!("{expr} is not a literal")))?;
        let declared = &self.keys[key.index];
        key.ty.read(&text).map(Scalar::into_owned).map_err(|what| {
            Error::InvalidInput(format!(
                "'{text}' is {what}: partition key {} is of type {}",
                declared.name, declared.type_name
            ))
        })
    }

    fn unsupported(&self, detail: String) -> Error {
        Error::InvalidInput(format!("Unsupported expression '{}': {detail}", self.expression))
    }
}

fn is_column(expr: &Expr) -> bool {
    matches!(expr, Expr::Identifier(_))
}

/// The text of a number, a quoted string, a signed number or `DATE '…'` / `TIMESTAMP '…'`.
fn literal_text(expr: &Expr) -> Option<Cow<'_, str>> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(Cow::Borrowed(n)),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(Cow::Borrowed(s)),
            _ => None,
        },
        Expr::UnaryOp {
            op: op @ (UnaryOperator::Minus | UnaryOperator::Plus),
            expr,
        } => match expr.as_ref() {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) if *op == UnaryOperator::Minus => Some(Cow::Owned(format!("-{n}"))),
                Value::Number(n, _) => Some(Cow::Borrowed(n)),
                _ => None,
            },
            _ => None,
        },
        Expr::TypedString(typed) if matches!(typed.data_type, DataType::Date | DataType::Timestamp(..)) => {
            match &typed.value.value {
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(Cow::Borrowed(s)),
                _ => None,
            }
        }
        _ => None,
    }
}
