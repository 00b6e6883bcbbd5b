/* The report editor asks before the page is left while a section holds narrative that is not saved.
   A section is unsaved when its text differs from what the server last sent (the textarea's default value), or when
   the server sent it back unsaved (a conflict or an error: data-unsaved). Saving through htmx replaces the section
   with the saved one, so nothing is left to ask about. Kept out of the template for the Content-Security-Policy. */
(function () {
  "use strict";

  function unsavedSections() {
    var found = [];
    document.querySelectorAll("#sections .report-section").forEach(function (section) {
      var box = section.querySelector("form.section-form textarea[name=text]");
      if (!box || box.dataset.leaving) return;
      if (section.hasAttribute("data-unsaved") || box.value !== box.defaultValue) found.push(section);
    });
    return found;
  }

  // A section posted without htmx leaves the page on purpose: that one is being saved.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("section-form") || form.hasAttribute("hx-post") && window.htmx) return;
    var box = form.querySelector("textarea[name=text]");
    if (box) box.dataset.leaving = "1";
  });

  window.addEventListener("beforeunload", function (event) {
    if (!unsavedSections().length) return;
    event.preventDefault();
    // Browsers show their own wording; returnValue is what makes them ask.
    event.returnValue = "";
    return "";
  });

  // Mark which sections hold unsaved text, so the user sees what the question is about.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("form.section-form textarea[name=text]")) return;
    var section = box.closest(".report-section");
    if (section) section.classList.toggle("report-section--dirty", box.value !== box.defaultValue);
  });
})();
