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
import type { Article, Sentence } from '../article.js';
import {
  forgetStems,
  indexTerms,
  MAX_PHRASE_WORDS,
  type Phrase,
  phraseAt,
  RawTokenTable,
  readToken,
  stem,
  type Token,
  tokenize,
} from './analyze.js';
import { sentenceAnswerFlags, tokenAnswerFlags } from './answer-types.js';
import { resolveOptions, type SearchOptions } from './options.js';
import { grown } from './typed-array.js';
import { Dictionary, Lexicon, runToEnd, Vocabulary } from './vocabulary.js';

/** Term ids of an article's sentences, and the words the vocabulary needs from it. */
export interface ArticleAnalysis {
  /**
   * Where each sentence's terms start, then the term ids of all sentences:
   * sentence i's are terms[terms[i] .. terms[i + 1]). One array rather than
   * two, as an index holds one analysis per article.
   */
  terms: Uint32Array;
  flags: Uint8Array;
  /**
   * The article's distinct words: per word, its id, how often it is written
   * as a name, and how often not, as variable-length numbers (see `VarintWriter`).
   */
  words: Uint8Array;
}

/**
 * Unsigned integers in 7-bit groups, low first, the high bit marking that
 * more follow: most word ids take two or three bytes, most counts one.
 */
class VarintWriter {
  bytes = new Uint8Array(1024);
  length = 0;

  write(value: number): void {
    if (this.length + 5 > this.bytes.length) this.bytes = grown(this.bytes, this.bytes.length * 2);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }
}

/** Reads, in order, the numbers `VarintWriter` wrote. */
class VarintReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  next(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const byte = this.bytes[this.at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  }
}

/** What indexing needs of one token: its term ids and its word's id. */
interface TokenEntry {
  terms: readonly number[];
  word: number;
}

/** Raw tokens read past this many are forgotten, like the analyser's own caches. */
const READING_CACHE_LIMIT = 200_000;

// A raw token's bits: written capitalised; may begin a multi-word name; then the answer-type flags it gives.
const CAPITALIZED = 1;
const STARTS_PHRASE = 2;
const ANSWER_SHIFT = 2;

/** Fields of a raw token's record. */
const WORD = 0;
const BITS = 1;
const PLAIN_TERMS = 2;
const SHOUTED_TERMS = 3;
const RECORD = 4;

/**
 * What indexing needs of each raw token, by raw id, in one flat array, so
 * that a token's lookup touches one place: its word id (-1 when it does not
 * read as a word), its bits, and its terms in ordinary text and in text
 * written in capitals. Terms are kept as one number: the term id when there
 * is one term, -1 when there is none, and otherwise -2 - the position in
 * `lists` of the count followed by the term ids.
 */
class RawEntries {
  records = new Int32Array(RECORD * 4096);
  lists = new Int32Array(1024);
  private listsLength = 0;

  /** Records raw id `id`, the next one. */
  add(id: number, word: number, bits: number, plain: readonly number[], shouted: readonly number[]): void {
    if (RECORD * (id + 1) > this.records.length) this.records = grown(this.records, this.records.length * 2);
    const at = RECORD * id;
    this.records[at + WORD] = word;
    this.records[at + BITS] = bits;
    this.records[at + PLAIN_TERMS] = this.terms(plain);
    this.records[at + SHOUTED_TERMS] = this.terms(shouted);
  }

  private terms(terms: readonly number[]): number {
    if (terms.length <= 1) return terms[0] ?? -1;
    const at = this.listsLength;
    this.listsLength += 1 + terms.length;
    if (this.listsLength > this.lists.length) this.lists = grown(this.lists, this.listsLength * 2);
    this.lists[at] = terms.length;
    this.lists.set(terms, at + 1);
    return -2 - at;
  }
}

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
  // Raw tokens by id, and what each gives the index: a token already seen is neither read nor looked up again.
  private raws = new RawTokenTable();
  private entries = new RawEntries();
  // Multi-word names, which join several raw tokens into one.
  private readonly joined = new Map<Phrase, TokenEntry>();
  // Scratch for the article being analysed, reused: per word id, occurrences as a name and not (zeroed after each
  // article); the words met; the term ids so far.
  private occurrences = new Uint32Array(2048);
  private readonly seen: number[] = [];
  private termIds = new Uint32Array(4096);
  private termCount = 0;
  private readonly words = new VarintWriter();

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
    if (2 * id + 1 >= this.occurrences.length)
      this.occurrences = grown(this.occurrences, this.occurrences.length * 2);
    return id;
  }

  /**
   * Forgets the raw tokens read and the stems found, which only speed up
   * analysing many articles: after a full load they would hold on to every
   * word's spelling for the few articles a reload re-analyses.
   */
  forgetReadings(): void {
    forgetStems();
    this.forgetRaws();
  }

  private forgetRaws(): void {
    this.raws = new RawTokenTable();
    this.entries = new RawEntries();
    this.joined.clear();
  }

  /** Drops analyses of articles no longer in `keep`, so edits do not accumulate memory. */
  retain(keep: readonly Article[]): void {
    const live = new Set(keep.map(analysisKey));
    for (const key of this.articles.keys()) if (!live.has(key)) this.articles.delete(key);
  }

  private entryOf(token: Token): TokenEntry {
    const word = this.lexicon.get(token.word) ?? this.wordId(token.word, stem(token.word));
    return { terms: indexTerms([token]).map((t) => this.terms.idOf(t)), word };
  }

  /** Reads the raw tokens the last scan met for the first time, in order. */
  private readFresh(): void {
    const { raws, entries } = this;
    let id = raws.size - raws.fresh.length;
    for (const raw of raws.fresh) {
      const reading = readToken(raw);
      const answers = tokenAnswerFlags(raw) << ANSWER_SHIFT;
      if (!reading) {
        entries.add(id++, -1, answers, [], []);
        continue;
      }
      const plain = this.entryOf(reading.plain);
      // Terms depend on the word, its parts and whether it is an acronym: in capitals, only an acronym reads otherwise.
      const shouted = reading.plain.acronym ? this.entryOf(reading.shouted) : plain;
      const bits =
        answers | (reading.plain.capitalized ? CAPITALIZED : 0) | (reading.startsPhrase ? STARTS_PHRASE : 0);
      entries.add(id++, plain.word, bits, plain.terms, shouted.terms);
    }
  }

  /** The entry of a multi-word name. */
  private phraseEntry(phrase: Phrase): TokenEntry {
    let entry = this.joined.get(phrase);
    if (!entry) {
      entry = this.entryOf(phrase.token);
      this.joined.set(phrase, entry);
    }
    return entry;
  }

  /** Adds one token's terms (encoded as in `RawEntries`) to the article's. */
  private addTerms(terms: number): void {
    if (this.termCount + 1 > this.termIds.length) this.termIds = grown(this.termIds, this.termIds.length * 2);
    if (terms >= 0) {
      this.termIds[this.termCount++] = terms;
    } else if (terms < -1) {
      const { lists } = this.entries;
      const at = -2 - terms;
      const length = lists[at] as number;
      if (this.termCount + length > this.termIds.length)
        this.termIds = grown(this.termIds, (this.termCount + length) * 2);
      this.termIds.set(lists.subarray(at + 1, at + 1 + length), this.termCount);
      this.termCount += length;
    }
  }

  /** Counts one occurrence of a word in the article: as a name, or not. */
  private count(word: number, asName: boolean): void {
    const { occurrences } = this;
    if (occurrences[2 * word] === 0 && occurrences[2 * word + 1] === 0) this.seen.push(word);
    occurrences[2 * word + (asName ? 0 : 1)] = (occurrences[2 * word + (asName ? 0 : 1)] as number) + 1;
  }

  /**
   * Adds a sentence's tokens (the last scan's) to the article's terms and
   * word counts, reading known multi-word names as one token as `tokenize`
   * does; returns the answer-type flags its tokens give on their own (see
   * `tokenAnswerFlags`). The first word of a sentence is capitalised
   * whatever it is, so it says nothing of whether the word is a name.
   */
  private addSentence(n: number): number {
    const { raws } = this;
    const { records } = this.entries;
    const { ids, shouting } = raws;
    const field = shouting ? SHOUTED_TERMS : PLAIN_TERMS;
    let bitsSeen = 0;
    // k: the token's place among those that read as words, once names are joined.
    for (let t = 0, k = 0; t < n; t++) {
      const at = RECORD * (ids[t] as number);
      const bits = records[at + BITS] as number;
      bitsSeen |= bits;
      const word = records[at + WORD] as number;
      if (word === -1) continue;
      if ((bits & STARTS_PHRASE) !== 0) {
        const end = this.addPhrase(t, n, k);
        if (end !== -1) {
          t = end;
          k++;
          continue;
        }
      }
      this.addTerms(records[at + field] as number);
      this.count(word, k > 0 && !shouting && (bits & CAPITALIZED) !== 0);
      k++;
    }
    return bitsSeen >> ANSWER_SHIFT;
  }

  /**
   * Adds the multi-word name that starts at the last scan's token `t`, the
   * `k`th that reads as a word, if one does; returns the position of its
   * last token, or -1.
   */
  private addPhrase(t: number, n: number, k: number): number {
    const { records } = this.entries;
    const lexiconWords = this.lexicon.words;
    const words: string[] = [];
    const ends: number[] = [];
    for (let u = t; u < n && words.length < MAX_PHRASE_WORDS; u++) {
      const word = records[RECORD * (this.raws.ids[u] as number) + WORD] as number;
      if (word === -1) continue;
      words.push(lexiconWords[word] as string);
      ends.push(u);
    }
    const phrase = phraseAt(words, 0);
    if (!phrase) return -1;
    const entry = this.phraseEntry(phrase);
    for (const term of entry.terms) this.addTerms(term);
    this.count(entry.word, k > 0 && phrase.token.capitalized);
    return ends[phrase.words.length - 1] as number;
  }

  private analyseArticle(article: Article): ArticleAnalysis {
    const { sentences } = article;
    const flags = new Uint8Array(sentences.length);
    // The first places hold where each sentence's terms start.
    this.termCount = sentences.length + 1;
    if (this.termCount > this.termIds.length) this.termIds = grown(this.termIds, this.termCount * 2);
    this.termIds[0] = this.termCount;
    for (let i = 0; i < sentences.length; i++) {
      const text = (sentences[i] as Sentence).text;
      // Bounded, so a stream of unique garbage words cannot grow memory without end.
      if (this.raws.size >= READING_CACHE_LIMIT) this.forgetRaws();
      const n = this.raws.scan(text);
      if (this.raws.fresh.length) this.readFresh();
      const known = this.addSentence(n);
      this.termIds[i + 1] = this.termCount;
      // What the tokens say holds unless an underscore joins one to its neighbour (see `tokenAnswerFlags`).
      // The patterns wait until a question asks (see `SentenceIndex.hasAnswer`): most sentences are never
      // candidates for a question with an answer type, and reading them all took a tenth of loading.
      flags[i] = known !== 0 && text.includes('_') ? 0 : known;
    }
    const { occurrences, seen, words } = this;
    words.length = 0;
    for (const w of seen) {
      words.write(w);
      words.write(occurrences[2 * w] as number);
      words.write(occurrences[2 * w + 1] as number);
      occurrences[2 * w] = occurrences[2 * w + 1] = 0;
    }
    seen.length = 0;
    return { terms: this.termIds.slice(0, this.termCount), flags, words: words.bytes.slice(0, words.length) };
  }
}

function analysisKey(article: Article): string {
  return `${article.slug}\u0000${article.hash}\u0000${article.sentences.length}`;
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
  /** Per document: its paragraph's number among all paragraphs. */
  paragraphOf: Uint32Array;
  /** Per paragraph: its first document; one more entry gives the end of the last. */
  paragraphStarts: Uint32Array;
  averageParagraphLength: number;
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
  const paragraphOf = new Uint32Array(total);
  const starts: number[] = [];
  let doc = 0;
  let lengthSum = 0;
  articles.forEach((article, a) => {
    const analysis = analyses[a] as ArticleAnalysis;
    firstDoc[a] = doc;
    article.sentences.forEach((sentence, i) => {
      const length = (analysis.terms[i + 1] as number) - (analysis.terms[i] as number);
      if (i === 0 || sentence.paragraph !== article.sentences[i - 1]?.paragraph) starts.push(doc);
      paragraphOf[doc] = starts.length - 1;
      sentences[doc] = sentence;
      docArticle[doc] = a;
      flags[doc] = (analysis.flags[i] ?? 0) | (sentence.kind === 'commentary' ? COMMENTARY_FLAG : 0);
      lengths[doc] = Math.min(length, 65535);
      lengthSum += length;
      doc++;
    });
  });
  starts.push(total);
  const paragraphStarts = Uint32Array.from(starts);
  yield;

  // Document frequencies, then prefix sums give each term its slice of the postings.
  const termCount = cache.terms.size;
  const df = new Uint32Array(termCount);
  const lastDoc = new Int32Array(termCount).fill(-1);
  // Each document's terms are terms[from .. to) of its article's analysis.
  const forEachDocument = (fn: (terms: Uint32Array, from: number, to: number, d: number) => void) =>
    function* () {
      for (let a = 0; a < analyses.length; a++) {
        const { terms, flags } = analyses[a] as ArticleAnalysis;
        const first = firstDoc[a] as number;
        for (let i = 0; i < flags.length; i++)
          fn(terms, terms[i] as number, terms[i + 1] as number, first + i);
        if (a % 64 === 63) yield;
      }
    };
  yield* forEachDocument((termIds, from, to, d) => {
    for (let p = from; p < to; p++) {
      const term = termIds[p] as number;
      if (lastDoc[term] !== d) {
        lastDoc[term] = d;
        df[term] = (df[term] as number) + 1;
      }
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
  yield* forEachDocument((termIds, from, to, d) => {
    for (let p = from; p < to; p++) {
      const term = termIds[p] as number;
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
    for (const numbers = new VarintReader(analysis.words); !numbers.done; ) {
      const w = numbers.next();
      named[w] = (named[w] as number) + numbers.next();
      lower[w] = (lower[w] as number) + numbers.next();
    }
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
    paragraphOf,
    paragraphStarts,
    averageParagraphLength: lengthSum / Math.max(1, starts.length - 1),
    postingStarts,
    postingDocs,
    postingFreqs,
    maxImpact,
    vocabulary,
  };
}

/**
 * A document flag beside the answer-type flags: the sentence is commentary.
 * Ranking reads it with the answer type, in the same byte, rather than
 * reaching into the sentence object for every candidate.
 */
export const COMMENTARY_FLAG = 128;

/** Titles and headings whose terms are kept at most (see `termsOfText`). */
const TEXT_TERMS_LIMIT = 10_000;

/** Yields to the event loop, so queries waiting for it are answered. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A built index. Queries never see a half-built one: a rebuild makes a new
 * object. Only answer-type flags are filled in later, on first use.
 */
export class SentenceIndex {
  readonly options: SearchOptions;
  readonly articles: readonly Article[];
  /** Every sentence; a sentence's position is its document id. */
  readonly sentences: readonly Sentence[];
  readonly vocabulary: Vocabulary;
  /**
   * Per document: the answer-type flags found so far (`hasAnswer` has the
   * rest), and `COMMENTARY_FLAG` for commentary.
   */
  readonly flags: Uint8Array;
  /** Per document: the answer types whose patterns found nothing in it. */
  private readonly checked: Uint8Array;
  /** Per document: number of terms. */
  readonly lengths: Uint16Array;
  readonly averageLength: number;
  /** Per document: its paragraph's number among all paragraphs. */
  readonly paragraphOf: Uint32Array;
  /** Per paragraph: its first document; the next entry is one past its last. */
  readonly paragraphStarts: Uint32Array;
  /** Average number of terms in a paragraph. */
  readonly averageParagraphLength: number;
  /** Per term id: where its postings start in `postingDocs` (length: terms + 1). */
  readonly postingStarts: Uint32Array;
  readonly postingDocs: Uint32Array;
  readonly postingFreqs: Uint8Array;
  /** Per term id: the largest BM25 term-frequency factor among its postings (a bound for pruning). */
  readonly maxImpact: Float64Array;
  private readonly cache: AnalysisCache;
  private readonly data: IndexData;
  private readonly textTerms = new Map<string, readonly number[]>();
  /** Per normalised word: the other spellings articles give for it (their `aliases`). */
  private readonly aliases = new Map<string, string[]>();

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
      paragraphOf: this.paragraphOf,
      paragraphStarts: this.paragraphStarts,
      averageParagraphLength: this.averageParagraphLength,
      postingStarts: this.postingStarts,
      postingDocs: this.postingDocs,
      postingFreqs: this.postingFreqs,
      maxImpact: this.maxImpact,
    } = this.data);
    this.checked = new Uint8Array(this.sentences.length);
    for (const article of articles) for (const group of article.aliases) this.addAliases(group);
  }

  /** Records a group of spellings of one name as equivalent. */
  private addAliases(group: readonly string[]): void {
    const words = [...new Set(group.flatMap((spelling) => tokenize(spelling).map((t) => t.word)))];
    for (const word of words) {
      const known = this.aliases.get(word) ?? [];
      for (const other of words) if (other !== word && !known.includes(other)) known.push(other);
      this.aliases.set(word, known);
    }
  }

  /** The other spellings the articles give for a normalised word (see `Article.aliases`). */
  aliasesOf(word: string): readonly string[] {
    return this.aliases.get(word) ?? [];
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

  /** The position in `articles` of a document's article. */
  articleOf(doc: number): number {
    return this.data.docArticle[doc] as number;
  }

  /** The term ids of a document, in order (with repeats). */
  termsOf(doc: number): Uint32Array {
    const article = this.data.docArticle[doc];
    const analysis = article === undefined ? undefined : this.data.analyses[article];
    if (article === undefined || !analysis) return new Uint32Array(0);
    const local = doc - (this.data.firstDoc[article] as number);
    return analysis.terms.subarray(analysis.terms[local], analysis.terms[local + 1]);
  }

  /**
   * The ids of the indexed terms of a short text that is not a sentence of
   * the index (a title, a heading), read as sentences are; cached, as the
   * same few titles and headings are asked for again and again.
   */
  termsOfText(text: string): readonly number[] {
    let ids = this.textTerms.get(text);
    if (!ids) {
      ids = indexTerms(tokenize(text)).flatMap((term) => {
        const id = this.termId(term);
        return id === undefined ? [] : [id];
      });
      if (this.textTerms.size >= TEXT_TERMS_LIMIT) this.textTerms.clear();
      this.textTerms.set(text, ids);
    }
    return ids;
  }

  /** The id of an indexed term, or undefined when no sentence has it. */
  termId(term: string): number | undefined {
    const id = this.cache.terms.get(term);
    return id !== undefined && this.documentFrequency(id) > 0 ? id : undefined;
  }

  /**
   * Whether a document holds an answer of a type in `wanted` (a value of
   * `ANSWER_FLAGS`). Its tokens may have said so at loading; otherwise the
   * type's pattern reads the sentence now, once: what it finds goes into
   * `flags`, and that it looked into `checked`.
   */
  hasAnswer(doc: number, wanted: number): boolean {
    const flags = this.flags[doc] as number;
    if ((flags & wanted) !== 0) return true;
    const checked = this.checked[doc] as number;
    // `wanted` may hold several types ("how long": a date or a number): only those not yet looked for are.
    const unchecked = wanted & ~checked;
    if (unchecked === 0) return false;
    const found = sentenceAnswerFlags((this.sentences[doc] as Sentence).text, 0, unchecked);
    if (found !== 0) this.flags[doc] = flags | found;
    this.checked[doc] = checked | (unchecked & ~found);
    return found !== 0;
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
