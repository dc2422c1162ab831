// Staff area: small enhancements only; every page works without this file.
// - The "Ångra" (undo) offer after logging disappears after a short while.
// - A log that fails (an error status, or no answer at all) says so in its row and keeps what
//   was typed: htmx 2 swaps nothing on an error, so the fields stay as they were. The message
//   comes from the form's data-failure-message (translated in the template).
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

  function showFailure(event) {
    var source = event.detail && event.detail.elt;
    var form = source && source.closest ? source.closest("form[data-failure-message]") : null;
    if (!form) {
      return;
    }
    var old = form.querySelector(".log-failure");
    if (old) {
      // A new element, so a screen reader announces the message again on a second failure.
      old.remove();
    }
    var message = document.createElement("p");
    message.className = "form-errors log-failure";
    message.setAttribute("role", "alert");
    message.textContent = form.getAttribute("data-failure-message");
    form.insertBefore(message, form.querySelector(".log-line"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    expireUndo(document);
  });
  document.addEventListener("htmx:load", function (event) {
    expireUndo(event.target);
  });
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
