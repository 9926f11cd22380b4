// Dates (Termine): small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Forms that need a confirmation (cancel a date, switch off the calendar subscription).
  document.querySelectorAll("form[data-events-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.eventsConfirm)) { event.preventDefault(); }
    });
  });

  // "All day" hides the time fields, which are then not needed.
  var allDay = document.getElementById("id_all_day");
  if (allDay) {
    var timeFields = document.querySelectorAll(".events-time");
    var sync = function () {
      timeFields.forEach(function (wrapper) { wrapper.hidden = allDay.checked; });
    };
    allDay.addEventListener("change", sync);
    sync();
  }

  // Places only matter when registration is switched on.
  var registration = document.getElementById("id_registration_enabled");
  var capacity = document.getElementById("id_capacity");
  if (registration && capacity) {
    var syncCapacity = function () { capacity.disabled = !registration.checked; };
    registration.addEventListener("change", syncCapacity);
    syncCapacity();
  }

  // Copy the subscription address; the result is announced in the live region.
  document.querySelectorAll("[data-events-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.eventsCopy);
      var live = document.getElementById("live-region");
      if (!input) { return; }
      var done = function () { if (live) { live.textContent = button.dataset.eventsCopied; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected for manual copy */ }
      }
    });
  });
})();
