// Serves the built browser consoles (dist/web) with a strict Content-Security-Policy. The pages are
// plain static files: everything they know comes over the same authenticated API and WebSocket.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

/** The policy of every page. A console or live view fails over to the other relays of the log, so it may
 * connect to them too (their origins and WebSocket origins), and to nothing else. */
export function contentSecurityPolicy(relays: readonly string[] = []): string {
  const others = relays.flatMap((r) => {
    const u = new URL(r);
    return [u.origin, `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`];
  });
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    ["connect-src 'self'", ...new Set(others)].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const here = path.dirname(fileURLToPath(import.meta.url));
// Built: dist/server -> dist/web. From source (tests run TypeScript directly): server -> dist/web, never the
// sources in web/, which only Vite can serve.
export const WEB_ROOT = path.resolve(here, path.basename(path.dirname(here)) === 'dist' ? '../web' : '../dist/web');

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/console': 'console.html',
  '/trainer': 'trainer.html',
  '/trainer/report': 'report.html',
};

/** `relays`: every relay of the log (config relayUrls), which the pages may connect to. */
export function serveWeb(app: Express, relays: readonly string[] = [], root = WEB_ROOT): void {
  const built = existsSync(path.join(root, 'index.html'));
  const csp = contentSecurityPolicy(relays);
  for (const [route, file] of Object.entries(PAGES)) {
    app.get(route, (_req, res) => {
      if (!built) {
        res.status(503).type('text').send('The browser consoles are not built: run `npm run build`.');
        return;
      }
      res.set('Content-Security-Policy', csp).sendFile(path.join(root, file));
    });
  }
  // fallthrough: a missing asset goes on to the relay's NOT_FOUND like any unknown path. Without it,
  // express.static ends in an error of its own, which the error handler takes for an internal one (a 500
  // and a logged stack naming the absolute path it looked for).
  app.use(
    '/assets',
    express.static(path.join(root, 'assets'), { index: false, immutable: true, maxAge: '1y', fallthrough: true }),
  );
}
