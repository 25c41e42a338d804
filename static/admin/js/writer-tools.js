/* The article form's writing tools: live character counts, the body's words and reading
   time, a Markdown toolbar and its shortcuts (Ctrl/Cmd+B, I, K).

   The counts are rendered by the server too (articles/widgets.py, articles/writing.py,
   whose word rule this file repeats); the textarea stays the field, so what is posted is
   the Markdown as typed. Edits go through execCommand("insertText") where the browser
   has it, so Ctrl+Z undoes them, and they fire the "input" event other scripts listen to. */
(function () {
  "use strict";

  var WORDS_PER_MINUTE = 238;
  var LINK_TARGET = /\]\([^)]*\)/g;
  var WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

  function characters(text) { return Array.from(text).length; }

  function wordCount(markdown) {
    return (markdown.replace(LINK_TARGET, "]").match(WORD) || []).length;
  }

  function statsText(markdown) {
    var words = wordCount(markdown);
    if (!words) { return "No words yet"; }
    return words.toLocaleString("en-US") + (words === 1 ? " word" : " words") +
      " · " + Math.ceil(words / WORDS_PER_MINUTE) + " min read";
  }

  function follow(field, update) {
    field.addEventListener("input", update);
    update();
  }

  function liveCount(output) {
    var field = document.getElementById(output.dataset.countFor);
    var limit = Number(output.dataset.limit);
    if (!field) { return; }
    follow(field, function () {
      var count = characters(field.value);
      output.textContent = count + " / " + limit + " characters";
      output.classList.toggle("writer-count--over", count > limit);
    });
  }

  function liveStats(output) {
    var field = document.getElementById(output.dataset.statsFor);
    if (field) { follow(field, function () { output.textContent = statsText(field.value); }); }
  }

  function liveFallback(field) {
    // An empty override uses the first of its fallbacks with text: show it as the placeholder.
    var sources = field.dataset.fallbackFrom.split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    function update() {
      var source = sources.find(function (candidate) { return candidate.value.trim(); });
      field.placeholder = source ? source.value.trim() : "";
    }
    sources.forEach(function (source) { follow(source, update); });
  }

  // Editing -------------------------------------------------------------------------------

  function replace(area, start, end, text, selectFrom, selectTo) {
    area.focus();
    area.setSelectionRange(start, end);
    var undoable = document.queryCommandSupported && document.queryCommandSupported("insertText") &&
      document.execCommand("insertText", false, text);
    if (!undoable || area.value.slice(start, start + text.length) !== text) {
      area.setRangeText(text, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function run(value, from, step, char) {
    var length = 0;
    while (value.charAt(from + step * length) === char) { length += 1; }
    return length;
  }

  function wrappedBy(value, start, end, marker) {
    // Asterisks count in runs: *a* is italic, **a** bold, ***a*** both.
    var before = run(value, start - 1, -1, marker[0]), after = run(value, end, 1, marker[0]);
    if (marker.length === 1) { return before % 2 === 1 && after % 2 === 1; }
    return before >= 2 && after >= 2;
  }

  function wrap(area, marker, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    var m = marker.length;
    if (wrappedBy(value, start, end, marker)) {
      // Already wrapped: take the markers away again.
      replace(area, start - m, end + m, value.slice(start, end), 0, end - start);
      return;
    }
    var text = value.slice(start, end) || placeholder;
    replace(area, start, end, marker + text + marker, m, m + text.length);
  }

  function link(area) {
    var start = area.selectionStart, end = area.selectionEnd;
    var selected = area.value.slice(start, end);
    if (/^https?:\/\/\S+$/.test(selected)) {
      replace(area, start, end, "[link text](" + selected + ")", 1, 10);
      return;
    }
    var text = selected || "link text";
    var inserted = "[" + text + "](https://)";
    // The address is selected, ready to paste over.
    replace(area, start, end, inserted, text.length + 3, inserted.length - 1);
  }

  function prefixLines(area, prefix) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var endBreak = value.indexOf("\n", area.selectionEnd);
    var end = endBreak === -1 ? value.length : endBreak;
    var lines = value.slice(start, end).split("\n");
    var all = lines.every(function (line) { return line.startsWith(prefix); });
    var changed = lines.map(function (line) {
      return all ? line.slice(prefix.length) : (line.startsWith(prefix) ? line : prefix + line);
    }).join("\n");
    // Markdown starts a heading, quote or list only after a blank line.
    var before = !all && start > 1 && value.slice(start - 2, start) !== "\n\n" ? "\n" : "";
    replace(area, start, end, before + changed, before.length, before.length + changed.length);
  }

  var ACTIONS = [
    { name: "bold", label: "Bold", key: "b", text: "B", run: function (a) { wrap(a, "**", "bold text"); } },
    { name: "italic", label: "Italic", key: "i", text: "I", run: function (a) { wrap(a, "*", "italic text"); } },
    { name: "heading", label: "Subheading", text: "Subheading", run: function (a) { prefixLines(a, "## "); } },
    { name: "link", label: "Link", key: "k", text: "Link", run: link },
    { name: "quote", label: "Quote", text: "Quote", run: function (a) { prefixLines(a, "> "); } },
    { name: "list", label: "Bulleted list", text: "List", run: function (a) { prefixLines(a, "- "); } }
  ];

  function toolbar(area) {
    var bar = document.createElement("div");
    var mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
    bar.className = "writer-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", area.id);
    var buttons = ACTIONS.map(function (action, index) {
      var button = document.createElement("button");
      var shortcut = action.key ? (mac ? "⌘" : "Ctrl+") + action.key.toUpperCase() : "";
      button.type = "button";
      button.className = "writer-toolbar__button writer-toolbar__button--" + action.name;
      button.textContent = action.text;
      button.setAttribute("aria-label", action.label);
      button.title = action.label + (shortcut ? " (" + shortcut + ")" : "");
      if (shortcut) { button.setAttribute("aria-keyshortcuts", (mac ? "Meta+" : "Control+") + action.key.toUpperCase()); }
      button.tabIndex = index === 0 ? 0 : -1;  // one tab stop; arrows move along (ARIA toolbar)
      button.addEventListener("click", function () { action.run(area); });
      bar.appendChild(button);
      return button;
    });
    bar.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      var at = buttons.indexOf(document.activeElement);
      if (!step || at === -1) { return; }
      event.preventDefault();
      var next = buttons[(at + step + buttons.length) % buttons.length];
      buttons[at].tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) { return; }
      var key = event.key.toLowerCase();
      var action = ACTIONS.find(function (candidate) { return candidate.key === key; });
      if (action) {
        event.preventDefault();
        action.run(area);
      }
    });
    area.parentNode.insertBefore(bar, area);
    area.classList.add("writer-body--with-toolbar");
  }

  function start() {
    document.querySelectorAll("[data-count-for]").forEach(liveCount);
    document.querySelectorAll("[data-stats-for]").forEach(liveStats);
    document.querySelectorAll("[data-fallback-from]").forEach(liveFallback);
    document.querySelectorAll("textarea[data-markdown-toolbar]").forEach(toolbar);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
