import type { AnswerType } from './answer-types.js';

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
  /** Common English words (up to this SCOWL size) are never corrected for spelling: the user meant them. */
  fuzzyMaxCommonness: number;
  /**
   * Weight of an unknown lower-case question word, as a share of the rarest word's weight, by how common
   * it is in English: [largest SCOWL size, share] pairs, most common first. Common words are likely a
   * paraphrase of the article's wording.
   */
  unknownCommonWeights: readonly (readonly [number, number])[];
  /**
   * The share of its weight a matched lower-case question word keeps, by how common it is in English:
   * [largest SCOWL size, share] pairs, most common first. Common words say little about what a question
   * is about, and a small knowledge folder's word counts cannot tell them from the words that do.
   */
  commonMatchShares: readonly (readonly [number, number])[];
  /** The same for a lower-case word that is rare or not in the dictionary: likely a name typed in lower case. */
  unknownRareWeight: number;
  /** The same for a common word that can only be a noun (WordNet): a thing the articles do not mention. */
  unknownNounWeight: number;
  /** Multiplier for an unknown word that a "which …?" question asks about: the answer must be about it. */
  unknownFocusFactor: number;
  /**
   * Coverage multiplier for a sentence without what the question asks for: a number for "how many",
   * a date for "when". A name or a place is too often written in ways the flags miss to require it.
   */
  missingAnswerFactors: Readonly<Partial<Record<AnswerType, number>>>;
  /**
   * The same for unknown words written as names (capitalised, acronyms): they say the question is about
   * something else. Above 1, more than any word the articles have, so "Did Biden meet Putin?" is not
   * answered by a sentence about Trump meeting Putin.
   */
  unknownNameWeight: number;
  /**
   * A sentence ranks by its BM25 score × (this + its coverage): the lower, the more a sentence that
   * matches more of the question beats a shorter one that matches less.
   */
  rankCoverageBase: number;
  /**
   * How much a question word counts when the sentence lacks it but its paragraph, section heading or
   * article title has it, as a share of the word's weight: the subject of a paragraph is seldom repeated
   * in each of its sentences.
   */
  contextShare: number;
  /**
   * Weight of how well a sentence's paragraph matches the question (its BM25 as a share of the best
   * candidate paragraph's) beside the sentence's own score (as a share of the best candidate's).
   */
  paragraphWeight: number;
  /** Rank multiplier per share of the question's weight in word pairs the sentence has in the question's order. */
  phraseWeight: number;
  /** Below this share of the question matched, the best sentence is not an answer: abstain. */
  minCoverage: number;
  /**
   * What `minCoverage` rises by per tenfold of sentences past a thousand: in a large archive some sentence
   * matches part of any question by chance.
   */
  coveragePerTenfold: number;
  /** Facts after the first must cover at least this share of `minCoverage` of the question. */
  laterCoverageShare: number;
  /**
   * Sentences whose own rank is below this share of the best are not candidates: reading them in context
   * could not lift them far enough. The lower, the more sentences are read for each question.
   */
  poolRelativeScore: number;
  /** Facts after the first must rank at least this share of the first, read in context. */
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
export const DEFAULT_OPTIONS: Readonly<SearchOptions> = Object.freeze<SearchOptions>({
  k1: 1.2,
  b: 0.75,
  relatedWeight: 0.7,
  familyWeight: 0.75,
  fuzzyThreshold: 0.34,
  fuzzyMinLength: 4,
  fuzzyMaxCommonness: 70,
  unknownCommonWeights: [
    [20, 0.25],
    [35, 0.4],
    [50, 0.55],
  ],
  commonMatchShares: [
    [10, 0.4],
    [20, 0.6],
    [35, 0.8],
  ],
  unknownRareWeight: 0.5,
  unknownNounWeight: 0.9,
  unknownFocusFactor: 4,
  missingAnswerFactors: { quantity: 0.2, when: 0.5, duration: 0.5 },
  unknownNameWeight: 2,
  rankCoverageBase: 0.1,
  contextShare: 0.7,
  paragraphWeight: 0.8,
  phraseWeight: 0.5,
  minCoverage: 0.275,
  coveragePerTenfold: 0.04,
  laterCoverageShare: 0.75,
  poolRelativeScore: 0.25,
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
