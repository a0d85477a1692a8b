// supportbot reports: changing a choice shows the report at once (the form still works without
// this script); a section marked data-src (customers at risk) is fetched after the page shows,
// so the page does not wait for it. Charts are inline SVG drawn by the server.
"use strict";
(function () {
  const form = document.getElementById("report-form");
  if (form) {
    for (const select of form.querySelectorAll("select:not([disabled])")) {
      select.addEventListener("change", () => form.requestSubmit());
    }
  }
  for (const section of document.querySelectorAll("section[data-src]")) {
    const url = section.dataset.src;
    const separator = url.includes("?") ? "&" : "?";
    fetch(url + separator + "fragment=1", { credentials: "same-origin" })
      .then((answer) => {
        if (!answer.ok) throw new Error("HTTP " + answer.status);
        const type = answer.headers.get("content-type") || "";
        if (!type.startsWith("text/html")) throw new Error("not HTML: " + type);
        return answer.text();
      })
      .then((html) => {
        // the server's own escaped HTML for this section (same origin, checked content type)
        const holder = document.createElement("template");
        holder.innerHTML = html.trim();
        const loaded = holder.content.querySelector("section");
        if (!loaded) throw new Error("no section in the answer");
        section.replaceWith(loaded);
      })
      .catch(() => {
        section.removeAttribute("aria-busy");
        const waiting = section.querySelector("[data-loading]");
        if (waiting) {
          waiting.firstChild.textContent =
            "The customers at risk could not be loaded (try again in a moment). ";
        }
      });
  }
})();
