//! Parquet for analysts: typed columns with the catalog's names; a hidden
//! small count is NULL (the html and xlsx show `<5`).

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Builder, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::table::{Cell, ColumnKind, Table};
use crate::error::{Error, Result};

pub fn write(path: &Path, t: &Table) -> Result<()> {
    let mut velden = Vec::new();
    let mut kolommen: Vec<ArrayRef> = Vec::new();
    for (i, k) in t.kolommen.iter().enumerate() {
        let waarden = t.rijen.iter().map(|r| &r[i]);
        let (ty, array): (DataType, ArrayRef) = match k.soort {
            ColumnKind::Text => {
                let mut b = StringBuilder::new();
                for w in waarden {
                    match w {
                        Cell::Text(s) => b.append_value(s),
                        _ => b.append_null(),
                    }
                }
                (DataType::Utf8, Arc::new(b.finish()))
            }
            ColumnKind::Count => {
                let mut b = Int64Builder::new();
                for w in waarden {
                    b.append_option(if let Cell::Count(n) = w { Some(*n) } else { None });
                }
                (DataType::Int64, Arc::new(b.finish()))
            }
            ColumnKind::Percentage { .. } | ColumnKind::PerThousand { .. } => {
                let mut b = Float64Builder::new();
                for w in waarden {
                    b.append_option(if let Cell::Percentage(p) | Cell::PerThousand(p) = w { Some(*p) } else { None });
                }
                (DataType::Float64, Arc::new(b.finish()))
            }
            ColumnKind::Date => {
                let mut b = Date32Builder::new();
                for w in waarden {
                    b.append_option(if let Cell::Date(d) = w { Some(crate::layout::days_from_date(*d)) } else { None });
                }
                (DataType::Date32, Arc::new(b.finish()))
            }
        };
        velden.push(Field::new(&k.naam, ty, true));
        kolommen.push(array);
    }
    let schema = Arc::new(Schema::new(velden));
    let batch = RecordBatch::try_new(schema.clone(), kolommen).map_err(|e| Error::lake(path, e.to_string()))?;
    let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
    let mut buf = Vec::new();
    let mut w = ArrowWriter::try_new(&mut buf, schema, Some(props)).map_err(|e| Error::lake(path, e.to_string()))?;
    w.write(&batch).map_err(|e| Error::lake(path, e.to_string()))?;
    w.close().map_err(|e| Error::lake(path, e.to_string()))?;
    super::write_file(path, &buf)
}
