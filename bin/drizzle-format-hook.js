// Start-up fix: Node's ESM loader learns each file's format (module or commonjs) by reading
// its package's package.json, and re-parses that file's whole "exports" map on every lookup
// (node:internal/modules/package_json_reader, Node 22-24). drizzle-orm's package.json is
// 178 KB and it loads a few hundred files, so `import 'drizzle-orm'` took ~0.5 s of CPU plus
// as much again in GC: every botctl command paid it. drizzle-orm is one "type": "module"
// package with no nested package.json, so its relative `.js` imports are ES modules; this hook
// says so and skips the lookup. Everything else resolves as usual. Measured with
// `node --cpu-prof bin/run.js stats`: 0.5 s -> 0.03 s for drizzle's import.
import module from 'node:module';

const DRIZZLE = '/node_modules/drizzle-orm/';

// registerHooks is synchronous and in-thread (Node >= 22.15); older 22.x just starts slower.
module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    if (
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      specifier.endsWith('.js') &&
      context.parentURL?.includes(DRIZZLE)
    ) {
      const url = new URL(specifier, context.parentURL);
      if (url.pathname.includes(DRIZZLE)) return { url: url.href, format: 'module', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
