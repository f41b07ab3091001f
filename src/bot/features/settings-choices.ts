/**
 * One kind of settings submenu: pick one value from a list (language, persona, detail level,
 * timezone, spoken answers, model). The pressed button's payload is the value; it is checked
 * by the settings service, so a forged payload gets a notice and changes nothing. Also the
 * menu options every settings menu shares: callbacks answered by us (with a text when
 * needed), and a stale menu answered with a notice and redrawn.
 */
import { GrammyError } from 'grammy';
import { Menu, type MenuOptions } from '@grammyjs/menu';
import type { User } from '../../domain/entities.js';
import { isInterfaceLanguage } from '../../domain/settings-rules.js';
import type { BotContext } from '../context.js';
import { ack, notice } from './button-answers.js';

interface Choice {
  value: string;
  label: string;
}

export interface ChoiceSpec {
  id: string;
  perRow: number;
  choices: (ctx: BotContext) => Choice[];
  current: (user: User) => string;
  /** Validates and stores; null when the value is not one the user may pick. */
  apply: (user: User, value: string) => Promise<User | null>;
  /** Inside /settings: a back button, and the summary redrawn after a pick. Standalone: a confirmation. */
  after: 'summary' | ((ctx: BotContext, user: User) => string);
  /** More buttons below the choices (e.g. "use my location"). */
  extra?: (menu: Menu<BotContext>) => void;
}

export const menuOptions: MenuOptions<BotContext> = {
  autoAnswer: false,
  async onMenuOutdated(ctx) {
    await notice(ctx, 'menu-outdated');
    await ctx.menu.update({ immediate: true }).catch(ignoreNotModified);
  },
};

/** Makes a changed user the one this update renders with, in their (possibly new) language. */
export function adopt(ctx: BotContext, user: User): void {
  ctx.state.user = user;
  if (isInterfaceLanguage(user.language)) ctx.i18n.useLocale(user.language);
}

/** Editing a message to what it already shows is an error in Telegram, and harmless here. */
export function ignoreNotModified(error: unknown): void {
  if (error instanceof GrammyError && error.description.includes('message is not modified')) return;
  throw error;
}

export function choiceMenu(spec: ChoiceSpec, redraw: (ctx: BotContext) => Promise<void>): Menu<BotContext> {
  const menu = new Menu<BotContext>(spec.id, menuOptions);
  // The payload is the choice's index: short enough for Telegram's 64-byte callback data
  // whatever the value (model ids, zone names with "/", which the menu plugin splits on).
  menu.dynamic((ctx, range) => {
    const current = ctx.state.user ? spec.current(ctx.state.user) : undefined;
    spec.choices(ctx).forEach((choice, index) => {
      if (index > 0 && index % spec.perRow === 0) range.row();
      const text = `${choice.value === current ? '✓ ' : ''}${choice.label}`;
      range.text({ text, payload: String(index) }, async (ctx) => {
        const user = ctx.state.user;
        const picked = /^\d{1,3}$/.test(ctx.match) ? spec.choices(ctx)[Number(ctx.match)] : undefined;
        const updated = user && picked ? await spec.apply(user, picked.value) : null;
        if (!updated) return notice(ctx, 'menu-invalid');
        adopt(ctx, updated);
        if (spec.after === 'summary') {
          ctx.menu.back();
          await redraw(ctx);
        } else {
          ctx.menu.close();
          await ctx.editMessageText(spec.after(ctx, updated)).catch(ignoreNotModified);
        }
        await notice(ctx, 'settings-saved');
      });
    });
  });
  spec.extra?.(menu);
  if (spec.after === 'summary') {
    menu.row().back((ctx) => ctx.t('settings-back'), ack);
  }
  return menu;
}
