// Document uploads: drag and drop onto the file field, and an upload progress bar.
// Without JavaScript the same form posts normally; with it, the form is sent with
// XMLHttpRequest so the upload progress can be shown. The server answers such requests
// with JSON: {redirect} after success, {html} (the form with its errors) or {error}.
(function () {
  "use strict";
  var live = document.getElementById("live-region");

  function announce(text) {
    if (live) { live.textContent = text; }
  }

  function bind(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var selected = form.querySelector("[data-selected-files]");
    var progressBox = form.querySelector("[data-upload-progress]");
    var progress = progressBox ? progressBox.querySelector("progress") : null;
    var label = form.querySelector("[data-progress-label]");
    var submit = form.querySelector("[data-upload-submit]");
    var maxBytes = Number(form.dataset.maxBytes || 0);

    function showSelection() {
      if (!input || !selected) { return; }
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      selected.textContent = names.length ? form.dataset.msgSelected + " " + names.join(", ") : "";
    }

    function tooLarge() {
      if (!input || !maxBytes) { return null; }
      for (var i = 0; i < input.files.length; i += 1) {
        if (input.files[i].size > maxBytes) { return input.files[i].name + " " + form.dataset.msgTooLarge; }
      }
      return null;
    }

    function showError(text) {
      var box = form.querySelector("[data-upload-error]");
      if (!box) {
        box = document.createElement("div");
        box.className = "alert alert-danger";
        box.setAttribute("role", "alert");
        box.setAttribute("data-upload-error", "");
        form.prepend(box);
      }
      box.textContent = text;
      announce(text);
    }

    if (input) { input.addEventListener("change", showSelection); }
    if (zone && input) {
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("is-dragover");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
        if (input.multiple) {
          input.files = event.dataTransfer.files;
        } else {
          var transfer = new DataTransfer();
          transfer.items.add(event.dataTransfer.files[0]);
          input.files = transfer.files;
        }
        showSelection();
      });
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var problem = tooLarge();
      if (problem) { showError(problem); return; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      if (progressBox) { progressBox.hidden = false; }
      if (submit) { submit.disabled = true; }
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !progress) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        progress.value = percent;
        progress.dataset.percent = String(percent);
        if (label) { label.textContent = form.dataset.msgProgress.replace("{percent}", String(percent)); }
      });
      xhr.upload.addEventListener("load", function () {
        if (progress) { progress.value = 100; progress.dataset.percent = "100"; }
        if (label) { label.textContent = form.dataset.msgProcessing; }
        announce(form.dataset.msgProcessing);
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (ignore) { data = null; }
        if (data && data.redirect) { window.location.assign(data.redirect); return; }
        if (submit) { submit.disabled = false; }
        if (progressBox) { progressBox.hidden = true; }
        if (data && data.html) {
          var container = form.parentNode;
          var wrapper = document.createElement("div");
          wrapper.innerHTML = data.html;
          var fresh = wrapper.querySelector("form[data-upload-form]");
          container.replaceChild(fresh, form);
          bind(fresh);
          var firstError = fresh.querySelector(".is-invalid, .invalid-feedback, .alert-danger");
          if (firstError) { announce(firstError.textContent.trim()); }
          var focusTarget = fresh.querySelector(".is-invalid") || fresh.querySelector("input, select, textarea");
          if (focusTarget) { focusTarget.focus(); }
          return;
        }
        showError((data && data.error) || form.dataset.msgFailed);
      });
      xhr.addEventListener("error", function () {
        if (submit) { submit.disabled = false; }
        if (progressBox) { progressBox.hidden = true; }
        showError(form.dataset.msgFailed);
      });
      xhr.send(new FormData(form));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-form]"), bind);
})();
