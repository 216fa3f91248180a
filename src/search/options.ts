/**
 * Every tunable of the search in one place, with its default and why.
 * Callers pass a partial object; `resolveOptions` fills in the rest.
 */

/** Options of the search index and ranking. */
export interface SearchOptions {
  /** BM25 term-frequency saturation. Sentences rarely repeat a word, so the usual value is fine. */
  k1: number;
  /** BM25 length normalisation: 0.75 lets a short, on-point sentence beat a long one that mentions everything. */
  b: number;
  /** Weight of a match through a related word (truce → ceasefire) relative to the word itself. */
  relatedWeight: number;
  /** Weight of a match through a word of the same family (Russian → Russia, optimistic → optimism). */
  familyWeight: number;
  /** fuse.js threshold for spelling correction over the vocabulary (0 exact … 1 anything). */
  fuzzyThreshold: number;
  /** Shortest question word that is corrected for spelling; shorter words have too many neighbours. */
  fuzzyMinLength: number;
  /** Weight an unknown word in the question carries, as a share of the rarest known word's weight. */
  unknownWeight: number;
  /** The same for unknown words written as names (capitalised, acronyms): they say the question is about something else. */
  unknownNameWeight: number;
  /** Below this share of the question matched, the best sentence is not an answer: abstain. */
  minCoverage: number;
  /** Facts after the first must score at least this share of the first's relevance. */
  minRelativeScore: number;
  /** Multiplier for commentary, so news wins when both are equally relevant. */
  commentaryFactor: number;
  /** Multiplier for sentences that hold what the question asks for (a date for "when", a name for "who"). */
  answerTypeBoost: number;
  /** Sentences sharing this share of the shorter one's words are one fact with several sources. */
  duplicateOverlap: number;
  /** How many ranked sentences are considered for merging and the final list. */
  candidates: number;
  /** Questions longer than this many words are cut: the rest adds cost, not meaning. */
  maxQueryTerms: number;
}

/** The defaults. */
export const DEFAULT_OPTIONS: Readonly<SearchOptions> = Object.freeze({
  k1: 1.2,
  b: 0.75,
  relatedWeight: 0.7,
  familyWeight: 0.75,
  fuzzyThreshold: 0.34,
  fuzzyMinLength: 4,
  unknownWeight: 0.6,
  unknownNameWeight: 1,
  minCoverage: 0.5,
  minRelativeScore: 0.35,
  commentaryFactor: 0.92,
  answerTypeBoost: 0.15,
  duplicateOverlap: 0.8,
  candidates: 60,
  maxQueryTerms: 40,
});

/** Fills in defaults for any option not given. */
export function resolveOptions(options: Partial<SearchOptions> = {}): SearchOptions {
  return { ...DEFAULT_OPTIONS, ...options };
}
