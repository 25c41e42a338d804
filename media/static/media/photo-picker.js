// Refreshes the thumbnail next to a photo field when the chosen photo changes.
// The admin's raw-id lookup popup sets the input's value without firing "change",
// so the value is also checked on a short interval.
"use strict";
(function () {
  function watch(picker) {
    const input = picker.querySelector(".photo-picker__input");
    const thumb = picker.querySelector(".photo-picker__thumb");
    const warning = picker.querySelector(".photo-picker__warning");
    const facts = picker.querySelector(".photo-picker__facts");
    const credit = picker.querySelector(".photo-picker__credit");
    const rights = picker.querySelector(".photo-picker__rights");
    if (!input || !thumb) return;
    let shown = input.value;
    function refresh() {
      if (input.value === shown) return;
      shown = input.value;
      if (!/^\d+$/.test(shown)) {
        thumb.hidden = true;
        warning.hidden = true;
        if (facts) facts.hidden = true;
        return;
      }
      const url = picker.dataset.previewUrl + "?id=" + encodeURIComponent(shown);
      fetch(url, {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || input.value !== shown) return;
          thumb.src = data.thumbnail || "";
          thumb.alt = data.alt_text || "";
          thumb.hidden = !data.thumbnail;
          const label = picker.querySelector("strong a, strong");
          if (label) label.textContent = data.label || "";
          if (facts) {
            credit.textContent = data.credit || "";
            rights.textContent = data.rights || "";
            facts.hidden = false;
          }
          warning.textContent = data.warning || "";
          warning.hidden = !data.warning;
        });
    }
    input.addEventListener("change", refresh);
    input.addEventListener("input", refresh);
    window.setInterval(refresh, 500);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".photo-picker").forEach(watch);
  });
})();
