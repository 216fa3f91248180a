/**
 * The index over every sentence: BM25 postings in compressed-row form (one
 * array of document ids and one of term frequencies for all terms), the
 * vocabulary for spelling correction, and per-sentence answer-type flags.
 *
 * Analysis (tokenising and stemming) is the costly part of a build, so it is
 * cached per article content: rebuilding after one file changes re-analyses
 * that file only and reassembles the postings, which is cheap.
 */
import type { Article, Sentence } from '../knowledge/types.js';
import { indexTerms, stem, tokenize } from './analyze.js';
import { sentenceAnswerFlags } from './answer-types.js';
import { resolveOptions, type SearchOptions } from './options.js';
import { Vocabulary } from './vocabulary.js';

/** Term ids of an article's sentences, and what the vocabulary needs from it. */
interface ArticleAnalysis {
  /** Term ids of all sentences, concatenated. */
  termIds: Uint32Array;
  /** Sentence i's terms are termIds[offsets[i] .. offsets[i + 1]). */
  offsets: Uint32Array;
  flags: Uint8Array;
  /** Distinct words with their stem and how often each is written as a name or not. */
  words: Map<string, { stem: string; named: number; lower: number }>;
}

/**
 * Term ids and per-article analyses that survive rebuilds. Pass the same
 * cache to successive builds (hot reload) so unchanged articles are not
 * analysed again.
 */
export class AnalysisCache {
  readonly termIds = new Map<string, number>();
  readonly articles = new Map<string, ArticleAnalysis>();

  /** The id of a term, allocating one for a new term. */
  idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
    }
    return id;
  }

  /** The analysis of an article, from the cache when its content is unchanged. */
  analyse(article: Article): ArticleAnalysis {
    const key = `${article.slug}\u0000${article.hash}\u0000${article.sentences.length}`;
    let analysis = this.articles.get(key);
    if (!analysis) {
      analysis = analyseArticle(article, this);
      this.articles.set(key, analysis);
    }
    return analysis;
  }

  /** Drops analyses of articles no longer in `keep`, so edits do not accumulate memory. */
  retain(keep: readonly Article[]): void {
    const live = new Set(keep.map((a) => `${a.slug}\u0000${a.hash}\u0000${a.sentences.length}`));
    for (const key of this.articles.keys()) if (!live.has(key)) this.articles.delete(key);
  }
}

function analyseArticle(article: Article, cache: AnalysisCache): ArticleAnalysis {
  const ids: number[] = [];
  const offsets = new Uint32Array(article.sentences.length + 1);
  const flags = new Uint8Array(article.sentences.length);
  const words = new Map<string, { stem: string; named: number; lower: number }>();
  article.sentences.forEach((sentence, i) => {
    const tokens = tokenize(sentence.text);
    for (const term of indexTerms(tokens)) ids.push(cache.idOf(term));
    offsets[i + 1] = ids.length;
    flags[i] = sentenceAnswerFlags(sentence.text);
    tokens.forEach((token, k) => {
      let entry = words.get(token.word);
      if (!entry) {
        entry = { stem: stem(token.word), named: 0, lower: 0 };
        words.set(token.word, entry);
      }
      // The first word of a sentence is capitalised whatever it is, so it says nothing.
      if (k > 0 && token.capitalized) entry.named++;
      else entry.lower++;
    });
  });
  return { termIds: Uint32Array.from(ids), offsets, flags, words };
}

/** A built, immutable index. Queries never see a half-built one: a rebuild makes a new object. */
export class SentenceIndex {
  readonly options: SearchOptions;
  readonly articles: readonly Article[];
  /** Every sentence; a sentence's position is its document id. */
  readonly sentences: Sentence[] = [];
  readonly vocabulary: Vocabulary;
  /** Per document: answer-type flags. */
  readonly flags: Uint8Array;
  /** Per document: number of terms. */
  readonly lengths: Uint16Array;
  readonly averageLength: number;
  /** Per term id: where its postings start in `postingDocs` (length: terms + 1). */
  readonly postingStarts: Uint32Array;
  readonly postingDocs: Uint32Array;
  readonly postingFreqs: Uint8Array;
  private readonly cache: AnalysisCache;
  private readonly docTerms: { analysis: ArticleAnalysis; local: number }[] = [];

  constructor(
    articles: readonly Article[],
    options: Partial<SearchOptions> = {},
    cache = new AnalysisCache(),
  ) {
    this.options = resolveOptions(options);
    this.articles = articles;
    this.cache = cache;
    this.vocabulary = new Vocabulary(this.options.fuzzyThreshold);
    const analyses = articles.map((a) => cache.analyse(a));
    cache.retain(articles);
    const total = articles.reduce((n, a) => n + a.sentences.length, 0);
    this.flags = new Uint8Array(total);
    this.lengths = new Uint16Array(total);
    const termCount = cache.termIds.size;
    const df = new Uint32Array(termCount + 1);
    let doc = 0;
    let lengthSum = 0;
    articles.forEach((article, a) => {
      const analysis = analyses[a] as ArticleAnalysis;
      for (const [word, info] of analysis.words) this.vocabulary.add(word, info.stem, info.named, info.lower);
      article.sentences.forEach((sentence, i) => {
        this.sentences.push(sentence);
        this.docTerms.push({ analysis, local: i });
        const terms = this.termsOf(doc);
        this.flags[doc] = analysis.flags[i] ?? 0;
        this.lengths[doc] = Math.min(terms.length, 65535);
        lengthSum += terms.length;
        forEachDistinct(terms, (term) => {
          df[term] = (df[term] ?? 0) + 1;
        });
        doc++;
      });
    });
    this.averageLength = total ? lengthSum / total : 1;
    // Prefix sums give each term its slice; a second pass fills the slices.
    this.postingStarts = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++)
      this.postingStarts[t + 1] = (this.postingStarts[t] ?? 0) + (df[t] ?? 0);
    const size = this.postingStarts[termCount] ?? 0;
    this.postingDocs = new Uint32Array(size);
    this.postingFreqs = new Uint8Array(size);
    const fill = this.postingStarts.slice(0, termCount);
    for (let d = 0; d < total; d++) {
      forEachDistinct(this.termsOf(d), (term, count) => {
        const at = fill[term] ?? 0;
        this.postingDocs[at] = d;
        this.postingFreqs[at] = Math.min(count, 255);
        fill[term] = at + 1;
      });
    }
  }

  /** The term ids of a document, in order (with repeats). */
  termsOf(doc: number): Uint32Array {
    const ref = this.docTerms[doc];
    if (!ref) return new Uint32Array(0);
    return ref.analysis.termIds.subarray(
      ref.analysis.offsets[ref.local],
      ref.analysis.offsets[ref.local + 1],
    );
  }

  /** The id of an indexed term, or undefined when no sentence has it. */
  termId(term: string): number | undefined {
    const id = this.cache.termIds.get(term);
    return id !== undefined && this.documentFrequency(id) > 0 ? id : undefined;
  }

  /** How many sentences contain a term. */
  documentFrequency(termId: number): number {
    return (this.postingStarts[termId + 1] ?? 0) - (this.postingStarts[termId] ?? 0);
  }

  /** BM25 inverse document frequency of a term with this document frequency. */
  idf(documentFrequency: number): number {
    const n = this.sentences.length;
    return Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }
}

/** Calls `fn` once per distinct term with its count. Sentences are short, so a sorted copy is cheapest. */
function forEachDistinct(terms: Uint32Array, fn: (term: number, count: number) => void): void {
  const sorted = Uint32Array.from(terms).sort();
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    fn(sorted[i] as number, j - i);
    i = j;
  }
}
