// Live progress of an import: the page is fetched again every second and its progress shown;
// once the import moves on (read, or tracking started) the whole page is loaded afresh.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;
  var state = live.getAttribute("data-state");
  function refresh() {
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) return;
        if (fresh.getAttribute("data-state") !== state) { window.location.reload(); return; }
        live.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* try again next time */ });
  }
  window.setInterval(refresh, 1000);
})();
