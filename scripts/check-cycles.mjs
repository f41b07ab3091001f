#!/usr/bin/env node
/**
 * Fails (exit 1) on an import cycle among the TypeScript files under a folder (default: src).
 * Every import counts: static, type-only, re-exports and dynamic import(): a cycle of types still
 * ties two modules into one concept. Run by `npm run lint` (lint:cycles).
 *
 * Why not madge: madge 8 declares a peer dependency on TypeScript 5 and this project is on 6, so
 * it installs only with --legacy-peer-deps; TypeScript's own pre-parser finds the same edges.
 *
 * Usage: node scripts/check-cycles.mjs [dir]   (prints each cycle as a -> b -> a)
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The .ts files under dir, and for each the .ts files under dir it imports. */
export function importGraph(dir) {
  const root = path.resolve(dir);
  const files = fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return { root, graph };
}

/** Strongly connected components with more than one file (or a file importing itself), Tarjan's. */
export function findCycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file), low.get(to)));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file), index.get(to)));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.map((component) => pathThrough(graph, component));
}

/** One concrete loop through a component, for the message: a -> b -> ... -> a. */
function pathThrough(graph, component) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const seen = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const file = queue.shift();
    for (const to of graph.get(file) ?? []) {
      if (to === start) {
        const loop = [file];
        for (let at = seen.get(file); at !== null; at = seen.get(at)) loop.unshift(at);
        return [...loop, start];
      }
      if (members.has(to) && !seen.has(to)) {
        seen.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { root, graph } = importGraph(process.argv[2] ?? 'src');
  const cycles = findCycles(graph);
  for (const loop of cycles) {
    console.error(`import cycle: ${loop.map((file) => path.relative(root, file)).join(' -> ')}`);
  }
  if (cycles.length > 0) process.exit(1);
  console.log(`no import cycle among ${graph.size} files under ${path.relative(process.cwd(), root) || '.'}`);
}
