//! Table names as Glue's crawlers make them (Glue guide, "How crawlers work"): the custom prefix and
//! the folder or file name, lower case, every character but letters, digits and `_` replaced by
//! `_`, at most 128 characters; a name two tables would share gets a hash suffix.

use super::InferredTable;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const MAX_NAME: usize = 128;
const SUFFIX: usize = 9; // `_` and 8 hex digits

pub fn table_name(prefix: &str, name: &str) -> String {
    let clean: String = format!("{prefix}{name}")
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect();
    clean.chars().take(MAX_NAME).collect()
}

/// Every table but the first of a name gets `_` and a hash of its location.
pub fn make_unique(tables: &mut [InferredTable]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for t in tables.iter() {
        *seen.entry(t.name.clone()).or_default() += 1;
    }
    let mut first = std::collections::HashSet::new();
    for t in tables.iter_mut() {
        if seen[&t.name] > 1 && !first.insert(t.name.clone()) {
            let hash = hex::encode(Sha256::digest(t.location.as_bytes()));
            let stem: String = t.name.chars().take(MAX_NAME - SUFFIX).collect();
            t.name = format!("{stem}_{}", &hash[..8]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_case_alphanumeric_and_at_most_128_characters() {
        assert_eq!(table_name("Raw-", "year=2017"), "raw_year_2017");
        assert_eq!(table_name("", "data.csv"), "data_csv");
        assert_eq!(table_name("", &"x".repeat(200)).len(), 128);
    }
}
