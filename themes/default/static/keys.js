/* dossier: keys that work on every page, unless one is typing in a field
   or holds a modifier (those belong to the browser):
     /      puts the cursor in the search box;
     ← / →  go to the previous / next page of the section, as the links
            marked rel="prev" and rel="next" do (not while the element in
            focus, or the page, scrolls sideways: the arrows scroll it). */
(function () {
  "use strict";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function scrollsSideways(element) {
    for (var at = element; at && at.nodeType === 1; at = at.parentElement) {
      if (at.scrollWidth > at.clientWidth + 1 && /^(auto|scroll)$/.test(getComputedStyle(at).overflowX)) {
        return true;
      }
    }
    var page = document.scrollingElement || document.documentElement;
    return page.scrollWidth > page.clientWidth + 1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) {
      return;
    }
    if (event.key === "/") {
      var box = document.getElementById("search-input") || document.getElementById("site-search-input");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
      return;
    }
    if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && !event.shiftKey) {
      var link = document.querySelector(event.key === "ArrowLeft" ? "a[rel~='prev']" : "a[rel~='next']");
      if (link && !scrollsSideways(event.target)) {
        event.preventDefault();
        window.location.href = link.href;
      }
    }
  });
}());
