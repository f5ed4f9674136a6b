/* Balint Course Kit: the site chrome in the browser.
   - the light/dark switch and the "Present" switch (kept in this browser's localStorage);
   - the menu button that folds the navigation on a narrow screen;
   - a module's contents list (from its h2 headings) and the "back to top" button;
   - progress ticks: any element with data-kit-progress="<module id>" gets the class
     kit-done when the learner has completed that module in this browser.
   - the connection banner: when the page's kernel stops (killed, restarted, or the course
     server restarted), say so in plain words and offer a reload; what the learner did is in
     localStorage and survives it.
   - glossary terms in place: a module's link to a glossary term becomes a button that opens the
     term's definition beside it (from the page config, see kitserver/app.py), with a link to the
     full entry; Esc closes it and the focus goes back to the term.
   - a page opened at an anchor that is drawn later (the glossary at #term-…, a source at
     #ref-…) is scrolled to it once it is there; the glossary's filter box and A-Z links.
   The storage keys are shared with the kit's store widget (widgets/static/store.js). */
(function () {
  'use strict';
  var base = (document.body && document.body.dataset.kitBase) || '/';
  var PROGRESS_KEY = 'balint-kit:v1:' + base + ':progress';
  var THEME_KEY = 'balint-kit:v1:' + base + ':theme';  // per learner: hub learners share one origin
  var PRESENT_KEY = 'balint-kit:v1:' + base + ':present';  // "on", or absent (the template's head reads it too)

  function readProgress() {
    try {
      var v = JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}');
      return (v && typeof v === 'object') ? v : {};
    } catch { return {}; }
  }

  // A text with a number: forms is {one: ..., other: ...} (data/ui/en.yaml), picked by the
  // browser's plural rules for the page's language; the same as kitPlural in dom.js.
  function plural(forms, count, values) {
    var text = forms;
    if (forms && typeof forms === 'object') {
      var category = 'other';
      try { category = new Intl.PluralRules(document.documentElement.lang || 'en').select(count); } catch { /* "other" */ }
      text = forms[category] || forms.other || '';
    }
    values = values || {};
    values.count = count;
    return String(text || '').replace(/\{([a-z]+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  // "3 of 8 modules completed": the modules in the navigation (the ready ones) that this
  // browser has marked complete.
  function paintCount(done) {
    var box = document.getElementById('kit-nav-count');
    if (!box) { return; }
    var forms;
    try { forms = JSON.parse(box.dataset.forms || 'null'); } catch { forms = null; }
    var links = document.querySelectorAll('.kit-nav [data-kit-progress]');
    var n = 0;
    links.forEach(function (el) {
      var id = el.getAttribute('data-kit-progress');
      if (done[id] && done[id].completed) { n += 1; }
    });
    var text = forms ? plural(forms, links.length, {done: n}) : '';
    if (box.textContent !== text) { box.textContent = text; }
    box.dataset.done = String(n);
  }

  function paintProgress(root) {
    var done = readProgress();
    paintCount(done);
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

  function setTheme(t, remember) {
    document.documentElement.setAttribute('data-kit-theme', t);
    // Only a learner's own choice is stored (so that "delete my data" leaves nothing behind).
    if (remember) {
      try { localStorage.setItem(THEME_KEY, t); } catch { /* private mode: the switch still works for this page */ }
    }
    var b = document.getElementById('kit-theme-toggle');
    if (b) {
      b.setAttribute('aria-pressed', t === 'dark' ? 'true' : 'false');
      b.textContent = t === 'dark' ? b.dataset.labelLight : b.dataset.labelDark;
    }
    window.dispatchEvent(new CustomEvent('kit-theme', {detail: t}));
  }

  /* Present mode: a wider column and larger type (kit.css, html[data-kit-present="on"]). Kept
     like the theme: only the learner's own choice is stored, and switching it off removes the key. */
  function setPresent(on, remember) {
    var root = document.documentElement;
    if (on) { root.setAttribute('data-kit-present', 'on'); } else { root.removeAttribute('data-kit-present'); }
    if (remember) {
      try {
        if (on) { localStorage.setItem(PRESENT_KEY, 'on'); } else { localStorage.removeItem(PRESENT_KEY); }
      } catch { /* private mode: the switch still works for this page */ }
    }
    var b = document.getElementById('kit-present-toggle');
    if (b) { b.setAttribute('aria-pressed', on ? 'true' : 'false'); }
    // Charts (plotly's responsive layout) and Voila's shell measure themselves on resize.
    window.dispatchEvent(new Event('resize'));
    window.dispatchEvent(new CustomEvent('kit-present', {detail: on}));
  }

  /* The navigation on a narrow screen (kit.css folds .kit-header.kit-nav-folded .kit-nav below
     641 px): folded behind the menu button when the page opens; Escape folds it again. */
  function setupMenu() {
    var button = document.getElementById('kit-menu-toggle');
    var nav = document.getElementById('kit-nav');
    var header = button && button.closest('.kit-header');
    if (!button || !nav || !header) { return; }
    var narrow = window.matchMedia ? window.matchMedia('(max-width: 640px)') : {matches: false};
    function set(open) {
      header.classList.toggle('kit-nav-folded', !open);
      // Announced state: on a wide screen the button is hidden and the navigation always shown.
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    button.hidden = false;
    set(false);
    button.addEventListener('click', function () { set(header.classList.contains('kit-nav-folded')); });
    header.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && narrow.matches && !header.classList.contains('kit-nav-folded')) {
        set(false);
        button.focus();
      }
    });
  }

  /* A module's contents list, made here from the h2 headings of its notebook's text (not those
     drawn by widgets), placed before the first of them: after the module's introduction and
     objectives. Made in the browser because the headings, their ids and their order are
     only known once the notebook's Markdown is rendered; the notebooks need no extra call, and
     a heading added to a notebook is listed without anything else to change. Built again while
     the page is still filling in (progressive rendering). */
  function headingText(h) {
    var c = h.cloneNode(true);
    c.querySelectorAll('.anchor-link, .jp-InternalAnchorLink').forEach(function (a) { a.remove(); });
    return c.textContent.trim();
  }

  function buildContents() {
    var content = document.getElementById('kit-content');
    var title = content && content.getAttribute('data-kit-toc');
    if (!title) { return; }
    var heads = Array.prototype.filter.call(content.querySelectorAll('.jp-RenderedMarkdown h2'), function (h) {
      return h.id && !h.closest('.kit-toc');
    });
    var signature = heads.map(function (h) { return h.id; }).join('\n');
    var old = content.querySelector('nav.kit-toc');
    if (old && old.getAttribute('data-kit-toc-of') === signature && old.nextElementSibling === heads[0]) { return; }
    if (old) { old.remove(); }
    if (heads.length < 2) { return; }
    var nav = document.createElement('nav');
    nav.className = 'kit-toc';
    nav.id = 'kit-toc';
    nav.setAttribute('aria-labelledby', 'kit-toc-title');
    nav.setAttribute('data-kit-toc-of', signature);
    var h = document.createElement('h2');
    h.className = 'kit-toc-title';
    h.id = 'kit-toc-title';
    h.textContent = title;
    var ol = document.createElement('ol');
    heads.forEach(function (head) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + encodeURIComponent(head.id);
      a.textContent = headingText(head);
      a.addEventListener('click', function (e) {
        e.preventDefault();
        // Scroll the heading into view and move the keyboard there, so that Tab goes on from it.
        if (!head.hasAttribute('tabindex')) { head.setAttribute('tabindex', '-1'); }
        head.scrollIntoView({block: 'start'});
        head.focus({preventScroll: true});
      });
      li.appendChild(a);
      ol.appendChild(li);
    });
    nav.appendChild(h);
    nav.appendChild(ol);
    heads[0].parentNode.insertBefore(nav, heads[0]);
  }

  /* "Back to top": shown once the learner has scrolled more than a screen down; takes the page
     (Voila's scrolling area) back to the top and the keyboard to the start of the content. */
  function setupToTop() {
    var button = document.getElementById('kit-to-top');
    var cells = document.getElementById('rendered_cells');
    if (!button || !cells) { return; }
    var holder = document.getElementById('kit-to-top-nav');
    if (holder) { document.body.appendChild(holder); }  // after Voila's shell (see the template)
    var update = function () {
      var show = cells.scrollTop > cells.clientHeight;
      if (button.hidden === show) { button.hidden = !show; }
    };
    cells.addEventListener('scroll', update, {passive: true});
    button.addEventListener('click', function () {
      cells.scrollTop = 0;
      var target = document.getElementById('kit-toc') || document.getElementById('kit-content');
      if (target && !target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
      if (target) { target.focus({preventScroll: true}); }
      update();
    });
    update();
  }

  function init() {
    var p = document.getElementById('kit-present-toggle');
    if (p) {
      p.setAttribute('aria-pressed', document.documentElement.getAttribute('data-kit-present') === 'on' ? 'true' : 'false');
      p.addEventListener('click', function () {
        setPresent(document.documentElement.getAttribute('data-kit-present') !== 'on', true);
      });
    }
    setupMenu();
    var b = document.getElementById('kit-theme-toggle');
    if (b) {
      setTheme(document.documentElement.getAttribute('data-kit-theme') || 'light');
      b.addEventListener('click', function () {
        setTheme(document.documentElement.getAttribute('data-kit-theme') === 'dark' ? 'light' : 'dark', true);
      });
    }
    paintProgress();
    enhanceTerms();
    followHash();
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
      setupToTop();
      buildContents();
      return true;
    };
    if (!arrange()) {
      var mo = new MutationObserver(function () { if (arrange()) { mo.disconnect(); } });
      mo.observe(document.body, {childList: true, subtree: true});
    }
    window.addEventListener('kit-progress', function () { paintProgress(); });
    window.addEventListener('storage', function (e) { if (e.key === PROGRESS_KEY) { paintProgress(); } });
    var cells = document.getElementById('rendered_cells') || document.body;
    var tocTimer = null;
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length) {
          paintProgress(cells);
          enhanceTerms(cells);
          if (!tocTimer) { tocTimer = setTimeout(function () { tocTimer = null; buildContents(); }, 150); }
          return;
        }
      }
    }).observe(cells, {childList: true, subtree: true});
  }

  // ------------------------------------------------------------------ the connection banner
  /* A Voila page talks to its own kernel on the course server through one websocket, held by
     the KernelConnection of Voila's widget manager (window.jupyterapp.widgetManager.kernel,
     from @jupyterlab/services). Without this, a page whose kernel is gone goes silently dead:
     its buttons send messages nobody answers. What each fault looks like from here:
     - the kernel process killed: the server starts a fresh kernel under the same id, which
       knows nothing of this page's widgets, and says "restarting" (status 'restarting', then
       'autorestarting'); a restart that fails says 'dead'. The page is lost at once.
     - the course server stopped or restarted: the websocket closes and the connection goes
       'connecting' and keeps retrying (a new server does not know the kernel: 404), then
       'disconnected' after about a minute. Lost once 'connecting' has lasted GRACE_MS, so a
       short network blip that reconnects to the same kernel shows nothing (and a longer one
       that reconnects takes the banner away again).
     - leaving the page: Voila's own beforeunload handler disposes of the connection
       ('disconnected'); that is not a fault. */
  var GRACE_MS = 4000;
  var STOPPED = {restarting: true, autorestarting: true, dead: true};
  var connection = {state: 'ok', leaving: false, kernel: null, check: function () {}};

  function connectionTexts(box) {
    var d = box.dataset;
    return {
      lost: d.textLost || 'This page lost its connection to the course server (its kernel stopped), so the exercises on it no longer answer.',
      kept: d.textKept || 'Your progress and answers are kept in this browser: reload the page to carry on where you were.',
      reload: d.textReload || 'Reload the page',
      notBack: d.textNotBack || 'The course server is not answering yet. Please wait a minute and try again; your progress and answers are still kept in this browser.'
    };
  }

  function reloadWhenServerAnswers(box, status) {
    if (box.dataset.kitReloading) { return; }
    box.dataset.kitReloading = '1';
    status.textContent = '';
    // Reload only if the server answers at all (any status: a busy page or a hub's login
    // page is the server's to show); while it is down, a reload would leave the learner
    // on the browser's own error page, without this banner.
    fetch(base + 'kit/static/kit.css', {method: 'HEAD', cache: 'no-store', credentials: 'same-origin'}).then(function () {
      window.location.reload();
    }, function () {
      delete box.dataset.kitReloading;
      status.textContent = connectionTexts(box).notBack;
    });
  }

  function setConnection(state) {
    if (connection.state === 'lost' || connection.state === state) { return; }  // lost is for good
    connection.state = state;
    if (document.body) { document.body.setAttribute('data-kit-connection', state); }
    var box = document.getElementById('kit-connection');
    if (!box) { return; }
    if (state === 'ok') { box.textContent = ''; makeRoom(); return; }
    if (box.firstChild) { return; }  // 'unsure' then 'lost': the same words stay
    var texts = connectionTexts(box);
    var inner = document.createElement('div');
    inner.className = 'kit-connection-box';
    var p = document.createElement('p');
    p.className = 'kit-connection-text';
    var strong = document.createElement('strong');
    strong.textContent = texts.lost;
    p.appendChild(strong);
    p.appendChild(document.createTextNode(' ' + texts.kept));
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'kit-connection-reload';
    button.textContent = texts.reload;
    var status = document.createElement('p');
    status.className = 'kit-connection-status';
    button.addEventListener('click', function () { reloadWhenServerAnswers(box, status); });
    inner.appendChild(p);
    inner.appendChild(button);
    inner.appendChild(status);
    box.appendChild(inner);  // into the role="alert" region that is already on the page: announced
    makeRoom();
  }

  /* Voila's shell (the page's scrolling area) fills the window (kit.css): start it below the
     banner, so that the banner hides neither the navigation nor the content. */
  function makeRoom() {
    var box = document.getElementById('kit-connection');
    var shell = document.querySelector('body > .jp-LabShell');
    if (!box || !shell) { return; }
    var top = box.firstChild ? box.offsetHeight + 'px' : '';
    if (shell.style.top !== top) {
      shell.style.top = top;
      window.dispatchEvent(new Event('resize'));  // Voila's app lays its shell out again on resize
    }
  }
  window.addEventListener('resize', function () { if (connection.state !== 'ok') { makeRoom(); } });

  /* Back from printing, lay the page out again. While the print dialog is open Chromium lays the
     page out for paper (print media, and a resize); Voila's shell is hidden in print (kit.css), so
     it measured itself 0 px high then and kept that size afterwards: a blank page until the
     window was resized by hand. */
  function relayout() { window.requestAnimationFrame(function () { window.dispatchEvent(new Event('resize')); }); }
  if (window.matchMedia) {
    var printMedia = window.matchMedia('print');
    var onPrintMedia = function (e) { if (!e.matches) { relayout(); } };
    if (printMedia.addEventListener) { printMedia.addEventListener('change', onPrintMedia); }
  }
  window.addEventListener('afterprint', relayout);

  function followKernel(kernel) {
    var everConnected = false;
    var timer = null;
    function check() {
      if (connection.leaving) { return; }
      if (kernel.isDisposed || STOPPED[kernel.status]) { setConnection('lost'); return; }
      var c = kernel.connectionStatus;
      if (c === 'connected') {
        everConnected = true;
        clearTimeout(timer);
        timer = null;
        if (connection.state === 'unsure') { setConnection('ok'); }
      } else if (c === 'disconnected') {
        setConnection('lost');  // the connection gave up retrying
      } else if (c === 'connecting' && everConnected && !timer) {
        timer = setTimeout(function () {
          timer = null;
          if (!connection.leaving && kernel.connectionStatus === 'connecting') { setConnection('unsure'); }
        }, GRACE_MS);
      }
    }
    connection.kernel = kernel;
    connection.check = check;
    kernel.statusChanged.connect(check);
    kernel.connectionStatusChanged.connect(check);
    check();
  }

  function watchConnection() {
    var box = document.getElementById('kit-connection');
    if (!box) { return; }  // a page not drawn by the kit's template
    // The banner grows when it adds a line ("not answering yet") or the window narrows.
    if (window.ResizeObserver) { new ResizeObserver(function () { makeRoom(); }).observe(box); }
    window.addEventListener('beforeunload', function () {
      connection.leaving = true;
      // Still here a moment later (the unload did not happen): look again. Voila's own
      // beforeunload handler has then shut the kernel down, and the banner says so.
      setTimeout(function () { connection.leaving = false; connection.check(); }, 3000);
    });
    var tries = 0;
    (function look() {
      var app = window.jupyterapp;  // set by Voila once its plugins (the widget manager's too) have started
      if (!app) {
        if (tries++ < 2400) { setTimeout(look, 250); }  // a slow page: keep looking for ten minutes
        return;
      }
      var manager = app.widgetManager;
      if (manager && manager.kernel) {
        followKernel(manager.kernel);
      } else if (!connection.leaving) {
        // Voila's widget manager found no kernel for this page: it was gone before the page connected.
        setConnection('lost');
      }
    })();
  }

  // ------------------------------------------------------------------ page config and texts
  var config = null;
  function pageConfig() {
    if (config) { return config; }
    var node = document.getElementById('jupyter-config-data');
    if (!node) { return {}; }  // not written yet (the page is still coming in): ask again later
    try { config = JSON.parse(node.textContent) || {}; } catch { config = {}; }
    return config;
  }
  function text(key, fallback) {
    var v = (pageConfig().balintText || {})[key];
    return typeof v === 'string' ? v : fallback;
  }

  // ------------------------------------------------------------------ glossary terms in place
  /* A module links a term as [words](resources/glossary.ipynb#term-<id>). With the term's
     definition in the page config, the link becomes a disclosure: a button (aria-expanded,
     aria-controls) and, after it, a small non-modal dialog with the definition and a link to
     the full entry. The focus moves into it when it opens; Esc (or Close, or a click elsewhere)
     closes it and the focus returns to the term. Without a definition the link stays a link. */
  var TERM_LINK = /(^|\/)glossary\.ipynb#term-([a-z][a-z0-9-]*)$/;
  var termCount = 0;
  var openTerm = null;

  function closeTerm(refocus) {
    if (!openTerm) { return; }
    var t = openTerm;
    openTerm = null;
    t.pop.hidden = true;
    t.pop.style.left = '';
    t.button.setAttribute('aria-expanded', 'false');
    if (refocus) { t.button.focus(); }
  }

  function placePop(pop) {
    // Keep the definition inside the content column (a term near the right edge, a phone).
    pop.style.left = '0px';
    var column = document.getElementById('kit-content') || document.body;
    var box = column.getBoundingClientRect();
    var r = pop.getBoundingClientRect();
    var shift = 0;
    if (r.right > box.right - 8) { shift = box.right - 8 - r.right; }
    if (r.left + shift < box.left + 8) { shift = box.left + 8 - r.left; }
    pop.style.left = shift + 'px';
  }

  function openTermPop(t) {
    if (openTerm === t) { return; }
    closeTerm(false);
    openTerm = t;
    t.pop.hidden = false;
    t.button.setAttribute('aria-expanded', 'true');
    placePop(t.pop);
    t.pop.focus();
  }

  function enhanceTerm(a) {
    a.setAttribute('data-kit-term', 'seen');
    var m = TERM_LINK.exec(a.getAttribute('href') || '');
    var entry = m && (pageConfig().balintGlossary || {})[m[2]];
    if (!entry) { return; }  // no definition here: the link still leads to the glossary page
    var n = ++termCount;
    var wrap = document.createElement('span');
    wrap.className = 'kit-term-wrap';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'kit-term';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'kit-term-pop-' + n);
    button.setAttribute('data-term', m[2]);
    button.textContent = a.textContent;
    var pop = document.createElement('span');
    pop.className = 'kit-term-pop';
    pop.id = 'kit-term-pop-' + n;
    pop.hidden = true;
    pop.tabIndex = -1;
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-labelledby', 'kit-term-pop-' + n + '-title');
    var title = document.createElement('span');
    title.className = 'kit-term-pop-title';
    title.id = 'kit-term-pop-' + n + '-title';
    title.textContent = entry.term;
    var def = document.createElement('span');
    def.className = 'kit-term-pop-def';
    def.textContent = entry.definition;
    var foot = document.createElement('span');
    foot.className = 'kit-term-pop-foot';
    var full = document.createElement('a');
    full.className = 'kit-term-pop-full';
    full.setAttribute('data-kit-term', 'full');  // a plain link to the glossary page, left as it is
    full.href = a.getAttribute('href');
    full.textContent = text('glossary-pop-full', 'Full entry in the glossary');
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'kit-term-pop-close';
    close.textContent = text('glossary-pop-close', 'Close');
    foot.appendChild(full);
    foot.appendChild(close);
    pop.appendChild(title);
    pop.appendChild(def);
    pop.appendChild(foot);
    wrap.appendChild(button);
    wrap.appendChild(pop);
    a.parentNode.replaceChild(wrap, a);
    var t = {button: button, pop: pop, wrap: wrap};
    button.addEventListener('click', function () { if (openTerm === t) { closeTerm(true); } else { openTermPop(t); } });
    close.addEventListener('click', function () { closeTerm(true); });
    wrap.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && openTerm === t) { e.preventDefault(); e.stopPropagation(); closeTerm(true); }
    });
  }

  function enhanceTerms(root) {
    var links = (root || document).querySelectorAll('a[href*="glossary.ipynb#term-"]:not([data-kit-term])');
    for (var i = 0; i < links.length; i++) { enhanceTerm(links[i]); }
  }

  document.addEventListener('click', function (e) {
    if (openTerm && !openTerm.wrap.contains(e.target)) { closeTerm(false); }
  });
  document.addEventListener('focusin', function (e) {
    // The focus went elsewhere (Tab past the dialog): the dialog closes behind it.
    if (openTerm && !openTerm.wrap.contains(e.target)) { closeTerm(false); }
  });
  window.addEventListener('resize', function () { if (openTerm) { placePop(openTerm.pop); } });

  // ------------------------------------------------------------------ an anchor drawn after the page opened
  /* The browser scrolls to #term-… when the page loads, but the glossary's terms are drawn by
     the page's kernel a few seconds later (and the page itself is shown only once it is ready):
     the browser found nothing and stayed at the top. Look again until the anchor is there and
     visible, scroll it into view, and once more after the page has settled around it. */
  function followHash() {
    var id = decodeURIComponent((window.location.hash || '').slice(1));
    if (!/^[A-Za-z][\w-]*$/.test(id)) { return; }
    var started = Date.now();
    var lastTop = null;
    var steady = 0;
    var stopped = false;
    // The learner scrolls or types while the page is still coming in: leave the page to them.
    var stop = function () { stopped = true; };
    ['wheel', 'touchstart', 'keydown', 'mousedown'].forEach(function (ev) { window.addEventListener(ev, stop, {once: true, capture: true}); });
    (function look() {
      if (stopped) { return; }
      var target = document.getElementById(id);
      var shown = target && target.getClientRects().length > 0;
      if (shown) {
        var top = target.getBoundingClientRect().top;
        if (lastTop === null || Math.abs(top) > 2) { target.scrollIntoView({block: 'start'}); }
        target.classList.add('kit-target');
        // Scrolled, and where it stays (later cells and the page's own layout can move it).
        steady = (lastTop !== null && Math.abs(target.getBoundingClientRect().top - lastTop) < 2) ? steady + 1 : 0;
        lastTop = target.getBoundingClientRect().top;
        if (steady >= 3) { return; }
      }
      if (Date.now() - started < 90000) { setTimeout(look, shown ? 150 : 250); }
    })();
  }
  /* A link to a place on the same page (the glossary's A-Z and "see also", a module's sources):
     JupyterLab's output renderer gives every link in an output target="_blank", so it opened the
     same page again in a new tab, with a new kernel. Go to the place here instead. */
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    var a = e.target && e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || a.closest('.kit-skip')) { return; }
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    e.preventDefault();
    // A letter or a "see also" chosen while the glossary's filter hides the place: show the whole list again.
    var glossary = target.closest('.kit-glossary');
    var input = glossary && target.closest('[hidden]') && glossary.querySelector('.kit-glossary-filter');
    if (input) { input.value = ''; filterGlossary(input); }
    if (window.location.hash !== '#' + id) { history.pushState(null, '', '#' + id); }
    document.querySelectorAll('.kit-target').forEach(function (el) { el.classList.remove('kit-target'); });
    target.classList.add('kit-target');
    if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
    target.scrollIntoView({block: 'start'});
    target.focus({preventScroll: true});  // a keyboard user carries on from there
  });
  window.addEventListener('hashchange', function () {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    document.querySelectorAll('.kit-target').forEach(function (el) { el.classList.remove('kit-target'); });
    if (target) { target.classList.add('kit-target'); }
  });

  // ------------------------------------------------------------------ the glossary's filter
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLocaleLowerCase();
  }
  function filterGlossary(input) {
    var section = input.closest('.kit-glossary');
    if (!section) { return; }
    var query = input.value.trim();
    var q = fold(query);
    var shown = 0;
    section.querySelectorAll('.kit-glossary-letter').forEach(function (letter) {
      var any = false;
      letter.querySelectorAll('.kit-glossary-entry').forEach(function (entry) {
        var match = !q || fold(entry.getAttribute('data-term-name') || '').indexOf(q) >= 0;
        entry.hidden = !match;
        if (match) { any = true; shown++; }
      });
      letter.hidden = !any;
    });
    var status = section.querySelector('.kit-glossary-status');
    if (!status) { return; }
    var d = section.dataset;
    if (!q) { status.textContent = ''; return; }
    var forms;
    try { forms = JSON.parse(d.textCount || '{}'); } catch { forms = {}; }
    // plural() (above) picks the form and fills {count}, {query} and {total}; the "none" text is
    // one plain sentence, filled the same way.
    status.textContent = plural(shown ? forms : (d.textNone || ''), shown, {query: query, total: d.total || ''});
    section.classList.toggle('kit-glossary-nothing', !shown);
  }
  document.addEventListener('input', function (e) {
    if (e.target && e.target.classList && e.target.classList.contains('kit-glossary-filter')) { filterGlossary(e.target); }
  });

  window.balintKit = {
    progressKey: PROGRESS_KEY,
    base: base,
    paintProgress: paintProgress,
    presentKey: PRESENT_KEY,
    setPresent: setPresent,
    connection: function () { return connection.state; }
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
    document.addEventListener('DOMContentLoaded', watchConnection);
  } else { init(); watchConnection(); }
})();
