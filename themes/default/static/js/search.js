// Search page on the Pagefind JS API: a small UI of our own, because the stock
// Default UI labels its input only by title and the Component UI fails contrast.
// The query lives in ?q= so searches are shareable links; the district portals'
// bundles are merged on the one-door-in page, so no second full index exists.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var FILTERS = ["municipality", "district", "type", "category", "audience", "language"];
  var PAGE = 10;
  var form = root.querySelector("form");
  var input = root.querySelector("#q");
  var statusEl = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var filtersEl = root.querySelector(".search-filters");
  var more = document.createElement("button");
  var suggestEl = document.createElement("p");
  root.querySelector(".search-nojs").hidden = true;
  var pagefind = null, selected = {}, results = [], shown = PAGE, lastQuery = "", lastExact = false;

  function t(key) { return root.getAttribute("data-t-" + key) || ""; }
  // A bundle on this site by its path; another site's (a region's members) by its full address.
  function dir(rel) {
    var u = new URL(rel, document.baseURI);
    return u.origin === location.origin ? u.pathname : u.href;
  }

  async function engine() {
    if (pagefind) return pagefind;
    var bundle = dir(root.dataset.bundle);
    var pf = await import(bundle + "pagefind.js");
    // A region labels each member's bundles with its municipality (a filter Pagefind adds to them).
    var labels = JSON.parse(root.dataset.mergeFilters || "{}");
    var label = function (b) { var m = labels[b]; return m ? {mergeFilter: {municipality: m}} : {}; };
    await pf.options(Object.assign({basePath: bundle, baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 24},
                                   label(root.dataset.bundle)));
    var merges = (root.dataset.merge || "").split(/\s+/).filter(Boolean);
    for (var i = 0; i < merges.length; i++) {
      var b = dir(merges[i]);
      await pf.mergeIndex(b, Object.assign({baseUrl: b.replace(/pagefind\/$/, "")}, label(merges[i])));
    }
    await pf.init();
    pagefind = pf;
    await buildFilters();
    return pf;
  }

  async function buildFilters() {
    // The build lists the values (data-filters); asking Pagefind would fetch every bundle's filter files.
    var listed = root.dataset.filters ? JSON.parse(root.dataset.filters) : null;
    var available = listed || await pagefind.filters();
    FILTERS.forEach(function (name) {
      var values = (listed ? (available[name] || []).slice() : Object.keys(available[name] || {}))
        .sort(function (a, b) { return a.localeCompare(b, "nb"); });
      if (values.length < 2) return;
      var wrap = document.createElement("div");
      var label = document.createElement("label");
      label.htmlFor = "filter-" + name;
      label.textContent = t(name);
      var select = document.createElement("select");
      select.id = "filter-" + name;
      select.appendChild(new Option(t("all"), ""));
      values.forEach(function (v) { select.appendChild(new Option(v, v)); });
      select.addEventListener("change", function () { selected[name] = select.value; run(lastQuery, lastExact); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      filtersEl.appendChild(wrap);
    });
  }

  // The result's hours, as the build wrote them (hub/time/hours.py: compact), read by site.js; nothing
  // before the first day or past the last (the build is too old to tell), or in another format (a
  // region member's older build wrote JSON).
  function todayHours(text) {
    var k = window.knutepunkt;
    return k && k.todayText ? k.todayText(text, t("today"), t("closed")) : "";  // an older site.js cached: none
  }

  // The page's hidden word list (keywords, compound parts) is indexed so that
  // "stasjon" finds "helsestasjon", but it is no text to show: cut it off the excerpt.
  function cleanExcerpt(html, words) {
    if (!words) return html;
    var plain = function (s) { return s.replace(/<\/?mark>/g, "").replace(/[.,:;!?]+$/, "").toLowerCase(); };
    var list = words.split(" ").map(plain);
    var toks = html.split(/\s+/).filter(Boolean);
    for (var k = Math.min(list.length, toks.length); k > 0; k--) {
      var ok = true;
      for (var i = 0; i < k && ok; i++) ok = plain(toks[toks.length - k + i]) === list[i];
      if (ok) { toks = toks.slice(0, toks.length - k); break; }
    }
    if (!toks.length || toks.every(function (x) { return list.indexOf(plain(x)) >= 0; })) return "";
    var kept = toks.join(" ");
    // Matched only in the word list: the page's own summary says more than a random stretch of text.
    return kept.indexOf("<mark>") >= 0 ? kept : "";
  }

  function item(d) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    // A region-level index points at the members' own pages (meta "link", http(s) only).
    a.href = /^https?:\/\//.test(d.meta.link || "") ? d.meta.link : d.url;
    a.textContent = d.meta.title;
    h.appendChild(a);
    li.appendChild(h);
    var facts = [d.meta.district, (d.filters.type || [])[0], todayHours(d.meta.hours)].filter(Boolean);
    if (facts.length) {
      var p = document.createElement("p");
      p.className = "meta";
      p.textContent = facts.join(" · ");
      li.appendChild(p);
    }
    var excerpt = cleanExcerpt(d.excerpt, d.meta.words);
    var body = document.createElement("p");
    if (excerpt) body.innerHTML = excerpt;  // Pagefind escapes page text; only <mark> is markup
    else body.textContent = d.meta.summary || "";
    li.appendChild(body);
    return li;
  }

  // --- forgiving search: synonyms, words that exist, corrections -------------------------
  // Pagefind matches every word of a query exactly (after stemming). Around it: the site's
  // synonyms are searched too, a query of several words falls back to the words that find
  // something, and a word the index does not know is corrected to the nearest word of the
  // index's own vocabulary: at once when that word is clearly the one meant, else suggested.
  var SYNONYMS = JSON.parse(root.dataset.synonyms || "{}");
  // Endings of inflected forms: "vaksinene" is "vaksine" + "ne", which Pagefind's stemmer finds.
  var ENDINGS = ["ene", "ane", "ens", "ets", "ers", "ne", "en", "et", "er", "ar", "a", "e", "s"];
  var vocabulary = null;
  // What the page says besides the count (kept for "show more", which renders again).
  var said = {notice: "", suggestion: "", correction: "", typed: ""};

  function words(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }
  function quote(ws) { return ws.map(function (w) { return "«" + w + "»"; }).join(" " + t("or") + " "); }

  // The pages that hold a word itself (after stemming): a quoted search, which neither extends the
  // word ("bibliotek" → "bibliotekfilial") nor falls back to a shorter word the index has.
  async function holding(w, filters) {
    var found = await (await engine()).search('"' + w.replace(/"/g, "") + '"', {filters: filters});
    return new Set(found.results.map(function (r) { return r.id; }));
  }

  // Each query's results merged, best first. Pagefind ranks a page that holds only a longer word no
  // lower than one holding the word typed, and a bundle that lacks a word falls back to a shorter
  // one it has: on the one door in, "åskollen" found "å" in every district's bundle but one, and
  // those pages came first. So pages holding more of the words themselves come first (``held``:
  // of each query's own words, or of ``all`` when the queries are the words of one query searched
  // alone), then Pagefind's score.
  async function searchAll(queries, filters, all) {
    var pf = await engine();
    var lists = await Promise.all(queries.map(function (q) { return pf.search(q, {filters: filters}); }));
    var counted = {};
    (all || [].concat.apply([], queries.map(words))).forEach(function (w) { counted[w] = null; });
    var found = lists.some(function (l) { return l.results.length; });
    await Promise.all(Object.keys(counted).map(async function (w) { counted[w] = found ? await holding(w, filters) : new Set(); }));
    var best = {};
    var better = function (a, b) { return b.held - a.held || b.score - a.score || (a.id < b.id ? -1 : 1); };
    lists.forEach(function (list, i) {
      var ws = all ? Object.keys(counted) : words(queries[i]);
      list.results.forEach(function (r) {
        r.held = ws.filter(function (w) { return counted[w].has(r.id); }).length;
        if (!best[r.id] || better(r, best[r.id]) < 0) best[r.id] = r;
      });
    });
    return Object.keys(best).map(function (k) { return best[k]; }).sort(better);
  }

  // A word's synonyms, also for an inflected form of the word listed: "trygdekontoret" as "trygdekontor".
  function synonymsOf(w) {
    if (SYNONYMS[w]) return SYNONYMS[w];
    var e = ENDINGS.filter(function (e) { return w.length - e.length >= 4 && w.slice(-e.length) === e && SYNONYMS[w.slice(0, -e.length)]; })[0];
    return e ? SYNONYMS[w.slice(0, -e.length)] : null;
  }

  // The query, and the query with each word that has synonyms put in their place.
  function variants(q) {
    var out = [q];
    words(q).forEach(function (w) {
      (synonymsOf(w) || []).forEach(function (s) {
        out.push(words(q).map(function (x) { return x === w ? s : x; }).join(" "));
      });
    });
    return out;
  }

  // The query with its synonyms; when no page has every word, the pages with the words that exist.
  async function forgiving(q, filters) {
    var tried = variants(q);
    var found = await searchAll(tried, filters);
    var notice = found.length && tried.length > 1 ? t("synonym").replace("{q}", tried.slice(1).join(", ")) : "";
    var parts = words(q);
    if (!found.length && parts.length > 1) {
      var alone = await Promise.all(parts.map(function (w) { return searchAll(variants(w), filters); }));
      var kept = parts.filter(function (w, i) { return alone[i].length > 0; });
      if (kept.length) {
        var alike = [].concat.apply([], kept.map(variants));
        found = await searchAll(alike, filters, [].concat.apply([], alike.map(words)));
        notice = t("fallback").replace("{q}", quote(kept));
      }
    }
    return {found: found, notice: notice};
  }

  // No word list (a region's page), or none to be had: every word is known, nothing is corrected.
  var NO_WORDS = {list: [], folded: [], known: {has: function () { return true; }}, places: {}};

  function loadVocabulary() {
    if (!vocabulary) {
      if (!root.dataset.words) return Promise.resolve(NO_WORDS);
      vocabulary = fetch(dir(root.dataset.words)).then(function (r) { return r.json(); }).then(function (d) {
        // The synonyms' own words are words people type too: "helsesøstr" is corrected to "helsesøster".
        var list = d.words.split(" ");
        Object.keys(SYNONYMS).forEach(function (w) { if (list.indexOf(w) < 0) list.push(w); });
        var folded = list.map(fold), places = {};
        Object.keys(d.places || {}).forEach(function (name) { places[fold(name)] = d.places[name]; });
        return {list: list, folded: folded, known: new Set(folded), places: places};
      }).catch(function () { return NO_WORDS; });
    }
    return vocabulary;
  }

  // Pagefind matches "apent" to "åpent" and "mjondalen" to "Mjøndalen": such a word is known.
  function fold(w) {
    return w.replace(/å/g, "a").replace(/ø/g, "o").replace(/æ/g, "ae").replace(/é/g, "e").replace(/ü/g, "u");
  }

  // A word to correct: a word of letters the index lacks, and no inflected form of a word it has.
  function unknown(w, vocab) {
    if (!/^[a-zæøåéü]{3,}$/.test(w) || vocab.known.has(fold(w)) || synonymsOf(w)) return false;
    return !ENDINGS.some(function (e) {
      return w.length - e.length >= 4 && w.slice(-e.length) === e && vocab.known.has(fold(w.slice(0, -e.length)));
    });
  }

  // Optimal string alignment distance (a swapped pair of letters counts once), stopping past max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        low = Math.min(low, cur[j]);
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  // The nearest known word (at most 1 edit for words of up to four letters, else 2; the commoner
  // word wins a tie), and whether it is clearly the one meant: the only word that near, the typed
  // word at least five letters long, one edit away (two from a word of eight letters or more), and
  // the same first letter. Short words are a letter away from many others: "bok" is not "bor".
  function nearest(word, vocab) {
    var max = word.length <= 4 ? 1 : 2, best = null, bestD = max + 1, ties = 0, plain = fold(word);
    for (var i = 0; i < vocab.list.length; i++) {  // most frequent first; "kfe" is one letter from "kafé"
      var d = distance(plain, vocab.folded[i], max);
      if (d < bestD) { best = vocab.list[i]; bestD = d; ties = 1; }
      else if (d === bestD && best !== null && vocab.folded[i] !== fold(best)) ties++;
    }
    var sure = best !== null && ties === 1 && word.length >= 5 && (bestD === 1 || word.length >= 8) &&
      fold(best)[0] === plain[0];  // few typos are in the first letter: "vinnes" is no "finnes"
    return {word: best, sure: sure};
  }

  // What Pagefind found for a query no page holds a word of: a longer word that starts with one of
  // them (the resident is still typing), or a shorter word it fell back to. That word is an answer
  // when it is most of the typed word ("frivillighetssentral" → "frivillighet"), not when it is a
  // letter or two ("garasje" on a district without building advice → "g…"): then nothing is found.
  function guesswork(first, parts, vocab) {
    if (!vocab.list.length || first.found.some(function (r) { return r.held; })) return first;
    var near = parts.some(function (w) {
      return vocab.list.some(function (v) {
        return v.lastIndexOf(w, 0) === 0 || (w.lastIndexOf(v, 0) === 0 && v.length >= Math.max(4, w.length / 2));
      });
    });
    return near ? first : {found: [], notice: ""};
  }

  // The query's unknown words corrected: its results at once when every correction is clearly
  // meant (the typed query stays one link away), else a suggestion; either only when the
  // corrected query finds more, finds another page first, or the typed query found only pages
  // that do not hold its words (Pagefind's prefix matching lets "helstasjon" find "helse-" pages,
  // so a count alone does not tell).
  async function correct(q, first, filters, exact) {
    var vocab = await loadVocabulary();
    var parts = words(q);
    var odd = parts.filter(function (w) { return unknown(w, vocab); });
    // The word list is made from the content, the index from the pages: a word the index holds is no typo.
    var held = await Promise.all(odd.map(function (w) { return holding(w, {}); }));
    odd = odd.filter(function (w, i) { return !held[i].size; });
    if (!odd.length) return first;
    var typed = guesswork(first, parts, vocab);
    var fixes = {};
    odd.forEach(function (w) { fixes[w] = nearest(w, vocab); });
    var better = parts.map(function (w) { return fixes[w] && fixes[w].word ? fixes[w].word : w; }).join(" ");
    if (better !== parts.join(" ")) {
      var alt = await forgiving(better, filters);
      var f = first.found, a = alt.found;
      var guessed = f.every(function (r) { return !r.held; });
      if (a.length && (guessed || a.length > f.length || a[0].id !== f[0].id)) {
        var sure = odd.every(function (w) { return !fixes[w].word || fixes[w].sure; });
        if (sure && !exact) return {found: a, notice: alt.notice, correction: better, typed: q};
        return {found: typed.found, notice: typed.notice, suggestion: better};
      }
    }
    // Pagefind leaves out words an index lacks: say so.
    var rest = parts.filter(function (w) { return odd.indexOf(w) < 0; });
    if (typed.found.length && rest.length && !typed.notice) return {found: typed.found, notice: t("fallback").replace("{q}", quote(rest))};
    return typed;
  }

  // A page named exactly what was typed comes first: its title, or — a district's front page — the
  // district's name, official name, alias, area or hub (ordliste.json: places). Pagefind has no such
  // rule: a plan titled "… sykkelvei Konnerud–Bragernes" came before Konnerud's front page for
  // "konnerud". Only the first page of results is looked at (their fragments are fetched to show them).
  async function namedFirst(found, q) {
    var vocab = await loadVocabulary();
    var name = fold(words(q).join(" "));
    var home = vocab.places[name] ? new URL(vocab.places[name], document.baseURI).pathname : null;
    var data = await Promise.all(found.slice(0, PAGE).map(function (r) { return r.data(); }));
    var i = data.findIndex(function (d) { return fold((d.meta.title || "").toLowerCase()) === name || d.url === home; });
    if (i > 0) found.unshift(found.splice(i, 1)[0]);
    return found;
  }

  function link(text, query, exact, onclick) {
    var a = document.createElement("a");
    a.href = "?q=" + encodeURIComponent(query) + (exact ? "&exact=1" : "");
    a.textContent = text;
    a.addEventListener("click", function (ev) { ev.preventDefault(); onclick(); });
    return a;
  }

  async function render(next) {
    if (next) said = next;
    var data = await Promise.all(results.slice(0, shown).map(function (r) { return r.data(); }));
    list.replaceChildren.apply(list, data.map(item));
    var n = results.length;
    var count = n === 0 ? t("none").replace("{q}", lastQuery) : n === 1 ? t("one") : t("results").replace("{n}", n);
    // The status says all of it to screen readers; the line under it says the same with a link in it.
    var sentence = said.correction ? t("corrected").replace("{q}", said.correction) + " " + t("instead").replace("{q}", said.typed)
      : said.suggestion ? t("suggest") + " «" + said.suggestion + "»?" : "";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = sentence;
    statusEl.replaceChildren([count, said.notice].filter(Boolean).join(" ") + (sentence ? " " : ""), hidden);
    suggestEl.replaceChildren();
    suggestEl.hidden = !sentence;
    if (said.correction) {
      var typed = said.typed, parts = t("instead").split("{q}");
      suggestEl.append(t("corrected").replace("{q}", said.correction) + " " + parts[0],
                       link(typed, typed, true, function () {
                         input.value = typed;
                         history.replaceState(null, "", "?q=" + encodeURIComponent(typed) + "&exact=1");
                         run(typed, true);
                       }), parts.slice(1).join("{q}"));
    } else if (said.suggestion) {
      var meant = said.suggestion;
      suggestEl.append(t("suggest") + " ", link(meant, meant, false, function () { input.value = meant; form.requestSubmit(); }), "?");
    }
    more.hidden = shown >= n;
  }

  async function run(q, exact) {
    lastQuery = q;
    lastExact = !!exact;
    var filters = {};
    Object.keys(selected).forEach(function (k) { if (selected[k]) filters[k] = selected[k]; });
    if (!q && !Object.keys(filters).length) {
      results = []; list.replaceChildren(); statusEl.textContent = ""; suggestEl.hidden = true; more.hidden = true;
      return;
    }
    root.setAttribute("aria-busy", "true");
    try {
      var outcome;
      if (!q) {
        var pf = await engine();
        outcome = {found: (await pf.search(null, {filters: filters})).results, notice: ""};
      } else {
        loadVocabulary();  // alongside the search: a correction is decided before anything is shown
        outcome = await correct(q, await forgiving(q, filters), filters, exact);
        outcome.found = await namedFirst(outcome.found, outcome.correction || q);
      }
      if (q !== lastQuery) return;  // a newer query is under way
      results = outcome.found;
      shown = PAGE;
      await render({notice: outcome.notice || "", suggestion: outcome.suggestion || "",
                    correction: outcome.correction || "", typed: outcome.typed || ""});
    } catch (err) {
      statusEl.textContent = t("unavailable");
    } finally {
      if (q === lastQuery) root.setAttribute("aria-busy", "false");
    }
  }

  more.type = "button";
  more.className = "more";
  more.hidden = true;
  more.textContent = t("more");
  more.addEventListener("click", function () { shown += PAGE; render(); });
  list.after(more);
  suggestEl.className = "search-suggest";
  suggestEl.hidden = true;
  statusEl.after(suggestEl);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    run(q);
  });
  // ?q=…&exact=1 (the link under a corrected search): what was typed, not corrected.
  var params = new URLSearchParams(location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  if (initial) run(initial, params.get("exact") === "1"); else engine().catch(function () {});
})();
