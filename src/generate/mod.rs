//! `verzuim generate`: synthetic DUO deliveries at any scale, with a ground
//! truth computed from the simulation itself.
//!
//! ```text
//! wereld (lives, day by day) → beeld (what DUO knows on a day)
//!     → schrijf (records through a layout file) → leveringen/, aanvragen/
//!     → waarheid (the figures, from the lives)   → waarheid/
//! ```
//!
//! Persons are independent: they are simulated in parallel, chunk by chunk,
//! and each chunk's records are appended to the delivery files before the
//! next chunk starts — memory stays bounded whatever `--persons` is. The
//! output is built in a staging folder and moved into place at the end, so
//! an interrupted run leaves the previous output untouched.
//!
//! See `docs/generator.md` for the model and its simplifications.

pub mod beeld;
pub mod brp;
pub mod datum;
pub mod lijst;
pub mod rng;
pub mod waarheid;
pub mod wereld;
pub mod writer;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::layout::{DeliveryLayout, Format, RecordLayout};
use crate::reference::shipped_regio;
use crate::request::{self, Afnemer};
use beeld::{Beeld, actief};
use datum::{dag, jaar, naar_datum, van_datum, verjaardag, ymd};
use rng::Rng;
use waarheid::{BrpVraag, Kennis, LijstVraag, Vraag, Waarheid};
use wereld::{BSN_BASIS, Leven, Wereld, brin, elfproef_nummer};
use writer::{Encoding, Field, Writer};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub persons: u64,
    pub seed: u64,
    /// The first C-levering's peildatum; weekly P-leveringen follow it.
    pub van: NaiveDate,
    /// The last P-levering's peildatum is the last Sunday on or before this.
    pub tot: NaiveDate,
    /// Who receives deliveries; empty: every Doorstroompunt-regio.
    pub afnemers: Vec<Afnemer>,
    pub layout: DeliveryLayout,
    /// C-leveringen on these peildata; empty: on `van` and on every 1 October after it.
    pub c_peildata: Vec<NaiveDate>,
    /// Vary encoding, separator and line end per file, as DUO's tooling
    /// might; otherwise every file is Windows-1252 with CRLF.
    pub gemengd: bool,
    /// Write the A-request and its answer (to the first afnemer).
    pub a_levering: bool,
    /// Write BRP extracts of the first afnemer's gemeenten (`brp/`), a
    /// week before the A-request.
    pub brp: bool,
    /// Write DUO's VSV lists (NRSP, NenR) for the first afnemer (`lijsten/`).
    pub lijsten: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Summary {
    pub leveringen: Vec<Geleverd>,
    pub personen: u64,
    pub in_een_levering: u64,
    pub aanvraag: Option<PathBuf>,
    pub waarheid: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Geleverd {
    pub bestand: String,
    pub soort: char,
    pub afnemer: String,
    pub peildatum: NaiveDate,
    pub personen: u64,
    pub records: u64,
    pub encoding: String,
}

struct Levering {
    soort: char,
    afnemer: usize,
    peildatum: i32,
    /// P: the day after which this period's changes count.
    vanaf: i32,
    aanmaakdatum: i32,
    volgnummer: u32,
    naam: String,
    schrijver: Writer,
    encoding: Encoding,
    personen: u64,
    records: u64,
}

struct Gebied {
    afnemer: Afnemer,
    gemeenten: Vec<bool>,
}

/// Everything the per-person work reads.
struct Work {
    seed: u64,
    wereld: Wereld,
    gebieden: Vec<Gebied>,
    leveringen: Vec<Levering>,
    per_afnemer: Vec<Vec<usize>>,
    a: Option<usize>,
    a_kans: f64,
    vraag: Vraag,
    gedekt: Vec<bool>,
}

/// Persons per chunk: the records of one chunk are held in memory.
const CHUNK: u64 = 16_384;
const SALT_VERGISSING: u64 = 0xA11C_E5ED;
const SALT_A: u64 = 0x00A0_A0A0;
const SALT_DUO: u64 = 0xD0D0;
const SALT_ENCODING: u64 = 0xC0DE;
const SALT_BRP: u64 = 0xB2B0;
const SALT_NIEUWKOMER: u64 = 0xB2B1;
const SALT_LIJST: u64 = 0x115E;
const SALT_RAPPORTAGE: u64 = 0xA04A;

// Long: the run's steps in order (staging folder, persons in parallel, files, truth, rename), each a call.
pub fn generate(opts: &Options) -> Result<Summary> {
    let plan = plan(opts)?;
    let staging = opts.out.join(".verzuim-generate.tmp");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    let lev_dir = staging.join("leveringen");
    std::fs::create_dir_all(&lev_dir).map_err(|e| Error::io(&lev_dir, e))?;

    let mut leveringen = plan.leveringen.iter().map(|l| (l.personen, l.records)).collect::<Vec<_>>();
    for l in &plan.leveringen {
        let mut buf = l.schrijver.begin().to_vec();
        let code = &plan.gebieden[l.afnemer].afnemer.code;
        let soort_afnemer = plan.gebieden[l.afnemer].afnemer.soort.to_string();
        let volg = format!("{:06}", l.volgnummer);
        let soort = l.soort.to_string();
        l.schrijver.write_record(
            &mut buf,
            "VLP",
            &[
                Field::Tekst("VZL1"),
                Field::Tekst(&soort),
                Field::Tekst(&soort_afnemer),
                Field::Tekst(code),
                Field::Datum(Some(l.peildatum)),
                Field::Datum(Some(l.aanmaakdatum)),
                Field::Tekst(&volg),
            ],
        );
        let path = lev_dir.join(&l.naam);
        std::fs::write(&path, buf).map_err(|e| Error::io(&path, e))?;
    }

    let mut waarheid = Waarheid::default();
    let mut brp_regels: Vec<String> = vec![String::new(); plan.wereld.gemeenten.len()];
    // per teljaar: NRSP, NenR definitief, NenR voorlopig
    let mut lijst_regels: std::collections::BTreeMap<i32, [String; 3]> = Default::default();
    let mut rapportage_regels: std::collections::BTreeMap<(&str, i32), String> = Default::default();
    let mut gevraagd: Vec<(String, bool)> = Vec::new();
    let mut in_een_levering = 0;
    let mut start = 0;
    while start < opts.persons {
        let eind = (start + CHUNK).min(opts.persons);
        let personen: Vec<Persoon> = (start..eind).into_par_iter().map(|id| process(&plan, id)).collect();
        let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); plan.leveringen.len()];
        for p in personen {
            in_een_levering += u64::from(!p.kennis_leeg);
            for (li, bytes, n) in p.records {
                buffers[li].extend_from_slice(&bytes);
                leveringen[li].0 += 1;
                leveringen[li].1 += n;
            }
            if let Some(g) = p.gevraagd {
                gevraagd.push(g);
            }
            for (t, regel, geleverd) in &p.afwijkingen {
                waarheid.afwijking(*t, &p.pgn, *regel, *geleverd);
            }
            waarheid.neem(&p.pgn, p.bsn.as_deref(), p.feiten);
            if let Some((g, regel)) = p.brp {
                brp_regels[usize::from(g)].push_str(&regel);
            }
            for (m, code, regel) in p.rapportages {
                rapportage_regels.entry((code, m)).or_default().push_str(&regel);
            }
            for (t, nrsp, nenr) in p.lijsten {
                let l = lijst_regels.entry(t).or_default();
                l[0].push_str(&nrsp);
                if let Some(n) = nenr {
                    // the voorlopige list misses the first and about a third of the other rows of the definitieve
                    let hier = u64::try_from(t).unwrap_or(0) * 1_000_000_007 + l[1].len() as u64;
                    if !l[1].is_empty() && Rng::new(opts.seed ^ SALT_LIJST, hier).chance(0.67) {
                        l[2].push_str(&n);
                    }
                    l[1].push_str(&n);
                }
            }
        }
        for (li, buf) in buffers.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
            append(&lev_dir.join(&plan.leveringen[li].naam), buf)?;
        }
        start = eind;
    }

    // The A answer: NGV for every number without a person in the area, and
    // one number DUO does not know.
    let mut aanvraag = None;
    if let Some(ai) = plan.a {
        let l = &plan.leveringen[ai];
        let onbekend = elfproef_nummer(BSN_BASIS, opts.persons + 1_000_000, 0);
        let mut buf = Vec::new();
        for (nummer, gevonden) in gevraagd.iter().chain(std::iter::once(&(onbekend.clone(), false))) {
            if !gevonden {
                let reden = if *nummer == onbekend { "ONB" } else { "BUI" };
                l.schrijver.write_record(&mut buf, "NGV", &[Field::Tekst(nummer), Field::Tekst(reden)]);
                leveringen[ai].1 += 1;
            }
        }
        append(&lev_dir.join(&l.naam), &buf)?;
        let lijst: String = gevraagd.iter().map(|(n, _)| n.as_str()).chain([onbekend.as_str()]).map(|n| format!("{n}\n")).collect();
        let a = request::a_request(&lijst).map_err(Error::Usage)?;
        let datum = naar_datum(l.peildatum - 7);
        let dir = staging.join("aanvragen");
        aanvraag = Some(request::write(&dir, &request::file_name(datum, &plan.gebieden[l.afnemer].afnemer, 'A'), &a.bytes)?);
    }
    if let Some(b) = &plan.vraag.brp {
        let onbekend = opts.a_levering.then(|| elfproef_nummer(BSN_BASIS, opts.persons + 1_000_000, 0));
        write_brp(&staging.join("brp"), &plan, opts.persons, b, brp_regels, onbekend, &mut waarheid)?;
    }
    if plan.vraag.lijsten.is_some() {
        let dir = staging.join("lijsten");
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let a = &plan.gebieden[0].afnemer;
        let ontvanger = format!("{}{}", a.soort, a.code);
        for ((code, m), body) in &rapportage_regels {
            let path = dir.join(lijst::rapportage_naam(code, &ontvanger, *m));
            std::fs::write(&path, [lijst::rapportage_kop(code), body.as_str()].concat()).map_err(|e| Error::io(&path, e))?;
        }
        for (t, [nrsp, nenr, voorlopig]) in &lijst_regels {
            for (naam, kop, body) in [
                (lijst::file_name("NRSP", *t, 'D', &ontvanger), lijst::NRSP_HEADER, nrsp),
                (lijst::file_name("NenR", *t, 'D', &ontvanger), lijst::NENR_HEADER, nenr),
                (lijst::file_name("NenR", *t, 'V', &ontvanger), lijst::NENR_HEADER, voorlopig),
            ] {
                let path = dir.join(naam);
                std::fs::write(&path, [kop, body.as_str()].concat()).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    let mut geleverd = Vec::new();
    for (li, l) in plan.leveringen.iter().enumerate() {
        let (personen, records) = leveringen[li];
        let records = records + l.schrijver.omlijsting();
        let mut buf = Vec::new();
        l.schrijver.write_record(&mut buf, "SLR", &[Field::Tekst(&personen.to_string()), Field::Tekst(&records.to_string())]);
        let path = lev_dir.join(&l.naam);
        if records == 0 && l.schrijver.omlijsting() == 0 {
            // A week without changes: a header line alone. The DUO-CSV layout
            // reads its peildatum from the rows, so such a file could not say
            // its peildatum and would be refused: none is sent (docs/decisions.md).
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            continue;
        }
        append(&path, &buf)?;
        let mut bestand = l.naam.clone();
        if l.soort == 'A' {
            bestand = zip_in(&path)?;
        }
        geleverd.push(Geleverd {
            bestand,
            soort: l.soort,
            afnemer: format!("{}{}", plan.gebieden[l.afnemer].afnemer.soort, plan.gebieden[l.afnemer].afnemer.code),
            peildatum: naar_datum(l.peildatum),
            personen,
            records,
            encoding: l.encoding.naam(),
        });
    }
    let mut waarheid_files = waarheid.write(&staging.join("waarheid"), &plan.vraag, &plan.wereld)?;
    let manifest = staging.join("waarheid").join("leveringen.csv");
    let body: String = std::iter::once("bestand,soort,afnemer,peildatum,personen,records,codering\n".to_string())
        .chain(
            geleverd
                .iter()
                .map(|g| format!("{},{},{},{},{},{},{}\n", g.bestand, g.soort, g.afnemer, g.peildatum, g.personen, g.records, g.encoding)),
        )
        .collect();
    std::fs::write(&manifest, body).map_err(|e| Error::io(&manifest, e))?;
    waarheid_files.push(manifest);

    // Move into place: each folder replaced as a whole.
    for sub in ["leveringen", "aanvragen", "brp", "lijsten", "waarheid"] {
        let target = opts.out.join(sub);
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        }
        let from = staging.join(sub);
        if from.exists() {
            std::fs::rename(&from, &target).map_err(|e| Error::io(&target, e))?;
        }
    }
    std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let verplaatst = |p: PathBuf| opts.out.join(p.strip_prefix(&staging).unwrap_or(&p));
    Ok(Summary {
        leveringen: geleverd,
        personen: opts.persons,
        in_een_levering,
        aanvraag: aanvraag.map(verplaatst),
        waarheid: waarheid_files.into_iter().map(verplaatst).collect(),
    })
}

/// The BRP extracts: per gemeente of the area its residents from the
/// simulation, a few children DUO never hears of and — in the first
/// gemeente — the number the A-levering answers ONB; their truth into
/// `waarheid`.
fn write_brp(
    dir: &Path,
    plan: &Work,
    persons: u64,
    b: &BrpVraag,
    mut regels: Vec<String>,
    onbekend: Option<String>,
    waarheid: &mut Waarheid,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut n = 0u64;
    for (gi, regel) in regels.iter_mut().enumerate().filter(|(gi, _)| b.gemeenten[*gi]) {
        let g = gi as u16;
        // about one resident in 400 (of the simulated ages), at least two
        let per_gemeente = 2 + regel.lines().count() as u64 / 400;
        let onb = if n == 0 { onbekend.clone() } else { None };
        for k in 0..per_gemeente + u64::from(onb.is_some()) {
            let mut rng = Rng::new(plan.seed ^ SALT_NIEUWKOMER, n);
            let is_onb = k == per_gemeente;
            let bsn = match (&onb, is_onb) {
                (Some(o), true) => o.clone(),
                _ => elfproef_nummer(BSN_BASIS, persons + 2_000_000 + n, 0),
            };
            n += 1;
            let kind = brp::nieuwkomer(bsn, b.datum, is_onb, &mut rng);
            regel.push_str(&kind.regel);
            let feiten = waarheid::brp_alleen(kind.geboortedatum, g, is_onb, &plan.vraag, &plan.gedekt, |_| false);
            waarheid.neem(&kind.bsn, Some(&kind.bsn), feiten);
        }
        let path = dir.join(brp::file_name(&plan.wereld.gemeenten[gi].code, b.datum));
        std::fs::write(&path, [brp::HEADER, regel.as_str()].concat()).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

fn append(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))
}

/// DUO puts an A answer in Mijn DUO as a zip.
fn zip_in(path: &Path) -> Result<String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("levering.txt").to_string();
    let zip_path = path.with_extension("zip");
    let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let f = std::fs::File::create(&zip_path).map_err(|e| Error::io(&zip_path, e))?;
    let mut zip = zip::ZipWriter::new(f);
    let fout = |e: zip::result::ZipError| Error::Archive { path: zip_path.clone(), message: e.to_string() };
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file(name.as_str(), opts).map_err(fout)?;
    zip.write_all(&data).map_err(|e| Error::io(&zip_path, e))?;
    zip.finish().map_err(fout)?;
    std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    Ok(zip_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string())
}

// Long: the world and its delivery schedule, built in the order the seed's random draws must keep: moving a step changes every generated file.
fn plan(opts: &Options) -> Result<Work> {
    let indeling = shipped_regio();
    let van = van_datum(opts.van);
    let mut laatste_zondag = opts.tot;
    while laatste_zondag.weekday() != Weekday::Sun {
        laatste_zondag = laatste_zondag.pred_opt().expect("date in range");
    }
    let tot = van_datum(laatste_zondag).max(van);
    if opts.tot <= opts.van {
        return Err(Error::Usage(format!("--tot {} must lie after --van {}", opts.tot, opts.van)));
    }
    if opts.persons == 0 || opts.persons > 20_000_000 {
        return Err(Error::Usage("--persons: between 1 and 20,000,000".into()));
    }
    let afnemers: Vec<Afnemer> = if opts.afnemers.is_empty() {
        let mut r: Vec<&str> = indeling.values().map(|g| g.regiocode.as_str()).collect();
        r.sort();
        r.dedup();
        r.into_iter().map(Afnemer::regio).collect::<Result<_>>()?
    } else {
        opts.afnemers.clone()
    };
    let mut geboorte = Vec::new();
    let mut gebied_codes = Vec::new();
    for a in &afnemers {
        let codes: Vec<String> = match a.soort {
            'G' => indeling.keys().filter(|g| **g == a.code).cloned().collect(),
            _ => indeling.iter().filter(|(_, r)| format!("{:0>4}", r.regiocode) == a.code).map(|(g, _)| g.clone()).collect(),
        };
        if codes.is_empty() {
            return Err(Error::Usage(format!(
                "afnemer {}{}: no such {} in the regio table",
                a.soort,
                a.code,
                if a.soort == 'G' { "gemeente" } else { "regio" }
            )));
        }
        geboorte.extend(codes.iter().cloned());
        gebied_codes.push(codes);
    }
    let wereld = Wereld::new(&indeling, &geboorte, van, tot);
    let gebieden: Vec<Gebied> = afnemers
        .iter()
        .zip(&gebied_codes)
        .map(|(a, codes)| Gebied { afnemer: a.clone(), gemeenten: wereld.gemeenten.iter().map(|g| codes.contains(&g.code)).collect() })
        .collect();
    let gedekt: Vec<bool> = (0..wereld.gemeenten.len()).map(|i| gebieden.iter().any(|g| g.gemeenten[i])).collect();

    let c_peildata: Vec<i32> = if opts.c_peildata.is_empty() {
        std::iter::once(van).chain((jaar(van)..=jaar(tot)).map(|y| dag(y, 10, 1)).filter(|&d| d > van && d <= tot)).collect()
    } else {
        opts.c_peildata.iter().map(|d| van_datum(*d)).collect()
    };
    let mut zondagen = Vec::new();
    let mut d = van + 1;
    while d <= tot {
        if naar_datum(d).weekday() == Weekday::Sun {
            zondagen.push(d);
        }
        d += 1;
    }
    let mut kaal: Vec<(char, usize, i32, i32, i32)> = Vec::new(); // soort, afnemer, peildatum, vanaf, aanmaak
    for ai in 0..afnemers.len() {
        for &c in &c_peildata {
            kaal.push(('C', ai, c, c, c + 3));
        }
        let mut vorige = van;
        for &z in &zondagen {
            kaal.push(('P', ai, z, vorige, z + 1));
            vorige = z;
        }
    }
    let a_dag = {
        let mut m = van + (tot - van) / 2;
        while naar_datum(m).weekday() != Weekday::Tue {
            m += 1;
        }
        m
    };
    if opts.a_levering {
        kaal.push(('A', 0, a_dag, a_dag, a_dag));
    }
    let soort_orde = |s: char| match s {
        'A' => 0,
        'P' => 1,
        _ => 2,
    };
    kaal.sort_by_key(|&(s, a, p, _, m)| (p, m, a, soort_orde(s)));
    let mut volgnummers = std::collections::HashMap::new();
    let mut leveringen = Vec::new();
    for (i, (soort, afnemer, peildatum, vanaf, aanmaak)) in kaal.into_iter().enumerate() {
        let volgnummer = {
            let n = volgnummers.entry((afnemer, soort)).or_insert(0u32);
            *n += 1;
            *n
        };
        let mut rng = Rng::new(opts.seed ^ SALT_ENCODING, i as u64);
        let (encoding, separator) = if opts.gemengd {
            let r = rng.below(10);
            let encoding = Encoding { utf8: r >= 7, bom: r == 9, crlf: !rng.chance(0.2) };
            let separator = match &opts.layout {
                DeliveryLayout::Records(RecordLayout { format: Format::Delimited { separators }, .. })
                    if separators.len() > 1 && rng.chance(0.2) =>
                {
                    Some(separators[1])
                }
                _ => None,
            };
            (encoding, separator)
        } else {
            (Encoding::ANSI, None)
        };
        let schrijver = Writer::new(&opts.layout, separator, encoding, peildatum)?;
        let mut naam = request::file_name(naar_datum(aanmaak), &gebieden[afnemer].afnemer, soort);
        if let Some(stam) = naam.strip_suffix(".txt") {
            naam = format!("{stam}.{}", schrijver.extension());
        }
        leveringen.push(Levering {
            soort,
            afnemer,
            peildatum,
            vanaf,
            aanmaakdatum: aanmaak,
            volgnummer,
            naam,
            schrijver,
            encoding,
            personen: 0,
            records: 0,
        });
    }
    let mut per_afnemer = vec![Vec::new(); afnemers.len()];
    for (i, l) in leveringen.iter().enumerate() {
        per_afnemer[l.afnemer].push(i);
    }
    let a = leveringen.iter().position(|l| l.soort == 'A');
    // About 25 requested persons of the first afnemer's area, whatever the scale.
    let in_gebied = gebieden[0].gemeenten.iter().filter(|&&b| b).count() as f64;
    let a_kans = (25.0 / (opts.persons as f64 * in_gebied / wereld.geboortegemeenten.len().max(1) as f64)).min(1.0);

    let laatste_p = zondagen.last().copied().unwrap_or(tot);
    let mut datums = c_peildata.clone();
    datums.push(laatste_p);
    datums.sort();
    datums.dedup();
    let teljaren: Vec<i32> = (jaar(van) - 1..jaar(laatste_p)).filter(|&t| dag(t + 1, 10, 1) <= laatste_p).collect();
    let schooljaar = |d: i32| jaar(d) - i32::from(naar_datum(d).month() < 8);
    let schooljaren = (schooljaar(van)..=schooljaar(laatste_p)).collect();
    let gedekt_vanaf = leveringen.iter().filter(|l| l.soort == 'C').map(|l| l.peildatum).min().unwrap_or(i32::MAX);
    let bekend_tot = leveringen.iter().map(|l| l.peildatum).max().unwrap_or(van);
    let brp = opts.brp.then(|| BrpVraag {
        datum: (a_dag - 7).max(van),
        gemeenten: gebieden[0].gemeenten.clone(),
        onb_vanaf: opts.a_levering.then_some(a_dag),
    });
    // DUO sets its indicator of teljaar t on 15 January t+2 (duo_indicatie): lists of those teljaren only
    // DUO's A-rapportages: every month from van's first whole month whose report (a week after it) is out by tot
    let maanden: Vec<i32> = {
        let (y, m, d) = ymd(van);
        let eerste = if d == 1 {
            van
        } else if m == 12 {
            dag(y + 1, 1, 1)
        } else {
            dag(y, m + 1, 1)
        };
        std::iter::successors(Some(eerste), |&m| Some(waarheid::maand_dagen(m).1 + 1))
            .take_while(|&m| waarheid::maand_dagen(m).1 + 7 <= tot)
            .collect()
    };
    let lijsten = opts.lijsten.then(|| LijstVraag {
        teljaren: teljaren.iter().copied().filter(|&t| dag(t + 2, 1, 15) <= tot).collect(),
        gemeenten: gebieden[0].gemeenten.clone(),
        maanden,
    });
    let vraag = Vraag { datums, teljaren, schooljaren, eerder: vec![(van, van)], gedekt_vanaf, bekend_tot, brp, lijsten };
    Ok(Work { seed: opts.seed, wereld, gebieden, leveringen, per_afnemer, a, a_kans, vraag, gedekt })
}

/// One person's share of the output.
struct Persoon {
    pgn: String,
    /// The pgn when it is a BSN.
    bsn: Option<String>,
    records: Vec<(usize, Vec<u8>, u64)>,
    feiten: Vec<waarheid::Feit>,
    gevraagd: Option<(String, bool)>,
    afwijkingen: Vec<(i32, bool, bool)>,
    kennis_leeg: bool,
    /// The person's row in a BRP extract: gemeente, line.
    brp: Option<(u16, String)>,
    /// Per teljaar of the lists: the NRSP row and the NenR row.
    lijsten: Vec<LijstRegels>,
    /// Per month and rapportage: the person's row.
    rapportages: Vec<RapportageRegel>,
}

/// A person's rows on DUO's lists of one teljaar: NRSP, and NenR for a vsv'er.
type LijstRegels = (i32, String, Option<String>);
/// A person's row on DUO's rapportage of a month: month, code, the line.
type RapportageRegel = (i32, &'static str, String);

// Long: one person from simulation through knowledge to every file and fact they are in; each step is a call, the rest is gathering.
fn process(plan: &Work, id: u64) -> Persoon {
    let w = &plan.wereld;
    let mut leven = Leven::simulate(w, plan.seed, id);
    let mut rng = Rng::new(plan.seed ^ SALT_VERGISSING, id);
    if rng.chance(0.004) {
        wereld::vergissing(&mut leven, w, &mut rng);
    }
    let afwijkingen = duo_indicatie(&mut leven, w, &mut Rng::new(plan.seed ^ SALT_DUO, id));

    let mut kennis = Kennis::default();
    let mut records = Vec::new();
    let mut gevraagd = None;
    let gemeenten: Vec<u16> = leven.verblijven.iter().filter_map(|v| v.gemeente).collect();
    for (ai, gebied) in plan.gebieden.iter().enumerate() {
        if !gemeenten.iter().any(|&g| gebied.gemeenten[usize::from(g)]) {
            continue;
        }
        let in_gebied = |d: i32| Beeld::new(&leven, d).woont_op(d).is_some_and(|g| gebied.gemeenten[usize::from(g)]);
        for &li in &plan.per_afnemer[ai] {
            let l = &plan.leveringen[li];
            let p = l.peildatum;
            let b = Beeld::new(&leven, p);
            let mutaties = match l.soort {
                'C' => {
                    let leeftijd = b.leeftijd(p);
                    let laatste_teldatum = {
                        let y = jaar(p);
                        if p >= dag(y, 10, 1) { dag(y, 10, 1) } else { dag(y - 1, 10, 1) }
                    };
                    let in_scope = in_gebied(p)
                        && b.in_leven_op(p)
                        && (4..=22).contains(&leeftijd)
                        && (b.inschrijvingen().any(|i| i.actief_op(p))
                            || b.vrijstellingen().any(|v| actief(v.begin, v.einde, p))
                            || b.vsv().any(|v| v.teldatum == laatste_teldatum));
                    if !in_scope {
                        continue;
                    }
                    Vec::new()
                }
                'P' => {
                    let m = mutaties(&leven, l.vanaf, p);
                    let leeftijd_ok = (4..=22).contains(&b.leeftijd(p)) || (4..=22).contains(&b.leeftijd(l.vanaf));
                    if m.is_empty() || !leeftijd_ok || !(in_gebied(p) || in_gebied(l.vanaf)) {
                        continue;
                    }
                    m
                }
                _ => {
                    // Whom a leerplichtambtenaar asks about: children of
                    // leerplicht age in the BRP of the area whom no C-levering
                    // shows (not enrolled, no vrijstelling), and a sample of
                    // others, some of whom have moved away (NGV BUI).
                    let mut r = Rng::new(plan.seed ^ SALT_A, id);
                    let gevonden = in_gebied(p);
                    let gemist = gevonden
                        && b.in_leven_op(p)
                        && (5..=17).contains(&b.leeftijd(p))
                        && !b.inschrijvingen().any(|i| i.actief_op(p))
                        && !b.vrijstellingen().any(|v| actief(v.begin, v.einde, p));
                    if !gemist && (!r.chance(plan.a_kans) || !(gevonden || r.chance(0.1))) {
                        continue;
                    }
                    gevraagd = Some((leven.pgn.clone(), gevonden));
                    if !gevonden {
                        continue;
                    }
                    Vec::new()
                }
            };
            let mut buf = Vec::with_capacity(1024);
            let n = write_picture(&l.schrijver, &mut buf, &b, &mutaties, w);
            records.push((li, buf, n));
            kennis.peildata.push(p);
        }
    }
    let mut feiten = waarheid::feiten(&leven, &kennis, &plan.vraag, &plan.gedekt);
    let (brp, lijsten, rapportages) = brp_en_lijsten(plan, &leven, &kennis, id, &mut feiten);
    let bsn = leven.heeft_bsn.then(|| leven.pgn.clone());
    Persoon {
        kennis_leeg: kennis.peildata.is_empty(),
        pgn: leven.pgn,
        bsn,
        records,
        feiten,
        gevraagd,
        afwijkingen,
        brp,
        lijsten,
        rapportages,
    }
}

/// The person's row in a BRP extract, on DUO's VSV lists and its monthly
/// rapportages, and the facts of the comparisons into `feiten`.
fn brp_en_lijsten(
    plan: &Work,
    leven: &Leven,
    kennis: &Kennis,
    id: u64,
    feiten: &mut Vec<waarheid::Feit>,
) -> (Option<(u16, String)>, Vec<LijstRegels>, Vec<RapportageRegel>) {
    let w = &plan.wereld;
    let in_brp = plan.vraag.brp.as_ref().and_then(|b| brp::in_brp(leven, b, &mut Rng::new(plan.seed ^ SALT_BRP, id)));
    feiten.extend(waarheid::brp_feiten(leven, kennis, &plan.vraag, &plan.gedekt, in_brp.map(|(g, _)| g)));
    let brp = in_brp.map(|(g, v)| (g, brp::regel(leven, v)));
    let mut lijsten = Vec::new();
    let mut rapportages = Vec::new();
    if let Some(l) = &plan.vraag.lijsten {
        let op = lijst::op_rapportages(leven, l, &mut Rng::new(plan.seed ^ SALT_RAPPORTAGE, id));
        feiten.extend(waarheid::maandrapportage_vergelijking(leven, kennis, &plan.gedekt, &l.maanden, &op));
        rapportages.extend(op.iter().map(|r| (r.maand, r.code, lijst::rapportage_regel(leven, w, r))));
        for &t in &l.teljaren {
            let op = lijst::op_lijst(leven, l, t);
            feiten.extend(waarheid::vsv_vergelijking(leven, kennis, &plan.gedekt, t, op));
            if let Some(op) = op {
                let (nrsp, nenr) = lijst::regels(leven, w, &op);
                lijsten.push((t, nrsp, nenr));
            }
        }
    }
    (brp, lijsten, rapportages)
}

/// DUO's own vsv indicator, set on 15 January after the verlate
/// startkwalificatie window closed, by the rule on what DUO knew then —
/// and deliberately wrong for about one in a hundred start members.
fn duo_indicatie(leven: &mut Leven, w: &Wereld, rng: &mut Rng) -> Vec<(i32, bool, bool)> {
    let mut afwijkingen = Vec::new();
    for t in jaar(w.van) - 3..jaar(w.horizon) {
        let bekend = dag(t + 2, 1, 15);
        if bekend > w.horizon {
            break;
        }
        let Some(a) = waarheid::vsv_regel(&Beeld::new(leven, bekend), t) else { continue };
        // wrong for about 1 in 100 non-vsv'ers and 1 in 10 vsv'ers, so both directions occur
        let fout = rng.chance(if a.vsv { 0.1 } else { 0.01 });
        let geleverd = a.vsv != fout;
        if fout {
            afwijkingen.push((t, a.vsv, geleverd));
        }
        if geleverd {
            leven.vsv.push(wereld::VsvIndicatie { teldatum: dag(t + 1, 10, 1), instelling: a.instelling, categorie: a.categorie, bekend });
        }
    }
    afwijkingen
}

/// The MUT triggers of the period (vanaf, tot].
fn mutaties(leven: &Leven, vanaf: i32, tot: i32) -> Vec<(&'static str, i32, Option<u32>)> {
    let binnen = |d: i32| d > vanaf && d <= tot;
    let mut m = Vec::new();
    if let Some(o) = leven.overlijden.filter(|&o| binnen(o)) {
        m.push(("OVL", o, None));
    }
    for (n, code) in [(4, "L04"), (23, "L23")] {
        let d = verjaardag(leven.geboortedatum, n);
        if binnen(d) {
            m.push((code, d, None));
        }
    }
    for pair in leven.verblijven.windows(2) {
        if binnen(pair[1].aanvang) {
            m.push((if pair[0].gemeente == pair[1].gemeente { "VBG" } else { "VAG" }, pair[1].aanvang, None));
        }
    }
    for i in &leven.inschrijvingen {
        if binnen(i.begin) {
            m.push(("INT", i.begin, Some(i.volgnummer)));
        }
        if i.einde.is_some() && binnen(i.einde_bekend) && i.verwijderd.is_none_or(|v| v > i.einde_bekend) {
            m.push(("INW", i.einde_bekend, Some(i.volgnummer)));
        }
        if let Some(v) = i.verwijderd.filter(|&v| binnen(v)) {
            m.push(("INV", v, Some(i.volgnummer)));
        }
    }
    for r in &leven.resultaten {
        if binnen(r.datum) {
            m.push(("RST", r.datum, None));
        }
        if let Some(x) = r.ingetrokken.filter(|&x| binnen(x)) {
            m.push(("RSV", x, None));
        }
    }
    let sk = |k: i32| Beeld::new(leven, k).startkwalificatie_behaald().is_some();
    match (sk(vanaf), sk(tot)) {
        (false, true) => m.push(("SKB", Beeld::new(leven, tot).startkwalificatie_behaald().unwrap_or(tot), None)),
        (true, false) => m.push(("SKN", tot, None)),
        _ => {}
    }
    m.sort_by_key(|&(c, d, r)| (d, c, r));
    m
}

/// Writes a person's full picture; returns the number of records.
fn write_picture(s: &Writer, uit: &mut Vec<u8>, b: &Beeld, mutaties: &[(&str, i32, Option<u32>)], w: &Wereld) -> u64 {
    let begin = uit.len();
    let n = write_records(s, uit, b, mutaties, w);
    s.persoon_af(uit, begin).unwrap_or(n)
}

// Long: one person's records in the layout's record order.
fn write_records(s: &Writer, uit: &mut Vec<u8>, b: &Beeld, mutaties: &[(&str, i32, Option<u32>)], w: &Wereld) -> u64 {
    let l = b.leven;
    let pgn = l.pgn.as_str();
    let (bsn, own) = if l.heeft_bsn { (pgn, "") } else { ("", pgn) };
    let mut n = 1;
    s.write_record(
        uit,
        "PER",
        &[
            Field::Tekst(pgn),
            Field::Tekst(bsn),
            Field::Tekst(own),
            Field::Datum(Some(l.geboortedatum)),
            Field::Tekst(l.geslacht),
            Field::Tekst(l.achternaam),
            Field::Tekst(l.voorvoegsel),
            Field::Tekst(l.voornamen),
            Field::Datum(b.overlijdensdatum()),
        ],
    );
    for (code, datum, referentie) in mutaties {
        let r = referentie.map(|r| format!("{r:010}")).unwrap_or_default();
        s.write_record(uit, "MUT", &[Field::Tekst(pgn), Field::Tekst(code), Field::Datum(Some(*datum)), Field::Tekst(&r)]);
        n += 1;
    }
    for (v, einde) in b.verblijven() {
        let g = v.gemeente.map(|g| &w.gemeenten[usize::from(g)]);
        let postcode = v.postcode.map(|p| String::from_utf8_lossy(&p).into_owned()).unwrap_or_default();
        let huisnummer = if v.huisnummer > 0 { v.huisnummer.to_string() } else { String::new() };
        s.write_record(
            uit,
            "VBL",
            &[
                Field::Tekst(pgn),
                Field::Tekst(g.map_or("", |g| g.code.as_str())),
                Field::Tekst(&postcode),
                Field::Tekst(&huisnummer),
                Field::Tekst(v.toevoeging),
                Field::Tekst(g.map_or("", |g| g.naam.as_str())),
                Field::Tekst(v.landcode),
                Field::Datum(Some(v.aanvang)),
                Field::Datum(einde),
            ],
        );
        n += 1;
    }
    for i in b.inschrijvingen() {
        let x = i.ins;
        let code = brin(x.instelling);
        let vestiging = format!("{code}00");
        let volg = format!("{:010}", x.volgnummer);
        let opleiding = if x.opleiding > 0 { x.opleiding.to_string() } else { String::new() };
        let niveau = x.niveau.map(|v| v.to_string()).unwrap_or_default();
        let leerjaar = x.leerjaar.map(|v| v.to_string()).unwrap_or_default();
        s.write_record(
            uit,
            "INS",
            &[
                Field::Tekst(pgn),
                Field::Tekst(&volg),
                Field::Tekst(&code),
                Field::Tekst(&vestiging),
                Field::Tekst(x.os.code()),
                Field::Tekst(&opleiding),
                Field::Tekst(x.leerweg.unwrap_or("")),
                Field::Tekst(&niveau),
                Field::Tekst(&leerjaar),
                Field::Datum(Some(x.begin)),
                Field::Datum(i.einde),
                Field::Tekst(i.reden.unwrap_or("")),
                Field::Tekst(if x.bekostigd { "J" } else { "N" }),
            ],
        );
        n += 1;
    }
    for r in b.resultaten() {
        let code = brin(r.instelling);
        let opleiding = r.opleiding.to_string();
        let niveau = r.niveau.map(|v| v.to_string()).unwrap_or_default();
        s.write_record(
            uit,
            "RES",
            &[
                Field::Tekst(pgn),
                Field::Tekst(&code),
                Field::Tekst(r.os.code()),
                Field::Tekst(&opleiding),
                Field::Tekst(&niveau),
                Field::Tekst(r.soort),
                Field::Datum(Some(r.datum)),
                Field::Tekst(if r.startkwalificatie { "J" } else { "N" }),
            ],
        );
        n += 1;
    }
    for v in b.vrijstellingen() {
        s.write_record(uit, "VRS", &[Field::Tekst(pgn), Field::Tekst(v.artikel), Field::Datum(Some(v.begin)), Field::Datum(v.einde)]);
        n += 1;
    }
    if let Some((j, datum)) = b.skw() {
        s.write_record(uit, "SKW", &[Field::Tekst(pgn), Field::Tekst(if j { "J" } else { "N" }), Field::Datum(datum)]);
        n += 1;
    }
    for v in b.vsv() {
        let code = brin(v.instelling);
        s.write_record(uit, "VSV", &[Field::Tekst(pgn), Field::Datum(Some(v.teldatum)), Field::Tekst(&code), Field::Tekst(v.categorie)]);
        n += 1;
    }
    n
}
