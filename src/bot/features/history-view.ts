/**
 * How /history reads: a page of conversations (title and start date in the user's zone) with
 * one button each, and one conversation with its actions. Callback data is
 * `hist:<action>:<id>[:<page>]`; history.ts parses it back with HISTORY_DATA.
 */
import { InlineKeyboard } from 'grammy';
import type { Conversation, User } from '../../domain/entities.js';
import { formatInZone } from '../../domain/quota.js';
import { HISTORY_PAGE_SIZE, type HistoryPage } from '../../services/history/index.js';
import type { BotContext } from '../context.js';

/** p: page, o: open, c: continue, r: rename, d: delete (ask), x: delete (confirmed). */
export const HISTORY_DATA = /^hist:([porcdx]):(\d{1,12})(?::(\d{1,6}))?$/;

export const titleOf = (ctx: BotContext, c: Conversation): string => c.title ?? ctx.t('history-untitled');

const when = (user: User, date: Date) =>
  formatInZone(date, user.settings.timezone, user.language, { dateStyle: 'medium', timeStyle: 'short' });

export function pageView(
  ctx: BotContext,
  user: User,
  page: HistoryPage,
): { text: string; keyboard: InlineKeyboard } {
  const keyboard = new InlineKeyboard();
  if (page.items.length === 0)
    return { text: ctx.t(page.page === 0 ? 'history-empty' : 'history-page-empty'), keyboard };
  const lines = page.items.map((c, i) => {
    const n = page.page * HISTORY_PAGE_SIZE + i + 1;
    const current = c.id === page.activeId ? ` ${ctx.t('history-current')}` : '';
    keyboard.text(`${n}. ${titleOf(ctx, c)}`, `hist:o:${c.id}:${page.page}`).row();
    return `${n}. ${titleOf(ctx, c)}, ${when(user, c.startedAt)}${current}`;
  });
  if (page.page > 0) keyboard.text(ctx.t('history-prev'), `hist:p:${page.page - 1}`);
  if (page.hasMore) keyboard.text(ctx.t('history-next'), `hist:p:${page.page + 1}`);
  return { text: `${ctx.t('history-heading', { page: page.page + 1 })}\n\n${lines.join('\n')}`, keyboard };
}

export function conversationView(
  ctx: BotContext,
  user: User,
  c: Conversation,
  messages: number,
  page: number,
): { text: string; keyboard: InlineKeyboard } {
  const text = ctx.t('history-conversation', {
    title: titleOf(ctx, c),
    started: when(user, c.startedAt),
    messages,
  });
  const keyboard = new InlineKeyboard()
    .text(ctx.t('history-continue'), `hist:c:${c.id}`)
    .text(ctx.t('history-rename'), `hist:r:${c.id}`)
    .text(ctx.t('history-delete'), `hist:d:${c.id}:${page}`)
    .row()
    .text(ctx.t('history-back'), `hist:p:${page}`);
  return { text, keyboard };
}

export function deleteView(
  ctx: BotContext,
  c: Conversation,
  page: number,
): { text: string; keyboard: InlineKeyboard } {
  const keyboard = new InlineKeyboard()
    .text(ctx.t('history-delete-yes'), `hist:x:${c.id}:${page}`)
    .text(ctx.t('history-delete-no'), `hist:o:${c.id}:${page}`);
  return { text: ctx.t('history-delete-confirm', { title: titleOf(ctx, c) }), keyboard };
}
