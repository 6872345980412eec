/* Satgas intake draft: htmx saves the form on the server as it is typed (hx-post on the form).
   This file only covers a dropped connection: it says so, and saves again when the phone is back
   online. Nothing is kept in the browser's storage: a lost phone must not expose a child.
   Loaded with `defer` from 'self' (strict CSP: no inline scripts, no on*= handlers). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-form]");
  if (!form) {
    return;
  }
  var status = document.getElementById("draft-status");
  var unsaved = false;

  function say(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === form) {
      unsaved = true;
      say(form.dataset.offlineText);
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.elt === form && event.detail.xhr && event.detail.xhr.status >= 500) {
      unsaved = true;
      say(form.dataset.errorText);
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) {
      unsaved = false;
    }
  });

  window.addEventListener("online", function () {
    if (unsaved && window.htmx) {
      window.htmx.trigger(form, "change");
    }
  });
})();
