// #/search?q=&sort=&page=: the researcher's view. A query box that speaks
// the search language (a rejected query shows the server's message with a
// caret under the column), facet buttons that add or remove `field:value`,
// ranked results with highlighted snippets and their tags, pages.
//
// The form, facets and result regions are built once and then updated in
// place, so the result count (a live region) is announced on every search.
import { ApiError, getJson } from './api.js';
import { charIndexOfByteColumn, clear, emotionClass, h, highlighted, painText, sentimentLabel, signed,
         srOnly, timeEl } from './dom.js';
import { hasTerm, toggleTerm } from './query.js';
import { buildHash, navigate } from './route.js';

export const PAGE_SIZE = 10;
const MAX_OFFSET = 10000;  // the server's ServerLimits::max_offset
const FACETS = [
  ['stage', 'Stage'], ['touchpoint', 'Touchpoint'], ['emotion', 'Emotion'], ['channel', 'Channel'],
  ['pain', 'Pain point'],
];
const SORTS = [['relevance', 'Relevance'], ['date', 'Newest first'], ['sentiment', 'Most negative first']];
const EXAMPLES = [
  ['refund stage:contact emotion:frustrated', 'words and filters together'],
  ['"on hold" touchpoint:phone', 'a phrase'],
  ['pain:long_wait -channel:survey', 'leave a channel out'],
  ['sentiment:neg date:2026-08-01..2026-08-31', 'negative sentences in August 2026'],
  ['nps:0..6 stage:resolution', 'detractors on outcomes'],
  ['customer:maria.lopez@example.com', 'one customer'],
];

let shell = null;

function searchHash(q, sort, page) {
  return buildHash('search', '', { q, sort: sort === 'relevance' ? '' : sort, page });
}

function buildShell() {
  const input = h('input', {
    id: 'q', name: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false', 'data-focus-key': 'q',
    'aria-describedby': 'query-error', placeholder: 'e.g. refund stage:contact emotion:frustrated',
  });
  const sort = h('select', { id: 'sort', name: 'sort', 'data-focus-key': 'sort' },
    SORTS.map(([value, label]) => h('option', { value }, label)));
  const go = () => navigate(searchHash(input.value.trim(), sort.value, 1));
  sort.addEventListener('change', go);
  const form = h('form', { class: 'search-form', role: 'search', 'aria-label': 'Search customer sentences',
                           onsubmit: (e) => { e.preventDefault(); go(); } },
    h('div', { class: 'field grow' }, h('label', { for: 'q' }, 'Query'), input),
    h('div', { class: 'field' }, h('label', { for: 'sort' }, 'Sort'), sort),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const error = h('div', { id: 'query-error', class: 'query-error', hidden: true });
  const hint = h('details', { id: 'query-hint', class: 'hint' },
    h('summary', {}, 'Query language'),
    h('p', {}, 'Words are stemmed; "quotes" make a phrase. Filters: stage:, touchpoint:, emotion:, channel:, ',
      'pain:, speaker:, source:, customer:, sentiment:pos|neu|neg; ranges date:A..B, nps:0..6, csat:1..2, ',
      'score:-1..-0.5. AND, OR, NOT, brackets, and +/- before a term work as usual.'),
    h('ul', { class: 'examples' }, EXAMPLES.map(([q, what]) =>
      h('li', {}, h('a', { href: searchHash(q, 'relevance', 1) }, h('code', {}, q)), ` \u2013 ${what}`))));
  const count = h('p', { id: 'result-count', class: 'result-count', role: 'status', 'aria-live': 'polite' });
  const suggestion = h('p', { class: 'did-you-mean', hidden: true });
  const results = h('ol', { id: 'results', class: 'results' });
  const pages = h('nav', { class: 'pages', 'aria-label': 'Result pages', hidden: true });
  const facets = h('div', { class: 'facet-groups' });
  const root = h('div', { class: 'view-search', 'data-view': 'search' },
    h('h1', { tabindex: '-1', class: 'visually-hidden' }, 'Search customer feedback'),
    form, error, hint,
    h('div', { class: 'search-layout' },
      h('aside', { class: 'facets', 'aria-labelledby': 'facets-heading' },
        h('h2', { id: 'facets-heading' }, 'Refine'), facets),
      h('section', { class: 'hits', 'aria-labelledby': 'results-heading' },
        h('h2', { id: 'results-heading', class: 'visually-hidden' }, 'Results'),
        count, suggestion, results, pages)));
  return { root, input, sort, error, count, suggestion, results, pages, facets };
}

function showQueryError(s, query, error) {
  clear(s.error);
  s.input.setAttribute('aria-invalid', 'true');
  s.error.hidden = false;
  if (error.column) {
    const at = charIndexOfByteColumn(query, error.column);
    // The query and a caret under the mistake, in a monospace box; the
    // message says the same in words for screen readers.
    s.error.append(h('pre', { class: 'caret', 'aria-hidden': 'true' },
      h('code', {}, query + '\n' + ' '.repeat(at) + '^')));
    if (document.activeElement === s.input) s.input.setSelectionRange(at, at);
  }
  s.error.append(h('p', { role: 'alert' }, error.message));
}

function hideQueryError(s) {
  s.input.removeAttribute('aria-invalid');
  s.error.hidden = true;
  clear(s.error);
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function tag(kind, name, value, extraClass = '') {
  return h('li', { class: `tag tag-${kind} ${extraClass}`.trim(), 'data-tag': kind },
    h('span', { class: 'tag-name' }, name), ' ', h('span', { class: 'tag-value' }, value));
}

function resultItem(hit) {
  const feedbackHash = buildHash('feedback', hit.feedback_id, { event: hit.event });
  const label = sentimentLabel(hit.compound);
  const tags = [
    tag('stage', 'stage', hit.stage),
    tag('touchpoint', 'touchpoint', hit.touchpoint),
    tag('emotion', 'emotion', hit.emotion, emotionClass(hit.emotion)),
    tag('sentiment', 'sentiment', `${label} ${signed(hit.compound)}`, `sent-${label}`),
    ...(hit.pain || []).map((p) => tag('pain', 'pain', painText(p))),
  ];
  if (hit.more_in_feedback > 0) {
    tags.push(h('li', { class: 'tag tag-more', 'data-tag': 'more' },
      h('a', { href: buildHash('feedback', hit.feedback_id, {}) },
        `+${hit.more_in_feedback} more in this feedback`)));
  }
  return h('li', { class: 'result', 'data-feedback-id': hit.feedback_id, 'data-event': hit.event },
    h('article', { 'aria-label': `Sentence ${hit.event + 1} of feedback ${hit.feedback_id}` },
      h('p', { class: 'snippet' }, highlighted(hit.snippet)),
      h('ul', { class: 'tags', 'aria-label': 'Tags' }, tags),
      h('p', { class: 'meta' },
        timeEl(hit.date), ' \u00b7 ', hit.channel, ' \u00b7 ', hit.source,
        hit.speaker !== 'customer' ? ` \u00b7 ${hit.speaker}` : '',
        ' \u00b7 ',
        h('a', { href: buildHash('journey', hit.customer, {}), class: 'customer',
                 'aria-label': `Journey of customer ${hit.customer}` }, hit.customer),
        ' \u00b7 ',
        h('a', { href: feedbackHash, class: 'open-feedback', 'data-focus-key': `open:${hit.feedback_id}` },
          'Open feedback', srOnly(` ${hit.feedback_id}`)))));
}

function renderFacets(s, data, q, sort) {
  clear(s.facets);
  for (const [field, title] of FACETS) {
    const counts = (data.facets || {})[field] || {};
    const entries = Object.entries(counts);
    if (!entries.length) continue;
    const headingId = `facet-${field}`;
    s.facets.append(h('section', { class: 'facet-group', 'aria-labelledby': headingId, 'data-facet': field },
      h('h3', { id: headingId }, title),
      h('ul', {}, entries.map(([value, n]) => {
        const on = hasTerm(q, field, value);
        return h('li', {}, h('button', {
          type: 'button', class: `facet ${field === 'emotion' ? emotionClass(value) : ''}`.trim(),
          'aria-pressed': on ? 'true' : 'false', 'data-field': field, 'data-value': value,
          'data-focus-key': `facet:${field}:${value}`,
          title: on ? `Remove ${field}:${value} from the query` : `Add ${field}:${value} to the query`,
          onclick: () => navigate(searchHash(toggleTerm(q, field, value), sort, 1)),
        }, h('span', { class: 'facet-value' }, value), ' ',
           h('span', { class: 'facet-count' }, String(n), srOnly(n === 1 ? ' sentence' : ' sentences'))));
      }))));
  }
}

function renderPages(s, q, sort, page, total) {
  clear(s.pages);
  const last = Math.min(Math.max(1, Math.ceil(total / PAGE_SIZE)), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1);
  s.pages.hidden = last <= 1 && page <= 1;
  if (s.pages.hidden) return;
  const link = (p, text, rel) => p >= 1 && p <= last && p !== page
    ? h('a', { href: searchHash(q, sort, p), rel, 'data-focus-key': `page:${rel || p}` }, text)
    : h('span', { class: 'disabled', 'aria-disabled': 'true' }, text);
  s.pages.append(
    link(1, 'First', 'first'), link(page - 1, 'Previous', 'prev'),
    h('span', { class: 'page-of', 'aria-current': 'page' },
      page <= last ? `Page ${page} of ${last}` : `Page ${page}: past the last page (${last})`),
    link(page + 1, 'Next', 'next'), link(last, 'Last', 'last'));
}

export async function render(ctx) {
  const { main, route, signal } = ctx;
  if (!shell || !main.contains(shell.root)) {
    shell = buildShell();
    clear(main).append(shell.root);
  }
  const s = shell;
  const q = route.params.get('q') || '';
  const sortParam = route.params.get('sort') || 'relevance';
  const sort = SORTS.some(([v]) => v === sortParam) ? sortParam : 'relevance';
  const page = Math.max(1, Number.parseInt(route.params.get('page') || '1', 10) || 1);
  if (s.input.value !== q) s.input.value = q;
  s.sort.value = sort;
  s.results.setAttribute('aria-busy', 'true');

  let data;
  try {
    data = await getJson('/api/search', { q, sort, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, signal);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    showQueryError(s, q, error);
    clear(s.results);
    clear(s.facets);
    s.pages.hidden = true;
    s.suggestion.hidden = true;
    s.results.removeAttribute('aria-busy');
    s.count.textContent = 'No search: the query needs fixing (see above).';
    return;
  }
  hideQueryError(s);

  const shown = data.results.length;
  const first = (page - 1) * PAGE_SIZE + 1;
  if (data.events === 0) {
    s.count.textContent = q ? 'No customer sentences match.' : 'The store holds no customer sentences yet.';
  } else {
    const what = `${plural(data.events, 'customer sentence', 'customer sentences')} in ` +
                 `${plural(data.total, 'feedback', 'feedback')} ${data.events === 1 ? 'matches' : 'match'}.`;
    s.count.textContent = shown ? `${what} Showing ${first}\u2013${first + shown - 1}.`
                                : `${what} There is no page ${page}.`;
  }
  s.count.dataset.events = data.events;
  s.count.dataset.total = data.total;

  clear(s.suggestion);
  s.suggestion.hidden = !data.did_you_mean;
  if (data.did_you_mean) {
    s.suggestion.append('Did you mean ',
      h('a', { href: searchHash(data.did_you_mean, sort, 1), class: 'suggestion' }, data.did_you_mean), '?');
  }

  clear(s.results);
  s.results.start = first;
  s.results.append(...data.results.map(resultItem));
  s.results.removeAttribute('aria-busy');
  renderFacets(s, data, q, sort);
  renderPages(s, q, sort, page, data.total);
}
