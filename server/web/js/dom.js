// DOM helpers for the cxmap UI. Every piece of text from the API enters the
// page through text nodes (h() children, textContent), never through
// innerHTML, so customer words can never become markup.

// h('p', {class: 'x', 'aria-label': 'y', onclick: fn}, 'text', child, [more])
// Attribute values of null, undefined or false are left out; true gives "".
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// A snippet from the search API marks matched words **like this**: those
// parts become <mark> elements, everything else stays text.
export function highlighted(snippet) {
  const out = document.createDocumentFragment();
  const parts = String(snippet).split(/\*\*(.+?)\*\*/s);
  parts.forEach((part, i) => {
    if (!part) return;
    out.append(i % 2 === 1 ? h('mark', {}, part) : document.createTextNode(part));
  });
  return out;
}

// Text only screen readers hear.
export function srOnly(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

// "2026-08-18T15:40:00Z" -> "2026-08-18 15:40 UTC"; the same on every
// machine (no locale, no time zone guessing).
export function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso);
  if (!m) return iso;
  return m[2] ? `${m[1]} ${m[2]} UTC` : m[1];
}

export function timeEl(iso) {
  return h('time', { datetime: iso }, formatDate(iso));
}

// Signed with a real minus sign, fixed decimals: "+0.45", "−0.64", "0.00".
export function signed(x, decimals = 2) {
  const v = Number(x);
  if (!Number.isFinite(v)) return '';
  const text = Math.abs(v).toFixed(decimals);
  if (Number(text) === 0) return (0).toFixed(decimals);
  return (v > 0 ? '+' : '\u2212') + text;
}

// The sentiment label the query language uses (sentiment:pos|neu|neg),
// with the index's thresholds.
export function sentimentLabel(compound) {
  const v = Number(compound);
  return v >= 0.05 ? 'positive' : v <= -0.05 ? 'negative' : 'neutral';
}

// "long_wait" -> "long wait"; a pain with a value -> "long wait 20 min".
export function humanize(name) {
  return String(name).replaceAll('_', ' ');
}

export function painText(pain) {
  if (pain.unit) return `${pain.kind} ${Math.round(pain.value)} ${pain.unit}`;
  return pain.kind;
}

// A CSS class for an emotion label: known labels get their colour, any
// other label (a custom lexicon) a neutral look.
const EMOTIONS = new Set(['frustrated', 'angry', 'confused', 'anxious', 'disappointed', 'impatient', 'curious',
                          'relieved', 'satisfied', 'grateful', 'delighted', 'neutral']);
export const EMOTION_ORDER = [...EMOTIONS];
export function emotionClass(emotion) {
  return EMOTIONS.has(emotion) ? `emo-${emotion}` : 'emo-other';
}

// A 1-based UTF-8 byte column (as the query checker reports it) as an index
// into the JavaScript string.
export function charIndexOfByteColumn(text, column) {
  const bytes = new TextEncoder().encode(text);
  const upto = Math.max(0, Math.min(bytes.length, column - 1));
  return new TextDecoder().decode(bytes.slice(0, upto)).length;
}
