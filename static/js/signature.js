// Signatures drawn on screen (the inspector's own, and the enterprise representative's on the
// inspector's device), kept in the outbox (outbox.js) until the server has them.
// Forms: <form class="sign-form" data-api="…"> with a canvas and hidden who/signature fields.
(function () {
  "use strict";
  var outbox = window.YTH && window.YTH.outbox;
  var forms = Array.from(document.querySelectorAll("form.sign-form[data-api]"));
  if (!outbox || !outbox.user || !forms.length) { return; }

  forms.forEach(function (form) {
    var canvas = form.querySelector("canvas"), ctx = canvas.getContext("2d"), drawing = false, drawn = false;
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.strokeStyle = "#000";
    function point(event) {
      var r = canvas.getBoundingClientRect();
      return [(event.clientX - r.left) * canvas.width / r.width, (event.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointermove", function (e) { if (!drawing) { return; } var p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); drawn = true; });
    canvas.addEventListener("pointerup", function () { drawing = false; });
    form.querySelector("button.clear").addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!drawn) { window.alert("请先在签名框内手写签名。"); return; }
      var who = form.querySelector("input[name=who]").value, name = form.querySelector("input[name=representative_name]");
      if (form.dataset.onlineOnly !== undefined) { sendNow(form, canvas); return; }
      outbox.put({
        key: "sign:" + form.dataset.api + ":" + who, kind: "signature", url: form.dataset.api,
        label: who === "representative" ? "企业现场负责人签名" : "本人签名", record: form.dataset.record,
        json: {who: who, signature: canvas.toDataURL("image/png"), representative_name: name ? name.value : ""},
      }).then(function () {
        if (!navigator.onLine) { window.alert("无网络：签名已保存在手机上，联网后自动上传。"); }
      });
    });
  });
  // another team member signing on this device confirms with their password: sent at once and
  // never stored on the device (a queued password would outlive the visit)
  function sendNow(form, canvas) {
    var password = form.querySelector("input[name=signer_password]");
    if (!password.value) { window.alert("请签名人输入本人的登录密码。"); return; }
    if (!navigator.onLine) { window.alert("需要联网：签名人须输入密码确认，请联网后再签。"); return; }
    var body = {who: "me", signature: canvas.toDataURL("image/png"),
                signer: parseInt(form.querySelector("input[name=signer]").value, 10), signer_password: password.value};
    password.value = "";
    fetch(form.dataset.api, {method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": outbox.csrf()}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (response.ok) { location.reload(); return; }
          var messages = [];
          Object.keys(json).forEach(function (k) { messages = messages.concat(json[k]); });
          window.alert("签名未保存：" + (messages.join("；") || "服务器错误（" + response.status + "）"));
        });
      }, function () { window.alert("网络不可用，签名未保存。请联网后再签。"); });
  }
  outbox.on("signature", {
    saved: function () { location.reload(); },
    refused: function (entry) { window.alert(entry.label + "未保存：" + entry.reason); },
  });
})();
