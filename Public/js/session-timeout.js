// Warns two minutes before a signed-in session ends, as the GOV.UK timeout-warning pattern
// does: a modal dialog that takes focus, says how long is left, and keeps the session with
// "Stay signed in" (Escape does the same). Before warning it asks the server how long is
// left, so work in another tab counts. When time runs out the page is left as it is: a form
// sent afterwards is kept on the server while the person signs in again.
(function () {
  var dialog = document.getElementById('timeout-warning');
  var idle = parseInt(document.body.getAttribute('data-idle-seconds') || '', 10);
  if (!dialog || !idle || typeof dialog.showModal !== 'function' || !window.fetch) return;
  var warnBefore = Math.min(120, Math.floor(idle / 2));
  var countdown = document.getElementById('timeout-countdown');
  var live = document.getElementById('timeout-live');
  var stay = document.getElementById('timeout-stay');
  var close = document.getElementById('timeout-close');
  var signIn = document.getElementById('timeout-sign-in');
  var deadline = 0, timer = null, ticker = null, returnFocus = null, ended = false;

  function words(seconds) {
    if (seconds >= 60) { var m = Math.ceil(seconds / 60); return m + (m === 1 ? ' minute' : ' minutes'); }
    return seconds + (seconds === 1 ? ' second' : ' seconds');
  }
  // Rounded up, as the server counts, so "signed out" is never said while the session lives.
  function secondsLeft() { return Math.max(0, Math.ceil((deadline - Date.now()) / 1000)); }
  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, seconds - warnBefore) * 1000);
  }
  function check() {
    fetch('/session/remaining', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : { seconds: 0 }; })
      .then(function (d) { if (d.seconds > warnBefore + 5) schedule(d.seconds); else warn(d.seconds); })
      .catch(function () { warn(secondsLeft()); });
  }
  function announce(text) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 50); }
  function warn(seconds) {
    deadline = Date.now() + seconds * 1000;
    returnFocus = document.activeElement;
    if (!dialog.open) dialog.showModal();
    stay.focus();
    tick();
    announce('For your security, Lantern will sign you out in ' + words(seconds) + '.');
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
  }
  function tick() {
    var left = secondsLeft();
    countdown.textContent = words(left);
    if (left === 60 || left === 30) announce('Lantern will sign you out in ' + words(left) + '.');
    if (left === 0) end();
  }
  function end() {
    clearInterval(ticker);
    ended = true;
    document.getElementById('timeout-heading').textContent = 'You have been signed out';
    document.getElementById('timeout-text').hidden = true;
    document.getElementById('timeout-ended').hidden = false;
    stay.hidden = true;
    close.hidden = false;
    signIn.hidden = false;
    signIn.href = '/sign-in?expired=1&next=' + encodeURIComponent(location.pathname + location.search);
    close.focus();
    announce('You have been signed out. Anything you typed on this page is still here.');
  }
  function dismiss() {
    dialog.close();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  }
  function keep() {
    fetch('/session/keep-alive', {
      method: 'POST', credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': dialog.getAttribute('data-csrf') }
    }).then(function (r) {
      if (!r.ok) throw new Error('signed out');
      return r.json();
    }).then(function (d) {
      clearInterval(ticker);
      dismiss();
      schedule(d.seconds);
    }).catch(end);
  }
  stay.addEventListener('click', keep);
  close.addEventListener('click', dismiss);
  // Escape: stay signed in while there is time, otherwise just close.
  dialog.addEventListener('cancel', function (e) { e.preventDefault(); if (ended) dismiss(); else keep(); });
  schedule(idle);
})();
