// After sign-in: in a popup, tell the panel that opened us (same origin only) and close;
// otherwise go on to the page that asked for sign-in.
(function () {
  "use strict";
  var done = document.getElementById("signed-in");
  if (!done) return;
  var message = { type: "coverwatch:signed-in", handoff: done.getAttribute("data-handoff") };
  if (window.opener && !window.opener.closed) {
    try {
      window.opener.postMessage(message, window.location.origin);
    } catch (e) {
      // The opener navigated elsewhere: nothing to tell.
    }
    window.close();
    // A window the page did not open by script may not close itself: say so instead.
    window.setTimeout(function () {
      var text = done.querySelector("p");
      if (text) text.textContent = "You are signed in. You can close this window now.";
    }, 500);
  } else {
    window.location.replace(done.getAttribute("data-next") || "/procore/panel");
  }
})();
