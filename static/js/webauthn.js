// Security keys and passkeys. Runs the WebAuthn ceremony for a form marked
// data-webauthn="register" or "sign-in": asks the server for options,
// hands them to the browser, and posts the browser's answer back. The
// server speaks JSON with base64url strings where the browser wants bytes;
// this file converts both ways. The form stays hidden without WebAuthn (the
// page then says why) and without JavaScript (the page's <noscript> does).
(function () {
  "use strict";

  // base64url (no padding) <-> bytes.
  function toBytes(s) {
    var b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function toBase64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function idsToBytes(list) {
    (list || []).forEach(function (c) { c.id = toBytes(c.id); });
  }

  function creationOptions(pk) {
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    idsToBytes(pk.excludeCredentials);
    return pk;
  }
  function requestOptions(pk) {
    pk.challenge = toBytes(pk.challenge);
    idsToBytes(pk.allowCredentials);
    return pk;
  }

  // credentialJSON is the browser's answer in the form the server reads
  // (the WebAuthn "JSON" encoding of a PublicKeyCredential).
  function credentialJSON(cred) {
    var r = cred.response;
    var out = {
      id: cred.id,
      rawId: toBase64url(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toBase64url(r.clientDataJSON) }
    };
    if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      if (r.userHandle) out.response.userHandle = toBase64url(r.userHandle);
    }
    return out;
  }

  // The CSRF token travels in the body's hx-headers, for htmx and for us.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  // ServerError carries the server's refusal (or the lack of one).
  function ServerError(status, data) {
    this.name = "ServerError";
    this.status = status;
    this.data = data || null;
  }

  // post sends JSON and reads JSON. A redirect means the session moved on
  // (signed out, or a fresh sign-in is needed): the page follows it.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      if (res.redirected) {
        window.location.assign(res.url);
        return new Promise(function () {}); // the page is leaving
      }
      var json = (res.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) throw new ServerError(res.status, null);
      return res.json().then(function (data) {
        if (!res.ok) throw new ServerError(res.status, data);
        return data;
      });
    });
  }

  // show puts a USWDS alert in the page's live region, replacing the last.
  function show(region, kind, text) {
    var alert = document.createElement("div");
    alert.className = "usa-alert usa-alert--slim usa-alert--" + kind + " margin-bottom-3";
    alert.setAttribute("data-testid", "alert-" + kind);
    var body = document.createElement("div");
    body.className = "usa-alert__body";
    var p = document.createElement("p");
    p.className = "usa-alert__text";
    p.textContent = text;
    body.appendChild(p);
    alert.appendChild(body);
    region.replaceChildren(alert);
  }

  // explain turns a failure into the page's words. Browsers report a
  // cancelled prompt and an expired one alike (NotAllowedError), so the
  // time taken tells them apart.
  function explain(err, msg, ceremony, started, timeout) {
    if (err instanceof ServerError) {
      if (err.data && err.data.message) return err.data.message;
      return err.status === 403 ? msg.expired : msg.server;
    }
    switch (err && err.name) {
      case "NotAllowedError":
        return started && Date.now() - started >= timeout - 2000 ? msg.timedOut : msg.cancelled;
      case "AbortError":
        return msg.cancelled;
      case "InvalidStateError":
        return ceremony === "register" ? msg.alreadyAdded : msg.failed;
      case "SecurityError":
        return msg.wrongAddress;
      case "NotSupportedError":
        return msg.unsupported;
    }
    return msg.failed;
  }

  function setUp(form) {
    var d = form.dataset, ceremony = d.webauthn;
    var region = document.getElementById("webauthn-status");
    var msg = {
      waiting: d.msgWaiting, unsupported: d.msgUnsupported, wrongAddress: d.msgWrongAddress,
      cancelled: d.msgCancelled, timedOut: d.msgTimedOut, alreadyAdded: d.msgAlreadyAdded,
      failed: d.msgFailed, expired: d.msgExpired, server: d.msgServer
    };
    if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) {
      show(region, "warning", msg.unsupported);
      return;
    }
    form.hidden = false;
    var busy = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      form.setAttribute("aria-busy", "true");
      show(region, "info", msg.waiting);
      var started = 0, timeout = 0;
      post(d.optionsUrl)
        .then(function (options) {
          var pk = options.publicKey;
          timeout = pk.timeout || 300000;
          started = Date.now();
          if (ceremony === "register") {
            return navigator.credentials.create({ publicKey: creationOptions(pk) });
          }
          return navigator.credentials.get({ publicKey: requestOptions(pk) });
        })
        .then(function (cred) {
          if (!cred) throw { name: "NotAllowedError" };
          var answer = credentialJSON(cred);
          if (ceremony === "register") {
            var name = form.querySelector("[name=name]");
            answer = { name: name ? name.value : "", credential: answer };
          }
          return post(d.finishUrl, answer);
        })
        .then(function (done) {
          window.location.assign(done.redirect);
        })
        .catch(function (err) {
          busy = false;
          form.removeAttribute("aria-busy");
          show(region, "error", explain(err, msg, ceremony, started, timeout));
          if (err instanceof ServerError && err.data && err.data.blocked) form.hidden = true;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-webauthn]").forEach(setUp);
  });
})();
