/* dossier: a permalink, ¶, at the end of the text of each paragraph and
   list item that is a passage, so that a reader can copy a link to it.
   A passage's anchor is `<heading>-p<n>` (`p<n>` before the first
   heading; `-2`, `-3`... added where it would repeat one), and its
   permalink is named for that place: "Link to Visits ¶2". It stands at
   the end of the passage's own text: before a nested list, or inside the
   first paragraph of an item of paragraphs; before the sources' "Cited
   by". Shown on hover and keyboard focus, always where there is no hover
   (style.css). Written here, not in each page, which it would make a
   tenth larger. */
(function () {
  "use strict";

  var PASSAGE = /^(?:(.+)-)?p(\d+)(?:-\d+)?$/;

  /* The text of `heading` without its `#` link, its spaces collapsed. */
  function headingText(heading) {
    var text = "";
    heading.childNodes.forEach(function (node) {
      if (!(node.nodeType === 1 && node.classList.contains("anchor"))) {
        text += node.textContent;
      }
    });
    return text.trim().split(/\s+/).join(" ");
  }

  /* The element the permalink of `passage` ends, and the child it goes
     before (null: at the end). */
  function place(passage) {
    var first = passage.firstElementChild;
    var lead = first && first.previousSibling;
    if (passage.tagName === "LI" && first && first.tagName === "P" && !(lead && lead.textContent.trim())) {
      return { parent: first, before: null };
    }
    for (var child = passage.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1 && (/^(UL|OL|P|DIV|BLOCKQUOTE|PRE|TABLE)$/.test(child.tagName) || child.classList.contains("cited-by"))) {
        return { parent: passage, before: spaceBefore(child) };
      }
    }
    return { parent: passage, before: null };
  }

  /* The space that ends the text before `child`, split off to a text node
     of its own, so that the permalink follows the last word; or `child`. */
  function spaceBefore(child) {
    var text = child.previousSibling;
    if (!text || text.nodeType !== 3) {
      return child;
    }
    var words = text.data.replace(/\s+$/, "").length;
    if (words === text.data.length) {
      return child;
    }
    return words === 0 ? text : text.splitText(words);
  }

  document.querySelectorAll(".prose p[id], .prose li[id]").forEach(function (passage) {
    var match = PASSAGE.exec(passage.id);
    if (!match) {
      return;
    }
    var heading = match[1] ? document.getElementById(match[1]) : null;
    if (heading && !/^H[1-6]$/.test(heading.tagName)) {
      heading = null;
    }
    var link = document.createElement("a");
    link.className = "permalink";
    link.href = "#" + passage.id;
    link.setAttribute("aria-label", "Link to " + (heading ? headingText(heading) + " " : "") + "¶" + match[2]);
    link.textContent = "¶";
    var at = place(passage);
    at.parent.insertBefore(link, at.before);
  });
}());
