//! dossier: a static site generator for briefing sites.
//!
//! Annotated Markdown pages, agency and topic registries and source documents
//! go in; a cross-linked static site with agency and topic indexes comes out.
//! The build runs in stages, each a module with one job:
//!
//! ```text
//! load   -> read content/, seeds/, the registries and site.toml
//! model  -> one Site value; every cross-reference resolved and checked
//! render -> Tera renders each output file from the Site
//! write  -> publish the output directory atomically
//! ```

pub mod cli;
pub mod colour;
pub mod config;
pub mod diagnostics;
pub mod fingerprint;
pub mod fix;
pub mod links;
pub mod load;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod reuse;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod source;
pub mod toml_fields;
pub mod write;
