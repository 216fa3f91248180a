/**
 * The index over every sentence: BM25 postings in compressed-row form (one
 * array of document ids and one of term frequencies for all terms), the
 * vocabulary for spelling correction, and per-sentence answer-type flags.
 *
 * Analysis (tokenising and stemming) is the costly part of a build, so it is
 * cached per article content: rebuilding after one file changes re-analyses
 * that file only and reassembles the postings from typed arrays, which is
 * cheap. A build can also run in slices (`SentenceIndex.build`), so a
 * process that answers questions keeps answering while the next index is
 * assembled beside the current one.
 */
import type { Article, Sentence } from '../knowledge/types.js';
import { indexTerms, type Reading, readText, readToken, stem, type Token } from './analyze.js';
import { sentenceAnswerFlags } from './answer-types.js';
import { resolveOptions, type SearchOptions } from './options.js';
import { Dictionary, Lexicon, runToEnd, Vocabulary } from './vocabulary.js';

/** Term ids of an article's sentences, and the words the vocabulary needs from it. */
export interface ArticleAnalysis {
  /** Term ids of all sentences, concatenated. */
  termIds: Uint32Array;
  /** Sentence i's terms are termIds[offsets[i] .. offsets[i + 1]). */
  offsets: Uint32Array;
  flags: Uint8Array;
  /** Distinct words (word ids), with how often each is written as a name (`named`) or not (`lower`). */
  words: Uint32Array;
  named: Counts;
  lower: Counts;
}

/** Occurrence counts: 16 bits each unless an article repeats a word more often than that. */
type Counts = Uint16Array | Uint32Array;

function counts(values: Uint32Array): Counts {
  return values.every((v) => v <= 0xffff) ? Uint16Array.from(values) : values;
}

/** What indexing needs of one token: its term ids and its word's id. */
interface TokenEntry {
  terms: readonly number[];
  word: number;
}

/** A raw token's reading with the ids indexing needs, for both ways it can read. */
interface IndexedReading extends Reading {
  plainEntry: TokenEntry;
  shoutedEntry: TokenEntry;
}

/** Readings kept past this many are dropped, like the analyser's own caches. */
const READING_CACHE_LIMIT = 200_000;
const HOT_READINGS = 2048;

/**
 * Term and word ids, and per-article analyses, that survive rebuilds. Pass
 * the same cache to successive builds (hot reload) so unchanged articles are
 * not analysed again.
 */
export class AnalysisCache {
  readonly terms = new Dictionary();
  /** Every word seen, with its stem: word ids are positions in it. */
  readonly lexicon = new Lexicon();
  private readonly articles = new Map<string, ArticleAnalysis>();
  // One lookup per token gives all its ids: the reading of its raw text with the ids attached.
  private readonly readings = new Map<string, IndexedReading | null>();
  // The words seen twice first, which by Zipf's law are most of the text: a table small enough to stay in the processor's cache.
  private readonly hot = new Map<string, IndexedReading | null>();
  // Multi-word names, which join several raw tokens into one.
  private readonly joined = new Map<Token, TokenEntry>();
  // Per word id: occurrences in the article being analysed. Zeroed after each article.
  private named: Uint32Array = new Uint32Array(1024);
  private lower: Uint32Array = new Uint32Array(1024);

  /** The analysis of an article, from the cache when its content is unchanged. */
  analyse(article: Article): ArticleAnalysis {
    const key = analysisKey(article);
    let analysis = this.articles.get(key);
    if (!analysis) {
      analysis = this.analyseArticle(article);
      this.articles.set(key, analysis);
    }
    return analysis;
  }

  /** The id of a word, recording its stem when the word is new. */
  private wordId(word: string, wordStem: string): number {
    const id = this.lexicon.idOf(word, wordStem);
    if (id >= this.named.length) {
      this.named = grow(this.named);
      this.lower = grow(this.lower);
    }
    return id;
  }

  /**
   * Forgets the readings of raw tokens, which only speed up analysing many
   * articles: after a full load they would hold on to every word's spelling
   * for the few articles a reload re-analyses.
   */
  forgetReadings(): void {
    this.readings.clear();
    this.hot.clear();
    this.joined.clear();
  }

  /** Drops analyses of articles no longer in `keep`, so edits do not accumulate memory. */
  retain(keep: readonly Article[]): void {
    const live = new Set(keep.map(analysisKey));
    for (const key of this.articles.keys()) if (!live.has(key)) this.articles.delete(key);
  }

  private readonly read = (raw: string): IndexedReading | null => {
    let reading = this.hot.get(raw);
    if (reading !== undefined) return reading;
    reading = this.readings.get(raw);
    if (reading !== undefined) {
      if (this.hot.size < HOT_READINGS) this.hot.set(raw, reading);
    } else {
      const fresh = readToken(raw);
      reading = fresh && {
        plain: fresh.plain,
        shouted: fresh.shouted,
        startsPhrase: fresh.startsPhrase,
        plainEntry: this.entryOf(fresh.plain),
        shoutedEntry: this.entryOf(fresh.shouted),
      };
      if (this.readings.size >= READING_CACHE_LIMIT) {
        this.readings.clear();
        this.hot.clear();
      }
      this.readings.set(raw, reading);
    }
    return reading;
  };

  private entryOf(token: Token): TokenEntry {
    const word = this.lexicon.get(token.word) ?? this.wordId(token.word, stem(token.word));
    return { terms: indexTerms([token]).map((t) => this.terms.idOf(t)), word };
  }

  private entry(token: Token, reading: IndexedReading | null): TokenEntry {
    if (reading) return token === reading.plain ? reading.plainEntry : reading.shoutedEntry;
    let entry = this.joined.get(token);
    if (!entry) {
      entry = this.entryOf(token);
      this.joined.set(token, entry);
    }
    return entry;
  }

  private analyseArticle(article: Article): ArticleAnalysis {
    const { sentences } = article;
    const ids: number[] = [];
    const offsets = new Uint32Array(sentences.length + 1);
    const flags = new Uint8Array(sentences.length);
    const seen: number[] = [];
    for (let i = 0; i < sentences.length; i++) {
      const text = (sentences[i] as Sentence).text;
      const { tokens, readings } = readText(text, this.read);
      // Read after the readings: reading a new word may have grown the counters.
      const { named, lower } = this;
      for (let k = 0; k < tokens.length; k++) {
        const token = tokens[k] as Token;
        const { terms, word } = this.entry(token, readings[k] ?? null);
        for (let t = 0; t < terms.length; t++) ids.push(terms[t] as number);
        if (named[word] === 0 && lower[word] === 0) seen.push(word);
        // The first word of a sentence is capitalised whatever it is, so it says nothing.
        if (k > 0 && token.capitalized) named[word] = (named[word] as number) + 1;
        else lower[word] = (lower[word] as number) + 1;
      }
      offsets[i + 1] = ids.length;
      flags[i] = sentenceAnswerFlags(text);
    }
    const { named, lower } = this;
    const words = Uint32Array.from(seen);
    const analysis = {
      termIds: Uint32Array.from(ids),
      offsets,
      flags,
      words,
      named: counts(words.map((w) => named[w] as number)),
      lower: counts(words.map((w) => lower[w] as number)),
    };
    for (const w of seen) named[w] = lower[w] = 0;
    return analysis;
  }
}

function analysisKey(article: Article): string {
  return `${article.slug}\u0000${article.hash}\u0000${article.sentences.length}`;
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Everything a build computes; a `SentenceIndex` is a view over it. */
interface IndexData {
  sentences: Sentence[];
  analyses: ArticleAnalysis[];
  /** Per document: the position of its article in `analyses`. */
  docArticle: Uint32Array;
  /** Per article: its first document. */
  firstDoc: Uint32Array;
  flags: Uint8Array;
  lengths: Uint16Array;
  averageLength: number;
  postingStarts: Uint32Array;
  postingDocs: Uint32Array;
  postingFreqs: Uint8Array;
  maxImpact: Float64Array;
  vocabulary: Vocabulary;
}

/** Documents handled between two pauses of a sliced build. */
const DOCS_PER_STEP = 4096;

/**
 * The build, as steps: it yields between slices of work so that
 * `SentenceIndex.build` can pause it, while the constructor runs it through.
 */
function* buildSteps(
  articles: readonly Article[],
  options: SearchOptions,
  cache: AnalysisCache,
): Generator<void, IndexData> {
  const analyses: ArticleAnalysis[] = [];
  for (const article of articles) {
    analyses.push(cache.analyse(article));
    yield;
  }
  cache.retain(articles);
  const total = articles.reduce((n, a) => n + a.sentences.length, 0);
  const sentences: Sentence[] = new Array(total);
  const docArticle = new Uint32Array(total);
  const firstDoc = new Uint32Array(articles.length);
  const flags = new Uint8Array(total);
  const lengths = new Uint16Array(total);
  let doc = 0;
  let lengthSum = 0;
  articles.forEach((article, a) => {
    const analysis = analyses[a] as ArticleAnalysis;
    firstDoc[a] = doc;
    article.sentences.forEach((sentence, i) => {
      const length = (analysis.offsets[i + 1] as number) - (analysis.offsets[i] as number);
      sentences[doc] = sentence;
      docArticle[doc] = a;
      flags[doc] = analysis.flags[i] ?? 0;
      lengths[doc] = Math.min(length, 65535);
      lengthSum += length;
      doc++;
    });
  });
  yield;

  // Document frequencies, then prefix sums give each term its slice of the postings.
  const termCount = cache.terms.size;
  const df = new Uint32Array(termCount);
  const lastDoc = new Int32Array(termCount).fill(-1);
  const forEachTerm = (fn: (term: number, d: number) => void) =>
    function* () {
      for (let a = 0; a < analyses.length; a++) {
        const { termIds, offsets } = analyses[a] as ArticleAnalysis;
        const first = firstDoc[a] as number;
        for (let i = 0; i + 1 < offsets.length; i++) {
          const d = first + i;
          for (let p = offsets[i] as number; p < (offsets[i + 1] as number); p++) fn(termIds[p] as number, d);
        }
        if (a % 64 === 63) yield;
      }
    };
  yield* forEachTerm((term, d) => {
    if (lastDoc[term] !== d) {
      lastDoc[term] = d;
      df[term] = (df[term] as number) + 1;
    }
  })();
  const postingStarts = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) postingStarts[t + 1] = (postingStarts[t] as number) + (df[t] as number);
  const size = postingStarts[termCount] as number;
  const postingDocs = new Uint32Array(size);
  const postingFreqs = new Uint8Array(size);
  // Each term's postings are filled in document order; a repeat within a document adds to its count.
  const next = postingStarts.slice(0, termCount);
  lastDoc.fill(-1);
  yield* forEachTerm((term, d) => {
    if (lastDoc[term] !== d) {
      lastDoc[term] = d;
      const at = next[term] as number;
      postingDocs[at] = d;
      postingFreqs[at] = 1;
      next[term] = at + 1;
    } else {
      const at = (next[term] as number) - 1;
      postingFreqs[at] = Math.min((postingFreqs[at] as number) + 1, 255);
    }
  })();

  // Per term: its largest BM25 term-frequency factor, the most one posting can add before weights.
  const { k1, b } = options;
  const averageLength = total ? lengthSum / total : 1;
  const maxImpact = new Float64Array(termCount);
  for (let t = 0; t < termCount; t++) {
    let max = 0;
    for (let p = postingStarts[t] as number; p < (postingStarts[t + 1] as number); p++) {
      const tf = postingFreqs[p] as number;
      const norm = 1 - b + (b * (lengths[postingDocs[p] as number] as number)) / averageLength;
      max = Math.max(max, (tf * (k1 + 1)) / (tf + k1 * norm));
    }
    maxImpact[t] = max;
    if (t % DOCS_PER_STEP === 0) yield;
  }

  // Per word: how often the articles write it as a name, and otherwise.
  const named = new Uint32Array(cache.lexicon.size);
  const lower = new Uint32Array(cache.lexicon.size);
  for (const analysis of analyses) {
    analysis.words.forEach((w, k) => {
      named[w] = (named[w] as number) + (analysis.named[k] as number);
      lower[w] = (lower[w] as number) + (analysis.lower[k] as number);
    });
  }
  yield* cache.lexicon.catchUp();
  const vocabulary = new Vocabulary(options.fuzzyThreshold, cache.lexicon, named, lower);
  return {
    sentences,
    analyses,
    docArticle,
    firstDoc,
    flags,
    lengths,
    averageLength,
    postingStarts,
    postingDocs,
    postingFreqs,
    maxImpact,
    vocabulary,
  };
}

/** Yields to the event loop, so queries waiting for it are answered. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A built, immutable index. Queries never see a half-built one: a rebuild makes a new object. */
export class SentenceIndex {
  readonly options: SearchOptions;
  readonly articles: readonly Article[];
  /** Every sentence; a sentence's position is its document id. */
  readonly sentences: readonly Sentence[];
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
  /** Per term id: the largest BM25 term-frequency factor among its postings (a bound for pruning). */
  readonly maxImpact: Float64Array;
  private readonly cache: AnalysisCache;
  private readonly data: IndexData;

  /**
   * Builds the index at once. `data` is for `SentenceIndex.build`, which
   * computes it in slices.
   */
  constructor(
    articles: readonly Article[],
    options: Partial<SearchOptions> = {},
    cache = new AnalysisCache(),
    data?: IndexData,
  ) {
    this.options = resolveOptions(options);
    this.articles = articles;
    this.cache = cache;
    this.data = data ?? runToEnd(buildSteps(articles, this.options, cache));
    ({
      sentences: this.sentences,
      vocabulary: this.vocabulary,
      flags: this.flags,
      lengths: this.lengths,
      averageLength: this.averageLength,
      postingStarts: this.postingStarts,
      postingDocs: this.postingDocs,
      postingFreqs: this.postingFreqs,
      maxImpact: this.maxImpact,
    } = this.data);
  }

  /**
   * Builds an index without holding the event loop for more than about
   * `sliceMs` at a time, so questions keep being answered meanwhile.
   * Builds sharing a cache must not overlap.
   */
  static async build(
    articles: readonly Article[],
    options: Partial<SearchOptions> = {},
    cache = new AnalysisCache(),
    sliceMs = 8,
  ): Promise<SentenceIndex> {
    const resolved = resolveOptions(options);
    const steps = buildSteps(articles, resolved, cache);
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return new SentenceIndex(articles, resolved, cache, step.value);
      if (performance.now() - sliceStart >= sliceMs) {
        await pause();
        sliceStart = performance.now();
      }
    }
  }

  /** The term ids of a document, in order (with repeats). */
  termsOf(doc: number): Uint32Array {
    const article = this.data.docArticle[doc];
    const analysis = article === undefined ? undefined : this.data.analyses[article];
    if (article === undefined || !analysis) return new Uint32Array(0);
    const local = doc - (this.data.firstDoc[article] as number);
    return analysis.termIds.subarray(analysis.offsets[local], analysis.offsets[local + 1]);
  }

  /** The id of an indexed term, or undefined when no sentence has it. */
  termId(term: string): number | undefined {
    const id = this.cache.terms.get(term);
    return id !== undefined && this.documentFrequency(id) > 0 ? id : undefined;
  }

  /** How many sentences contain a term. */
  documentFrequency(termId: number): number {
    // Terms first seen after this index was built (the cache is shared) have no postings here.
    if (termId + 1 >= this.postingStarts.length) return 0;
    return (this.postingStarts[termId + 1] as number) - (this.postingStarts[termId] as number);
  }

  /** BM25 inverse document frequency of a term with this document frequency. */
  idf(documentFrequency: number): number {
    const n = this.sentences.length;
    return Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }
}
