// As soon as a photo file is chosen, asks the server for the credits embedded in it
// (IPTC/XMP/EXIF, read by media.images) and fills the fields that are still empty.
// What the user typed is never replaced; a value this script filled from an earlier
// file, untouched since, is replaced by the new file's. Without this script the same
// credits fill the empty fields when the form is saved.
"use strict";
(function () {
  function labelOf(form, field) {
    const label = form.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : field.name;
  }

  function setValue(field, value) {
    field.value = value;
    field.dataset.filledFromFile = field.value;
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function isFree(field) {
    // Empty, or still exactly what this script put there.
    return field.value.trim() === "" || field.value === field.dataset.filledFromFile;
  }

  function listed(labels) {
    return labels.join(", ");
  }

  function watch(input) {
    const form = input.form;
    const token = form && form.querySelector("[name=csrfmiddlewaretoken]");
    if (!form || !token) return;
    // A div.help, so the admin's aligned forms put it under the field like its help text.
    const status = document.createElement("div");
    status.className = "help photo-metadata-status";
    status.id = input.id + "_metadata_status";
    status.setAttribute("role", "status");
    status.hidden = true;
    const row = input.closest(".form-row");
    const help = row && row.querySelector(".help");
    (help || input.closest(".flex-container") || input).after(status);

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("photo-metadata-status--error", Boolean(isError));
      status.hidden = !text;
    }

    input.addEventListener("change", function () {
      const file = input.files && input.files[0];
      if (!file) {
        say("");
        return;
      }
      say("Reading the credits in " + file.name + "…");
      const body = new FormData();
      body.append("image", file);
      fetch(input.dataset.metadataUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"X-CSRFToken": token.value, "Accept": "application/json"},
      })
        .then(function (response) {
          return response.json().then(
            function (data) { return data; },
            function () { return {error: "The server could not read this file (" + response.status + ")."}; }
          );
        })
        .then(function (data) {
          if (!input.files || input.files[0] !== file) return; // another file was chosen since
          if (data.error) {
            say(data.error, true);
            return;
          }
          const filled = [];
          const kept = [];
          Object.keys(data.values || {}).forEach(function (name) {
            const field = form.elements.namedItem(name);
            if (!field || !("value" in field) || field.disabled || field.readOnly) return;
            const value = data.values[name];
            if (field.value === value) return;
            if (isFree(field)) {
              setValue(field, value);
              if (field.value === value) filled.push(labelOf(form, field));
            } else {
              kept.push(labelOf(form, field));
            }
          });
          let message;
          if (filled.length) {
            message = "Filled from the file: " + listed(filled) + ".";
          } else if (kept.length) {
            message = "The file's credits differ from what you typed; nothing was changed.";
          } else if (Object.keys(data.values || {}).length) {
            message = "The file's credits are already in the form.";
          } else {
            message = "The file carries no credits or caption; fill them in yourself.";
          }
          if (filled.length && kept.length) {
            message += " Kept what you typed in: " + listed(kept) + ".";
          }
          say(message);
        })
        .catch(function () {
          say("Could not ask the server for the file's credits; they are still read when you save.", true);
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=file][data-metadata-url]").forEach(watch);
  });
})();
