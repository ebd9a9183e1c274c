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

  // The player's own words (buttons, tooltips, help overlay) in the page's language:
  // data-words maps each English text to its translation. The terminal is never touched.
  var ATTRIBUTES = ["aria-label", "title"];

  function translated(words, text) {
    var key = text.trim();
    return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : null;
  }

  function translate(node, words) {
    if (node.nodeType === Node.TEXT_NODE) {
      var parent = node.parentElement;
      if (!parent || parent.closest(".ap-terminal")) return;
      var text = translated(words, node.nodeValue);
      if (text !== null && node.nodeValue !== text) node.nodeValue = text;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || node.closest(".ap-terminal")) return;
    ATTRIBUTES.forEach(function (name) {
      var value = node.getAttribute(name);
      var text = value === null ? null : translated(words, value);
      if (text !== null && value !== text) node.setAttribute(name, text);
    });
    for (var child = node.firstChild; child; child = child.nextSibling) translate(child, words);
  }

  function localise(box) {
    var words = box.dataset.words ? JSON.parse(box.dataset.words) : null;
    if (!words) return;
    translate(box, words);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "attributes" || change.type === "characterData") translate(change.target, words);
        change.addedNodes.forEach(function (node) { translate(node, words); });
      });
    }).observe(box, { subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ATTRIBUTES });
  }

  // The progress bar's markers say what the chapters below say, in the page's language.
  function markers(details) {
    var found = [];
    details.querySelectorAll(".recording-chapters button[data-time]").forEach(function (b) {
      found.push([parseFloat(b.dataset.time), b.textContent]);
    });
    return found;
  }

  function player(details) {
    if (details.guiderunnerPlayer) return details.guiderunnerPlayer;
    var box = details.querySelector(".recording-player");
    localise(box);
    details.guiderunnerPlayer = playerScript(box.dataset.player).then(function (api) {
      var options = {
        cols: 80, rows: 24, fit: "width", preload: true,
        terminalFontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      };
      var chapters = markers(details);
      if (chapters.length) options.markers = chapters;
      return api.create(box.dataset.cast, box, options);
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
