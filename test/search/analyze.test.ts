import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexTerms, isStopWord, RawTokenTable, stem, tokenize } from '../../src/search/analyze.js';
import { textPiece } from '../helpers/text-pieces.js';

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

/**
 * The token rules written as a pattern: a dotted acronym (U.S.), or letters
 * and digits with inner apostrophes and hyphens (Russia's, face-to-face).
 */
const TOKEN =
  /(?:\p{L}\.){2,}(?!\p{L})|[\p{L}\p{N}]+(?:['\u2019\u02bc][\p{L}]+)*(?:[-\u2010\u2011][\p{L}\p{N}]+(?:['\u2019\u02bc][\p{L}]+)*)*/gu;

/** Written in capitals: over 60% of more than 12 letters. */
function shouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length > 12 && letters.replace(/[^\p{Lu}]/gu, '').length > letters.length * 0.6;
}

/** The raw tokens one scan finds, in order, and whether it took the text for capitals. */
function scan(text: string): { raws: string[]; shouting: boolean } {
  const table = new RawTokenTable();
  const n = table.scan(text);
  const byId = [...table.fresh];
  return { raws: Array.from(table.ids.subarray(0, n), (id) => byId[id] as string), shouting: table.shouting };
}

describe('the one tokenizer', () => {
  it('finds exactly the tokens of the token rules, and takes text for capitals by the one rule', () => {
    fc.assert(
      fc.property(fc.array(textPiece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(scan(text)).toEqual({ raws: text.match(TOKEN) ?? [], shouting: shouting(text) });
      }),
      { numRuns: 500 },
    );
  });

  it('reads a question as the index reads a sentence', () => {
    expect(tokenize('Did the U.S. back a cease-fire?').map((t) => t.word)).toEqual([
      'did',
      'the',
      'us',
      'back',
      'a',
      'ceasefire',
    ]);
  });
});
