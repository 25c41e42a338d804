/* Nothing typed is lost on the article form (issue 15; server side: articles/admin_autosave.py).
 *
 * - Autosave: the form is posted to its autosave address a few seconds into typing, then
 *   every few seconds while typing goes on, when a field is left and when the tab is hidden
 *   or closed. The server keeps it as this person's autosave, never as the article.
 * - Leave warning: unsaved changes raise the browser's "leave page?" question, except
 *   when the form itself is being submitted.
 * - Workflow buttons: with unsaved changes they submit the form, which saves first (the
 *   server then opens the step); with none they go straight to the step.
 * - The live preview tab is told of every autosave at once (BroadcastChannel).
 * Without this script the form works as before: the buttons still save first.
 */
(function () {
  "use strict";

  var TYPING_INTERVAL = 3000; // ms from a keystroke to the autosave that carries it
  var RETRY_INTERVAL = 15000; // ms before retrying after a failure

  var TYPED = "_autosave_typed"; // the fields changed since the page opened, for the server

  function fieldValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === TYPED || typeof value !== "string") {
        return;
      }
      (values[name] = values[name] || []).push(value);
    });
    return values;
  }

  function serialise(form) {
    return JSON.stringify(fieldValues(form));
  }

  function start(config) {
    var form = config.closest("form");
    if (!form) {
      return;
    }
    var status = config.querySelector(".autosave__status");
    var pending = config.dataset.pending === "1";
    var unsaved = Boolean(config.dataset.unsaved);
    var initialValues = fieldValues(form);
    var initial = JSON.stringify(initialValues);
    var lastSent = initial;
    var timer = null;
    var inFlight = null;
    if (config.dataset.unsaved === "posted") {
      lastSent = null; // posted back with errors: newer than any autosave
    }
    var submitting = false;
    var channel = "BroadcastChannel" in window ? new BroadcastChannel("newsroom-autosave") : null;

    function say(text, problem) {
      status.textContent = text;
      status.classList.toggle("autosave__status--problem", Boolean(problem));
    }

    // Only the fields the writer changed are kept: a colleague's save since the page
    // opened must not come back as this writer's change.
    function typedFields() {
      var now = fieldValues(form);
      var names = {};
      (config.dataset.typed || "").split(",").forEach(function (name) {
        if (name) {
          names[name] = true;
        }
      });
      Object.keys(now).concat(Object.keys(initialValues)).forEach(function (name) {
        if (JSON.stringify(now[name] || []) !== JSON.stringify(initialValues[name] || [])) {
          names[name] = true;
        }
      });
      return Object.keys(names).join(",");
    }

    function formData() {
      var data = new FormData(form);
      data.set(TYPED, typedFields());
      return data;
    }

    function dirty() {
      return unsaved || serialise(form) !== initial;
    }

    function schedule(delay) {
      if (timer === null && !pending && !submitting) {
        timer = window.setTimeout(save, delay);
      }
    }

    function save() {
      window.clearTimeout(timer);
      timer = null;
      if (pending || submitting) {
        return;
      }
      var body = serialise(form);
      if (body === lastSent) {
        return;
      }
      if (inFlight) {
        schedule(TYPING_INTERVAL); // one request at a time; the next carries the latest text
        return;
      }
      inFlight = new AbortController();
      fetch(config.dataset.url, {
        method: "POST",
        body: formData(),
        credentials: "same-origin",
        headers: {Accept: "application/json"},
        signal: inFlight.signal
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json) {
          // The admin answers a signed-out request with its login page.
          throw new Error("Not autosaved: you are signed out. Sign in again in another tab; your text is still here.");
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.message || "Not autosaved.");
          }
          lastSent = body;
          say(data.message + (data.stale ? " " + data.stale : ""), Boolean(data.stale));
          if (channel) {
            channel.postMessage({channel: config.dataset.channel});
          }
        });
      }).catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        var text = error instanceof TypeError ? "Not autosaved: no connection. Trying again shortly." : error.message;
        say(text, true);
        schedule(RETRY_INTERVAL);
      }).finally(function () {
        inFlight = null;
      });
    }

    // A closing tab gets one last autosave; sendBeacon outlives the page (up to 64 KB).
    function saveOnLeaving() {
      if (pending || submitting || serialise(form) === lastSent) {
        return;
      }
      if (navigator.sendBeacon && navigator.sendBeacon(config.dataset.url, formData())) {
        lastSent = serialise(form);
      }
    }

    form.addEventListener("input", function () {
      schedule(TYPING_INTERVAL);
    });
    form.addEventListener("change", function () {
      schedule(0);
    });
    form.addEventListener("focusout", function () {
      schedule(0);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        saveOnLeaving();
      }
    });
    window.addEventListener("pagehide", saveOnLeaving);

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // "Live preview" posts to another tab: this page stays, with its changes unsaved.
      // The entry list is built after this event, so the field list still goes with it.
      if (submitter && submitter.getAttribute("formtarget")) {
        var typed = form.querySelector("input[name=" + TYPED + "]");
        if (!typed) {
          typed = document.createElement("input");
          typed.type = "hidden";
          typed.name = TYPED;
          form.appendChild(typed);
        }
        typed.value = typedFields();
        return;
      }
      submitting = true;
      window.clearTimeout(timer);
      if (inFlight) {
        inFlight.abort();
      }
    });

    window.addEventListener("beforeunload", function (event) {
      if (!submitting && dirty()) {
        event.preventDefault();
        event.returnValue = ""; // Chromium still asks for it
      }
    });

    if (lastSent === null) {
      schedule(0);
    }

    // A workflow button with nothing to save goes straight to its step, saving nothing.
    form.querySelectorAll("button[name=_then][data-href]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!dirty()) {
          event.preventDefault();
          submitting = true;
          window.location.assign(button.dataset.href);
        }
      });
    });
  }

  // After the admin's own scripts have set up the form (prepopulated slug, inlines), so
  // what they fill in is not taken for typing.
  window.addEventListener("load", function () {
    var config = document.getElementById("autosave");
    if (config) {
      start(config);
    }
  });
})();
