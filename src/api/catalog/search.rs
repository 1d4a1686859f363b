//! SearchTables.

use super::{own_catalog, TableOut};
use crate::api::pagination::{self, PageRequest};
use crate::api::{Ctx, Reply};
use crate::engine::catalog::{SearchFilter, SearchQuery, SortField};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PropertyPredicate {
    key: Option<String>,
    value: Option<String>,
    comparator: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SortCriterion {
    field_name: Option<String>,
    sort: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchInput {
    catalog_id: Option<String>,
    #[serde(flatten)]
    page: PageRequest,
    #[serde(default)]
    filters: Vec<PropertyPredicate>,
    search_text: Option<String>,
    #[serde(default)]
    sort_criteria: Vec<SortCriterion>,
    resource_share_type: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchOutput {
    table_list: Vec<TableOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn search(ctx: &Ctx, i: SearchInput) -> Reply<SearchOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    // Tokens are for this query only: its members are the scope.
    let scope = ctx.scope(format!(
        "SearchTables/{:?}/{}/{}/{:?}",
        i.search_text,
        serde_json::to_string(&i.filters).unwrap_or_default(),
        serde_json::to_string(&i.sort_criteria).unwrap_or_default(),
        i.resource_share_type
    ));
    let sort = match i.sort_criteria.first() {
        Some(SortCriterion {
            field_name: Some(field),
            sort,
        }) => Some((SortField::parse(field)?, sort.as_deref() == Some("DESC"))),
        _ => None,
    };
    let query = SearchQuery {
        text: i.search_text,
        filters: i
            .filters
            .into_iter()
            .filter_map(|f| {
                Some(SearchFilter {
                    key: f.key?,
                    value: f.value?,
                    comparator: f.comparator,
                })
            })
            .collect(),
        sort,
    };
    // No table is shared from another account: FOREIGN finds none.
    let tables = match i.resource_share_type.as_deref() {
        Some("FOREIGN") => Vec::new(),
        _ => ctx.region.search_tables(&query)?,
    };
    let keyed: Vec<(String, _)> = tables
        .into_iter()
        .map(|t| (format!("{}\n{}", t.database_name, t.name), t))
        .collect();
    let (page, next_token) = pagination::page_after_id(
        &scope,
        keyed,
        |(key, _)| key.as_str(),
        i.page.next_token.as_deref(),
        i.page.max_results,
        100,
    )?;
    Ok(SearchOutput {
        table_list: page.into_iter().map(|(_, t)| TableOut::new(ctx, t)).collect(),
        next_token,
    })
}
