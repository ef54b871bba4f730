//! The pseudonymised analyst catalog: `verzuim catalog --analyse` writes
//! `verzuim-analyse.duckdb`, a self-contained file for an analyst making
//! regional statistics, who must not need the lake or anyone's identity.
//!
//! * Every pgn becomes a keyed pseudonym (HMAC-SHA256 with a secret key kept
//!   outside the lake, in a file of mode 0600 created on first use): the same
//!   person has the same pseudonym in every delivery and every run, and
//!   nobody without the key can go back from it.
//! * No bsn, onderwijsnummer, names, addresses or `niet_gevonden` numbers;
//!   postcodes to their 4 digits; geboortedatum and overlijdensdatum to year
//!   and month.
//! * The figures are those of the full catalog — the same macros, run there
//!   on the peildata, teljaren and schooljaren asked for, stored with their
//!   argument, and answered in this file by macros of the same names. A
//!   figure on any other date cannot be made here: ages on an arbitrary day
//!   need the day of birth, which is exactly what this file leaves out
//!   (docs/security.md). Asking for one is an error naming the table that
//!   lists what was computed.
//!
//! It holds data, not views over the lake: the analyst needs no access to
//! the lake, and a view could not hide what it reads.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, params};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{bound_memory, catalog_path, quote, remove_db, remove_spill, remove_stale_temporaries, sql_error, strings};
use crate::error::{Error, Result};

pub const ANALYSE_FILE: &str = "verzuim-analyse.duckdb";

/// Where the analyst catalog goes: `uit`, or `<lake>/verzuim-analyse.duckdb`.
pub fn bestand(lake: &Path, uit: Option<&Path>) -> PathBuf {
    uit.map(Path::to_path_buf).unwrap_or_else(|| lake.join(ANALYSE_FILE))
}

/// The figures the analyst catalog carries, with the kind of argument each
/// takes in the full catalog.
const FIGUREN: &[(&str, Argument)] = &[
    ("leerplichttelling", Argument::Peildatum),
    ("absoluut_verzuim_signalen", Argument::Peildatum),
    ("oud_vsv", Argument::Peildatum),
    ("vsv", Argument::Teljaar),
    ("vsv_verschillen", Argument::Teljaar),
    ("vrijstellingen", Argument::Schooljaar),
    ("verdwenen_zonder_mutatie", Argument::Geen),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Argument {
    Peildatum,
    Teljaar,
    Schooljaar,
    /// A view without parameters.
    Geen,
}

impl Argument {
    fn column(self) -> &'static str {
        match self {
            Argument::Peildatum => "peildatum",
            Argument::Teljaar => "teljaar",
            Argument::Schooljaar => "schooljaar",
            Argument::Geen => "",
        }
    }
}

pub struct AnalyseOptions {
    pub lake: PathBuf,
    /// Default `<lake>/verzuim-analyse.duckdb`.
    pub out: Option<PathBuf>,
    pub sleutel: PathBuf,
    /// Empty: the defaults of [`standaard_argumenten`].
    pub peildata: Vec<NaiveDate>,
    pub teljaren: Vec<i32>,
    pub schooljaren: Vec<i32>,
}

/// What was written (counts and dates only: it is logged).
#[derive(Debug)]
pub struct AnalyseReport {
    pub path: PathBuf,
    pub personen: u64,
    pub peildata: Vec<NaiveDate>,
    pub teljaren: Vec<i32>,
    pub schooljaren: Vec<i32>,
    pub sleutel_aangemaakt: bool,
}

impl std::fmt::Display for AnalyseReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} persons pseudonymised; figures on {} peildata, {} teljaren, {} schooljaren{}",
            self.personen,
            self.peildata.len(),
            self.teljaren.len(),
            self.schooljaren.len(),
            if self.sleutel_aangemaakt { "; a new key was made" } else { "" }
        )
    }
}

/// The secret key of the pseudonyms.
pub struct Sleutel([u8; 32]);

impl Sleutel {
    /// Reads the key at `path`, or makes one there (32 random bytes, hex,
    /// mode 0600) if there is none. Refused inside the lake (a copy of the
    /// lake must not carry the key to its own pseudonyms) and when others may
    /// read it.
    pub fn open_or_create(path: &Path, lake: &Path) -> Result<(Sleutel, bool)> {
        let lake = lake.canonicalize().map_err(|e| Error::io(lake, e))?;
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if resolved(parent)?.starts_with(&lake) {
            return Err(Error::Usage(format!(
                "the pseudonym key {} lies inside the lake {}: keep it outside (--sleutel, or `sleutel` under [analyse])",
                path.display(),
                lake.display()
            )));
        }
        crate::files::private_dir(parent)?;
        match std::fs::read_to_string(path) {
            Ok(text) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.permissions().mode() & 0o777;
                    if mode & 0o077 != 0 {
                        return Err(Error::Usage(format!(
                            "the pseudonym key {} may be read by others (mode {mode:o}): chmod 600 it, or replace it if it may have leaked",
                            path.display()
                        )));
                    }
                }
                let key = unhex(text.trim())
                    .ok_or_else(|| Error::Usage(format!("the pseudonym key {} is not 64 hexadecimal digits", path.display())))?;
                Ok((Sleutel(key), false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| Error::Usage(format!("no randomness for a new key: {e}")))?;
                let mut options = std::fs::OpenOptions::new();
                // create_new: two runs making a key at once cannot both win
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
                use std::io::Write;
                let text = crate::input::hex(&key);
                file.write_all(format!("{text}\n").as_bytes()).and_then(|()| file.sync_all()).map_err(|e| Error::io(path, e))?;
                crate::files::set_mode(path, 0o600)?;
                Ok((Sleutel(key), true))
            }
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The pseudonym of a pgn: the first 128 bits of HMAC-SHA256(key, pgn),
    /// hexadecimal.
    pub fn pseudoniem(&self, pgn: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(pgn.as_bytes());
        crate::input::hex(&mac.finalize().into_bytes()[..16])
    }

    /// Tells two keys apart without showing either (shown in the catalog so
    /// that analysts know whether pseudonyms of two files can be joined).
    fn kenmerk(&self) -> String {
        self.pseudoniem("verzuim-sleutel-kenmerk")[..8].to_string()
    }
}

/// `dir` with symbolic links and `..` resolved, also when (part of) it does
/// not exist yet: its nearest existing ancestor resolved, the rest appended.
fn resolved(dir: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(up), Some(name)) => {
                rest.push(name.to_os_string());
                existing = up;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().map_err(|e| Error::io(existing, e))?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The default key file: `$XDG_CONFIG_HOME/verzuim/pseudoniem.key`, else
/// `~/.config/verzuim/pseudoniem.key`.
pub fn standaard_sleutel() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("verzuim").join("pseudoniem.key")
}

/// Writes the analyst catalog from the lake's (refreshed first if missing).
pub fn analyse(o: &AnalyseOptions) -> Result<AnalyseReport> {
    let root = o.lake.canonicalize().map_err(|e| Error::io(&o.lake, e))?;
    let bron = catalog_path(&root);
    if !bron.exists() {
        super::refresh(&root)?;
    }
    let (sleutel, sleutel_aangemaakt) = Sleutel::open_or_create(&o.sleutel, &root)?;
    let target = bestand(&root, o.out.as_deref());
    let file_name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| ANALYSE_FILE.into());
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    crate::files::private_dir(dir)?;
    remove_stale_temporaries(dir, &file_name)?;
    let tmp = target.with_file_name(format!("{file_name}.tmp-{}", std::process::id()));

    let conn = Connection::open_in_memory().map_err(|e| sql_error("DuckDB", e))?;
    // bounded like the catalog refresh, spilling to the lake's staging area
    let spill = bound_memory(&conn, &root, "analyse")?;
    conn.execute_batch(&format!(
        "set autoinstall_known_extensions = false; set autoload_known_extensions = false;\
         attach {} as bron (read_only); attach {} as analist (storage_version {});",
        quote(&bron.display().to_string()),
        quote(&tmp.display().to_string()),
        quote(super::STORAGE_COMPATIBILITY)
    ))
    .map_err(|e| sql_error("attaching the catalogs", e))?;
    // the full catalog is attached, not opened: its views cannot find the lake by themselves
    super::point_at_lake(&conn, &root)?;
    let written = write(&conn, o, &sleutel);
    drop(conn);
    remove_spill(&spill)?;
    let (personen, (peildata, teljaren, schooljaren)) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = remove_db(&tmp);
            return Err(e);
        }
    };
    // pseudonymised data is still personal data (AVG, recital 26)
    crate::files::set_mode(&tmp, 0o600)?;
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(AnalyseReport { path: target, personen, peildata, teljaren, schooljaren, sleutel_aangemaakt })
}

type Argumenten = (Vec<NaiveDate>, Vec<i32>, Vec<i32>);

fn write(conn: &Connection, o: &AnalyseOptions, sleutel: &Sleutel) -> Result<(u64, Argumenten)> {
    // The pgn → pseudonym table lives in this connection's temporary
    // catalog only: it is never written to a file.
    conn.execute_batch("create temp table pseudoniem (pgn varchar not null, pseudoniem varchar not null);")
        .map_err(|e| sql_error("pseudoniem", e))?;
    let pgns = strings(conn, "select pgn from bron.beeld_alles", "beeld_alles")?;
    {
        let mut app = conn.appender_to_catalog_and_db("pseudoniem", "temp", "main").map_err(|e| sql_error("pseudoniem", e))?;
        for pgn in &pgns {
            app.append_row(params![pgn, sleutel.pseudoniem(pgn)]).map_err(|e| sql_error("pseudoniem", e))?;
        }
        app.flush().map_err(|e| sql_error("pseudoniem", e))?;
    }

    // Names resolve in the full catalog, so that its macros run as there.
    conn.execute_batch("use bron;").map_err(|e| sql_error("use bron", e))?;
    for (name, sql) in crate::embedded::SQL_ANALYSE {
        conn.execute_batch(sql).map_err(|e| sql_error(&format!("sql/analyse/{name}"), e))?;
    }

    let (peildata, teljaren, schooljaren) = match (o.peildata.is_empty(), o.teljaren.is_empty(), o.schooljaren.is_empty()) {
        (true, true, true) => standaard_argumenten(conn)?,
        _ => (o.peildata.clone(), o.teljaren.clone(), o.schooljaren.clone()),
    };
    let mut argumenten: Vec<(&str, String)> = Vec::new();
    for (figuur, kind) in FIGUREN {
        let waarden: Vec<String> = match kind {
            Argument::Peildatum => peildata.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect(),
            Argument::Teljaar => teljaren.iter().map(|t| t.to_string()).collect(),
            Argument::Schooljaar => schooljaren.iter().map(|s| s.to_string()).collect(),
            Argument::Geen => vec![String::new()],
        };
        materialise(conn, figuur, *kind, &waarden)?;
        argumenten.extend(waarden.into_iter().map(|w| (*figuur, w)));
    }
    let rows: Vec<String> = argumenten.iter().map(|(f, w)| format!("({}, {})", quote(f), quote(w))).collect();
    conn.execute_batch(&format!(
        "create table analist.analyse_argument (figuur varchar, waarde varchar);\n{}",
        if rows.is_empty() { String::new() } else { format!("insert into analist.analyse_argument values {};", rows.join(", ")) }
    ))
    .map_err(|e| sql_error("analyse_argument", e))?;

    // The macros are bound where the analyst will call them.
    conn.execute_batch("use analist;").map_err(|e| sql_error("use analist", e))?;
    for (figuur, kind) in FIGUREN {
        conn.execute_batch(&figure_macro(figuur, *kind)).map_err(|e| sql_error(&format!("macro {figuur}"), e))?;
    }
    conn.execute_batch(&format!(
        "create table analyse_bouw as select current_timestamp as gemaakt_op, \
         (select kenmerk from bron.catalogus_bouw) as catalogus_kenmerk, {} as sleutel_kenmerk, \
         (select count(*) from persoon) as personen;\
         checkpoint;",
        quote(&sleutel.kenmerk())
    ))
    .map_err(|e| sql_error("analyse_bouw", e))?;
    Ok((pgns.len() as u64, (peildata, teljaren, schooljaren)))
}

/// `figuur_<name>`: the figure of the full catalog for each argument, with
/// its argument as the first column, pgn replaced by the pseudonym and the
/// internal persoon_nr left out.
fn materialise(conn: &Connection, figuur: &str, kind: Argument, waarden: &[String]) -> Result<()> {
    let call = |w: &str| match kind {
        Argument::Peildatum => format!("{figuur}(date {})", quote(w)),
        Argument::Teljaar | Argument::Schooljaar => format!("{figuur}({w})"),
        Argument::Geen => figuur.to_string(),
    };
    let probe = call(waarden.first().map(String::as_str).unwrap_or("2000-01-01"));
    let columns = strings(conn, &format!("select column_name from (describe select * from {probe})"), figuur)?;
    let has_pgn = columns.iter().any(|c| c == "pgn");
    let select: Vec<String> = columns
        .iter()
        .filter(|c| *c != "persoon_nr")
        .map(|c| if c == "pgn" { "p.pseudoniem".to_string() } else { format!("f.\"{c}\"") })
        .collect();
    let join = if has_pgn { " left join temp.main.pseudoniem p on p.pgn = f.pgn" } else { "" };
    let argument = |w: &str| match kind {
        Argument::Peildatum => format!("date {} as peildatum, ", quote(w)),
        Argument::Teljaar => format!("{w} as teljaar, "),
        Argument::Schooljaar => format!("{w} as schooljaar, "),
        Argument::Geen => String::new(),
    };
    let parts: Vec<String> =
        waarden.iter().map(|w| format!("select {}{} from {} f{join}", argument(w), select.join(", "), call(w))).collect();
    let body = if parts.is_empty() {
        // no argument asked for: the table with its columns, empty
        format!("select {}{} from {} f{join} where false", argument("2000-01-01"), select.join(", "), probe)
    } else {
        parts.join("\nunion all\n")
    };
    conn.execute_batch(&format!("create table analist.figuur_{figuur} as {body};")).map_err(|e| sql_error(&format!("figuur_{figuur}"), e))
}

/// The analyst catalog's macro for a figure: its stored rows for the
/// argument, or an error if that argument was not computed.
fn figure_macro(figuur: &str, kind: Argument) -> String {
    if kind == Argument::Geen {
        return format!("create or replace view {figuur} as select * from figuur_{figuur};");
    }
    let param = kind.column();
    let (arg, equal) = match kind {
        Argument::Peildatum => ("d", "f.peildatum = cast(d as date)".to_string()),
        _ => ("t", format!("f.{param} = cast(t as integer)")),
    };
    let waarde = match kind {
        Argument::Peildatum => "cast(cast(d as date) as varchar)",
        _ => "cast(cast(t as integer) as varchar)",
    };
    format!(
        "create or replace macro {figuur}({arg}) as table\n\
         with controle as (\n\
             select case when count(*) = 0\n\
                 then error('{figuur}: the analyst catalog holds this figure only for the arguments in analyse_argument; ask for others with verzuim catalog --analyse')\n\
                 else true end as ok\n\
             from analyse_argument where figuur = '{figuur}' and waarde = {waarde}\n\
         )\n\
         select f.* exclude ({param}) from figuur_{figuur} f, controle c where c.ok and {equal} order by all;"
    )
}

/// When no arguments are given: the 1st of every month from the lake's
/// first to its last peildatum (the last 24 at most) and the last peildatum
/// itself; the teljaren from the year before the first peildatum whose
/// outcome day (1 October of the next year) has passed by the last; the
/// schooljaren the span touches.
fn standaard_argumenten(conn: &Connection) -> Result<Argumenten> {
    let (eerste, laatste): (Option<String>, Option<String>) = conn
        .query_row("select cast(min(peildatum) as varchar), cast(max(peildatum) as varchar) from bron.levering_volgorde", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| sql_error("levering_volgorde", e))?;
    let date = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    let (Some(eerste), Some(laatste)) = (date(eerste), date(laatste)) else { return Ok((vec![], vec![], vec![])) };
    let mut peildata = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(eerste.year(), eerste.month(), 1).expect("first of a month");
    if d < eerste {
        d = d.checked_add_months(chrono::Months::new(1)).expect("a later month");
    }
    while d <= laatste {
        peildata.push(d);
        d = d.checked_add_months(chrono::Months::new(1)).expect("a later month");
    }
    let skip = peildata.len().saturating_sub(24);
    peildata.drain(..skip);
    if !peildata.contains(&laatste) {
        peildata.push(laatste);
    }
    let teljaren: Vec<i32> =
        (eerste.year() - 1..laatste.year()).filter(|&t| NaiveDate::from_ymd_opt(t + 1, 10, 1).is_some_and(|t1| t1 <= laatste)).collect();
    let schooljaar = |d: NaiveDate| if d.month() >= 8 { d.year() } else { d.year() - 1 };
    let schooljaren: Vec<i32> = (schooljaar(eerste)..=schooljaar(laatste)).collect();
    Ok((peildata, teljaren, schooljaren))
}
