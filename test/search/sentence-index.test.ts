/**
 * The index reads sentences the way questions are read: every sentence is
 * indexed under the terms `tokenize` and `indexTerms` give its text, its
 * words count as names as the text writes them, and it holds the answer
 * types its text holds. Tried on generated text full of what tokenising has
 * rules for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/article.js';
import { indexTerms, stem, tokenize } from '../../src/search/analyze.js';
import { ANSWER_FLAGS, sentenceAnswerFlags } from '../../src/search/answer-types.js';
import { AnalysisCache, SentenceIndex } from '../../src/search/sentence-index.js';
import { article } from '../helpers/articles.js';
import { textPiece } from '../helpers/text-pieces.js';

/** An article whose sentences are exactly `texts`. */
function articleOf(texts: readonly string[], title = 'Generated'): Article {
  const base = article(title, {}, texts.length, 0);
  return { ...base, sentences: base.sentences.map((s, i) => ({ ...s, text: texts[i] as string })) };
}

/** What the index must hold for these sentences, found with the question-side analysis. */
function expected(texts: readonly string[], index: SentenceIndex) {
  const counts = new Map<string, { named: number; lower: number }>();
  const terms = texts.map((text) => {
    const tokens = tokenize(text);
    tokens.forEach((token, k) => {
      const count = counts.get(token.word) ?? { named: 0, lower: 0 };
      if (k > 0 && token.capitalized) count.named++;
      else count.lower++;
      counts.set(token.word, count);
    });
    return indexTerms(tokens).map((term) => index.termId(term));
  });
  const names = [...counts].map(([word, c]) => [word, c.named > c.lower] as const);
  return { terms, names, flags: texts.map((text) => sentenceAnswerFlags(text)) };
}

/** What the index holds for its sentences. */
function held(texts: readonly string[], index: SentenceIndex, words: readonly string[]) {
  return {
    terms: texts.map((_, d) => Array.from(index.termsOf(d))),
    names: words.map((word) => {
      const known = index.vocabulary.wordsWithStem(stem(word)).find((w) => w.word === word);
      return [word, known?.name ?? false] as const;
    }),
    flags: texts.map((_, d) =>
      // One kind at a time: a duration is a date or a number, not a flag of its own.
      [ANSWER_FLAGS.when, ANSWER_FLAGS.who, ANSWER_FLAGS.where, ANSWER_FLAGS.quantity].reduce(
        (flags, bit) => (index.hasAnswer(d, bit) ? flags | bit : flags),
        0,
      ),
    ),
  };
}

/** Checks that the index holds for its sentences what the question-side analysis finds in them. */
function expectReadAsQuestions(texts: readonly string[], index: SentenceIndex): void {
  const want = expected(texts, index);
  expect(
    held(
      texts,
      index,
      want.names.map(([word]) => word),
    ),
  ).toEqual(want);
}

const sentence = fc.array(textPiece, { maxLength: 24 }).map((pieces) => pieces.join(''));

describe('SentenceIndex', () => {
  it('indexes each sentence under the terms, names and answer types its text reads as', () => {
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 6 }), (texts) => {
        expectReadAsQuestions(texts, new SentenceIndex([articleOf(texts)]));
      }),
      { numRuns: 400 },
    );
  });

  it('reads many distinct words alike, and again in the next index over the same cache', () => {
    const words = Array.from(
      { length: 6000 },
      (_, i) => `w${i.toString(36)}x${'abcdefghij'.slice(0, i % 11)}`,
    );
    const texts = Array.from({ length: 60 }, (_, s) => words.slice(s * 100, s * 100 + 100).join(' '));
    const cache = new AnalysisCache();
    const first = new SentenceIndex([articleOf(texts)], {}, cache);
    // As after a load: what was read is forgotten, and a changed article is read anew.
    cache.forgetReadings();
    const again = new SentenceIndex([articleOf(texts, 'Again')], {}, cache);
    expectReadAsQuestions(texts, first);
    expectReadAsQuestions(texts, again);
  });
});
