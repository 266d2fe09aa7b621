// Instance pages: the delete confirmation arrives from htmx into #modal-root as a <dialog>;
// open it as a modal, and drop it again when it closes. Without JavaScript the Delete link
// opens a confirmation page instead.
(function () {
  "use strict";

  function openDialogs() {
    document.querySelectorAll("#modal-root dialog.modal").forEach(function (dialog) {
      if (!dialog.open) dialog.showModal();
    });
  }

  document.addEventListener("htmx:afterSettle", openDialogs);

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      var dialog = closer.closest("dialog");
      if (dialog) dialog.close();
    }
  });

  // "close" does not bubble: listen while it is captured on its way down.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (dialog.tagName === "DIALOG" && dialog.closest("#modal-root")) dialog.remove();
  }, true);
})();
