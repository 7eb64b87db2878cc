// "Finn ditt knutepunkt": the WAI-ARIA combobox pattern (list autocomplete) over finn/steder.json.
// Type an address ("Konnerudgata 12"), a street, a postcode or a place; arrow keys move through the
// suggestions, Enter chooses, Escape closes. The answer is the district's card, cloned from the
// <template> the build put in the page. Without JavaScript the A–Å and postcode pages answer.
(function () {
  "use strict";
  var root = document.querySelector("[data-finder]");
  if (!root) return;
  function t(key) { return root.getAttribute("data-t-" + key) || ""; }
  var input = root.querySelector("[role=combobox]");
  var list = root.querySelector("[role=listbox]");
  var status = root.querySelector("[role=status]");
  var answer = root.querySelector(".finder-answer");
  var data = null, options = [], active = -1, typed = "";

  function norm(s) {
    return s.toLowerCase().replace(/gt\./g, "gata").replace(/\s+/g, " ").trim().replace(/[ ,.]+$/, "");
  }
  // "Konnerudgata 12 B, 3045 Drammen" -> {name: "konnerudgata", number: 12}
  function parse(q) {
    var head = q.split(",")[0];
    var m = /^\s*(.*?\D)\s*(\d+)\s*([a-zæøå])?\s*$/i.exec(head);
    if (m && m[1].trim()) return {name: norm(m[1]), number: parseInt(m[2], 10)};
    return {name: norm(head), number: null};
  }
  function covers(p, n) {  // p = [district, postcode, from, to, side, numbers]
    if (n === null) return true;
    if (p[2] !== null && n < p[2]) return false;
    if (p[3] !== null && n > p[3]) return false;
    return p[4] === null || (n % 2 === 1) === (p[4] === "odd");
  }
  function fmt(s, k, v) { return s.replace("{" + k + "}", v); }
  function names(slugs) {
    return slugs.map(function (s) { return data.districts[s]; }).join(", ");
  }
  function unique(a) { return a.filter(function (x, i) { return a.indexOf(x) === i; }); }

  function suggest(q) {
    var out = [];
    if (/^\d{1,4}$/.test(q.trim())) {
      Object.keys(data.postcodes).forEach(function (code) {
        if (code.indexOf(q.trim()) === 0) out.push({label: fmt(t("postcode"), "c", code), districts: data.postcodes[code]});
      });
      return out.slice(0, 8);
    }
    var want = parse(q);
    if (!want.name) return out;
    var ranked = [];
    data.names.forEach(function (n) {
      var name = norm(n.n), rank = name === want.name ? 0 : name.indexOf(want.name) === 0 ? 1
        : (" " + name).indexOf(" " + want.name) >= 0 ? 2 : -1;
      if (rank >= 0) ranked.push([rank, n]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0]; });
    ranked.forEach(function (r) {
      var n = r[1];
      if (n.k === "place") {
        out.push({label: n.n + " (" + t("place") + ")", districts: unique(n.p.map(function (p) { return p[0]; }))});
        return;
      }
      var exact = n.p.filter(function (p) { return covers(p, want.number); });
      var parts = exact.length ? exact : n.p;
      if (want.number !== null && exact.length && norm(n.n) === want.name) {
        out.push({label: n.n + " " + want.number + (exact[0][1] ? ", " + exact[0][1] : ""),
          districts: unique(exact.map(function (p) { return p[0]; }))});
        return;
      }
      parts.forEach(function (p) {
        out.push({label: n.n + (p[1] ? ", " + p[1] : "") + (p[5] ? " " + t("no") + " " + p[5] : ""), districts: [p[0]]});
      });
    });
    return out.slice(0, 8);
  }

  function render() {
    list.textContent = "";
    options.forEach(function (o, i) {
      var li = document.createElement("li");
      li.id = "finder-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.textContent = o.label + " – " + names(o.districts);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    var open = options.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (active >= 0) input.setAttribute("aria-activedescendant", "finder-opt-" + active);
    else input.removeAttribute("aria-activedescendant");
  }
  function announce(text) { status.textContent = text; }
  function update() {
    typed = input.value;
    active = -1;
    options = typed.trim() ? suggest(typed) : [];
    render();
    if (!typed.trim()) announce("");
    else if (!options.length) announce(fmt(t("none"), "q", typed.trim()));
    else announce(options.length === 1 ? t("one") : fmt(t("many"), "n", String(options.length)));
  }
  function close() { options = []; active = -1; render(); }
  function choose(i) {
    var o = options[i];
    input.value = o.label;
    close();
    answer.textContent = "";
    var p = document.createElement("p");
    p.className = "finder-verdict";
    p.textContent = fmt(o.districts.length > 1 ? t("either") : t("yours"), "d", names(o.districts));
    answer.appendChild(p);
    o.districts.forEach(function (slug) {
      var tpl = document.getElementById("finder-card-" + slug);
      if (tpl) answer.appendChild(tpl.content.cloneNode(true));
    });
  }
  function move(step) {
    if (!options.length) { update(); return; }
    active = (active + step + options.length) % options.length;
    render();
    var el = document.getElementById("finder-opt-" + active);
    if (el && el.scrollIntoView) el.scrollIntoView({block: "nearest"});
  }

  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      if (active >= 0) { e.preventDefault(); choose(active); }
      else if (options.length === 1) { e.preventDefault(); choose(0); }
    } else if (e.key === "Escape") {
      if (options.length) { e.preventDefault(); close(); } else { input.value = ""; update(); }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 0); });

  fetch(root.dataset.finder).then(function (r) { return r.json(); }).then(function (json) {
    data = json;
    root.querySelector(".combo").hidden = false;
    if (input.value) update();
  }).catch(function () { /* the lists the page links to still answer */ });
})();
