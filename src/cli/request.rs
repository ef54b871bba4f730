//! `verzuim request`: write a request file for DUO (C: a snapshot, A: specific persons).

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::request;

use super::datum_arg;

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct Aanvrager {
    /// Gemeentecode (written zero-padded to 4, e.g. 0363).
    #[arg(long)]
    gemeente: Option<String>,
    /// Doorstroompunt-regiocode (written zero-padded to 4, e.g. 0028).
    #[arg(long)]
    regio: Option<String>,
}

#[derive(clap::Subcommand)]
pub enum Soort {
    /// The C-levering request (a snapshot on a peildatum): `111111111`.
    C {
        #[command(flatten)]
        aanvrager: Aanvrager,
        /// Date in the file name (JJJJ-MM-DD); default today.
        #[arg(long)]
        datum: Option<String>,
        /// The folder the request file is written to.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// The A-levering request: the BSNs or onderwijsnummers in FILE, one per
    /// line; or (--uit-brp) every NIET_BIJ_DUO number of the gemeente's
    /// latest BRP extract in the lake.
    A {
        #[command(flatten)]
        aanvrager: Aanvrager,
        /// A file with the BSNs or onderwijsnummers asked for, one per line (each 11-proef checked).
        #[arg(long, required_unless_present = "uit_brp", conflicts_with = "uit_brp")]
        nummers: Option<PathBuf>,
        /// Ask for the residents of the gemeente's latest BRP extract whom no
        /// delivery shows (brp_vergelijking, NIET_BIJ_DUO); needs --gemeente.
        #[arg(long)]
        uit_brp: bool,
        /// The lake, for --uit-brp.
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// Date in the file name (JJJJ-MM-DD); default today.
        #[arg(long)]
        datum: Option<String>,
        /// The folder the request file is written to.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    soort: Soort,
}

pub fn run(Args { soort }: Args) -> verzuim::Result<ExitCode> {
    let (aanvrager, datum, out, nummers, letter) = match soort {
        Soort::C { aanvrager, datum, out } => (aanvrager, datum, out, None, 'C'),
        Soort::A { aanvrager, datum, out, nummers: Some(nummers), .. } => (aanvrager, datum, out, Some(nummers), 'A'),
        Soort::A { aanvrager, datum, out, nummers: None, lake, .. } => return request_from_brp(&aanvrager, datum, &out, &lake),
    };
    let afnemer = match (&aanvrager.gemeente, &aanvrager.regio) {
        (Some(g), _) => request::Afnemer::gemeente(g)?,
        (_, Some(r)) => request::Afnemer::regio(r)?,
        _ => unreachable!("clap requires one of them"),
    };
    let datum = match datum {
        None => chrono::Local::now().date_naive(),
        Some(d) => datum_arg("datum", &d)?,
    };
    let bytes = match &nummers {
        None => request::c_request(),
        Some(path) => {
            let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let (text, _) = verzuim::input::decode(&raw).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
            let a = request::a_request(&text).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
            if !a.duplicates.is_empty() {
                let lines: Vec<String> = a.duplicates.iter().map(usize::to_string).collect();
                println!("duplicates written once (lines {})", lines.join(", "));
            }
            println!("{} numbers", a.numbers);
            a.bytes
        }
    };
    let path = request::write(&out, &request::file_name(datum, &afnemer, letter), &bytes)?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// `request a --uit-brp`: the NIET_BIJ_DUO numbers of the gemeente's latest
/// BRP extract, as DUO's A request (counts printed, never a number).
fn request_from_brp(
    aanvrager: &Aanvrager,
    datum: Option<String>,
    out: &std::path::Path,
    lake: &std::path::Path,
) -> verzuim::Result<ExitCode> {
    let Some(gemeente) = &aanvrager.gemeente else {
        return Err(Error::Usage("--uit-brp asks for a gemeente's residents: give --gemeente".into()));
    };
    let afnemer = request::Afnemer::gemeente(gemeente)?;
    let datum = match datum {
        None => chrono::Local::now().date_naive(),
        Some(d) => datum_arg("datum", &d)?,
    };
    let Some((extract, nummers)) = verzuim::catalog::niet_bij_duo(lake, &afnemer.code)? else {
        return Err(Error::Usage(format!("the lake holds no BRP extract of gemeente {}: `verzuim brp load` one first", afnemer.code)));
    };
    if nummers.is_empty() {
        println!("BRP extract of {extract}: every resident aged 5–17 is known to DUO; no request written");
        return Ok(ExitCode::SUCCESS);
    }
    let a = request::a_request(&nummers.join("\n")).map_err(Error::Usage)?;
    let path = request::write(out, &request::file_name(datum, &afnemer, 'A'), &a.bytes)?;
    println!("BRP extract of {extract}: {} numbers not known to DUO", a.numbers);
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}
