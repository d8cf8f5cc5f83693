// A background job's page: asks the API how far the job has come every second and a half, moves
// the progress bar, and reloads the page once the job has finished (to show its file or error).
(function () {
  "use strict";
  const card = document.querySelector("[data-job-api]");
  if (!card) return;
  const bar = card.querySelector("[data-job-progress]");
  const count = card.querySelector("[data-job-count]");
  const status = card.querySelector("[data-job-status]");
  let failures = 0;

  async function poll() {
    try {
      const response = await fetch(card.dataset.jobApi, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const job = await response.json();
      failures = 0;
      if (job.status === "done" || job.status === "failed") {
        window.location.reload();
        return;
      }
      if (job.total) {
        bar.max = job.total;
        bar.value = job.done;
        bar.removeAttribute("aria-busy");
        count.textContent = "已处理 " + job.done + " / " + job.total;
      }
      status.textContent = job.status_label;
    } catch (error) {
      failures += 1;
      count.textContent = "暂时无法获取进度，正在重试…";
    }
    window.setTimeout(poll, Math.min(1500 * (failures + 1), 15000));
  }
  window.setTimeout(poll, 1000);
})();
