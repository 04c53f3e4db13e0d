/* dossier search: reads the index that search/index.js assigns to
   window.dossierSearchIndex (a script, not a fetch, so that it works from
   file://), answers the query of ?q= and every keystroke after it.

   Index format (see src/render/search.rs):
     d: [[title, path, kind, [other names]], ...]
     p: [[document, anchor, text, role, [documents mentioned]], ...]
   kind: 0 page, 1 agency, 2 topic, 3 source; role: 0 body, 1 heading, 2 lead.

   Ranking: a word of the query found in a page's title or an entry's names
   counts most, then one found in the name of an agency or topic that the
   passage annotates, then one in a heading, then one in the text. A whole
   word counts more than a word that only starts with it: the last word of
   the query is matched as a prefix, so results follow the typing. Every
   word of the query must be found. Text from the index only ever reaches
   the page as DOM text nodes. */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var SNIPPET = 220;
  var KINDS = ["Page", "Agency", "Topic", "Source"];
  var ROLE_BODY = 0;
  var ROLE_HEADING = 1;
  var ROLE_LEAD = 2;

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list || !status) {
    return;
  }
  var root = list.getAttribute("data-root") || "";
  var data = window.dossierSearchIndex;
  if (!data || !data.d || !data.p) {
    status.textContent = "The search index could not be loaded.";
    return;
  }

  /* Lowercase, without accents: "Organisation" and "organisation",
     "Bengaluru" and "Bengalūru" meet. */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var WORD = /[\p{L}\p{N}]+/gu;

  function words(text) {
    return fold(text).match(WORD) || [];
  }

  var docs = data.d;
  var passages = data.p;

  /* word -> passages whose text has it; word -> documents whose title or
     names have it; document -> passages that annotate it. */
  var textIndex = new Map();
  var nameIndex = new Map();
  var mentionedIn = new Map();
  var leadOf = [];
  var headingOf = [];

  function post(map, key, value) {
    var postings = map.get(key);
    if (!postings) {
      map.set(key, [value]);
    } else if (postings[postings.length - 1] !== value) {
      postings.push(value);
    }
  }

  docs.forEach(function (doc, d) {
    var names = [doc[0]].concat(doc[3]);
    names.forEach(function (name) {
      words(name).forEach(function (word) {
        post(nameIndex, word, d);
      });
    });
  });
  var lastHeading = -1;
  passages.forEach(function (passage, p) {
    var d = passage[0];
    if (passage[3] === ROLE_LEAD) {
      leadOf[d] = p;
      lastHeading = -1;
    } else if (passage[3] === ROLE_HEADING) {
      lastHeading = p;
    }
    headingOf[p] = passage[3] === ROLE_BODY ? lastHeading : -1;
    words(passage[2]).forEach(function (word) {
      post(textIndex, word, p);
    });
    passage[4].forEach(function (term) {
      post(mentionedIn, term, p);
    });
  });
  var vocabulary = Array.from(new Set(Array.from(textIndex.keys()).concat(Array.from(nameIndex.keys())))).sort();

  /* The words of the vocabulary that start with `prefix`, by binary search. */
  function completions(prefix) {
    var low = 0;
    var high = vocabulary.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (vocabulary[mid] < prefix) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    var found = [];
    for (var i = low; i < vocabulary.length && vocabulary[i].lastIndexOf(prefix, 0) === 0; i++) {
      found.push(vocabulary[i]);
    }
    return found;
  }

  /* For one word of the query: how well each document's names and each
     passage's text match it. A whole word scores 3, a prefix 2. */
  function matchWord(word, asPrefix) {
    var names = new Map();
    var text = new Map();
    var candidates = asPrefix && word.length > 1 ? completions(word) : [word];
    candidates.forEach(function (candidate) {
      var strength = candidate === word ? 3 : 2;
      (nameIndex.get(candidate) || []).forEach(function (d) {
        names.set(d, Math.max(names.get(d) || 0, strength));
      });
      (textIndex.get(candidate) || []).forEach(function (p) {
        text.set(p, Math.max(text.get(p) || 0, strength));
      });
    });
    return { names: names, text: text };
  }

  function scoreOf(passage, p, match) {
    var title = match.names.get(passage[0]) || 0;
    var text = match.text.get(p) || 0;
    var term = 0;
    passage[4].forEach(function (t) {
      term = Math.max(term, match.names.get(t) || 0);
    });
    var own = 0;
    if (passage[3] === ROLE_LEAD) {
      own = title * 10;
    } else {
      own = Math.max(term * 5, text * (passage[3] === ROLE_HEADING ? 3 : 1));
    }
    /* A word found only in the title of the passage's page still counts,
       a little, so that "space isro" finds the Space page's passages on ISRO. */
    return { own: own, any: Math.max(own, title) };
  }

  function search(query) {
    var queryWords = words(query);
    if (queryWords.length === 0) {
      return [];
    }
    var endsInWord = /[\p{L}\p{N}]$/u.test(query);
    var matches = queryWords.map(function (word, i) {
      return matchWord(word, endsInWord && i === queryWords.length - 1);
    });
    var candidates = new Set();
    matches.forEach(function (match) {
      match.text.forEach(function (_, p) {
        candidates.add(p);
      });
      match.names.forEach(function (_, d) {
        if (leadOf[d] !== undefined) {
          candidates.add(leadOf[d]);
        }
        (mentionedIn.get(d) || []).forEach(function (p) {
          candidates.add(p);
        });
      });
    });
    var results = [];
    candidates.forEach(function (p) {
      var passage = passages[p];
      var total = 0;
      var own = 0;
      for (var i = 0; i < matches.length; i++) {
        var score = scoreOf(passage, p, matches[i]);
        if (score.any === 0) {
          return;
        }
        total += score.any;
        own += score.own;
      }
      if (own > 0) {
        /* Between entries that match alike, the shorter name is the
           closer match: "Quantum technologies" before "Indo-U.S. Quantum
           Coordination Mechanism". */
        var shorter = passage[3] === ROLE_LEAD ? Math.min(docs[passage[0]][0].length, 999) / 1000 : 0;
        results.push({ passage: p, score: total - shorter });
      }
    });
    results.sort(function (a, b) {
      return b.score - a.score || a.passage - b.passage;
    });
    return results;
  }

  /* The ranges of `text` where a word starts with a word of the query, or
     where one of `phrases` (folded names) stands, in positions of `text`
     itself (folding may change lengths); sorted, never overlapping. */
  function highlights(text, queryWords, phrases) {
    var folded = "";
    var origin = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) {
        folded += f[j];
        origin.push(i);
      }
    }
    origin.push(text.length);
    var ranges = [];
    var word;
    WORD.lastIndex = 0;
    while ((word = WORD.exec(folded)) !== null) {
      var longest = 0;
      queryWords.forEach(function (q) {
        if (q.length > longest && word[0].lastIndexOf(q, 0) === 0) {
          longest = q.length;
        }
      });
      if (longest > 0) {
        ranges.push([origin[word.index], origin[word.index + longest]]);
      }
    }
    (phrases || []).forEach(function (phrase) {
      for (var at = folded.indexOf(phrase); phrase && at >= 0; at = folded.indexOf(phrase, at + 1)) {
        if (at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1])) {
          ranges.push([origin[at], origin[at + phrase.length]]);
        }
      }
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1];
    });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.push([range[0], range[1]]);
      }
    });
    return merged;
  }

  /* The names of the agencies and topics that `passage` annotates and
     that the query names: found through them, the passage shows them
     marked even where its words differ from the query's. */
  function namesFound(passage, queryWords) {
    var phrases = [];
    passage[4].forEach(function (t) {
      var names = [docs[t][0]].concat(docs[t][3]);
      var named = names.some(function (name) {
        return words(name).some(function (w) {
          return queryWords.some(function (q) {
            return w.lastIndexOf(q, 0) === 0;
          });
        });
      });
      if (named) {
        names.forEach(function (name) {
          phrases.push(fold(name));
        });
      }
    });
    return phrases;
  }

  /* Appends `text` to `parent`, the ranges marked, as text nodes only. */
  function appendMarked(parent, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (range) {
      var start = Math.max(range[0], from);
      var end = Math.min(range[1], to);
      if (end <= start) {
        return;
      }
      parent.appendChild(document.createTextNode(text.slice(at, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      parent.appendChild(mark);
      at = end;
    });
    parent.appendChild(document.createTextNode(text.slice(at, to)));
  }

  /* A window of the text around its first match. */
  function snippet(text, ranges) {
    if (text.length <= SNIPPET) {
      return [0, text.length];
    }
    var first = ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, first - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      end = cut > start ? cut : end;
    }
    return [start, end];
  }

  function render(query) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var queryWords = words(query);
    if (queryWords.length === 0) {
      status.textContent = "";
      return;
    }
    var results = search(query);
    var shown = results.slice(0, MAX_RESULTS);
    status.textContent = results.length === 0
      ? "Nothing found for “" + query.trim() + "”."
      : results.length + (results.length === 1 ? " result" : " results") + " for “" + query.trim() + "”" +
        (results.length > shown.length ? ", the first " + shown.length + " shown." : ".");
    shown.forEach(function (result, n) {
      var passage = passages[result.passage];
      var doc = docs[passage[0]];
      var item = document.createElement("li");
      item.className = "search-result";

      var link = document.createElement("a");
      link.className = "search-result-link";
      link.href = root + doc[1] + (passage[1] ? "#" + passage[1] : "");
      link.id = "search-result-" + n;
      var title = doc[0];
      var heading = headingOf[result.passage];
      if (passage[3] === ROLE_HEADING) {
        title += " › " + passage[2];
      } else if (heading >= 0 && passages[heading][0] === passage[0]) {
        title += " › " + passages[heading][2];
      }
      appendMarked(link, title, highlights(title, queryWords), 0, title.length);
      item.appendChild(link);

      var kind = document.createElement("span");
      kind.className = "search-result-kind";
      kind.textContent = " · " + KINDS[doc[2]];
      item.appendChild(kind);

      var text = passage[2];
      if (passage[3] === ROLE_LEAD && doc[3].length) {
        text = (text ? text + " " : "") + "Also called: " + doc[3].join(", ") + ".";
      }
      if (text && passage[3] !== ROLE_HEADING) {
        var ranges = highlights(text, queryWords, namesFound(passage, queryWords));
        var window_ = snippet(text, ranges);
        var body = document.createElement("p");
        body.className = "search-result-text";
        if (window_[0] > 0) {
          body.appendChild(document.createTextNode("… "));
        }
        appendMarked(body, text, ranges, window_[0], window_[1]);
        if (window_[1] < text.length) {
          body.appendChild(document.createTextNode(" …"));
        }
        item.appendChild(body);
      }
      list.appendChild(item);
    });
  }

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll("a.search-result-link"));
  }

  /* The down arrow leads from the box into the results, the arrows move
     through them, the up arrow from the first leads back; Enter follows
     the focused link, as links do. */
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var links = resultLinks();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at < 0) {
      return;
    }
    if (event.key === "ArrowDown" && at + 1 < links.length) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) {
        links[at - 1].focus();
      } else {
        input.focus();
      }
    } else if (event.key === "Escape") {
      input.focus();
    }
  });

  var pending = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      render(input.value);
    }, 60);
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    render(initial);
  }
  input.focus();
})();
