use super::*;

const AT_DOMAIN: Location<'static> = Location {
    dir: "domains",
    root: "../../",
};

fn render_page(markdown: &str) -> Rendered {
    render(markdown, Options::default(), AT_DOMAIN)
}

#[test]
fn headings_get_stable_unique_anchors_and_self_links() {
    let out =
        render_page("## Human spaceflight\n\ntext\n\n## Human spaceflight\n\n### Custom {#mine}\n");
    let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["human-spaceflight", "human-spaceflight-1", "mine"]);
    assert!(out.html.contains(
        "<h2 id=\"human-spaceflight\">Human spaceflight <a class=\"anchor\" href=\"#human-spaceflight\""
    ));
}

#[test]
fn repeated_headings_take_the_next_free_number() {
    let out = render_page("## Same\n\n## Same 1\n\n## Same\n\n## Same\n\n## Same 2\n");
    let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["same", "same-1", "same-2", "same-3", "same-2-1"]);
    assert!(out.taken_anchors.is_empty());
}

#[test]
fn a_chosen_anchor_that_is_taken_is_recorded_with_both_places() {
    let out = render_page("## Plan\n\nText.\n\n## Other {#plan}\n\n## Third {#plan-p1}\n");
    let taken: Vec<_> = out
        .taken_anchors
        .iter()
        .map(|t| (t.id.as_str(), t.at, t.first))
        .collect();
    assert_eq!(taken, [("plan", 16, 0), ("plan-p1", 34, 9)]);
    assert_eq!(out.chosen_anchors.len(), 2);
}

#[test]
fn passages_are_anchored_by_section_and_position() {
    let out = render_page("Intro.\n\n## Space\n\nFirst.\n\n- one\n- two\n\nLast.\n");
    let ids: Vec<_> = out.passages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "p1", "space", "space-p1", "space-p2", "space-p3", "space-p4"
        ]
    );
    assert!(
        out.html.contains("<li id=\"space-p2\">one</li>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<p id=\"space-p4\">Last.</p>"),
        "{}",
        out.html
    );
}

#[test]
fn term_links_become_mentions_of_their_passage() {
    let out = render_page(
        "## Space\n\n[ISRO](agency:isro) and [NASA](agency:nasa) on [CLPS](topic:clps).\n",
    );
    let passage = &out.passages[1];
    assert_eq!(passage.text(), "ISRO and NASA on CLPS.");
    assert_eq!(
        passage.terms(),
        [
            (TermKind::Agency, "isro"),
            (TermKind::Agency, "nasa"),
            (TermKind::Topic, "clps")
        ]
    );
    assert!(out.html.contains(
        "<a href=\"../../agencies/isro/index.html\" class=\"term term-agency\">ISRO</a>"
    ));
}

#[test]
fn a_passage_comes_apart_into_its_text_and_the_words_of_its_annotations() {
    let out = render_page(
        "[ISRO](agency:isro)[*and*](agency:nasa) work on [CLPS](topic:clps), [](topic:x) **then** rest.\n",
    );
    let passage = &out.passages[0];
    assert_eq!(passage.text(), "ISROand work on CLPS,  then rest.");
    let pieces: Vec<String> = passage
        .pieces()
        .map(|piece| match piece {
            Piece::Text(text) => format!("text {text:?}"),
            Piece::Term(annotation, text) => format!("{} {text:?}", annotation.id),
        })
        .collect();
    assert_eq!(
        pieces,
        [
            "isro \"ISRO\"",
            "nasa \"and\"",
            "text \" work on \"",
            "clps \"CLPS\"",
            "text \", \"",
            "x \"\"",
            "text \" then rest.\"",
        ]
    );
}

#[test]
fn nested_list_items_are_their_own_passages() {
    let out = render_page("- outer [NSF](agency:nsf)\n  - inner [ISRO](agency:isro)\n");
    assert_eq!(out.passages.len(), 2);
    assert_eq!(out.passages[0].terms(), [(TermKind::Agency, "nsf")]);
    assert_eq!(out.passages[1].terms(), [(TermKind::Agency, "isro")]);
    assert_eq!(out.passages[1].text(), "inner ISRO");
}

#[test]
fn links_record_their_target_and_the_span_of_the_destination() {
    let md = "See [Space](space.md#human-spaceflight).\n";
    let out = render_page(md);
    let link = &out.links[0];
    assert_eq!(&md[link.range.clone()], "space.md#human-spaceflight");
    assert_eq!(
        link.target,
        LinkTarget::Page {
            path: "domains/space.md".into(),
            fragment: Some("human-spaceflight".into())
        }
    );
    assert!(
        out.html
            .contains("href=\"../../domains/space/index.html#human-spaceflight\"")
    );
}

#[test]
fn raw_html_is_escaped_by_default_and_unsafe_links_are_inert() {
    let out = render_page(
        "<script>alert(1)</script>\n\nHi <b onclick=x>there</b> [x](javascript:alert(1))\n",
    );
    assert!(!out.html.contains("<script>"), "{}", out.html);
    assert!(
        out.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        out.html
    );
    assert!(!out.html.contains("<b "), "{}", out.html);
    assert!(!out.html.contains("javascript:"), "{}", out.html);
    assert_eq!(out.links[0].target, LinkTarget::Unsafe("javascript".into()));
}

#[test]
fn raw_html_is_kept_only_when_asked() {
    let options = Options {
        raw_html: RawHtml::Keep,
        ..Options::default()
    };
    let out = render("<div class=\"x\">hi</div>\n", options, AT_DOMAIN);
    assert!(out.html.contains("<div class=\"x\">hi</div>"));
}

#[test]
fn attribute_values_are_escaped() {
    let out =
        render_page("[a](https://example.org/?q=\"><script> \"t\\\"itle\")\n\n![\"><img](x.png)\n");
    assert!(!out.html.contains("\"><script>"), "{}", out.html);
    assert!(
        out.html.contains("alt=\"&quot;&gt;&lt;img\""),
        "{}",
        out.html
    );
}

#[test]
fn tables_footnotes_strikethrough_and_task_lists_render() {
    let md = "| a | b |\n|:--|--:|\n| [NASA](agency:nasa) | 2 |\n\n~~old~~ text[^n]\n\n- [x] done\n\n[^n]: A note.\n";
    let out = render_page(md);
    assert!(
        out.html.contains("<th style=\"text-align: left\">a</th>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<td style=\"text-align: right\">2</td>"),
        "{}",
        out.html
    );
    assert!(
        out.passages
            .iter()
            .any(|p| p.kind == PassageKind::TableRow && p.terms() == [(TermKind::Agency, "nasa")])
    );
    assert!(out.html.contains("<del>old</del>"));
    assert!(
        out.html
            .contains("<input type=\"checkbox\" disabled checked>")
    );
    assert!(out.html.contains("href=\"#fn-n\""));
    assert!(out.html.contains("<li id=\"fn-n\">"));
    assert!(out.html.contains("href=\"#fnref-n\""));
    assert!(out.anchors.contains("fn-n") && out.anchors.contains("fnref-n"));
}

#[test]
fn code_is_highlighted_and_unknown_languages_are_plain() {
    let out = render_page("```rust\nfn main() {}\n```\n\n```klingon\n<b>qapla'</b>\n```\n");
    assert!(out.html.contains(
        "<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">"
    ));
    assert!(
        out.html
            .contains("<pre class=\"code\" data-lang=\"klingon\"><code>&lt;b&gt;qapla'&lt;/b&gt;")
    );
}

#[test]
fn bold_paragraphs_become_headings_in_source_documents() {
    let options = Options {
        raw_html: RawHtml::Strip,
        bold_paragraphs_are_headings: true,
    };
    let md = "Intro.\n\n**<u>Space </u>**\n\n-   First.\n\n**Bold** start of a paragraph.\n";
    let out = render(
        md,
        options,
        Location {
            dir: "",
            root: "../../",
        },
    );
    assert_eq!(out.headings[0].title, "Space");
    assert_eq!(out.headings[0].id, "space");
    let ids: Vec<_> = out.passages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "space", "space-p1", "space-p2"]);
    assert!(out.html.contains("<strong>Bold</strong>"));
    assert!(!out.html.contains("<u>"));
}

#[test]
fn deeply_nested_input_does_not_overflow_the_stack() {
    let quotes = ">".repeat(50_000) + " deep\n";
    let out = render_page(&quotes);
    assert!(out.html.contains("deep"));
    let lists: String = (0..5_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let out = render_page(&lists);
    assert!(out.passages.len() >= 100);
}

#[test]
fn bracketed_source_links_become_citation_markers_outside_the_text() {
    let md = "## Space\n\nThe agenda expands. ([source](source:fs#space-p6), [source](source:fs#space-p5))\n";
    let out = render_page(md);
    assert!(
        out.html.contains(
            "The agenda expands.<sup class=\"citations\"><a href=\"../../sources/fs/index.html#space-p6\" class=\"citation\">source</a>, <a href=\"../../sources/fs/index.html#space-p5\" class=\"citation\">source</a></sup></p>"
        ),
        "{}",
        out.html
    );
    let passage = &out.passages[1];
    assert_eq!(passage.text(), "The agenda expands.");
    assert_eq!(passage.citations, [0, 1]);
    // "Space" and the three words of the sentence: the marker is no text.
    assert_eq!(out.word_count, 4);
}

#[test]
fn source_links_in_running_text_stay_links_and_words() {
    let md = "Read [the fact sheet](source:fs) (in full) and (see [this](source:fs#p1) too).\n";
    let out = render_page(md);
    assert!(!out.html.contains("citations"), "{}", out.html);
    assert_eq!(
        out.passages[0].text(),
        "Read the fact sheet (in full) and (see this too)."
    );
    assert_eq!(out.passages[0].citations, [0, 1]);
}

#[test]
fn quotations_in_citing_passages_are_recorded_with_their_span() {
    let md = "It commits to “an expeditious review”. ([source](source:fs#d-p2))\n\nNo citation, “no check”.\n";
    let out = render_page(md);
    assert_eq!(out.quotations.len(), 1);
    let quotation = &out.quotations[0];
    assert_eq!(quotation.text, "an expeditious review");
    assert_eq!(&md[quotation.range.clone()], "“an expeditious review”");
    assert_eq!(quotation.citations, [0]);
    assert!(!quotation.block);
}

#[test]
fn quotation_marks_inside_term_links_are_recorded() {
    let md = "A new [“Innovation Bridge”](topic:bridges) will connect startups. ([source](source:fs#d-p4))\n";
    let out = render_page(md);
    assert_eq!(out.quotations.len(), 1);
    assert_eq!(out.quotations[0].text, "Innovation Bridge");
    assert_eq!(&md[out.quotations[0].range.clone()], "“Innovation Bridge”");
}

#[test]
fn block_quotations_that_cite_a_source_are_recorded_per_paragraph() {
    let md = "> The United States commits to an expeditious review.\n>\n> It is “quoted” within.\n>\n> — [fact sheet](source:fs#d-p2)\n\n> [!NOTE]\n> A callout. [fs](source:fs)\n\n> Not cited.\n";
    let out = render_page(md);
    let quotations: Vec<(&str, bool)> = out
        .quotations
        .iter()
        .map(|q| (q.text.as_str(), q.block))
        .collect();
    assert_eq!(
        quotations,
        [
            ("The United States commits to an expeditious review.", true),
            ("It is “quoted” within.", true),
        ]
    );
    assert_eq!(
        &md[out.quotations[0].range.clone()],
        "The United States commits to an expeditious review."
    );
    assert_eq!(out.quotations[0].citations, [0]);
}

#[test]
fn passages_know_where_their_own_html_ends() {
    let md = "Para.\n\n- item\n  - nested\n- last\n\n| a |\n|---|\n| b |\n";
    let out = render_page(md);
    let end = |i: usize| out.passages[i].html_end.map(|at| &out.html[..at]);
    assert!(end(0).is_some_and(|html| html.ends_with("Para.</p>\n")));
    assert!(end(1).is_some_and(|html| html.ends_with("<li id=\"p2\">item")));
    assert!(end(2).is_some_and(|html| html.ends_with("<li id=\"p3\">nested")));
    assert!(end(3).is_some_and(|html| html.ends_with("<li id=\"p4\">last")));
    assert_eq!(out.passages[4].kind, PassageKind::TableHead);
    assert_eq!(out.passages[4].html_end, None);
    assert_eq!(out.passages[5].html_end, None);
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    let texts = [
        "",
        " ",
        "one",
        "  one  two\tthree\nfour\r\nfive\x0bsix\x0cseven ",
        "a\u{a0}b c\u{2003}d",
        "naïve café  ",
        "\x1c\x1d\x1e\x1f",
        "end.",
    ];
    for text in texts {
        assert_eq!(
            count_words(text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
}
