// #/journey/CUSTOMER?agents=1: one customer's feedback across channels in
// time order, each contact with its sentences (stage and emotion), and the
// links the journey report found between contacts (a dead end followed by
// another contact, a repeat contact on the same topic). #/journey alone
// asks for a customer.
import { getJson } from './api.js';
import { clear, emotionClass, h, humanize, painText, signed, srOnly, timeEl } from './dom.js';
import { buildHash, navigate } from './route.js';
import { emotionLegend } from './view_feedback.js';

function customerForm(value) {
  const input = h('input', { id: 'customer', name: 'customer', type: 'text', required: true, value,
                             autocomplete: 'off', spellcheck: 'false', 'data-focus-key': 'customer' });
  return h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    if (input.value.trim()) navigate(buildHash('journey', input.value.trim(), {}));
  } },
  h('div', { class: 'field grow' }, h('label', { for: 'customer' }, 'Customer (e-mail address or key)'), input),
  h('button', { type: 'submit', class: 'primary' }, 'Show journey'));
}

function days(d) {
  return d < 1 ? `${Math.round(d * 24)} hours` : `${d.toFixed(1)} days`;
}

function shorten(text, max = 90) {
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
}

function linkItem(link, from, byId) {
  const to = byId.get(link.to.feedback_id);
  const said = from.events.find((e) => e.ordinal === link.from.ordinal);
  return h('li', { class: `journey-link link-${link.kind}` },
    h('strong', {}, humanize(link.kind)),
    link.topic ? ` (${humanize(link.topic)})` : '',
    said ? [': \u201c', shorten(said.sentence), '\u201d'] : '',
    ' \u2192 ',
    h('a', { href: buildHash('feedback', link.to.feedback_id, { event: link.to.ordinal }) },
      to ? `${to.subject || to.id} (${to.channel})` : link.to.feedback_id),
    ` ${days(link.days)} later`);
}

export async function render(ctx) {
  const { main, route, signal, announce } = ctx;
  const customer = route.arg;
  if (!customer) {
    clear(main).append(h('section', { class: 'view-journey', 'data-view': 'journey' },
      h('h1', { tabindex: '-1' }, 'Customer journey'),
      h('p', {}, 'One customer\u2019s feedback across e-mail, chat and surveys, in time order.'),
      customerForm('')));
    return;
  }
  const agents = route.params.get('agents') === '1';
  const journey = await getJson(`/api/journey/${encodeURIComponent(customer)}`, { agents: agents ? '1' : '' }, signal);
  const byId = new Map(journey.feedback.map((f) => [f.id, f]));
  const channels = [...new Set(journey.feedback.map((f) => f.channel))];
  const first = journey.feedback[0]?.received_at, last = journey.feedback.at(-1)?.received_at;
  const spanDays = first && last ? (Date.parse(last) - Date.parse(first)) / 86400000 : 0;
  const agentsBox = h('input', { type: 'checkbox', id: 'agents', checked: agents, 'data-focus-key': 'agents',
    onchange: (e) => navigate(buildHash('journey', customer, { agents: e.target.checked ? '1' : '' })) });

  const timeline = h('ol', { class: 'timeline', 'aria-label': 'Contacts in time order' },
    journey.feedback.map((f) => h('li', { class: 'moment', 'data-feedback-id': f.id },
      h('div', { class: 'moment-head' },
        timeEl(f.received_at), ' ', h('span', { class: 'badge' }, f.channel), ' ',
        h('h2', {}, h('a', { href: buildHash('feedback', f.id, {}) }, f.subject || `Feedback ${f.id}`))),
      h('ol', { class: 'moment-events', 'aria-label': 'Sentences' },
        f.events.map((e) => h('li', { class: `mini ${emotionClass(e.emotion)} speaker-${e.speaker}` },
          h('span', { class: 'stage-label', 'data-stage': e.stage }, srOnly('stage '), e.stage),
          h('span', { class: 'mini-text' },
            e.speaker !== 'customer' ? h('span', { class: 'speaker' }, `${e.speaker}: `) : null,
            h('a', { href: buildHash('feedback', f.id, { event: e.ordinal }) }, e.sentence)),
          h('span', { class: 'mini-tags' }, e.emotion, ' \u00b7 ', signed(e.compound),
            (e.pain || []).map((p) => [' \u00b7 ', painText(p)]))))),
      (() => {
        const out = journey.links.filter((l) => l.from.feedback_id === f.id);
        return out.length ? h('ul', { class: 'moment-links', 'aria-label': 'Links to later contacts' },
          out.map((l) => linkItem(l, f, byId))) : null;
      })())));

  clear(main).append(h('section', { class: 'view-journey', 'data-view': 'journey' },
    h('h1', { tabindex: '-1' }, `Journey of ${journey.customer}`),
    h('p', { class: 'summary' },
      `${journey.feedback.length} contacts over ${spanDays.toFixed(1)} days through ${channels.join(', ')}; `,
      `${journey.links.length} links between contacts.`),
    h('p', { class: 'controls' }, agentsBox, ' ',
      h('label', { for: 'agents' }, 'Include agents\u2019 and bots\u2019 turns'),
      ' \u00b7 ', h('a', { href: buildHash('search', '', { q: `customer:${journey.customer}` }) },
        'Search this customer\u2019s sentences'),
      ' \u00b7 ', h('a', { href: buildHash('map', '', { q: `customer:${journey.customer}` }) }, 'Map this customer')),
    emotionLegend(),
    timeline,
    h('details', { class: 'other-customer' }, h('summary', {}, 'Another customer'), customerForm(''))));
  announce(`Journey of ${journey.customer}: ${journey.feedback.length} contacts.`);
}
