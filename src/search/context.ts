/**
 * A sentence read with its paragraph, section and article title. Writers do
 * not repeat the subject in every sentence: in a paragraph about a match,
 * "The game was played at Levi's Stadium" answers "Where was Super Bowl 50
 * played?" though the sentence never names it. So a question word the
 * sentence lacks but its paragraph, section heading or title has still
 * counts, for part of its weight, and a sentence ranks higher in a
 * paragraph that matches the question well.
 */
import type { Sentence } from '../article.js';
import { stem, tokenize } from './analyze.js';
import type { Query } from './query.js';
import type { SentenceIndex } from './sentence-index.js';

/** Which question word each alternative of a query answers, and how fully. */
export class QueryMatcher {
  /** Per question word: its weight. */
  readonly weights: Float64Array;
  /** The sum of the question words' weights. */
  readonly total: number;
  private readonly byTerm = new Map<number, { word: number; weight: number }>();

  constructor(query: Query) {
    this.weights = Float64Array.from(query.terms, (t) => t.weight);
    this.total = this.weights.reduce((sum, w) => sum + w, 0);
    query.terms.forEach((term, word) => {
      for (const alt of term.alternatives) {
        const held = this.byTerm.get(alt.termId);
        if (!held || alt.weight > held.weight) this.byTerm.set(alt.termId, { word, weight: alt.weight });
      }
    });
  }

  /** Raises `into[word]` to the best match of each question word among `terms`. */
  match(terms: ArrayLike<number>, into: Float64Array): void {
    for (let i = 0; i < terms.length; i++) {
      const hit = this.byTerm.get(terms[i] as number);
      if (hit && hit.weight > (into[hit.word] as number)) into[hit.word] = hit.weight;
    }
  }

  /** The question word a term answers, or -1. */
  wordOf(term: number): number {
    return this.byTerm.get(term)?.word ?? -1;
  }

  /** Adds to `into[word]` each match of a question word among `terms`, by its weight (a weighted count). */
  count(terms: ArrayLike<number>, into: Float64Array): void {
    for (let i = 0; i < terms.length; i++) {
      const hit = this.byTerm.get(terms[i] as number);
      if (hit) into[hit.word] = (into[hit.word] as number) + hit.weight;
    }
  }
}

/** What reading a sentence in its context found. */
export interface InContext {
  /** The weight of the question it matches, itself or (for part of the weight) through its context. */
  cover: number;
  /** How well its paragraph as a whole matches the question (BM25 over the paragraph). */
  paragraph: number;
  /** The weight of the question's word pairs it has in the question's order, as a share of the question's. */
  phrases: number;
}

/** What a paragraph offers each sentence in it: the question words it has, and how well it matches. */
interface ParagraphMatch {
  /** Per question word: its best match in the paragraph, its section heading or its article's title. */
  around: Float64Array;
  /** BM25 of the paragraph read as one document. */
  score: number;
}

/** Reads sentences in context for one question; what a paragraph offers is read once for all its sentences. */
export class ContextReader {
  private readonly paragraphs = new Map<number, ParagraphMatch>();
  private readonly own: Float64Array;

  constructor(
    private readonly index: SentenceIndex,
    private readonly matcher: QueryMatcher,
  ) {
    this.own = new Float64Array(matcher.weights.length);
  }

  /** Reads one sentence (document) in its context. */
  read(doc: number): InContext {
    const { index, matcher, own } = this;
    const { contextShare } = index.options;
    own.fill(0);
    const terms = index.termsOf(doc);
    matcher.match(terms, own);
    let pairs = 0;
    for (let i = 1, previous = matcher.wordOf(terms[0] as number); i < terms.length; i++) {
      const word = matcher.wordOf(terms[i] as number);
      if (word > 0 && word === previous + 1)
        pairs += Math.min(matcher.weights[word] as number, matcher.weights[previous] as number);
      previous = word;
    }
    const paragraph = this.paragraph(doc);
    let cover = 0;
    // The paragraph's matches include the sentence's own, which count in full: a context match only adds
    // where it is better than the sentence's own at its share.
    for (let w = 0; w < own.length; w++) {
      cover +=
        (matcher.weights[w] as number) *
        Math.max(own[w] as number, contextShare * (paragraph.around[w] as number));
    }
    return {
      cover,
      paragraph: paragraph.score,
      phrases: matcher.total > 0 ? pairs / matcher.total : 0,
    };
  }

  /** What the paragraph of a document offers, read once per question. */
  private paragraph(doc: number): ParagraphMatch {
    const { index, matcher } = this;
    const p = index.paragraphOf[doc] as number;
    let match = this.paragraphs.get(p);
    if (match) return match;
    const from = index.paragraphStarts[p] as number;
    const to = index.paragraphStarts[p + 1] as number;
    const around = new Float64Array(matcher.weights.length);
    const counts = new Float64Array(matcher.weights.length);
    let length = 0;
    for (let d = from; d < to; d++) {
      const terms = index.termsOf(d);
      length += terms.length;
      matcher.match(terms, around);
      matcher.count(terms, counts);
    }
    const sentence = index.sentences[doc] as Sentence;
    matcher.match(index.termsOfText(sentence.title), around);
    if (sentence.section) matcher.match(index.termsOfText(sentence.section), around);
    const { k1, b } = index.options;
    const norm = 1 - b + (b * length) / index.averageParagraphLength;
    let score = 0;
    for (let w = 0; w < counts.length; w++) {
      const tf = counts[w] as number;
      if (tf > 0) score += ((matcher.weights[w] as number) * (tf * (k1 + 1))) / (tf + k1 * norm);
    }
    match = { around, score };
    this.paragraphs.set(p, match);
    return match;
  }
}

/** Words that, opening a sentence, stand for something the sentence before named. */
const BACK_REFERENCES = new Set([
  'he',
  'she',
  'it',
  'they',
  'this',
  'these',
  'those',
  'his',
  'her',
  'its',
  'their',
  'such',
  'both',
]);

/** Words that may come before the opening word without changing what it refers to ("However, he…"). */
const CONNECTIVES = new Set([
  'however',
  'but',
  'and',
  'also',
  'still',
  'yet',
  'meanwhile',
  'instead',
  'nevertheless',
  'moreover',
  'furthermore',
  'then',
  'later',
  'so',
]);

/** A sentence's first word after any connectives, as written. */
const OPENING = new RegExp(`^\\W*(?:(?:${[...CONNECTIVES].join('|')})\\b\\W*)*(\\p{L}+)`, 'iu');

/**
 * Whether a sentence leans on the one before it, so that it reads right
 * only after it: it opens with a word that refers back (He, They, This…),
 * or with "The" and a word the sentence before has ("The game was played…"
 * after a sentence about a football game).
 */
export function leansOn(previous: string, text: string): boolean {
  // Most sentences open with neither: read no further.
  const opening = OPENING.exec(text)?.[1]?.toLowerCase();
  if (!opening || (opening !== 'the' && !BACK_REFERENCES.has(opening))) return false;
  const tokens = tokenize(text);
  let i = 0;
  while (i < tokens.length - 1 && CONNECTIVES.has(tokens[i]?.word ?? '')) i++;
  const first = tokens[i];
  if (!first) return false;
  if (BACK_REFERENCES.has(first.word)) return true;
  const next = tokens[i + 1];
  if (first.word !== 'the' || !next || next.capitalized || next.acronym) return false;
  const key = stem(next.word);
  return tokenize(previous).some((t) => stem(t.word) === key);
}
