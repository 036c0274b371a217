// Type-ahead for every search box with data-suggest: asks /zoeken?format=json as one types and
// offers the hits as an ARIA combobox list (arrow keys, Enter, Escape; a click also works).
// A file of its own, so the pages' Content-Security-Policy can forbid inline script.
(function () {
  "use strict";
  var DELAY_MS = 120;
  var LIMIT = 8;
  var counter = 0;

  function attach(input) {
    var url = input.getAttribute("data-suggest");
    var form = input.form;
    var id = "suggesties-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggesties");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    (form || input.parentNode).appendChild(list);
    (form || input.parentNode).appendChild(status);
    if (form) form.classList.add("has-suggest");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    var timer = null;
    var active = -1;
    var hits = [];
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      if (hits[i]) window.location.assign(hits[i].href);
    }

    function mark(i) {
      var items = list.children;
      for (var k = 0; k < items.length; k++) items[k].setAttribute("aria-selected", k === i ? "true" : "false");
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", items[i].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      hits = results;
      while (list.firstChild) list.removeChild(list.firstChild);
      results.forEach(function (h, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-href", h.href);
        li.appendChild(document.createTextNode(h.label + " "));
        var kind = document.createElement("span");
        kind.className = "hit-kind";
        kind.textContent = h.kind + (h.context ? " · " + h.context : "");
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      active = -1;
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? results.length + " suggesties; pijltjestoetsen om te kiezen" : "geen suggesties";
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { show([]); close(); return; }
      var target = url + "?q=" + encodeURIComponent(q) + "&format=json&limit=" + LIMIT;
      fetch(target, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { if (input.value.trim() === q) show(body.results || []); })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && hits.length) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        mark(Math.min(active + 1, hits.length - 1));
      } else if (e.key === "ArrowUp" && hits.length) {
        e.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
