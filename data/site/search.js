/* paperboy's search page: client-side search over search.json (plain ES2017, no libraries).
 *
 * Why no inverted index: the page ships the papers' own text (titles, one-line summaries,
 * keywords, areas, authors) and matches Chinese by character bigrams at query time. An
 * inverted bigram index would be larger than that text (nearly every Han character starts a
 * bigram, and each bigram needs a posting list of paper numbers, in JSON), so for ~5,000
 * papers the download would grow two to three times over, and the titles and summaries
 * must be shipped anyway to show the results. Scanning 5,000 prepared haystacks with
 * indexOf took about 5 ms a query in headless chromium on a desktop, 10-40 ms with the CPU
 * slowed four times like a low-end phone (a 3 MB index; showing the 50 results costs as
 * much again): within the 120 ms debounce, so at this size an index buys no speed a reader
 * could notice. (A much larger archive would want one; the format has a version for that.)
 *
 * Matching: query and text are normalised with NFKC + toLowerCase. The query is split on
 * whitespace, then into runs of CJK (Han, kana, hangul) and other characters:
 *   - a Latin (non-CJK) term must occur as a substring; at a word's start it ranks higher;
 *   - a CJK run of 2+ characters is cut into overlapping bigrams, and each character must
 *     be covered by a bigram that occurs in the paper (so 强化学习扩散 finds a paper with
 *     强化学习 and 扩散 even though 习扩 occurs nowhere); the whole run occurring
 *     contiguously scores more than its bigrams scattered; a lone function character
 *     (的, 和, 与…) needs no cover;
 *   - a single CJK character must occur;
 *   - every term must match (AND).
 * Score: per term, its best field, weighted title 5, title_en 4, keywords 3, areas 3,
 * summary 2, authors 1 (id and date 1 too, so an arXiv number or a day can be looked up).
 * Up to 50 results, the best first, newest first among equal scores.
 *
 * Nothing from the index is ever parsed as HTML: results are built with createElement and
 * textContent, matches wrapped in <mark> elements made the same way.
 */
(function () {
  'use strict';

  var MAX_SHOWN = 50;
  var DEBOUNCE_MS = 120;
  var WEIGHTS = { title: 5, title_en: 4, keywords: 3, areas: 3, summary: 2, authors: 1, id: 1, date: 1 };
  var FIELDS = ['title', 'title_en', 'keywords', 'areas', 'summary', 'authors', 'id', 'date'];
  // Characters of a CJK run that may stay uncovered by any found bigram.
  var FUNCTION_CHARS = '的了和与及或在是对中之将为以把被从';

  var script = document.currentScript || document.querySelector('script[data-index]');
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('results');
  if (!script || !form || !input || !status || !list) return;

  var papers = null;      // [{f: {field: original text}, h: {field: normalised}, all, date, order}]
  var failed = false;
  var timer = 0;

  function norm(s) {
    return String(s).normalize('NFKC').toLowerCase();
  }

  // One code point (as a string) is CJK: Han (with extensions, through surrogates), kana, hangul.
  function isCJK(ch) {
    var c = ch.codePointAt(0);
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF) ||
      c === 0x3005 || c === 0x3007 ||                    // 々 〇
      (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||  // kana
      (c >= 0xFF66 && c <= 0xFF9F) ||
      (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||  // hangul
      (c >= 0x3130 && c <= 0x318F);
  }

  function isWordChar(ch) {
    return /[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/.test(ch);
  }

  // Punctuation trimmed from the ends of a Latin term ("quoted", (brackets), commas, 。、).
  var EDGE_PUNCT = /^[\s!"'(),.:;<>?@\[\\\]^_`{|}~\u00a1-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+|[\s!"'(),.:;<>?@\[\\\]^_`{|}~\u00a1-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+$/g;

  // The query's terms: {kind: 'latin'|'cjk', text, grams (cjk, length >= 2)}.
  function parseQuery(q) {
    var terms = [];
    var seen = {};
    norm(q).split(/\s+/).forEach(function (word) {
      var chars = Array.from(word);
      var i = 0;
      while (i < chars.length) {
        var cjk = isCJK(chars[i]);
        var j = i;
        while (j < chars.length && isCJK(chars[j]) === cjk) j++;
        var run = chars.slice(i, j);
        i = j;
        var text = cjk ? run.join('') : run.join('').replace(EDGE_PUNCT, '');
        if (!text || seen[text]) continue;
        seen[text] = true;
        var term = { kind: cjk ? 'cjk' : 'latin', text: text, chars: run, grams: null };
        if (cjk && run.length >= 2) {
          term.grams = [];
          for (var k = 0; k + 1 < run.length; k++) term.grams.push(run[k] + run[k + 1]);
        }
        terms.push(term);
      }
    });
    return terms;
  }

  function latinScore(hay, text) {
    var best = 0;
    var at = hay.indexOf(text);
    while (at >= 0) {
      var before = at > 0 ? hay.charAt(at - 1) : '';
      var after = hay.charAt(at + text.length);
      var s = 1;
      if (!isWordChar(before)) s = isWordChar(after) ? 2 : 2.5;   // word prefix; whole word
      if (s > best) best = s;
      if (best === 2.5) break;
      at = hay.indexOf(text, at + 1);
    }
    return best;
  }

  // Does a paper match a CJK run? Every character covered by a bigram found somewhere in it.
  function cjkMatches(all, term) {
    if (!term.grams) return all.indexOf(term.text) >= 0;
    if (all.indexOf(term.text) >= 0) return true;
    var n = term.chars.length;
    var covered = new Array(n);
    for (var k = 0; k < term.grams.length; k++) {
      if (all.indexOf(term.grams[k]) >= 0) covered[k] = covered[k + 1] = true;
    }
    for (var i = 0; i < n; i++) {
      if (!covered[i] && FUNCTION_CHARS.indexOf(term.chars[i]) < 0) return false;
    }
    return true;
  }

  function cjkScore(hay, term) {
    if (hay.indexOf(term.text) >= 0) return term.grams ? 3 : 1;
    if (!term.grams) return 0;
    var found = 0;
    for (var k = 0; k < term.grams.length; k++) if (hay.indexOf(term.grams[k]) >= 0) found++;
    return found / term.grams.length;   // at most 1: less than any contiguous match
  }

  function score(p, terms) {
    var total = 0;
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      if (term.kind === 'latin' ? p.all.indexOf(term.text) < 0 : !cjkMatches(p.all, term)) return 0;
      var best = 0;
      for (var f = 0; f < FIELDS.length; f++) {
        var hay = p.h[FIELDS[f]];
        if (!hay) continue;
        var s = WEIGHTS[FIELDS[f]] * (term.kind === 'latin' ? latinScore(hay, term.text) : cjkScore(hay, term));
        if (s > best) best = s;
      }
      if (best === 0) return 0;   // only matched across two fields' boundary
      total += best;
    }
    return total;
  }

  function search(q) {
    var terms = parseQuery(q);
    if (!terms.length) return { terms: terms, hits: [] };
    var hits = [];
    for (var i = 0; i < papers.length; i++) {
      var s = score(papers[i], terms);
      if (s > 0) hits.push({ p: papers[i], s: s });
    }
    hits.sort(function (a, b) {
      if (b.s !== a.s) return b.s - a.s;
      if (a.p.date !== b.p.date) return a.p.date < b.p.date ? 1 : -1;
      return a.p.order - b.p.order;
    });
    return { terms: terms, hits: hits };
  }

  // --- showing -------------------------------------------------------------------------

  function fill(template, values) {
    return String(template || '').replace(/\{\{(\w+)\}\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function say(key, values) {
    status.textContent = fill(status.getAttribute('data-' + key), values || {});
    status.setAttribute('data-state', key);
  }

  // The text normalised code point by code point, with each UTF-16 unit's source span.
  function normMap(text) {
    var out = '';
    var from = [];
    var to = [];
    var pos = 0;
    Array.from(text).forEach(function (ch) {
      var n = norm(ch);
      for (var k = 0; k < n.length; k++) { from.push(pos); to.push(pos + ch.length); }
      out += n;
      pos += ch.length;
    });
    return { text: out, from: from, to: to };
  }

  function occurrences(hay, needle, ranges) {
    if (!needle) return;
    var at = hay.indexOf(needle);
    while (at >= 0) {
      ranges.push([at, at + needle.length]);
      at = hay.indexOf(needle, at + needle.length);
    }
  }

  // Append text to el with every match of the terms in a <mark>.
  function appendMarked(el, text, terms) {
    var m = normMap(text);
    var ranges = [];
    terms.forEach(function (term) {
      var before = ranges.length;
      occurrences(m.text, term.text, ranges);
      if (term.grams && ranges.length === before) {
        term.grams.forEach(function (g) { occurrences(m.text, g, ranges); });
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    ranges.forEach(function (r) {
      var a = m.from[r[0]];
      var b = m.to[r[1] - 1];
      if (b <= pos) return;
      if (a < pos) a = pos;
      if (a > pos) el.appendChild(document.createTextNode(text.slice(pos, a)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(a, b);
      el.appendChild(mark);
      pos = b;
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
    return ranges.length > 0;
  }

  function paragraph(cls, text, terms, lang) {
    var p = document.createElement('p');
    p.className = cls;
    if (lang) p.lang = lang;
    appendMarked(p, text, terms);
    return p;
  }

  function resultItem(p, terms) {
    var li = document.createElement('li');
    li.className = 'result';
    var a = document.createElement('a');
    a.className = 'title';
    var date = /^\d{4}-\d{2}-\d{2}$/.test(p.f.date) ? p.f.date : '';
    a.href = 'days/' + date + '.html#' + encodeURIComponent(p.f.id);
    appendMarked(a, p.f.title || p.f.title_en || p.f.id, terms);
    li.appendChild(a);

    var meta = document.createElement('p');
    meta.className = 'meta';
    var time = document.createElement('time');
    time.dateTime = date;
    time.textContent = p.f.date;
    meta.appendChild(time);
    if (p.f.areas) {
      meta.appendChild(document.createTextNode(' · '));
      var areas = document.createElement('span');
      areas.className = 'areas';
      appendMarked(areas, p.f.areas, terms);
      meta.appendChild(areas);
    }
    li.appendChild(meta);

    // An untranslated paper's title is its English title: not twice.
    if (p.f.title && p.f.title_en && p.f.title_en !== p.f.title) {
      li.appendChild(paragraph('title-en', p.f.title_en, terms, 'en'));
    }
    if (p.f.summary) li.appendChild(paragraph('summary', p.f.summary, terms));
    // The authors only when the query found something there: otherwise they are noise.
    if (p.f.authors) {
      var authors = paragraph('authors', p.f.authors, terms, 'en');
      if (authors.querySelector('mark')) li.appendChild(authors);
    }
    return li;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function run(q) {
    if (failed) return;
    if (!papers) { say('loading'); return; }
    clear(list);
    var query = q.trim();
    if (!query) { say('empty'); return; }
    var r = search(query);
    if (!r.hits.length) { say('none', { query: query }); return; }
    var shown = r.hits.slice(0, MAX_SHOWN);
    var frag = document.createDocumentFragment();
    shown.forEach(function (h) { frag.appendChild(resultItem(h.p, r.terms)); });
    list.appendChild(frag);
    var found = fill(status.getAttribute('data-found'), { count: r.hits.length, query: query });
    if (r.hits.length > shown.length) {
      found += ' · ' + fill(status.getAttribute('data-more'), { shown: shown.length, count: r.hits.length });
    }
    status.textContent = found;
    status.setAttribute('data-state', 'found');
  }

  // The address carries the query, so a search can be shared or reloaded.
  function remember(q) {
    if (!window.history || !history.replaceState) return;
    var url = new URL(location.href);
    url.hash = '';
    if (q.trim()) url.searchParams.set('q', q.trim());
    else url.searchParams.delete('q');
    history.replaceState(null, '', url.pathname + url.search);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      run(input.value);
      remember(input.value);
    }, DEBOUNCE_MS);
  }

  function prepare(index) {
    var cols = {};
    (index.fields || []).forEach(function (name, i) { cols[name] = i; });
    var rows = Array.isArray(index.papers) ? index.papers : [];
    return rows.map(function (row, order) {
      var f = {};
      var h = {};
      var parts = [];
      FIELDS.forEach(function (name) {
        var v = cols[name] !== undefined ? row[cols[name]] : '';
        if (Array.isArray(v)) v = v.join(' ');
        v = v === null || v === undefined ? '' : String(v);
        f[name] = v;
        h[name] = norm(v);
        parts.push(h[name]);
      });
      // Fields joined by a character no query term holds: a match never spans two fields.
      return { f: f, h: h, all: parts.join('\n'), date: f.date, order: order };
    });
  }

  input.addEventListener('input', function (e) {
    if (e.isComposing) return;   // wait for the IME to finish the characters
    schedule();
  });
  input.addEventListener('compositionend', schedule);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
    remember(input.value);
    input.blur();   // on a phone: put the keyboard away to show the results
  });

  var initial = new URLSearchParams(location.search).get('q') || '';
  if (initial) input.value = initial;
  say('loading');

  fetch(script.getAttribute('data-index') || 'search.json', { credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then(function (index) {
      papers = prepare(index);
      run(input.value);
    })
    .catch(function () {
      failed = true;
      say('error');
    });
})();
