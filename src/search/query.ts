/**
 * Turns a question into weighted search terms. Each content word of the
 * question becomes one term with its alternatives: the word itself, its
 * spelling variants, related words, words of its family and, when the word
 * is unknown, its spelling corrections. A word that matches nothing stays
 * as an unknown term: it still counts in the question's weight, which is how
 * a question about something the articles never mention ends in abstention.
 */
import { isStopWord, stem, type Token, tokenize } from './analyze.js';
import { type AnswerType, questionType } from './answer-types.js';
import wordTable from './data/synonyms.json' with { type: 'json' };
import { commonness } from './english.js';
import type { SearchOptions } from './options.js';
import type { SentenceIndex } from './sentence-index.js';
import { WordNet } from './wordnet.js';

/** One way a question word can be found in a sentence. */
export interface Alternative {
  termId: number;
  /** How fully a match through this alternative counts, in (0, 1]. */
  weight: number;
}

/** A content word of the question. */
export interface QueryTerm {
  word: string;
  alternatives: Alternative[];
  /** The word's share of the question's meaning: its rarity, or a fixed weight when unknown. */
  weight: number;
}

/** A question ready to rank: its terms and what kind of answer it wants. */
export interface Query {
  terms: QueryTerm[];
  answerType: AnswerType | null;
}

/** Word → the other words of its groups, built once from the data table. */
function groupIndex(groups: readonly (readonly string[])[]): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const word of group) {
      const set = map.get(word) ?? new Set<string>();
      for (const other of group) if (other !== word) set.add(other);
      map.set(word, set);
    }
  }
  return new Map([...map].map(([k, v]) => [k, [...v]]));
}

const VARIANTS = groupIndex(wordTable.variants);
const RELATED = groupIndex(wordTable.related);
/** Related words also by stem, so "negotiating" finds the group of "negotiate". */
const RELATED_BY_STEM = (() => {
  const map = new Map<string, string[]>();
  for (const [word, others] of RELATED) map.set(stem(word), [...(map.get(stem(word)) ?? []), ...others]);
  return map;
})();

/** Reads a question into a query against `index`. */
export function parseQuery(question: string, index: SentenceIndex): Query {
  const tokens = tokenize(question);
  const { type, cueTokens, focusToken } = questionType(tokens);
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  const maxIdf = index.idf(0);
  tokens.forEach((token, i) => {
    if (cueTokens.has(i) || isStopWord(token) || terms.length >= index.options.maxQueryTerms) return;
    const key = stem(token.word);
    if (seen.has(key)) return;
    seen.add(key);
    // A capitalised word after the first, or an acronym, is written as a name.
    const asName = token.acronym || (i > 0 && token.capitalized);
    terms.push(queryTerm(token, asName, i === focusToken, index, maxIdf));
  });
  shareOut(terms);
  return { terms, answerType: type };
}

/**
 * One word of a sentence answers one word of the question: an alternative
 * that several question words reach ("represents" and "talks" both reach
 * "negotiations", through "representatives" and "negotiators" sharing its
 * stem) stays only with the word it matches best; on a tie, with the word
 * that has fewer other ways to match, then the one that weighs more. So a
 * sentence is not counted twice for one of its words. A word never loses
 * its last alternative.
 */
function shareOut(terms: QueryTerm[]): void {
  const owner = new Map<number, { term: QueryTerm; weight: number }>();
  const better = (term: QueryTerm, weight: number, held: { term: QueryTerm; weight: number }) =>
    weight !== held.weight
      ? weight > held.weight
      : term.alternatives.length !== held.term.alternatives.length
        ? term.alternatives.length < held.term.alternatives.length
        : term.weight > held.term.weight;
  for (const term of terms) {
    for (const alt of term.alternatives) {
      const held = owner.get(alt.termId);
      if (!held || better(term, alt.weight, held)) owner.set(alt.termId, { term, weight: alt.weight });
    }
  }
  for (const term of terms) {
    const kept = term.alternatives.filter((a) => owner.get(a.termId)?.term === term);
    if (kept.length > 0) term.alternatives = kept;
  }
}

function queryTerm(
  token: Token,
  asName: boolean,
  focus: boolean,
  index: SentenceIndex,
  maxIdf: number,
): QueryTerm {
  const { options, vocabulary } = index;
  const best = new Map<number, number>();
  const offer = (term: string, weight: number) => {
    const id = index.termId(term);
    if (id !== undefined && weight > (best.get(id) ?? 0)) best.set(id, weight);
  };
  const forms = token.parts && index.termId(stem(token.word)) === undefined ? token.parts : [token.word];
  const size = commonness(token.word);
  for (const word of forms) {
    const own = stem(word);
    // A name matches the words that share its stem only if one of them is a name too:
    // "Paris" is not "pariing", though both stem to "pari".
    if (!asName || vocabulary.wordsWithStem(own).some((w) => w.name || w.word === word)) offer(own, 1);
    for (const variant of spellings(word, index)) offer(stem(variant), 1);
    for (const related of [...(RELATED.get(word) ?? []), ...(RELATED_BY_STEM.get(own) ?? [])]) {
      offer(stem(related), options.relatedWeight);
    }
    for (const member of vocabulary.family(own)) {
      if (vocabulary.wordsWithStem(member).some((w) => isRealWord(w, size !== null)))
        offer(member, options.familyWeight);
    }
  }
  const exact = [...best].some(([, w]) => w === 1);
  // A common English word is what the user meant, not a misspelling of an article's word.
  const misspelt = size === null || size > options.fuzzyMaxCommonness;
  if (!exact && misspelt && token.word.length >= options.fuzzyMinLength && /^\p{L}+$/u.test(token.word)) {
    for (const c of vocabulary.correct(token.word, asName)) {
      offer(c.stem, c.similarity);
      for (const variant of spellings(c.word, index)) offer(stem(variant), c.similarity);
    }
  }
  const alternatives = [...best].map(([termId, weight]) => ({ termId, weight }));
  if (alternatives.length === 0) {
    return {
      word: token.word,
      alternatives,
      weight: maxIdf * unknownShare(token, asName, focus, size, options),
    };
  }
  // The rarest way to match sets the word's weight; a partial match counts for its share of it.
  const weight = Math.max(
    ...alternatives.map((a) => index.idf(index.documentFrequency(a.termId)) * a.weight),
  );
  return { word: token.word, alternatives, weight: weight * commonShare(token.word, asName, size, options) };
}

/** Other spellings of a word: general ones (the word table's variants) and those the articles give (aliases). */
function spellings(word: string, index: SentenceIndex): readonly string[] {
  const general = VARIANTS.get(word);
  const aliases = index.aliasesOf(word);
  if (!general) return aliases;
  return aliases.length ? [...general, ...aliases] : general;
}

/**
 * Whether a word can be family of a question word: a dictionary word, or a
 * name when the question word is not a dictionary word itself (Russia →
 * Russian). Made-up or garbled words that merely start alike are no family,
 * nor is a name that starts like an ordinary word ("pasta" → "Pastan").
 */
function isRealWord(candidate: { word: string; name: boolean }, questionWordInDictionary: boolean): boolean {
  if (commonness(candidate.word) !== null) return true;
  return candidate.name && !questionWordInDictionary;
}

let wordnet: WordNet | null = null;

/**
 * How much an unknown question word weighs, as a share of the rarest word's
 * weight. Names weigh most: the question is about something else. Words
 * that can only be nouns ("hotel", "population") weigh much: a thing the
 * articles never mention. Other common English words weigh little: verbs, adjectives
 * and adverbs are most often the question's own wording of what the
 * articles say differently ("sit down together", "turn down").
 */
function unknownShare(
  token: Token,
  asName: boolean,
  focus: boolean,
  size: number | null,
  options: SearchOptions,
): number {
  // WordNet is read from disk: asked only what the weight depends on.
  wordnet ??= new WordNet();
  const net = wordnet;
  const parts = () => net.partsOfSpeech(token.word);
  const onlyNoun = () => parts().size === 1 && parts().has('noun');
  // An acronym that is an English noun (TV, CEO) is a thing, not a name: "on TV" is the question's wording.
  if (token.acronym && onlyNoun()) return options.unknownNounWeight;
  if (asName) return options.unknownNameWeight;
  // "Which hotel …?" asks for a hotel: if the articles never mention one, hardly anything answers it.
  const factor = focus && parts().has('noun') ? options.unknownFocusFactor : 1;
  if (size === null) return options.unknownRareWeight * factor;
  if (onlyNoun()) return options.unknownNounWeight * factor;
  const step = options.unknownCommonWeights.find(([maxSize]) => size <= maxSize);
  return (step ? step[1] : options.unknownRareWeight) * factor;
}

/**
 * The share of its weight a question word the articles have keeps, by how
 * common it is in English. In a small knowledge folder rarity among its few
 * sentences cannot tell "best" or "days" from "ceasefire": a question that
 * matches only such words is most likely about something else. Names,
 * acronyms and numbers keep their whole weight.
 */
function commonShare(word: string, asName: boolean, size: number | null, options: SearchOptions): number {
  if (asName || size === null || !/^\p{L}+$/u.test(word)) return 1;
  return options.commonMatchShares.find(([maxSize]) => size <= maxSize)?.[1] ?? 1;
}
