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
    /// The A-levering request: the BSNs or onderwijsnummers in FILE, one per line.
    A {
        #[command(flatten)]
        aanvrager: Aanvrager,
        /// A file with the BSNs or onderwijsnummers asked for, one per line (each 11-proef checked).
        #[arg(long)]
        nummers: PathBuf,
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
        Soort::A { aanvrager, datum, out, nummers } => (aanvrager, datum, out, Some(nummers), 'A'),
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
