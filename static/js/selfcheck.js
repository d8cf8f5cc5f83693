// Saves each self-check item as it is changed, keeps unsent changes on the device when the
// connection drops, and sends them when it returns. The page always says what is not yet saved.
(function () {
  "use strict";
  document.documentElement.classList.add("js");  // only then are the 不符合 fields folded away
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
  var status = document.getElementById("sync-status");
  var KEY = "yth-selfcheck-pending:" + location.pathname;
  var pending = {};
  var refused = {};  // items the server refused, with the reason shown beside them
  try { pending = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { pending = {}; }

  function csrf(form) { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }
  function store() { localStorage.setItem(KEY, JSON.stringify(pending)); }
  function show() {
    var count = Object.keys(pending).length;
    var bad = Object.keys(refused).length;
    if (!status) { return; }
    var parts = [];
    if (count) { parts.push(count + " 项修改尚未保存到服务器" + (navigator.onLine ? "，正在重试…" : "（网络已断开，恢复后自动发送）")); }
    if (bad) { parts.push(bad + " 项未通过校验，请按提示修改"); }
    status.textContent = parts.length ? parts.join("；") : "所有修改均已保存到服务器。";
    status.className = "sync-status " + (parts.length ? "unsaved" : "saved");
  }
  function toggle(form) {
    var checked = form.querySelector("input[type=radio]:checked");
    var item = form.closest(".item");
    if (item) { item.classList.toggle("noncompliant", !!checked && checked.value === "noncompliant"); }
  }
  function payload(form) {
    var data = {};
    Array.from(new FormData(form).entries()).forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") { data[pair[0]] = pair[1]; }
    });
    return data;
  }
  function send(id) {
    var form = document.querySelector("form[data-autosave='" + id + "']");
    if (!form || !pending[id]) { return Promise.resolve(); }
    var sent = pending[id];
    var body = new URLSearchParams(sent);
    body.append("csrfmiddlewaretoken", csrf(form));
    var state = form.querySelector(".save-state");
    return fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                               headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (json) {
          if (json.saved) {
            delete refused[id];
            // newer typing may have arrived while this was on its way: keep it queued
            if (pending[id] === sent) { delete pending[id]; } else { window.setTimeout(function () { send(id); }, 0); }
            state.textContent = json.missing.length ? ("已保存（待补充：" + json.missing.join("、") + "）") : "已保存";
            state.dataset.state = "saved";
          } else if (response.status === 400) {
            if (pending[id] === sent) { delete pending[id]; }  // refused: say why; the text stays in the form
            refused[id] = true;
            state.textContent = Object.values(json.errors).join("；");
            state.dataset.state = "error";
          }
          store(); show();
        });
      })
      .catch(function () {
        state.textContent = "未保存（网络不可用）"; state.dataset.state = "offline"; show();
        if (navigator.onLine) { window.setTimeout(function () { send(id); }, 3000); }  // a server hiccup: try again soon
      });
  }
  function flush() { Object.keys(pending).forEach(send); }

  forms.forEach(function (form) {
    var id = form.dataset.autosave;
    if (pending[id]) {  // restore what was typed before the page was closed
      Object.keys(pending[id]).forEach(function (name) {
        var fields = form.querySelectorAll("[name='" + name + "']");
        Array.prototype.forEach.call(fields, function (field) {
          if (field.type === "radio") { field.checked = field.value === pending[id][name]; }
          else { field.value = pending[id][name]; }
        });
      });
    }
    toggle(form);
    var timer;
    function changed() {
      toggle(form);
      pending[id] = payload(form);
      store(); show();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { send(id); }, 600);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); send(id); });
  });
  window.addEventListener("online", flush);
  window.setInterval(function () { if (navigator.onLine) { flush(); } }, 15000);
  show();
  flush();
})();
