/**
 * The readline prompter on a stream that claims to be a terminal: answers come back trimmed,
 * a secret's keystrokes never reach the output, Ctrl-C and Ctrl-D cancel.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PromptCancelled, createPrompter } from '../../src/cli/prompter.js';

function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { input, output, shown: () => shown };
}

describe('createPrompter', () => {
  it('asks, echoes what is typed, and hides a secret', async () => {
    const { input, output, shown } = terminal();
    const io = createPrompter(input, output);
    const name = io.ask('Name [x]: ');
    input.write('  bob \r');
    expect(await name).toBe('bob');
    const secret = io.ask('Token: ', { secret: true });
    input.write('s3cret-value\r');
    expect(await secret).toBe('s3cret-value');
    io.say('done');
    io.close();
    expect(shown()).toContain('Name [x]: ');
    expect(shown()).toContain('bob');
    expect(shown()).toContain('Token: ');
    expect(shown()).not.toContain('s3cret');
    expect(shown()).toMatch(/done\n$/);
  });

  it('Ctrl-C rejects the pending question and every later one', async () => {
    const { input, output } = terminal();
    const io = createPrompter(input, output);
    const pending = io.ask('Model: ');
    input.write('half-typed\x03');
    await expect(pending).rejects.toBeInstanceOf(PromptCancelled);
    await expect(io.ask('Next: ')).rejects.toBeInstanceOf(PromptCancelled);
    io.close();
  });

  it('end of input (Ctrl-D) cancels too', async () => {
    const { input, output } = terminal();
    const io = createPrompter(input, output);
    const pending = io.ask('Model: ');
    input.end();
    await expect(pending).rejects.toBeInstanceOf(PromptCancelled);
    io.close();
  });
});
