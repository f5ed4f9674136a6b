/* Balint Course Kit: the site chrome in the browser.
   - the light/dark switch (kept in this browser's localStorage);
   - progress ticks: any element with data-kit-progress="<module id>" gets the class
     kit-done when the learner has completed that module in this browser.
   The storage keys are shared with the kit's store widget (widgets/static/store.js). */
(function () {
  'use strict';
  var base = (document.body && document.body.dataset.kitBase) || '/';
  var PROGRESS_KEY = 'balint-kit:v1:' + base + ':progress';
  var THEME_KEY = 'balint-kit:theme';

  function readProgress() {
    try {
      var v = JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}');
      return (v && typeof v === 'object') ? v : {};
    } catch (e) { return {}; }
  }

  function paintProgress(root) {
    var done = readProgress();
    var label = (document.getElementById('kit-theme-toggle') || {dataset: {}}).dataset.labelDone || 'completed';
    (root || document).querySelectorAll('[data-kit-progress]').forEach(function (el) {
      var id = el.getAttribute('data-kit-progress');
      var isDone = !!(done[id] && done[id].completed);
      // Change the DOM only when something differs: the observer below watches it.
      if (el.classList.contains('kit-done') !== isDone) { el.classList.toggle('kit-done', isDone); }
      var sr = el.querySelector('.kit-tick-label');
      var text = isDone ? ' (' + label + ')' : '';
      if (sr && sr.textContent !== text) { sr.textContent = text; }
    });
  }

  function setTheme(t) {
    document.documentElement.setAttribute('data-kit-theme', t);
    try { localStorage.setItem(THEME_KEY, t); } catch (e) { /* private mode: the switch still works for this page */ }
    var b = document.getElementById('kit-theme-toggle');
    if (b) {
      b.setAttribute('aria-pressed', t === 'dark' ? 'true' : 'false');
      b.textContent = t === 'dark' ? b.dataset.labelLight : b.dataset.labelDark;
    }
    window.dispatchEvent(new CustomEvent('kit-theme', {detail: t}));
  }

  function init() {
    var b = document.getElementById('kit-theme-toggle');
    if (b) {
      setTheme(document.documentElement.getAttribute('data-kit-theme') || 'light');
      b.addEventListener('click', function () {
        setTheme(document.documentElement.getAttribute('data-kit-theme') === 'dark' ? 'light' : 'dark');
      });
    }
    paintProgress();
    // Voila appends its shell (holding the page's content) at the end of <body>: move the
    // header, pager and footer into the same scrolling area, around the content.
    var arrange = function () {
      var cells = document.querySelector('body > .jp-LabShell #rendered_cells');
      if (!cells) { return false; }
      var header = document.querySelector('body > .kit-header');
      if (header) { cells.insertBefore(header, cells.firstChild); }
      ['.kit-pager', '.kit-footer'].forEach(function (sel) {
        var el = document.querySelector('body > ' + sel);
        if (el) { cells.appendChild(el); }
      });
      return true;
    };
    if (!arrange()) {
      var mo = new MutationObserver(function () { if (arrange()) { mo.disconnect(); } });
      mo.observe(document.body, {childList: true, subtree: true});
    }
    window.addEventListener('kit-progress', function () { paintProgress(); });
    window.addEventListener('storage', function (e) { if (e.key === PROGRESS_KEY) { paintProgress(); } });
    var cells = document.getElementById('rendered_cells') || document.body;
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length) { paintProgress(cells); return; }
      }
    }).observe(cells, {childList: true, subtree: true});
  }

  window.balintKit = {progressKey: PROGRESS_KEY, base: base, paintProgress: paintProgress};
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
