/* dossier: "/" puts the cursor in the search box from any page, unless
   one is typing in a field already. */
document.addEventListener("keydown", function (event) {
  "use strict";
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
    return;
  }
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
    return;
  }
  var box = document.getElementById("search-input") || document.getElementById("site-search-input");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
