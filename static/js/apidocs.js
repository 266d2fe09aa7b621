// API Docs: filter the operations as you type, "/" to filter, open an operation named in the URL.
// Without JavaScript the filter box submits (?q=) and the server filters; everything else is HTML.
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function applyFilter(input) {
    var query = words(input.value);
    var shown = 0;
    document.querySelectorAll("[data-resource]").forEach(function (section) {
      var visible = 0;
      section.querySelectorAll("[data-op]").forEach(function (op) {
        var text = op.dataset.search || "";
        var match = query.every(function (word) { return text.indexOf(word) !== -1; });
        op.hidden = !match;
        if (match) visible += 1;
      });
      section.hidden = visible === 0;
      shown += visible;
      var nav = document.querySelector('[data-nav-for="' + section.id + '"]');
      if (nav) {
        nav.hidden = visible === 0;
        var count = nav.querySelector("[data-nav-count]");
        if (count) count.textContent = visible;
      }
    });
    var counter = document.getElementById("op-count");
    if (counter) {
      var total = parseInt(counter.dataset.total, 10) || 0;
      var noun = total === 1 ? " operation" : " operations";
      counter.textContent = (query.length ? shown + " of " + total : total) + noun;
    }
    var empty = document.getElementById("op-no-match");
    if (empty) {
      empty.hidden = shown !== 0;
      var echo = empty.querySelector("[data-filter-echo]");
      if (echo) echo.textContent = input.value.trim();
    }
    // The address keeps the filter, so a reload or a shared link shows the same list.
    var url = new URL(window.location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value.trim());
    else url.searchParams.delete("q");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  function openFromHash() {
    if (!window.location.hash) return;
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target) return;
    var op = target.closest("[data-op]");
    if (op) op.open = true;
    var tryit = target.closest("details.tryit");
    if (tryit) tryit.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("[data-op-filter]");
    if (!input) return;
    input.addEventListener("input", function () { applyFilter(input); });
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      applyFilter(input);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        applyFilter(input);
      }
    });
    var clear = document.querySelector("[data-filter-clear]");
    if (clear) {
      clear.addEventListener("click", function (event) {
        event.preventDefault();
        input.value = "";
        applyFilter(input);
        input.focus();
      });
    }
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (event.key === "/" && !event.ctrlKey && !event.metaKey && tag !== "input" &&
          tag !== "textarea" && tag !== "select" && !event.target.isContentEditable) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
    openFromHash();
  });
  window.addEventListener("hashchange", openFromHash);
})();
