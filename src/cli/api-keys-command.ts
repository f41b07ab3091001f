/** What the `botctl api-keys` commands share: the --json shape of a key and how one prints. */
import { Args } from '@oclif/core';
import { BotctlError } from '../domain/errors.js';
import type { ApiKeyView } from '../services/admin-api/index.js';
import type { JsonShape } from './json-shape.js';

export const API_KEY_SHAPE: JsonShape = {
  id: 'number',
  name: 'string',
  scope: 'string',
  state: 'string',
  createdAt: 'string',
  expiresAt: 'string|null',
  lastUsedAt: 'string|null',
  revokedAt: 'string|null',
};

const day = (iso: string | null, none: string) => (iso === null ? none : iso.slice(0, 16).replace('T', ' '));

export const API_KEY_HEADER = [
  'ID'.padEnd(5),
  'NAME'.padEnd(20),
  'SCOPE'.padEnd(6),
  'STATE'.padEnd(8),
  'CREATED'.padEnd(16),
  'EXPIRES'.padEnd(16),
  'LAST USED',
].join(' ');

export function apiKeyRow(k: ApiKeyView): string {
  return [
    String(k.id).padEnd(5),
    k.name.slice(0, 20).padEnd(20),
    k.scope.padEnd(6),
    k.state.padEnd(8),
    day(k.createdAt, '-').padEnd(16),
    day(k.expiresAt, 'never').padEnd(16),
    day(k.lastUsedAt, 'never'),
  ].join(' ');
}

/** `<id>` of revoke: a positive integer, or a usage error (exit 2) before the database opens. */
export const keyIdArg = Args.custom<number>({
  description: 'key id (see api-keys list)',
  parse: async (input) => {
    if (!/^[1-9]\d{0,15}$/.test(input)) {
      throw new BotctlError('USAGE', `"${input}" is not an API key id`, {
        hint: 'see `botctl api-keys list`',
      });
    }
    return Number(input);
  },
})({ required: true });
