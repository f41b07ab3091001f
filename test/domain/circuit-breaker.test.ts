import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../src/domain/circuit-breaker.js';
import { BotctlError } from '../../src/domain/errors.js';

function setup() {
  let clock = 1_000_000;
  const breaker = createCircuitBreaker({
    failureThreshold: 3,
    windowMs: 10_000,
    openMs: 30_000,
    now: () => clock,
  });
  return { breaker, advance: (ms: number) => (clock += ms) };
}
const down = () => new BotctlError('GEMINI_UNAVAILABLE', '503');
const fail = async () => Promise.reject(down());

describe('createCircuitBreaker', () => {
  it('opens after N failures within the window and then rejects fast', async () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) {
      await expect(breaker.run(fail)).rejects.toThrow('503');
      advance(1000);
    }
    expect(breaker.state()).toBe('open');
    let called = false;
    const rejection = await breaker
      .run(async () => {
        called = true;
      })
      .catch((error: unknown) => error);
    expect(called).toBe(false);
    expect(rejection).toBeInstanceOf(BotctlError);
    expect(rejection).toMatchObject({
      code: 'GEMINI_UNAVAILABLE',
      retryable: true,
      params: { retryAfterSeconds: 29 },
    });
  });

  it('forgets failures older than the window', async () => {
    const { breaker, advance } = setup();
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(fail)).rejects.toThrow();
    advance(10_000);
    await expect(breaker.run(fail)).rejects.toThrow();
    expect(breaker.state()).toBe('closed');
  });

  it('does not count errors that say nothing about availability', async () => {
    const { breaker } = setup();
    const blocked = new BotctlError('GEMINI_BLOCKED', 'safety');
    for (let n = 0; n < 5; n++)
      await expect(breaker.run(async () => Promise.reject(blocked))).rejects.toBe(blocked);
    expect(breaker.state()).toBe('closed');
  });

  it('lets one trial through when half-open; success closes the circuit', async () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) breaker.failure(down());
    advance(30_000);
    expect(breaker.state()).toBe('half-open');
    breaker.acquire();
    expect(() => breaker.acquire()).toThrow(BotctlError);
    breaker.success();
    expect(breaker.state()).toBe('closed');
    await expect(breaker.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('reopens for another full period when the trial fails', async () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) breaker.failure(down());
    advance(30_000);
    await expect(breaker.run(fail)).rejects.toThrow('503');
    expect(breaker.state()).toBe('open');
    advance(29_999);
    expect(breaker.state()).toBe('open');
    advance(1);
    expect(breaker.state()).toBe('half-open');
  });

  it('closes when the trial gets an answer, even a refusal', async () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) breaker.failure(down());
    advance(30_000);
    breaker.acquire();
    breaker.failure(new BotctlError('GEMINI_BLOCKED', 'safety'));
    expect(breaker.state()).toBe('closed');
  });

  it('lets a new trial through when the previous one never reported back', () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) breaker.failure(down());
    advance(30_000);
    breaker.acquire();
    advance(29_000);
    expect(() => breaker.acquire()).toThrow(BotctlError);
    advance(1_000);
    expect(() => breaker.acquire()).not.toThrow();
  });

  it('ignores late failures of calls started before the circuit opened', () => {
    const { breaker, advance } = setup();
    for (let n = 0; n < 3; n++) breaker.failure(down());
    advance(20_000);
    breaker.failure(down());
    advance(10_000);
    expect(breaker.state()).toBe('half-open');
  });

  it('tells onChange once when it opens and once when it closes, not on a failed trial', () => {
    let clock = 0;
    const changes: string[] = [];
    const breaker = createCircuitBreaker({
      failureThreshold: 3,
      windowMs: 10_000,
      openMs: 30_000,
      now: () => clock,
      onChange: (state) => changes.push(state),
    });
    for (let n = 0; n < 5; n++) breaker.failure(down());
    expect(changes).toEqual(['open']);
    clock += 30_000;
    breaker.acquire();
    breaker.failure(down());
    expect(changes).toEqual(['open']);
    clock += 30_000;
    breaker.acquire();
    breaker.success();
    breaker.success();
    expect(changes).toEqual(['open', 'closed']);
  });
});
