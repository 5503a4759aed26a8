// The query page: run the editor's query without leaving the page. The server renders the
// result table (escaped) as an HTML fragment; this script only fetches and inserts it, so the
// page also works without JavaScript (the form falls back to a normal GET).
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var output = document.getElementById("output");
  var button = document.getElementById("run");
  if (!form || !editor || !output || !window.fetch) { return; }
  var root = form.getAttribute("action").replace(/\/query$/, "");

  function run() {
    var query = editor.value;
    output.classList.add("loading");
    button.disabled = true;
    var url = root + "/query?fragment=1&query=" + encodeURIComponent(query);
    return fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        output.innerHTML = html;
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      var start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
    }
  });
  if (output.getAttribute("data-autorun") === "1") { run(); }
})();
