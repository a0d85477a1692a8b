// supportbot reports: changing a choice shows the report at once (the form still works without
// this script). Charts are inline SVG drawn by the server: nothing is fetched from elsewhere.
"use strict";
(function () {
  const form = document.getElementById("report-form");
  if (!form) return;
  for (const select of form.querySelectorAll("select:not([disabled])")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
})();
