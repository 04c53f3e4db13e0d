//! Rebuilds the binary when a file is added to or removed from the folder
//! it embeds: the default theme. (An edit of a file already there is
//! noticed without this.)

fn main() {
    println!("cargo::rerun-if-changed=themes/default");
}
