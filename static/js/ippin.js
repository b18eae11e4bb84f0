// The IP PIN's copy button. Without this script the button stays hidden
// (display-none) and the digits can be selected and copied like any text.
(function () {
  "use strict";

  function announce(box, text) {
    var status = box.querySelector("[data-ippin-copied]");
    if (!status) return;
    status.textContent = "";
    // A fresh text node after a tick makes screen readers announce it again.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setup(box) {
    var button = box.querySelector("[data-ippin-copy]");
    if (!button) return;
    button.classList.remove("display-none");
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-ippin-copy")).then(function () {
        announce(box, "Copied");
      }, function () {
        announce(box, "Couldn’t copy. Select the digits and copy them instead.");
      });
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-ippin]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
