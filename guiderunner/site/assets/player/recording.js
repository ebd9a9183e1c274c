// "Watch this page run": loads the page's recording in asciinema-player when the reader opens it.
// Everything comes from the site itself (data-player, data-cast); nothing is fetched elsewhere.
(function () {
  "use strict";
  if (window.guiderunnerRecordings) return;  // one copy, however many snippets a page has
  var loading = null;

  function playerScript(src) {
    if (window.AsciinemaPlayer) return Promise.resolve(window.AsciinemaPlayer);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.AsciinemaPlayer); };
        script.onerror = function () { reject(new Error("cannot load " + src)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function player(details) {
    if (details.guiderunnerPlayer) return details.guiderunnerPlayer;
    var box = details.querySelector(".recording-player");
    details.guiderunnerPlayer = playerScript(box.dataset.player).then(function (api) {
      return api.create(box.dataset.cast, box, {
        cols: 80, rows: 24, fit: "width", preload: true,
        terminalFontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      });
    });
    return details.guiderunnerPlayer;
  }

  // Seek to a step: its marker time and a hair more, so the step's command is on screen.
  function show(details, time, play) {
    details.open = true;
    return player(details).then(function (p) {
      return p.seek(time + 0.001).then(function () {
        details.scrollIntoView({ block: "nearest" });
        return play ? p.play() : p;
      });
    });
  }

  function start() {
    document.querySelectorAll("details.recording").forEach(function (details) {
      details.addEventListener("toggle", function () { if (details.open) player(details); });
      if (details.open) player(details);
      details.querySelectorAll(".recording-chapters button[data-time]").forEach(function (b) {
        b.addEventListener("click", function () { show(details, parseFloat(b.dataset.time), false); });
      });
    });
    document.addEventListener("click", function (event) {
      var mark = event.target.closest && event.target.closest("a[data-recording-time]");
      var details = mark && document.getElementById(mark.getAttribute("href").slice(1));
      if (!details || !details.matches("details.recording")) return;
      event.preventDefault();
      show(details, parseFloat(mark.dataset.recordingTime), false);
    });
  }

  window.guiderunnerRecordings = { player: player, show: show };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
