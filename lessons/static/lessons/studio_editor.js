/* The question editor, enhanced. Optional: without it the page works as the server rendered it.

   - the selects beside the items that name the options by their row (`data-names-options`) rename their
     choices as the options are typed: "Option 2: what option row 2 says" ("Option 2" while it is blank), in
     the words the server gave (`data-label-written`, `data-label-blank`, with {number} and {text}). */
(function () {
  "use strict";

  function label(select, number, text) {
    var format = select.getAttribute(text ? "data-label-written" : "data-label-blank") || "";
    return format.split("{number}").join(String(number)).split("{text}").join(text);
  }

  function rename(form) {
    form.querySelectorAll("select[data-names-options]").forEach(function (select) {
      select.querySelectorAll("option[data-number]").forEach(function (option) {
        var input = form.querySelector('input[name="option-' + option.value + '-text"]');
        var text = input ? input.value.trim() : "";
        option.textContent = label(select, option.getAttribute("data-number"), text);
      });
    });
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || !/^option-\d+-text$/.test(target.name)) return;
    if (target.form && target.form.querySelector("select[data-names-options]")) rename(target.form);
  });
})();
