// Editing a search query the way a person would: a facet button adds or
// removes one `field:value` filter and leaves the rest of the text alone.

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termPattern(field, value) {
  // A whole whitespace-separated token, optionally with a '+' (must) sign;
  // a '-' (must not) filter is a different statement and does not count.
  return new RegExp(`(^|\\s)\\+?${escapeRegExp(field)}:${escapeRegExp(value)}(?=\\s|$)`, 'i');
}

export function hasTerm(query, field, value) {
  return termPattern(field, value).test(query);
}

export function addTerm(query, field, value) {
  const q = query.trim();
  const term = `${field}:${value}`;
  return q ? `${q} ${term}` : term;
}

export function removeTerm(query, field, value) {
  const pattern = new RegExp(termPattern(field, value).source, 'gi');
  return query.replace(pattern, '$1').replace(/\s+/g, ' ').trim();
}

export function toggleTerm(query, field, value) {
  return hasTerm(query, field, value) ? removeTerm(query, field, value) : addTerm(query, field, value);
}
