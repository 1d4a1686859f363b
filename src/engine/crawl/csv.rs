//! Glue's built-in CSV classifier: delimiter, header and column types of a text file.
//!
//! From the Glue guide ("Built-in CSV classifier"): the delimiters tried are `,` `|` tab `;` and
//! Ctrl-A; a CSV table has at least two columns and two rows; the first row is a header when every
//! field of it is a STRING, each but the last is shorter than 150 characters and is a valid column
//! name, and some column of the other rows is not a STRING. Without a header the columns are
//! `col0`, `col1` … (as Glue names them).

use super::sample::{Sample, MAX_RECORDS};
use super::types::{of_text, GlueType};
use super::{CsvFormat, Format, Sampled};

const DELIMITERS: [u8; 5] = [b',', b'|', b'\t', b';', 0x01];

/// The file as CSV, or `None` if no delimiter gives two or more columns in every row.
pub fn classify(sample: &Sample) -> Option<Sampled> {
    let rows = DELIMITERS
        .iter()
        .find_map(|&d| consistent_rows(&sample.text, d).map(|rows| (d, rows)));
    let (delimiter, rows) = rows?;
    let width = rows[0].len();
    let data_types = column_types(&rows[1..], width);
    let header = is_header(&rows[0], &data_types);
    let (names, types) = if header {
        (column_names(&rows[0]), data_types)
    } else {
        let names = (0..width).map(|i| format!("col{i}")).collect();
        (names, column_types(&rows, width))
    };
    let data_rows = rows.len() - usize::from(header);
    let quoted = sample.text.lines().any(|line| starts_quoted(line, delimiter));
    Some(Sampled {
        format: Format::Csv(CsvFormat {
            delimiter: delimiter as char,
            header,
            quoted,
        }),
        columns: names.into_iter().zip(types).collect(),
        records: sample.records(data_rows),
    })
}

/// The sampled records split on `delimiter`, if there are two or more and all have the same number
/// (two or more) of fields.
fn consistent_rows(text: &str, delimiter: u8) -> Option<Vec<Vec<String>>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(MAX_RECORDS) {
        let record = record.ok()?;
        if record.len() == 1 && record.get(0) == Some("") {
            continue; // a blank line
        }
        rows.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    let width = rows.first()?.len();
    (width >= 2 && rows.len() >= 2 && rows.iter().all(|r| r.len() == width)).then_some(rows)
}

fn column_types(rows: &[Vec<String>], width: usize) -> Vec<GlueType> {
    (0..width)
        .map(|i| rows.iter().fold(GlueType::Null, |t, row| t.merge(of_text(&row[i]))))
        .collect()
}

fn is_header(first: &[String], data_types: &[GlueType]) -> bool {
    let last = first.len() - 1;
    let fields_ok = first.iter().enumerate().all(|(i, field)| {
        let field = field.trim();
        if field.is_empty() {
            // A trailing delimiter leaves the last column empty throughout.
            return i == last && data_types[i] == GlueType::Null;
        }
        of_text(field).is_string() && (i == last || field.chars().count() < 150) && valid_column_name(field)
    });
    fields_ok && data_types.iter().any(|t| !t.is_string() && *t != GlueType::Null)
}

/// The model's pattern for a column name: printable characters (and tab), 1 to 255 of them.
fn valid_column_name(name: &str) -> bool {
    name.chars().count() <= 255 && name.chars().all(|c| c == '\t' || !c.is_control())
}

/// Header fields as Glue writes column names: trimmed, lower case, unique (`name_1` for a repeat).
fn column_names(header: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, field) in header.iter().enumerate() {
        let base = match field.trim() {
            "" => format!("col{i}"),
            name => name.to_lowercase(),
        };
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

fn starts_quoted(line: &str, delimiter: u8) -> bool {
    line.starts_with('"') || line.contains(&format!("{}\"", delimiter as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Option<Sampled> {
        classify(&Sample::whole(text.to_string()))
    }

    fn columns(s: &Sampled) -> Vec<String> {
        s.columns.iter().map(|(n, t)| format!("{n}:{t}")).collect()
    }

    fn format(s: &Sampled) -> CsvFormat {
        match &s.format {
            Format::Csv(f) => f.clone(),
            other => panic!("not csv: {other:?}"),
        }
    }

    #[test]
    fn a_header_row_names_the_typed_columns() {
        let s = csv("id,Name,price,active,day,at\n1,ann,2.5,true,2024-01-01,2024-01-01 10:00:00\n2,bob,3,false,2024-01-02,2024-01-02 11:00:00\n").unwrap();
        assert_eq!(
            columns(&s),
            [
                "id:bigint",
                "name:string",
                "price:double",
                "active:boolean",
                "day:date",
                "at:timestamp"
            ]
        );
        assert!(format(&s).header);
        assert_eq!(format(&s).delimiter, ',');
        assert_eq!(s.records, 2);
    }

    #[test]
    fn without_a_distinct_header_the_columns_are_numbered() {
        // Every column is a string, so the first row is no different from the others: data.
        let s = csv("a,b\nc,d\ne,f\n").unwrap();
        assert_eq!(columns(&s), ["col0:string", "col1:string"]);
        assert!(!format(&s).header);
        assert_eq!(s.records, 3);
        // A numeric first row is data too.
        let s = csv("1,2\n3,4\n").unwrap();
        assert_eq!(columns(&s), ["col0:bigint", "col1:bigint"]);
    }

    #[test]
    fn delimiters_are_tried_in_glues_order() {
        for (d, text) in [
            ('|', "a|b\n1|2\n"),
            ('\t', "a\tb\n1\t2\n"),
            (';', "a;b\n1;2\n"),
            ('\u{1}', "a\u{1}b\n1\u{1}2\n"),
        ] {
            let s = csv(text).unwrap();
            assert_eq!(format(&s).delimiter, d);
            assert_eq!(columns(&s), ["a:bigint", "b:bigint"]);
        }
    }

    #[test]
    fn one_column_or_one_row_or_ragged_rows_are_not_csv() {
        assert!(csv("just\none\ncolumn\n").is_none());
        assert!(csv("a,b\n").is_none());
        assert!(csv("a,b\n1,2,3\n").is_none());
    }

    #[test]
    fn quoted_fields_and_empty_values() {
        let s = csv("name,qty,note\n\"Smith, J\",1,\n\"Doe\",,x\n").unwrap();
        assert_eq!(columns(&s), ["name:string", "qty:bigint", "note:string"]);
        assert!(format(&s).quoted);
        let s = csv("a,b,\n1,2,\n3,4,\n").unwrap();
        assert_eq!(columns(&s), ["a:bigint", "b:bigint", "col2:string"]);
    }

    #[test]
    fn header_names_are_lowercased_and_made_unique() {
        let s = csv("A,a,B\n1,2,3\n4,5,6\n").unwrap();
        assert_eq!(columns(&s), ["a:bigint", "a_1:bigint", "b:bigint"]);
    }

    #[test]
    fn a_long_header_field_is_data() {
        let long = "x".repeat(150);
        let s = csv(&format!("{long},b\n1,2\n")).unwrap();
        assert!(!format(&s).header);
    }
}
