// Staff area: small enhancements only; every page works without this file.
// The "Ångra" (undo) offer after logging disappears after a short while.
(function () {
  "use strict";

  function expireUndo(root) {
    root.querySelectorAll("[data-undo-expires]").forEach(function (notice) {
      var seconds = parseInt(notice.getAttribute("data-undo-expires"), 10) || 30;
      window.setTimeout(function () {
        var form = notice.querySelector(".undo-form");
        if (form) {
          form.remove();
        }
      }, seconds * 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    expireUndo(document);
  });
  document.addEventListener("htmx:load", function (event) {
    expireUndo(event.target);
  });
})();
