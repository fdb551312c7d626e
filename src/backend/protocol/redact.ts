// The one place that decides what of a URL-ish value may be shown back: a base URL's scheme, host, port and path.
// Userinfo (`user:password@`), the query string and the fragment are replaced, whether or not the value parses as
// a URL (an unparsable `http://user:SECRET@host:999999` carries the same secret as a parsable one).

export const REDACTED = '[redacted]';

/**
 * `raw` with its userinfo, query and fragment redacted. Everything before the last `@` (after the scheme) counts
 * as userinfo, so a password holding `/`, `?` or `#` is redacted whole.
 */
export function redactUrl(raw: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw)?.[0] ?? '';
  let rest = raw.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const firstCut = rest.search(/[?#]/);
  if (at >= 0 && firstCut >= 0 && at > firstCut) {
    // `u:p?ss@host` or `host/?q=a@b`: no reading tells the host apart from a secret, so show none of it.
    return scheme + REDACTED;
  }
  let userinfo = '';
  if (at >= 0) {
    userinfo = `${REDACTED}@`;
    rest = rest.slice(at + 1);
  }
  const cut = rest.search(/[?#]/);
  if (cut >= 0) {
    const tail = rest.slice(cut);
    const hash = tail.indexOf('#');
    const query = tail[0] === '?' ? `?${REDACTED}` : '';
    rest = rest.slice(0, cut) + query + (hash >= 0 ? `#${REDACTED}` : '');
  }
  return scheme + userinfo + rest;
}

// A URL anywhere in a text (an error message from a library, a log field): scheme://… up to whitespace or a quote.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;

/** `text` with every `scheme://…` in it passed through `redactUrl`. */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (u) => redactUrl(u));
}
