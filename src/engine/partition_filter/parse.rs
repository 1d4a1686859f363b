//! Reading an `Expression` into sqlparser's syntax tree: the grammar is SQL's `WHERE` clause.

use crate::engine::{Error, Result};
use sqlparser::ast::Expr;
use sqlparser::dialect::Dialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Glue's flavour of SQL (JSQLParser's defaults): strings in single or double quotes, `''` inside a
/// string is a quote, backslashes are plain characters, identifiers may be quoted with backticks.
#[derive(Debug)]
struct GlueExpressionDialect;

impl Dialect for GlueExpressionDialect {
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_' || ch == '$'
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }
}

/// The expression's syntax tree, or `InvalidInput` saying where reading stopped. Nesting deeper than
/// sqlparser's recursion limit (50) is refused rather than risking the stack.
pub(super) fn parse(expression: &str) -> Result<Expr> {
    let dialect = GlueExpressionDialect;
    let unsupported = |e: ParserError| {
        let detail = match e {
            ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
            ParserError::RecursionLimitExceeded => "nested too deeply".to_string(),
        };
        Error::InvalidInput(format!("Unsupported expression '{expression}': {detail}"))
    };
    let mut parser = Parser::new(&dialect).try_with_sql(expression).map_err(unsupported)?;
    let expr = parser.parse_expr().map_err(unsupported)?;
    parser.expect_token(&Token::EOF).map_err(unsupported)?;
    Ok(expr)
}
