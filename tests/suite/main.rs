//! The integration tests of dossier, in one binary (one link instead of a
//! dozen): each module holds the tests of one promise or one part of the
//! tool, most of them small sites built with the `dossier` binary.
//!
//! `common` holds what the modules share: sites written from a text
//! archive, the binary run on them, a link checker and assertions that show
//! what they looked at; `in_memory` is the small site the fuzz targets of
//! `fuzz/` run through the model and render stages.

mod common;
mod in_memory;

mod browser;
mod cli;
mod diagnostics;
mod drift;
mod entries;
mod errors;
mod fixture_site;
mod fuzz_regressions;
mod icet_site;
mod packed_html;
mod properties;
mod provenance;
mod publish;
mod reading;
mod related;
mod serve;
mod session;
mod session_edits;
