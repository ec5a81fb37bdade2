// #/feedback/ID?event=N: one feedback, every sentence in order, coloured by
// its emotion and labelled with its journey stage (and touchpoint,
// sentiment, pains). The sentence a search result pointed at is marked.
import { getJson } from './api.js';
import { clear, emotionClass, EMOTION_ORDER, h, painText, sentimentLabel, signed, srOnly,
         timeEl } from './dom.js';
import { buildHash } from './route.js';

function meta(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

export function emotionLegend() {
  return h('ul', { class: 'legend', 'aria-label': 'Emotion colours' },
    EMOTION_ORDER.map((e) => h('li', { class: `swatch ${emotionClass(e)}` }, e)));
}

function sentence(e, current) {
  const label = sentimentLabel(e.compound);
  return h('li', {
    class: `sentence ${emotionClass(e.emotion)} speaker-${e.speaker}${current ? ' current' : ''}`,
    id: `sentence-${e.ordinal}`, 'data-ordinal': e.ordinal, 'aria-current': current ? 'true' : null,
  },
  h('span', { class: 'stage-label', 'data-stage': e.stage }, srOnly('stage '), e.stage),
  h('div', { class: 'sentence-body' },
    e.speaker !== 'customer' ? h('span', { class: 'speaker' }, `${e.speaker}: `) : null,
    h('span', { class: 'sentence-text' }, e.sentence),
    h('span', { class: 'sentence-tags' },
      h('span', { class: 'emotion' }, srOnly('emotion '), e.emotion), ' \u00b7 ',
      h('span', { class: 'touchpoint' }, srOnly('touchpoint '), e.touchpoint), ' \u00b7 ',
      h('span', { class: `sentiment sent-${label}` }, `${label} ${signed(e.compound)}`),
      (e.pain || []).map((p) => [' \u00b7 ', h('span', { class: 'pain' }, srOnly('pain point '), painText(p))]))));
}

export async function render(ctx) {
  const { main, route, signal, announce } = ctx;
  const id = route.arg;
  const fb = await getJson(`/api/feedback/${encodeURIComponent(id)}`, {}, signal);
  const wanted = route.params.has('event') ? Number(route.params.get('event')) : null;
  const customerSentences = fb.events.filter((e) => e.speaker === 'customer').length;
  const list = h('ol', { class: 'sentences', 'aria-label': 'Sentences' },
    fb.events.map((e) => sentence(e, e.ordinal === wanted)));
  const view = h('article', { class: 'view-feedback', 'data-view': 'feedback', 'data-feedback-id': fb.id },
    h('p', { class: 'back' }, h('button', { type: 'button', class: 'link', onclick: () => history.back() },
      '\u2190 Back')),
    h('h1', { tabindex: '-1' }, fb.subject || `Feedback ${fb.id}`),
    h('dl', { class: 'facts' },
      meta('Feedback', h('code', {}, fb.id)),
      meta('Received', timeEl(fb.received_at)),
      meta('Channel', fb.channel),
      meta('Source', fb.source),
      meta('Customer', h('a', { href: buildHash('journey', fb.customer, {}),
                                'aria-label': `Journey of customer ${fb.customer}` }, fb.customer)),
      fb.nps !== null ? meta('NPS', String(fb.nps)) : null,
      fb.csat !== null ? meta('CSAT', String(fb.csat)) : null,
      meta('Sentences', `${fb.events.length} (${customerSentences} by the customer)`)),
    h('h2', {}, 'What was said'),
    emotionLegend(),
    list,
    h('p', { class: 'more-links' },
      h('a', { href: buildHash('journey', fb.customer, {}) }, 'This customer\u2019s journey'), ' \u00b7 ',
      h('a', { href: buildHash('search', '', { q: `customer:${fb.customer}` }) },
        'Search this customer\u2019s sentences')));
  clear(main).append(view);
  announce(`Feedback ${fb.id}: ${fb.events.length} sentences.`);
  if (wanted !== null) {
    const target = view.querySelector('.sentence.current');
    if (target) target.scrollIntoView({ block: 'center' });
  }
}
