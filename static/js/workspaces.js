// Workspaces: ask before leaving a workspace, removing a member or deleting an announcement.
// Forms carry the question in data-confirm (no inline handlers: the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
