// Live notifications. The websocket only says "something new" or "read"; the items come
// from the JSON feed, which applies the access policy at display time. On every
// (re)connect the feed is asked for everything after the last id seen, so nothing is
// lost while the socket was down. Several tabs stay consistent because the server sends
// "read" events to all of the member's sockets.
(function () {
  "use strict";
  var body = document.body;
  var feedUrl = body.dataset.notificationsUrl;
  var socketPath = body.dataset.notificationsSocket;
  if (!feedUrl || !socketPath) { return; }

  var badge = document.getElementById("notification-count");
  var list = document.getElementById("notification-items");
  var live = document.getElementById("live-region");
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var lastId = 0;
  var cursor = "";
  var socket = null;
  var retryDelay = 1000;
  var retryTimer = null;
  var pingTimer = null;
  var stopped = false;
  var fetching = null;
  var fetchAgain = false;
  var MAX_ITEMS = 8;

  function showCount(unread) {
    if (typeof unread !== "number") { return; }
    document.title = unread > 0 ? "(" + unread + ") " + baseTitle : baseTitle;
    if (!badge) { return; }
    badge.textContent = unread > 0 ? String(unread) : "";
    if (unread > 0 && badge.dataset.unreadLabel) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + badge.dataset.unreadLabel;
      badge.appendChild(hidden);
    }
    badge.classList.toggle("d-none", unread <= 0);
  }

  function renderItem(item) {
    var li = document.createElement("li");
    li.dataset.id = String(item.id);
    var node = document.createElement(item.url ? "a" : "span");
    node.className = "dropdown-item" + (item.unread ? " is-unread" : "") + (item.url ? "" : " is-unavailable");
    if (item.url) { node.href = item.url; }
    node.appendChild(document.createTextNode(item.text));
    var time = document.createElement("span");
    time.className = "notification-time";
    time.textContent = item.time;
    node.appendChild(time);
    li.appendChild(node);
    return li;
  }

  function upsert(item) {
    if (!list) { return; }
    var empty = list.querySelector(".notification-empty");
    if (empty) { empty.remove(); }
    var existing = list.querySelector('li[data-id="' + item.id + '"]');
    if (existing) { existing.remove(); }
    list.insertBefore(renderItem(item), list.firstChild);
    while (list.children.length > MAX_ITEMS) { list.removeChild(list.lastChild); }
  }

  function markRead(ids, all) {
    if (!list) { return; }
    list.querySelectorAll("li[data-id]").forEach(function (li) {
      if (all || ids.indexOf(Number(li.dataset.id)) !== -1) {
        var node = li.firstChild;
        if (node) { node.classList.remove("is-unread"); }
      }
    });
  }

  function announce(items) {
    if (!live || !items.length) { return; }
    var prefix = (list && list.dataset.new) || "";
    var newest = items[items.length - 1];
    // Replace, never append: screen readers read the region's change once, politely.
    live.textContent = prefix ? prefix + ": " + newest.text : newest.text;
  }

  // One request at a time; a push arriving meanwhile triggers one more fetch afterwards.
  function fetchFeed(mode) {
    if (fetching) { fetchAgain = true; return fetching; }
    var url = feedUrl;
    if (mode !== "recent") {
      url += "?after=" + lastId + (cursor ? "&since=" + encodeURIComponent(cursor) : "");
    }
    fetching = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) {
          // Signed out (the login page answered): stop listening.
          stopped = true;
          if (socket) { socket.close(); }
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        var fresh = [];
        data.items.forEach(function (item) {
          if (item.id > lastId) {
            if (mode !== "recent") { fresh.push(item); }
            lastId = item.id;
          }
          upsert(item);
        });
        if (data.cursor) { cursor = data.cursor; }
        showCount(data.unread);
        announce(fresh.filter(function (item) { return item.unread; }));
        document.dispatchEvent(new CustomEvent("portal:notifications", { detail: data }));
        if (data.more) { fetchAgain = true; }
      })
      .catch(function () { /* offline: the next (re)connect catches up */ })
      .then(function () {
        fetching = null;
        if (fetchAgain && !stopped) { fetchAgain = false; fetchFeed("after"); }
      });
    return fetching;
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) { return; }
    // Exponential backoff with jitter, so many tabs do not return at the same instant.
    var delay = retryDelay / 2 + Math.random() * retryDelay / 2;
    retryDelay = Math.min(retryDelay * 2, 30000);
    retryTimer = setTimeout(function () { retryTimer = null; connect(); }, delay);
  }

  function connect() {
    if (stopped || !window.WebSocket) { return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + location.host + socketPath);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket.addEventListener("open", function () {
      retryDelay = 1000;
      body.dataset.notificationsLive = "open";
      fetchFeed("after");
      clearInterval(pingTimer);
      pingTimer = setInterval(function () {
        if (socket && socket.readyState === WebSocket.OPEN) { socket.send('{"type":"ping"}'); }
      }, 25000);
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "new") { fetchFeed("after"); }
      if (message.type === "read") {
        markRead(message.ids || [], Boolean(message.all));
        showCount(message.unread);
      }
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      body.dataset.notificationsLive = "closed";
      socket = null;
      if (event.code === 4401) { stopped = true; return; }
      if (event.code === 4000) { retryDelay = 1000; }
      // A refused handshake (signed out elsewhere) also lands here: the catch-up fetch
      // notices the login redirect and stops; otherwise try again later.
      fetchFeed("after");
      scheduleReconnect();
    });
  }

  window.addEventListener("online", function () {
    if (!socket && !stopped) {
      clearTimeout(retryTimer);
      retryTimer = null;
      retryDelay = 1000;
      connect();
    }
  });

  fetchFeed("recent").then(connect);
})();
