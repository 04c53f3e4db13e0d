//! The checks the fuzz target runs on every input (see `fuzz/`), run here on
//! the bundled pages and on each input the fuzzer found breaking one: a
//! crash, a diagnostic that pointed outside its file, markup that got
//! through, output that changed from one run to the next.

use std::fs;

use crate::in_memory;

#[test]
fn every_bundled_page_passes_the_fuzz_checks() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/domains");
    let mut checked = 0;
    for entry in fs::read_dir(content).expect("content/domains") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            in_memory::check(&fs::read(&path).expect("read"));
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} pages");
}

#[test]
fn pages_with_every_kind_of_link_and_markup_pass_the_fuzz_checks() {
    in_memory::check(
        b"+++\ntitle = \"</script><script>alert(1)</script>\"\nagencies = [\"nasa\"]\n+++\n\
          The [NASA](agency:nasa) and [q](topic:quantum), [sheet](source:fact-sheet#space-p1), \
          [home](../_index.md#plans), [other](other.md#nowhere), [js](javascript:alert(1)).\n\n\
          <script>alert(2)</script> <img src=x onerror=alert(3)>\n\n\
          | a | b |\n|---|:-:|\n| [ISRO](agency:isro) | x |\n\n- [ ] task\n- [x] done[^1]\n\n\
          [^1]: A note.\n\n```rust\nfn main() {}\n```\n\0+++\ntitle = \"Other\"\n+++\n## Other\n",
    );
}

#[test]
fn the_bundled_source_and_registries_pass_the_fuzz_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = fs::read(root.join("seeds/2023-01-31-icet-fact-sheet.md")).expect("seed");
    in_memory::check_as(in_memory::Part::Seed, &seed);
    let mut registries = fs::read(root.join("content/agencies.toml")).expect("agencies");
    registries.push(0);
    registries.extend(fs::read(root.join("content/topics.toml")).expect("topics"));
    in_memory::check_as(in_memory::Part::Registries, &registries);
}

#[test]
fn hostile_sources_pass_the_fuzz_checks() {
    for seed in [
        "---\ntitle: \"</title><script>x</script>\"\nsource_url: \" JavaScript:alert(1)\"\n---\n**Space**\n\ncooperate on space\n",
        "---\nsource_url: \"java\\tscript:alert(1)\"\ntitle: \"a\\0b\"\n---\nx\n",
        "+++\nsource_url = \"data:text/html,<script>alert(1)</script>\"\ntitle = \"\\u001b[2J\"\n+++\n<img src=x onerror=alert(1)> [x](vbscript:y)\n",
        "+++\nsource_url = \"https://example.org/a\"\n+++\n**Space**\n\n**Space**\n\n## Space {#space}\n",
    ] {
        in_memory::check_as(in_memory::Part::Seed, seed.as_bytes());
    }
}

#[test]
fn hostile_registries_pass_the_fuzz_checks() {
    let many: String = (0..2000).map(|i| format!("\"Name {i}\",")).collect();
    for registries in [
        "[nasa]\nname = \"</script><script>alert(1)</script>\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"\\u0000\"\n\0[quantum]\nname = \"\"\naliases = [\"\", \" \", \"q\"]\ndescription = \"x\"\n".to_string(),
        format!("[nasa]\nname = \"N\"\ncountry = \"US\"\nkind = \"government\"\naliases = [{many}]\ndescription = \"x\"\n"),
        "[a]\nname = \"x\"\n[a]\nname = \"y\"\n\0not toml at all [[".to_string(),
    ] {
        in_memory::check_as(in_memory::Part::Registries, registries.as_bytes());
    }
}

#[test]
#[should_panic(expected = "is published")]
fn the_address_check_catches_a_script_address_anywhere_in_a_file() {
    in_memory::assert_no_script_address("<a href=\"java&#9;script:alert(1)\">first published</a>");
}

#[test]
fn ordered_list_with_a_start_number_passes_the_fuzz_checks() {
    // The writer's own `<ol start="3">` was taken for markup from the page.
    in_memory::check(include_bytes!("fuzz_inputs/ordered-list-start.md"));
}

#[test]
fn toml_error_on_carriage_returns_at_a_line_end_is_shown() {
    // The diagnostic's excerpt was cut before the span it underlines.
    in_memory::check(include_bytes!("fuzz_inputs/span-on-carriage-returns.md"));
}

#[test]
#[should_panic(expected = "tag `script`")]
fn the_inertness_check_catches_a_script_tag() {
    in_memory::assert_inert("<p id=\"p1\">Hi <script>alert(1)</script></p>\n");
}

#[test]
#[should_panic(expected = "href=\"javascript:alert(1)\"")]
fn the_inertness_check_catches_a_script_link() {
    in_memory::assert_inert("<p id=\"p1\"><a href=\"java\tscript:alert(1)\">x</a></p>\n");
}

#[test]
#[should_panic(expected = "attribute `onerror`")]
fn the_inertness_check_catches_an_event_handler() {
    in_memory::assert_inert("<p id=\"p1\"><img src=\"x\" onerror=\"alert(1)\"></p>\n");
}
