/**
 * What a user may change about how the bot treats them. Every change is validated here (a
 * forged menu payload or a typo gets null, never a stored bad value), persisted, and the
 * cached user dropped so the next message sees it. Timezone-by-location waits for the
 * location in the cache, so any instance sharing Redis can receive it.
 */
import { DETAIL_LEVELS, VOICE_REPLY_MODES, type User, type UserSettings } from '../../domain/entities.js';
import type { Cache, UserRepository, ZoneLookup } from '../../domain/ports/index.js';
import {
  isInterfaceLanguage,
  MAX_CUSTOM_PROMPT_CHARS,
  personaIds,
  selectableModels,
} from '../../domain/settings-rules.js';
import { normalizeTimeZone, zoneForPoint } from '../../domain/timezones.js';
import type { SearchGroundingMode } from '../../domain/grounding.js';

export interface SettingsConfig {
  model: string;
  models: readonly string[];
  personas: Readonly<Record<string, string>>;
  searchGrounding?: SearchGroundingMode;
}

export type PromptChange =
  { ok: true; user: User } | { ok: false; reason: 'empty' | 'too-long'; length: number };

const LOCATION_WAIT_MS = 10 * 60_000;
export const settingsCacheKeys = (telegramId: number) => [`tz-await:${telegramId}`];

export function createSettingsService(deps: {
  users: UserRepository;
  access: { forget(telegramId: number): Promise<void> };
  cache: Cache;
  config: SettingsConfig;
  zonesAt: ZoneLookup;
}) {
  const { users, access, cache, config, zonesAt } = deps;
  const models = () => selectableModels(config.model, config.models);
  const personas = () => personaIds(config.personas);

  async function save(user: User, patch: Partial<UserSettings>): Promise<User> {
    const updated = await users.updateSettings(user.id, patch);
    await access.forget(user.telegramId);
    return updated;
  }
  const oneOf = (values: readonly string[], value: string) => values.includes(value);

  return {
    personas,
    models,
    defaultModel: config.model,
    /** Operator personas have no locale name: their id is shown. */
    isBuiltinPersona: (id: string) => !Object.hasOwn(config.personas, id) && personas().includes(id),
    maxPromptChars: MAX_CUSTOM_PROMPT_CHARS,

    async setPersona(user: User, id: string): Promise<User | null> {
      return oneOf(personas(), id) ? save(user, { persona: id }) : null;
    },
    async setDetailLevel(user: User, level: string): Promise<User | null> {
      return oneOf(DETAIL_LEVELS, level)
        ? save(user, { detailLevel: level as UserSettings['detailLevel'] })
        : null;
    },
    async setVoiceReplies(user: User, mode: string): Promise<User | null> {
      return oneOf(VOICE_REPLY_MODES, mode)
        ? save(user, { voiceReplies: mode as UserSettings['voiceReplies'] })
        : null;
    },
    /** The default model is stored as null, so the user follows the operator's default when it changes. */
    async setModel(user: User, model: string): Promise<User | null> {
      return oneOf(models(), model) ? save(user, { model: model === config.model ? null : model }) : null;
    },
    toggle: (user: User, key: 'showTranscript' | 'suggestions' | 'search') =>
      save(user, { [key]: !user.settings[key] }),
    /** The user may switch search grounding (the operator's searchGrounding is auto). */
    searchChoice: () => config.searchGrounding === 'auto',

    async setTimezone(user: User, input: string): Promise<User | null> {
      const zone = normalizeTimeZone(input);
      return zone === null ? null : save(user, { timezone: zone });
    },

    async setPrompt(user: User, text: string): Promise<PromptChange> {
      const prompt = text.trim();
      if (prompt === '') return { ok: false, reason: 'empty', length: 0 };
      if (prompt.length > MAX_CUSTOM_PROMPT_CHARS)
        return { ok: false, reason: 'too-long', length: prompt.length };
      return { ok: true, user: await save(user, { customPrompt: prompt }) };
    },
    clearPrompt: (user: User) => save(user, { customPrompt: null }),

    async setLanguage(user: User, language: string): Promise<User | null> {
      if (!isInterfaceLanguage(language)) return null;
      const updated = await users.setLanguage(user.id, language);
      await access.forget(user.telegramId);
      return updated;
    },

    /** The next location this user shares sets their timezone (for a while). */
    awaitLocation: (user: User) => cache.set(settingsCacheKeys(user.telegramId)[0]!, true, LOCATION_WAIT_MS),

    /**
     * Sets the zone whose borders contain a shared location, if one was asked for; null when it
     * was not. At sea the zone is Etc/GMT±N (see zoneForPoint), which the reply explains.
     */
    async locationShared(user: User, latitude: number, longitude: number): Promise<User | null> {
      const key = settingsCacheKeys(user.telegramId)[0]!;
      if ((await cache.get<boolean>(key)) !== true) return null;
      await cache.delete(key);
      const zone = zoneForPoint(await zonesAt(latitude, longitude), longitude);
      return save(user, { timezone: zone });
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
