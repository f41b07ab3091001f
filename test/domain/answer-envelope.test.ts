import { describe, expect, it } from 'vitest';
import { envelopeInstruction, parseEnvelope, visibleAnswer } from '../../src/domain/answer-envelope.js';

describe('answer envelope', () => {
  it('asks only for the extras wanted', () => {
    expect(envelopeInstruction({ transcript: false, suggestions: false })).toBe('');
    expect(envelopeInstruction({ transcript: true, suggestions: false })).toMatch(
      /^Start your reply with a verbatim transcript[\s\S]*<transcript>/,
    );
    const both = envelopeInstruction({ transcript: true, suggestions: true });
    expect(both).toContain('<transcript>');
    expect(both).toContain('<suggestions>');
  });

  it('splits transcript, answer and up to three suggestions', () => {
    const text =
      '  <transcript> как дела? </transcript>\nХорошо!\n\n<suggestions>\n1. А у тебя?\n- Что нового?\n* Погода?\n• Ещё?\n\n</suggestions>\n';
    expect(parseEnvelope(text)).toEqual({
      transcript: 'как дела?',
      answer: 'Хорошо!',
      suggestions: ['А у тебя?', 'Что нового?', 'Погода?'],
    });
  });

  it('leaves an answer without tags alone, and copes with unclosed or empty tags', () => {
    expect(parseEnvelope('Just text <b>with</b> tags.')).toEqual({
      transcript: null,
      answer: 'Just text <b>with</b> tags.',
      suggestions: [],
    });
    expect(parseEnvelope('<transcript>never closed, all answer')).toMatchObject({ transcript: null });
    expect(parseEnvelope('<transcript></transcript>Answer')).toEqual({
      transcript: null,
      answer: 'Answer',
      suggestions: [],
    });
    expect(parseEnvelope('Answer <suggestions>\nOne?\nTwo?')).toEqual({
      transcript: null,
      answer: 'Answer',
      suggestions: ['One?', 'Two?'],
    });
    const long = 'x'.repeat(200);
    expect(parseEnvelope(`A<suggestions>\n${long}\nShort?\n</suggestions>`).suggestions).toEqual(['Short?']);
  });

  it('shows only the answer while it streams, never a tag or half a tag', () => {
    expect(visibleAnswer('<trans')).toBe('');
    expect(visibleAnswer('<transcript>hello wor')).toBe('');
    expect(visibleAnswer('<transcript>hello</transcript>\nIt is')).toBe('It is');
    expect(visibleAnswer('The answer.\n<sugg')).toBe('The answer.');
    expect(visibleAnswer('The answer.\n<suggestions>\nOne?')).toBe('The answer.');
    expect(visibleAnswer('a < b')).toBe('a < b');
    expect(visibleAnswer('Plain')).toBe('Plain');
  });
});
