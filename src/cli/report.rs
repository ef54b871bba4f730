//! `verzuim report`: reports for Doorstroompunt-regio's (xlsx, csv, parquet, html) and the

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;

use super::datum_arg;

#[derive(clap::Args)]
pub struct Args {
    /// The lake (made only by ingest and run: another command on a path
    /// without one exits 2).
    #[arg(long, default_value = "lake")]
    lake: PathBuf,
    /// The regio (32 or 0032); one of --regio or --alle-regios.
    #[arg(long, conflicts_with = "alle_regios", required_unless_present = "alle_regios")]
    regio: Option<String>,
    /// Every regio with a covered gemeente.
    #[arg(long)]
    alle_regios: bool,
    /// Peildatum of the figures (JJJJ-MM-DD); default the latest peildatum loaded.
    #[arg(long)]
    datum: Option<String>,
    /// VSV teljaar; default the latest whose second 1 October lies on or before --datum.
    #[arg(long)]
    teljaar: Option<i32>,
    /// Schooljaar of the vrijstellingen; default the one --datum falls in.
    #[arg(long)]
    schooljaar: Option<i32>,
    /// Comma-separated: xlsx, csv, parquet, html.
    #[arg(long, default_value = "xlsx,csv,parquet,html")]
    format: String,
    /// The folder the reports go to: <out>/<regiocode>-<regionaam>/ and <out>/werklijsten/.
    #[arg(long, default_value = "rapportage")]
    out: PathBuf,
    /// Counts from 1 up to this are shown as <N+1>; 0 hides nothing (not for publication).
    #[arg(long, default_value_t = 4)]
    drempel: i64,
    /// Percentages in the CSV with a decimal comma (12,50).
    #[arg(long)]
    decimaalkomma: bool,
    /// No worklists with names.
    #[arg(long, alias = "zonder-werklijsten")]
    no_werklijsten: bool,
    /// DD-MM: until this day of the year of a summer uitschrijving its signal
    /// is marked `zomerwissel` on the worklist.
    #[arg(long, default_value = "01-11")]
    zomerwissel_tot: String,
    /// Also the yearly Leerplichttelling of this schooljaar (2024: 1 August
    /// 2024 – 31 July 2025) as one xlsx per gemeente, exact counts for DUO's
    /// form, in <out>/leerplichttelling/ (restricted). The regio report shows
    /// it for --schooljaar.
    #[arg(long, value_name = "SCHOOLJAAR")]
    leerplichttelling: Option<i32>,
    /// The nightly configuration whose [bewaking] thresholds the worklist
    /// warns by ("laatste P-levering … dagen geleden"); default thresholds without it.
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(
    Args {
        lake,
        regio,
        alle_regios,
        datum,
        teljaar,
        schooljaar,
        format,
        out,
        drempel,
        decimaalkomma,
        no_werklijsten,
        zomerwissel_tot,
        leerplichttelling,
        config,
    }: Args,
) -> verzuim::Result<ExitCode> {
    let _ = alle_regios; // clap makes it the alternative to --regio
    let formaten =
        format.split(',').map(|f| f.parse::<verzuim::report::Format>().map_err(Error::Usage)).collect::<verzuim::Result<Vec<_>>>()?;
    let datum = datum.map(|d| datum_arg("datum", &d)).transpose()?;
    let opts = verzuim::report::Options {
        lake,
        regio,
        datum,
        teljaar,
        schooljaar,
        formaten,
        out,
        drempel: drempel.max(0),
        decimaalkomma,
        werklijsten: !no_werklijsten,
        leerplichttelling,
        vandaag: verzuim::status::today()?,
        bewaking: config.map(|c| verzuim::run::Config::load(&c)).transpose()?.map(|c| c.bewaking).unwrap_or_default(),
        zomerwissel_tot: zomerwissel_tot.parse().map_err(|e| Error::Usage(format!("--zomerwissel-tot {e}")))?,
    };
    let s = verzuim::report::report(&opts)?;
    println!(
        "peildatum {}, teljaar {}-{}, schooljaar {}-{}",
        s.peil.datum,
        s.peil.teljaar,
        s.peil.teljaar + 1,
        s.peil.schooljaar,
        s.peil.schooljaar + 1
    );
    for (code, naam, map, files) in &s.regios {
        println!("regio {code} {naam}: {} files in {}", files.len(), map.display());
    }
    if !s.werklijsten.is_empty() {
        println!("worklists (names, restricted): {} in {}", s.werklijsten.len(), opts.out.join("werklijsten").display());
    }
    if !s.leerplichttelling.is_empty() {
        println!(
            "leerplichttelling per gemeente (exact counts, restricted): {} in {}",
            s.leerplichttelling.len(),
            opts.out.join("leerplichttelling").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
