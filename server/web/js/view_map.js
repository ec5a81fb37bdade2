// #/map?q=&compare=: the journey map of `cxmap map`, drawn inside this page.
//
// /api/map answers a whole HTML page (an inline SVG and its own stylesheet,
// under a policy of its own). The UI does not frame it: the page is fetched
// like every other API answer (so the bearer token goes with it, which an
// <iframe src> could not send), parsed inert with DOMParser, and rebuilt
// node by node into a shadow root through an allowlist of SVG/HTML elements
// and presentation attributes: no script, event handler, link or foreign
// content can come through, and the map's stylesheet applies only inside
// the shadow root (as a constructed stylesheet, which the UI's CSP allows).
// Every sentence the map quotes opens its feedback.
import { ApiError, getText, getToken, saveBlob } from './api.js';
import { charIndexOfByteColumn, clear, h } from './dom.js';
import { buildHash, navigate } from './route.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_TAGS = new Set(['svg', 'g', 'rect', 'line', 'path', 'text', 'tspan', 'title', 'desc', 'circle', 'ellipse',
                          'polygon', 'polyline']);
const HTML_TAGS = new Set(['h1', 'h2', 'h3', 'p', 'div', 'span', 'ul', 'ol', 'li', 'strong', 'em', 'small', 'br']);
const ATTRS = new Set(['x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points', 'width', 'height',
                       'viewBox', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray',
                       'stroke-linejoin', 'stroke-linecap', 'stroke-opacity', 'opacity', 'text-anchor',
                       'dominant-baseline', 'font-weight', 'font-size', 'font-style', 'transform', 'class', 'role',
                       'aria-label', 'aria-hidden', 'dx', 'dy']);

function allowedAttribute(name) {
  return ATTRS.has(name) || /^data-[a-z0-9-]+$/.test(name);
}

// A copy of `node` made only of allowed elements and attributes.
function rebuild(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  let el;
  if (node.namespaceURI === SVG_NS && SVG_TAGS.has(node.localName))
    el = document.createElementNS(SVG_NS, node.localName);
  else if (node.namespaceURI === HTML_NS && HTML_TAGS.has(node.localName)) el = document.createElement(node.localName);
  else return null;
  for (const attr of node.attributes) {
    if (allowedAttribute(attr.name) && !/^\s*(javascript|data|vbscript):/i.test(attr.value))
      el.setAttribute(attr.name, attr.value);
  }
  for (const child of node.childNodes) {
    const copy = rebuild(child);
    if (copy) el.append(copy);
  }
  return el;
}

// The page's <style> text, cut out before the page is parsed: a <style>
// element, even in an inert DOMParser document, is checked against the UI's
// CSP and refused (with a console error).
function splitStyle(html) {
  const styles = [];
  const rest = html.replace(/<style>([\s\S]*?)<\/style>/g, (_, css) => {
    styles.push(css);
    return '';
  });
  return { css: styles.join('\n'), rest };
}

function mapStyleSheet(css) {
  if (!css || typeof CSSStyleSheet === 'undefined') return null;
  try {
    const sheet = new CSSStyleSheet();
    // The page styles <body>; inside the shadow root that is the host.
    sheet.replaceSync(css.replace(/(^|[}\s,])body(?=[\s{,])/g, '$1:host'));
    return sheet;
  } catch {
    return null;
  }
}

function makeQuotesOpenFeedback(root) {
  for (const quote of root.querySelectorAll('g.quote[data-feedback-id]')) {
    const id = quote.getAttribute('data-feedback-id');
    const ordinal = quote.getAttribute('data-ordinal') || '';
    const title = quote.querySelector('title')?.textContent || '';
    quote.setAttribute('role', 'link');
    quote.setAttribute('tabindex', '0');
    quote.setAttribute('aria-label', `Open feedback ${id}: ${title}`);
    const open = () => navigate(buildHash('feedback', id, { event: ordinal }));
    quote.addEventListener('click', open);
    quote.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
  }
}

function form(q, compare) {
  const qInput = h('input', { id: 'map-q', name: 'q', type: 'search', value: q, autocomplete: 'off',
    spellcheck: 'false', 'data-focus-key': 'map-q', placeholder: 'all feedback', 'aria-describedby': 'map-error' });
  const cInput = h('input', { id: 'map-compare', name: 'compare', type: 'search', value: compare, autocomplete: 'off',
    spellcheck: 'false', 'data-focus-key': 'map-compare', placeholder: 'optional second query',
    'aria-describedby': 'map-error' });
  return h('form', { class: 'search-form', 'aria-label': 'Journey map', onsubmit: (e) => {
    e.preventDefault();
    navigate(buildHash('map', '', { q: qInput.value.trim(), compare: cInput.value.trim() }));
  } },
  h('div', { class: 'field grow' }, h('label', { for: 'map-q' }, 'Map the sentences matching'), qInput),
  h('div', { class: 'field grow' }, h('label', { for: 'map-compare' }, 'Compare with'), cInput),
  h('button', { type: 'submit', class: 'primary' }, 'Draw map'));
}

export async function render(ctx) {
  const { main, route, signal, announce } = ctx;
  const q = route.params.get('q') || '';
  const compare = route.params.get('compare') || '';
  const params = { q, compare };
  const error = h('div', { id: 'map-error', class: 'query-error', hidden: true });
  const host = h('div', { class: 'map-host' });
  const actions = h('p', { class: 'actions' });
  const view = h('section', { class: 'view-map', 'data-view': 'map' },
    h('h1', { tabindex: '-1' }, 'Journey map'), form(q, compare), error, actions,
    h('figure', { class: 'map-figure' }, host,
      h('figcaption', {}, 'Stages from left to right: volume, the emotion curve with its 95% interval, emotions, ',
        'touchpoints, pain points and quotes (a quote opens its feedback). The same figures as a table: ',
        h('a', { href: buildHash('table', '', { q }) }, 'stage table'), '.')));
  clear(main).append(view);

  let html;
  try {
    html = await getText('/api/map', params, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    const which = compare && !e.message.startsWith(`cannot parse query "${q}"`) ? compare : q;
    error.hidden = false;
    if (e.column) {
      const at = charIndexOfByteColumn(which, e.column);
      error.append(h('pre', { class: 'caret', 'aria-hidden': 'true' }, h('code', {}, `${which}\n${' '.repeat(at)}^`)));
    }
    error.append(h('p', { role: 'alert' }, e.message));
    host.remove();
    return;
  }
  const { css, rest } = splitStyle(html);
  const doc = new DOMParser().parseFromString(rest, 'text/html');
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = mapStyleSheet(css);
  if (sheet) shadow.adoptedStyleSheets = [sheet];
  for (const child of doc.body.childNodes) {
    const copy = rebuild(child);
    if (copy) shadow.append(copy);
  }
  const svg = shadow.querySelector('svg');
  if (svg) {
    // Its quotes are links now, so it is a group a screen reader can enter,
    // not one flat image.
    svg.setAttribute('role', 'group');
    const compared = compare ? ` compared with ${compare}` : '';
    svg.setAttribute('aria-label', `Customer journey map of ${q || 'all feedback'}${compared}`);
  }
  makeQuotesOpenFeedback(shadow);

  const save = h('button', { type: 'button', onclick: () =>
    saveBlob(new Blob([html], { type: 'text/html' }), 'cxmap-journey-map.html') }, 'Download the map (HTML)');
  actions.append(save);
  // A link cannot carry the bearer token: offered only when none is needed.
  if (!getToken()) {
    const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
    actions.append(' ', h('a', {
      href: `/api/map${qs ? `?${qs}` : ''}`, target: '_blank', rel: 'noopener',
      'aria-label': `Open the journey map of ${q || 'all feedback'} as a page of its own (new tab)`,
    }, 'Open as a page'));
  }
  announce(`Journey map of ${q || 'all feedback'} drawn.`);
}
