import { describe, expect, it } from 'vitest';
import { indexTerms, isStopWord, stem, tokenize } from '../../src/search/analyze.js';

const terms = (text: string) => indexTerms(tokenize(text));

describe('text analysis', () => {
  it('normalises case, accents, curly apostrophes and possessives', () => {
    expect(tokenize("Russia’s TÜRKIYE Zelenskyy's").map((t) => t.word)).toEqual([
      'russia',
      'turkiye',
      'zelenskyy',
    ]);
  });

  it('indexes hyphenated compounds as their parts and as a whole', () => {
    expect(terms('cease-fire')).toEqual([stem('cease'), stem('fire'), stem('ceasefire')]);
    expect(terms('30-day')).toContain('30');
  });

  it('reads dotted and written-out names of countries as one acronym', () => {
    expect(terms('The U.S. delegation')).toEqual(terms('The United States delegation'));
    expect(terms('the U.S.')).toEqual(['us']);
  });

  it('keeps acronyms that look like stop words, and drops the stop words', () => {
    const tokens = tokenize('Tell us what the US wants');
    expect(tokens.filter((t) => !isStopWord(t)).map((t) => t.word)).toEqual(['us', 'wants']);
  });

  it('ignores case when the whole text is written in capitals', () => {
    expect(terms('WHO LEADS RUSSIA’S DELEGATION')).toEqual(terms('who leads Russia’s delegation'));
  });

  it('stems regular forms and lemmatises irregular ones to the same term', () => {
    expect(stem('negotiations')).toBe(stem('negotiation'));
    expect(stem('began')).toBe(stem('begin'));
    expect(stem('met')).toBe(stem('meeting'));
  });
});
