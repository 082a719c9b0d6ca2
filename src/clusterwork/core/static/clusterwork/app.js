// Small progressive enhancements; every page works without this file.
(function () {
  // Typeahead: choosing a school fills the URN field of the add-member form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-urn]");
    if (!button) return;
    var field = document.getElementById("id_school");
    if (!field) return;
    field.value = button.dataset.fillUrn;
    var options = document.getElementById("school-options");
    if (options) options.textContent = "Chosen: " + button.dataset.fillName + " (URN " + button.dataset.fillUrn + ")";
    field.focus();
  });
  // After htmx replaces the members region, keep keyboard users where they were.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "members") {
      var heading = document.getElementById("members-h");
      if (heading) heading.focus();
    }
  });
})();
