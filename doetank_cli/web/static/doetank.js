// doetank serve: the little the pages do in the browser. Every page works without it.
(function () {
  "use strict";

  // An error summary takes the focus, so a screen reader or keyboard user lands on what went wrong.
  var focus = document.querySelector("[data-focus]");
  if (focus) { focus.focus(); }

  // The note editor: which required sections are still empty, as you type (the same reading as doetank itself:
  // '## ' headings, guidance in HTML comments is not content, headings inside code fences do not count).
  var editor = document.getElementById("tekst");
  var status = document.getElementById("section-status");
  if (!editor || !status) { return; }
  var required = JSON.parse(status.getAttribute("data-required") || "[]");
  var emptyWord = status.getAttribute("data-empty");
  var filledWord = status.getAttribute("data-filled");

  function norm(text) { return text.split(/\s+/).filter(Boolean).join(" ").toLowerCase(); }

  function sections(text) {
    var found = {}, current = null, fence = false;
    var lines = text.replace(/<!--[\s\S]*?(-->|$)/g, "").split(/\r\n|\r|\n/);
    lines.forEach(function (line) {
      var trimmed = line.replace(/^\s+/, "");
      if (trimmed.indexOf("```") === 0 || trimmed.indexOf("~~~") === 0) { fence = !fence; }
      var heading = fence ? null : /^##[ \t]+(.+?)[ \t#]*$/.exec(line);
      if (heading) {
        current = norm(heading[1]);
        if (!(current in found)) { found[current] = ""; }
      } else if (!fence && line.indexOf("# ") === 0) {
        current = null;
      } else if (current !== null) {
        found[current] += line + "\n";
      }
    });
    return found;
  }

  function update() {
    var have = sections(editor.value);
    var items = status.querySelectorAll("li");
    required.forEach(function (heading, i) {
      var body = have[norm(heading)];
      var filled = body !== undefined && body.trim() !== "";
      var item = items[i];
      if (!item) { return; }
      var word = item.querySelector("span");
      if (item.className !== (filled ? "sec-filled" : "sec-empty")) {
        item.className = filled ? "sec-filled" : "sec-empty";
        word.textContent = filled ? filledWord : emptyWord;
      }
    });
  }

  var timer = null;
  editor.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(update, 250);
  });
})();
