/* The site's search box: the index is prebuilt by `doetank site` in the page (JSON in an attribute, escaped as every
   attribute is, so no text of a tank is ever inside a <script>), so no server is
   needed. Every word typed must occur in a document, in any form: a form that occurs in the network leads to its
   Dutch stem (and so to every other form of it), else the forms it begins, else the forms of it without a common
   Dutch ending. Results are built with textContent only: nothing from the index is ever read as HTML. */
(function () {
  var block = document.getElementById('zoekindex');
  var input = document.getElementById('zoek');
  var out = document.getElementById('zoekresultaten');
  if (!block || !input || !out) { return; }
  var data = JSON.parse(block.dataset.index);
  var forms = Object.keys(data.forms);
  var endings = ['ingen', 'heden', 'ing', 'en', 'e', 's'];

  function fold(text) {
    return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function words(text) {
    return fold(text).match(/[\p{L}\p{N}_]+/gu) || [];
  }
  function stemsOf(word) {
    var tries = [word];
    endings.forEach(function (end) {
      if (word.length - end.length >= 4 && word.slice(-end.length) === end) { tries.push(word.slice(0, -end.length)); }
    });
    var found = {};
    tries.forEach(function (w) {
      if (data.forms[w]) { found[data.forms[w]] = true; return; }
      forms.forEach(function (form) { if (form.indexOf(w) === 0) { found[data.forms[form]] = true; } });
    });
    return Object.keys(found);
  }
  function docsOf(word) {
    var docs = {};
    stemsOf(word).forEach(function (stem) {
      (data.stems[stem] || []).forEach(function (d) { docs[d] = true; });
    });
    return docs;
  }
  function piece(text, typed) {
    var folded = fold(text);
    var at = -1;
    typed.forEach(function (w) {
      var i = folded.indexOf(w.slice(0, Math.max(4, w.length - 3)));
      if (i !== -1 && (at === -1 || i < at)) { at = i; }
    });
    var start = Math.max(0, at - 50);
    var shown = text.slice(start, start + 160);
    return (start > 0 ? '… ' : '') + shown + (start + 160 < text.length ? ' …' : '');
  }
  function show() {
    var typed = words(input.value);
    out.textContent = '';
    if (!typed.length) { out.hidden = true; return; }
    var hits = null;
    typed.forEach(function (w) {
      var docs = docsOf(w);
      if (hits === null) { hits = docs; return; }
      var both = {};
      Object.keys(hits).forEach(function (d) { if (docs[d]) { both[d] = true; } });
      hits = both;
    });
    var ids = Object.keys(hits).map(Number);
    function inName(d) {
      var name = words(data.docs[d][1]).join(' ');
      return typed.every(function (w) { return name.indexOf(w.slice(0, Math.max(4, w.length - 3))) !== -1; }) ? 0 : 1;
    }
    ids.sort(function (a, b) { return inName(a) - inName(b) || a - b; });
    out.hidden = false;
    var status = document.createElement('p');
    status.className = 'count';
    status.textContent = ids.length ? out.dataset.found.replace('{n}', ids.length) : out.dataset.none;
    out.appendChild(status);
    var list = document.createElement('ol');
    ids.slice(0, 50).forEach(function (d) {
      var doc = data.docs[d];
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = doc[3];
      link.textContent = doc[1] + ' · ' + doc[2];
      var text = document.createElement('p');
      text.textContent = piece(doc[4], typed);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    out.appendChild(list);
  }
  input.addEventListener('input', show);
  if (input.value) { show(); }
})();
