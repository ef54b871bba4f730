//! A drafted layout as data, and its rendering as a layout file.
//!
//! The drafter (`drafter.rs`) decides what a file is; this module only
//! writes it down. Every value goes through the `toml` crate (quoting,
//! escapes, inline tables), so a draft is always a file verzuim reads; the
//! comments that explain each choice are kept beside the keys they explain.

use std::fmt::Write as _;

use toml::Value;

use crate::layout::{NumberCheck, ValueKind};

/// A header-CSV layout drafted from a file.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Comment lines at the top: what was found, what to check.
    pub notes: Vec<String>,
    /// The figures the draft cannot answer (comment lines before `[layout]`).
    pub gaps: Vec<String>,
    pub name: String,
    pub description: String,
    pub separator: char,
    pub quoting: bool,
    pub null: Vec<String>,
    /// The pgn is the first of these with a value.
    pub person_key: Vec<String>,
    /// Header names a file must hold, shown as a commented-out example.
    pub recognise_example: Vec<String>,
    /// Delivery fact → the column it is read from.
    pub facts: Vec<(String, String)>,
    pub columns: Vec<DraftColumn>,
    pub tables: Vec<DraftTable>,
}

/// One `[[column]]`.
#[derive(Debug, Clone)]
pub struct DraftColumn {
    pub header: String,
    pub name: String,
    pub kind: ValueKind,
    /// Date formats: the column's own, then one for the values it does not read.
    pub formats: Vec<&'static str>,
    /// Null markers of its own (the layout's, plus zero dates).
    pub null: Option<Vec<String>>,
    pub whole_number: bool,
    pub pad: Option<usize>,
    pub pattern: Option<&'static str>,
    /// A flag's yes and no as the file writes them.
    pub flag_map: Option<(&'static str, &'static str)>,
    pub check: Option<NumberCheck>,
    /// `00` for an unknown month or day read as the first.
    pub unknown_date_parts: bool,
    /// Comment lines after it: what its values look like, what it fills.
    pub about: Vec<String>,
}

/// One `[tables.X]`.
#[derive(Debug, Clone, Default)]
pub struct DraftTable {
    pub table: &'static str,
    /// (comment lines, value) of `per_person`, where the table needs it said.
    pub per_person: Option<(Vec<String>, bool)>,
    /// Canonical column → where its value comes from, with comment lines before it.
    pub columns: Vec<(Vec<String>, &'static str, Source)>,
    pub absent: Vec<&'static str>,
    pub extra: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Source {
    Column(String),
    Constant(String),
}

/// A string of the draft: control characters become spaces, since TOML
/// refuses them in a comment and a string shows the text as a comment would.
pub fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect()
}

fn text(s: &str) -> Value {
    Value::String(printable(s))
}

fn texts<S: AsRef<str>>(items: &[S]) -> Value {
    Value::Array(items.iter().map(|s| text(s.as_ref())).collect())
}

/// Writes `key = value` and comment lines.
struct Writer(String);

impl Writer {
    fn comment(&mut self, line: &str) {
        match line {
            "" => self.0.push_str("#\n"),
            l => {
                let _ = writeln!(self.0, "# {}", printable(l));
            }
        }
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }

    fn comments<S: AsRef<str>>(&mut self, lines: &[S]) {
        for l in lines {
            self.comment(l.as_ref());
        }
    }

    fn key(&mut self, key: &str, value: Value) {
        let _ = writeln!(self.0, "{key} = {value}");
    }

    fn section(&mut self, header: &str) {
        let _ = writeln!(self.0, "\n{header}");
    }
}

pub fn check_name(c: NumberCheck) -> &'static str {
    match c {
        NumberCheck::Bsn => "bsn",
        NumberCheck::Onderwijsnummer => "onderwijsnummer",
        NumberCheck::BsnOfOnderwijsnummer => "bsn-of-onderwijsnummer",
    }
}

pub fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Text => "text",
        ValueKind::Date => "date",
        ValueKind::Integer => "integer",
        ValueKind::Flag => "flag",
    }
}

impl Draft {
    /// The layout file.
    pub fn render(&self) -> String {
        let mut w = Writer(String::new());
        w.comments(&self.notes);
        if !self.gaps.is_empty() {
            w.comment("");
            w.comment("This layout cannot answer every figure: map these columns if the file has them.");
            for g in &self.gaps {
                w.comment(&format!("  {g}"));
            }
        }
        self.render_layout(&mut w);
        w.blank();
        w.comment("The delivery's soort, afnemer and peildatum: from --soort --afnemer --peildatum,");
        w.comment("else a column, else the file name (DUO's naming: 20261005G0363C.csv), else a constant here.");
        let _ = writeln!(w.0, "[delivery]");
        w.key("file_name", Value::String("^(?<aanmaakdatum>[0-9]{8})(?<afnemer>[GR][0-9]{4})(?<soort>[PCA])".into()));
        for (fact, column) in &self.facts {
            w.key(fact, Value::Table([("column".to_string(), text(column))].into_iter().collect()));
        }
        for c in &self.columns {
            c.render(&mut w);
        }
        w.blank();
        w.comment("Canonical tables: canonical column = the column above that fills it, a constant, or `absent`");
        w.comment("(stored as null; docs/layouts.md says which figures need which column). pgn is the person key.");
        for t in &self.tables {
            t.render(&mut w);
        }
        w.0
    }

    fn render_layout(&self, w: &mut Writer) {
        w.section("[layout]");
        w.key("name", text(&self.name));
        w.key("description", text(&self.description));
        w.key("format", text("csv"));
        w.key("separator", text(&self.separator.to_string()));
        w.comment(if self.quoting {
            "some values are quoted \"…\" (a separator or \"\" inside)"
        } else {
            "no value starts with a quote: a \" is part of the text"
        });
        w.key("quoting", Value::Boolean(self.quoting));
        w.key("null", texts(&self.null));
        match self.person_key.as_slice() {
            [] => w.key("person_key", text("pgn")),
            [one] => w.key("person_key", text(one)),
            several => {
                w.comment("the pgn is the first of these with a value (DUO: the BSN, else the onderwijsnummer)");
                w.key("person_key", texts(several));
            }
        }
        w.comment("two rows of one person that disagree in a per-person table: \"bevinding\" (the first kept) or \"reject\"");
        w.key("person_rows", text("bevinding"));
        w.comment("A file is this layout when its header holds every column below (or list some here).");
        w.comment(&format!("recognise = {}", texts(&self.recognise_example)));
    }
}

impl DraftColumn {
    fn render(&self, w: &mut Writer) {
        w.section("[[column]]");
        w.key("header", text(&self.header));
        w.key("name", text(&self.name));
        if self.kind != ValueKind::Text {
            w.key("type", text(kind_name(self.kind)));
        }
        match self.formats.as_slice() {
            [] => {}
            [one] => w.key("format", text(one)),
            several => w.key("format", texts(several)),
        }
        if self.unknown_date_parts {
            w.key("unknown_date_parts", text("first"));
        }
        if let Some(null) = &self.null {
            w.key("null", texts(null));
        }
        if self.whole_number {
            w.key("whole_number", Value::Boolean(true));
        }
        if let Some(p) = self.pad {
            w.key("pad", Value::Integer(p as i64));
        }
        if let Some(p) = self.pattern {
            w.key("pattern", text(p));
        }
        if let Some((yes, no)) = self.flag_map {
            w.key("map", Value::Table([(yes.to_string(), text("J")), (no.to_string(), text("N"))].into_iter().collect()));
        }
        if let Some(c) = self.check {
            w.key("check", text(check_name(c)));
        }
        w.comments(&self.about);
    }
}

impl DraftTable {
    fn render(&self, w: &mut Writer) {
        w.section(&format!("[tables.{}]", self.table));
        if let Some((notes, per_person)) = &self.per_person {
            w.comments(notes);
            w.key("per_person", Value::Boolean(*per_person));
        }
        if self.table == "persoon" {
            w.comment("pgn: the person key");
        }
        for (notes, column, source) in &self.columns {
            w.comments(notes);
            match source {
                Source::Column(c) => w.key(column, text(c)),
                Source::Constant(v) => w.key(column, Value::Table([("constant".to_string(), text(v))].into_iter().collect())),
            }
        }
        if !self.absent.is_empty() {
            w.key("absent", texts(&self.absent));
        }
        if !self.extra.is_empty() {
            w.comment(&format!("columns kept as they are, as extra columns of {}", self.table));
            w.key("extra", texts(&self.extra));
        }
    }
}
