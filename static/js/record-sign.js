// The team's signatures on a verification record (核查情况表): drawn on the canvas, put into the
// form's hidden `signature` field and posted with the summary (signed online, never queued).
(function () {
  "use strict";
  var form = document.querySelector("form.record-sign");
  if (!form) { return; }
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
    if (!drawn) { event.preventDefault(); window.alert("请先在签名框内手写签名。"); return; }
    form.querySelector("input[name=signature]").value = canvas.toDataURL("image/png");
  });
})();
