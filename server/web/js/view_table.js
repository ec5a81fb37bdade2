// #/table?q=&by=stage,touchpoint: the analyst's stage table
// (/api/export?format=json) as an HTML table, in journey order, with
// download buttons that fetch the same table (same q and by) as CSV, TSV,
// JSON or Markdown, byte for byte what `cxmap export` writes.
import { ApiError, getFile, getJson, saveBlob } from './api.js';
import { charIndexOfByteColumn, clear, h, humanize, signed } from './dom.js';
import { buildHash, navigate } from './route.js';

const GROUPS = ['touchpoint', 'channel', 'source', 'emotion', 'language', 'month', 'week', 'nps_band'];
const FORMATS = [['csv', 'CSV'], ['tsv', 'TSV'], ['json', 'JSON'], ['markdown', 'Markdown']];

function pct(x) {
  return x === null || x === undefined ? '\u2013' : `${Number(x).toFixed(1)}%`;
}

function fixed(x, d) {
  return x === null || x === undefined ? '\u2013' : Number(x).toFixed(d);
}

function topEmotions(row) {
  return Object.entries(row)
    .filter(([k, v]) => k.startsWith('share_') && k !== 'share_neutral' && v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k, v]) => `${k.slice(6)} ${Math.round(v * 100)}%`)
    .join(', ') || '\u2013';
}

function topPains(text) {
  if (!text) return '\u2013';
  return text.split('; ').map((p) => {
    const [kind, rate] = p.split(' ');
    return `${kind} ${Math.round(Number(rate) * 100)}%`;
  }).join(', ');
}

function quoteLink(text, id) {
  if (!text || !id) return null;
  const [fid, ordinal] = id.split('#');
  return h('a', { href: buildHash('feedback', fid, { event: ordinal }) }, `\u201c${text}\u201d`);
}

function controls(q, by) {
  const qInput = h('input', { id: 'table-q', name: 'q', type: 'search', value: q, autocomplete: 'off',
    spellcheck: 'false', 'data-focus-key': 'table-q', placeholder: 'all feedback', 'aria-describedby': 'table-error' });
  const boxes = GROUPS.map((g) => h('input', { type: 'checkbox', id: `by-${g}`, value: g, checked: by.includes(g),
                                                'data-focus-key': `by-${g}` }));
  const submit = () => navigate(buildHash('table', '', {
    q: qInput.value.trim(),
    by: ['stage', ...boxes.filter((b) => b.checked).map((b) => b.value)].join(',').replace(/^stage$/, ''),
  }));
  for (const b of boxes) b.addEventListener('change', submit);
  const onsubmit = (e) => {
    e.preventDefault();
    submit();
  };
  return h('form', { class: 'table-form', 'aria-label': 'Stage table', onsubmit },
    h('div', { class: 'search-form' },
      h('div', { class: 'field grow' }, h('label', { for: 'table-q' }, 'Only the sentences matching'), qInput),
      h('button', { type: 'submit', class: 'primary' }, 'Show table')),
    h('fieldset', { class: 'groups' }, h('legend', {}, 'Rows per stage and'),
      boxes.map((b) => h('span', { class: 'check' }, b, h('label', { for: b.id }, humanize(b.value))))));
}

export async function render(ctx) {
  const { main, route, signal, announce } = ctx;
  const q = route.params.get('q') || '';
  const byParam = route.params.get('by') || 'stage';
  const by = byParam.split(',').filter(Boolean);
  const error = h('div', { id: 'table-error', class: 'query-error', hidden: true });
  const downloads = h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download this table' },
    h('span', { class: 'downloads-label', 'aria-hidden': 'true' }, 'Download:'),
    FORMATS.map(([format, label]) => h('button', {
      type: 'button', 'data-format': format, 'aria-label': `Download as ${label}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        button.disabled = true;
        try {
          const { blob, filename } = await getFile('/api/export', { format, q, by: byParam }, undefined);
          saveBlob(blob, filename);
          announce(`Saved ${filename}.`);
        } catch (err) {
          announce(`Download failed: ${err.message}`);
        } finally {
          button.disabled = false;
        }
      },
    }, label)));
  const holder = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'table-caption' });
  clear(main).append(h('section', { class: 'view-table', 'data-view': 'table' },
    h('h1', { tabindex: '-1' }, 'Stage table'), controls(q, by), error, downloads, holder));

  let rows;
  try {
    rows = await getJson('/api/export', { format: 'json', q, by: byParam === 'stage' ? '' : byParam }, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    error.hidden = false;
    if (e.column) {
      const at = charIndexOfByteColumn(q, e.column);
      error.append(h('pre', { class: 'caret', 'aria-hidden': 'true' }, h('code', {}, `${q}\n${' '.repeat(at)}^`)));
    }
    error.append(h('p', { role: 'alert' }, e.message));
    downloads.hidden = true;
    return;
  }
  if (!Array.isArray(rows)) rows = rows.rows || [];
  const keys = rows.length ? Object.keys(rows[0]) : [];
  const groupCols = keys.slice(1, Math.max(1, keys.indexOf('feedback_n')));
  const sentences = rows.reduce((n, r) => n + (r.events_n || 0), 0);
  const cap = (t) => t.charAt(0).toUpperCase() + t.slice(1);
  const head = ['Stage', ...groupCols.map((g) => cap(humanize(g))), 'Feedback', 'Sentences', 'Mean sentiment (95% CI)',
                'Negative',
                'Neutral', 'Positive', 'Top emotions', 'Top pain points', 'NPS', 'CSAT', 'Most negative quote',
                'Most positive quote'];
  const numeric = new Set(['Feedback', 'Sentences', 'Mean sentiment (95% CI)', 'Negative', 'Neutral', 'Positive', 'NPS',
                           'CSAT']);
  const table = h('table', { class: 'stage-table' },
    h('caption', { id: 'table-caption' },
      `Sentiment by stage${groupCols.length ? ` and ${groupCols.map(humanize).join(', ')}` : ''} for `,
      q ? h('code', {}, q) : 'all feedback', ` (${sentences} customer sentences)`),
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', class: numeric.has(t) ? 'num' : null }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.events_n ? null : 'empty', 'data-stage': r.stage },
      h('th', { scope: 'row' }, r.stage),
      groupCols.map((g) => h('td', {}, r[g] === null || r[g] === undefined ? '\u2013' : String(r[g]))),
      h('td', { class: 'num' }, String(r.feedback_n)),
      h('td', { class: 'num' }, String(r.events_n)),
      h('td', { class: 'num' }, r.events_n ? [h('strong', {}, signed(r.mean_sentiment, 3)),
        h('br'), h('small', {}, `${signed(r.ci95_low, 3)} \u2026 ${signed(r.ci95_high, 3)}`)] : '\u2013'),
      h('td', { class: 'num' }, pct(r.pct_negative)),
      h('td', { class: 'num' }, pct(r.pct_neutral)),
      h('td', { class: 'num' }, pct(r.pct_positive)),
      h('td', {}, topEmotions(r)),
      h('td', {}, topPains(r.top_pains)),
      h('td', { class: 'num' }, fixed(r.mean_nps, 2)),
      h('td', { class: 'num' }, fixed(r.mean_csat, 2)),
      h('td', { class: 'quote' }, quoteLink(r.most_negative_quote, r.most_negative_id)),
      h('td', { class: 'quote' }, quoteLink(r.most_positive_quote, r.most_positive_id))))));
  holder.append(table);
  announce(`Stage table: ${rows.length} rows.`);
}
