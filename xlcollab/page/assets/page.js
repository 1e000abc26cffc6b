(function () {
  "use strict";
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) { return ""; }
    return c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent.trim();
  }
  function asNumber(s) {
    var t = String(s).replace(/[¥,%\s]/g, "");
    return t !== "" && !isNaN(t) ? parseFloat(t) : null;
  }
  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i), nx = asNumber(x), ny = asNumber(y);
      var r = (nx !== null && ny !== null) ? nx - ny : x.localeCompare(y, document.documentElement.lang);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (th.classList.contains("nosort")) { return; }
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, i, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(table, i, th); } });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var shown = input.parentNode.querySelector(".shown");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase(), n = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) { n += 1; }
      });
      if (shown) { shown.textContent = n + " / " + table.tBodies[0].rows.length; }
    });
  });
})();
