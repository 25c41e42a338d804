/* Editorial notes on the article form: post a note without leaving the page.
 *
 * The note form is its own <form>, outside the article's. Posted the plain way it would
 * reload the page and drop whatever is typed but unsaved in the story, so here it is sent
 * in the background and only the thread is redrawn (the server answers the thread's HTML
 * when asked with the X-Desk-Notes header). Anything else that comes back (a sign-in page,
 * a server error, no network) leaves the note's text in its box and says so.
 */
(function () {
  "use strict";

  var HEADER = "X-Desk-Notes";

  function say(section, text) {
    var status = section.querySelector("[data-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function hideReloadHint(section) {
    var hint = section.querySelector("[data-reload-hint]");
    if (hint) {
      hint.hidden = true;
    }
  }

  function redraw(section, html, posted) {
    section.innerHTML = html;
    hideReloadHint(section);
    var count = section.querySelector("[data-note-count]");
    var link = document.querySelector("[data-note-count-link]");
    if (count && link) {
      link.textContent = "Notes (" + count.getAttribute("data-note-count") + ")";
    }
    // Posted: to the warnings about it, or to the new note; refused: back to the text.
    var focus = posted
      ? section.querySelector("[data-focus]")
      : section.querySelector(".note-form textarea");
    if (focus) {
      focus.focus();
    }
  }

  function post(section, form) {
    var button = form.querySelector("[type=submit]");
    var headers = {};
    headers[HEADER] = "thread";
    button.disabled = true;
    say(section, "Posting…");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: headers,
      credentials: "same-origin",
      redirect: "manual"
    })
      .then(function (response) {
        if (response.headers.get(HEADER) !== "thread") {
          throw new Error("unexpected answer");
        }
        return response.text().then(function (html) {
          redraw(section, html, response.ok);
          if (response.ok) {
            say(section, "Your note was added.");
          }
        });
      })
      .catch(function () {
        button.disabled = false;
        say(
          section,
          "The note was not posted (you may have been signed out, or the connection " +
            "failed). Its text is still here: copy it, save the story, and try again."
        );
      });
  }

  function enhance(section) {
    hideReloadHint(section);
    section.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("note-form")) {
        return;
      }
      event.preventDefault();
      post(section, form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-desk-notes]");
    if (section && window.fetch && window.FormData) {
      enhance(section);
    }
  });
})();
