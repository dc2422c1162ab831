// Staff area: small enhancements only; every page works without this file.
// - The "Ångra" (undo) offer after logging disappears after a short while.
// - A log that fails (an error status, or no answer at all) says so in its row and keeps what
//   was typed: htmx 2 swaps nothing on an error, so the fields stay as they were. The message
//   comes from the form's data-failure-message (translated in the template).
// - Focus survives an htmx swap: when the element that had focus is replaced (the activity row
//   after "Logga" or "Ångra"), focus moves into the new row: to the first field with an error
//   (read with its message), else the row's message ("Registrerat …", "Ångrat."), else its
//   heading; never to <body>. The same for a failed log: focus goes to the failure message.
//   A keyboard or screen reader user then hears what happened and goes on from there.
(function () {
  "use strict";

  // The id of the swap target that held the focus when its request started (before htmx
  // disables the submit button, which drops the focus to <body>).
  var swappedWithFocus = null;

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
    // Nothing is swapped, but the disabled button dropped the focus: give it to the message.
    var active = document.activeElement;
    if (swappedWithFocus && (!active || active === document.body)) {
      focusMessage(message);
    }
    swappedWithFocus = null;
  }

  function rememberFocus(event) {
    var target = event.detail && event.detail.target;
    var active = document.activeElement;
    swappedWithFocus =
      target && target.id && active && target.contains(active) ? target.id : null;
  }

  function focusTarget(root) {
    // A field to correct first (its error is read with it: aria-describedby), then a message.
    var selectors = ["[aria-invalid=true]", "[role=alert]", "[role=status]", "h2, h3"];
    for (var i = 0; i < selectors.length; i++) {
      var found = root.querySelector(selectors[i]);
      if (found) {
        return found;
      }
    }
    return root;
  }

  function focusMessage(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      // Focusable by script only, not a stop on the Tab path.
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function restoreFocus() {
    var root = swappedWithFocus && document.getElementById(swappedWithFocus);
    swappedWithFocus = null;
    var active = document.activeElement;
    if (!root || (root.contains(active) && active !== root)) {
      return;
    }
    focusMessage(focusTarget(root));
  }

  document.addEventListener("DOMContentLoaded", function () {
    expireUndo(document);
  });
  document.addEventListener("htmx:load", function (event) {
    expireUndo(event.target);
  });
  document.addEventListener("htmx:beforeRequest", rememberFocus);
  document.addEventListener("htmx:afterSettle", restoreFocus);
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
