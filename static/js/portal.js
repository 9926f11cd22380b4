// Live notifications: a websocket says "something new"; the items come from the JSON feed,
// which applies the access policy. On every (re)connect the feed is asked for everything
// after the last id seen, so nothing is lost while the socket was down.
(function () {
  "use strict";
  var body = document.body;
  var feedUrl = body.dataset.notificationsUrl;
  var socketPath = body.dataset.notificationsSocket;
  if (!feedUrl || !socketPath || !window.WebSocket) { return; }

  var lastId = Number(sessionStorage.getItem("portal.lastNotificationId") || 0);
  var badge = document.getElementById("notification-count");
  var live = document.getElementById("live-region");
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var retry = 1000;

  function showCount(unread) {
    if (!badge) { return; }
    badge.textContent = unread > 0 ? String(unread) : "";
    badge.classList.toggle("d-none", unread <= 0);
    document.title = unread > 0 ? "(" + unread + ") " + baseTitle : baseTitle;
  }

  function catchUp(announce) {
    fetch(feedUrl + "?after=" + lastId, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        showCount(data.unread);
        data.items.forEach(function (item) {
          lastId = Math.max(lastId, item.id);
          if (announce && live && item.text) { live.textContent = item.text; }
        });
        sessionStorage.setItem("portal.lastNotificationId", String(lastId));
        document.dispatchEvent(new CustomEvent("portal:notifications", { detail: data }));
      })
      .catch(function () { /* offline: the next (re)connect catches up */ });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + socketPath);
    socket.addEventListener("open", function () { retry = 1000; catchUp(false); });
    socket.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "new") { catchUp(true); }
      if (message.type === "read" && typeof message.unread === "number") { showCount(message.unread); }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401) { return; }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  if (lastId === 0) { catchUp(false); }
  connect();
})();
