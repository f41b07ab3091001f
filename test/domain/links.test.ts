import { describe, expect, it } from 'vitest';
import { linksIn, MAX_LINKS, urlContextSupported } from '../../src/domain/links.js';

describe('linksIn', () => {
  it('finds http(s) links in order, once each, without trailing punctuation', () => {
    expect(linksIn('see https://a.example/x, and (http://b.example/y). Again https://a.example/x!')).toEqual([
      'https://a.example/x',
      'http://b.example/y',
    ]);
    expect(linksIn('no links, ftp://nope and mailto:x@y')).toEqual([]);
  });

  it('stops at the tool limit', () => {
    const many = Array.from({ length: MAX_LINKS + 5 }, (_, i) => `https://e.example/${i}`).join(' ');
    expect(linksIn(many)).toHaveLength(MAX_LINKS);
  });
});

describe('urlContextSupported', () => {
  it('knows the models with the tool and the ones without', () => {
    for (const model of [
      'gemini-flash-latest',
      'gemini-2.5-pro',
      'gemini-2.5-flash-lite',
      'gemini-3-pro-preview',
    ])
      expect(urlContextSupported(model), model).toBe(true);
    for (const model of [
      'gemini-2.0-flash',
      'gemini-2.5-flash-preview-tts',
      'gemini-2.5-flash-image',
      'gemma-3',
    ])
      expect(urlContextSupported(model), model).toBe(false);
  });
});
