// The portal's own behaviour, small and progressive: every page works without it.
(function () {
  "use strict";

  // A form sent twice by a double click would do the work twice: send it once.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
    });
  });

  // Irreversible actions ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // After a failed submission, take keyboard and screen-reader users to the errors. Each error
  // links to its field; the browser's own jump would put the field at the top edge, its label
  // out of sight above it, so the field is brought to the middle instead.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.hash.slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus({ preventScroll: true });
      }
    });
  } else {
    var invalid = document.querySelector(".is-invalid");
    if (invalid) {
      invalid.focus();
    }
  }
})();
