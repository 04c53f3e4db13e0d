//! Any bytes as a page (and, after a NUL byte, as a second page) of a small
//! site, run through front matter, Markdown, link resolution, the model and
//! the templates, with the checks of `tests/in_memory`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/in_memory/mod.rs"]
mod in_memory;

fuzz_target!(|data: &[u8]| in_memory::check(data));
