// Turns (text, parse_mode, entities) into what the recipient sees, validating like Telegram.
import type { MessageEntity } from 'grammy/types';
import { badRequest } from '../errors.js';
import { EntityParseError, sortEntities, trimFormatted, type Formatted } from './common.js';
import { parseHtml } from './html.js';
import { parseLegacyMarkdown, parseMarkdownV2 } from './markdown.js';

export type { Formatted } from './common.js';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

// A lone surrogate (e.g. a 4096-character split through an emoji) is invalid UTF-8 once Telegram decodes
// the JSON, and the whole request is refused.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parse(text: string, parseMode: unknown, entities: unknown): Formatted {
  if (LONE_SURROGATE.test(text)) throw badRequest('strings must be encoded in UTF-8');
  if (parseMode === undefined || parseMode === null || parseMode === '') {
    return { text, entities: Array.isArray(entities) ? sortEntities(entities as MessageEntity[]) : [] };
  }
  if (typeof parseMode !== 'string') throw badRequest('unsupported parse_mode');
  try {
    switch (parseMode.toLowerCase()) {
      case 'html':
        return parseHtml(text);
      case 'markdownv2':
        return parseMarkdownV2(text);
      case 'markdown':
        return parseLegacyMarkdown(text);
      default:
        throw badRequest('unsupported parse_mode');
    }
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
}

/** A message text: required, 1..4096 UTF-16 code units after entity parsing and trimming. */
export function formatMessageText(raw: unknown, parseMode: unknown, entities: unknown): Formatted {
  const result = trimFormatted(
    parse(raw === undefined || raw === null ? '' : String(raw), parseMode, entities),
  );
  if (result.text.length === 0) throw badRequest('message text is empty');
  if (result.text.length > MAX_TEXT) throw badRequest('message is too long');
  return result;
}

/** A caption: optional, at most 1024 after parsing. */
export function formatCaption(raw: unknown, parseMode: unknown, entities: unknown): Formatted | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const result = trimFormatted(parse(String(raw), parseMode, entities));
  if (result.text.length > MAX_CAPTION) throw badRequest('message caption is too long');
  return result.text.length === 0 ? undefined : result;
}

/** A draft (sendMessageDraft): empty is allowed (Telegram shows "Thinking…"), the length limit is not lifted. */
export function formatDraft(raw: unknown, parseMode: unknown, entities: unknown): Formatted {
  const result = trimFormatted(
    parse(raw === undefined || raw === null ? '' : String(raw), parseMode, entities),
  );
  if (result.text.length > MAX_TEXT) throw badRequest('message is too long');
  return result;
}
