import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { HttpRefusal } from './api-errors.js';

export interface SecuritySettings {
  /** The console is served over https (secure cookies): HSTS and upgrade-insecure-requests. */
  secure: boolean;
  /** Origins allowed besides the router's own address (PUBLIC_ORIGINS). */
  publicOrigins: readonly string[];
  /** Where the softphones connect (Kamailio's WebSocket, ws:// or wss://); null without telephony. */
  sipWsUrl: string | null;
}

/**
 * Security headers for everything the router serves (helmet): a strict CSP the built client
 * runs under (scripts, styles and fonts from the router itself only; connections to the router
 * and to Kamailio's WebSocket; no framing, plugins or foreign forms), nosniff, no referrer, HSTS
 * when the console is served over https.
 */
export function securityHeaders(s: SecuritySettings): RequestHandler {
  const connect = ["'self'", ...(s.sipWsUrl ? [s.sipWsUrl] : [])];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: connect,
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(s.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: s.secure ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

/** Personal data must not linger in caches: every API answer is no-store. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('Pragma', 'no-cache');
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a browser request comes from a page the console trusts: its Origin is the router's own
 * address (the Host it was sent to) or one of PUBLIC_ORIGINS. Without Origin, the request is not
 * from a cross-site page (a browser sends Origin on every cross-origin request, and reports
 * Sec-Fetch-Site); a tool such as curl sends neither and is judged by its session alone.
 */
export function originAllowed(req: IncomingMessage, publicOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  if (origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (publicOrigins.includes(url.origin)) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === req.headers.host;
}

/** Refuses state-changing API requests (anything but GET/HEAD/OPTIONS) from a foreign origin: 403. */
export const checkOrigin =
  (publicOrigins: readonly string[]): RequestHandler =>
  (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || originAllowed(req, publicOrigins)) return next();
    next(new HttpRefusal(403, 'FORBIDDEN', '请求来源不被允许:请从本系统的页面操作'));
  };

/** A body in anything but JSON is refused (415) before a parser sees it; requests without a body pass. */
export const jsonOnly: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  const hasBody =
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') ||
    req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || req.is('application/json')) return next();
  next(new HttpRefusal(415, 'VALIDATION', '请求体必须是 JSON(Content-Type: application/json)'));
};
