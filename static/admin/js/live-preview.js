/* The live preview follows the article form (issue 15; server side: articles/admin_autosave.py).
 *
 * The frame shows the article page with the writer's latest autosave. The form's script
 * announces each autosave (BroadcastChannel); between announcements, and from another
 * browser, a small status request every few seconds notices a new one. Then the frame
 * reloads where it was scrolled to. The width links switch desktop and phone in place.
 */
(function () {
  "use strict";

  var POLL_INTERVAL = 2500; // ms between status requests while this tab is visible

  function start(frame) {
    var stamp = frame.dataset.stamp;
    var note = document.getElementById("live-preview-note");
    var polling = false;

    function reload() {
      var scrolled = 0;
      try {
        scrolled = frame.contentWindow.scrollY;
      } catch (error) {
        scrolled = 0;
      }
      frame.addEventListener("load", function restoreScroll() {
        frame.removeEventListener("load", restoreScroll);
        try {
          frame.contentWindow.scrollTo(0, scrolled);
        } catch (error) {
          // A page the frame cannot reach (signed out): nothing to restore.
        }
      });
      var source = frame.dataset.src;
      frame.src = source + (source.indexOf("?") === -1 ? "?" : "&") + "v=" + encodeURIComponent(stamp);
    }

    function check() {
      if (polling || document.visibilityState === "hidden") {
        return;
      }
      polling = true;
      fetch(frame.dataset.statusUrl, {credentials: "same-origin", cache: "no-store", headers: {Accept: "application/json"}})
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.stamp !== stamp) {
            stamp = data.stamp;
            note.textContent = data.message;
            reload();
          }
        })
        .catch(function () {
          // Offline for a moment: the next check tries again.
        })
        .finally(function () {
          polling = false;
        });
    }

    window.setInterval(check, POLL_INTERVAL);
    document.addEventListener("visibilitychange", check);
    if ("BroadcastChannel" in window) {
      new BroadcastChannel("newsroom-autosave").addEventListener("message", function (event) {
        if (event.data && event.data.channel === frame.dataset.channel) {
          check();
        }
      });
    }

    var stage = document.getElementById("live-preview-stage");
    document.querySelectorAll(".live-preview__widths a[data-width]").forEach(function (link, _, links) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        stage.classList.toggle("live-preview__stage--phone", link.dataset.width === "phone");
        links.forEach(function (other) {
          if (other === link) {
            other.setAttribute("aria-current", "true");
          } else {
            other.removeAttribute("aria-current");
          }
        });
        window.history.replaceState(null, "", link.href);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var frame = document.getElementById("live-preview-frame");
    if (frame) {
      start(frame);
    }
  });
})();
