//! The compiled predicate and its evaluation over one partition's values.

use super::types::{KeyType, Scalar};
use crate::engine::{Error, Result};
use regex::Regex;
use std::cmp::Ordering;

/// A partition key the expression names: its position among the table's keys and its type.
#[derive(Debug, Clone, Copy)]
pub(super) struct Key {
    pub index: usize,
    pub ty: KeyType,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The same test with the operands swapped (`5 < k` is `k > 5`).
    pub(super) fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            same => same,
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Cmp::Eq => ordering.is_eq(),
            Cmp::Ne => ordering.is_ne(),
            Cmp::Lt => ordering.is_lt(),
            Cmp::Le => ordering.is_le(),
            Cmp::Gt => ordering.is_gt(),
            Cmp::Ge => ordering.is_ge(),
        }
    }
}

/// Literals are already read as their key's type; a partition's value is read when tested.
#[derive(Debug)]
pub(super) enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Compare {
        key: Key,
        cmp: Cmp,
        literal: Scalar<'static>,
    },
    /// `set` is sorted and without duplicates.
    In {
        key: Key,
        set: Vec<Scalar<'static>>,
        negated: bool,
    },
    Between {
        key: Key,
        low: Scalar<'static>,
        high: Scalar<'static>,
        negated: bool,
    },
    Like {
        key: Key,
        pattern: Regex,
        negated: bool,
    },
    IsNull {
        key: Key,
        negated: bool,
    },
}

/// One partition's values, with the key names to word an error.
pub(super) struct Partition<'v, S> {
    pub values: &'v [S],
    pub key_names: &'v [String],
}

impl<'v, S: AsRef<str>> Partition<'v, S> {
    /// The partition's value for `key` read as the key's type; None when the partition has no value
    /// for it (a key added to the table after the partition). A value that is not of the key's type
    /// makes the whole request fail, as there is no right answer for it.
    fn read(&self, key: Key) -> Result<Option<Scalar<'v>>> {
        let Some(text) = self.values.get(key.index) else {
            return Ok(None);
        };
        let text = text.as_ref();
        key.ty.read(text).map(Some).map_err(|what| {
            Error::InvalidInput(format!(
                "Partition value '{text}' of key {} is {what}",
                self.key_names[key.index]
            ))
        })
    }
}

fn order<'a>(a: &Scalar<'a>, b: &Scalar<'a>) -> Ordering {
    a.cmp(b)
}

impl Node {
    pub(super) fn eval<S: AsRef<str>>(&self, partition: &Partition<'_, S>) -> Result<bool> {
        Ok(match self {
            Node::All(nodes) => {
                for node in nodes {
                    if !node.eval(partition)? {
                        return Ok(false);
                    }
                }
                true
            }
            Node::Any(nodes) => {
                for node in nodes {
                    if node.eval(partition)? {
                        return Ok(true);
                    }
                }
                false
            }
            Node::Not(node) => !node.eval(partition)?,
            Node::Compare { key, cmp, literal } => match partition.read(*key)? {
                Some(value) => cmp.holds(order(&value, literal)),
                None => false,
            },
            Node::In { key, set, negated } => match partition.read(*key)? {
                Some(value) => set.binary_search_by(|x| order(x, &value)).is_ok() != *negated,
                None => false,
            },
            Node::Between {
                key,
                low,
                high,
                negated,
            } => match partition.read(*key)? {
                Some(value) => (order(low, &value).is_le() && order(&value, high).is_le()) != *negated,
                None => false,
            },
            Node::Like { key, pattern, negated } => match partition.values.get(key.index) {
                Some(value) => pattern.is_match(value.as_ref()) != *negated,
                None => false,
            },
            Node::IsNull { key, negated } => partition.values.get(key.index).is_none() != *negated,
        })
    }
}
