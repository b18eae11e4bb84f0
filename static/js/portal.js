// The portal's own script. Every page works without it; it only makes things
// smoother where JavaScript runs.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  // Move focus to an error summary when one appears, on load or after an htmx
  // swap, so keyboard and screen-reader users land on what went wrong.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    sessionTimeout(document.getElementById("session-timeout"));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });

  // Inactivity warning. The server ends an idle session on its own; this
  // only warns shortly before, offers to stay signed in, and leaves the page
  // once the session is over. Before warning it asks the server how much
  // time is really left, since another tab may have kept the session alive.
  function sessionTimeout(dialog) {
    if (!dialog || typeof dialog.showModal !== "function") return;
    var idle = Number(dialog.dataset.idleSeconds) * 1000;
    var warn = Number(dialog.dataset.warnSeconds) * 1000;
    var countdown = dialog.querySelector("[data-countdown]");
    var deadline = 0, warnTimer = 0, tick = 0;

    function words(ms) {
      var s = Math.max(0, Math.ceil(ms / 1000)), m = Math.floor(s / 60);
      s = s % 60;
      var parts = [];
      if (m) parts.push(m + (m === 1 ? " minute" : " minutes"));
      if (s || !m) parts.push(s + (s === 1 ? " second" : " seconds"));
      return parts.join(" ");
    }
    function schedule(remainingMs) {
      clearTimeout(warnTimer);
      clearInterval(tick);
      deadline = Date.now() + remainingMs;
      warnTimer = setTimeout(check, Math.max(0, remainingMs - warn));
    }
    function check() {
      fetch(dialog.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var left = s.remaining * 1000;
          if (left <= 0) return ended();
          if (left > warn + 5000) return schedule(left);
          open(left);
        })
        .catch(function () { open(deadline - Date.now()); });
    }
    function open(left) {
      deadline = Date.now() + left;
      countdown.textContent = words(left);
      if (!dialog.open) dialog.showModal();
      clearInterval(tick);
      // Update the visible text every second, but announce only every 30 s.
      tick = setInterval(function () {
        var ms = deadline - Date.now();
        if (ms <= 0) return ended();
        countdown.textContent = words(ms);
      }, 1000);
    }
    function ended() {
      clearInterval(tick);
      window.location.assign(dialog.dataset.endedUrl);
    }
    dialog.addEventListener("htmx:afterRequest", function (event) {
      if (!event.detail.successful) return ended();
      dialog.close();
      schedule(idle);
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault(); // Escape must not dismiss the choice silently
    });
    schedule(idle);
  }
})();
