/**
 * From what was given (flags, BOTCTL_*, the existing file) to the config file to write:
 * interactively through the wizard, or unattended (--no-input, no TTY, --json), where every
 * missing or invalid value is listed at once and the checks run together.
 */
import { BotctlError } from '../../domain/errors.js';
import type { RenderKind } from '../../deploy/render-kinds.js';
import type { Probes } from '../../probes/probes.js';
import type { BotIdentity } from '../../services/doctor/index.js';
import type { Given } from '../option-flags.js';
import type { Prompter } from '../prompter.js';
import { ASKED, ensureWebhookSecret, resolveDraft, type Draft, type Problem } from './draft.js';
import { verifyDraft } from './verify.js';
import { runWizard } from './wizard.js';

export interface PlanInput {
  existing: Record<string, unknown>;
  given: Given;
  probes: Probes;
  dataDir: string;
  skipChecks: boolean;
  render: RenderKind[] | undefined;
}

export interface Plan {
  draft: Draft;
  bot: BotIdentity | null;
  render: RenderKind[];
  secretGenerated: boolean;
}

function problemsError(problems: readonly Problem[]): BotctlError {
  const missing = problems.every(
    (p) => p.line.endsWith(': required') || p.line.endsWith('required in webhook mode'),
  );
  const count = problems.length === 1 ? '1 value is' : `${problems.length} values are`;
  return new BotctlError(
    missing ? 'CONFIG_MISSING' : 'CONFIG_INVALID',
    `${count} missing or invalid:\n${problems.map((p) => `  ${p.line}`).join('\n')}`,
    {
      hint: 'give each as a flag (see `botctl setup --help`) or a BOTCTL_* variable, or run setup in a terminal',
    },
  );
}

export async function planUnattended(input: PlanInput): Promise<Plan> {
  const { draft, problems } = resolveDraft(input.existing, input.given);
  if (problems.length > 0) throw problemsError(problems);
  const secretGenerated = ensureWebhookSecret(draft);
  const bot = input.skipChecks ? null : (await verifyDraft(input.probes, draft, input.dataDir)).bot;
  return { draft, bot, render: input.render ?? [], secretGenerated };
}

export async function planInteractive(io: Prompter, input: PlanInput): Promise<Plan> {
  const { draft, problems } = resolveDraft(input.existing, input.given);
  // The wizard asks again for what it asks anyway; anything else must be fixed first.
  const blocking = problems.filter((p) => p.key === null || !ASKED.includes(p.key));
  if (blocking.length > 0) throw problemsError(blocking);
  const hadSecret = draft.webhookSecret !== undefined;
  io.say(
    'botctl setup: Enter keeps the value in [brackets]. Nothing is written until the last answer; Ctrl-C leaves everything as it was.',
  );
  const { bot, render } = await runWizard(io, { ...input, draft });
  return { draft, bot, render, secretGenerated: !hadSecret && draft.webhookSecret !== undefined };
}

/** The wizard when interactive, else unattended; null when the operator cancelled at a prompt (nothing written). */
export async function makePlan(input: PlanInput, interactive: boolean): Promise<Plan | null> {
  if (!interactive) return planUnattended(input);
  const { createPrompter, PromptCancelled } = await import('../prompter.js');
  const io = createPrompter();
  try {
    return await planInteractive(io, input);
  } catch (error) {
    if (error instanceof PromptCancelled) return null;
    throw error;
  } finally {
    io.close();
  }
}
