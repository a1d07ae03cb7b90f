// Procore's side panel says where it is shown only by message: the panel asks with an
// `initialize` message to the Procore page that frames it, and Procore answers `setup` with
// context.company_id, project_id, id (the record) and view (its view key). The panel then loads
// itself for that record, so the server shows the sub the user is looking at. Messages count
// only from the framing page, and only when its origin is one of Procore's (or a configured
// extra frame ancestor).
(function () {
  "use strict";
  if (window.parent === window) return;
  var tag = document.getElementById("procore-context");
  var patterns = ((tag && tag.getAttribute("data-procore-origins")) || "").split(/\s+/);

  function allowed(origin) {
    return patterns.some(function (pattern) {
      if (!pattern || pattern.charAt(0) === "'") return false;
      var star = pattern.indexOf("://*.");
      if (star < 0) return origin === pattern.replace(/\/$/, "");
      var scheme = pattern.slice(0, star + 3);
      var suffix = pattern.slice(star + 4);
      return origin.indexOf(scheme) === 0 && origin.slice(-suffix.length) === suffix &&
        origin.length > scheme.length + suffix.length;
    });
  }

  var parentOrigin = "";
  try { parentOrigin = new URL(document.referrer).origin; } catch (error) { return; }
  if (!allowed(parentOrigin)) return;

  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    var data = event.data || {};
    if (data.type !== "setup" || !data.context) return;
    var context = data.context;
    var url = new URL(window.location.href);
    var wanted = {
      companyId: context.company_id, projectId: context.project_id,
      view: context.view, resourceId: context.id
    };
    var changed = false;
    Object.keys(wanted).forEach(function (key) {
      var value = wanted[key] === undefined || wanted[key] === null ? "" : String(wanted[key]);
      if (!value || url.searchParams.get(key) === value) return;
      url.searchParams.set(key, value);
      changed = true;
    });
    url.searchParams.delete("approved");
    if (changed) window.location.replace(url.toString());
  });
  window.parent.postMessage({ type: "initialize" }, parentOrigin);
})();
