// Updates a job's progress bar every second without reloading the page. Without this
// script the page still works: its refresh link shows the same figures.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var next = document.getElementById("job-next");
  var file = document.getElementById("job-file");
  var refresh = document.getElementById("job-refresh");
  if (!refresh) { return; }
  function poll() {
    fetch(box.getAttribute("data-progress"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) { return; }
        bar.value = progress.percent;
        bar.textContent = progress.percent + "%";
        if (message.textContent !== progress.message) { message.textContent = progress.message; }
        if (progress.status === "done" || progress.status === "failed") {
          refresh.hidden = true;
          if (progress.status === "failed") { window.location.reload(); return; }
          if (progress.file) {
            var link = file.querySelector("a");
            link.setAttribute("href", progress.file);
            link.textContent = "Download " + progress.fileName;
            file.hidden = false;
          }
          if (progress.next && box.getAttribute("data-continue") === "auto") {
            window.location.assign(progress.next);
            return;
          }
          if (progress.next) {
            next.querySelector("a").setAttribute("href", progress.next);
            next.hidden = false;
          }
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
