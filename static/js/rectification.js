// The evidence form of a rectification item: a chosen file goes up in resumable pieces
// (static/js/resumable.js), so a bad connection continues where it stopped; the form then posts
// only the upload's id. A photo's own time and place (EXIF) are read by photo.js where present.
(function () {
  "use strict";
  const form = document.querySelector("form[data-resumable]");
  if (!form || !window.YthResumable) return;
  const input = form.querySelector('input[type="file"]');
  const hidden = form.querySelector('input[name="upload"]');
  const bar = form.querySelector("[data-progress]");
  const status = form.querySelector("[data-upload-status]");
  let sending = false;
  const button = form.querySelector('button[type="submit"]');
  const limit = Number(form.dataset.maxBytes || 0);
  form.addEventListener("submit", async function (event) {
    if (sending) {
      event.preventDefault(); // a second tap while the file goes up sends nothing again
      return;
    }
    if (!input || !input.files.length || !hidden) return; // no file: the server says so
    event.preventDefault();
    const file = input.files[0];
    if (limit && file.size > limit) {
      status.textContent =
        "“" + file.name + "”过大：单个文件不能超过 " + Math.floor(limit / 1048576) + " MB。";
      return;
    }
    sending = true;
    if (button) button.disabled = true;
    // a photo's own time and place (EXIF), read on the phone before it goes up (photo.js)
    if (file.type === "image/jpeg" && window.YTH && window.YTH.exif) {
      try {
        const meta = window.YTH.exif(await file.arrayBuffer());
        const set = function (name, value) {
          const field = form.querySelector('input[name="' + name + '"]');
          if (field && value) field.value = value;
        };
        set("taken_at", meta.takenAt);
        set("latitude", meta.latitude);
        set("longitude", meta.longitude);
      } catch (error) {
        // damaged EXIF: the photo still goes, without its time and place
      }
    }
    bar.hidden = false;
    status.textContent = "正在上传…";
    try {
      const done = await window.YthResumable.upload(file, {
        onProgress: function (sent, total) {
          bar.value = Math.floor((sent * 100) / total);
          status.textContent = "已上传 " + bar.value + "%";
        },
        onWait: function () {
          status.textContent = "网络中断，恢复后将从断点继续上传…";
        },
      });
      hidden.value = done.id;
      input.value = ""; // the file is on the server: post the form without it
      status.textContent = "上传完成，正在保存…";
      form.submit();
    } catch (error) {
      sending = false;
      if (button) button.disabled = false;
      status.textContent = "上传失败：" + (error && error.message ? error.message : error);
    }
  });
})();
