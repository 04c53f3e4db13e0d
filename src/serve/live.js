// Live reload for `dossier serve`: reloads the page when the site changes
// (keeping the scroll position), shows the build's problems over the page
// until they are fixed, and, below the page, the citations of source
// passages that changed since sources.lock. Only ever served by
// `dossier serve`.
(function () {
  "use strict";
  var scrollKey = "dossier-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }

  var generation = null;
  var overlay = null;
  var note = null;

  function currentPath() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (path === "" || path.slice(-1) === "/") { path += "index.html"; }
    return path;
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function show(problems) {
    if (!problems) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build problems");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f3f3f3;padding:1.5rem 2rem;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 1rem;font-size:16px;font-weight:bold;color:#ff9b94;";
    title.textContent = problems.summary + " \u2014 the last good version of the site is shown underneath.";
    var text = document.createElement("pre");
    text.style.cssText = "margin:0;white-space:pre-wrap;";
    text.textContent = problems.text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "position:absolute;top:1rem;right:1rem;";
    close.addEventListener("click", function () { show(null); });
    overlay.appendChild(close);
    overlay.appendChild(title);
    overlay.appendChild(text);
  }

  // The citations of changed source passages: a note fixed to the bottom
  // of the page, which stays usable and keeps updating.
  function showDrift(drift) {
    if (!drift) {
      if (note) { note.remove(); note = null; }
      return;
    }
    if (!note) {
      note = document.createElement("details");
      note.setAttribute("role", "status");
      note.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:60vh;overflow:auto;" +
        "background:#3a2e00;color:#fff3c4;padding:.5rem 1rem;border-top:2px solid #ffcf33;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;";
      document.body.appendChild(note);
    }
    note.textContent = "";
    var summary = document.createElement("summary");
    summary.style.cssText = "cursor:pointer;font-weight:bold;";
    summary.textContent = drift.summary + ": review them, then `dossier fix` or `dossier check --accept-sources`";
    var text = document.createElement("pre");
    text.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap;";
    text.textContent = drift.text;
    note.appendChild(summary);
    note.appendChild(text);
  }

  var events = new EventSource("/__dossier/events");
  events.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (generation !== null && data.generation !== generation) { reload(); return; }
    generation = data.generation;
    show(data.problems);
    showDrift(data.drift);
  });
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    generation = data.generation;
    show(null);
    showDrift(data.drift);
    var here = currentPath();
    var mine = data.changed === null || data.changed.some(function (path) {
      return path === here || /^static\//.test(path) || /\.(css|png|jpe?g|gif|svg|webp|avif)$/.test(path);
    });
    if (mine) { reload(); }
  });
  events.addEventListener("problems", function (event) {
    show(JSON.parse(event.data));
  });
})();
