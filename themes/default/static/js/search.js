// Search page on the Pagefind JS API: a small UI of our own, because the stock
// Default UI labels its input only by title and the Component UI fails contrast.
// The query lives in ?q= so searches are shareable links; the district portals'
// bundles are merged on the one-door-in page, so no second full index exists.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var FILTERS = ["district", "type", "category", "audience"];
  var PAGE = 10;
  var form = root.querySelector("form");
  var input = root.querySelector("#q");
  var statusEl = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var filtersEl = root.querySelector(".search-filters");
  var more = document.createElement("button");
  root.querySelector(".search-nojs").hidden = true;
  var pagefind = null, selected = {}, results = [], shown = PAGE, lastQuery = "";

  function t(key) { return root.getAttribute("data-t-" + key) || ""; }
  function dir(rel) { return new URL(rel, document.baseURI).pathname; }

  async function engine() {
    if (pagefind) return pagefind;
    var bundle = dir(root.dataset.bundle);
    var pf = await import(bundle + "pagefind.js");
    await pf.options({basePath: bundle, baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 24});
    var merges = (root.dataset.merge || "").split(/\s+/).filter(Boolean);
    for (var i = 0; i < merges.length; i++) {
      var b = dir(merges[i]);
      await pf.mergeIndex(b, {baseUrl: b.replace(/pagefind\/$/, "")});
    }
    await pf.init();
    pagefind = pf;
    await buildFilters();
    return pf;
  }

  async function buildFilters() {
    var available = await pagefind.filters();
    FILTERS.forEach(function (name) {
      var values = Object.keys(available[name] || {}).sort(function (a, b) { return a.localeCompare(b, "nb"); });
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

  function todayHours(json) {
    if (!json || !window.knutepunkt) return "";
    var data = JSON.parse(json);
    var now = window.knutepunkt.wallClock(data.tz);
    var ranges = data.days[now.date];
    if (!ranges) return "";
    var lang = document.documentElement.lang;
    var text = ranges.map(function (r) {
      return window.knutepunkt.clock(r[0], lang) + "–" + window.knutepunkt.clock(r[1], lang);
    }).join(", ");
    return t("today") + " " + (text || t("closed"));
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
    a.href = d.url;
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

  async function render() {
    var data = await Promise.all(results.slice(0, shown).map(function (r) { return r.data(); }));
    list.replaceChildren.apply(list, data.map(item));
    var n = results.length;
    statusEl.textContent = n === 0 ? t("none").replace("{q}", lastQuery) : n === 1 ? t("one") : t("results").replace("{n}", n);
    more.hidden = shown >= n;
  }

  async function run(q) {
    lastQuery = q;
    var filters = {};
    Object.keys(selected).forEach(function (k) { if (selected[k]) filters[k] = selected[k]; });
    if (!q && !Object.keys(filters).length) { results = []; list.replaceChildren(); statusEl.textContent = ""; more.hidden = true; return; }
    try {
      var pf = await engine();
      var found = await pf.search(q || null, {filters: filters});
      if (q !== lastQuery) return;  // a newer query is under way
      results = found.results;
      shown = PAGE;
      await render();
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
