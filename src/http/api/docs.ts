/**
 * GET /api/v1/openapi.json (the OpenAPI 3.1 document, built from the routes' zod schemas) and
 * /api/v1/docs: a small page that lists the operations from that document. Its script is a
 * file of its own, so the page works under helmet's CSP (script-src 'self', no inline code).
 */
import type { FastifyInstance } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>botctl admin API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:0 .25rem}.op{border-top:1px solid #ddd;padding:.5rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:700}</style></head>
<body><h1>botctl admin API v1</h1>
<p>Send <code>Authorization: Bearer &lt;key&gt;</code>; create keys with <code>botctl api-keys create</code>.
The machine-readable description is <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<div id="ops">Loading…</div><script src="docs.js"></script></body></html>
`;

const SCRIPT = `(async () => {
  const doc = await (await fetch('openapi.json')).json();
  const root = document.getElementById('ops');
  root.textContent = '';
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const div = document.createElement('div');
      div.className = 'op';
      const m = document.createElement('span');
      m.className = 'm';
      m.textContent = method.toUpperCase();
      const p = document.createElement('code');
      p.textContent = path;
      const s = document.createElement('div');
      s.textContent = (op.summary || '') + (op.description ? ' ' + op.description : '');
      div.append(m, p, s);
      root.append(div);
    }
  }
})();
`;

export function docsRoutes(app: FastifyInstance) {
  const hidden = { schema: { hide: true } };
  app.get('/openapi.json', hidden, async () => app.swagger());
  app.get('/docs', hidden, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get('/docs.js', hidden, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(SCRIPT),
  );
}
