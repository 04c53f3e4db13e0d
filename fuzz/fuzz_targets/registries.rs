//! Any bytes as a small site's agency registry (and, after a NUL byte, its
//! topic registry): ids, names, aliases, kinds, the unannotated-mention
//! lint, with the checks of `tests/suite/in_memory.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target runs one of its checks; the test suite uses the rest.
#[allow(dead_code)]
#[path = "../../tests/suite/in_memory.rs"]
mod in_memory;

fuzz_target!(|data: &[u8]| in_memory::check_as(in_memory::Part::Registries, data));
