//! Any bytes as a small site's agency registry (and, after a NUL byte, its
//! topic registry): ids, names, aliases, kinds, the unannotated-mention
//! lint, with the checks of `tests/in_memory`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/in_memory/mod.rs"]
mod in_memory;

fuzz_target!(|data: &[u8]| in_memory::check_as(in_memory::Part::Registries, data));
