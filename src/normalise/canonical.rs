//! The canonical tables: the lake's contract with the SQL above it.
//!
//! A layout decides where a value stands in the file; these lists decide what
//! the tables are called and which columns they must have, whatever the
//! layout. A layout that cannot fill a canonical column is refused when it is
//! loaded. Fields a layout adds beyond these become extra columns after them.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::builder::data_type;
use crate::layout::ValueKind::{self, Date, Flag, Integer, Text};

pub struct CanonicalTable {
    pub name: &'static str,
    pub columns: &'static [(&'static str, ValueKind)],
}

pub const LEVERING: &str = "levering";
pub const BEVINDING: &str = "bevinding";

/// Columns of `levering` that the header record fills.
pub const LEVERING_FROM_HEADER: &[(&str, ValueKind)] = &[
    ("soort", Text),
    ("soort_afnemer", Text),
    ("afnemercode", Text),
    ("peildatum", Date),
    ("aanmaakdatum", Date),
    ("leveringsvolgnummer", Integer),
];

/// Columns of `levering` that verzuim computes; a header field may not take these names.
pub const LEVERING_COMPUTED: &[&str] = &["levering_id", "bestand", "sha256", "layout", "aantal_personen", "aantal_records", "ingelezen_op"];

/// Tables fed by the records of a delivery, in the order they are written.
pub const RECORD_TABLES: &[CanonicalTable] = &[
    CanonicalTable {
        name: "persoon",
        columns: &[
            ("pgn", Text),
            ("bsn", Text),
            ("onderwijsnummer", Text),
            ("geboortedatum", Date),
            ("geslacht", Text),
            ("achternaam", Text),
            ("voorvoegsel", Text),
            ("voornamen", Text),
            ("overlijdensdatum", Date),
        ],
    },
    CanonicalTable {
        name: "verblijf",
        columns: &[
            ("pgn", Text),
            ("gemeentecode", Text),
            ("postcode", Text),
            ("huisnummer", Integer),
            ("huisnummertoevoeging", Text),
            ("woonplaats", Text),
            ("landcode", Text),
            ("datum_aanvang", Date),
            ("datum_einde", Date),
        ],
    },
    CanonicalTable {
        name: "inschrijving",
        columns: &[
            ("pgn", Text),
            ("inschrijvingsvolgnummer", Text),
            ("instellingscode", Text),
            ("vestigingscode", Text),
            ("onderwijssoort", Text),
            ("opleidingscode", Text),
            ("leerweg", Text),
            ("niveau", Integer),
            ("leerjaar", Integer),
            ("datum_inschrijving", Date),
            ("datum_uitschrijving", Date),
            ("reden_uitschrijving", Text),
            ("bekostigd", Flag),
        ],
    },
    CanonicalTable {
        name: "resultaat",
        columns: &[
            ("pgn", Text),
            ("instellingscode", Text),
            ("onderwijssoort", Text),
            ("opleidingscode", Text),
            ("niveau", Integer),
            ("soort_resultaat", Text),
            ("datum_resultaat", Date),
            ("startkwalificatie", Flag),
        ],
    },
    CanonicalTable { name: "vrijstelling", columns: &[("pgn", Text), ("artikel", Text), ("datum_begin", Date), ("datum_einde", Date)] },
    CanonicalTable { name: "startkwalificatie", columns: &[("pgn", Text), ("indicatie", Flag), ("datum_behaald", Date)] },
    CanonicalTable { name: "vsv_indicatie", columns: &[("pgn", Text), ("teldatum", Date), ("instellingscode", Text), ("categorie", Text)] },
    CanonicalTable { name: "mutatie", columns: &[("pgn", Text), ("mutatiecode", Text), ("mutatiedatum", Date), ("referentie", Text)] },
    CanonicalTable { name: "niet_gevonden", columns: &[("gevraagd_nummer", Text), ("reden", Text)] },
];

/// Columns whose values differ from row to row within a delivery: a
/// person's identifiers and names. The lake writes them without a
/// dictionary, which would only add an index per row to the values
/// (crate::lake::writer_properties). A column a layout adds is written with
/// one: a layout says what a field means, not how many values it has.
pub const NEARLY_UNIQUE: &[&str] = &["pgn", "bsn", "achternaam", "voornamen"];

/// Every table of the lake, in order: what a delivery directory holds.
pub fn table_names() -> Vec<&'static str> {
    let mut names = vec![LEVERING];
    names.extend(RECORD_TABLES.iter().map(|t| t.name));
    names.push(BEVINDING);
    names
}

/// The column every table of a delivery starts with: the delivery it came in.
pub fn levering_id_field() -> Field {
    Field::new("levering_id", DataType::Utf8, false)
}

/// A record table's schema: `levering_id`, its canonical columns, then
/// `extras` (columns a layout adds, in its order).
pub fn table_schema(table: &CanonicalTable, extras: impl IntoIterator<Item = Field>) -> SchemaRef {
    let canonical = table.columns.iter().map(|(n, k)| Field::new(*n, data_type(*k), true));
    Arc::new(Schema::new(std::iter::once(levering_id_field()).chain(canonical).chain(extras).collect::<Vec<_>>()))
}

/// The `levering` table's columns: verzuim's own, the delivery facts, then
/// `extras` (header fields beyond the canonical ones).
pub fn levering_schema(extras: impl IntoIterator<Item = Field>) -> SchemaRef {
    let mut fields = vec![levering_id_field(), Field::new("bestand", DataType::Utf8, false), Field::new("sha256", DataType::Utf8, false)];
    for (name, kind) in LEVERING_FROM_HEADER {
        fields.push(Field::new(*name, data_type(*kind), true));
    }
    fields.extend([
        Field::new("layout", DataType::Utf8, false),
        Field::new("aantal_personen", DataType::Int64, false),
        Field::new("aantal_records", DataType::Int64, false),
        Field::new("ingelezen_op", DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())), false),
    ]);
    fields.extend(extras);
    Arc::new(Schema::new(fields))
}

pub fn bevinding_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        levering_id_field(),
        Field::new("regel", DataType::Int64, false),
        Field::new("recordsoort", DataType::Utf8, true),
        Field::new("veld", DataType::Utf8, true),
        Field::new("code", DataType::Utf8, false),
        Field::new("melding", DataType::Utf8, false),
    ]))
}

/// Every table of the lake with its canonical schema, in the order of
/// [`table_names`]: what the catalog's views are typed by before the first
/// delivery (a layout's extra columns join them from its files).
pub fn lake_schemas() -> Vec<(&'static str, SchemaRef)> {
    let mut out = vec![(LEVERING, levering_schema([]))];
    out.extend(RECORD_TABLES.iter().map(|t| (t.name, table_schema(t, []))));
    out.push((BEVINDING, bevinding_schema()));
    out
}

/// Codes of the `bevinding` table.
pub mod bevinding_code {
    /// A code field holds a value outside its code list; the value is kept.
    pub const ONBEKENDE_CODE: &str = "ONBEKENDE_CODE";
    /// A record holds more fields than the layout describes; they are not read.
    pub const EXTRA_VELDEN: &str = "EXTRA_VELDEN";
    /// A header-CSV file has columns its layout does not read.
    pub const ONBEKENDE_KOLOM: &str = "ONBEKENDE_KOLOM";
    /// Two rows of one person disagree in a per-person table; the first is kept.
    pub const PERSOONSRIJEN_VERSCHILLEN: &str = "PERSOONSRIJEN_VERSCHILLEN";
}

/// What a figure needs from the lake: the canonical columns its rule reads
/// (sql/). A need is met when every column of one of its alternatives is
/// filled; a layout that leaves them all absent loads, and the figures
/// named then answer wrongly — so verzuim says so (`inspect --layout`,
/// `ingest`, the drafts; docs/layouts.md).
#[derive(Debug)]
pub struct FigureNeed {
    /// `table.column` sets, any one of which meets the need.
    pub any_of: &'static [&'static [&'static str]],
    pub figures: &'static [&'static str],
    /// What goes wrong without it.
    pub because: &'static str,
}

const LEERPLICHTTELLING: &str = "leerplichttelling";
const SIGNALEN: &str = "absoluut_verzuim_signalen";
const VSV: &str = "vsv";
const OUD_VSV: &str = "oud_vsv";
const VRIJSTELLINGEN: &str = "vrijstellingen";
const ZOMERWISSEL: &str = "zomerwissel";

pub const FIGURE_NEEDS: &[FigureNeed] = &[
    FigureNeed {
        any_of: &[&["verblijf.gemeentecode", "verblijf.datum_aanvang"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV, VRIJSTELLINGEN, ZOMERWISSEL],
        because: "nobody lives in a gemeente on a date",
    },
    FigureNeed {
        any_of: &[&["verblijf.datum_einde"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV, VRIJSTELLINGEN],
        because: "a move away is not seen: a person stays counted where they lived",
    },
    FigureNeed { any_of: &[&["verblijf.landcode"]], figures: &[VSV], because: "living abroad on T1 is not seen" },
    FigureNeed {
        any_of: &[&["persoon.overlijdensdatum"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV],
        because: "the dead are counted",
    },
    FigureNeed {
        any_of: &[&["inschrijving.datum_inschrijving"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV, ZOMERWISSEL],
        because: "no inschrijving is ever active",
    },
    FigureNeed {
        any_of: &[&["inschrijving.datum_uitschrijving"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV, ZOMERWISSEL],
        because: "every inschrijving runs on: leavers are not seen",
    },
    FigureNeed {
        any_of: &[&["inschrijving.onderwijssoort", "inschrijving.bekostigd"]],
        figures: &[VSV],
        because: "there is no hoofdinschrijving, so no deelnemer",
    },
    FigureNeed {
        any_of: &[&["inschrijving.niveau", "inschrijving.leerjaar"]],
        figures: &[VSV],
        because: "the vsv-categorie of a deelnemer is unknown",
    },
    FigureNeed {
        any_of: &[
            &["resultaat.startkwalificatie", "resultaat.datum_resultaat"],
            &["startkwalificatie.indicatie", "startkwalificatie.datum_behaald"],
        ],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, OUD_VSV],
        because: "nobody has a startkwalificatie: kwalificatieplicht runs to 18 and every leaver is a vsv'er",
    },
    FigureNeed {
        any_of: &[&["vrijstelling.artikel", "vrijstelling.datum_begin", "vrijstelling.datum_einde"]],
        figures: &[LEERPLICHTTELLING, SIGNALEN, VSV, VRIJSTELLINGEN],
        because: "no vrijstelling or vervangende leerplicht is seen",
    },
    FigureNeed {
        any_of: &[&["inschrijving.reden_uitschrijving"]],
        figures: &[ZOMERWISSEL],
        because: "every summer uitschrijving may be a zomerwissel",
    },
    FigureNeed {
        any_of: &[&["vsv_indicatie.teldatum"]],
        figures: &["vsv_verschillen"],
        because: "DUO's own vsv indicator is not there to compare with",
    },
];

/// A need a layout does not meet: the figures it breaks and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswerable {
    pub figures: Vec<&'static str>,
    /// The absent columns, as the need names them (`a + b or c + d`).
    pub missing: String,
    pub because: &'static str,
}

impl std::fmt::Display for Unanswerable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: without {}, {}", self.figures.join(", "), self.missing, self.because)
    }
}

/// The needs not met when `absent(table, column)` says which canonical
/// columns a layout leaves empty.
pub fn unanswerable(absent: impl Fn(&str, &str) -> bool) -> Vec<Unanswerable> {
    let is_absent = |tc: &str| tc.split_once('.').is_some_and(|(t, c)| absent(t, c));
    FIGURE_NEEDS
        .iter()
        .filter(|n| n.any_of.iter().all(|set| set.iter().any(|tc| is_absent(tc))))
        .map(|n| Unanswerable {
            figures: n.figures.to_vec(),
            missing: n.any_of.iter().map(|set| set.join(" + ")).collect::<Vec<_>>().join(" or "),
            because: n.because,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_names_canonical_columns_and_is_met_by_any_one_alternative() {
        for n in FIGURE_NEEDS {
            for tc in n.any_of.iter().flat_map(|s| s.iter()) {
                let (t, c) = tc.split_once('.').expect("table.column");
                let table = RECORD_TABLES.iter().find(|x| x.name == t).unwrap_or_else(|| panic!("{tc}: no such table"));
                assert!(table.columns.iter().any(|(x, _)| *x == c), "{tc}: no such column");
            }
        }
        assert!(unanswerable(|_, _| false).is_empty());
        // the startkwalificatie from either source is enough
        let only_skw = unanswerable(|t, c| t == "resultaat" || (t, c) == ("startkwalificatie", "datum_behaald"));
        assert!(only_skw.iter().any(|u| u.figures.contains(&VSV) && u.missing.contains(" or ")), "{only_skw:?}");
        let with_skw = unanswerable(|t, _| t == "resultaat");
        assert!(with_skw.is_empty(), "{with_skw:?}");
    }

    /// docs/layouts.md lists every need: the table there and this one agree.
    #[test]
    fn the_docs_list_every_need() {
        let docs = include_str!("../../docs/layouts.md");
        for n in FIGURE_NEEDS {
            assert!(docs.contains(&format!("| {} |", n.because)), "docs/layouts.md lacks the need \"{}\"", n.because);
        }
    }
}
