// The query page. Without JavaScript it is a form (a GET of /query renders the answer). With
// it, the textarea becomes a Yasqe editor (vendored in static/vendor/yasqe): SPARQL syntax
// highlighting, syntax errors marked as they are typed, completion of prefixes and of the
// vocabulary's terms from the server's own JSON-LD context (no request leaves the site), and
// Ctrl+Enter to run. The answer is the table the server renders (links to our pages, labels,
// downloads), fetched as an HTML fragment and inserted; a server error "at LINE:COLUMN" is
// marked at that place in the editor.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var holder = document.getElementById("editor");
  var output = document.getElementById("output");
  var button = document.getElementById("run");
  if (!form || !textarea || !output || !window.fetch) { return; }
  var root = form.getAttribute("action").replace(/\/query$/, "");
  var yasqe = null;
  var errorMarks = [];

  function currentQuery() { return yasqe ? yasqe.getValue() : textarea.value; }

  // The vocabulary from the JSON-LD context: prefixes (values ending in # or /) and terms,
  // classes (capitalised keys) apart from properties.
  var vocabulary = fetch(form.getAttribute("data-context"), { headers: { "Accept": "application/ld+json" } })
    .then(function (response) { return response.ok ? response.json() : { "@context": {} }; })
    .catch(function () { return { "@context": {} }; })
    .then(function (document) {
      var context = document["@context"] || {};
      var prefixes = {}, classes = [], properties = [];
      Object.keys(context).forEach(function (key) {
        var value = context[key];
        if (typeof value === "string" && /[#\/]$/.test(value) && value.indexOf("://") > 0) {
          prefixes[key] = value;
        }
      });
      function expand(curie) {
        var at = curie.indexOf(":");
        var ns = at > 0 ? prefixes[curie.slice(0, at)] : undefined;
        return ns ? ns + curie.slice(at + 1) : curie;
      }
      Object.keys(context).forEach(function (key) {
        if (key.charAt(0) === "@" || prefixes[key]) { return; }
        var value = context[key];
        var id = typeof value === "string" ? value : value && value["@id"];
        if (!id) { return; }
        var iri = expand(id);
        if (iri.indexOf("://") < 0) { return; }
        (key.charAt(0) === key.charAt(0).toUpperCase() ? classes : properties).push(iri);
      });
      return { prefixes: prefixes, classes: classes, properties: properties };
    });

  function registerCompleters(Yasqe) {
    Yasqe.forkAutocompleter("prefixes", {
      name: "jllm-prefixes",
      persistenceId: null,
      get: function () {
        return vocabulary.then(function (v) {
          return Object.keys(v.prefixes).sort().map(function (p) {
            return p + ": <" + v.prefixes[p] + ">";
          });
        });
      }
    }, false);
    Yasqe.forkAutocompleter("property", {
      name: "jllm-properties", bulk: true, persistenceId: null, autoShow: true,
      get: function () { return vocabulary.then(function (v) { return v.properties; }); }
    }, false);
    Yasqe.forkAutocompleter("class", {
      name: "jllm-classes", bulk: true, persistenceId: null, autoShow: true,
      get: function () { return vocabulary.then(function (v) { return v.classes; }); }
    }, false);
  }

  function clearErrorMarks() {
    errorMarks.forEach(function (mark) { mark.clear(); });
    errorMarks = [];
    if (yasqe) {
      for (var i = 0; i < yasqe.lineCount(); i++) { yasqe.removeLineClass(i, "background", "query-error-line"); }
    }
  }

  function markServerError() {
    var message = output.querySelector(".error");
    var at = message && /error at (\d+):(\d+)/.exec(message.textContent);
    if (!yasqe || !at) { return; }
    var line = Math.max(Math.min(Number(at[1]) - 1, yasqe.lineCount() - 1), 0);
    var length = yasqe.getLine(line).length;
    // the parser may point just past the line's end: mark its last character then
    var ch = Math.max(Math.min(Number(at[2]) - 1, length - 1), 0);
    yasqe.addLineClass(line, "background", "query-error-line");
    if (length > 0) {
      errorMarks.push(yasqe.markText({ line: line, ch: ch }, { line: line, ch: ch + 1 },
                                     { className: "query-error-mark" }));
    }
    yasqe.setCursor({ line: line, ch: ch });
  }

  function run() {
    var query = currentQuery();
    textarea.value = query;
    clearErrorMarks();
    output.classList.add("loading");
    button.disabled = true;
    var url = root + "/query?fragment=1&query=" + encodeURIComponent(query);
    return fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        output.innerHTML = html;
        markServerError();
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", root + "/query?query=" + encodeURIComponent(query));
        }
      })
      .catch(function (error) {
        output.textContent = "Request failed: " + error;
      })
      .finally(function () {
        output.classList.remove("loading");
        button.disabled = false;
      });
  }

  // Yasqe writes its syntax-error tooltip as HTML with style attributes, which the site's
  // Content-Security-Policy refuses (each hover would report violations). The marker's
  // tooltip is rebuilt from the same parser state (the one Yasqe reads: the token at the end
  // of the line) as plain elements, styled by the stylesheet.
  function quietTooltips(editor) {
    var setGutterMarker = editor.setGutterMarker;
    editor.setGutterMarker = function (line, gutter, marker) {
      if (gutter === "gutterErrorBar" && marker && marker.onmouseover) {
        var state = editor.getTokenAt({ line: line, ch: editor.getLine(line).length }, true).state;
        var tip = document.createElement("div");
        tip.className = "yasqe_tooltip";
        if (state.errorMsg) {
          tip.textContent = state.errorMsg;
        } else {
          tip.appendChild(document.createTextNode("This line is invalid. Expected: "));
          (state.possibleCurrent || []).forEach(function (token, i) {
            if (i > 0) { tip.appendChild(document.createTextNode(", ")); }
            var strong = document.createElement("strong");
            strong.textContent = token;
            tip.appendChild(strong);
          });
        }
        marker.onmouseover = function () { tip.hidden = false; marker.appendChild(tip); };
        marker.onmouseout = function () { tip.hidden = true; };
      }
      return setGutterMarker.apply(this, arguments);
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });

  var Yasqe = window.Yasqe;
  if (Yasqe && holder) {
    registerCompleters(Yasqe);
    var keys = {};
    Object.keys(Yasqe.defaults.extraKeys || {}).forEach(function (k) { keys[k] = Yasqe.defaults.extraKeys[k]; });
    keys["Ctrl-Enter"] = run;
    keys["Cmd-Enter"] = run;
    holder.hidden = false;
    textarea.hidden = true;
    yasqe = new Yasqe(holder, {
      value: textarea.value,
      persistenceId: null,
      showQueryButton: false,
      createShareableLink: null,
      resizeable: true,
      editorHeight: "16rem",
      extraKeys: keys,
      requestConfig: { endpoint: form.getAttribute("data-endpoint") },
      autocompleters: ["variables", "jllm-prefixes", "jllm-properties", "jllm-classes"]
    });
    quietTooltips(yasqe);
    yasqe.on("change", function () {
      textarea.value = yasqe.getValue();
      clearErrorMarks();
    });
    window.jllmEditor = yasqe;  // for the browser tests and the console
  } else {
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
  }
  if (output.getAttribute("data-autorun") === "1") { run(); }
})();
