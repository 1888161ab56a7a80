// An accessible autocomplete for a text box that names a registered supplier, following the
// ARIA 1.2 combobox pattern: suggestions in a listbox under the box, Down and Up to move
// through them, Enter to choose, Escape to close, and the number found read out. Without
// JavaScript the box stays a plain text field, which the form resolves on submit.
(function () {
  var inputs = document.querySelectorAll('input[data-suggest]');
  for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);

  function enhance(input) {
    var id = input.id + '-suggestions';
    var list = document.createElement('ul');
    list.id = id;
    list.className = 'autocomplete__list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suppliers matching what you typed');
    list.hidden = true;
    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    input.parentNode.insertBefore(list, input.nextSibling);
    input.parentNode.insertBefore(status, list.nextSibling);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id);
    input.setAttribute('autocomplete', 'off');
    var options = [], active = -1, timer = null, asked = '';

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(index) {
      var items = list.children;
      for (var k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', k === index ? 'true' : 'false');
      active = index;
      if (index >= 0) input.setAttribute('aria-activedescendant', items[index].id);
      else input.removeAttribute('aria-activedescendant');
    }
    function choose(index) {
      if (index < 0 || index >= options.length) return;
      input.value = options[index].value;
      status.textContent = options[index].name + ' chosen';
      close();
    }
    function show(found) {
      options = found;
      list.innerHTML = '';
      found.forEach(function (s, k) {
        var li = document.createElement('li');
        li.id = id + '-' + k;
        li.className = 'autocomplete__option';
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = s.name + (s.companyNumber ? ' (' + s.companyNumber + ')' : '');
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(k); });
        list.appendChild(li);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      active = -1;
      status.textContent = found.length === 0 ? 'No registered supplier matches' :
        found.length + (found.length === 1 ? ' supplier matches' : ' suppliers match') + '. Use the down arrow to choose.';
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { close(); status.textContent = ''; return; }
      if (q === asked) return;
      asked = q;
      fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (input.value.trim() === q) show(found); })
        .catch(function () { close(); });
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 200); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && options.length) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (e.key === 'ArrowUp' && options.length) {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }
})();
