export const SESSION_COOKIE = 'hotline_sid';

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** The session token a request or socket handshake carries, if any. */
export const sessionToken = (cookieHeader: string | undefined) => readCookie(cookieHeader, SESSION_COOKIE);
