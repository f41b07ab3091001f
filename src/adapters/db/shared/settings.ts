/**
 * users.settings holds only what the user chose, as JSON; defaults fill the rest when read,
 * so a changed default reaches everyone who never picked a value. customPrompt is sealed
 * inside the JSON, so the rest of the settings stay readable (and queryable) in the database.
 */
import {
  DEFAULT_USER_SETTINGS,
  DETAIL_LEVELS,
  VOICE_REPLY_MODES,
  type UserSettings,
} from '../../../domain/entities.js';
import type { FieldCipher } from '../../../domain/ports/index.js';

type Stored = Partial<Record<keyof UserSettings, unknown>>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);

// A value of the wrong type (hand-edited row, older code) falls back to the default
// instead of breaking every reply to that user.
const VALID: { [K in keyof UserSettings]: (v: unknown) => v is UserSettings[K] } = {
  persona: isString,
  customPrompt: isNullableString,
  detailLevel: oneOf(DETAIL_LEVELS),
  timezone: isString,
  voiceReplies: oneOf(VOICE_REPLY_MODES),
  model: isNullableString,
  showTranscript: (v): v is boolean => typeof v === 'boolean',
  suggestions: (v): v is boolean => typeof v === 'boolean',
  search: (v): v is boolean => typeof v === 'boolean',
};

function parseStored(json: string): Stored {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Stored) : {};
  } catch {
    return {};
  }
}

export function readSettings(json: string, cipher: FieldCipher): UserSettings {
  const stored = parseStored(json);
  const settings: Record<string, unknown> = { ...DEFAULT_USER_SETTINGS };
  for (const key of Object.keys(VALID) as Array<keyof UserSettings>) {
    const value = stored[key];
    if (VALID[key](value)) settings[key] = value;
  }
  const result = settings as unknown as UserSettings;
  if (result.customPrompt !== null) result.customPrompt = cipher.open(result.customPrompt);
  return result;
}

/** Merges the patch into the stored JSON; undefined keys are left alone, null clears. */
export function patchSettings(json: string, patch: Partial<UserSettings>, cipher: FieldCipher): string {
  const stored = parseStored(json);
  for (const key of Object.keys(patch) as Array<keyof UserSettings>) {
    const value = patch[key];
    if (value === undefined || !(key in VALID)) continue;
    stored[key] = key === 'customPrompt' && typeof value === 'string' ? cipher.seal(value) : value;
  }
  return JSON.stringify(stored);
}
