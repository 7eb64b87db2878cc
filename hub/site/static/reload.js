// Preview only: reload the page when the content or theme changes on disk.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.src.replace(/reload\.js.*$/, "version");
  var known = null;
  function poll() {
    fetch(url, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (d) {
      if (known !== null && d.version !== known) { location.reload(); return; }
      known = d.version;
      setTimeout(poll, 400);
    }).catch(function () { setTimeout(poll, 1500); });
  }
  poll();
})();
