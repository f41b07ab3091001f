/**
 * Data rights in the chat: /privacy says what is stored, for how long and whether it is
 * encrypted; /export sends everything stored about the user as JSON and as a Markdown
 * transcript; /forget deletes all of it after a confirmation button (which expires).
 */
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { formatInZone } from '../../domain/quota.js';
import { renderTranscript, transcriptLabels } from '../../domain/transcript.js';
import type { PrivacyService } from '../../services/privacy/index.js';
import { threadOptions, type BotContext } from '../context.js';
import { ack, notice } from './button-answers.js';

const FORGET_DATA = /^forget:(?:yes:([a-z0-9]{1,16})|(no))$/;

export function privacyFeature(deps: { privacy: PrivacyService }): Composer<BotContext> {
  const { privacy } = deps;
  const composer = new Composer<BotContext>();

  composer.command('privacy', (ctx) =>
    ctx.reply(ctx.t('privacy-info', { encrypted: privacy.encrypted ? 'yes' : 'no' }), threadOptions(ctx)),
  );

  composer.command('export', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const data = await privacy.collect(user);
    const date = (iso: string) => formatInZone(new Date(iso), user.settings.timezone, user.language);
    const name = `botctl-export-${user.telegramId}`;
    const json = new InputFile(Buffer.from(JSON.stringify(data, null, 2)), `${name}.json`);
    const labels = transcriptLabels((key) => ctx.t(key));
    const markdown = new InputFile(Buffer.from(renderTranscript(data, labels, date)), `${name}.md`);
    await ctx.replyWithDocument(json, { ...threadOptions(ctx), caption: ctx.t('export-json-caption') });
    await ctx.replyWithDocument(markdown, {
      ...threadOptions(ctx),
      caption: ctx.t('export-markdown-caption'),
    });
  });

  composer.command('forget', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const token = await privacy.requestForget(user);
    const keyboard = new InlineKeyboard()
      .text(ctx.t('forget-yes'), `forget:yes:${token}`)
      .text(ctx.t('forget-no'), 'forget:no');
    await ctx.reply(ctx.t('forget-confirm'), { ...threadOptions(ctx), reply_markup: keyboard });
  });

  composer.callbackQuery(/^forget:/, async (ctx) => {
    const user = ctx.state.user;
    const [, token, no] = FORGET_DATA.exec(ctx.callbackQuery.data) ?? [];
    if (!user || (!token && !no)) return notice(ctx, 'button-stale');
    if (no) {
      await privacy.cancelForget(user);
      await ctx.editMessageText(ctx.t('forget-cancelled'));
      return ack(ctx);
    }
    const report = await privacy.confirmForget(user, token!);
    if (!report) return notice(ctx, 'forget-expired');
    await ctx.editMessageText(
      ctx.t('forget-done', { conversations: report.conversations, messages: report.messages }),
    );
    return ack(ctx);
  });

  return composer;
}
