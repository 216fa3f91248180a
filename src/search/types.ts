import type { Kind } from '../article.js';

/** Where a fact comes from: one sentence's place in one article. */
export interface FactSource {
  title: string;
  section: string | null;
  file: string;
  line: number;
  url: string | null;
  kind: Kind;
  published: string | null;
}

/**
 * The source fields of a sentence (or of a source), exactly those and in
 * the order the `ask --json` contract lists them.
 */
export function sourceOf(s: FactSource): FactSource {
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

/** A sentence that answers the question, with every place it (or a near-copy) appears. */
export interface Fact {
  text: string;
  /** Confidence in [0, 1]: how much of the question this fact covers, scaled by its rank. */
  score: number;
  /**
   * The sentence before it, when the fact leans on it ("He said…", "The game
   * was played…" after the sentence that says who or which game); else null.
   */
  context: string | null;
  sources: FactSource[];
}

/**
 * What an answer holds: the facts that answer a question, or, for a broad
 * question ("summary", "What happened in Istanbul?"), an overview: the key
 * points of the most relevant article.
 */
export type AnswerKind = 'facts' | 'overview';

/** The answer to one question. `facts` is empty when nothing in the knowledge is relevant. */
export interface Answer {
  question: string;
  kind: AnswerKind;
  /** For an overview: the title of the article it sums up. */
  overviewOf?: string;
  facts: Fact[];
  /** Whether more relevant facts follow the ones returned (for "More facts"). */
  hasMore: boolean;
  /** Why there are no facts, when the question itself is the reason (empty, no content words). */
  notice?: string;
}

/** Paging of an answer. */
export interface AnswerRequest {
  /** How many facts to return (default 5). */
  limit?: number;
  /** How many of the best facts to skip (for "More facts"). */
  offset?: number;
}
