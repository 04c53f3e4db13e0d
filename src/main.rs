//! The `dossier` command.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// A faster allocator than the system's for a build's many small,
/// short-lived allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`), which the bindings
/// do not name: how long freed memory waits before it is handed back to
/// the system, in milliseconds, or never for -1. mimalloc keeps the places
/// of its options from one version to the next (a retired option leaves a
/// `deprecated` one behind).
const PURGE_DELAY: mi_option_t = 15;

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    dossier::cli::main()
}

/// Makes the allocator keep the memory the program frees for its next
/// allocations, rather than hand it back to the system and fault it in
/// again: `serve` frees most of the last site at each edit and allocates
/// the next, and at 10,000 pages the page faults of memory handed back
/// meanwhile cost about a sixth of a rebuild. A build's peak memory is the
/// same either way; `serve` keeps its peak.
fn keep_freed_memory() {
    // SAFETY: a plain setting of the allocator, set before any other
    // thread starts (mimalloc's options are not synchronised).
    unsafe { mi_option_set(PURGE_DELAY, -1) };
}
