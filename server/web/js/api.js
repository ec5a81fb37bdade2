// Every call the UI makes to the cxmap API goes through here: one place adds
// the bearer token (kept in sessionStorage, so it lives as long as the tab),
// and turns answers other than 2xx into errors the views can show.
//
// An API error is JSON {"error": message} and, for a query the search
// language rejects, "column" (1-based byte column of the mistake).

const TOKEN_KEY = 'cxmap.token';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the token lasts for this page only.
  }
  document.dispatchEvent(new CustomEvent('cxmap:token'));
}

export class ApiError extends Error {
  constructor(status, message, column = null) {
    super(message);
    this.status = status;
    this.column = column;  // set for a query error
  }
}

// The server wants a token, or refused the one sent.
export class AuthError extends ApiError {}

export function apiUrl(path, params = {}) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, v);
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request(path, params, signal) {
  const headers = new Headers({ Accept: 'application/json, text/html, */*' });
  const token = getToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(apiUrl(path, params), { headers, signal, cache: 'no-store', credentials: 'same-origin' });
  if (res.ok) return res;
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const message = body && typeof body.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
  if (res.status === 401) throw new AuthError(401, message);
  throw new ApiError(res.status, message, body && Number.isInteger(body.column) ? body.column : null);
}

export async function getJson(path, params = {}, signal = undefined) {
  return (await request(path, params, signal)).json();
}

export async function getText(path, params = {}, signal = undefined) {
  return (await request(path, params, signal)).text();
}

// A download: the body and the file name from Content-Disposition.
export async function getFile(path, params = {}, signal = undefined) {
  const res = await request(path, params, signal);
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(disposition);
  return { blob: await res.blob(), filename: m ? m[1] : 'cxmap-download' };
}

// Saves a blob under a file name through a temporary link.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
