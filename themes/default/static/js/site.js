// "Åpent nå / Stengt – åpner …": computed in the browser from the day list the
// build embedded (holidays and exceptions already applied), so the badge stays
// right between builds. Without JavaScript the hours table is the fallback.
(function () {
  "use strict";
  function wallClock(tz) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"}).formatToParts(new Date())
      .forEach(function (p) { parts[p.type] = p.value; });
    return {date: parts.year + "-" + parts.month + "-" + parts.day, hm: parts.hour + ":" + parts.minute};
  }
  // Norwegian writes 12.00 (Språkrådet); other languages 12:00.
  function clock(hm, lang) { return /^(nb|nn|no)\b/.test(lang) ? hm.replace(":", ".") : hm; }
  function weekday(date, lang) {
    return new Intl.DateTimeFormat(lang, {weekday: "long", timeZone: "UTC"}).format(new Date(date + "T12:00:00Z"));
  }
  // The build's days (hub/time/hours.py: compact): "2026-11-23 Europe/Oslo 09:00-16:00*5 -*2 …",
  // a day or a run of equal days each, "-" closed. → {tz, days: {"2026-11-23": [["09:00", "16:00"]], …}}
  function hours(text) {
    if (!/^\d{4}-\d\d-\d\d [\w\/+-]+( |$)/.test(text || "")) return null;
    var parts = text.split(" "), days = {}, d = new Date(parts[0] + "T12:00:00Z");
    for (var i = 2; i < parts.length; i++) {
      var run = parts[i].split("*"), n = run.length > 1 ? Number(run[1]) : 1;
      var ranges = run[0] === "-" ? [] : run[0].split(",").map(function (r) { return r.split("-"); });
      for (var k = 0; k < n; k++) { days[d.toISOString().slice(0, 10)] = ranges; d.setUTCDate(d.getUTCDate() + 1); }
    }
    return {tz: parts[1], days: days};
  }
  function update(el) {
    var data = hours(el.getAttribute("data-hours"));
    if (!data) { el.hidden = true; return; }
    var lang = document.documentElement.lang || "nb";
    var now = wallClock(data.tz);
    var today = data.days[now.date];
    if (!today) { el.hidden = true; return; }
    var i, r;
    // A range that ends before it starts runs past midnight: yesterday's may still be open.
    var before = new Date(now.date + "T12:00:00Z");
    before.setUTCDate(before.getUTCDate() - 1);
    var yesterday = (data.days[before.toISOString().slice(0, 10)] || []).filter(function (x) { return x[1] < x[0]; });
    var open = yesterday.filter(function (x) { return now.hm < x[1]; }).concat(today.filter(function (x) {
      return x[1] < x[0] ? x[0] <= now.hm : x[0] <= now.hm && now.hm < x[1];
    }));
    if (open.length) {
      r = open[0];
      el.textContent = el.dataset.open + " – " + el.dataset.closes + " " + clock(r[1], lang);
      el.className = "badge is-open"; el.hidden = false; return;
    }
    var dates = Object.keys(data.days).sort();
    for (i = 0; i < dates.length; i++) {
      if (dates[i] < now.date) continue;
      var ranges = data.days[dates[i]];
      for (var j = 0; j < ranges.length; j++) {
        if (dates[i] > now.date || ranges[j][0] > now.hm) {
          var when = dates[i] === now.date ? "" : weekday(dates[i], lang) + " ";
          el.textContent = el.dataset.closed + " – " + el.dataset.opens + " " + when + clock(ranges[j][0], lang);
          el.className = "badge is-closed"; el.hidden = false; return;
        }
      }
    }
    el.textContent = el.dataset.closed;
    el.className = "badge is-closed"; el.hidden = false;
  }
  // "I dag: 08.30–15.30" from a day list, on the reader's own day; "" when the list does not cover it.
  function todayText(text, label, closed) {
    var data = hours(text), day = data ? data.days[wallClock(data.tz).date] : undefined;
    if (day === undefined) return "";
    var lang = document.documentElement.lang || "nb";
    var shown = day.map(function (r) { return clock(r[0], lang) + "–" + clock(r[1], lang); }).join(", ");
    return label + " " + (shown || closed);
  }
  function todayLine(el) {
    el.textContent = todayText(el.dataset.todayHours, el.dataset.label, el.dataset.closed);
    el.hidden = !el.textContent;
  }
  // A plan's deadline, counted from the reader's own day in the site's zone (hub/time/planning.py
  // says the same at build time): "… – 23 dager igjen", "… – fristen er i dag", "Fristen … gikk ut …".
  function deadline(el) {
    var today = wallClock(el.dataset.tz).date;
    var days = Math.round((Date.parse(el.dataset.deadline + "T12:00:00Z") - Date.parse(today + "T12:00:00Z")) / 864e5);
    el.textContent = days > 0 ? el.dataset.open + (days === 1 ? el.dataset.one : el.dataset.many.replace("{n}", days))
      : days === 0 ? el.dataset.today : el.dataset.passed;
    el.className = "deadline deadline-" + (days > 0 ? "open" : days === 0 ? "today" : "passed");
  }
  // Days listed from Monday (hours this week and next, the programme): the build makes a page once a
  // week, the reader's own day marks today and hides the days that have passed (unless all have: a
  // page read long after its build shows what it has, each day with its date); a list with
  // data-show keeps that many entries. Without JavaScript every day shows, each with its date.
  function days() {
    document.querySelectorAll("[data-tz]").forEach(function (box) {
      var items = box.querySelectorAll("[data-day]");
      if (!items.length) return;
      var today = wallClock(box.dataset.tz).date;
      var ahead = Array.prototype.some.call(items, function (el) { return el.dataset.day >= today; });
      items.forEach(function (el) {
        el.hidden = ahead && el.dataset.day < today;
        el.classList.toggle("today", el.dataset.day === today);
      });
    });
    document.querySelectorAll("[data-show]").forEach(function (list) {
      var left = Number(list.dataset.show);
      list.querySelectorAll(":scope > li:not([hidden])").forEach(function (day) {
        var items = day.querySelectorAll("li");
        items.forEach(function (x) { x.hidden = left <= 0; left -= 1; });
        day.hidden = !Array.prototype.some.call(items, function (x) { return !x.hidden; });
      });
    });
  }
  function all() {
    days();
    document.querySelectorAll("[data-hours]").forEach(update);
    document.querySelectorAll("[data-today-hours]").forEach(todayLine);
    document.querySelectorAll("[data-deadline]").forEach(deadline);
  }
  // "Skriv ut" on the poster: a button only where JavaScript can print.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // Shared with search.js (today's hours in results).
  window.knutepunkt = {wallClock: wallClock, clock: clock, hours: hours, todayText: todayText};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all); else all();
  setInterval(all, 60000);
})();
