import { describe, expect, it } from 'vitest';
import { distinctSources, searchApplies, sourcesHtml } from '../../src/domain/grounding.js';

describe('grounding rules', () => {
  it('searches as the operator and the user say', () => {
    expect(searchApplies('off', { search: true })).toBe(false);
    expect(searchApplies('auto', { search: true })).toBe(true);
    expect(searchApplies('auto', { search: false })).toBe(false);
    expect(searchApplies('always', { search: false })).toBe(true);
  });

  it('keeps http(s) sources once each, at most five, naming an untitled page by its host', () => {
    const sources = distinctSources([
      { uri: 'https://a.example/1', title: 'A' },
      { uri: 'https://a.example/1', title: 'A again' },
      { uri: 'data:text/html,x', title: 'bad' },
      { uri: 'https://b.example/p?q=1', title: '  ' },
      ...['c', 'd', 'e', 'f'].map((x) => ({ uri: `https://${x}.example/`, title: x })),
    ]);
    expect(sources.map((s) => s.title)).toEqual(['A', 'b.example', 'c', 'd', 'e']);
  });

  it('escapes titles and links for Telegram HTML', () => {
    expect(sourcesHtml('S & Co', [{ uri: 'https://x.example/?a=1&b="2"', title: '<b>&' }])).toBe(
      '<b>S &amp; Co</b>\n1. <a href="https://x.example/?a=1&amp;b=&quot;2&quot;">&lt;b&gt;&amp;</a>',
    );
  });
});
