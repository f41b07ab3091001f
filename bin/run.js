#!/usr/bin/env node
// The installed `botctl`: runs the compiled commands in dist/ through the oclif manifest.
import './drizzle-format-hook.js';
import './closed-pipe.js';
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
