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

  // Work going on in the background (invitations being sent): look at the page again every few
  // seconds and bring over the parts marked with ids until the work is done. Only those parts
  // change, so focus and what is typed in forms stay where they are.
  var watched = document.querySelector("[data-refresh-while-present]");
  if (watched && window.fetch && window.DOMParser) {
    var parts = ["sending-progress", "invitation-counts"];
    var look = function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          parts.forEach(function (id) {
            var old = document.getElementById(id);
            var replacement = fresh.getElementById(id);
            if (old && replacement) {
              // The content changes inside the same element: a live region is announced.
              old.innerHTML = replacement.innerHTML;
              old.toggleAttribute(
                "data-refresh-while-present",
                replacement.hasAttribute("data-refresh-while-present")
              );
            }
          });
          if (document.querySelector("[data-refresh-while-present]")) {
            window.setTimeout(look, 3000);
          }
        })
        .catch(function () {
          window.setTimeout(look, 10000);
        });
    };
    window.setTimeout(look, 3000);
  }

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
