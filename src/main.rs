//! The `verzuim` command line. Thin: the commands are in [`cli`], one
//! module each, and the work in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
