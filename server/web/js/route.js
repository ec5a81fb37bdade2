// The UI's state lives in the URL fragment, so any view can be bookmarked or
// shared and back/forward work:
//   #/search?q=stage:contact&sort=date&page=2
//   #/feedback/ID?event=3
//   #/journey/CUSTOMER?agents=1      (#/journey alone: the form)
//   #/map?q=&compare=
//   #/table?q=&by=stage,touchpoint

// Parses a fragment into {view, arg, params}; arg is the decoded path
// segment after the view name ("" when none).
export function parseHash(hash) {
  let text = String(hash || '').replace(/^#/, '');
  if (!text.startsWith('/')) text = '/' + text;
  const qmark = text.indexOf('?');
  const path = qmark < 0 ? text : text.slice(0, qmark);
  const params = new URLSearchParams(qmark < 0 ? '' : text.slice(qmark + 1));
  const slash = path.indexOf('/', 1);
  const view = (slash < 0 ? path.slice(1) : path.slice(1, slash)) || 'search';
  let arg = '';
  if (slash >= 0) {
    try {
      arg = decodeURIComponent(path.slice(slash + 1));
    } catch {
      arg = path.slice(slash + 1);
    }
  }
  return { view, arg, params };
}

// Query-string encoding that keeps the query language readable in the
// address bar: ':' and ',' stay as they are, spaces become '+'.
function encodeValue(v) {
  return encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%20/g, '+');
}

// "#/view/arg?k=v": empty values and page=1 are left out.
export function buildHash(view, arg = '', params = {}) {
  let out = `#/${view}`;
  if (arg) out += '/' + encodeURIComponent(arg).replace(/%40/g, '@');
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'page' && String(v) === '1') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeValue(String(v))}`);
  }
  if (parts.length) out += '?' + parts.join('&');
  return out;
}

export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
