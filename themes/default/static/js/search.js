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
  var pagefind = null, selected = {}, results = [], shown = PAGE, lastQuery = "";

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
      select.addEventListener("change", function () { selected[name] = select.value; run(lastQuery); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      filtersEl.appendChild(wrap);
    });
  }

  // The result's hours, as the build wrote them (hub/time/hours.py: compact), read by site.js.
  function todayHours(text) {
    var k = window.knutepunkt, data = k && k.hours(text);
    // Not this format (a region member's older build wrote JSON): nothing, rather than an error.
    var day = data ? data.days[k.wallClock(data.tz).date] : undefined;
    if (day === undefined) return "";  // before the first day or past the last: the build is too old to tell
    var lang = document.documentElement.lang;
    var shown = day.map(function (r) { return k.clock(r[0], lang) + "–" + k.clock(r[1], lang); }).join(", ");
    return t("today") + " " + (shown || t("closed"));
  }

  // The page's hidden word list (keywords, compound parts) is indexed so that
  // "stasjon" finds "helsestasjon", but it is no text to show: cut it off the excerpt.
  function cleanExcerpt(html, words) {
    if (!words) return html;
    var list = words.split(" ");
    var plain = function (s) { return s.replace(/<\/?mark>/g, "").replace(/[.,:;!?]+$/, "").toLowerCase(); };
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

  async function render(notice, suggestion) {
    var data = await Promise.all(results.slice(0, shown).map(function (r) { return r.data(); }));
    list.replaceChildren.apply(list, data.map(item));
    var n = results.length;
    var text = n === 0 ? t("none").replace("{q}", lastQuery) : n === 1 ? t("one") : t("results").replace("{n}", n);
    if (notice !== undefined) { noticeText = notice; suggestText = suggestion || ""; }
    statusEl.textContent = [text, noticeText, suggestText ? t("suggest") + " «" + suggestText + "»?" : ""]
      .filter(Boolean).join(" ");
    suggestEl.replaceChildren();
    suggestEl.hidden = !suggestText;
    if (suggestText) {
      var a = document.createElement("a");
      a.href = "?q=" + encodeURIComponent(suggestText);
      a.textContent = suggestText;
      a.addEventListener("click", function (ev) { ev.preventDefault(); input.value = suggestText; form.requestSubmit(); });
      suggestEl.append(t("suggest") + " ", a, "?");
    }
    more.hidden = shown >= n;
  }

  // --- forgiving search: synonyms, words that exist, "Mente du …?" -------------------------
  // Pagefind matches every word of a query exactly (after stemming). Around it: the site's
  // synonyms are searched too, a query of several words falls back to the words that find
  // something, and an unknown word gets the nearest word of the index's own vocabulary.
  var SYNONYMS = JSON.parse(root.dataset.synonyms || "{}");
  var vocabulary = null, noticeText = "", suggestText = "";

  function words(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }

  async function searchAll(queries, filters) {
    var pf = await engine();
    var lists = await Promise.all(queries.map(function (q) { return pf.search(q, {filters: filters}); }));
    var best = {};
    lists.forEach(function (found) {
      found.results.forEach(function (r) { if (!best[r.id] || best[r.id].score < r.score) best[r.id] = r; });
    });
    return Object.keys(best).map(function (k) { return best[k]; })
      .sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : 1); });
  }

  // The query, and the query with each word that has synonyms put in their place.
  function variants(q) {
    var out = [q];
    words(q).forEach(function (w) {
      (SYNONYMS[w] || []).forEach(function (s) {
        out.push(words(q).map(function (x) { return x === w ? s : x; }).join(" "));
      });
    });
    return out;
  }

  async function loadVocabulary() {
    if (!vocabulary) {
      if (!root.dataset.words) return Promise.resolve({list: [], known: {has: function () { return true; }}});
      vocabulary = fetch(dir(root.dataset.words)).then(function (r) { return r.json(); }).then(function (d) {
        var list = d.words.split(" ");
        return {list: list, known: new Set(list.map(fold))};
      });
    }
    return vocabulary;
  }

  // Pagefind matches "apent" to "åpent" and "mjondalen" to "Mjøndalen": such a word is known.
  function fold(w) {
    return w.replace(/å/g, "a").replace(/ø/g, "o").replace(/æ/g, "ae").replace(/é/g, "e").replace(/ü/g, "u");
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

  function nearest(word, vocab) {
    var max = word.length <= 4 ? 1 : 2, best = null, bestD = max + 1;
    for (var i = 0; i < vocab.list.length; i++) {  // most frequent first: ties go to the commoner word
      var d = distance(word, vocab.list[i], max);
      if (d < bestD) { best = vocab.list[i]; bestD = d; if (d === 1) break; }
    }
    return best;
  }

  async function run(q) {
    lastQuery = q;
    var filters = {};
    Object.keys(selected).forEach(function (k) { if (selected[k]) filters[k] = selected[k]; });
    if (!q && !Object.keys(filters).length) {
      results = []; list.replaceChildren(); statusEl.textContent = ""; suggestEl.hidden = true; more.hidden = true;
      return;
    }
    try {
      if (!q) {
        var pf = await engine();
        results = (await pf.search(null, {filters: filters})).results;
        shown = PAGE;
        return await render("", "");
      }
      var tried = variants(q);
      var found = await searchAll(tried, filters);
      var notice = found.length && tried.length > 1 ? t("synonym").replace("{q}", tried.slice(1).join(", ")) : "";
      var parts = words(q);
      var quote = function (ws) { return ws.map(function (w) { return "«" + w + "»"; }).join(" " + t("or") + " "); };
      if (!found.length && parts.length > 1) {  // no page has every word: show pages with the words that exist
        var alone = await Promise.all(parts.map(function (w) { return searchAll(variants(w), filters); }));
        var kept = parts.filter(function (w, i) { return alone[i].length > 0; });
        if (kept.length) {
          found = await searchAll([].concat.apply([], kept.map(variants)), filters);
          notice = t("fallback").replace("{q}", quote(kept));
        }
      }
      if (q !== lastQuery) return;  // a newer query is under way
      results = found;
      shown = PAGE;
      await render(notice, "");
      // Then, without holding up the results: a word the index does not know is likely a typo.
      // Suggest the nearest known word when the corrected query finds more, or finds something
      // else first (Pagefind's prefix matching lets "helstasjon" find "helse-" pages, so a count
      // alone does not tell). Pagefind leaves out words an index lacks: say so.
      var vocab = await loadVocabulary();
      var unknown = parts.filter(function (w) {
        return /^[a-zæøåéü]{3,}$/.test(w) && !vocab.known.has(fold(w)) && !SYNONYMS[w];
      });
      if (!unknown.length) return;
      var better = parts.map(function (w) { return unknown.indexOf(w) >= 0 ? (nearest(w, vocab) || w) : w; }).join(" ");
      var suggestion = "";
      if (better !== parts.join(" ")) {
        var alt = await searchAll(variants(better), filters);
        if (alt.length > found.length || (alt.length && found.length && alt[0].id !== found[0].id)) suggestion = better;
      }
      var rest = parts.filter(function (w) { return unknown.indexOf(w) < 0; });
      if (!suggestion && found.length && rest.length && !notice) notice = t("fallback").replace("{q}", quote(rest));
      if (q !== lastQuery) return;
      if (suggestion || notice) await render(notice, suggestion);
    } catch (err) {
      statusEl.textContent = t("unavailable");
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
  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  if (initial) run(initial); else engine().catch(function () {});
})();
