use super::super::{CatalogChange, Column, DatabaseSpec, TableSpec};
use super::write::PartitionsWritten;
use super::*;

fn key(name: &str, ty: &str) -> Column {
    Column {
        name: name.to_string(),
        column_type: Some(ty.to_string()),
        ..Column::default()
    }
}

/// A region with `db.t` partitioned by (region string, year int).
fn region() -> Region {
    let region = Region::new("1", "r", Default::default(), None);
    region
        .create_database("db", DatabaseSpec::default(), Default::default())
        .unwrap();
    let spec = TableSpec {
        partition_keys: vec![key("region", "string"), key("year", "int")],
        ..TableSpec::default()
    };
    region.create_table("db", "t", spec).unwrap();
    region
}

fn spec(values: &[&str]) -> PartitionSpec {
    PartitionSpec {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..PartitionSpec::default()
    }
}

fn vals(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn codes(errors: &[(Vec<String>, Error)]) -> Vec<(Vec<String>, &'static str)> {
    errors
        .iter()
        .map(|(v, e)| {
            let kind = match e {
                Error::AlreadyExists(_) => "exists",
                Error::NotFound(_) => "not found",
                Error::InvalidInput(_) => "invalid",
                _ => "other",
            };
            (v.clone(), kind)
        })
        .collect()
}

fn all_values(region: &Region, query: PartitionQuery) -> Vec<Vec<String>> {
    let mut query = query;
    let mut out = Vec::new();
    loop {
        let page = region.get_partitions("DB", "T", query.clone()).unwrap();
        assert!(page.partitions.len() <= query.max);
        out.extend(page.partitions.iter().map(|p| p.values.clone()));
        if !page.more {
            return out;
        }
        query.after = page.partitions.last().map(|p| p.values.clone());
    }
}

#[test]
fn batch_create_refuses_entry_by_entry() {
    let region = region();
    region.create_partition("db", "t", spec(&["eu", "1"])).unwrap();
    let errors = region
        .create_partitions(
            "db",
            "t",
            vec![
                spec(&["eu", "2"]),
                spec(&["eu", "1"]),
                spec(&["eu", "2"]),
                spec(&["eu"]),
                spec(&["us", "3"]),
            ],
        )
        .unwrap();
    assert_eq!(
        codes(&errors),
        [
            (vals(&["eu", "1"]), "exists"),
            (vals(&["eu", "2"]), "exists"),
            (vals(&["eu"]), "invalid")
        ]
    );
    assert_eq!(
        all_values(
            &region,
            PartitionQuery {
                max: 100,
                ..Default::default()
            }
        )
        .len(),
        3
    );
    assert!(matches!(
        region.create_partitions("db", "nope", vec![]),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn pages_expressions_and_segments_cover_each_partition_once() {
    let region = region();
    let specs: Vec<PartitionSpec> = (0..57).map(|i| spec(&[["eu", "us"][i % 2], &i.to_string()])).collect();
    region.create_partitions("db", "t", specs).unwrap();
    let everything = all_values(
        &region,
        PartitionQuery {
            max: 10,
            ..Default::default()
        },
    );
    assert_eq!(everything.len(), 57);
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(everything, sorted, "pages come in the order of the values");

    let filtered = all_values(
        &region,
        PartitionQuery {
            expression: Some("region = 'us' AND year >= 50"),
            max: 2,
            ..Default::default()
        },
    );
    assert_eq!(filtered, [["us", "51"], ["us", "53"], ["us", "55"]].map(|v| vals(&v)));

    let mut union: Vec<Vec<String>> = (0..4)
        .flat_map(|n| {
            all_values(
                &region,
                PartitionQuery {
                    max: 7,
                    segment: Some((n, 4)),
                    ..Default::default()
                },
            )
        })
        .collect();
    union.sort();
    assert_eq!(union, sorted, "the segments split the partitions without overlap");

    let bad = region.get_partitions(
        "db",
        "t",
        PartitionQuery {
            expression: Some("month = 1"),
            max: 1,
            ..Default::default()
        },
    );
    assert!(matches!(bad, Err(Error::InvalidInput(m)) if m.contains("Unknown column 'month'")));
}

#[test]
fn updates_keep_creation_time_and_may_move_partitions() {
    let region = region();
    region
        .create_partitions("db", "t", vec![spec(&["eu", "1"]), spec(&["eu", "2"])])
        .unwrap();
    let created = region
        .get_partition("db", "t", &vals(&["eu", "1"]))
        .unwrap()
        .creation_time;
    let mut changed = spec(&["eu", "1"]);
    changed.parameters.insert("k".into(), "v".into());
    // 1 → 3, then 3 → 4 in the same batch; 2 → 4 then collides; a missing one and a short one fail.
    let errors = region
        .update_partitions(
            "db",
            "t",
            vec![
                (vals(&["eu", "1"]), changed.clone()),
                (vals(&["eu", "1"]), spec(&["eu", "3"])),
                (vals(&["eu", "3"]), spec(&["eu", "4"])),
                (vals(&["eu", "2"]), spec(&["eu", "4"])),
                (vals(&["eu", "9"]), spec(&["eu", "9"])),
                (vals(&["eu", "2"]), spec(&["eu"])),
            ],
        )
        .unwrap();
    assert_eq!(
        codes(&errors),
        [
            (vals(&["eu", "2"]), "exists"),
            (vals(&["eu", "9"]), "not found"),
            (vals(&["eu", "2"]), "invalid")
        ]
    );
    let now = all_values(
        &region,
        PartitionQuery {
            max: 10,
            ..Default::default()
        },
    );
    assert_eq!(now, [vals(&["eu", "2"]), vals(&["eu", "4"])]);
    let moved = region.get_partition("db", "t", &vals(&["eu", "4"])).unwrap();
    assert_eq!(moved.creation_time, created);
}

#[test]
fn put_partitions_creates_replaces_or_leaves_alone() {
    let region = region();
    let first = region
        .put_partitions("db", "t", vec![spec(&["eu", "1"]), spec(&["eu", "2"])])
        .unwrap();
    assert_eq!(
        first,
        PartitionsWritten {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let mut moved = spec(&["eu", "2"]);
    moved.parameters.insert("k".into(), "v".into());
    let second = region
        .put_partitions("db", "t", vec![spec(&["eu", "1"]), moved, spec(&["eu", "3"])])
        .unwrap();
    assert_eq!(
        second,
        PartitionsWritten {
            created: 1,
            updated: 1,
            unchanged: 1
        }
    );
    assert!(matches!(
        region.put_partitions("db", "t", vec![spec(&["eu"])]),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn deletes_report_what_is_missing_and_the_table_takes_its_partitions() {
    let region = region();
    region
        .create_partitions("db", "t", vec![spec(&["eu", "1"]), spec(&["eu", "2"])])
        .unwrap();
    let errors = region
        .delete_partitions("db", "t", &[vals(&["eu", "1"]), vals(&["eu", "1"]), vals(&["us", "1"])])
        .unwrap();
    assert_eq!(
        codes(&errors),
        [(vals(&["eu", "1"]), "not found"), (vals(&["us", "1"]), "not found")]
    );
    region.delete_table("db", "t").unwrap();
    region.create_table("db", "t", TableSpec::default()).unwrap();
    assert!(region.get_partition("db", "t", &vals(&["eu", "2"])).is_err());
}

#[test]
fn the_journal_record_replays_to_the_same_partitions() {
    let region = region();
    region
        .create_partitions("db", "t", vec![spec(&["eu", "1"]), spec(&["eu", "2"])])
        .unwrap();
    let put = region.get_partition("db", "t", &vals(&["eu", "1"])).unwrap();
    let change = CatalogChange::Partitions {
        database: "db".into(),
        table: "t".into(),
        put: vec![put.clone()],
        delete: vec![vals(&["eu", "2"])],
    };
    let replayed: CatalogChange = serde_json::from_str(&serde_json::to_string(&change).unwrap()).unwrap();
    let fresh = Region::new("1", "r", Default::default(), None);
    fresh
        .create_database("db", DatabaseSpec::default(), Default::default())
        .unwrap();
    fresh.create_table("db", "t", TableSpec::default()).unwrap();
    fresh.catalog_write().commit(replayed).unwrap();
    assert_eq!(fresh.get_partition("db", "t", &vals(&["eu", "1"])).unwrap(), put);
}
