import { describe, expect, it } from 'vitest';
import { editDistance, Vocabulary } from '../../src/search/vocabulary.js';

function vocabulary(words: Record<string, 'name' | 'word'>): Vocabulary {
  const v = new Vocabulary(0.4);
  for (const [word, kind] of Object.entries(words))
    v.add(word, word, kind === 'name' ? 3 : 0, kind === 'name' ? 0 : 3);
  return v;
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
    const family = new Vocabulary(0.4);
    for (const stem of ['russia', 'russian', 'optim', 'optimist', 'ru']) family.add(stem, stem, 0, 1);
    expect(family.family('russia')).toEqual(['russian']);
    expect(family.family('optimist')).toEqual(['optim']);
    expect(family.family('ru')).toEqual([]);
  });

  it('pairs the -nt and -nce stems the stemmer leaves apart', () => {
    const family = new Vocabulary(0.4);
    for (const stem of ['absent', 'absenc', 'present']) family.add(stem, stem, 0, 1);
    expect(family.family('absent')).toEqual(['absenc']);
    expect(family.family('absenc')).toEqual(['absent']);
    expect(family.family('present')).toEqual([]);
  });

  it('lists the words of a stem, and which are names', () => {
    const words = new Vocabulary(0.4);
    words.add('paris', 'pari', 3, 0);
    words.add('pariing', 'pari', 0, 2);
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
