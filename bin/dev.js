#!/usr/bin/env -S node --import tsx
// Development entry: runs src/ through tsx. ignoreManifest keeps a built manifest from
// silently sending us to stale dist/ code.
import './closed-pipe.js';
import { execute } from '@oclif/core';

await execute({
  development: true,
  dir: import.meta.url,
  loadOptions: { root: new URL('..', import.meta.url).pathname, ignoreManifest: true },
});
