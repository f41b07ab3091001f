import type { MessageEntity } from 'grammy/types';

/** A text as Telegram stores it: plain characters plus entities (offsets in UTF-16 code units). */
export interface Formatted {
  text: string;
  entities: MessageEntity[];
}

/** The part of "Bad Request: can't parse entities: <message>" after the colon. */
export class EntityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntityParseError';
  }
}

/** Telegram reports positions as UTF-8 byte offsets into the text it received. */
export const byteOffset = (input: string, index: number): number => Buffer.byteLength(input.slice(0, index));

export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Telegram strips leading and trailing whitespace from message texts and captions; entities are
 * shifted and clipped accordingly (and dropped when nothing of them remains).
 */
export function trimFormatted({ text, entities }: Formatted): Formatted {
  const start = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const end = start + trimmed.length;
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) kept.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: trimmed, entities: sortEntities(kept) };
}
