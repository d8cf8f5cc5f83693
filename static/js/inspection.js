// The on-site record form on a phone: each line saves as it is changed (with its revision, so two
// inspectors never overwrite each other silently), unsent changes stay on the device through a dropped
// connection, photos are made smaller before upload with their original time and GPS kept, and
// signatures are drawn on screen.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var status = document.getElementById("sync-status");
  var KEY = "yth-inspection-pending:" + location.pathname;
  var pending = {}, refused = {}, conflicts = {};
  try { pending = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { pending = {}; }
  function store() { localStorage.setItem(KEY, JSON.stringify(pending)); }
  function show() {
    if (!status) { return; }
    var parts = [], count = Object.keys(pending).length;
    if (count) { parts.push(count + " 项修改尚未保存到服务器" + (navigator.onLine ? "，正在重试…" : "（网络已断开，恢复后自动发送）")); }
    if (Object.keys(conflicts).length) { parts.push(Object.keys(conflicts).length + " 项与其他检查人员的修改冲突，请核对"); }
    if (Object.keys(refused).length) { parts.push(Object.keys(refused).length + " 项未通过校验"); }
    status.textContent = parts.length ? parts.join("；") : "所有修改均已保存到服务器。";
    status.className = "sync-status " + (parts.length ? "unsaved" : "saved");
  }
  function formFor(id) { return document.querySelector("form[data-autosave='" + id + "']"); }
  function toggle(form) {
    var item = form.closest(".item");
    if (!item) { return; }
    var checked = form.querySelector("input[type=radio]:checked");
    item.classList.toggle("noncompliant", !!checked && checked.value === "problem");
  }
  function payload(form) {
    var data = {};
    Array.from(new FormData(form).entries()).forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") { data[pair[0]] = pair[1]; }
    });
    return data;
  }
  var inflight = {};  // one request per line at a time, or a user would conflict with themself
  function send(id) {
    var form = formFor(id);
    if (!form || !pending[id]) { return; }
    if (inflight[id]) { inflight[id] = "again"; return; }
    inflight[id] = true;
    function done() {
      var again = inflight[id] === "again";
      delete inflight[id];
      if (again && pending[id]) {
        var revision = form.querySelector("input[name='" + form.dataset.revisionField + "']");
        pending[id][form.dataset.revisionField] = revision.value;
        send(id);
      }
    }
    var sent = pending[id], state = form.querySelector(".save-state");
    var body = new URLSearchParams(sent);
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (json) {
          var revision = form.querySelector("input[name='" + form.dataset.revisionField + "']");
          if (json.saved) {
            revision.value = json.revision;
            delete refused[id]; delete conflicts[id];
            if (pending[id] === sent) { delete pending[id]; }
            else { pending[id][form.dataset.revisionField] = String(json.revision); inflight[id] = "again"; }
            state.textContent = json.missing && json.missing.length ? "已保存（待补充：" + json.missing.join("、") + "）" : "已保存";
            state.dataset.state = "saved";
          } else if (response.status === 409) {
            // another inspector saved this line: keep what this user typed, show theirs, let the user decide
            conflicts[id] = json.conflict;
            delete pending[id];
            state.innerHTML = "";
            var note = document.createElement("span");
            note.textContent = "冲突：" + (json.conflict.updated_by || "其他人员") + " 已保存为“" +
              (json.conflict.result || "未选") + (json.conflict.description ? "：" + json.conflict.description : "") + "”。";
            var keep = document.createElement("button");
            keep.type = "button"; keep.textContent = "以我的为准再保存";
            keep.addEventListener("click", function () {
              revision.value = json.conflict.revision; delete conflicts[id];
              pending[id] = payload(form); store(); send(id);
            });
            state.appendChild(note); state.appendChild(keep); state.dataset.state = "error";
          } else if (response.status === 400) {
            if (pending[id] === sent) { delete pending[id]; }
            refused[id] = true;
            state.textContent = Object.values(json.errors).join("；"); state.dataset.state = "error";
          }
          store(); show(); done();
        });
      })
      .catch(function () {
        state.textContent = "未保存（网络不可用）"; state.dataset.state = "offline"; show();
        var again = inflight[id] === "again";
        delete inflight[id];
        if (navigator.onLine || again) { window.setTimeout(function () { send(id); }, again ? 0 : 3000); }
      });
  }
  function flush() { Object.keys(pending).forEach(send); }

  Array.from(document.querySelectorAll("form[data-autosave]")).forEach(function (form) {
    var id = form.dataset.autosave, timer;
    if (pending[id]) {
      Object.keys(pending[id]).forEach(function (name) {
        Array.from(form.querySelectorAll("[name='" + name + "']")).forEach(function (field) {
          if (field.type === "radio") { field.checked = field.value === pending[id][name]; } else { field.value = pending[id][name]; }
        });
      });
    }
    toggle(form);
    function changed() {
      toggle(form); pending[id] = payload(form); store(); show();
      window.clearTimeout(timer); timer = window.setTimeout(function () { send(id); }, 600);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); send(id); });
  });
  window.addEventListener("online", flush);
  window.setInterval(function () { if (navigator.onLine) { flush(); } }, 15000);
  show(); flush();

  // --- photos: original time and GPS from EXIF, then a smaller JPEG -------------------------------
  function exif(buffer) {
    var view = new DataView(buffer), result = {};
    if (view.getUint16(0) !== 0xFFD8) { return result; }
    var offset = 2;
    while (offset < view.byteLength - 4) {
      var marker = view.getUint16(offset), size = view.getUint16(offset + 2);
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) {
        var tiff = offset + 10, little = view.getUint16(tiff) === 0x4949;
        var u16 = function (p) { return view.getUint16(p, little); }, u32 = function (p) { return view.getUint32(p, little); };
        var ifd = function (start, wanted) {
          var out = {}, count = u16(start);
          for (var i = 0; i < count; i++) {
            var entry = start + 2 + i * 12, tag = u16(entry);
            if (wanted.indexOf(tag) >= 0) { out[tag] = {type: u16(entry + 2), count: u32(entry + 4), value: entry + 8}; }
          }
          return out;
        };
        var ascii = function (e) { var p = e.count > 4 ? tiff + u32(e.value) : e.value, s = ""; for (var i = 0; i < e.count - 1; i++) { s += String.fromCharCode(view.getUint8(p + i)); } return s; };
        var rationals = function (e) { var p = tiff + u32(e.value), out = []; for (var i = 0; i < e.count; i++) { out.push(u32(p + i * 8) / u32(p + i * 8 + 4)); } return out; };
        var root = ifd(tiff + u32(tiff + 4), [0x8769, 0x8825]);
        if (root[0x8769]) {
          var sub = ifd(tiff + u32(root[0x8769].value), [0x9003]);
          if (sub[0x9003]) { var t = ascii(sub[0x9003]).split(" "); if (t.length === 2) { result.takenAt = t[0].replace(/:/g, "-") + "T" + t[1]; } }
        }
        if (root[0x8825]) {
          var gps = ifd(tiff + u32(root[0x8825].value), [1, 2, 3, 4]);
          if (gps[2] && gps[4]) {
            var dms = function (v) { return v[0] + v[1] / 60 + v[2] / 3600; };
            var lat = dms(rationals(gps[2])), lng = dms(rationals(gps[4]));
            if (gps[1] && ascii(gps[1]) === "S") { lat = -lat; }
            if (gps[3] && ascii(gps[3]) === "W") { lng = -lng; }
            result.latitude = lat.toFixed(6); result.longitude = lng.toFixed(6);
          }
        }
        return result;
      }
      offset += 2 + size;
    }
    return result;
  }
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png)$/.test(file.type)) { resolve(file); return; }
      var image = new Image();
      image.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale); canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}) : file);
        }, "image/jpeg", 0.8);
      };
      image.onerror = function () { resolve(file); };
      image.src = URL.createObjectURL(file);
    });
  }
  Array.from(document.querySelectorAll("form.photo-form")).forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]"), state = form.querySelector(".upload-state");
      if (!input.files.length) { return; }
      event.preventDefault();
      var file = input.files[0];
      state.textContent = "正在处理照片…";
      file.arrayBuffer().then(function (buffer) {
        var meta = file.type === "image/jpeg" ? exif(buffer) : {};
        return shrink(file).then(function (small) {
          var data = new FormData();
          data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
          data.append("file", small);
          data.append("taken_at", meta.takenAt || ""); data.append("latitude", meta.latitude || ""); data.append("longitude", meta.longitude || "");
          state.textContent = "正在上传（" + Math.round(small.size / 1024) + " KB）…";
          return fetch(form.action, {method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.json(); }, function () {
              // no connection: the photo waits on the phone and goes up by itself later
              return queue({action: form.action, name: small.name, blob: small, fields: {
                csrfmiddlewaretoken: data.get("csrfmiddlewaretoken"), taken_at: meta.takenAt || "",
                latitude: meta.latitude || "", longitude: meta.longitude || ""}, reload: false})
                .then(function () { return {queued: true}; });
            })
            .then(function (json) {
              if (json.queued) { state.textContent = "无网络：照片已保存在手机上，联网后自动上传"; input.value = ""; return; }
              if (json.saved) {
                var li = document.createElement("li"), a = document.createElement("a");
                a.href = json.evidence.url; a.textContent = json.evidence.name; li.appendChild(a);
                form.closest(".item").querySelector(".evidence-list").appendChild(li);
                state.textContent = "已上传"; input.value = "";
              } else { state.textContent = Object.values(json.errors).join("；"); }
            });
        });
      }).catch(function () { state.textContent = "上传失败（网络不可用），请联网后再试；照片仍在手机上。"; });
    });
  });

  // --- what could not be sent (photos, signatures) waits on the device -------------------------
  var DB = "yth-inspection-outbox";
  function outbox(mode) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("items", {autoIncrement: true}); };
      open.onsuccess = function () { resolve(open.result.transaction("items", mode).objectStore("items")); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function queue(entry) { return outbox("readwrite").then(function (store) { store.add(entry); }).then(countOutbox); }
  var waiting = 0;
  function countOutbox() {
    return outbox("readonly").then(function (store) {
      var request = store.count();
      request.onsuccess = function () {
        waiting = request.result;
        var note = document.getElementById("outbox-status");
        if (note) { note.textContent = waiting ? waiting + " 个照片或签名保存在手机上，联网后自动上传" : ""; }
      };
    });
  }
  function post(action, fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
    return fetch(action, {method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); });
  }
  var draining = false;
  function drain() {
    if (!navigator.onLine || draining) { return; }
    draining = true;
    outbox("readonly").then(function (store) {
      var request = store.openCursor(), entries = [];
      request.onsuccess = function () {
        var cursor = request.result;
        if (cursor) { entries.push([cursor.key, cursor.value]); cursor.continue(); return; }
        // one at a time, so nothing is sent twice
        entries.reduce(function (previous, pair) {
          return previous.then(function () {
            var entry = pair[1], fields = Object.assign({}, entry.fields);
            if (entry.blob) { fields.file = new File([entry.blob], entry.name, {type: entry.blob.type}); }
            return post(entry.action, fields).then(function (json) {
              if (json.saved || json.errors) {  // sent, or refused for good: either way not retried
                return outbox("readwrite").then(function (store2) { store2.delete(pair[0]); }).then(function () {
                  if (json.saved && entry.reload) { location.reload(); }
                });
              }
            });
          });
        }, Promise.resolve()).catch(function () {}).then(function () { draining = false; countOutbox(); });
      };
    }).catch(function () { draining = false; });
  }
  window.addEventListener("online", drain);
  window.setInterval(drain, 20000);
  if (window.indexedDB) { countOutbox(); drain(); }

  // --- signatures drawn on screen --------------------------------------------------------------
  Array.from(document.querySelectorAll("form.sign-form")).forEach(function (form) {
    var canvas = form.querySelector("canvas"), ctx = canvas.getContext("2d"), drawing = false, drawn = false;
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.strokeStyle = "#000";
    function point(event) { var r = canvas.getBoundingClientRect(); return [(event.clientX - r.left) * canvas.width / r.width, (event.clientY - r.top) * canvas.height / r.height]; }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointermove", function (e) { if (!drawing) { return; } var p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); drawn = true; });
    canvas.addEventListener("pointerup", function () { drawing = false; });
    form.querySelector("button.clear").addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!drawn) { window.alert("请先在签名框内手写签名。"); return; }
      form.querySelector("input[name=signature]").value = canvas.toDataURL("image/png");
      var fields = {};
      Array.from(new FormData(form).entries()).forEach(function (pair) { fields[pair[0]] = pair[1]; });
      post(form.action, fields).then(function (json) {
        if (json.saved) { location.reload(); } else { window.alert(Object.values(json.errors).join("；")); }
      }, function () {
        queue({action: form.action, fields: fields, reload: true}).then(function () {
          window.alert("无网络：签名已保存在手机上，联网后自动上传。");
        });
      });
    });
  });
})();
