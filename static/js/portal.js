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

  // After a failed submission, take keyboard and screen-reader users to the errors.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  } else {
    var invalid = document.querySelector(".is-invalid");
    if (invalid) {
      invalid.focus();
    }
  }
})();
