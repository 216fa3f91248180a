/**
 * Ranks sentences for a question and turns the best into facts:
 * 1. BM25 over the postings of each term's alternatives (a sentence counts
 *    a term once, through its best alternative) picks the candidates;
 * 2. each candidate is read in its context (`context.ts`): coverage, the
 *    weighted share of the question it matches itself or through its
 *    paragraph, heading and title, decides abstention and the fact's score,
 *    and its paragraph's match adds to its rank;
 * 3. small boosts: the answer type the question asks for, news over commentary;
 * 4. near-duplicates (a key point repeating the report) merged into one fact
 *    that lists every source, with the sentence before it when it leans on it.
 * A broad question ("summary") gets an overview instead (`overview.ts`).
 */
import type { Sentence } from '../article.js';
import { ANSWER_FLAGS } from './answer-types.js';
import { ContextReader, leansOn, QueryMatcher } from './context.js';
import { overviewFor } from './overview.js';
import { type Alternative, parseQuery, type Query, type QueryTerm } from './query.js';
import { COMMENTARY_FLAG, type SentenceIndex } from './sentence-index.js';
import { type Answer, type AnswerRequest, type Fact, sourceOf } from './types.js';

/** Longest question read, in characters; the rest is ignored rather than searched. */
export const MAX_QUESTION_CHARS = 2000;

interface Candidate {
  doc: number;
  /** The sentence's own BM25 score. */
  score: number;
  rank: number;
  coverage: number;
}

/** Per-sentence accumulators and lists reused between queries of one index (queries run one at a time). */
class Accumulators {
  readonly score: Float64Array;
  readonly cover: Float64Array;
  /** A term's best match per sentence, over its alternatives. */
  readonly best: Float64Array;
  readonly bestCover: Float64Array;
  /** Sentences with a score, in the order first touched. */
  readonly touched: Uint32Array;
  /** Sentences touched by the current term (when it has several alternatives). */
  readonly termTouched: Uint32Array;
  /** Postings positions found by a lookup. */
  readonly found: Uint32Array;

  constructor(n: number) {
    this.score = new Float64Array(n);
    this.cover = new Float64Array(n);
    this.best = new Float64Array(n);
    this.bestCover = new Float64Array(n);
    this.touched = new Uint32Array(n);
    this.termTouched = new Uint32Array(n);
    this.found = new Uint32Array(n);
  }
}

const accumulators = new WeakMap<SentenceIndex, Accumulators>();

/** One question being scored against one index. */
class Scoring {
  /** How many sentences have a score (the first `count` of `touched`). */
  count = 0;
  /** The highest score so far, and the sentence that has it. */
  maxScore = 0;
  private leader = 0;
  private termCount = 0;
  /** How many scored sentences were there when they were last sorted. */
  private sortedCount = 0;
  private readonly acc: Accumulators;
  private readonly totalWeight: number;
  private readonly wanted: number;

  constructor(
    private readonly index: SentenceIndex,
    private readonly query: Query,
  ) {
    let acc = accumulators.get(index);
    if (!acc) {
      acc = new Accumulators(index.sentences.length);
      accumulators.set(index, acc);
    }
    this.acc = acc;
    this.totalWeight = query.terms.reduce((sum, t) => sum + t.weight, 0);
    this.wanted = query.answerType ? ANSWER_FLAGS[query.answerType] : 0;
  }

  /** The most an answer type match multiplies a rank by. */
  get boost(): number {
    return this.wanted ? 1 + this.index.options.answerTypeBoost : 1;
  }

  /** The share of the question's weight that `cover` amounts to. */
  share(cover: number): number {
    return this.totalWeight > 0 ? Math.min(1, cover / this.totalWeight) : 0;
  }

  /** The weighted share of the question a sentence matches so far. */
  coverage(doc: number): number {
    const coverage = this.share(this.acc.cover[doc] as number);
    // "How many" is answered by a sentence with a number in it, "when" by one with a date.
    const type = this.query.answerType;
    if (type && !this.index.hasAnswer(doc, this.wanted))
      return coverage * (this.index.options.missingAnswerFactors[type] ?? 1);
    return coverage;
  }

  /** A sentence's rank from its score and coverage so far: its final rank once every term is read. */
  rank(doc: number): number {
    const { rankCoverageBase } = this.index.options;
    return preferred(
      this.index,
      doc,
      this.wanted,
      (this.acc.score[doc] as number) * (rankCoverageBase + this.coverage(doc)),
    );
  }

  /** A rank the best sentence has at least: that of the sentence with the highest score. */
  leaderRank(): number {
    return this.count > 0 ? this.rank(this.leader) : 0;
  }

  /** Adds one term's matches through one alternative; `positions` lists postings positions, or all from `from` to `to` count. */
  addAlternative(
    term: QueryTerm,
    alt: Alternative,
    from: number,
    to: number,
    positions: Uint32Array | null,
  ): void {
    const { k1, b } = this.index.options;
    const { postingDocs, postingFreqs, lengths, averageLength } = this.index;
    const { score, cover, best, bestCover, touched, termTouched } = this.acc;
    const weighted = alt.weight * this.index.idf(this.index.documentFrequency(alt.termId));
    const single = term.alternatives.length === 1;
    const coverWeight = term.weight * alt.weight;
    for (let i = from; i < to; i++) {
      const p = positions ? (positions[i] as number) : i;
      const doc = postingDocs[p] as number;
      const tf = postingFreqs[p] as number;
      const norm = 1 - b + (b * (lengths[doc] as number)) / averageLength;
      const value = (weighted * (tf * (k1 + 1))) / (tf + k1 * norm);
      if (single) {
        // One alternative: its match is the term's match, added at once.
        const sum = (score[doc] as number) + value;
        if ((score[doc] as number) === 0) touched[this.count++] = doc;
        score[doc] = sum;
        cover[doc] = (cover[doc] as number) + coverWeight;
        if (sum > this.maxScore) {
          this.maxScore = sum;
          this.leader = doc;
        }
      } else {
        if ((best[doc] as number) === 0 && (bestCover[doc] as number) === 0)
          termTouched[this.termCount++] = doc;
        if (value > (best[doc] as number)) best[doc] = value;
        if (alt.weight > (bestCover[doc] as number)) bestCover[doc] = alt.weight;
      }
    }
  }

  /** Adds a term with several alternatives: each sentence counts it once, through its best alternative. */
  addBest(term: QueryTerm): void {
    const { score, cover, best, bestCover, touched, termTouched } = this.acc;
    for (let t = 0; t < this.termCount; t++) {
      const doc = termTouched[t] as number;
      const sum = (score[doc] as number) + (best[doc] as number);
      if ((score[doc] as number) === 0) touched[this.count++] = doc;
      score[doc] = sum;
      cover[doc] = (cover[doc] as number) + term.weight * (bestCover[doc] as number);
      best[doc] = 0;
      bestCover[doc] = 0;
      if (sum > this.maxScore) {
        this.maxScore = sum;
        this.leader = doc;
      }
    }
    this.termCount = 0;
  }

  /**
   * Reads a term. Alternatives before `lookupFrom` are read in full; from it
   * on, only sentences already scored can still be answers, so they are
   * looked up in the postings instead: those scored by earlier terms, and
   * those this term's earlier alternatives found.
   */
  addTerm(term: QueryTerm, lookupFrom: number): void {
    const { postingStarts, postingDocs } = this.index;
    const { found, termTouched } = this.acc;
    term.alternatives.forEach((alt, j) => {
      const start = postingStarts[alt.termId] as number;
      const end = postingStarts[alt.termId + 1] as number;
      if (j < lookupFrom) {
        this.addAlternative(term, alt, start, end, null);
        return;
      }
      // A sentence on both lists is matched twice; a term keeps its best match, so that changes nothing.
      this.addAlternative(term, alt, 0, lookUp(postingDocs, start, end, this.scored(), found), found);
      if (this.termCount > 0) {
        const mine = termTouched.subarray(0, this.termCount).sort();
        this.addAlternative(term, alt, 0, lookUp(postingDocs, start, end, mine, found), found);
      }
    });
    if (term.alternatives.length > 1) this.addBest(term);
  }

  /** The scored sentences, ascending, as lookups need them. */
  private scored(): Uint32Array {
    const scored = this.acc.touched.subarray(0, this.count);
    if (this.sortedCount !== this.count) {
      scored.sort();
      this.sortedCount = this.count;
    }
    return scored;
  }

  /**
   * The best `limit` candidates, best first, leaving out those below the
   * share of the best rank that candidates keep (`poolRelativeScore`): they
   * could never be shown. Clears the accumulators for the next query.
   */
  candidates(limit: number): Candidate[] {
    const { score, cover, touched } = this.acc;
    const heap = new TopCandidates(limit);
    // The best rank is at least the leader's, so this floor holds before the best is known.
    const floor = this.leaderRank() * this.index.options.poolRelativeScore;
    // No rank exceeds the score × (base + 1, full coverage) × the answer-type boost.
    const most = (this.index.options.rankCoverageBase + 1) * this.boost;
    for (let t = 0; t < this.count; t++) {
      const doc = touched[t] as number;
      const ceiling = (score[doc] as number) * most;
      if (ceiling >= floor && heap.wants(ceiling)) {
        const rank = this.rank(doc);
        if (rank >= floor && heap.wants(rank))
          heap.push({ doc, score: score[doc] as number, rank, coverage: this.coverage(doc) });
      }
      score[doc] = 0;
      cover[doc] = 0;
    }
    this.count = 0;
    return heap.sorted();
  }
}

/**
 * A rank with the small preferences applied: for a sentence holding what
 * the question asks for (`wanted`, answer-type flags), and for news over commentary.
 */
function preferred(index: SentenceIndex, doc: number, wanted: number, rank: number): number {
  const { commentaryFactor, answerTypeBoost } = index.options;
  let result = rank;
  if (wanted !== 0 && index.hasAnswer(doc, wanted)) result *= 1 + answerTypeBoost;
  if (((index.flags[doc] as number) & COMMENTARY_FLAG) !== 0) result *= commentaryFactor;
  return result;
}

/**
 * Ranks candidates again with each read in its context (see `context.ts`):
 * coverage counts the question words its paragraph, section or title has,
 * and the rank adds how well its paragraph matches to its own score, both
 * as shares of the best among the candidates. Best first.
 */
function rankInContext(index: SentenceIndex, query: Query, pool: readonly Candidate[]): Candidate[] {
  if (pool.length === 0) return [];
  const { rankCoverageBase, paragraphWeight, missingAnswerFactors } = index.options;
  const matcher = new QueryMatcher(query);
  const reader = new ContextReader(index, matcher);
  const read = pool.map((c) => ({ c, context: reader.read(c.doc) }));
  const bestScore = Math.max(...pool.map((c) => c.score)) || 1;
  const bestParagraph = Math.max(...read.map((r) => r.context.paragraph)) || 1;
  const type = query.answerType;
  const wanted = type ? ANSWER_FLAGS[type] : 0;
  const ranked = read.map(({ c, context }): Candidate => {
    let coverage = matcher.total > 0 ? Math.min(1, context.cover / matcher.total) : 0;
    if (type && !index.hasAnswer(c.doc, wanted)) coverage *= missingAnswerFactors[type] ?? 1;
    const relevance = c.score / bestScore + (paragraphWeight * context.paragraph) / bestParagraph;
    return {
      ...c,
      coverage,
      rank: preferred(index, c.doc, wanted, relevance * (rankCoverageBase + coverage)),
    };
  });
  return ranked.sort((a, b) => (ahead(a, b) ? -1 : ahead(b, a) ? 1 : 0));
}

/**
 * The share of a question the best sentence must cover to answer it. The
 * more sentences, the more likely some match part of any question by
 * chance (and the more look-alikes a misspelt word finds), so it rises
 * with each tenfold of sentences past a thousand.
 */
function requiredCoverage(index: SentenceIndex): number {
  const { minCoverage, coveragePerTenfold } = index.options;
  return minCoverage + coveragePerTenfold * Math.max(0, Math.log10(index.sentences.length / 1000));
}

/** The most one alternative can add to a sentence's score. */
function alternativeReach(index: SentenceIndex, alt: Alternative): number {
  return alt.weight * index.idf(index.documentFrequency(alt.termId)) * (index.maxImpact[alt.termId] ?? 0);
}

/** For each term, from it to the last: the most those terms can add to a sentence's score and coverage. */
function reachFrom(index: SentenceIndex, terms: readonly QueryTerm[]): { score: number; cover: number }[] {
  const reach = terms.map((term) => ({
    score: Math.max(0, ...term.alternatives.map((a) => alternativeReach(index, a))),
    cover: term.weight * Math.max(0, ...term.alternatives.map((a) => a.weight)),
  }));
  for (let i = reach.length - 2; i >= 0; i--) {
    const here = reach[i] as { score: number; cover: number };
    const after = reach[i + 1] as { score: number; cover: number };
    here.score += after.score;
    here.cover += after.cover;
  }
  return reach;
}

function postingCount(index: SentenceIndex, term: QueryTerm): number {
  return term.alternatives.reduce((n, a) => n + index.documentFrequency(a.termId), 0);
}

/**
 * Scores every sentence that can be among the answers; returns the best
 * candidates, best first.
 *
 * Terms are read rarest first, and a term's alternatives too. Once what is
 * left to read could not lift a sentence not yet scored to the share of the
 * best rank that candidates keep (`poolRelativeScore`), no new sentence can
 * become an answer: the rest is then looked up only for the sentences
 * already found, by galloping search in the postings, instead of being read
 * in full. A common spelling of a rare word ("government" for "goverment")
 * is looked up while its rare look-alikes are read. When nothing is found
 * yet and the terms left cannot cover `minCoverage` of the question, nothing
 * can answer it and reading stops. The answers are the same as when reading
 * everything.
 */
function rankCandidates(index: SentenceIndex, query: Query): Candidate[] {
  const { poolRelativeScore, rankCoverageBase, candidates: limit } = index.options;
  const minCoverage = requiredCoverage(index);
  const scoring = new Scoring(index, query);
  const terms = [...query.terms].sort((x, y) => postingCount(index, x) - postingCount(index, y));
  const reach = reachFrom(index, terms);
  for (const [i, term] of terms.entries()) {
    const left = reach[i] as { score: number; cover: number };
    if (scoring.count === 0 && scoring.share(left.cover) < minCoverage) break;
    const after = reach[i + 1]?.score ?? 0;
    // Slightly rounded up, so rounding can never prune a sentence that could have made it.
    const factor = (rankCoverageBase + scoring.share(left.cover)) * scoring.boost * (1 + 1e-9);
    const threshold = scoring.leaderRank() * poolRelativeScore;
    const alternatives = [...term.alternatives].sort(
      (x, y) => index.documentFrequency(x.termId) - index.documentFrequency(y.termId),
    );
    // The first alternative from which the rest of the question cannot make a new sentence an answer.
    let lookupFrom = alternatives.length;
    let most = 0;
    for (let j = alternatives.length - 1; j >= 0; j--) {
      most = Math.max(most, alternativeReach(index, alternatives[j] as Alternative));
      if ((most + after) * factor >= threshold) break;
      lookupFrom = j;
    }
    scoring.addTerm({ ...term, alternatives }, lookupFrom);
  }
  return scoring.candidates(limit);
}

/**
 * Writes to `found` the position of each of `docs` (ascending) present in
 * `postings[start..end)` and returns how many. Galloping: each step doubles
 * until it passes the document, then halves back, so the cost grows with the
 * log of the gaps.
 */
function lookUp(
  postings: Uint32Array,
  start: number,
  end: number,
  docs: Uint32Array,
  found: Uint32Array,
): number {
  let n = 0;
  let p = start;
  for (const doc of docs) {
    let step = 1;
    let hi = p;
    while (hi < end && (postings[hi] as number) < doc) {
      p = hi + 1;
      hi += step;
      step *= 2;
    }
    hi = Math.min(hi, end);
    while (p < hi) {
      const mid = (p + hi) >>> 1;
      if ((postings[mid] as number) < doc) p = mid + 1;
      else hi = mid;
    }
    if (p >= end) break;
    if (postings[p] === doc) found[n++] = p;
  }
  return n;
}

/** A sentence's distinct terms, ascending, as `overlap` reads them. */
function distinctTerms(index: SentenceIndex, doc: number): Uint32Array {
  const sorted = index.termsOf(doc).slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return sorted.subarray(0, n);
}

/**
 * Share of the smaller set's terms that the larger one also has; both
 * ascending and distinct. A merge walk, so comparing each candidate with
 * every fact so far allocates nothing.
 */
function overlap(a: Uint32Array, b: Uint32Array): number {
  const smaller = Math.min(a.length, b.length);
  if (smaller === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / smaller;
}

/** Answers a question from the index: the best facts, or none when nothing is relevant. */
export function answerQuestion(index: SentenceIndex, question: string, request: AnswerRequest = {}): Answer {
  const limit = Math.max(1, Math.floor(request.limit ?? 5));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const text = question.slice(0, MAX_QUESTION_CHARS);
  const nothing = (notice?: string): Answer => ({
    question,
    kind: 'facts',
    facts: [],
    hasMore: false,
    ...(notice ? { notice } : {}),
  });
  if (!text.trim()) return nothing('The question is empty: ask about the articles.');
  const overview = overviewFor(index, text);
  if (overview) {
    const shown = overview.points.slice(offset, offset + limit);
    return {
      question,
      kind: 'overview',
      overviewOf: overview.article.title,
      facts: shown.map((s) => ({ text: s.text, score: 1, context: null, sources: [sourceOf(s)] })),
      hasMore: overview.points.length > offset + limit,
    };
  }
  const query = parseQuery(text, index);
  if (query.terms.length === 0)
    return nothing('The question has no words to search for: ask about a person, place or event.');
  const ranked = rankInContext(index, query, rankCandidates(index, query));
  const top = ranked[0];
  const { minRelativeScore, laterCoverageShare, duplicateOverlap } = index.options;
  const minCoverage = requiredCoverage(index);
  if (!top || top.coverage < minCoverage) return nothing();

  const groups: { lead: Candidate; terms: Uint32Array; docs: number[]; score: number }[] = [];
  let previousScore = 1;
  for (const c of ranked) {
    if (c.rank < top.rank * minRelativeScore || c.coverage < minCoverage * laterCoverageShare) break;
    const terms = distinctTerms(index, c.doc);
    const same = groups.find((g) => overlap(g.terms, terms) >= duplicateOverlap);
    if (same) {
      same.docs.push(c.doc);
      continue;
    }
    // Scores never rise down the list: a later fact is never more certain than an earlier one.
    const score = Math.min(previousScore, c.coverage * Math.sqrt(c.rank / top.rank));
    previousScore = score;
    groups.push({ lead: c, terms, docs: [c.doc], score });
  }
  const facts: Fact[] = groups.slice(offset, offset + limit).map((g) => ({
    text: (index.sentences[g.lead.doc] as Sentence).text,
    score: Math.round(g.score * 1000) / 1000,
    context: contextOf(index, g.lead.doc),
    sources: g.docs.map((d) => sourceOf(index.sentences[d] as Sentence)),
  }));
  return { question, kind: 'facts', facts, hasMore: groups.length > offset + limit };
}

/** The sentence before a fact's in its paragraph, when the fact leans on it (see `leansOn`); else null. */
function contextOf(index: SentenceIndex, doc: number): string | null {
  if (doc === 0 || index.paragraphOf[doc - 1] !== index.paragraphOf[doc]) return null;
  const previous = (index.sentences[doc - 1] as Sentence).text;
  return leansOn(previous, (index.sentences[doc] as Sentence).text) ? previous : null;
}

/** Whether candidate `a` ranks ahead of `b`; equal ranks go in knowledge order, so ties never depend on reading order. */
function ahead(a: Candidate, b: Candidate): boolean {
  return a.rank > b.rank || (a.rank === b.rank && a.doc < b.doc);
}

/** Keeps the k best candidates (a heap with the weakest kept candidate on top). */
class TopCandidates {
  private readonly items: Candidate[] = [];

  constructor(private readonly k: number) {}

  push(item: Candidate): void {
    const { items } = this;
    if (items.length < this.k) {
      items.push(item);
      this.up(items.length - 1);
    } else if (ahead(item, items[0] as Candidate)) {
      items[0] = item;
      this.down(0);
    }
  }

  /** Whether a candidate of this rank could be kept; saves building the ones that cannot. */
  wants(rank: number): boolean {
    return this.items.length < this.k || rank >= (this.items[0] as Candidate).rank;
  }

  /** The kept candidates, best first. */
  sorted(): Candidate[] {
    return [...this.items].sort((a, b) => (ahead(a, b) ? -1 : ahead(b, a) ? 1 : 0));
  }

  private up(i: number): void {
    const { items } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ahead(items[parent] as Candidate, items[i] as Candidate)) break;
      [items[parent], items[i]] = [items[i] as Candidate, items[parent] as Candidate];
      i = parent;
    }
  }

  private down(i: number): void {
    const { items } = this;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && ahead(items[m] as Candidate, items[l] as Candidate)) m = l;
      if (r < items.length && ahead(items[m] as Candidate, items[r] as Candidate)) m = r;
      if (m === i) return;
      [items[m], items[i]] = [items[i] as Candidate, items[m] as Candidate];
      i = m;
    }
  }
}
