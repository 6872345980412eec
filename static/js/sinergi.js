/* Sinergi progressive enhancement. Everything works without this file; it only adds comfort.
   Loaded with `defer` from 'self' (strict CSP: no inline scripts, no eval, no on*= handlers).

   - <form data-confirm="Question?"> or <button data-confirm="…">: ask before submitting.
   - <button type="button" data-copy="#element-id" hidden>: copy the element's text or value.
   - <button type="button" data-print hidden>: print the page (print.css keeps only the essentials).
   - <button type="button" data-reveal="element-id" aria-controls="element-id" hidden>: toggle `hidden`.
   - <button type="button" data-reveal-password="input-id" hidden>: show/hide a password field.
   - Elements with [data-js-only][hidden] are shown once JS runs (the buttons above use it).
   - htmx: when a background request was redirected to the login page (session ended), load the
     login page instead of swapping it into a fragment, so sensitive content leaves the screen. */
(function () {
  "use strict";

  function showJsOnly(root) {
    root.querySelectorAll("[data-js-only][hidden]").forEach(function (el) {
      el.hidden = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(
      "button[data-copy], button[data-print], button[data-reveal], button[data-reveal-password]"
    );
    if (!button) {
      return;
    }
    if ("print" in button.dataset) {
      window.print();
    } else if (button.dataset.copy) {
      var source = document.querySelector(button.dataset.copy);
      if (!source || !navigator.clipboard) {
        return;
      }
      var text = "value" in source && source.value !== undefined ? source.value : source.textContent;
      navigator.clipboard.writeText(text.trim()).then(function () {
        var label = button.textContent;
        button.textContent = button.dataset.copied || label;
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    } else if (button.dataset.reveal) {
      var target = document.getElementById(button.dataset.reveal);
      if (target) {
        target.hidden = !target.hidden;
        button.setAttribute("aria-expanded", String(!target.hidden));
      }
    } else if (button.dataset.revealPassword) {
      var input = document.getElementById(button.dataset.revealPassword);
      if (input) {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", String(show));
      }
    }
  });

  // 422 = the form came back with validation errors: swap it in like a success so they are shown.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.responseURL) {
      return;
    }
    var landed = new URL(xhr.responseURL);
    var asked = new URL(event.detail.requestConfig.path, window.location.href);
    if (landed.pathname !== asked.pathname && landed.pathname.indexOf("/accounts/login/") === 0) {
      event.detail.shouldSwap = false;
      window.location.assign(landed.pathname + landed.search);
    }
  });

  document.addEventListener("htmx:load", function (event) {
    showJsOnly(event.detail.elt);
  });

  showJsOnly(document);
})();
