//! The `dossier` command.

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
