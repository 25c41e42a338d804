// Sets a photo's focal point with a click on its preview: the two number fields
// (focal_x, focal_y, 0 to 1) take the point, and a marker shows it. The number fields
// stay the way to set it by keyboard, and the marker follows what is typed there.
"use strict";
(function () {
  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function round(value) {
    return Math.round(value * 1000) / 1000;
  }

  function init() {
    const image = document.querySelector("img.photo-preview");
    const x = document.getElementById("id_focal_x");
    const y = document.getElementById("id_focal_y");
    if (!image || !x || !y) return;

    const wrap = document.createElement("div");
    wrap.className = "focal-picker-wrap";
    const frame = document.createElement("span");
    frame.className = "focal-picker";
    const marker = document.createElement("span");
    marker.className = "focal-picker__marker";
    marker.setAttribute("aria-hidden", "true");
    const hint = document.createElement("p");
    hint.className = "focal-picker__hint";
    hint.id = "focal-picker-hint";
    hint.textContent = "Click the photo to set its focal point, the part every crop keeps in view " +
      "(or type it in the Focal x and Focal y fields).";
    image.replaceWith(wrap);
    frame.append(image, marker);
    wrap.append(frame, hint);
    image.classList.add("focal-picker__image");

    function show() {
      const fx = parseFloat(x.value);
      const fy = parseFloat(y.value);
      const valid = !isNaN(fx) && !isNaN(fy) && fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;
      marker.hidden = !valid;
      if (valid) {
        // CSSOM, not a style attribute: allowed by the strict CSP.
        marker.style.left = (fx * 100) + "%";
        marker.style.top = (fy * 100) + "%";
      }
    }

    image.addEventListener("click", function (event) {
      const box = image.getBoundingClientRect();
      if (!box.width || !box.height) return;
      x.value = round(clamp((event.clientX - box.left) / box.width));
      y.value = round(clamp((event.clientY - box.top) / box.height));
      [x, y].forEach(function (field) {
        field.dispatchEvent(new Event("input", {bubbles: true}));
        field.dispatchEvent(new Event("change", {bubbles: true}));
      });
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
