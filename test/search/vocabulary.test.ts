import { describe, expect, it } from 'vitest';
import { SentenceIndex } from '../../src/search/sentence-index.js';
import { editDistance, type Vocabulary } from '../../src/search/vocabulary.js';
import { article } from '../helpers/articles.js';

/** The vocabulary of an index over these sentences. */
function vocabularyOf(texts: readonly string[]): Vocabulary {
  const base = article('Words', {}, texts.length, 0);
  const sentences = base.sentences.map((s, i) => ({ ...s, text: texts[i] as string }));
  return new SentenceIndex([{ ...base, sentences }], { fuzzyThreshold: 0.4 }).vocabulary;
}

/** A vocabulary where each word is written as a name (capitalised inside a sentence) or as an ordinary word. */
function vocabulary(words: Record<string, 'name' | 'word'>): Vocabulary {
  return vocabularyOf(
    Object.entries(words).map(([word, kind]) =>
      kind === 'name'
        ? `They saw ${word[0]?.toUpperCase()}${word.slice(1)} there.`
        : `they saw ${word} there.`,
    ),
  );
}

describe('Vocabulary', () => {
  const v = vocabulary({
    istanbul: 'name',
    rubio: 'name',
    skepticism: 'word',
    government: 'word',
    hope: 'word',
    dialogue: 'word',
  });

  it.each([
    ['istambul', 'istanbul'],
    ['rubbio', 'rubio'],
    ['scepticism', 'skepticism'],
    ['goverment', 'government'],
  ])('corrects %s to %s', (typo, word) => {
    expect(v.correct(typo, false)[0]?.word).toBe(word);
  });

  it('does not correct a capitalised name into an ordinary word', () => {
    expect(v.correct('hopr', true)).toEqual([]);
    expect(v.correct('hopr', false).map((c) => c.word)).toEqual(['hope']);
  });

  it('keeps the first letter of a short word, and lets a long one change it', () => {
    const names = vocabulary({ sapan: 'name', istanbul: 'name' });
    expect(names.correct('japan', true)).toEqual([]);
    expect(names.correct('pope', false)).toEqual([]);
    expect(names.correct('xstanbul', true).map((c) => c.word)).toEqual(['istanbul']);
  });

  it('scores a correction by how many edits it needed', () => {
    expect(v.correct('istambul', false)[0]?.similarity).toBeCloseTo(1 - 1 / 8);
  });

  it('finds stems of the same family by prefix', () => {
    const family = vocabularyOf(['russia russian optimism optimist ru']);
    expect(family.family('russia')).toEqual(['russian']);
    expect(family.family('optimist')).toEqual(['optim']);
    expect(family.family('ru')).toEqual([]);
  });

  it('pairs the -nt and -nce stems the stemmer leaves apart', () => {
    const family = vocabularyOf(['absent absence present']);
    expect(family.family('absent')).toEqual(['absenc']);
    expect(family.family('absenc')).toEqual(['absent']);
    expect(family.family('present')).toEqual([]);
  });

  it('lists the words of a stem, and which are names', () => {
    const words = vocabularyOf(['They met in Paris.', 'the pariing went on.']);
    expect(words.wordsWithStem('pari')).toEqual([
      { word: 'paris', name: true },
      { word: 'pariing', name: false },
    ]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('talks', 'tlaks', 2)).toBe(1);
    expect(editDistance('same', 'same', 1)).toBe(0);
  });

  it('stops early once the distance exceeds the maximum', () => {
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});
