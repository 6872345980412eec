/* Sinergi progressive enhancement. Everything works without this file; it only adds comfort.
   Loaded with `defer` from 'self' (strict CSP: no inline scripts, no eval, no on*= handlers).

   - <button data-menu-toggle aria-controls="site-menu">: the phone header menu (class is-open).
   - <form data-confirm="Question?"> or <button data-confirm="…">: ask before submitting.
   - <button type="button" data-copy="#element-id" hidden>: copy the element's text or value.
   - <button type="button" data-print hidden>: print the page (print.css keeps only the essentials).
   - <button type="button" data-reveal="element-id" aria-controls="element-id" hidden>: toggle `hidden`.
   - <button type="button" data-reveal-password="input-id" hidden>: show/hide a password field.
   - Elements with [data-js-only][hidden] are shown once JS runs (the buttons above use it).
   - htmx: when a background request was redirected to the login page (session ended), load the
     login page instead of swapping it into a fragment, so sensitive content leaves the screen.
   - A form that came back with errors has a [data-error-summary]: the focus moves to it and the page
     title starts with "Error:" (the title prefix is in the summary's data-title-prefix).
   - Tables: every body cell gets data-label = its column header, so below 600 px (sinergi.css) each
     row reads as a card of "label: value" lines; templates may set data-label themselves. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function showJsOnly(root) {
    root.querySelectorAll("[data-js-only][hidden]").forEach(function (el) {
      el.hidden = false;
    });
  }

  // Capture phase, so that the question comes before htmx's own submit listener on the form
  // (hx-post): a dismissed question stops the event there and no request is sent.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  // The phone header menu (templates/partials/_header.html).
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("button[data-menu-toggle]");
    if (!toggle) {
      return;
    }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (menu) {
      var open = menu.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", String(open));
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

  function labelTables(root) {
    var tables = root.tagName === "TABLE" ? [root] : root.querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead tr:last-child th");
      if (!heads.length) {
        return;
      }
      var labels = [];
      Array.prototype.forEach.call(heads, function (th) {
        var span = parseInt(th.getAttribute("colspan") || "1", 10);
        for (var i = 0; i < span; i += 1) {
          labels.push(th.textContent.trim());
        }
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += parseInt(cell.getAttribute("colspan") || "1", 10);
        });
      });
    });
  }

  function focusErrorSummary(root) {
    var summary = root.querySelector ? root.querySelector("[data-error-summary]") : null;
    if (!summary && root.matches && root.matches("[data-error-summary]")) {
      summary = root;
    }
    if (!summary) {
      return;
    }
    var prefix = summary.dataset.titlePrefix;
    if (prefix && document.title.indexOf(prefix) !== 0) {
      document.title = prefix + " " + document.title;
    }
    summary.focus();
  }

  document.addEventListener("htmx:load", function (event) {
    showJsOnly(event.detail.elt);
    labelTables(event.detail.elt);
  });

  // After a swap the new content may carry an error summary (a 422 form): announce and focus it.
  // An action form opened on demand (cases/partials/_form_opener.html): focus its first field.
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.elt);
    var slot = event.detail.target;
    if (slot && slot.classList && slot.classList.contains("action-slot") && !slot.querySelector("[data-error-summary]")) {
      var first = slot.querySelector("input:not([type=hidden]), select, textarea, button");
      if (first) {
        first.focus();
      }
    }
  });

  showJsOnly(document);
  labelTables(document);
  focusErrorSummary(document);
  // A result shown after a full reload (the public status check without htmx) takes the focus.
  var answer = document.querySelector("[data-focus-on-load]");
  if (answer && !document.querySelector("[data-error-summary]")) {
    answer.focus();
  }
})();
