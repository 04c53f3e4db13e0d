//! Rebuilds the binary when a file is added to or removed from the folders
//! it embeds: the default theme and the project `dossier init` writes.
//! (An edit of a file already there is noticed without this.)

fn main() {
    for embedded in ["themes/default", "starter"] {
        println!("cargo::rerun-if-changed={embedded}");
    }
}
