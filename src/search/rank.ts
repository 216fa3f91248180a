/**
 * Ranks sentences for a question and turns the best into facts:
 * 1. BM25 over the postings of each term's alternatives (a sentence counts
 *    a term once, through its best alternative);
 * 2. coverage: the weighted share of the question a sentence matches,
 *    which decides abstention and the fact's score;
 * 3. small boosts: the answer type the question asks for, news over commentary;
 * 4. near-duplicates (a key point repeating the report) merged into one fact
 *    that lists every source.
 */
import type { Sentence } from '../knowledge/types.js';
import { ANSWER_FLAGS } from './answer-types.js';
import { parseQuery, type Query } from './query.js';
import type { SentenceIndex } from './sentence-index.js';
import type { Answer, AnswerRequest, Fact, FactSource } from './types.js';

/** Longest question read, in characters; the rest is ignored rather than searched. */
export const MAX_QUESTION_CHARS = 2000;

interface Candidate {
  doc: number;
  rank: number;
  coverage: number;
}

/** Scratch arrays reused between queries of one index (queries run one at a time). */
const scratch = new WeakMap<
  SentenceIndex,
  { score: Float64Array; cover: Float64Array; best: Float64Array; bestCover: Float64Array }
>();

function scratchFor(index: SentenceIndex) {
  let s = scratch.get(index);
  if (!s) {
    const n = index.sentences.length;
    s = {
      score: new Float64Array(n),
      cover: new Float64Array(n),
      best: new Float64Array(n),
      bestCover: new Float64Array(n),
    };
    scratch.set(index, s);
  }
  return s;
}

/** Scores every sentence that matches at least one term; returns the best candidates, best first. */
function rankCandidates(index: SentenceIndex, query: Query): Candidate[] {
  const {
    k1,
    b,
    commentaryFactor,
    answerTypeBoost,
    missingQuantityFactor,
    candidates: limit,
  } = index.options;
  const { score, cover, best, bestCover } = scratchFor(index);
  const totalWeight = query.terms.reduce((sum, t) => sum + t.weight, 0);
  const touched: number[] = [];
  for (const term of query.terms) {
    const termTouched: number[] = [];
    for (const alt of term.alternatives) {
      const idf = index.idf(index.documentFrequency(alt.termId));
      const end = index.postingStarts[alt.termId + 1] ?? 0;
      for (let p = index.postingStarts[alt.termId] ?? 0; p < end; p++) {
        const doc = index.postingDocs[p] as number;
        const tf = index.postingFreqs[p] as number;
        const norm = 1 - b + (b * (index.lengths[doc] as number)) / index.averageLength;
        const value = (alt.weight * idf * (tf * (k1 + 1))) / (tf + k1 * norm);
        if ((best[doc] as number) === 0 && (bestCover[doc] as number) === 0) termTouched.push(doc);
        if (value > (best[doc] as number)) best[doc] = value;
        if (alt.weight > (bestCover[doc] as number)) bestCover[doc] = alt.weight;
      }
    }
    for (const doc of termTouched) {
      if ((score[doc] as number) === 0) touched.push(doc);
      score[doc] = (score[doc] as number) + (best[doc] as number);
      cover[doc] = (cover[doc] as number) + term.weight * (bestCover[doc] as number);
      best[doc] = 0;
      bestCover[doc] = 0;
    }
  }
  const wanted = query.answerType ? ANSWER_FLAGS[query.answerType] : 0;
  const heap = new TopK<Candidate>(limit, (c) => c.rank);
  for (const doc of touched) {
    let coverage = totalWeight > 0 ? Math.min(1, (cover[doc] as number) / totalWeight) : 0;
    const hasWanted = wanted !== 0 && ((index.flags[doc] as number) & wanted) !== 0;
    // "How many" is only answered by a sentence with a number in it.
    if (query.answerType === 'quantity' && !hasWanted) coverage *= missingQuantityFactor;
    let rank = (score[doc] as number) * (0.5 + coverage);
    if (hasWanted) rank *= 1 + answerTypeBoost;
    if ((index.sentences[doc] as Sentence).kind === 'commentary') rank *= commentaryFactor;
    heap.push({ doc, rank, coverage });
    score[doc] = 0;
    cover[doc] = 0;
  }
  return heap.sorted();
}

/** Share of the smaller set's distinct terms that the larger one also has. */
function overlap(a: Uint32Array, b: Uint32Array): number {
  const small = new Set(a.length <= b.length ? a : b);
  const large = new Set(a.length <= b.length ? b : a);
  if (small.size === 0) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

function sourceOf(s: Sentence): FactSource {
  return {
    title: s.title,
    section: s.section,
    file: s.file,
    line: s.line,
    url: s.url,
    kind: s.kind,
    published: s.published,
  };
}

/** Answers a question from the index: the best facts, or none when nothing is relevant. */
export function answerQuestion(index: SentenceIndex, question: string, request: AnswerRequest = {}): Answer {
  const limit = Math.max(1, Math.floor(request.limit ?? 5));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const text = question.slice(0, MAX_QUESTION_CHARS);
  if (!text.trim())
    return { question, facts: [], hasMore: false, notice: 'The question is empty: ask about the articles.' };
  const query = parseQuery(text, index);
  if (query.terms.length === 0) {
    return {
      question,
      facts: [],
      hasMore: false,
      notice: 'The question has no words to search for: ask about a person, place or event.',
    };
  }
  const ranked = rankCandidates(index, query);
  const top = ranked[0];
  const { minCoverage, minRelativeScore, duplicateOverlap } = index.options;
  if (!top || top.coverage < minCoverage) return { question, facts: [], hasMore: false };

  const groups: { lead: Candidate; docs: number[]; score: number }[] = [];
  let previousScore = 1;
  for (const c of ranked) {
    if (c.rank < top.rank * minRelativeScore || c.coverage < minCoverage / 2) break;
    const terms = index.termsOf(c.doc);
    const same = groups.find((g) => overlap(index.termsOf(g.lead.doc), terms) >= duplicateOverlap);
    if (same) {
      same.docs.push(c.doc);
      continue;
    }
    // Scores never rise down the list: a later fact is never more certain than an earlier one.
    const score = Math.min(previousScore, c.coverage * Math.sqrt(c.rank / top.rank));
    previousScore = score;
    groups.push({ lead: c, docs: [c.doc], score });
  }
  const facts: Fact[] = groups.slice(offset, offset + limit).map((g) => ({
    text: (index.sentences[g.lead.doc] as Sentence).text,
    score: Math.round(g.score * 1000) / 1000,
    sources: g.docs.map((d) => sourceOf(index.sentences[d] as Sentence)),
  }));
  return { question, facts, hasMore: groups.length > offset + limit };
}

/** Keeps the k items with the highest key. */
class TopK<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly k: number,
    private readonly key: (item: T) => number,
  ) {}

  push(item: T): void {
    const { items, key } = this;
    if (items.length < this.k) {
      items.push(item);
      this.up(items.length - 1);
    } else if (key(item) > key(items[0] as T)) {
      items[0] = item;
      this.down(0);
    }
  }

  /** The kept items, highest key first. */
  sorted(): T[] {
    return [...this.items].sort((a, b) => this.key(b) - this.key(a));
  }

  private up(i: number): void {
    const { items, key } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (key(items[parent] as T) <= key(items[i] as T)) break;
      [items[parent], items[i]] = [items[i] as T, items[parent] as T];
      i = parent;
    }
  }

  private down(i: number): void {
    const { items, key } = this;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && key(items[l] as T) < key(items[m] as T)) m = l;
      if (r < items.length && key(items[r] as T) < key(items[m] as T)) m = r;
      if (m === i) return;
      [items[m], items[i]] = [items[i] as T, items[m] as T];
      i = m;
    }
  }
}
