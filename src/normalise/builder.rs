//! Arrow column builders that take [`Value`]s straight from the parser, the
//! way arrow-csv decodes into arrays without an intermediate row type.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanBuilder, Date32Builder, Int32Builder, StringBuilder};
use arrow::datatypes::DataType;

use crate::layout::ValueKind;
use crate::parse::Value;

pub fn data_type(kind: ValueKind) -> DataType {
    match kind {
        ValueKind::Text => DataType::Utf8,
        ValueKind::Date => DataType::Date32,
        ValueKind::Integer => DataType::Int32,
        ValueKind::Flag => DataType::Boolean,
    }
}

pub enum ColumnBuilder {
    Text(StringBuilder),
    Date(Date32Builder),
    Integer(Int32Builder),
    Flag(BooleanBuilder),
}

impl ColumnBuilder {
    pub fn new(kind: ValueKind, rows: usize) -> Self {
        match kind {
            ValueKind::Text => ColumnBuilder::Text(StringBuilder::with_capacity(rows, rows * 8)),
            ValueKind::Date => ColumnBuilder::Date(Date32Builder::with_capacity(rows)),
            ValueKind::Integer => ColumnBuilder::Integer(Int32Builder::with_capacity(rows)),
            ValueKind::Flag => ColumnBuilder::Flag(BooleanBuilder::with_capacity(rows)),
        }
    }

    /// The plan matched every field's kind to its column's, so a mismatch
    /// cannot occur; should it, the value is stored as null rather than
    /// misread.
    pub fn append(&mut self, v: Value<'_>) {
        match (self, v) {
            (ColumnBuilder::Text(b), Value::Text(s)) => b.append_value(s),
            (ColumnBuilder::Date(b), Value::Date(d)) => b.append_value(d),
            (ColumnBuilder::Integer(b), Value::Integer(i)) => b.append_value(i),
            (ColumnBuilder::Flag(b), Value::Flag(f)) => b.append_value(f),
            (ColumnBuilder::Text(b), _) => b.append_null(),
            (ColumnBuilder::Date(b), _) => b.append_null(),
            (ColumnBuilder::Integer(b), _) => b.append_null(),
            (ColumnBuilder::Flag(b), _) => b.append_null(),
        }
    }

    pub fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Text(b) => Arc::new(b.finish()),
            ColumnBuilder::Date(b) => Arc::new(b.finish()),
            ColumnBuilder::Integer(b) => Arc::new(b.finish()),
            ColumnBuilder::Flag(b) => Arc::new(b.finish()),
        }
    }
}
