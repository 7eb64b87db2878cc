// A search page in another language (/pl/sok/) searches that language's own bundle (search.js);
// this script answers the same query from the portal's Norwegian bundles too, apart, under a
// heading of its own, with a link to the Norwegian search page. It is a second Pagefind instance:
// each bundle's pagefind.js is a module of its own, so the two never mix their indexes.
(function () {
  "use strict";
  var box = document.getElementById("search-also");
  var root = document.getElementById("search");
  if (!box || !root) return;
  var form = root.querySelector("form");
  var input = root.querySelector("#q");
  var list = box.querySelector("ol");
  var status = box.querySelector(".search-also-status");
  var all = box.querySelector(".search-also-all");
  var SHOWN = 5;
  var pagefind = null;

  function t(key) { return box.getAttribute("data-t-" + key) || ""; }
  function dir(rel) {
    var u = new URL(rel, document.baseURI);
    return u.origin === location.origin ? u.pathname : u.href;
  }

  async function engine() {
    if (pagefind) return pagefind;
    var bundle = dir(box.dataset.bundle);
    var pf = await import(bundle + "pagefind.js");
    await pf.options({basePath: bundle, baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 20});
    var merges = (box.dataset.merge || "").split(/\s+/).filter(Boolean);
    for (var i = 0; i < merges.length; i++) {
      var b = dir(merges[i]);
      // The page is not in Norwegian: ask for the Norwegian index by name.
      await pf.mergeIndex(b, {baseUrl: b.replace(/pagefind\/$/, ""), language: box.dataset.language});
    }
    await pf.init();
    pagefind = pf;
    return pf;
  }

  async function run(q) {
    q = q.trim();
    box.hidden = !q;
    if (!q) return;
    all.href = box.dataset.page + "?q=" + encodeURIComponent(q);
    try {
      var pf = await engine();
      var found = await pf.search(q);
      if (input.value.trim() !== q) return;  // a newer query is on its way
      var data = await Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); }));
      list.replaceChildren.apply(list, data.map(function (d) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = d.meta.title;
        var p = document.createElement("p");
        p.textContent = d.meta.summary || "";
        li.append(a, p);
        return li;
      }));
      var n = found.results.length;
      status.textContent = n === 0 ? t("none") : n === 1 ? t("one") : t("results").replace("{n}", n);
      all.hidden = n === 0;
    } catch (e) {
      status.textContent = t("unavailable");
    }
  }

  form.addEventListener("submit", function () { run(input.value); });
  run(new URLSearchParams(location.search).get("q") || "");
})();
