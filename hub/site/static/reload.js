// Preview only: reload the page when the content or theme changes on disk.
// Long polling: the server answers as soon as the version differs from the one we know.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.src.replace(/reload\.js.*$/, "version");
  // The version this page was rendered from: a save between rendering and the first poll still reloads.
  var shown = new URL(script.src).searchParams.get("v");
  var known = shown === null ? null : Number(shown);
  function poll() {
    fetch(url + (known === null ? "" : "?known=" + known), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (known !== null && d.version !== known) { location.reload(); return; }
        known = d.version;
        poll();
      })
      .catch(function () { setTimeout(poll, 1500); });
  }
  poll();
})();
