// Keeps the dashboard's counts and "needs attention" list current without a reload; the review
// forms are left alone so that nothing typed is lost.
(function () {
  "use strict";
  var INTERVAL_MS = 5000;
  function refresh() {
    var live = document.getElementById("live");
    if (!live || document.visibilityState !== "visible") return;
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (fresh && fresh.innerHTML !== live.innerHTML) live.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* try again next time */ });
  }
  window.setInterval(refresh, INTERVAL_MS);
})();
