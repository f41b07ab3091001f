/**
 * How settings read in the chat: the summary above the settings menu and the display names
 * of values. Built-in personas, detail levels and voice modes have locale names
 * (persona-<id>, detail-<level>, voice-<mode>); operator personas and models show their id.
 */
import type { User } from '../../domain/entities.js';
import { isInterfaceLanguage } from '../../domain/settings-rules.js';
import type { SettingsService } from '../../services/settings/index.js';
import type { BotContext } from '../context.js';

export const personaName = (ctx: BotContext, settings: SettingsService, id: string): string =>
  settings.isBuiltinPersona(id) ? ctx.t(`persona-${id}`) : id;

export const modelName = (ctx: BotContext, settings: SettingsService, model: string | null): string =>
  model === null || model === settings.defaultModel
    ? ctx.t('settings-model-default', { model: settings.defaultModel })
    : model;

export const onOff = (ctx: BotContext, value: boolean): string => ctx.t(value ? 'toggle-on' : 'toggle-off');

/** A language without a locale of its own (e.g. "de" from Telegram) shows as its code. */
export const languageName = (ctx: BotContext, code: string): string =>
  isInterfaceLanguage(code) ? ctx.t(`language-${code}`) : code;

/** Every setting in one text, so any change also changes the message (Telegram refuses no-op edits). */
export function settingsSummary(ctx: BotContext, settings: SettingsService, user: User): string {
  const s = user.settings;
  return ctx.t('settings-summary', {
    language: languageName(ctx, user.language),
    persona: personaName(ctx, settings, s.persona),
    detail: ctx.t(`detail-${s.detailLevel}`),
    timezone: s.timezone,
    voice: ctx.t(`spoken-${s.voiceReplies}`),
    model: modelName(ctx, settings, s.model),
    transcript: onOff(ctx, s.showTranscript),
    suggestions: onOff(ctx, s.suggestions),
    // Shown only when the operator leaves search grounding to the user (searchGrounding auto).
    searchLine: settings.searchChoice()
      ? `\n${ctx.t('settings-search-line', { value: onOff(ctx, s.search) })}`
      : '',
    prompt: s.customPrompt
      ? ctx.t('settings-prompt-set', { length: s.customPrompt.length })
      : ctx.t('settings-prompt-unset'),
  });
}
