import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/config/schema.js';
import { costOf, priceFor } from '../../src/domain/pricing.js';

describe('priceFor', () => {
  it('prefers an exact id, then the longest prefix, and knows no price for anything else', () => {
    const table = {
      'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
      'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
      gemini: { inputPerMillion: 9, outputPerMillion: 9 },
    };
    expect(priceFor('gemini-2.5-flash', table)).toBe(table['gemini-2.5-flash']);
    expect(priceFor('gemini-2.5-flash-lite-preview-09-2025', table)).toBe(table['gemini-2.5-flash-lite']);
    expect(priceFor('gemini-2.5-flash-001', table)).toBe(table['gemini-2.5-flash']);
    expect(priceFor('gemini-1.5-pro', table)).toBe(table.gemini);
    expect(priceFor('gpt-4o', table)).toBeNull();
    expect(priceFor(null, table)).toBeNull();
  });

  it('prices the current Gemini families by default, and not their aliases', () => {
    expect(priceFor('gemini-3-pro-preview', DEFAULT_PRICES)).toEqual({
      inputPerMillion: 2,
      outputPerMillion: 12,
    });
    expect(priceFor('gemini-3-flash-preview', DEFAULT_PRICES)).toEqual({
      inputPerMillion: 0.5,
      outputPerMillion: 3,
    });
    expect(priceFor('gemini-2.5-flash-image', DEFAULT_PRICES)?.outputPerMillion).toBe(30);
    expect(priceFor('gemini-flash-latest', DEFAULT_PRICES)).toBeNull();
  });
});

describe('costOf', () => {
  it('adds input and output at their rates, to a millionth of a dollar', () => {
    expect(costOf({ inputPerMillion: 0.3, outputPerMillion: 2.5 }, 4100, 610)).toBe(0.002755);
    expect(costOf({ inputPerMillion: 0.075, outputPerMillion: 0.3 }, 1, 1)).toBe(0);
    expect(costOf({ inputPerMillion: 1.25, outputPerMillion: 10 }, 2_000_000, 100_000)).toBe(3.5);
  });
});
