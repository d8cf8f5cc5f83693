// The outbox: every write a page makes while it may be offline (record lines, the header, self-check
// items, photos, signatures) is first kept on the device, then sent to the API one at a time.
// - An entry belongs to the user who made it: on a shared tablet another user never sends it; it
//   waits for its owner, and the page says so.
// - The CSRF token is never stored: it is read from the cookie when the entry is sent, so entries
//   made before a session expired go up after the user signs in again.
// - An entry the server refuses (400, 403, 404, 409, 413) is kept with the server's reason until the
//   user retries or discards it; a server error or a proxy's page (not JSON) is retried later; only
//   a request that never reached the server counts as offline.
(function () {
  "use strict";
  var me = document.querySelector("meta[name=yth-user]");
  var user = me ? me.content : "", userName = me ? me.dataset.name : "";
  var DB = "yth-outbox", STORE = "entries";
  var handlers = {}, sending = false, retryTimer = null;
  var state = {offline: false, login: false, server: 0};
  window.YTH = window.YTH || {};

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "id", autoIncrement: true}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        Promise.resolve(work(t.objectStore(STORE))).then(function (r) { result = r; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error || new Error("outbox transaction aborted")); };  // e.g. storage full
      });
    });
  }
  function everything() {
    return tx("readonly", function (store) {
      return new Promise(function (resolve) {
        var request = store.getAll();
        request.onsuccess = function () { resolve(request.result); };
      });
    });
  }
  function mine() {
    return everything().then(function (all) { return all.filter(function (e) { return e.user === user; }); });
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function reason(status, json) {
    if (status === 404) { return "记录不存在，或已不在您的权限范围内（404）"; }
    if (status === 413) { return "文件太大，服务器拒收（413）"; }
    if (!json) { return "服务器拒绝了这项内容（" + status + "）"; }
    var messages = [];
    (function walk(value) {
      if (typeof value === "string") { messages.push(value); }
      else if (Array.isArray(value)) { value.forEach(walk); }
      else if (value && typeof value === "object") {
        Object.keys(value).forEach(function (k) { if (k !== "current") { walk(value[k]); } });
      }
    })(json);
    return (messages.join("；") || "服务器拒绝了这项内容") + "（" + status + "）";
  }

  // A random key per entry, sent as Idempotency-Key: the server answers an entry it has already
  // done (sent from two tabs, or again after its answer was lost) instead of doing it twice.
  function token() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // also on plain HTTP, unlike crypto.randomUUID
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Keep an entry on the device. An entry with the same key (one record line, one signature pad)
  // replaces the one still waiting, so the latest typing is what goes up.
  function put(entry) {
    if (!user) { return Promise.reject(new Error("not signed in")); }
    entry = Object.assign({}, entry, {user: user, userName: userName, state: "waiting", created: new Date().toISOString(),
                                      token: token()});
    return tx("readwrite", function (store) {
      return new Promise(function (resolve) {
        var request = store.getAll();
        request.onsuccess = function () {
          request.result.forEach(function (old) {
            if (old.user === user && old.key === entry.key && old.id !== inflight) { store.delete(old.id); }
          });
          store.add(entry);
          resolve();
        };
      });
    }).then(function () { changed(); flush(); });
  }
  // Change the waiting entries of one key (e.g. a line's revision after the user's own save).
  function update(key, change) {
    return tx("readwrite", function (store) {
      return new Promise(function (resolve) {
        var request = store.getAll();
        request.onsuccess = function () {
          request.result.forEach(function (e) {
            // changed content is another request: it gets a key of its own
            if (e.user === user && e.key === key && e.id !== inflight) { change(e); e.token = token(); store.put(e); }
          });
          resolve();
        };
      });
    });
  }
  function remove(id) { return tx("readwrite", function (store) { store.delete(id); }); }
  function save(entry) { return tx("readwrite", function (store) { store.put(entry); }); }

  var inflight = null;
  function send(entry) {
    var headers = {"Accept": "application/json", "X-CSRFToken": csrf()}, body;
    if (entry.token) { headers["Idempotency-Key"] = entry.token; }
    if (entry.json) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(entry.json);
    } else {
      body = new FormData();
      Object.keys(entry.fields || {}).forEach(function (k) { body.append(k, entry.fields[k]); });
      if (entry.blob) { body.append("file", new File([entry.blob], entry.name, {type: entry.blob.type})); }
    }
    inflight = entry.id;
    // a request that hangs on a weak connection is given up after a minute and counts as offline
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 60000) : null;
    return fetch(entry.url, {method: "POST", body: body, headers: headers, credentials: "same-origin", redirect: "manual",
                             signal: controller ? controller.signal : undefined})
      .finally(function () { window.clearTimeout(timer); })
      .then(function (response) {
        state.offline = false;
        var json = /application\/json/.test(response.headers.get("Content-Type") || "");
        return (json ? response.json().catch(function () { return null; }) : Promise.resolve(null))
          .then(function (data) { return outcome(entry, response.status, data); });
      }, function () { state.offline = true; return "stop"; })
      .then(function (result) { inflight = null; return result; });
  }
  function outcome(entry, status, json) {
    var handler = handlers[entry.kind] || {};
    if (status >= 200 && status < 300 && json) {
      state.login = false; state.server = 0;
      return remove(entry.id)
        .then(function () { return handler.saved ? handler.saved(entry, json) : null; })
        .then(function () { return "next"; });
    }
    if (status === 401 || (status === 403 && json && /CSRF/.test(json.detail || ""))) {
      state.login = true;  // the session ended: everything waits for the user to sign in again
      return "stop";
    }
    if ([400, 403, 404, 409, 413, 422].indexOf(status) >= 0 && (json || status === 413 || status === 404)) {
      entry.state = "refused"; entry.status = status; entry.reason = reason(status, json); entry.answer = json;
      return save(entry).then(function () {
        if (handler.refused) { handler.refused(entry, status, json); }
        return "next";
      });
    }
    state.server = status || 500;  // a server error, a proxy's page, a redirect: try again later
    return "stop";
  }
  function flush() {
    if (sending || !user || !window.indexedDB) { return; }
    sending = true;
    function next() {
      return mine().then(function (entries) {
        var waiting = entries.filter(function (e) { return e.state === "waiting"; });
        if (!waiting.length) { return; }
        return send(waiting[0]).then(function (result) { changed(); if (result === "next") { return next(); } });
      });
    }
    next().catch(function () {}).then(function () {
      sending = false; changed();
      window.clearTimeout(retryTimer);
      if (state.server || state.offline) { retryTimer = window.setTimeout(flush, state.server ? 20000 : 5000); }
    });
  }

  // --- what the page shows -----------------------------------------------------------------------
  function changed() {
    if (!window.indexedDB) { return; }
    everything().then(function (all) {
      var own = all.filter(function (e) { return e.user === user; });
      var others = all.filter(function (e) { return e.user !== user; });
      var summary = {
        entries: own,
        waiting: own.filter(function (e) { return e.state === "waiting"; }),
        refused: own.filter(function (e) { return e.state === "refused"; }),
        others: others, offline: state.offline || !navigator.onLine, login: state.login, server: state.server,
      };
      render(summary);
      document.dispatchEvent(new CustomEvent("yth:outbox", {detail: summary}));
    });
  }
  function why(summary) {
    if (summary.offline) { return "网络已断开，恢复后自动发送"; }
    if (summary.login) { return "登录已过期，请重新登录，登录后自动发送"; }
    if (summary.server) { return "服务器暂时无法处理（" + summary.server + "），稍后自动重试"; }
    return "正在发送…";
  }
  function render(summary) {
    var panel = document.getElementById("outbox");
    if (!panel) { return; }
    panel.textContent = "";
    var lines = [];
    if (summary.waiting.length) {
      var p = document.createElement("p");
      p.textContent = summary.waiting.length + " 项内容保存在本机，尚未发送到服务器（" + why(summary) + "）。";
      if (summary.login) {
        var a = document.createElement("a");
        a.href = panel.dataset.login + "?next=" + encodeURIComponent(location.pathname);
        a.textContent = "重新登录";
        p.appendChild(a);
      }
      lines.push(p);
    }
    if (summary.others.length) {
      var names = summary.others.map(function (e) { return e.userName || "其他用户"; })
        .filter(function (n, i, all) { return all.indexOf(n) === i; });
      var o = document.createElement("p");
      o.dataset.testid = "outbox-others";
      o.textContent = "本机还有 " + summary.others.length + " 项属于 " + names.join("、") + " 的待发送内容，将在其本人登录后发送。";
      lines.push(o);
    }
    summary.refused.forEach(function (entry) {
      var row = document.createElement("div");
      row.className = "outbox-refused"; row.dataset.testid = "outbox-refused";
      var text = document.createElement("span");
      text.textContent = (entry.label || "一项内容") + "：未保存。" + entry.reason;
      var retry = document.createElement("button");
      retry.type = "button"; retry.textContent = "重试";
      retry.addEventListener("click", function () {
        entry.state = "waiting"; save(entry).then(function () { changed(); flush(); });
      });
      var drop = document.createElement("button");
      drop.type = "button"; drop.textContent = "放弃"; drop.className = "danger";
      drop.addEventListener("click", function () {
        if (window.confirm("放弃后，这项内容不会保存到服务器，也无法恢复。确定放弃吗？")) {
          remove(entry.id).then(function () {
            var handler = handlers[entry.kind] || {};
            if (handler.discarded) { handler.discarded(entry); }
            changed();
          });
        }
      });
      row.appendChild(text); row.appendChild(retry); row.appendChild(drop);
      lines.push(row);
    });
    lines.forEach(function (line) { panel.appendChild(line); });
    panel.hidden = !lines.length;
  }

  window.YTH.outbox = {
    user: user,
    csrf: csrf,
    put: put,
    update: update,
    entries: mine,
    flush: flush,
    changed: changed,
    on: function (kind, handler) { handlers[kind] = handler; },
    retry: function (entry) { entry.state = "waiting"; return save(entry).then(function () { changed(); flush(); }); },
  };
  if (!window.indexedDB || !user) { return; }
  window.addEventListener("online", function () { state.offline = false; flush(); });
  window.addEventListener("offline", changed);
  window.setInterval(function () { if (navigator.onLine) { flush(); } }, 15000);
  // handlers are registered by the page's own modules (deferred after this one) before the first send
  document.addEventListener("DOMContentLoaded", function () { changed(); flush(); });
})();
