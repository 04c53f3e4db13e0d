/* dossier search: answers the query of ?q= and every keystroke after it
   from the index that dossier writes beside the search page. The index is
   in small scripts (see src/render/search/mod.rs for their format), each
   calling a function of window.dossierSearch: this script defines them,
   the page loads the manifest (search/index.js), and the shards a query
   needs are loaded then, as <script> elements, which work from file://
   where fetch does not. A docs shard is compressed (raw DEFLATE in
   base64), inflated here by the browser's DecompressionStream.

   Words are folded, split and stemmed as src/render/search/words.rs says;
   the index lists with each stem the words it was made from, so this
   script needs no stemmer. A word of the query finds:
   - the stem of the same word of the site, or a stem it is that stem
     with an English ending added ("partnerships" finds "partnership");
   - for the last word as it is typed, the words that start with it,
     unless it has two letters or fewer and is itself a word of the site
     ("AI" finds AI, not "aid");
   - when it finds nothing else and has 4 letters or more, the words
     within one typo of it (two from 8 letters on), among those that start
     with its first letter.

   Ranking: a result is a passage. Those of documents that hold every word
   of the query come first, then those that hold only some, marked so. In
   each group: passages that hold more of the words first; then a title or
   name equal to the query; then the sum, over the words, of where each
   stands (a title or name 10, the name of an annotated agency or topic 5,
   a heading 3, the text 1; a word found elsewhere in the passage's
   document counts a fifth), times how well it matched (the word or its
   stem 1, an ending 0.9, the start of a word 0.5, a typo 0.6 or 0.4).
   Text from the index only ever reaches the page as DOM text nodes. */
(function () {
  "use strict";

  var PAGE = 20;
  var SNIPPET = 220;
  var KINDS = ["Page", "Agency", "Topic", "Source"];
  var ROLE_BODY = 0;
  var ROLE_HEADING = 1;
  var ROLE_LEAD = 2;
  var FIELD_WEIGHTS = [1, 3, 5, 10];
  var FIELD_NAME = 3;
  var MAX_PREFIXES = 8;
  var MAX_TYPOS = 5;
  var ENDINGS = ["s", "es", "ed", "d", "ing", "ly", "er", "ers", "ion", "ions", "al", "ment", "ments", "ity", "ities", "ies", "ied", "e", "y"];
  /* The stop words of src/render/search/words.rs: in the index only as
     parts of titles and names; left out of a query that has other words. */
  var STOP = { a: 1, an: 1, and: 1, are: 1, as: 1, at: 1, be: 1, by: 1, for: 1, from: 1, of: 1, on: 1, or: 1, the: 1, to: 1, with: 1 };
  var LAST = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
  var MORE = "WXYZabcdefghijklmnopqrstuvwxyz$_";

  /* What the index's scripts hand over. */
  var manifest = null;
  var terms = {};
  var postings = {};
  var docs = {};

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");

  window.dossierSearch = {
    manifest: function (data) {
      manifest = data;
      start();
    },
    terms: function (key, entries) {
      terms[key] = entries;
    },
    postings: function (name, data) {
      postings[name] = data;
    },
    docs: function (n, deflated) {
      docs[n] = deflated;
    },
    /* When the first results were shown (performance.now()), for measuring. */
    shownAt: null
  };

  var loading = {};

  /* Loads the script at `src` once; resolves when it has run (or failed). */
  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(true); };
        script.onerror = function () { resolve(false); };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  /* Lowercase, without accents. */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var RUN = /[\p{Alphabetic}\p{N}]+/gu;
  var LETTER = /^\p{Alphabetic}$/u;

  function length(text) {
    return Array.from(text).length;
  }

  /* The words of `folded` with their ranges: runs of letters and digits,
     single letters joined by full stops as one ("u.s." is "us"), other
     words of one character left out. */
  function tokens(folded) {
    var runs = [];
    var match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(folded)) !== null) {
      runs.push({ text: match[0], start: match.index, end: match.index + match[0].length });
    }
    var found = [];
    var single = function (run) { return run && length(run.text) === 1 && LETTER.test(run.text); };
    for (var i = 0; i < runs.length;) {
      var count = 0;
      while (single(runs[i + count])) {
        var end = runs[i + count].end;
        count++;
        var next = runs[i + count];
        if (folded[end] !== "." || !next || next.start !== end + 1) {
          break;
        }
      }
      if (count >= 2) {
        var text = "";
        for (var j = 0; j < count; j++) {
          text += runs[i + j].text;
        }
        found.push({ text: text, start: runs[i].start, end: runs[i + count - 1].end });
        i += count;
      } else {
        if (length(runs[i].text) > 1) {
          found.push(runs[i]);
        }
        i++;
      }
    }
    return found;
  }

  function words(text) {
    return tokens(fold(text)).map(function (t) { return t.text; });
  }

  /* Numbers as src/render/search/numbers.rs writes them. */
  function numbers(text) {
    var found = [];
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var more = MORE.indexOf(c);
      if (more >= 0) {
        value = value * 32 + more;
      } else {
        found.push(value * 32 + LAST.indexOf(c));
        value = 0;
      }
    }
    return found;
  }

  /* Optimal string alignment distance, or `max + 1` once it is past `max`. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) {
      return max + 1;
    }
    var previous2 = null;
    var previous = [];
    for (var j = 0; j <= b.length; j++) {
      previous.push(j);
    }
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, previous2[j - 2] + 1);
        }
        row.push(d);
        best = Math.min(best, d);
      }
      if (best > max) {
        return max + 1;
      }
      previous2 = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function typosAllowed(word) {
    var n = length(word);
    return n >= 8 ? 2 : n >= 4 ? 1 : 0;
  }

  /* ---- The vocabulary ---- */

  var keys = {};
  var keyList = [];
  var vocabulary = {};

  /* The entries of the vocabulary shard `key`, read once:
     {stem, documents, pack, at (its place in the pack), words, file}. */
  function shard(key) {
    if (vocabulary[key]) {
      return vocabulary[key];
    }
    var inPack = [];
    var entries = (terms[key] || "").split(" ").filter(Boolean).map(function (text) {
      var fields = text.split(":");
      var stem = fields[0];
      var counts = numbers(fields[1]);
      var surfaces = fields.length > 2 ? fields[2].split(",").map(function (w) {
        return w.charAt(0) === "~" ? stem + w.slice(1) : w;
      }) : [stem];
      var pack = counts[1] || 0;
      inPack[pack] = (inPack[pack] || 0) + 1;
      return { stem: stem, documents: counts[0], pack: pack, at: inPack[pack] - 1, words: surfaces, file: keys[key] };
    });
    vocabulary[key] = entries;
    return entries;
  }

  /* The key of the shard that holds `word`: the longest that starts it. */
  function keyOf(word) {
    var chars = Array.from(word);
    for (var n = Math.min(chars.length, 3); n >= 0; n--) {
      var key = chars.slice(0, n).join("");
      if (keys[key] !== undefined) {
        return key;
      }
    }
    return null;
  }

  function loadKeys(list) {
    return Promise.all(list.map(function (key) {
      return load(manifest.dirs[0] + keys[key] + ".js");
    }));
  }

  /* What `word` finds in the vocabulary: [{entry, quality}]. */
  function lookUp(word, asPrefix) {
    var own = keyOf(word);
    var needed = own !== null ? [own] : [];
    if (asPrefix) {
      keyList.forEach(function (key) {
        if (key !== own && key.lastIndexOf(word, 0) === 0) {
          needed.push(key);
        }
      });
    }
    return loadKeys(needed).then(function () {
      var found = [];
      var seen = {};
      var add = function (entry, quality) {
        if (!seen[entry.file + " " + entry.stem]) {
          seen[entry.file + " " + entry.stem] = true;
          found.push({ entry: entry, quality: quality });
        }
      };
      var entries = own !== null ? shard(own) : [];
      entries.forEach(function (entry) {
        if (entry.stem === word || entry.words.indexOf(word) >= 0) {
          add(entry, 1);
        }
      });
      if (found.length === 0) {
        entries.forEach(function (entry) {
          var rest = word.lastIndexOf(entry.stem, 0) === 0 ? word.slice(entry.stem.length) : null;
          if (rest && ENDINGS.indexOf(rest) >= 0) {
            add(entry, 0.9);
          }
        });
      }
      var exact = found.length > 0;
      if (asPrefix && (length(word) >= 3 || !exact)) {
        var prefixed = [];
        needed.forEach(function (key) {
          shard(key).forEach(function (entry) {
            var starts = entry.words.some(function (w) {
              return w !== word && w.lastIndexOf(word, 0) === 0;
            });
            if (starts) {
              prefixed.push(entry);
            }
          });
        });
        prefixed.sort(function (a, b) { return b.documents - a.documents; });
        prefixed.slice(0, MAX_PREFIXES).forEach(function (entry) { add(entry, 0.5); });
      }
      var max = typosAllowed(word);
      if (found.length > 0 || max === 0) {
        return found;
      }
      /* Typos: among the words that start with the same letter. */
      var first = Array.from(word)[0];
      var sameStart = keyList.filter(function (key) {
        return key.lastIndexOf(first, 0) === 0 || first.lastIndexOf(key, 0) === 0;
      });
      return loadKeys(sameStart).then(function () {
        var near = [];
        sameStart.forEach(function (key) {
          shard(key).forEach(function (entry) {
            var best = max + 1;
            entry.words.forEach(function (w) {
              best = Math.min(best, distance(word, w, max));
            });
            if (best <= max) {
              near.push({ entry: entry, distance: best });
            }
          });
        });
        near.sort(function (a, b) {
          return a.distance - b.distance || b.entry.documents - a.entry.documents;
        });
        near.slice(0, MAX_TYPOS).forEach(function (n) {
          add(n.entry, n.distance === 1 ? 0.6 : 0.4);
        });
        return found;
      });
    });
  }

  /* ---- Postings ---- */

  function packName(entry) {
    return entry.file + "." + entry.pack;
  }

  /* For one word of the query, where it stands: passage key -> weight,
     document -> best weight, document -> words of the shortest name that
     holds it exactly, and the documents whose names hold it. */
  function hitsOf(found) {
    var hits = { passages: new Map(), docs: new Map(), nameWords: new Map(), shortest: new Map(), named: new Set(), words: [] };
    found.forEach(function (match) {
      var entry = match.entry;
      hits.words = hits.words.concat(entry.words);
      var pack = postings[packName(entry)];
      if (pack && typeof pack === "string") {
        pack = postings[packName(entry)] = pack.split(" ");
      }
      var text = pack && pack[entry.at];
      if (!text) {
        return;
      }
      var n = numbers(text);
      var at = 0;
      var doc = -1;
      while (at < n.length) {
        var head = n[at++];
        doc = doc < 0 ? Math.floor(head / 8) : doc + 1 + Math.floor(head / 8);
        var count = head % 8 || n[at++];
        var passage = 0;
        for (var i = 0; i < count; i++) {
          var code = n[at++];
          passage += Math.floor(code / 4);
          var field = code % 4;
          var weight = FIELD_WEIGHTS[field] * match.quality;
          if (field === FIELD_NAME) {
            var nameLength = n[at++];
            hits.named.add(doc);
            var shortest = hits.shortest.get(doc);
            hits.shortest.set(doc, shortest === undefined ? nameLength : Math.min(shortest, nameLength));
            if (match.quality === 1) {
              var known = hits.nameWords.get(doc);
              hits.nameWords.set(doc, known === undefined ? nameLength : Math.min(known, nameLength));
            }
          }
          var key = doc * 65536 + passage;
          if (!(hits.passages.get(key) >= weight)) {
            hits.passages.set(key, weight);
          }
          if (!(hits.docs.get(doc) >= weight)) {
            hits.docs.set(doc, weight);
          }
        }
      }
    });
    return hits;
  }

  /* ---- Searching ---- */

  function queryWords(query) {
    var all = words(query);
    var kept = all.filter(function (w) { return !STOP[w]; });
    return kept.length ? kept : all;
  }

  /* Resolves to {words, hits, results}: results sorted, each
     {doc, passage, all, count, score, bonus, missing}. */
  function search(query) {
    var qWords = queryWords(query);
    var endsInWord = /[\p{Alphabetic}\p{N}]$/u.test(query);
    return Promise.all(qWords.map(function (word, i) {
      return lookUp(word, endsInWord && i === qWords.length - 1);
    })).then(function (found) {
      var packs = {};
      found.forEach(function (matches) {
        matches.forEach(function (match) {
          packs[manifest.dirs[1] + packName(match.entry) + ".js"] = true;
        });
      });
      return Promise.all(Object.keys(packs).map(load)).then(function () {
        var hits = found.map(hitsOf);
        return { words: qWords, hits: hits, results: rank(qWords, hits) };
      });
    });
  }

  function rank(qWords, hits) {
    var n = qWords.length;
    var candidates = new Map();
    hits.forEach(function (h, i) {
      h.passages.forEach(function (weight, key) {
        var c = candidates.get(key);
        if (!c) {
          c = { doc: Math.floor(key / 65536), passage: key % 65536, found: 0, count: 0, score: 0 };
          candidates.set(key, c);
        }
        c.found |= 1 << i;
        c.count++;
        c.score += weight;
      });
    });
    var results = [];
    candidates.forEach(function (c) {
      var inDoc = 0;
      c.missing = [];
      hits.forEach(function (h, i) {
        var best = h.docs.get(c.doc);
        if (best !== undefined) {
          inDoc++;
          if (!(c.found & (1 << i))) {
            c.score += best / 5;
          }
        } else {
          c.missing.push(qWords[i]);
        }
      });
      c.all = inDoc === n ? 1 : 0;
      if (c.passage === 0) {
        /* Between names that match alike, the shorter is the closer:
           "Quantum technologies" before "Indo-U.S. Quantum Coordination
           Mechanism". */
        var nameLength = 0;
        hits.forEach(function (h) {
          nameLength = Math.max(nameLength, h.shortest.get(c.doc) || 0);
        });
        c.score -= Math.min(nameLength, 99) / 100;
      }
      c.bonus = c.passage === 0 && hits.every(function (h) { return h.nameWords.get(c.doc) === n; }) ? 1 : 0;
      results.push(c);
    });
    results.sort(function (a, b) {
      return b.all - a.all || b.count - a.count || b.bonus - a.bonus || b.score - a.score ||
        a.doc - b.doc || a.passage - b.passage;
    });
    return results;
  }

  /* ---- Documents ---- */

  var shardStarts = null;

  /* The docs shard that holds document `doc`. */
  function docShard(doc) {
    if (!shardStarts) {
      shardStarts = [];
      var at = 0;
      numbers(manifest.docs).forEach(function (count) {
        shardStarts.push(at);
        at += count;
      });
    }
    var low = 0;
    var high = shardStarts.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (shardStarts[mid] <= doc) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  var inflating = {};

  /* Loads docs shard `n` and inflates it once, in place: docs[n] is then
     its documents (or stays unset if the shard could not be read). */
  function loadShard(n) {
    if (!inflating[n]) {
      inflating[n] = load(manifest.dirs[2] + n + ".js").then(function () {
        if (typeof docs[n] !== "string") {
          return;
        }
        return inflate(docs[n]).then(function (documents) {
          docs[n] = documents;
        }, function () {
          delete docs[n];
        });
      });
    }
    return inflating[n];
  }

  /* The JSON value of `base64`, raw DEFLATE in base64. */
  function inflate(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).json();
  }

  function loadDocs(results) {
    var needed = {};
    results.forEach(function (r) {
      needed[docShard(r.doc)] = true;
    });
    return Promise.all(Object.keys(needed).map(loadShard));
  }

  /* Document `doc`: [title, path, kind, names, passages], each passage's
     anchor written out whole. */
  function docOf(doc) {
    var n = docShard(doc);
    var entry = Array.isArray(docs[n]) ? docs[n][doc - shardStarts[n]] : undefined;
    if (entry && !entry.expanded) {
      var heading = "";
      entry[4].forEach(function (passage) {
        if (passage.length < 3) {
          passage.push(ROLE_BODY);
        }
        if (passage[0].charAt(0) === "-") {
          passage[0] = heading + passage[0];
        }
        if (passage[2] === ROLE_HEADING) {
          heading = passage[0];
        }
      });
      if (entry[1] === "" || entry[1].slice(-1) === "/") {
        entry[1] += manifest.page;
      }
      entry.expanded = true;
    }
    return entry;
  }

  /* ---- Showing results ---- */

  /* The ranges of `text` to mark: words whose folded form the query
     found, or that start with a word typed as a prefix; and the words
     that annotate an agency or topic the query named. */
  function highlights(text, found, prefixes, annotations, named) {
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
    tokens(folded).forEach(function (token) {
      var hit = found.has(token.text) || prefixes.some(function (p) {
        return token.text.lastIndexOf(p, 0) === 0;
      });
      if (hit) {
        ranges.push([origin[token.start], origin[token.end]]);
      }
    });
    var marks = annotations ? numbers(annotations) : [];
    for (var a = 0, end = 0; a + 2 < marks.length; a += 3) {
      var begin = end + marks[a];
      end = begin + marks[a + 1];
      if (named.has(marks[a + 2])) {
        ranges.push([begin, end]);
      }
    }
    ranges.sort(function (x, y) {
      return x[0] - y[0] || y[1] - x[1];
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

  /* Appends `text` to `parent`, the ranges marked, as text nodes only. */
  function appendMarked(parent, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (range) {
      var begin = Math.max(range[0], from);
      var end = Math.min(range[1], to);
      if (end <= begin) {
        return;
      }
      parent.appendChild(document.createTextNode(text.slice(at, begin)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(begin, end);
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
    var begin = Math.max(0, first - 60);
    if (begin > 0) {
      var space = text.indexOf(" ", begin);
      begin = space >= 0 && space < first ? space + 1 : begin;
    }
    var end = Math.min(text.length, begin + SNIPPET);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      end = cut > begin ? cut : end;
    }
    return [begin, end];
  }

  /* The heading above passage `p` of `doc`, if any. */
  function headingAbove(doc, p) {
    for (var i = p - 1; i > 0; i--) {
      if (doc[4][i][2] === ROLE_HEADING) {
        return doc[4][i][1];
      }
    }
    return null;
  }

  function item(result, n, marks) {
    var doc = docOf(result.doc);
    var li = document.createElement("li");
    li.className = "search-result" + (result.all ? "" : " search-result-some");
    if (!doc) {
      return li;
    }
    var passage = doc[4][result.passage] || doc[4][0];
    var link = document.createElement("a");
    link.className = "search-result-link";
    link.href = root + doc[1] + (passage[0] ? "#" + passage[0] : "");
    link.id = "search-result-" + n;
    var title = doc[0];
    if (passage[2] === ROLE_HEADING) {
      title += " › " + passage[1];
    } else if (result.passage > 0) {
      var heading = headingAbove(doc, result.passage);
      if (heading) {
        title += " › " + heading;
      }
    }
    appendMarked(link, title, highlights(title, marks.found, marks.prefixes), 0, title.length);
    li.appendChild(link);

    var kind = document.createElement("span");
    kind.className = "search-result-kind";
    kind.textContent = " · " + KINDS[doc[2]];
    li.appendChild(kind);

    var text = passage[1];
    if (passage[2] === ROLE_LEAD && doc[3].length) {
      text = (text ? text + " " : "") + "Also called: " + doc[3].join(", ") + ".";
    }
    if (text && passage[2] !== ROLE_HEADING) {
      var ranges = highlights(text, marks.found, marks.prefixes, passage[3], marks.named);
      var view = snippet(text, ranges);
      var body = document.createElement("p");
      body.className = "search-result-text";
      if (view[0] > 0) {
        body.appendChild(document.createTextNode("… "));
      }
      appendMarked(body, text, ranges, view[0], view[1]);
      if (view[1] < text.length) {
        body.appendChild(document.createTextNode(" …"));
      }
      li.appendChild(body);
    }
    if (!result.all) {
      var missing = document.createElement("p");
      missing.className = "search-result-missing";
      missing.textContent = "Not on this page: " + result.missing.join(", ");
      li.appendChild(missing);
    }
    return li;
  }

  var root = list ? list.getAttribute("data-root") || "" : "";
  var latest = 0;

  function clear() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var more = document.getElementById("search-more");
    if (more) {
      more.parentNode.removeChild(more);
    }
  }

  /* Shows the results of `answer` from `from` on, a page of them. */
  function show(answer, from, ticket) {
    var page = answer.results.slice(from, from + PAGE);
    return loadDocs(page).then(function () {
      if (ticket !== latest) {
        return;
      }
      page.forEach(function (result, i) {
        var at = from + i;
        if (!result.all && (at === 0 || answer.results[at - 1].all)) {
          var group = document.createElement("li");
          group.className = "search-group";
          group.textContent = "Results with only some of the words";
          list.appendChild(group);
        }
        list.appendChild(item(result, at, answer.marks));
      });
      var shown = from + page.length;
      var old = document.getElementById("search-more");
      if (old) {
        old.parentNode.removeChild(old);
      }
      if (shown < answer.results.length) {
        var more = document.createElement("button");
        more.type = "button";
        more.id = "search-more";
        more.className = "search-more";
        more.textContent = "Show more results";
        more.addEventListener("click", function () {
          show(answer, shown, ticket).then(function () {
            var next = document.getElementById("search-result-" + shown);
            if (next) {
              next.focus();
            }
          });
        });
        list.parentNode.insertBefore(more, list.nextSibling);
      }
      if (window.dossierSearch.shownAt === null) {
        window.dossierSearch.shownAt = performance.now();
      }
    });
  }

  function render(query) {
    var ticket = ++latest;
    var qWords = queryWords(query);
    if (qWords.length === 0) {
      clear();
      status.textContent = "";
      return Promise.resolve();
    }
    return search(query).then(function (answer) {
      if (ticket !== latest) {
        return;
      }
      var found = new Set();
      var named = new Set();
      answer.hits.forEach(function (h) {
        h.words.forEach(function (w) { found.add(w); });
        h.named.forEach(function (d) { named.add(d); });
      });
      var endsInWord = /[\p{Alphabetic}\p{N}]$/u.test(query);
      answer.marks = {
        found: found,
        named: named,
        prefixes: endsInWord && length(qWords[qWords.length - 1]) >= 3 ? [qWords[qWords.length - 1]] : []
      };
      var results = answer.results;
      var every = results.filter(function (r) { return r.all; }).length;
      return loadDocs(results.slice(0, PAGE)).then(function () {
        if (ticket !== latest) {
          return;
        }
        clear();
        var said = "“" + query.trim() + "”";
        if (results.length === 0) {
          status.textContent = "Nothing found for " + said + ".";
        } else {
          status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for " + said +
            (qWords.length > 1 && every < results.length ? ", " + every + " with every word." : ".");
        }
        return show(answer, 0, ticket);
      });
    });
  }

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll("a.search-result-link"));
  }

  window.addEventListener("load", function () {
    if (!manifest && status) {
      status.textContent = "The search index could not be loaded.";
    }
  });

  function start() {
    if (!form || !input || !list || !status || !manifest) {
      return;
    }
    if (typeof DecompressionStream === "undefined") {
      status.textContent = "This browser cannot read the search index: it needs DecompressionStream " +
        "(Chrome or Edge 103, Firefox 113, Safari 16.4 or newer).";
      return;
    }
    manifest.terms.forEach(function (pair) {
      keys[pair[0]] = pair[1];
      keyList.push(pair[0]);
    });

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
  }
})();
