// On narrow screens a data table is shown as a stack of cards, one per row (see lantern.css).
// Each cell is given its column's heading to show beside it, so nothing is read without its
// label. Tables keep their markup, so screen readers still hear rows and columns.
(function () {
  var tables = document.querySelectorAll('table.table');
  for (var t = 0; t < tables.length; t++) {
    var headings = tables[t].querySelectorAll('thead th');
    if (!headings.length) continue;
    tables[t].classList.add('table--stackable');
    var rows = tables[t].querySelectorAll('tbody tr');
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length && c < headings.length; c++) {
        cells[c].setAttribute('data-label', headings[c].textContent.trim());
      }
    }
  }
})();
