//! Glue's partition predicate (`GetPartitions`' `Expression`): SQL `WHERE`-clause syntax over a
//! table's partition keys, parsed with sqlparser, compiled once against the keys' names and types
//! and then tested against each partition's values.
//!
//! Supported: `=`, `<>`/`!=`, `<`, `<=`, `>`, `>=` between a key and a literal (either side),
//! `AND`, `OR`, `NOT`, parentheses, `[NOT] IN (…)`, `[NOT] BETWEEN … AND …`, `[NOT] LIKE` with `%`,
//! `_` and an optional `ESCAPE`, `IS [NOT] NULL`. Keys of type string/char/varchar compare as text,
//! int/integer/bigint/long/smallint/tinyint as integers, decimal exactly, date (`yyyy-MM-dd`) and
//! timestamp (`yyyy-MM-dd HH:mm:ss[.f…]`) in time; a literal is read as its key's type.

mod compile;
mod decimal;
mod eval;
mod like;
mod parse;
mod types;

#[cfg(test)]
mod tests;

use crate::engine::Result;
use compile::{Compiler, Declared};
use eval::{Node, Partition};

/// A compiled `Expression`, ready to test partitions of the table it was compiled for.
#[derive(Debug)]
pub struct PartitionFilter {
    root: Node,
    key_names: Vec<String>,
}

impl PartitionFilter {
    /// Compiles `expression` against the table's partition keys, `(name, type)` in declared order.
    /// A blank expression matches every partition. Syntax Glue does not support, an unknown key, a
    /// literal that is not of its key's type → `InvalidInput`.
    pub fn compile<'k>(
        expression: &str,
        keys: impl IntoIterator<Item = (&'k str, &'k str)>,
    ) -> Result<PartitionFilter> {
        let keys: Vec<Declared> = keys
            .into_iter()
            .map(|(name, type_name)| Declared { name, type_name })
            .collect();
        let key_names = keys.iter().map(|k| k.name.to_string()).collect();
        let root = if expression.trim().is_empty() {
            Node::All(Vec::new())
        } else {
            let expr = parse::parse(expression)?;
            Compiler {
                expression,
                keys: &keys,
            }
            .compile(&expr)?
        };
        Ok(PartitionFilter { root, key_names })
    }

    /// Whether a partition with these values (one per key, in key order) matches. A value the
    /// expression compares that is not of its key's type → `InvalidInput`.
    pub fn matches<S: AsRef<str>>(&self, values: &[S]) -> Result<bool> {
        self.root.eval(&Partition {
            values,
            key_names: &self.key_names,
        })
    }
}
