// Drives the cxmap web UI in Debian's Chromium through the DevTools protocol
// (puppeteer-core, which never downloads a browser) the way a person would:
// real typing, key presses and clicks. Prints one JSON object with what the
// page showed at each step; tests/cli/browser_test.cpp checks it against the
// API's own answers. Never sleeps: every wait is for observable state (the
// UI sets <body data-rendered="#/..."> once a view is drawn).
//
//   node drive.mjs --modules DIR --chromium PATH --url http://127.0.0.1:PORT/ --out DIR
//                  [--scenario search|token|hostile]
//
// The token scenario reads the token from the environment (CXMAP_UI_TOKEN).
// Exit 0 with the JSON on stdout; exit 1 with a message on stderr (and
// failure.png in the out dir) when a step cannot be done.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function parseArgs(argv) {
  const out = { scenario: 'search' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ['modules', 'chromium', 'url', 'out'])
    if (!out[need]) throw new Error(`--${need} is required`);
  return out;
}

const args = parseArgs(process.argv.slice(2));
const require = createRequire(join(args.modules, 'noop.js'));
const puppeteer = require('puppeteer-core');
const base = new URL(args.url);
const profile = mkdtempSync(join(args.out, 'chromium-profile-'));

const browser = await puppeteer.launch({
  executablePath: args.chromium,
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check',
         '--disable-background-networking', '--disable-component-update', '--disable-extensions'],
  defaultViewport: { width: 1280, height: 900 },
  timeout: 60000,
  protocolTimeout: 120000,
});

const seen = {
  requests: [], console_errors: [], page_errors: [], csp_violations: [], failed_requests: [], dialogs: [],
};
let page;

async function main() {
  page = await browser.newPage();
  page.setDefaultTimeout(60000);
  await page.evaluateOnNewDocument(() => {
    // The text a sighted person sees in an element: without the parts only
    // screen readers get.
    window.__visible = (el) => {
      if (!el) return null;
      const copy = el.cloneNode(true);
      for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
      return copy.textContent;
    };
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('request', (r) => seen.requests.push({ url: r.url(), auth: r.headers().authorization || '' }));
  page.on('requestfailed', (r) => seen.failed_requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') seen.console_errors.push(m.text()); });
  page.on('pageerror', (e) => seen.page_errors.push(String(e.message || e)));
  const scenarios = { search: searchScenario, token: tokenScenario, hostile: hostileScenario };
  if (!scenarios[args.scenario]) throw new Error(`no scenario ${args.scenario}`);
  page.on('dialog', async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  const result = await scenarios[args.scenario]();
  seen.csp_violations = await page.evaluate(() => window.__csp);
  return { ...result, ...seen };
}

// Waits until the UI has drawn exactly `hash`.
async function rendered(hash) {
  try {
    await page.waitForFunction((h) => document.body.dataset.rendered === h && location.hash === h, {}, hash);
  } catch (error) {
    const now = await page.evaluate(() => `location.hash ${location.hash}, rendered ${document.body.dataset.rendered}`);
    throw new Error(`waiting for the UI to draw ${hash}: ${error.message} (${now})`);
  }
}

async function searchState() {
  return page.evaluate(() => {
    const visible = window.__visible;
    const count = document.getElementById('result-count');
    return {
      hash: location.hash,
      query_box: document.getElementById('q').value,
      count_text: count ? count.textContent : null,
      results: [...document.querySelectorAll('#results > li.result')].map((li) => {
        const tag = (kind) => visible(li.querySelector(`.tag-${kind} .tag-value`));
        return {
          feedback_id: li.dataset.feedbackId,
          event: Number(li.dataset.event),
          stage: tag('stage'),
          touchpoint: tag('touchpoint'),
          emotion: tag('emotion'),
          sentiment: tag('sentiment'),
          snippet: li.querySelector('.snippet').textContent,
          marks: [...li.querySelectorAll('.snippet mark')].map((m) => m.textContent),
          more: visible(li.querySelector('.tag-more')),
        };
      }),
      facets: Object.fromEntries([...document.querySelectorAll('.facet-group')].map((g) => [g.dataset.facet,
        [...g.querySelectorAll('button.facet')].map((b) => ({
          value: b.dataset.value, count: Number(visible(b.querySelector('.facet-count'))),
          pressed: b.getAttribute('aria-pressed') === 'true' }))])),
      focused: document.activeElement
        ? (document.activeElement.dataset.focusKey || document.activeElement.tagName) : null,
      page_of: document.querySelector('.pages:not([hidden]) .page-of')?.textContent || null,
      error: document.getElementById('query-error').hidden ? null : {
        caret: document.querySelector('#query-error pre')?.textContent || null,
        message: document.querySelector('#query-error p')?.textContent || null,
        invalid: document.getElementById('q').getAttribute('aria-invalid'),
      },
    };
  });
}

async function feedbackState() {
  return page.evaluate(() => {
    const visible = window.__visible;
    const view = document.querySelector('[data-view="feedback"]');
    return {
      id: view.dataset.feedbackId,
      heading: document.querySelector('main h1').textContent,
      sentences: [...view.querySelectorAll('ol.sentences > li.sentence')].map((li) => ({
        ordinal: Number(li.dataset.ordinal),
        text: li.querySelector('.sentence-text').textContent,
        stage: visible(li.querySelector('.stage-label')),
        emotion: visible(li.querySelector('.sentence-tags .emotion')),
        colour: getComputedStyle(li).borderLeftColor,
        current: li.classList.contains('current'),
      })),
    };
  });
}

async function searchScenario() {
  const out = {};
  await page.goto(new URL('/', base).href);
  await rendered('#/search');  // the start page shows the search view with no query

  // 1. A researcher types a query and presses Enter.
  await page.click('#q');
  await page.keyboard.type('stage:contact');
  await page.keyboard.press('Enter');
  await rendered('#/search?q=stage:contact');
  out.search = await searchState();

  // 2. ... then applies the most frequent emotion facet other than neutral.
  const emotion = out.search.facets.emotion.find((f) => f.value !== 'neutral');
  if (!emotion) throw new Error('no emotion facet other than neutral');
  out.emotion = emotion.value;
  await page.click(`button.facet[data-field="emotion"][data-value="${emotion.value}"]`);
  await rendered(`#/search?q=stage:contact+emotion:${emotion.value}`);
  out.faceted = await searchState();
  await page.screenshot({ path: join(args.out, 'search.png') });

  // 3. ... and opens the first result's feedback.
  const first = out.faceted.results[0];
  if (!first) throw new Error('no results after the facet');
  await page.click('#results > li.result:first-child a.open-feedback');
  await rendered(`#/feedback/${first.feedback_id}?event=${first.event}`);
  out.feedback = await feedbackState();
  await page.screenshot({ path: join(args.out, 'feedback.png'), fullPage: true });

  // 4. Back returns to the faceted results, from the URL alone.
  await page.goBack();
  await rendered(`#/search?q=stage:contact+emotion:${emotion.value}`);
  out.back = await searchState();

  // 5. A query the language rejects: the server's message, a caret under the column.
  await page.click('#q', { count: 3 });
  await page.keyboard.press('Backspace');
  await page.keyboard.type('refund AND');
  await page.keyboard.press('Enter');
  await rendered('#/search?q=refund+AND');
  out.bad_query = await searchState();

  // 6. A misspelt word: "did you mean", whose link runs the suggestion.
  await page.click('#q', { count: 3 });
  await page.keyboard.press('Backspace');
  await page.keyboard.type('refnud');
  await page.keyboard.press('Enter');
  await rendered('#/search?q=refnud');
  out.misspelt = await page.evaluate(() => {
    const p = document.querySelector('.did-you-mean');
    return { shown: !p.hidden, text: p.textContent, href: p.querySelector('a')?.getAttribute('href') || null };
  });

  // 7. The customer's journey, the journey map and the stage table of the same query.
  const customer = await page.evaluate(async (id) => (await (await fetch(`/api/feedback/${id}`)).json()).customer,
                                       first.feedback_id);
  await page.goto(new URL(`/#/journey/${encodeURIComponent(customer).replace(/%40/g, '@')}`, base).href);
  await page.waitForFunction(() => document.body.dataset.rendered?.startsWith('#/journey/'));
  out.journey = await page.evaluate(() => ({
    heading: document.querySelector('main h1').textContent,
    contacts: [...document.querySelectorAll('.timeline > li.moment')].map((li) => li.dataset.feedbackId),
  }));

  await page.click('nav a[data-nav="map"]');
  await rendered('#/map');
  await page.click('#map-q');
  await page.keyboard.type('stage:contact');
  await page.keyboard.press('Enter');
  await rendered('#/map?q=stage:contact');
  out.map = await page.evaluate(() => {
    const root = document.querySelector('.map-host').shadowRoot;
    return {
      stages: [...root.querySelectorAll('g.stage')].map((g) => ({
        stage: g.getAttribute('data-stage'), events: Number(g.getAttribute('data-events')) })),
      quotes_as_links: root.querySelectorAll('g.quote[role="link"][tabindex="0"]').length,
      scripts: root.querySelectorAll('script').length,
      font_size: getComputedStyle(root.querySelector('svg text')).fontSize,
    };
  });
  await page.screenshot({ path: join(args.out, 'map.png') });

  await page.click('nav a[data-nav="table"]');
  await rendered('#/table');
  await page.click('#table-q');
  await page.keyboard.type('stage:contact');
  await page.keyboard.press('Enter');
  await rendered('#/table?q=stage:contact');
  out.table = await page.evaluate(() => [...document.querySelectorAll('table.stage-table tbody tr')].map((tr) => ({
    stage: tr.dataset.stage, feedback: Number(tr.cells[1].textContent), events: Number(tr.cells[2].textContent) })));
  out.download_buttons = await page.evaluate(() =>
    [...document.querySelectorAll('.downloads button')].map((b) => b.dataset.format));
  return out;
}

// Customer text that looks like markup (a store made by the test): it must
// show as text everywhere, with the match still highlighted.
async function hostileScenario() {
  const out = {};
  await page.goto(new URL('/#/search?q=alert', base).href);
  await rendered('#/search?q=alert');
  out.search = await searchState();
  const first = out.search.results[0];
  if (!first) throw new Error('the hostile text was not found');
  await page.click('#results > li.result:first-child a.open-feedback');
  await rendered(`#/feedback/${first.feedback_id}?event=${first.event}`);
  out.feedback = await feedbackState();
  out.injected = await page.evaluate(() =>
    document.querySelectorAll('main script, main b, main img, main iframe, main [onerror]').length);
  return out;
}

async function tokenScenario() {
  const token = process.env.CXMAP_UI_TOKEN || '';
  if (!token) throw new Error('CXMAP_UI_TOKEN is not set');
  const out = {};
  await page.goto(new URL('/#/search?q=stage:contact', base).href);
  await rendered('#/search?q=stage:contact');
  out.gate = await page.evaluate(() => ({
    heading: document.querySelector('main h1')?.textContent || null,
    has_form: !!document.getElementById('token'),
    focused: document.activeElement?.id || null,
  }));
  await page.screenshot({ path: join(args.out, 'token.png') });
  // A wrong token first: the gate says so and asks again.
  await page.type('#token', 'not-the-right-token-at-all');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.token-gate [role="alert"]'));
  out.rejected = await page.evaluate(() => document.querySelector('.token-gate [role="alert"]').textContent);
  await page.type('#token', token);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('result-count')?.textContent &&
    document.body.dataset.rendered === '#/search?q=stage:contact');
  out.search = await searchState();
  out.stored = await page.evaluate(() => sessionStorage.getItem('cxmap.token'));
  out.forget_visible = await page.evaluate(() => !document.getElementById('forget-token').hidden);
  return out;
}

let code = 0;
try {
  process.stdout.write(JSON.stringify(await main()) + '\n');
} catch (error) {
  code = 1;
  process.stderr.write(`drive.mjs: ${error.stack || error}\n`);
  try {
    if (page) await page.screenshot({ path: join(args.out, 'failure.png'), fullPage: true });
  } catch {
    // nothing more to show
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
