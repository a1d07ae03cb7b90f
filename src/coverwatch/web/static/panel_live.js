// Keeps the signed-in panel current without a reload: every few seconds the page is fetched
// again and the vendor list swapped in when it changed (a sub's upload, a lapse, an approval).
(function () {
  "use strict";
  var INTERVAL_MS = 4000;
  function refresh() {
    var current = document.querySelector("ul.vendors");
    var busy = document.activeElement && document.activeElement.closest("form");
    if (!current || busy || document.visibilityState !== "visible") return;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("ul.vendors");
        if (fresh && fresh.innerHTML !== current.innerHTML) current.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  window.setInterval(refresh, INTERVAL_MS);
})();
