export const SESSION_COOKIE = 'hotline_sid';

/** Percent-decodes a cookie value; a value that is not valid percent-encoding counts as no value. */
function decodeCookieValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Reads one cookie from a Cookie header. Anything malformed (undecodable, empty) counts as no
 * cookie: a request carrying it is simply not signed in, it never fails.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() !== name) continue;
    const value = decodeCookieValue(part.slice(i + 1).trim());
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** The session token a request or socket handshake carries, if any. */
export const sessionToken = (cookieHeader: string | undefined) => readCookie(cookieHeader, SESSION_COOKIE);
