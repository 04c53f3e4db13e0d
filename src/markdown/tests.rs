use super::writer::count_words;
use super::*;
use crate::links::{LinkTarget, TermKind};

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
        "<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-storage hl-type\">fn</span>"
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
fn bracketed_source_links_become_numbered_citation_markers_outside_the_text() {
    let md = "## Space\n\nThe agenda expands. ([source](source:fs#space-p6), [source](source:fs#space-p5 \"a title\"))\n\nAgain. ([*source*](source:fs#space-p1))\n";
    let out = render_page(md);
    assert!(
        out.html.contains(
            "The agenda expands.<sup class=\"citations\"><a href=\"../../sources/fs/index.html#space-p6\" class=\"citation\">1</a>, <a href=\"../../sources/fs/index.html#space-p5\" class=\"citation\">2</a></sup></p>"
        ),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("class=\"citation\">3</a></sup>"),
        "{}",
        out.html
    );
    assert_eq!(out.citation_markers, [0, 1, 2]);
    let passage = &out.passages[1];
    assert_eq!(passage.text(), "The agenda expands.");
    assert_eq!(passage.citations, [0, 1]);
    // "Space", the three words of the sentence and "Again": the markers
    // are no text.
    assert_eq!(out.word_count, 5);
}

#[test]
fn source_links_in_running_text_stay_links_and_words() {
    let md = "Read [the fact sheet](source:fs) (in full) and (see [this](source:fs#p1) too).\n";
    let out = render_page(md);
    assert!(!out.html.contains("citations"), "{}", out.html);
    assert!(out.citation_markers.is_empty());
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

// --- Raw HTML kept by `allow_raw_html = true` ---------------------------------

/// Renders `markdown` with raw HTML kept, as a site that allows it does.
fn render_kept(markdown: &str) -> Rendered {
    let options = Options {
        raw_html: RawHtml::Keep,
        ..Options::default()
    };
    render(markdown, options, AT_DOMAIN)
}

/// The Markdown each report of `out` points at, with its message.
fn reports<'a>(markdown: &'a str, out: &Rendered) -> Vec<(&'a str, String)> {
    out.sanitised
        .iter()
        .map(|report| (&markdown[report.range.clone()], report.message()))
        .collect()
}

#[test]
fn kept_raw_html_loses_script_and_style_with_their_content() {
    let md = "<script>alert(1)</script>\n\n<style>body { display: none }</style>\n\nText.\n";
    let out = render_kept(md);
    assert_eq!(out.html, "\n\n<p id=\"p1\">Text.</p>\n");
    assert_eq!(
        reports(md, &out),
        [
            (
                "<script>alert(1)</script>\n",
                "removed from raw HTML: the `<script>` element and its content".to_string()
            ),
            (
                "<style>body { display: none }</style>\n",
                "removed from raw HTML: the `<style>` element and its content".to_string()
            ),
        ]
    );
}

#[test]
fn kept_raw_html_loses_event_handlers_and_style_attributes() {
    let md = "<img src=\"map.png\" alt=\"Map\" onerror=\"alert(1)\" style=\"position: fixed\" ONLOAD=x>\n";
    let out = render_kept(md);
    assert_eq!(out.html, "<img src=\"map.png\" alt=\"Map\">\n");
    assert_eq!(
        reports(md, &out)[0].1,
        "removed from raw HTML: the `onerror` attribute of `<img>`, the `style` attribute of `<img>`, the `onload` attribute of `<img>`"
    );
}

#[test]
fn kept_raw_html_loses_elements_that_embed_submit_or_redirect() {
    let md = "<iframe src=\"https://example.org\"></iframe><object data=\"x.swf\"></object><embed src=\"x.swf\">\n<form action=\"https://example.org\"><input name=\"q\"><button>Go</button></form>\n<base href=\"https://example.org\"><meta http-equiv=\"refresh\" content=\"0\"><link rel=\"stylesheet\" href=\"x.css\">\n";
    let out = render_kept(md);
    for gone in [
        "<iframe", "<object", "<embed", "<form", "<input", "<button", "<base", "<meta", "<link",
    ] {
        assert!(!out.html.contains(gone), "{gone} in {}", out.html);
    }
    assert!(out.html.contains("Go"), "{}", out.html);
    assert_eq!(
        reports(md, &out)[0].1,
        "removed from raw HTML: the `<iframe>` element, the `<object>` element, the `<embed>` element, the `<form>` element, the `<input>` element, the `<button>` element, the `<base>` element, the `<meta>` element, the `<link>` element"
    );
}

#[test]
fn kept_raw_html_loses_every_address_that_fails_the_one_check() {
    let md = concat!(
        "<p><a href=\" JaVa&#x09;Script:alert(1)\">a</a> <a href=\"gopher://x\">b</a>\n",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" srcset=\"small.png 1x, javascript:alert(2) 2x\">\n",
        "<q cite=\"vbscript:x\">q</q> <video poster=\"file:///etc/passwd\" src=\"clip.mp4\" controls></video></p>\n",
    );
    let out = render_kept(md);
    for gone in [
        "script:",
        "gopher:",
        "data:",
        "vbscript:",
        "file:",
        "poster",
    ] {
        assert!(
            !out.html.to_lowercase().contains(gone),
            "{gone} in {}",
            out.html
        );
    }
    assert!(
        out.html.contains("<video src=\"clip.mp4\" controls=\"\">"),
        "{}",
        out.html
    );
    assert_eq!(
        reports(md, &out)[0].1,
        "removed from raw HTML: the `href` of `<a>` (`javascript:` addresses are never published), the `href` of `<a>` (`gopher:` is not a scheme dossier publishes), the `src` of `<img>` (`data:` addresses are never published), the `srcset` of `<img>` (`javascript:` addresses are never published), the `cite` of `<q>` (`vbscript:` addresses are never published), the `poster` of `<video>` (`file:` addresses are never published)"
    );
}

#[test]
fn an_absolute_address_no_browser_can_read_is_removed_and_named() {
    let md = "<a href=\"https://exa mple.org/\">a</a>\n";
    let out = render_kept(md);
    assert_eq!(out.html, "<p id=\"p1\"><a>a</a></p>\n");
    assert_eq!(
        reports(md, &out)[0].1,
        "removed from raw HTML: the `href` of `<a>` (not an address a browser can read)"
    );
}

#[test]
fn kept_raw_html_keeps_relative_and_web_addresses_as_written() {
    let md = "<a href=\"../space/index.html#launch\">a</a> <a href=\"https://example.org/?a=1&amp;b=2\">b</a> <a href=\"mailto:desk@example.org\">c</a> <img src=\"img/map.png\" srcset=\"img/map@2x.png 2x\" alt=\"\">\n";
    let out = render_kept(md);
    assert_eq!(out.html, format!("<p id=\"p1\">{}</p>\n", md.trim_end()));
    assert!(out.sanitised.is_empty(), "{:?}", out.sanitised);
}

#[test]
fn harmless_raw_html_is_published_as_written_without_a_warning() {
    let md = concat!(
        "<details>\n<summary>Full text</summary>\n<p>Press <kbd>Ctrl</kbd> + <kbd>C</kbd>; see <abbr title=\"Critical and Emerging Technology\">iCET</abbr>, ",
        "H<sub>2</sub>O, x<sup>2</sup>, <mark>new</mark>, <small>fine print</small>, <q>quoted</q> in <cite>the fact sheet</cite> of ",
        "<time datetime=\"2023-01-31\">January 31</time>.<br>Next line.</p>\n<hr>\n</details>\n\n",
        "<figure id=\"map\" class=\"wide\"><img src=\"map.png\" alt=\"Map\" width=\"300\" height=\"200\"><figcaption lang=\"en\" dir=\"ltr\" aria-label=\"caption\">The map.</figcaption></figure>\n\n",
        "<table>\n<tr><th scope=\"col\">a</th></tr>\n<tr><td colspan=\"2\">b</td></tr>\n</table>\n\n",
        "<dl>\n<dt>iCET</dt>\n<dd><div class=\"note\"><span class=\"x\">Initiative</span></div></dd>\n</dl>\n\n",
        "<blockquote><h3>Heading</h3><ol start=\"3\"><li>three</li></ol><ul><li>item</li></ul></blockquote>\n",
    );
    let out = render_kept(md);
    // Markdown writes no blank line between blocks; the parser adds the
    // `<tbody>` a browser adds.
    let written = md.replace("\n\n", "\n");
    assert_eq!(
        out.html.replace("<tbody>", "").replace("</tbody>", ""),
        written
    );
    assert!(out.sanitised.is_empty(), "{:?}", out.sanitised);
}

#[test]
fn inline_html_split_across_events_is_sanitised_as_one() {
    let md = "See <a href=\"javascript:x\">the *text*</a> and <img src=x onerror=alert(1)> here.\n";
    let out = render_kept(md);
    assert_eq!(
        out.html,
        "<p id=\"p1\">See <a>the <em>text</em></a> and <img src=\"x\"> here.</p>\n"
    );
    assert_eq!(
        reports(md, &out),
        [
            (
                "<a href=\"javascript:x\">",
                "removed from raw HTML: the `href` of `<a>` (`javascript:` addresses are never published)".to_string()
            ),
            (
                "<img src=x onerror=alert(1)>",
                "removed from raw HTML: the `onerror` attribute of `<img>`".to_string()
            ),
        ]
    );
}

#[test]
fn inline_script_is_removed_with_the_text_between_its_tags() {
    let md = "Before <script>alert(1)</script> after.\n";
    let out = render_kept(md);
    assert_eq!(out.html, "<p id=\"p1\">Before  after.</p>\n");
    assert_eq!(reports(md, &out)[0].0, "<script>");
}

#[test]
fn inline_html_leaves_the_page_own_markup_of_its_block_as_it_was() {
    let md = "Work by [ISRO](agency:isro) on *quantum* `code`[^n] with <kbd>K</kbd>, ~~old~~ and ![map](map.png \"The map\").\n\n[^n]: A note.\n";
    let escaped = render_page(md);
    let kept = render_kept(md);
    assert_eq!(
        kept.html,
        escaped
            .html
            .replace("&lt;kbd&gt;K&lt;/kbd&gt;", "<kbd>K</kbd>")
    );
    assert!(kept.sanitised.is_empty(), "{:?}", kept.sanitised);
}

#[test]
fn unclosed_and_stray_inline_tags_stay_inside_their_paragraph() {
    let md = "Open <b>bold and <i>italic\n\nStray </p></div></li> end.\n";
    let out = render_kept(md);
    assert_eq!(
        out.html,
        "<p id=\"p1\">Open <b>bold and <i>italic</i></b></p>\n<p id=\"p2\">Stray <p></p> end.</p>\n"
    );
}

#[test]
fn passages_still_know_where_their_html_ends_after_sanitising() {
    let md = "<div onclick=\"x\">\n\nIn the div <b onmouseover=x>bold</b>.\n\n- item <i style=x>i</i>\n  - nested\n\n</div>\n\nAfter <u onclick=x>u</u>.\n";
    let out = render_kept(md);
    assert_eq!(out.sanitised.len(), 4, "{:?}", out.sanitised);
    let end = |i: usize| out.passages[i].html_end.map(|at| &out.html[..at]);
    assert!(
        end(0).is_some_and(|html| html.ends_with("In the div <b>bold</b>.</p>\n")),
        "{}",
        out.html
    );
    assert!(
        end(1).is_some_and(|html| html.ends_with("<li id=\"p2\">item <i>i</i>")),
        "{}",
        out.html
    );
    assert!(
        end(2).is_some_and(|html| html.ends_with("<li id=\"p3\">nested")),
        "{}",
        out.html
    );
    assert!(
        end(3).is_some_and(|html| html.ends_with("After <u>u</u>.</p>\n")),
        "{}",
        out.html
    );
    assert!(out.html.starts_with("<div>\n<p id=\"p1\">"), "{}", out.html);
    assert!(
        out.html.contains("</ul>\n</div>\n<p id=\"p4\">"),
        "{}",
        out.html
    );
}

#[test]
fn html_blocks_around_markdown_keep_wrapping_it() {
    let md = "<details>\n<summary>More</summary>\n\nInner *text* with [NASA](agency:nasa).\n\n</details>\n\nAfter.\n";
    let out = render_kept(md);
    assert_eq!(
        out.html,
        "<details>\n<summary>More</summary>\n<p id=\"p1\">Inner <em>text</em> with <a href=\"../../agencies/nasa/index.html\" class=\"term term-agency\">NASA</a>.</p>\n</details>\n<p id=\"p2\">After.</p>\n"
    );
    assert!(out.sanitised.is_empty(), "{:?}", out.sanitised);
}

#[test]
fn markdown_swallowed_by_raw_html_stays_in_place_and_balanced() {
    // The paragraph would be text of the `<title>`: the blocks are then
    // sanitised each alone, and the paragraph stays itself.
    let md = "<title>\n\nPara *one*.\n\n</title>\n\n<svg>\n\nPara two.\n\n</svg>\n";
    let out = render_kept(md);
    assert!(
        out.html.contains("<p id=\"p1\">Para <em>one</em>.</p>\n"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<p id=\"p2\">Para two.</p>\n"),
        "{}",
        out.html
    );
    assert!(
        !out.html.contains("title>") && !out.html.contains("svg>"),
        "{}",
        out.html
    );
    let end = out.passages[1].html_end.map(|at| &out.html[..at]);
    assert!(
        end.is_some_and(|html| html.ends_with("Para two.</p>\n")),
        "{}",
        out.html
    );
}

#[test]
fn the_placeholder_of_the_page_html_cannot_be_forged() {
    let md = "<div>\n<dossier-slot data-n=\"0\"></dossier-slot>\n\nPara.\n\n</div>\n";
    let out = render_kept(md);
    assert_eq!(out.html.matches("Para.").count(), 1, "{}", out.html);
    assert!(!out.html.contains("dossier-slot"), "{}", out.html);
}

#[test]
fn raw_html_in_source_documents_is_still_stripped() {
    let options = Options {
        raw_html: RawHtml::Strip,
        ..Options::default()
    };
    let out = render(
        "Text <b onclick=x>bold</b>.\n\n<script>x</script>\n",
        options,
        AT_DOMAIN,
    );
    assert_eq!(out.html, "<p id=\"p1\">Text bold.</p>\n");
    assert!(out.sanitised.is_empty());
}

#[test]
fn paragraphs_and_list_items_carry_their_anchors_for_the_theme_to_link() {
    // The `¶` permalinks are the theme's script's (static/permalinks.js):
    // the HTML carries each passage's anchor, named for its place.
    let md = "Lead. ([source](source:fs#p1))\n\n## Visits\n\n- One.\n  - Nested.\n- Two.\n\n| a |\n|---|\n| b |\n";
    let out = render(md, Options::default(), AT_DOMAIN);
    assert!(out.html.starts_with("<p id=\"p1\">Lead."), "{}", out.html);
    assert!(
        out.html
            .contains("<li id=\"visits-p1\">One.<ul>\n<li id=\"visits-p2\">Nested.</li>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<li id=\"visits-p3\">Two.</li>"),
        "{}",
        out.html
    );
    assert!(!out.html.contains('¶'), "{}", out.html);
    assert!(out.passages.iter().all(|p| !p.text().contains('¶')));
}

#[test]
fn a_heading_is_shown_without_its_trailing_colon_and_keeps_its_anchor() {
    let options = Options {
        bold_paragraphs_are_headings: true,
        ..Options::default()
    };
    let md = "**Next Generation Telecommunications:**\n\n- Item.\n\n## A: B :\n\n## :\n\n## Next [Telecom](topic:telecom):\n";
    let out = render(md, options, AT_DOMAIN);
    let titles: Vec<(&str, &str)> = out
        .headings
        .iter()
        .map(|h| (h.id.as_str(), h.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            (
                "next-generation-telecommunications",
                "Next Generation Telecommunications"
            ),
            ("a-b", "A: B"),
            ("section", ":"),
            ("next-telecom", "Next Telecom"),
        ]
    );
    assert_eq!(out.passages[0].text(), "Next Generation Telecommunications");
    assert_eq!(out.passages[1].id, "next-generation-telecommunications-p1");
    let last = &out.passages[out.passages.len() - 1];
    assert_eq!(last.text(), "Next Telecom");
    assert_eq!(last.annotations[0].range, 5..12);
    // The source's own words stay in the body.
    assert!(out.html.contains("Telecommunications:"), "{}", out.html);
    assert!(out.html.contains("Telecom</a>:"), "{}", out.html);
}

#[test]
fn the_lead_is_what_comes_before_the_first_heading_standing_alone() {
    let lead = |md: &str| {
        let out = render(md, Options::default(), AT_DOMAIN);
        out.lead_end.map(|at| out.html[..at].to_string())
    };
    assert_eq!(
        lead("One.\n\nTwo.\n\n## H\n\nThree.\n").as_deref(),
        Some("<p id=\"p1\">One.</p>\n<p id=\"p2\">Two.</p>\n")
    );
    assert_eq!(lead("## H\n\nText.\n"), None);
    assert_eq!(lead("No heading.\n"), None);
    assert_eq!(lead("> ## In a quotation\n\n## H\n"), None);
    assert_eq!(lead("- ## In an item\n\n## H\n"), None);
}

#[test]
fn callouts_have_a_label_and_an_icon_of_their_kind() {
    for (kind, name, label) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let out = render_page(&format!("> [!{kind}]\n> Mind this.\n"));
        let start = format!(
            "<blockquote class=\"callout callout-{name}\">\n<p class=\"callout-title\"><svg class=\"callout-icon\" viewBox=\"0 0 16 16\""
        );
        assert!(out.html.starts_with(&start), "{}", out.html);
        assert!(
            out.html
                .contains(&format!("</svg>{label}</p>\n<p id=\"p1\">Mind this.</p>")),
            "{}",
            out.html
        );
        // The label is not the passage's text.
        assert_eq!(out.passages[0].text(), "Mind this.");
    }
}
