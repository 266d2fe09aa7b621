// Small behaviours shared by every page. Everything works without it; it only adds comfort.
(function () {
  "use strict";

  // Dismiss and auto-hide flash messages.
  function armMessages(root) {
    root.querySelectorAll("[data-autohide]").forEach(function (el) {
      if (el.dataset.armed) return;
      el.dataset.armed = "1";
      if (!el.classList.contains("message-error")) {
        setTimeout(function () { el.remove(); }, 8000);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) {
      var box = dismiss.closest(".message");
      if (box) box.remove();
    }
    // Show/hide a password input: <button data-toggle-secret="input-id">
    var toggle = event.target.closest("[data-toggle-secret]");
    if (toggle) {
      var input = document.getElementById(toggle.dataset.toggleSecret);
      if (input) {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        toggle.textContent = show ? "Hide" : "Show";
        toggle.setAttribute("aria-pressed", show ? "true" : "false");
      }
    }
    // Copy to the clipboard: <button data-copy-target="element-id">
    var copy = event.target.closest("[data-copy-target]");
    if (copy) {
      var source = document.getElementById(copy.dataset.copyTarget);
      if (source) {
        var text = source.value !== undefined && source.tagName === "INPUT" ? source.value : source.textContent;
        var done = function () {
          var label = copy.textContent;
          copy.textContent = "Copied";
          copy.classList.add("copied");
          setTimeout(function () { copy.textContent = label; copy.classList.remove("copied"); }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text.trim()).then(done, function () { fallbackCopy(text.trim()); done(); });
        } else {
          fallbackCopy(text.trim());
          done();
        }
      }
    }
  });

  // A filter that applies as soon as it is chosen: <select data-autosubmit> (a button in
  // <noscript> does it without JavaScript). Here, not in an onchange attribute: the Content
  // Security Policy runs no inline script.
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    area.remove();
  }

  // A logo that fails to load shows the element's initials instead.
  function logoFallback(img) {
    var box = img.closest(".logo");
    if (box) box.classList.add("logo-missing");
    img.remove();
  }
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img.tagName === "IMG" && img.dataset.fallback !== undefined) logoFallback(img);
  }, true);
  // This script is deferred: a logo may have failed before the listener above was there.
  function checkLogos(root) {
    root.querySelectorAll("img[data-fallback]").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.naturalHeight === 0) logoFallback(img);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { armMessages(document); checkLogos(document); });
  document.addEventListener("htmx:afterSettle", function () { armMessages(document); });

  // An upstream that cannot be reached or a dropped connection still gets a message.
  document.addEventListener("htmx:sendError", function () {
    showMessage("The dashboard could not be reached. Check your connection and try again.", "error");
  });
  // A page the platform failed answers 502, 503 or 504 with its message as the partial asked for
  // (dashboard/htmx.py upstream_page): swap it in like any answer, so the message is seen.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Upstream-Error")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.getResponseHeader("HX-Trigger")) return;
    showMessage("The action failed (" + xhr.status + "). Please try again.", "error");
  });

  function showMessage(text, level) {
    var box = document.getElementById("messages");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "message message-" + (level || "info");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "message-close";
    close.setAttribute("aria-label", "Dismiss");
    close.setAttribute("data-dismiss", "");
    close.innerHTML = "&times;";
    el.appendChild(span);
    el.appendChild(close);
    box.appendChild(el);
  }
  window.dashboardMessage = showMessage;
})();
