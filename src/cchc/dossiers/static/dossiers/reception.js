// The receive page: a search-as-you-type procedure picker over the plain <select> (which stays in the form and
// carries the value), and "Dùng thông tin này" filling the applicant's earlier details. Without this file the page
// works with the <select>; no inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  function initPicker(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var url = select.dataset.searchUrl;
    var label = document.getElementById("procedure-label");
    var input = document.createElement("input");
    input.type = "text";
    input.id = "procedure-search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "procedure-options");
    input.setAttribute("aria-describedby", "procedure-help");
    input.setAttribute("autocomplete", "off");
    input.placeholder = "Mã hoặc tên thủ tục, ví dụ: dang ky";
    var list = document.createElement("ul");
    list.id = "procedure-options";
    list.className = "picker__options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) input.value = chosen.text;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    // The plain list stays (it carries the value, and some prefer to pick in it); the search box comes first.
    select.removeAttribute("autofocus");
    select.setAttribute("aria-label", "Hoặc chọn trong danh sách thủ tục");
    if (label) label.htmlFor = input.id;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      input.value = option && option.value ? option.text : "";
    });
    if (document.activeElement === select || document.activeElement === document.body) input.focus();

    var active = -1;
    var timer = null;
    var asked = 0;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled])"));
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(item) {
      select.value = item.dataset.value;
      input.value = item.textContent;
      close();
      focusChecklist = true; // once the checklist arrives, the clerk ticks it from the keyboard
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function search() {
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(input.value), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (ticket !== asked) return; // an older answer arriving late
          list.innerHTML = html; // rendered and escaped by the server
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          active = -1;
          if (options().length) highlight(0);
        });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden) {
        var items = options();
        if (items.length) {
          event.preventDefault(); // choose, do not submit the form
          choose(items[Math.max(active, 0)]);
        }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) {
      var item = event.target.closest("[role=option]:not([aria-disabled])");
      if (item) { event.preventDefault(); choose(item); }
    });
  }

  var focusChecklist = false;
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!focusChecklist || !event.detail.target || event.detail.target.id !== "reception-checklist") return;
    focusChecklist = false;
    var first = event.detail.target.querySelector("input:not([type=hidden]), select") ||
      document.getElementById("id_applicant_kind");
    if (first) first.focus();
  });

  function fillApplicant(button) {
    var form = button.closest("form");
    if (!form) return;
    [["applicant_name", "name"], ["applicant_address", "address"], ["applicant_phone", "phone"],
     ["applicant_email", "email"], ["applicant_kind", "kind"]].forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (field && button.dataset[pair[1]] !== undefined) field.value = button.dataset[pair[1]];
    });
    var name = form.elements.applicant_name;
    if (name) name.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fill-applicant]");
    if (button) fillApplicant(button);
  });

  function init() {
    document.querySelectorAll("select[data-procedure-picker]").forEach(initPicker);
  }
  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
