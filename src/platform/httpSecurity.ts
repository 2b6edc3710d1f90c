import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { AppError } from './errors.js';

/**
 * HTTP hardening shared by every page and API answer (issue 17 #5, #6, #7): security headers, HSTS
 * over TLS, and refusing state-changing requests that a browser sends from another origin.
 *
 * Deployment settings come from the environment (docs/OPERATIONS.md):
 * - ZHIBU_TRUST_PROXY: the reverse proxy whose X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host
 *   are believed — `true` (any hop: only when nothing but the proxy can reach the port), a hop count,
 *   or comma-separated addresses/CIDRs (`127.0.0.1,10.0.0.0/8`). Unset: headers are ignored, the
 *   client address is the socket's and the scheme is the socket's.
 * - ZHIBU_PUBLIC_ORIGIN: the origin(s) users type in the browser (`https://dj.example.gov.cn`,
 *   comma-separated). Unset: the request's own scheme and Host.
 */
/** Fastify's trustProxy forms: all hops, listed addresses, or a hop test (a hop count). */
export type TrustProxy = boolean | string[] | ((addr: string, hop: number) => boolean);

export interface HttpSecurityOptions {
  trustProxy?: TrustProxy;
  publicOrigins?: string[];
}

export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): HttpSecurityOptions {
  return { trustProxy: parseTrustProxy(env.ZHIBU_TRUST_PROXY), publicOrigins: parseOrigins(env.ZHIBU_PUBLIC_ORIGIN) };
}

export function parseTrustProxy(v: string | undefined): TrustProxy {
  const s = (v ?? '').trim();
  if (!s || s === 'false' || s === '0') return false;
  if (s === 'true') return true;
  if (/^\d+$/.test(s)) {
    const hops = Number(s);
    return (_addr, hop) => hop < hops;
  }
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

export function parseOrigins(v: string | undefined): string[] {
  return (v ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((o) => {
    const u = new URL(o);
    return u.origin;
  });
}

/**
 * Content-Security-Policy. Scripts only from our own origin (Vite emits external module scripts, no
 * inline script). style-src needs 'unsafe-inline': antd 6's CSS-in-JS inserts <style> elements at
 * run time and sets style attributes on many components; a nonce would have to reach every
 * cssinjs insertion and cannot cover style attributes, and inline style cannot run script, so the
 * script policy stays strict. Images and fonts may be data: URLs (antd icons, QR codes).
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isHttps = (req: FastifyRequest) => req.protocol === 'https';

/** The origins a state-changing request may come from: configured, else the request's own. */
function allowedOrigins(req: FastifyRequest, opts: HttpSecurityOptions): string[] {
  if (opts.publicOrigins && opts.publicOrigins.length) return opts.publicOrigins;
  return [`${req.protocol}://${req.host}`];
}

/**
 * Browsers send `Origin` on every cross-origin and every non-GET same-origin request, and
 * `Sec-Fetch-Site` on all requests in current versions; a request with neither comes from a
 * non-browser client (the CLI, curl, a test), which carries no ambient cookie of a victim.
 */
export function crossSiteRefusal(req: FastifyRequest, opts: HttpSecurityOptions): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined) {
    if (origin === 'null' || !allowedOrigins(req, opts).includes(origin)) return `origin ${origin}`;
    return null;
  }
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `sec-fetch-site ${site}`;
  return null;
}

export async function installHttpSecurity(app: FastifyInstance, opts: HttpSecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // HSTS only over TLS (below): sent over plain HTTP on a village laptop it would be ignored at
    // best, and pin a name to https that has no certificate at worst.
    strictTransportSecurity: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (isHttps(req)) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const refused = crossSiteRefusal(req, opts);
    if (refused) {
      req.log.warn({ refused }, 'cross-site request refused');
      throw new AppError('forbidden', '拒绝来自其他网站的请求（跨站请求）');
    }
  });
}
