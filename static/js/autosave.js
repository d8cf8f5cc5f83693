// Forms that save themselves as the user types: the record's lines and header, the self-check's
// items. Each change goes into the outbox (outbox.js) and from there to the form's API address
// (data-api), as JSON without the form's prefix. A line carries the revision it was typed against,
// so two inspectors never overwrite each other silently: a 409 shows the other version and lets the
// user keep theirs. The page's #sync-status says what is not yet on the server, and why.
(function () {
  "use strict";
  var outbox = window.YTH && window.YTH.outbox;
  var forms = Array.from(document.querySelectorAll("form[data-autosave][data-api]"));
  if (!outbox || !outbox.user || !forms.length) { return; }
  document.documentElement.classList.add("js");  // only then are the optional fields folded away
  var status = document.getElementById("sync-status");
  var KINDS = ["line", "header", "answer"];

  function key(form) { return "save:" + form.dataset.api; }
  function formFor(entry) { return forms.find(function (f) { return key(f) === entry.key; }); }
  function stateOf(form) { return form.querySelector(".save-state"); }
  function revisionField(form) {
    return form.dataset.revisionField ? form.querySelector("input[name='" + form.dataset.revisionField + "']") : null;
  }
  function payload(form) {
    var prefix = form.dataset.prefix || "", data = {};
    Array.from(form.elements).forEach(function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "file" || field.type === "submit" || field.type === "button") { return; }
      if (field.type === "radio" && !field.checked) { return; }
      var name = field.name.indexOf(prefix) === 0 ? field.name.slice(prefix.length) : field.name;
      var value = field.type === "checkbox" ? field.checked : field.value;
      if (value === "" && (/^(date|datetime-local|number)$/.test(field.type) || field.dataset.nullable !== undefined)) { value = null; }
      data[name] = value;
    });
    if ("revision" in data) { data.revision = parseInt(data.revision, 10) || 0; }
    return data;
  }
  function fill(form, values) {
    var prefix = form.dataset.prefix || "";
    Object.keys(values).forEach(function (name) {
      if (name === "revision") { return; }  // the form keeps the server's; the entry keeps its own
      Array.from(form.querySelectorAll("[name='" + prefix + name + "']")).forEach(function (field) {
        var value = values[name] === null ? "" : values[name];
        if (field.type === "radio") { field.checked = field.value === value; }
        else if (field.type === "checkbox") { field.checked = !!value; }
        else { field.value = value; }
      });
    });
  }
  function toggle(form) {
    var item = form.closest(".item"), flag = form.dataset.flagValue;
    if (!item || !flag) { return; }
    var checked = form.querySelector("input[type=radio]:checked");
    item.classList.toggle("noncompliant", !!checked && checked.value === flag);
  }
  function keep(form) {
    return outbox.put({
      key: key(form), kind: form.dataset.kind, url: form.dataset.api,
      label: form.dataset.label, record: form.dataset.record, json: payload(form),
    });
  }

  // an item that had evidence as 不符合 keeps it when it becomes 符合: the user is asked first, and
  // the evidence stays listed under the item
  function keepEvidence(form) {
    var item = form.closest(".item"), flag = form.dataset.flagValue;
    var checked = form.querySelector("input[type=radio]:checked");
    var before = checked ? checked.value : "";
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type !== "radio" || !item) { return; }
      var files = item.querySelectorAll(".evidence-list li").length;
      if (before === flag && target.value !== flag && files) {
        var question = "本项已上传 " + files + " 份证据材料。改为“" + target.parentNode.textContent.trim() +
          "”后，这些材料仍保留在本项下。确定修改吗？";
        if (!window.confirm(question)) {
          form.querySelector("input[type=radio][value='" + before + "']").checked = true;
          event.stopImmediatePropagation();
          toggle(form);  // the radio's input event already folded the 不符合 fields away
          return;
        }
      }
      before = target.value;
    }, true);
  }

  forms.forEach(function (form) {
    toggle(form);
    if (form.dataset.kind === "answer" || form.dataset.kind === "line") { keepEvidence(form); }
    var timer;
    function changed() {
      toggle(form);
      var state = stateOf(form);
      if (state) { state.textContent = "正在保存…"; state.dataset.state = "saving"; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { keep(form); }, 300);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); window.clearTimeout(timer); keep(form); });
  });
  // what was typed and not yet sent (or refused) is put back into the form after a reload
  outbox.entries().then(function (entries) {
    entries.forEach(function (entry) {
      var form = formFor(entry);
      if (!form || !entry.json) { return; }
      fill(form, entry.json);
      toggle(form);
      // what was typed keeps the revision it was typed on: an edit after the reload still meets
      // a colleague's newer save as a conflict, never overwrites it
      var revision = revisionField(form);
      if (revision && entry.json.revision !== undefined) { revision.value = entry.json.revision; }
      if (entry.state === "refused") { refused(entry, entry.status, entry.answer); }
    });
  });

  function saved(entry, json) {
    var form = formFor(entry);
    if (!form) { return; }
    var revision = revisionField(form), state = stateOf(form);
    var before = entry.json.revision;
    if (revision && json.revision !== undefined) { revision.value = json.revision; }
    if (state) {
      var missing = entry.kind === "header" ? [] : (json.missing || []);
      state.textContent = missing.length ? "已保存（待补充：" + missing.join("、") + "）" : "已保存";
      state.dataset.state = "saved";
    }
    // newer typing of the same form was based on this user's own save: it goes up on top of it
    if (json.revision !== undefined) {
      return outbox.update(entry.key, function (waiting) {
        if (waiting.json && waiting.json.revision === before) { waiting.json.revision = json.revision; }
      });
    }
  }
  function refused(entry, status, json) {
    var form = formFor(entry), state = form && stateOf(form);
    if (!state) { return; }
    state.textContent = ""; state.dataset.state = "error";
    if (status === 409 && json && json.current) {
      // another inspector saved this part after the version this user typed on: show theirs,
      // keep what this user typed, let them decide
      var current = json.current, note = document.createElement("span");
      var theirs = ["result", "description", "place", "summary"].filter(function (k) { return current[k]; })
        .map(function (k) { return current[k]; }).join("：");
      note.textContent = "冲突：" + (current.updated_by || "其他检查人员") + " 已保存为“" + (theirs || "空白") + "”。";
      var mine = document.createElement("button");
      mine.type = "button"; mine.textContent = "以我的为准再保存";
      mine.addEventListener("click", function () {
        var revision = revisionField(form);
        if (revision) { revision.value = current.revision; }
        keep(form);
      });
      state.appendChild(note); state.appendChild(mine);
      return;
    }
    state.textContent = entry.reason;
  }
  function discarded(entry) {
    var state = formFor(entry) && stateOf(formFor(entry));
    if (state) { state.textContent = "已放弃本机的修改，刷新页面可查看服务器上的内容"; state.dataset.state = ""; }
  }
  KINDS.forEach(function (kind) { outbox.on(kind, {saved: saved, refused: refused, discarded: discarded}); });

  // --- sections: answered x of n, kept current; the rest of a section marked in one step ---------
  var sectionsOnPage = Array.from(document.querySelectorAll("section.form-section"));
  function answered(section) {
    var own = Array.from(section.querySelectorAll("form[data-autosave]"));
    return [own.filter(function (f) { return f.querySelector("input[type=radio]:checked"); }).length, own.length];
  }
  function count() {
    sectionsOnPage.forEach(function (section) {
      var n = answered(section);
      var head = section.querySelector(".section-head [data-count]");
      if (head) { head.textContent = "已填 " + n[0] + "/" + n[1]; head.classList.toggle("ok", n[0] === n[1]); }
      var entry = document.querySelector(".section-index a[data-section='" + section.id + "'] [data-count]");
      if (entry) { entry.textContent = n[0] + "/" + n[1]; }
      var rest = section.querySelector(".mark-rest");
      if (rest) { rest.hidden = n[0] === n[1]; }
    });
  }
  sectionsOnPage.forEach(function (section) {
    var rest = section.querySelector(".mark-rest");
    if (!rest) { return; }
    rest.addEventListener("click", function () {
      if (!window.confirm(rest.dataset.confirm)) { return; }
      Array.from(section.querySelectorAll("form[data-autosave]")).forEach(function (form) {
        if (form.querySelector("input[type=radio]:checked")) { return; }
        var radio = form.querySelector("input[type=radio][value='" + rest.dataset.value + "']");
        if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", {bubbles: true})); }
      });
      count();
    });
  });
  forms.forEach(function (form) { form.addEventListener("change", count); });
  count();

  document.addEventListener("yth:outbox", function (event) {
    var summary = event.detail, keys = forms.map(key);
    var here = function (e) { return keys.indexOf(e.key) >= 0; };
    var waiting = summary.waiting.filter(here), refusedHere = summary.refused.filter(here);
    waiting.forEach(function (entry) {
      var state = stateOf(formFor(entry));
      if (state && summary.offline) { state.textContent = "未保存（网络不可用，已保存在本机）"; state.dataset.state = "offline"; }
    });
    if (!status) { return; }
    var parts = [];
    if (waiting.length) {
      parts.push(waiting.length + " 项修改尚未保存到服务器（" + (summary.offline ? "网络已断开，恢复后自动发送" : summary.login ? "登录已过期，请重新登录" : summary.server ? "服务器暂时无法处理，稍后自动重试" : "正在发送…") + "）");
    }
    var conflicts = refusedHere.filter(function (e) { return e.status === 409; }).length;
    if (conflicts) { parts.push(conflicts + " 项与其他检查人员的修改冲突，请核对"); }
    if (refusedHere.length - conflicts) { parts.push((refusedHere.length - conflicts) + " 项未通过校验，请按提示修改"); }
    status.textContent = parts.length ? parts.join("；") : "所有修改均已保存到服务器。";
    status.className = "sync-status " + (parts.length ? "unsaved" : "saved");
  });
})();
