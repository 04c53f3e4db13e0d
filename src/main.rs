//! The `dossier` command.

/// A faster allocator than the system's for a build's many small,
/// short-lived allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
