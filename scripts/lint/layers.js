/**
 * The `botctl/layers` ESLint rule: every import (static, type-only, re-export, dynamic) is resolved
 * against the importing file, and the src/ path it lands on must be one the importer's layer may
 * import (docs/ARCHITECTURE.md, "Who may import whom"). Resolving matters: a specifier alone cannot
 * tell `../system/dirs.js` inside adapters/db/ (another adapter) from `../shared/sql.js` (its own).
 * eslint.config.js gives each layer one block with these options:
 *   layer     the name messages use ("domain", "services", ...)
 *   may       src/ paths it may import besides its own folder: "dir/" for a whole folder, a file
 *             path for one named module ("app/index.ts", "adapters/system/dirs.ts")
 *   sdks      which SDK families it may import (see SDK_FAMILIES), or "all"; "own" (adapters):
 *             the family named for its folder in `ownSdk`
 *   packages  false: no npm package at all, not even one outside the SDK families
 *   node      false: no node:* module
 * Whatever the layer, a service folder is entered through its index.ts (services/<x>/index.ts);
 * a service's own folder and the files inside it are free to import each other.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

/** The SDKs whose use marks a layer; a package outside these families (zod, pino) is just a library. */
export const SDK_FAMILIES = {
  i18n: ['@grammyjs/i18n'],
  grammy: ['grammy', '@grammyjs/'],
  genai: ['@google/genai'],
  db: ['drizzle-orm', 'better-sqlite3', 'postgres'],
  cache: ['keyv', '@keyv/'],
  process: ['execa'],
  http: ['fastify', '@fastify/'],
  metrics: ['prom-client'],
  cli: ['@oclif/', 'listr2'],
  geo: ['geo-tz'],
};

const builtins = new Set(builtinModules);

function familyOf(pkg) {
  for (const [family, names] of Object.entries(SDK_FAMILIES)) {
    if (names.some((name) => (name.endsWith('/') ? pkg.startsWith(name) : pkg === name))) return family;
  }
  return null;
}

const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** src/-relative path of the file, and its own folder (adapters/<x>/, services/<x>/, else the layer). */
function locate(filename) {
  const marker = `${path.sep}src${path.sep}`;
  const at = filename.lastIndexOf(marker);
  if (at < 0) return null;
  const root = filename.slice(0, at + marker.length);
  const rel = toPosix(filename.slice(root.length));
  const parts = rel.split('/');
  const nested = (parts[0] === 'adapters' || parts[0] === 'services') && parts.length > 2;
  return { root, rel, own: nested ? `${parts[0]}/${parts[1]}/` : `${parts[0]}/` };
}

const toPosix = (p) => p.split(path.sep).join('/');

/** The src/-relative .ts path an import specifier lands on, or null when it leaves src/. */
function target(where, filename, spec) {
  const abs = path.resolve(path.dirname(filename), spec);
  const rel = toPosix(path.relative(where.root, abs));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.replace(/\.js$/, '.ts');
}

const allowed = (rel, entry) => (entry.endsWith('/') ? rel.startsWith(entry) : rel === entry);

/** services/<x>/<file>: only index.ts from outside services/<x>/. */
function throughIndex(where, rel) {
  const parts = rel.split('/');
  if (parts[0] !== 'services' || parts.length < 3) return true;
  return rel.startsWith(where.own) || (parts.length === 3 && parts[2] === 'index.ts');
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces the import table of docs/ARCHITECTURE.md' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          may: { type: 'array', items: { type: 'string' } },
          sdks: { anyOf: [{ enum: ['all', 'own'] }, { type: 'array', items: { type: 'string' } }] },
          ownSdk: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          packages: { type: 'boolean' },
          node: { type: 'boolean' },
        },
        required: ['layer', 'may', 'sdks'],
        additionalProperties: false,
      },
    ],
    messages: {
      layer: '{{layer}} may not import {{target}}: it may import {{may}} (docs/ARCHITECTURE.md).',
      serviceIndex:
        'import a service folder through its index.ts (services/<use case>/index.js), not {{target}}.',
      sdk: '{{layer}} may not import {{pkg}} ({{family}} SDK): {{sdks}} (docs/ARCHITECTURE.md).',
      package: '{{layer}} imports no npm package ({{pkg}}): it is pure TypeScript over domain/.',
      node: '{{layer}} imports no node:* module ({{pkg}}): it is pure TypeScript over domain/.',
    },
  },
  create(context) {
    const options = context.options[0];
    const where = locate(context.filename);
    if (!where) return {};
    const may = [...new Set([where.own, ...options.may])];
    const sdks = options.sdks === 'own' ? (options.ownSdk?.[where.own.split('/')[1]] ?? []) : options.sdks;

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) return checkPath(node, spec);
      const pkg = packageName(spec.replace(/^node:/, ''));
      if (spec.startsWith('node:') || builtins.has(pkg)) {
        if (options.node === false)
          context.report({ node, messageId: 'node', data: { ...options, pkg: spec } });
        return;
      }
      if (options.packages === false) {
        return context.report({ node, messageId: 'package', data: { ...options, pkg: spec } });
      }
      const family = familyOf(pkg);
      if (family === null || sdks === 'all' || sdks.includes(family)) return;
      const list = sdks.length ? `its SDKs are ${sdks.join(', ')}` : 'it uses no SDK';
      context.report({ node, messageId: 'sdk', data: { ...options, pkg: spec, family, sdks: list } });
    }

    function checkPath(node, spec) {
      const rel = target(where, context.filename, spec);
      if (rel === null) return;
      if (!may.some((entry) => allowed(rel, entry))) {
        const data = { layer: options.layer, target: rel, may: may.join(', ') };
        return context.report({ node, messageId: 'layer', data });
      }
      if (!throughIndex(where, rel))
        context.report({ node, messageId: 'serviceIndex', data: { target: rel } });
    }

    const source = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
    };
  },
};

const plugin = { rules: { layers: layersRule } };

/** One eslint.config.js block: the files of a layer and what they may import. */
export function layer(files, options) {
  return { files, plugins: { botctl: plugin }, rules: { 'botctl/layers': ['error', options] } };
}
