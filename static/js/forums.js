// Forums: keyboard navigation between posts (j/k/r/o), focus on permalinks, and @mention
// autocomplete. Everything works without this file; it only adds comfort.
(function () {
  "use strict";

  var live = document.getElementById("live-region");
  function announce(text) { if (live) { live.textContent = text; } }

  // --- Keyboard navigation -------------------------------------------------------------
  function posts() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-post]"), function (post) {
      return post.offsetParent !== null; // skip posts inside collapsed branches
    });
  }

  function isTyping(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function focusPost(post) {
    if (!post) { return; }
    post.focus({ preventScroll: true });
    post.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function currentIndex(list) {
    var active = document.activeElement && document.activeElement.closest ? document.activeElement.closest("[data-post]") : null;
    if (active) { return list.indexOf(active); }
    for (var i = 0; i < list.length; i++) {
      if (list[i].getBoundingClientRect().top >= 0) { return i - 1; }
    }
    return list.length - 1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) { return; }
    var list = posts();
    if (!list.length) { return; }
    var index = currentIndex(list);
    var current = index >= 0 ? list[index] : null;
    if (event.key === "j") {
      event.preventDefault();
      focusPost(list[Math.min(index + 1, list.length - 1)]);
    } else if (event.key === "k") {
      event.preventDefault();
      focusPost(list[Math.max(index - 1, 0)]);
    } else if (event.key === "r" && current && current.dataset.replyUrl) {
      event.preventDefault();
      window.location.href = current.dataset.replyUrl;
    } else if (event.key === "o" && current) {
      var branch = current.parentElement ? current.parentElement.querySelector(":scope > details[data-branch]") : null;
      if (branch) {
        event.preventDefault();
        branch.open = !branch.open;
      }
    }
  });

  function openAncestors(element) {
    var node = element.parentElement;
    while (node) {
      if (node.tagName === "DETAILS") { node.open = true; }
      node = node.parentElement;
    }
  }

  function focusHash() {
    if (!/^#post-\d+$/.test(window.location.hash)) { return; }
    var post = document.getElementById(window.location.hash.slice(1));
    if (post) {
      openAncestors(post);
      post.focus({ preventScroll: true });
      post.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", focusHash);
  focusHash();

  // --- @mention autocomplete -----------------------------------------------------------
  var messages = {
    de: { none: "Keine passenden Mitglieder.", found: " Vorschläge. Mit Pfeiltasten wählen, Eingabetaste übernimmt.", list: "Mitglieder zum Erwähnen" },
    en: { none: "No matching members.", found: " suggestions. Use the arrow keys, Enter inserts.", list: "Members to mention" }
  };
  var text = messages[(document.documentElement.lang || "de").slice(0, 2)] || messages.de;
  var counter = 0;

  function setupMentions(textarea) {
    var url = textarea.dataset.mentionUrl;
    if (!url) { return; }
    counter += 1;
    var listId = "mention-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "forum-mention-list list-unstyled d-none";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", text.list);
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listId);
    var items = [];
    var active = -1;
    var start = -1;
    var pending = null;

    function close() {
      list.classList.add("d-none");
      list.innerHTML = "";
      items = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("active", i === index);
      });
      if (index >= 0) { textarea.setAttribute("aria-activedescendant", listId + "-" + index); }
    }

    function insert(item) {
      var value = textarea.value;
      var caret = textarea.selectionStart;
      var before = value.slice(0, start) + item.insert + " ";
      textarea.value = before + value.slice(caret);
      textarea.setSelectionRange(before.length, before.length);
      close();
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      announce(item.name);
    }

    function show(results) {
      list.innerHTML = "";
      items = results;
      if (!results.length) { close(); announce(text.none); return; }
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.className = "forum-mention-option";
        option.textContent = item.name + (item.detail ? " – " + item.detail : "");
        option.addEventListener("mousedown", function (event) { event.preventDefault(); insert(item); });
        list.appendChild(option);
      });
      list.classList.remove("d-none");
      highlight(0);
      announce(results.length + text.found);
    }

    textarea.addEventListener("input", function () {
      var caret = textarea.selectionStart;
      var match = /(^|\s)@([^\s@\[\]()]{2,30})$/.exec(textarea.value.slice(0, caret));
      if (!match) { close(); return; }
      start = caret - match[2].length - 1;
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(match[2]), {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* aborted by a newer keystroke or offline */ });
    });

    textarea.addEventListener("keydown", function (event) {
      if (!items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) { event.preventDefault(); insert(items[active]); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mention-url]"), setupMentions);
})();
