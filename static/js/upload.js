// Photo uploads for identity verification. Without this script each form
// posts its photo and the page comes back; with it, the photo shows before
// it is sent, a file that is too large is refused at once, and a progress
// bar follows the upload, which on a phone connection can take a while.
(function () {
  "use strict";

  function mb(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  // go loads the next page. When it is this page at another fragment,
  // setting the fragment alone would load nothing: reload it there.
  function go(next) {
    var target = new URL(next, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      window.location.hash = target.hash;
      window.location.reload();
      return;
    }
    window.location.assign(target.href);
  }

  function setup(form) {
    var input = form.querySelector("input[type=file]");
    var preview = form.querySelector("[data-upload-preview]");
    var error = form.querySelector("[data-upload-error]");
    var progress = form.querySelector("[data-upload-progress]");
    var button = form.querySelector("button[type=submit]");
    var group = input.closest(".usa-form-group");
    var max = Number(form.dataset.maxBytes);
    var objectURL = "";

    function showError(text) {
      error.textContent = text;
      group.classList.toggle("usa-form-group--error", !!text);
      if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }

    input.addEventListener("change", function () {
      showError("");
      var file = input.files && input.files[0];
      if (!file) return;
      if (objectURL) URL.revokeObjectURL(objectURL);
      objectURL = URL.createObjectURL(file);
      preview.src = objectURL;
      preview.alt = "Preview of the photo you chose";
      preview.hidden = false;
      if (file.size > max) showError("That file is " + mb(file.size) + "; the largest we accept is " + mb(max) + ". Choose a smaller copy.");
    });

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      event.preventDefault();
      if (!file) return showError("Choose a photo first.");
      if (file.size > max) return showError("That file is " + mb(file.size) + "; the largest we accept is " + mb(max) + ". Choose a smaller copy.");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total);
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { /* an error page */ }
        if (xhr.status === 200 && answer.next) { go(answer.next); return; }
        done();
        showError(answer.error || (xhr.status === 413
          ? "That file is larger than " + mb(max) + ", the largest we accept."
          : "The photo could not be sent. Check your connection and try again."));
      });
      xhr.addEventListener("error", function () {
        done();
        showError("The photo could not be sent. Check your connection and try again.");
      });
      progress.value = 0;
      progress.hidden = false;
      button.disabled = true;
      button.textContent = "Uploading…";
      xhr.send(new FormData(form));
    });

    function done() {
      progress.hidden = true;
      button.disabled = false;
      button.textContent = "Upload this photo";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload]").forEach(setup);
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
