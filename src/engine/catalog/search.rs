//! SearchTables: a text search and property filters over every table the caller's
//! catalog holds, sorted as asked.

use super::Table;
use crate::engine::clock::Timestamp;
use crate::engine::error::{Error, Result};
use crate::engine::region::Region;

/// A `PropertyPredicate`: a table field (or a parameter key) compared with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFilter {
    pub key: String,
    pub value: String,
    /// EQUALS (the default), GREATER_THAN, LESS_THAN, GREATER_THAN_EQUALS, LESS_THAN_EQUALS:
    /// the others are for the time fields.
    pub comparator: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Name,
    DatabaseName,
    CreateTime,
    UpdateTime,
}

impl SortField {
    pub fn parse(name: &str) -> Result<SortField> {
        Ok(match name {
            "Name" => SortField::Name,
            "DatabaseName" => SortField::DatabaseName,
            "CreateTime" => SortField::CreateTime,
            "UpdateTime" => SortField::UpdateTime,
            _ => {
                return Err(Error::InvalidInput(format!(
                    "SortCriteria FieldName {name} is not one of Name, DatabaseName, CreateTime, UpdateTime."
                )))
            }
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Matches a table whose name, database, description, owner, column names or
    /// comments, or parameter values contain it (any case); in double quotes, equal one.
    pub text: Option<String>,
    pub filters: Vec<SearchFilter>,
    /// The field and whether descending; without it by database, then name.
    pub sort: Option<(SortField, bool)>,
}

impl Region {
    pub fn search_tables(&self, query: &SearchQuery) -> Result<Vec<Table>> {
        let text = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let mut found = Vec::new();
        let catalog = self.catalog();
        for db in catalog.databases.values() {
            for entry in db.tables.values() {
                let table = entry.current();
                if text.is_none_or(|t| text_matches(table, t)) && all_filters_match(table, &query.filters)? {
                    found.push(table.clone());
                }
            }
        }
        if let Some((field, descending)) = query.sort {
            found.sort_by(|a, b| {
                let order = match field {
                    SortField::Name => a.name.cmp(&b.name),
                    SortField::DatabaseName => a.database_name.cmp(&b.database_name),
                    SortField::CreateTime => a.create_time.cmp(&b.create_time),
                    SortField::UpdateTime => a.update_time.cmp(&b.update_time),
                };
                if descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        Ok(found)
    }
}

/// The text fields a search looks at.
fn text_fields(table: &Table) -> Vec<&str> {
    let spec = &table.spec;
    let mut fields = vec![table.name.as_str(), table.database_name.as_str()];
    fields.extend(spec.description.as_deref());
    fields.extend(spec.owner.as_deref());
    fields.extend(spec.parameters.values().map(String::as_str));
    let columns = spec.storage_descriptor.iter().flat_map(|sd| sd.columns.iter());
    for column in columns.chain(spec.partition_keys.iter()) {
        fields.push(&column.name);
        fields.extend(column.comment.as_deref());
    }
    fields
}

fn text_matches(table: &Table, text: &str) -> bool {
    let fields = text_fields(table);
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(exact) => fields.iter().any(|f| f.eq_ignore_ascii_case(exact)),
        None => {
            let needle = text.to_lowercase();
            fields.iter().any(|f| f.to_lowercase().contains(&needle))
        }
    }
}

fn all_filters_match(table: &Table, filters: &[SearchFilter]) -> Result<bool> {
    for filter in filters {
        if !filter_matches(table, filter)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// String fields match when the value equals the field or one of its tokens (the
/// field split at punctuation: `customer-link` has `link`), as AWS documents.
fn filter_matches(table: &Table, filter: &SearchFilter) -> Result<bool> {
    let spec = &table.spec;
    let time = |t: Timestamp| compare_time(t, filter);
    let field = match filter.key.as_str() {
        "CreateTime" => return time(table.create_time),
        "UpdateTime" => return time(table.update_time),
        "Name" => Some(table.name.as_str()),
        "DatabaseName" => Some(table.database_name.as_str()),
        "Description" => spec.description.as_deref(),
        "Owner" => spec.owner.as_deref(),
        "TableType" => spec.table_type.as_deref(),
        "Location" => spec.storage_descriptor.as_ref().and_then(|sd| sd.location.as_deref()),
        key => spec.parameters.get(key).map(String::as_str),
    };
    let Some(field) = field else { return Ok(false) };
    let value = filter.value.as_str();
    Ok(field.eq_ignore_ascii_case(value)
        || field
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|token| token.eq_ignore_ascii_case(value)))
}

fn compare_time(t: Timestamp, filter: &SearchFilter) -> Result<bool> {
    let value = parse_time(&filter.value).ok_or_else(|| {
        Error::InvalidInput(format!(
            "Filter {} needs a time: epoch seconds or an ISO 8601 date-time, not {:?}.",
            filter.key, filter.value
        ))
    })?;
    Ok(match filter.comparator.as_deref().unwrap_or("EQUALS") {
        "GREATER_THAN" => t > value,
        "LESS_THAN" => t < value,
        "GREATER_THAN_EQUALS" => t >= value,
        "LESS_THAN_EQUALS" => t <= value,
        _ => t.0 / 1000 == value.0 / 1000,
    })
}

fn parse_time(value: &str) -> Option<Timestamp> {
    if let Ok(seconds) = value.trim().parse::<f64>() {
        return seconds.is_finite().then_some(Timestamp((seconds * 1000.0) as i64));
    }
    chrono::DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|t| Timestamp(t.timestamp_millis()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::catalog::{Column, StorageDescriptor, TableSpec};

    fn region() -> Region {
        let region = Region::new("1", "r", Default::default(), None);
        for db in ["raw", "curated"] {
            region
                .create_database(db, Default::default(), Default::default())
                .unwrap();
        }
        let spec = |description: &str, column: &str| TableSpec {
            description: Some(description.to_string()),
            storage_descriptor: Some(StorageDescriptor {
                columns: vec![Column {
                    name: column.to_string(),
                    ..Column::default()
                }],
                ..StorageDescriptor::default()
            }),
            parameters: [("classification".to_string(), "csv".to_string())].into(),
            ..TableSpec::default()
        };
        region
            .create_table("raw", "customer-link", spec("Linked customers", "id"))
            .unwrap();
        region.create_table("raw", "xxlinkyy", spec("other", "amount")).unwrap();
        region
            .create_table("curated", "orders", spec("Orders by day", "customer_id"))
            .unwrap();
        region
    }

    fn names(tables: Vec<Table>) -> Vec<String> {
        tables
            .into_iter()
            .map(|t| format!("{}.{}", t.database_name, t.name))
            .collect()
    }

    #[test]
    fn text_filters_and_sort() {
        let region = region();
        let search = |q: SearchQuery| names(region.search_tables(&q).unwrap());
        let text = |t: &str| SearchQuery {
            text: Some(t.to_string()),
            ..SearchQuery::default()
        };
        assert_eq!(search(text("customer")), ["curated.orders", "raw.customer-link"]);
        assert_eq!(search(text("\"amount\"")), ["raw.xxlinkyy"]);
        let filter = |key: &str, value: &str| SearchQuery {
            filters: vec![SearchFilter {
                key: key.to_string(),
                value: value.to_string(),
                comparator: None,
            }],
            ..SearchQuery::default()
        };
        assert_eq!(search(filter("Name", "link")), ["raw.customer-link"]);
        assert_eq!(search(filter("DatabaseName", "curated")), ["curated.orders"]);
        assert_eq!(search(filter("classification", "csv")).len(), 3);
        let sorted = SearchQuery {
            sort: Some((SortField::Name, true)),
            ..SearchQuery::default()
        };
        assert_eq!(search(sorted), ["raw.xxlinkyy", "curated.orders", "raw.customer-link"]);
        let later = SearchQuery {
            filters: vec![SearchFilter {
                key: "CreateTime".to_string(),
                value: "2000-01-01T00:00:00Z".to_string(),
                comparator: Some("GREATER_THAN".to_string()),
            }],
            ..SearchQuery::default()
        };
        assert_eq!(search(later).len(), 3);
        assert!(region.search_tables(&filter("CreateTime", "yesterday")).is_err());
    }
}
