/**
 * The admin panel's static files (built by Vite into dist/panel at build time), served at
 * /admin/ with the API. Read into memory once (a handful of small files) with a gzip copy of
 * each; hashed assets are cached for good, index.html never. A strict CSP: the panel is our
 * scripts and styles only, talking to this origin only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';

/** src/http/ and dist/http/ both sit two levels under the package root. */
export const DEFAULT_PANEL_DIR = fileURLToPath(new URL('../../dist/panel/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

export const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

interface PanelFile {
  type: string;
  body: Buffer;
  gzip: Buffer;
  immutable: boolean;
}

function readPanel(dir: string): Map<string, PanelFile> {
  const files = new Map<string, PanelFile>();
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const rel = path.relative(dir, full).split(path.sep).join('/');
        const body = fs.readFileSync(full);
        files.set(rel, {
          type: TYPES[path.extname(entry.name)] ?? 'application/octet-stream',
          body,
          gzip: gzipSync(body, { level: 9 }),
          immutable: rel.startsWith('assets/'),
        });
      }
    }
  };
  if (fs.existsSync(path.join(dir, 'index.html'))) walk(dir);
  return files;
}

export function panelRoutes(options: { dir?: string }): FastifyPluginAsync {
  return async (app) => {
    const dir = options.dir ?? DEFAULT_PANEL_DIR;
    const files = readPanel(dir);
    if (files.size === 0) app.log.warn({ dir }, 'admin panel not built (npm run build): /admin/ answers 404');

    app.get('/admin', async (_request, reply) => reply.redirect('/admin/', 301));
    app.get<{ Params: { '*': string } }>('/admin/*', async (request, reply) => {
      const wanted = request.params['*'] === '' ? 'index.html' : request.params['*'];
      const file = files.get(wanted);
      if (file === undefined) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      }
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      reply
        .type(file.type)
        .header('content-security-policy', PANEL_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('vary', 'accept-encoding');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? file.gzip : file.body);
    });
  };
}
