/** Small in-memory articles and facts for rendering tests. */
import type { Article, Sentence } from '../../src/article.js';
import type { Fact, FactSource } from '../../src/search/types.js';

/** An article with `sentences` sentences, the first `keyPoints` of them its key points. */
export function article(
  title: string,
  overrides: Partial<Article> = {},
  sentences = 3,
  keyPoints = 2,
): Article {
  const sentence = (i: number): Sentence => ({
    text: `${title}: sentence ${i}.`,
    title,
    section: i < keyPoints ? 'Key points' : 'Report',
    file: `knowledge/${title}.md`,
    line: i + 1,
    paragraph: i,
    url: overrides.url ?? null,
    published: overrides.published ?? null,
    kind: 'news',
  });
  const all = Array.from({ length: sentences }, (_, i) => sentence(i));
  return {
    slug: title.toLowerCase().replace(/\W+/g, '-'),
    title,
    file: `knowledge/${title}.md`,
    url: null,
    published: null,
    source: null,
    kind: 'news',
    aliases: [],
    sections: ['Key points', 'Report'],
    sentences: all,
    keyPoints: all.slice(0, keyPoints),
    hash: '0000',
    ...overrides,
  };
}

/** A source of a fact. */
export function source(overrides: Partial<FactSource> = {}): FactSource {
  return {
    title: 'Talks in Istanbul',
    section: 'Delegations',
    file: 'knowledge/talks.md',
    line: 12,
    url: null,
    kind: 'news',
    published: null,
    ...overrides,
  };
}

/** A fact with the given sources (one plain source by default). */
export function fact(text: string, sources: FactSource[] = [source()]): Fact {
  return { text, score: 0.9, context: null, sources };
}
