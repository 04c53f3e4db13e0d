//! Any bytes as a page (and, after a NUL byte, as a second page) of a small
//! site, run through front matter, Markdown, link resolution, the model and
//! the templates, with the checks of `tests/suite/in_memory.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target runs one of its checks; the test suite uses the rest.
#[allow(dead_code)]
#[path = "../../tests/suite/in_memory.rs"]
mod in_memory;

fuzz_target!(|data: &[u8]| in_memory::check(data));
