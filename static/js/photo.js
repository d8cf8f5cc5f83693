// Photos taken on site: the original time and GPS position are read from the photo's EXIF, the
// picture is made smaller (1600 px, JPEG) so it goes up over a weak connection, and it is kept in
// the outbox (outbox.js) until the server has it. Forms: <form class="photo-form" data-api="…">.
(function () {
  "use strict";
  var outbox = window.YTH && window.YTH.outbox;
  var forms = Array.from(document.querySelectorAll("form.photo-form[data-api]"));
  // other forms read a photo's own time and place too (rectification evidence, resumable.js)
  window.YTH = window.YTH || {};
  window.YTH.exif = exif;
  if (!outbox || !outbox.user || !forms.length) { return; }

  function exif(buffer) {
    var view = new DataView(buffer), result = {};
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return result; }
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
      var image = new Image(), url = URL.createObjectURL(file);
      image.onload = function () {
        URL.revokeObjectURL(url);
        var scale = Math.min(1, 1600 / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale); canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}) : file);
        }, "image/jpeg", 0.8);
      };
      image.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      image.src = url;
    });
  }
  function formFor(entry) { return forms.find(function (f) { return f.dataset.api === entry.url; }); }

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]"), state = form.querySelector(".upload-state");
      if (!input.files.length) { return; }  // nothing chosen: the plain post says so
      event.preventDefault();
      var file = input.files[0];
      state.textContent = "正在处理照片…";
      file.arrayBuffer().then(function (buffer) {
        var meta = {};
        try { meta = file.type === "image/jpeg" ? exif(buffer) : {}; } catch (e) { meta = {}; }  // damaged EXIF: the photo still goes
        return shrink(file).then(function (small) {
          return outbox.put({
            key: "photo:" + Date.now() + ":" + Math.random(), kind: "photo", url: form.dataset.api,
            label: (form.dataset.label || "照片") + "（" + small.name + "）", record: form.dataset.record,
            blob: small, name: small.name,
            fields: {taken_at: meta.takenAt || "", latitude: meta.latitude || "", longitude: meta.longitude || ""},
          }).then(function () {
            input.value = "";
            state.textContent = "照片已保存在手机上，正在上传（" + Math.round(small.size / 1024) + " KB）…";
          });
        });
      }).catch(function () { state.textContent = "照片未能保存在手机上（存储空间不足或无法读取），请重新选择或清理存储后再试。"; });
    });
  });

  outbox.on("photo", {
    saved: function (entry, json) {
      var form = formFor(entry);
      if (!form) { return; }
      var list = form.closest(".item").querySelector(".evidence-list");
      list.textContent = "";
      (json.evidence || []).forEach(function (e) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = e.url; a.textContent = e.name; li.appendChild(a); list.appendChild(li);
      });
      form.querySelector(".upload-state").textContent = "已上传";
    },
    refused: function (entry) {
      var form = formFor(entry);
      if (form) { form.querySelector(".upload-state").textContent = "未上传：" + entry.reason; }
    },
  });
  document.addEventListener("yth:outbox", function (event) {
    var summary = event.detail, note = document.getElementById("outbox-status");
    var files = summary.waiting.filter(function (e) { return e.kind === "photo" || e.kind === "signature"; });
    forms.forEach(function (form) {
      var mine = files.filter(function (e) { return e.url === form.dataset.api; });
      if (mine.length && summary.offline) {
        form.querySelector(".upload-state").textContent = "无网络：照片已保存在手机上，联网后自动上传";
      }
    });
    if (note) { note.textContent = files.length ? files.length + " 个照片或签名保存在手机上，联网后自动上传" : ""; }
  });
})();
