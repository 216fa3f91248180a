/**
 * The benchmark's generator: valid, deterministic knowledge folders with
 * news-like sentences, and fair questions made from them.
 */
import { describe, expect, it } from 'vitest';
import { generateCorpus, OPENINGS } from '../../bench/generate.js';
import { articleFromBytes } from '../../src/knowledge/load-knowledge.js';

const spec = { sentences: 400, questions: 40, warmup: 2 };

describe('generateCorpus', () => {
  const corpus = generateCorpus(spec);
  const sentences = corpus.articles.flatMap((a) => a.sentences);

  it('is the same for the same seed and different for another', () => {
    expect(generateCorpus(spec)).toEqual(corpus);
    expect(generateCorpus({ ...spec, seed: 'other' }).articles[0]?.markdown).not.toBe(
      corpus.articles[0]?.markdown,
    );
  });

  it('writes the requested number of news-like sentences of 10 to 35 words', () => {
    expect(sentences).toHaveLength(400);
    for (const s of sentences) {
      const words = s.split(' ').length;
      expect(words).toBeGreaterThanOrEqual(10);
      expect(words).toBeLessThanOrEqual(35);
      expect(s).toMatch(/^[A-Z0-9].*\.$/);
    }
    // Names and numbers, as news has.
    expect(sentences.filter((s) => /\d/.test(s)).length).toBeGreaterThan(100);
    expect(sentences.filter((s) => / [A-Z][a-z]+ [A-Z][a-z]+/.test(s)).length).toBeGreaterThan(50);
  });

  it('uses words with a Zipf-like spread: a few very common, most rare', () => {
    const counts = new Map<string, number>();
    for (const s of sentences)
      for (const w of s.toLowerCase().split(/[ .,]+/)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted.filter((n) => n === 1).length).toBeGreaterThan(counts.size / 3);
    expect(sorted[0]).toBeGreaterThan(50 * (sorted[Math.floor(sorted.length / 2)] ?? 1));
  });

  it('writes articles the bot reads without a problem, sentence for sentence', () => {
    for (const a of corpus.articles) {
      const { article, problems } = articleFromBytes(Buffer.from(a.markdown), `knowledge/${a.file}`);
      expect(problems).toEqual([]);
      expect(article?.sentences.map((s) => s.text)).toEqual(a.sentences);
    }
  });

  it('asks questions made from one sentence’s words, about 30% with one typo', () => {
    expect(corpus.questions).toHaveLength(40);
    const all = generateCorpus({ ...spec, questions: 400 }).questions;
    const typos = all.filter((q) => q.typo).length / all.length;
    expect(typos).toBeGreaterThan(0.22);
    expect(typos).toBeLessThan(0.38);
    let misspelt = 0;
    for (const q of all) {
      expect(sentences).toContain(q.source.text);
      const words = q.source.text.split(' ').map((w) => w.replace(/[.,]$/, '').toLowerCase());
      const opening = OPENINGS.find((o) => q.question.startsWith(`${o} `));
      const asked = q.question
        .slice(opening ? opening.length + 1 : 0)
        .replace(/\?$/, '')
        .toLowerCase()
        .split(' ');
      // Every word comes from the sentence, but for the one typo.
      const foreign = asked.filter((w) => !words.includes(w)).length;
      expect(foreign).toBeLessThanOrEqual(q.typo ? 1 : 0);
      if (q.typo && foreign === 1) misspelt++;
    }
    // A typo may by chance spell another word of the sentence, but hardly ever.
    expect(misspelt).toBeGreaterThan(0.95 * all.filter((q) => q.typo).length);
  });
});
