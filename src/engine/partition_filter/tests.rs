//! The expression grammar against a table of cases: each expression, over the same partitions,
//! matches exactly the listed ones or fails with a message containing the listed text.

use super::PartitionFilter;
use crate::engine::Error;

const KEYS: &[(&str, &str)] = &[
    ("region", "string"),
    ("year", "int"),
    ("day", "date"),
    ("ts", "timestamp"),
    ("price", "decimal(10,2)"),
    ("code", "varchar(5)"),
    ("flag", "boolean"),
];

const PARTITIONS: &[[&str; 7]] = &[
    [
        "eu-west-1",
        "2023",
        "2023-12-31",
        "2023-12-31 23:59:59",
        "9.99",
        "A1",
        "true",
    ],
    [
        "us-east-1",
        "2024",
        "2024-01-01",
        "2024-01-01 00:00:00",
        "10",
        "B_2",
        "false",
    ],
    [
        "us-west-2",
        "9",
        "2024-02-29",
        "2024-02-29 12:30:00.5",
        "100.50",
        "c%3",
        "true",
    ],
    [
        "ap-south-1",
        "10",
        "2024-10-10",
        "2024-10-10 08:00:00.123456789",
        "-1.5",
        "a1",
        "false",
    ],
];

enum Expect {
    Matches(&'static [usize]),
    Fails(&'static str),
}
use Expect::{Fails, Matches};

const ALL: Expect = Matches(&[0, 1, 2, 3]);
const NONE: Expect = Matches(&[]);

const CASES: &[(&str, Expect)] = &[
    // strings
    ("region = 'us-east-1'", Matches(&[1])),
    ("region = \"us-east-1\"", Matches(&[1])),
    ("REGION = 'us-east-1'", Matches(&[1])),
    ("`region` = 'us-east-1'", Matches(&[1])),
    ("region <> 'us-east-1'", Matches(&[0, 2, 3])),
    ("region != 'us-east-1'", Matches(&[0, 2, 3])),
    ("region > 'eu'", Matches(&[0, 1, 2])),
    ("'us' < region", Matches(&[1, 2])),
    ("region <= 'eu-west-1'", Matches(&[0, 3])),
    ("region = 'it''s'", NONE),
    ("region IN ('us-east-1', \"ap-south-1\")", Matches(&[1, 3])),
    ("region NOT IN ('us-east-1')", Matches(&[0, 2, 3])),
    ("region BETWEEN 'b' AND 'v'", Matches(&[0, 1, 2])),
    ("region LIKE '%-1'", Matches(&[0, 1, 3])),
    ("region LIKE 'us%'", Matches(&[1, 2])),
    ("region IS NULL", NONE),
    ("region IS NOT NULL", ALL),
    // a number literal against a string key is its text
    ("code = 'A1' OR region = 2024", Matches(&[0])),
    // integers compare as numbers, not text
    ("year > 9", Matches(&[0, 1, 3])),
    ("year > '9'", Matches(&[0, 1, 3])),
    ("9 < year", Matches(&[0, 1, 3])),
    ("year >= 10 AND year <= 2023", Matches(&[0, 3])),
    ("year = 2024", Matches(&[1])),
    ("year = +2024", Matches(&[1])),
    ("year < -1", NONE),
    ("year > -1", ALL),
    ("year BETWEEN 9 AND 10", Matches(&[2, 3])),
    ("year NOT BETWEEN 9 AND 10", Matches(&[0, 1])),
    ("year BETWEEN 10 AND 9", NONE),
    ("year IN (9, 2024)", Matches(&[1, 2])),
    ("year NOT IN (9, 2024)", Matches(&[0, 3])),
    ("year IN ('9', 9, 09)", Matches(&[2])),
    (
        "year = 2024.0",
        Fails("'2024.0' is not an integer: partition key year is of type int"),
    ),
    ("year = 'abc'", Fails("'abc' is not an integer")),
    ("year IN (1, 'x')", Fails("'x' is not an integer")),
    (
        "year LIKE '20%'",
        Fails("Integral data type doesn't support operation 'LIKE'"),
    ),
    // dates
    ("day > '2024-01-01'", Matches(&[2, 3])),
    ("day >= DATE '2024-01-01'", Matches(&[1, 2, 3])),
    ("day BETWEEN '2024-01-01' AND '2024-02-29'", Matches(&[1, 2])),
    ("day < '2024-01-01' OR day > '2024-10-01'", Matches(&[0, 3])),
    ("day IN ('2024-02-29', '2023-12-31')", Matches(&[0, 2])),
    (
        "day = '2024-2-29'",
        Fails("'2024-2-29' is not a date (yyyy-MM-dd): partition key day is of type date"),
    ),
    ("day = '2024-02-30'", Fails("is not a date")),
    ("day = 20240101", Fails("is not a date")),
    (
        "day LIKE '2024%'",
        Fails("Date data type doesn't support operation 'LIKE'"),
    ),
    // timestamps
    ("ts > '2024-02-29 12:30:00'", Matches(&[2, 3])),
    ("ts = '2024-10-10 08:00:00.123456789'", Matches(&[3])),
    ("ts < TIMESTAMP '2024-01-01 00:00:00.000000001'", Matches(&[0, 1])),
    ("ts = '2024-01-01'", Fails("is not a timestamp")),
    ("ts = '2024-01-01 00:00:00.0000000001'", Fails("is not a timestamp")),
    // decimals compare exactly
    ("price > 10", Matches(&[2])),
    ("price >= 10", Matches(&[1, 2])),
    ("price = 100.5", Matches(&[2])),
    ("price = '9.990'", Matches(&[0])),
    ("price < 0", Matches(&[3])),
    ("price BETWEEN -2 AND 9.99", Matches(&[0, 3])),
    ("price = '1e2'", Fails("'1e2' is not a decimal")),
    (
        "price LIKE '1%'",
        Fails("Decimal data type doesn't support operation 'LIKE'"),
    ),
    // LIKE on char/varchar: case-sensitive, % and _, ESCAPE
    ("code LIKE 'a%'", Matches(&[3])),
    ("code LIKE '_1'", Matches(&[0, 3])),
    ("code NOT LIKE '%1'", Matches(&[1, 2])),
    ("code LIKE 'B!_%' ESCAPE '!'", Matches(&[1])),
    ("code LIKE 'c!%3' ESCAPE '!'", Matches(&[2])),
    ("code LIKE '%!' ESCAPE '!'", Fails("ends with its escape character")),
    ("code LIKE 'a' ESCAPE '!!'", Fails("is not one character")),
    ("code LIKE 5", Fails("the LIKE pattern 5 is not a string")),
    // logic and precedence
    ("NOT (region = 'us-east-1' OR year = 9)", Matches(&[0, 3])),
    ("NOT region = 'us-east-1'", Matches(&[0, 2, 3])),
    ("NOT NOT region = 'us-east-1'", Matches(&[1])),
    (
        "region = 'us-east-1' OR region = 'us-west-2' AND year = 2024",
        Matches(&[1]),
    ),
    (
        "(region = 'us-east-1' OR region = 'us-west-2') AND year = 9",
        Matches(&[2]),
    ),
    (
        "region = 'us-east-1' and year = 2024 or day = '2024-10-10'",
        Matches(&[1, 3]),
    ),
    ("((((year = 9))))", Matches(&[2])),
    ("", ALL),
    ("   ", ALL),
    // what Glue refuses
    ("flag = 'true'", Fails("Unknown type : 'boolean'")),
    ("flag IS NULL", Fails("Unknown type : 'boolean'")),
    (
        "nope = 1",
        Fails("Unknown column 'nope': the table's partition keys are [region, year, day, ts, price, code, flag]"),
    ),
    ("region = year", Fails("year is not a literal")),
    ("region = NULL", Fails("NULL is not a literal")),
    ("1 = 1", Fails("1 = 1 compares no partition key")),
    ("year + 1 > 2", Fails("Unsupported expression 'year + 1 > 2'")),
    ("year % 2 = 0", Fails("Unsupported expression")),
    ("lower(region) = 'x'", Fails("Unsupported expression")),
    ("region", Fails("region is not a supported condition")),
    ("region = 'x' AND", Fails("Unsupported expression 'region = 'x' AND'")),
    ("region = 'x' garbage", Fails("Unsupported expression")),
    ("region = 'x'; DROP TABLE t", Fails("Unsupported expression")),
    ("region IN (SELECT 1)", Fails("Unsupported expression")),
    ("region = 'unterminated", Fails("Unsupported expression")),
    ("region ILIKE 'a%'", Fails("Unsupported expression")),
    ("t.region = 'x'", Fails("Unsupported expression")),
    ("year = 1 || year = 2", Fails("Unsupported expression")),
];

fn run(expression: &str) -> Result<Vec<usize>, Error> {
    let filter = PartitionFilter::compile(expression, KEYS.iter().copied())?;
    let mut matched = Vec::new();
    for (i, values) in PARTITIONS.iter().enumerate() {
        if filter.matches(values)? {
            matched.push(i);
        }
    }
    Ok(matched)
}

#[test]
fn table_of_cases() {
    let mut wrong = Vec::new();
    for (expression, expect) in CASES {
        let got = run(expression);
        let ok = match (expect, &got) {
            (Matches(want), Ok(got)) => want == &got.as_slice(),
            (Fails(text), Err(Error::InvalidInput(message))) => message.contains(text),
            _ => false,
        };
        if !ok {
            let want = match expect {
                Matches(w) => format!("matches {w:?}"),
                Fails(t) => format!("fails with {t:?}"),
            };
            wrong.push(format!("{expression:?}: wanted {want}, got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        CASES.len(),
        wrong.join("\n")
    );
}

#[test]
fn keys_named_like_sql_keywords() {
    let keys = [
        ("year", "string"),
        ("month", "string"),
        ("day", "string"),
        ("date", "date"),
        ("hour", "int"),
    ];
    let values = ["2024", "01", "15", "2024-01-15", "7"];
    for expression in [
        "year = '2024' AND month = '01' AND day = '15'",
        "date = '2024-01-15'",
        "date > DATE '2024-01-01'",
        "hour BETWEEN 6 AND 8",
        "`date` = '2024-01-15'",
    ] {
        let filter =
            PartitionFilter::compile(expression, keys.iter().copied()).unwrap_or_else(|e| panic!("{expression}: {e}"));
        assert!(filter.matches(&values).unwrap(), "{expression}");
    }
}

#[test]
fn stored_values_not_of_the_key_type_fail_the_request() {
    let filter = PartitionFilter::compile("year > 2000", [("year", "int")]).unwrap();
    assert_eq!(
        filter.matches(&["twenty"]),
        Err(Error::InvalidInput(
            "Partition value 'twenty' of key year is not an integer".into()
        ))
    );
    // LIKE reads no type, so it never fails on a value.
    let filter = PartitionFilter::compile("code LIKE 'x%'", [("code", "string")]).unwrap();
    assert_eq!(filter.matches(&["x1"]), Ok(true));
}

#[test]
fn a_partition_without_a_value_for_a_later_key_matches_only_is_null() {
    let keys = [("a", "string"), ("b", "int")];
    let one_value = ["x"];
    let run = |e: &str| {
        PartitionFilter::compile(e, keys.iter().copied())
            .unwrap()
            .matches(&one_value)
            .unwrap()
    };
    assert!(run("b IS NULL"));
    assert!(!run("b = 1"));
    assert!(!run("b IN (1)"));
    assert!(!run("b BETWEEN 1 AND 2"));
    assert!(run("a = 'x' AND NOT b = 1"));
}

#[test]
fn deep_nesting_is_refused_and_long_chains_are_fine() {
    let deep = format!("{}year = 9{}", "(".repeat(200), ")".repeat(200));
    let err = PartitionFilter::compile(&deep, KEYS.iter().copied()).unwrap_err();
    assert!(err.to_string().contains("nested too deeply"), "{err}");
    let nots = format!("{}year = 9", "NOT ".repeat(500));
    assert!(PartitionFilter::compile(&nots, KEYS.iter().copied()).is_err());
    // 2,048 characters (the model's limit) of OR: a deep tree for the parser, one list here.
    let chain: Vec<String> = (0..300).map(|i| format!("year = {i}")).collect();
    let chain = chain.join(" OR ");
    assert_eq!(run(&chain).unwrap(), vec![2, 3]);
}
