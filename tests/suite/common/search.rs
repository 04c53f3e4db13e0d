//! Reading the search index back: its scripts, their registration calls,
//! and the documents of its docs shards (raw DEFLATE in base64).

use std::collections::BTreeMap;

use super::Site;

/// Every file of the search index (`search/index.js` and its shards), by
/// path.
pub fn search_files(site: &Site) -> BTreeMap<String, String> {
    super::snapshot_dir(&site.path("public/search"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".js"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

/// The arguments of the registration call `dossierSearch.<function>(...)`
/// that `script` makes, read back as JSON.
pub fn call(script: &str, function: &str) -> Vec<serde_json::Value> {
    let arguments = script
        .strip_prefix(&format!("dossierSearch.{function}("))
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a call of {function}: {script}"));
    serde_json::from_str(&format!("[{arguments}]")).expect("JSON")
}

/// Every document of the index, in order, from its docs shards.
pub fn search_documents(site: &Site) -> Vec<serde_json::Value> {
    let files = search_files(site);
    let mut shards: Vec<(u64, Vec<serde_json::Value>)> = files
        .iter()
        .filter(|(path, _)| path.starts_with("docs/"))
        .map(|(_, script)| {
            let mut arguments = call(script, "docs");
            let deflated = arguments.pop().expect("documents");
            let n = arguments[0].as_u64().expect("a shard number");
            let docs = inflated(deflated.as_str().expect("a docs shard's text"));
            (n, docs.as_array().expect("documents").clone())
        })
        .collect();
    shards.sort_by_key(|(n, _)| *n);
    shards.into_iter().flat_map(|(_, docs)| docs).collect()
}

/// The JSON value of a docs shard's text: raw DEFLATE in base64.
pub fn inflated(text: &str) -> serde_json::Value {
    use base64::Engine;
    use std::io::Read;
    let deflated = base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64");
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(deflated.as_slice())
        .read_to_string(&mut json)
        .expect("raw DEFLATE");
    serde_json::from_str(&json).expect("JSON")
}
