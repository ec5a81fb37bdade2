// The cxmap web UI: a small single-page app over the JSON API of `cxmap
// serve`, with no framework and nothing loaded from anywhere but this
// server. The URL fragment holds the state (route.js); each view is a module
// with render(ctx) that fetches what it shows and builds it with DOM calls.
//
// Observable state, for people and for the browser test alike: while a view
// loads, <main> has aria-busy="true"; when it is drawn, <body
// data-rendered> holds the fragment it shows.
import { AuthError, getToken, setToken } from './api.js';
import { clear, h } from './dom.js';
import { parseHash } from './route.js';
import * as feedbackView from './view_feedback.js';
import * as journeyView from './view_journey.js';
import * as mapView from './view_map.js';
import * as searchView from './view_search.js';
import * as tableView from './view_table.js';

const VIEWS = {
  search: searchView,
  feedback: feedbackView,
  journey: journeyView,
  map: mapView,
  table: tableView,
};

const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
let current = null;  // {controller, view}
let lastView = null;

function announce(text) {
  // Cleared first so the same words are read again.
  announcer.textContent = '';
  requestAnimationFrame(() => { announcer.textContent = text; });
}

function markNav(view) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function tokenGate(rejected, rerender) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', required: true, autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'token-help', 'data-focus-key': 'token',
  });
  const form = h('form', { class: 'token-form', onsubmit: (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    setToken(token);
    rerender();
  } },
  h('label', { for: 'token' }, 'Access token'),
  h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Continue')));
  return h('section', { class: 'token-gate', 'aria-labelledby': 'token-heading' },
    h('h1', { id: 'token-heading', tabindex: '-1' }, 'Access token needed'),
    rejected
      ? h('p', { class: 'error', role: 'alert' }, 'The server did not accept that token. Check it and try again.')
      : null,
    h('p', { id: 'token-help' },
      'This server keeps customer feedback behind a bearer token. Enter the token you were given; ',
      'it is kept in this browser tab only (session storage) and sent with every request to the API.'),
    form);
}

function errorBox(error) {
  const status = error.status ? ` (HTTP ${error.status})` : '';
  return h('div', { class: 'error-box', role: 'alert' },
    h('h1', { tabindex: '-1' }, error.status === 404 ? 'Not found' : 'Something went wrong'),
    h('p', {}, String(error.message || error) + status));
}

async function render() {
  // The start page's address gets the fragment it shows, so it too can be
  // shared and returned to.
  if (!location.hash || location.hash === '#' || location.hash === '#/')
    history.replaceState(null, '', '#/search');
  const hash = location.hash;
  const route = parseHash(hash);
  if (current) current.controller.abort();
  const controller = new AbortController();
  current = { controller };
  const focusKey = document.activeElement && main.contains(document.activeElement)
    ? document.activeElement.dataset.focusKey : undefined;
  const view = VIEWS[route.view];
  const viewChanged = lastView !== null && lastView !== route.view;
  const firstRender = lastView === null;
  markNav(route.view);
  main.setAttribute('aria-busy', 'true');
  delete document.body.dataset.rendered;
  const ctx = { main, route, hash, signal: controller.signal, announce, firstRender, viewChanged,
                rerender: render };
  try {
    if (!view) {
      clear(main).append(errorBox({ status: 404, message: `There is no page called "${route.view}".` }));
    } else {
      await view.render(ctx);
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof AuthError) {
      const rejected = getToken() !== '';
      if (rejected) setToken('');
      clear(main).append(tokenGate(rejected, render));
      main.setAttribute('aria-busy', 'false');
      lastView = 'token';
      document.body.dataset.rendered = hash;
      document.getElementById('token').focus();
      return;
    }
    if (error.name === 'AbortError') return;
    clear(main).append(errorBox(error));
    announce(`Error: ${error.message}`);
  }
  if (controller.signal.aborted) return;
  main.setAttribute('aria-busy', 'false');
  lastView = route.view;
  document.title = (main.querySelector('h1')?.textContent || 'cxmap') + ' \u2013 cxmap';
  // Focus: the control the person was using, when the view still has it;
  // otherwise the new view's heading, so a screen reader starts there.
  const again = focusKey ? main.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`) : null;
  if (again) {
    if (document.activeElement !== again) again.focus();
  } else if (viewChanged || (!firstRender && !main.contains(document.activeElement))) {
    // Without scrolling: a view may have scrolled to what the link pointed at.
    main.querySelector('h1')?.focus({ preventScroll: true });
  }
  document.body.dataset.rendered = hash;
}

function updateTokenButton() {
  document.getElementById('forget-token').hidden = getToken() === '';
}

document.getElementById('forget-token').addEventListener('click', () => {
  setToken('');
  render();
});
document.addEventListener('cxmap:token', updateTokenButton);
// The skip link moves focus without touching the fragment, which is the
// router's.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
updateTokenButton();
render();
