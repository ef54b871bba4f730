//! The canonical tables: the lake's contract with the SQL above it.
//!
//! A layout decides where a value stands in the file; these lists decide what
//! the tables are called and which columns they must have, whatever the
//! layout. A layout that cannot fill a canonical column is refused when it is
//! loaded. Fields a layout adds beyond these become extra columns after them.

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

/// Every table of the lake, in order: what a delivery directory holds.
pub fn table_names() -> Vec<&'static str> {
    let mut names = vec![LEVERING];
    names.extend(RECORD_TABLES.iter().map(|t| t.name));
    names.push(BEVINDING);
    names
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
