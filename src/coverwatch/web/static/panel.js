// The panel's only script: open sign-in in a popup (Procore's frame cannot show it) and, when the
// popup reports success, post its hand-off token back to us from inside the frame, so that the
// session cookie is also set where third-party cookies are blocked (a partitioned cookie).
(function () {
  "use strict";
  var button = document.getElementById("signin-button");
  var form = document.getElementById("handoff-form");
  if (!button || !form) return;
  button.addEventListener("click", function (event) {
    var next = form.elements.next.value;
    var url = button.getAttribute("data-popup") + "&next=" + encodeURIComponent(next);
    var popup = window.open(url, "coverwatch-signin", "popup,width=460,height=620");
    if (popup) event.preventDefault();
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin) return;
    var data = event.data || {};
    if (data.type !== "coverwatch:signed-in" || typeof data.handoff !== "string") return;
    form.elements.handoff.value = data.handoff;
    form.submit();
  });
  // A click before this script ran opened the sign-in window as a plain link: such a window
  // cannot close itself after its form is sent. Tests and scripts wait for this mark.
  document.documentElement.setAttribute("data-panel-ready", "1");
})();
