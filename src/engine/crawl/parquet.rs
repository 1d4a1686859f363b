//! Glue's built-in Parquet classifier: the schema and row count from the file's footer, with
//! Parquet's types mapped to the Hive types Glue writes for them.

use super::types::GlueType;
use super::{Format, Sampled};
use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::Type;

pub fn classify(file: std::fs::File) -> Result<Sampled, String> {
    let reader = SerializedFileReader::new(file).map_err(|e| e.to_string())?;
    let meta = reader.metadata().file_metadata();
    let columns = meta
        .schema()
        .get_fields()
        .iter()
        .map(|field| (field.name().to_lowercase(), glue_type(field)))
        .collect();
    Ok(Sampled {
        format: Format::Parquet,
        columns,
        records: u64::try_from(meta.num_rows()).unwrap_or(0),
    })
}

/// A field's type, a repeated field being an array of it (Parquet's legacy lists).
fn glue_type(field: &Type) -> GlueType {
    let t = element_type(field);
    if field.get_basic_info().has_repetition() && field.get_basic_info().repetition() == Repetition::REPEATED {
        GlueType::Array(Box::new(t))
    } else {
        t
    }
}

fn element_type(field: &Type) -> GlueType {
    let info = field.get_basic_info();
    let logical = info.logical_type_ref();
    let converted = info.converted_type();
    match field {
        Type::GroupType { fields, .. } => {
            if matches!(logical, Some(LogicalType::List)) || converted == ConvertedType::LIST {
                return list_type(fields);
            }
            if matches!(logical, Some(LogicalType::Map))
                || matches!(converted, ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE)
            {
                return map_type(fields);
            }
            GlueType::Struct(fields.iter().map(|f| (f.name().to_lowercase(), glue_type(f))).collect())
        }
        Type::PrimitiveType {
            physical_type,
            precision,
            scale,
            ..
        } => primitive(*physical_type, logical, converted, *precision, *scale),
    }
}

/// `LIST` wraps a repeated group (or field) holding the element.
fn list_type(fields: &[parquet::schema::types::TypePtr]) -> GlueType {
    let element = match fields.first() {
        Some(repeated) if repeated.is_group() && repeated.get_fields().len() == 1 => {
            element_type(&repeated.get_fields()[0])
        }
        Some(repeated) => element_type(repeated),
        None => GlueType::Null,
    };
    GlueType::Array(Box::new(element))
}

/// `MAP` wraps a repeated `key_value` group of a key and a value.
fn map_type(fields: &[parquet::schema::types::TypePtr]) -> GlueType {
    let kv = fields.first().filter(|kv| kv.is_group()).map(|kv| kv.get_fields());
    match kv {
        Some([key, value]) => GlueType::Named(format!("map<{},{}>", element_type(key), element_type(value))),
        _ => GlueType::Named("map<string,string>".into()),
    }
}

fn primitive(
    physical: Physical,
    logical: Option<&LogicalType>,
    converted: ConvertedType,
    precision: i32,
    scale: i32,
) -> GlueType {
    let decimal = || GlueType::Named(format!("decimal({precision},{scale})"));
    match logical {
        Some(LogicalType::Decimal(_)) => return decimal(),
        Some(LogicalType::Date) => return GlueType::Date,
        Some(LogicalType::Timestamp(_)) => return GlueType::Timestamp,
        Some(LogicalType::String | LogicalType::Enum | LogicalType::Json | LogicalType::Uuid) => {
            return GlueType::String
        }
        Some(LogicalType::Integer(int)) => {
            return match (int.bit_width, int.is_signed) {
                (8, true) => GlueType::Named("tinyint".into()),
                (16, true) | (8, false) => GlueType::Named("smallint".into()),
                (32, true) | (16, false) => GlueType::Int,
                _ => GlueType::BigInt,
            }
        }
        _ => {}
    }
    match converted {
        ConvertedType::DECIMAL => return decimal(),
        ConvertedType::DATE => return GlueType::Date,
        ConvertedType::TIMESTAMP_MILLIS | ConvertedType::TIMESTAMP_MICROS => return GlueType::Timestamp,
        ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON => return GlueType::String,
        ConvertedType::INT_8 => return GlueType::Named("tinyint".into()),
        ConvertedType::INT_16 | ConvertedType::UINT_8 => return GlueType::Named("smallint".into()),
        _ => {}
    }
    match physical {
        Physical::BOOLEAN => GlueType::Boolean,
        Physical::INT32 => GlueType::Int,
        Physical::INT64 => GlueType::BigInt,
        Physical::INT96 => GlueType::Timestamp,
        Physical::FLOAT => GlueType::Named("float".into()),
        Physical::DOUBLE => GlueType::Double,
        Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY => GlueType::Named("binary".into()),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::path::Path;
    use std::sync::Arc;

    /// Writes a Parquet file of `rows` rows: `id` (int64) and `name` (string) get values, the
    /// schema's other columns (optional ones) are null.
    pub fn write(path: &Path, schema: &str, rows: i64) {
        let schema = Arc::new(parse_message_type(schema).unwrap());
        let file = std::fs::File::create(path).unwrap();
        let mut writer =
            SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build())).unwrap();
        let descriptors = writer.schema_descr().columns().to_vec();
        let mut group = writer.next_row_group().unwrap();
        for descr in descriptors {
            let mut column = group.next_column().unwrap().unwrap();
            let n = rows as usize;
            let reps = (descr.max_rep_level() > 0).then(|| vec![0i16; n]);
            let present = vec![descr.max_def_level(); n];
            match descr.name() {
                "id" => {
                    let values: Vec<i64> = (0..rows).collect();
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&present), reps.as_deref())
                        .unwrap();
                }
                "name" => {
                    let values: Vec<ByteArray> = (0..rows).map(|i| ByteArray::from(format!("n{i}").as_str())).collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&present), reps.as_deref())
                        .unwrap();
                }
                _ => write_nulls(&mut column, &vec![0i16; n], reps.as_deref()),
            }
            column.close().unwrap();
        }
        group.close().unwrap();
        writer.close().unwrap();
    }

    fn write_nulls(column: &mut parquet::file::writer::SerializedColumnWriter<'_>, defs: &[i16], reps: Option<&[i16]>) {
        use parquet::column::writer::ColumnWriter::*;
        match column.untyped() {
            BoolColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            Int32ColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            Int64ColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            Int96ColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            FloatColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            DoubleColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            ByteArrayColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
            FixedLenByteArrayColumnWriter(w) => w.write_batch(&[], Some(defs), reps).map(|_| ()),
        }
        .unwrap();
    }

    #[test]
    fn the_footer_gives_columns_and_rows() {
        let dir = super::super::tests::temp_tree("parquet", &[]);
        let path = dir.join("x.parquet");
        write(
            &path,
            "message spark_schema {
                required int64 id;
                optional binary name (UTF8);
                optional int32 Small (INT_16);
                optional int32 day (DATE);
                optional int64 at (TIMESTAMP(MICROS,true));
                optional int96 legacy_ts;
                optional fixed_len_byte_array(8) price (DECIMAL(12,2));
                optional float f;
                optional double d;
                optional boolean b;
                optional binary raw;
                optional group tags (LIST) { repeated group list { optional binary element (UTF8); } }
                optional group props (MAP) { repeated group key_value { required binary key (UTF8); optional int32 value; } }
                optional group addr { optional binary city (UTF8); optional int32 zip; }
            }",
            3,
        );
        let sampled = classify(std::fs::File::open(&path).unwrap()).unwrap();
        let columns: Vec<String> = sampled.columns.iter().map(|(n, t)| format!("{n}:{t}")).collect();
        assert_eq!(
            columns,
            [
                "id:bigint",
                "name:string",
                "small:smallint",
                "day:date",
                "at:timestamp",
                "legacy_ts:timestamp",
                "price:decimal(12,2)",
                "f:float",
                "d:double",
                "b:boolean",
                "raw:binary",
                "tags:array<string>",
                "props:map<string,int>",
                "addr:struct<city:string,zip:int>",
            ]
        );
        assert_eq!(sampled.records, 3);
    }

    #[test]
    fn a_damaged_footer_is_an_error() {
        let dir = super::super::tests::temp_tree("parquet-damaged", &[("bad.parquet", "PAR1 not really PAR1")]);
        assert!(classify(std::fs::File::open(dir.join("bad.parquet")).unwrap()).is_err());
    }
}
