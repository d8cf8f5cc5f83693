// Resumable upload of one large file (a monitoring report, an acceptance PDF) over a bad phone
// connection, through /api/v1/uploads/ (campaign/api_resumable.py):
//   YthResumable.upload(file, {onProgress: function (sent, total) {…}, onWait: function (n) {…}})
//     → Promise<{id}>
// The id is then sent with the form or API call the file belongs to; that service takes the file.
// - The upload's id is kept in localStorage (per user, file name, size and last change), so a page
//   reloaded halfway continues the same upload instead of starting again.
// - Pieces of 512 KB go up with PATCH, each naming the offset it starts at. A 409 answers with the
//   offset the server has: continue from there. A network failure or a 5xx waits (longer each time),
//   asks the server how much arrived (GET) and continues from that.
// - The CSRF token is read from the `csrftoken` cookie for each request, as outbox.js does.
(function () {
  "use strict";
  var API = "/api/v1/uploads/", CHUNK = 512 * 1024, TIMEOUT = 60000, MAX_FAILURES = 20;
  var me = document.querySelector("meta[name=yth-user]");
  var user = me ? me.content : "";

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function storageKey(file) {
    return ["yth-upload", user, file.name, file.size, file.lastModified].join("|");
  }
  function remembered(file) {
    try { return localStorage.getItem(storageKey(file)); } catch (e) { return null; }
  }
  function remember(file, url) {
    try { localStorage.setItem(storageKey(file), url); } catch (e) { /* private mode: no resume after reload */ }
  }
  function forget(file) {
    try { localStorage.removeItem(storageKey(file)); } catch (e) { /* nothing kept */ }
  }
  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // One request. Resolves {status, json} for any answer of the server; rejects only when no answer
  // came (offline, or hung past TIMEOUT), which the caller retries.
  function send(method, url, body, headers) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT);
    headers = Object.assign({"Accept": "application/json", "X-CSRFToken": csrf()}, headers || {});
    return fetch(url, {method: method, body: body, headers: headers, credentials: "same-origin",
                       cache: "no-store", redirect: "manual", signal: controller.signal})
      .then(function (response) {
        clearTimeout(timer);
        return response.json().catch(function () { return null; })
          .then(function (json) { return {status: response.status, json: json}; });
      }, function (error) { clearTimeout(timer); throw error; });
  }
  function refused(answer) {
    var json = answer.json || {}, messages = [];
    Object.keys(json).forEach(function (k) {
      if (k !== "current") { messages = messages.concat(json[k]); }
    });
    var error = new Error((messages.join("；") || "服务器拒绝了这次上传") + "（" + answer.status + "）");
    error.status = answer.status;
    return error;
  }
  // A server error, a redirect (status 0 with redirect: "manual") or a page that is not the API's
  // (a captive portal's) is passing trouble: retried like a lost connection.
  function passing(answer) {
    return answer.status === 0 || answer.status >= 500 || (answer.json === null && answer.status < 400);
  }

  // The upload this file was already going to (asked with GET), or a new one. `key` is sent as
  // Idempotency-Key: a start sent again after its answer was lost gives the same upload back.
  function begin(file, key) {
    var url = remembered(file);
    var known = url ? send("GET", url) : Promise.resolve({status: 404, json: {}});
    return known.then(function (answer) {
      if (answer.status === 200 && answer.json) { return answer.json; }
      if (answer.status !== 404) { throw answer; }
      forget(file);  // taken, expired, or never started: start afresh
      var body = JSON.stringify({name: file.name, size: file.size, content_type: file.type || ""});
      return send("POST", API, body, {"Content-Type": "application/json", "Idempotency-Key": key})
        .then(function (created) {
          if (created.status !== 201 || !created.json) { throw created; }
          remember(file, created.json.url);
          return created.json;
        });
    });
  }

  function upload(file, options) {
    var onProgress = (options && options.onProgress) || function () {};
    var onWait = (options && options.onWait) || function () {};
    var failures = 0, state = null, startKey = randomKey();

    // Sends pieces until the server has the whole file; any trouble rejects (see run).
    function loop() {
      var known = state ? Promise.resolve(state) : begin(file, startKey);
      return known.then(function (current) {
        state = current;
        onProgress(state.offset, file.size);
        if (state.offset >= file.size) { return {id: state.id}; }
        return piece().then(loop);
      });
    }
    function piece() {
      var end = Math.min(state.offset + CHUNK, file.size);
      return send("PATCH", state.url, file.slice(state.offset, end), {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(state.offset)
      }).then(function (answer) {
        if (answer.status === 200 && answer.json) { failures = 0; state = answer.json; return; }
        if (answer.status === 409 && answer.json && answer.json.current) {
          state.offset = answer.json.current.offset;  // the server has more (or less): go on from there
          return;
        }
        if (answer.status === 404) {  // expired or taken meanwhile: a new upload, under a new key
          forget(file);
          state = null;
          startKey = randomKey();
          return;
        }
        throw answer;
      });
    }
    // Passing trouble (no answer, a 5xx, a proxy's page) waits 1, 2, 4 … 30 s, then asks the server
    // how much arrived and goes on; a refusal (400, 403, 413 …) ends with the server's reason.
    function run() {
      return loop().catch(function (trouble) {
        var answer = trouble && typeof trouble.status === "number" ? trouble : null;
        if (answer && !passing(answer)) { throw refused(answer); }
        failures += 1;
        if (failures > MAX_FAILURES) {
          throw new Error("网络持续中断，上传已暂停：网络恢复后再次选择这个文件即可接着上传。");
        }
        onWait(failures);  // the page may say the connection dropped and the upload will go on
        return wait(Math.min(30000, 1000 * Math.pow(2, failures - 1))).then(function () {
          state = null;  // ask the server where to continue
          return run();
        });
      });
    }
    return run();
  }

  window.YthResumable = {upload: upload};
})();
