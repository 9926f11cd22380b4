// Warns five minutes before a persistent session expires (WCAG 2.2.1 Timing Adjustable) and
// lets the member extend it. The dialog takes focus because it needs an answer.
(function () {
  "use strict";
  var seconds = parseInt(document.body.dataset.sessionSeconds || "", 10);
  var dialog = document.getElementById("session-timeout");
  if (!seconds || !dialog || typeof dialog.showModal !== "function") { return; }
  var WARN_BEFORE = 300;
  var MAX_DELAY = 2147483647;
  var form = dialog.querySelector("form");
  var timer = null;

  function schedule(lifetime) {
    window.clearTimeout(timer);
    timer = window.setTimeout(show, Math.min(Math.max(lifetime - WARN_BEFORE, 0) * 1000, MAX_DELAY));
  }

  function show() {
    if (!dialog.open) { dialog.showModal(); }
    var extend = dialog.querySelector("[data-session-extend]");
    if (extend) { extend.focus(); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (response.status === 204) {
        dialog.close();
        schedule(seconds);
      } else {
        window.location.reload();
      }
    });
  });

  dialog.querySelector("[data-session-dismiss]").addEventListener("click", function () { dialog.close(); });
  schedule(seconds);
})();
