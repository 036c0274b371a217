// The SPARQL editor of /sparql: YASGUI's editor (YASQE) and result view (YASR), vendored under
// static/vendor/yasgui, set up for this graph: its prefixes, completion of its classes and
// properties (from /sparql/vocabulary.json, not from LOV or prefix.cc), the named queries as
// examples, the result as a sortable table whose IRIs show their labels and link to this
// server's pages, downloads, and the NORA wiki text for the query as written.
// Without JavaScript the plain form still works: the page posts the query and shows a table.
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }

  // YASR's result table uses column-resizer, which adds <style> elements to <head> (its grip
  // rules once, a drag cursor while dragging, taken out again as head's last child). This page's
  // Content-Security-Policy refuses inline style, even an empty <style>, so the rules go to the
  // document as constructed style sheets (CSSOM, which the policy allows) and an inert
  // <template> stands in for the element; taking that out takes its rules out too.
  (function () {
    if (!("adoptedStyleSheets" in document) || typeof CSSStyleSheet === "undefined") return;
    var head = document.head;
    var append = head.appendChild;
    var remove = head.removeChild;
    var sheets = new WeakMap();
    var adopted = {};
    head.appendChild = function (node) {
      if (!(node && node.nodeName === "STYLE" && "gripid" in node)) return append.call(head, node);
      var css = node.textContent;
      if (adopted[css]) return node;  // the same rules are in force already
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      var stand = document.createElement("template");
      stand.setAttribute("data-style", "column-resizer");
      sheets.set(stand, { sheet: sheet, css: css });
      adopted[css] = true;
      append.call(head, stand);
      return node;
    };
    head.removeChild = function (node) {
      var held = sheets.get(node);
      if (held) {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (x) { return x !== held.sheet; });
        delete adopted[held.css];
      }
      return remove.call(head, node);
    };
  })();

  function getJSON(url, options) {
    return fetch(url, Object.assign({ headers: { Accept: "application/json" } }, options || {}))
      .then(function (r) {
        if (!r.ok) throw new Error(url + " answered " + r.status);
        return r.json();
      });
  }

  function registerCompleters(Yasqe, vocab) {
    // Forks of YASQE's own completers with this graph's terms; full IRIs, shown prefixed when the
    // query declares the prefix. Nothing is stored in the browser between visits.
    Yasqe.forkAutocompleter("class", { name: "gdi-klassen", bulk: true, persistenceId: null,
      get: function () { return vocab.classes; } }, false);
    Yasqe.forkAutocompleter("property", { name: "gdi-eigenschappen", bulk: true, persistenceId: null,
      get: function () { return vocab.properties; } }, false);
    var prefixes = Object.keys(vocab.prefixes).sort().map(function (p) { return p + ": <" + vocab.prefixes[p] + ">"; });
    Yasqe.forkAutocompleter("prefixes", { name: "gdi-prefixen", persistenceId: null,
      get: function () { return prefixes; } }, false);
  }

  // YASR writes its controls in English, with no setting for it; the page is Dutch.
  var WORDS = { "Simple view": "Eenvoudig", "Ellipse": "Inkorten", "Page size:": "Rijen per pagina:",
                "Table": "Tabel", "Response": "Antwoord", "Download result": "Resultaat downloaden",
                "Shows Table view": "Tabel tonen", "Shows Response view": "Antwoord tonen" };
  function dutch(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode && node.parentNode.closest && node.parentNode.closest("table")) continue;
      var text = node.nodeValue.trim();
      if (WORDS[text]) node.nodeValue = node.nodeValue.replace(text, WORDS[text]);
      var count = /^(\d+) results? in ([\d.]+) seconds?$/.exec(text);
      if (count) node.nodeValue = count[1] + (count[1] === "1" ? " resultaat" : " resultaten") + " in " + count[2].replace(".", ",") + " s";
    }
    Array.prototype.forEach.call(root.querySelectorAll("input[placeholder='Filter query results']"), function (i) {
      i.setAttribute("placeholder", "Filter de resultaten");
      i.setAttribute("aria-label", "Filter de resultaten");
    });
    Array.prototype.forEach.call(root.querySelectorAll("[title], [aria-label]"), function (e) {
      ["title", "aria-label"].forEach(function (a) {
        var t = e.getAttribute(a);
        if (t && WORDS[t]) e.setAttribute(a, WORDS[t]);
      });
    });
  }

  function localHref(iri, vocab, site) {
    var base = vocab.base;
    if (iri === base || iri.indexOf(base + "/") === 0 || iri.indexOf(base + "#") === 0) {
      return site + (iri.substring(base.length) || "/");
    }
    return iri;
  }

  function start(form, vocab) {
    var Yasqe = window.Yasgui.Yasqe;
    var Yasr = window.Yasgui.Yasr;
    var site = form.getAttribute("data-site") || "";
    var textarea = el("query");
    var labels = {};
    registerCompleters(Yasqe, vocab);

    Array.prototype.forEach.call(document.querySelectorAll(".editor-only"), function (e) { e.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll(".no-editor"), function (e) { e.hidden = true; });
    textarea.hidden = true;
    el("wiki").hidden = true;

    var yasqe = new Yasqe(el("editor"), {
      value: textarea.value,
      persistenceId: null,
      autocompleters: ["gdi-prefixen", "gdi-klassen", "gdi-eigenschappen", "variables"],
      showQueryButton: true,
      resizeable: true,
      editorHeight: "320px",
      requestConfig: { endpoint: form.getAttribute("data-endpoint"), method: "POST",
                       acceptHeaderSelect: "application/sparql-results+json",
                       acceptHeaderGraph: "text/turtle" },
      createShareableLink: null,
      consumeShareLink: null
    });
    var input = yasqe.getInputField();
    input.setAttribute("aria-label", "SPARQL-query");
    var yasr = new Yasr(el("yasr"), {
      persistenceId: null,
      prefixes: vocab.prefixes,
      defaultPlugin: "table",
      pluginOrder: ["table", "response"]
    });
    if (yasr.plugins && yasr.plugins.table) yasr.plugins.table.config.openIriInNewWindow = false;

    yasqe.on("change", function () { textarea.value = yasqe.getValue(); });
    yasqe.on("query", function () { el("status").textContent = "Bezig…"; });
    yasqe.on("queryResponse", function (_y, response, duration) {
      yasr.setResponse(response, duration);
      var vars = yasr.results && yasr.results.getVariables ? yasr.results.getVariables() : [];
      var rows = yasr.results && yasr.results.getBindings ? yasr.results.getBindings() : null;
      el("status").textContent = rows ? rows.length + " rij(en) in " + duration + " ms" : "Klaar in " + duration + " ms";
      fetchLabels(rows);
      offer(yasqe.getValue(), vars || []);
    });

    // Links in the result table: this server's pages for its own IRIs, with labels where the graph has one.
    function fetchLabels(rows) {
      if (!rows) return;
      var iris = {};
      rows.slice(0, 500).forEach(function (b) {
        Object.keys(b).forEach(function (k) { if (b[k].type === "uri") iris[b[k].value] = true; });
      });
      var wanted = Object.keys(iris).filter(function (i) { return !(i in labels); });
      if (!wanted.length) { relabel(); return; }
      getJSON(form.getAttribute("data-labels"), { method: "POST", headers: { "Content-Type": "application/json",
        Accept: "application/json" }, body: JSON.stringify({ iris: wanted }) })
        .then(function (found) { Object.assign(labels, found); relabel(); })
        .catch(function () { relabel(); });
    }
    function relabel() {
      // YASR's page-size list has a caption that is not its label; name it for screen readers.
      Array.prototype.forEach.call(el("yasr").querySelectorAll("select.tableSizer:not([aria-label])"), function (sel) {
        sel.setAttribute("aria-label", "Rijen per pagina");
      });
      dutch(el("yasr"));
      Array.prototype.forEach.call(el("yasr").querySelectorAll("a.iri"), function (a) {
        var iri = a.getAttribute("data-iri");
        if (!iri) {
          iri = a.getAttribute("href");
          a.setAttribute("data-iri", iri);
          a.setAttribute("title", iri);
          a.removeAttribute("target");
          a.setAttribute("href", localHref(iri, vocab, site));
        }
        if (labels[iri] && a.textContent !== labels[iri]) a.textContent = labels[iri];
      });
    }
    new MutationObserver(relabel).observe(el("yasr"), { childList: true, subtree: true });

    // Downloads and the wiki text for the query as written, from the server (one place for URLs).
    function offer(text, vars) {
      var url = form.getAttribute("data-wikitext") + "?" + new URLSearchParams({ query: text, columns: vars.join(",") });
      getJSON(url).then(function (body) {
        var nav = el("downloads");
        while (nav.firstChild) nav.removeChild(nav.firstChild);
        if (body.downloads.length) nav.appendChild(document.createTextNode("Download: "));
        body.downloads.forEach(function (d) {
          var a = document.createElement("a");
          a.href = d.href;
          a.textContent = d.label;
          a.setAttribute("data-format", d.format);
          nav.appendChild(a);
        });
        var wiki = el("wiki");
        if (body.wikitext) {
          el("wikitext").value = body.wikitext;
          el("wiki-needs").textContent = "Plak dit in een wikipagina. Vereist " + body.needs + ".";
          wiki.hidden = false;
        } else {
          wiki.hidden = true;
        }
      }).catch(function () { el("wiki").hidden = true; });
    }
    el("wikitext-kopieer").addEventListener("click", function () {
      var area = el("wikitext");
      var done = function () { el("wikitext-gekopieerd").textContent = "Gekopieerd."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); });
      } else {
        area.select();
      }
    });

    // The named queries as examples.
    var select = el("voorbeeld");
    if (select.options.length <= 1) {
      vocab.examples.forEach(function (x) {
        var o = document.createElement("option");
        o.value = x.name;
        o.textContent = x.title;
        select.appendChild(o);
      });
    }
    select.addEventListener("change", function () {
      var x = vocab.examples.filter(function (e) { return e.name === select.value; })[0];
      if (x) { yasqe.setValue(x.query); yasqe.focus(); }
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      yasqe.query().catch(function () {});
    });
    el("resultaat").hidden = false;
    if (new URLSearchParams(window.location.search).get("query")) yasqe.query().catch(function () {});
  }

  function init() {
    var form = el("query-form");
    if (!form || !window.Yasgui) return;  // the plain form stays
    getJSON(form.getAttribute("data-vocabulary"))
      .then(function (vocab) { start(form, vocab); })
      .catch(function (e) { if (window.console) console.warn("editor not started:", e); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
