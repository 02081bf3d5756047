// A calendar beside the date boxes marked data-date-picker: the Solar Hijri one under Persian
// (the vendored jalaliDatepicker), the browser's own Gregorian date input under English. The
// server reads what is typed in either calendar, so the box works without this script, and
// keyboard users can always type the date: the picker never makes the box read-only.
(function () {
  "use strict";

  var boxes = document.querySelectorAll("input[data-date-picker]");
  if (!boxes.length) {
    return;
  }
  if (document.documentElement.lang === "fa") {
    if (!window.jalaliDatepicker) {
      return;
    }
    // The picker reads the box's date in Latin digits only: a Persian digit reads as no date
    // at all. The server reads both, so the box holds Latin ones, typed or picked.
    var latin = function (text) {
      return text.replace(/[۰-۹٠-٩]/g, function (digit) {
        var persian = "۰۱۲۳۴۵۶۷۸۹".indexOf(digit);
        return String(persian >= 0 ? persian : "٠١٢٣٤٥٦٧٨٩".indexOf(digit));
      });
    };
    boxes.forEach(function (box) {
      box.setAttribute("data-jdp", "");
      box.value = latin(box.value);
      box.addEventListener("input", function () {
        var fixed = latin(box.value);
        if (fixed !== box.value) {
          var caret = box.selectionStart;
          box.value = fixed;
          box.setSelectionRange(caret, caret);
        }
      });
    });
    window.jalaliDatepicker.startWatch({
      persianDigits: true,
      autoReadOnlyInput: false,
      showCloseBtn: true,
      // Years around today: initiatives and meetings are planned, not archived.
      minDate: { year: 1380, month: 1, day: 1 },
      maxDate: { year: 1420, month: 12, day: 29 },
    });
    return;
  }
  boxes.forEach(function (box) {
    // The browser's date input holds year-month-day only; anything else typed stays text so
    // that the server can say what is wrong with it.
    if (box.value === "" || /^\d{4}-\d{2}-\d{2}$/.test(box.value)) {
      box.type = "date";
    }
  });
})();
