/**
 * Text analysis shared by sentences and questions: Unicode and case
 * normalisation, curly quotes, possessives, hyphenated compounds, multi-word
 * names, stop words, irregular forms and stemming. Sentences and questions go
 * through the same steps, so they meet on the same terms.
 */
import { stemmer } from 'stemmer';
import stopWordData from './data/stop-words.json' with { type: 'json' };
import wordTable from './data/synonyms.json' with { type: 'json' };

/** One word of a text after normalisation. */
export interface Token {
  /** Lower case, accents removed, possessive and apostrophes dropped. */
  word: string;
  /** Written with a capital first letter. */
  capitalized: boolean;
  /** Written in capitals (US, NATO) or with dots (U.S.): an acronym, never a stop word. */
  acronym: boolean;
  /** For a hyphenated compound (30-day), its parts; the word is the parts joined. */
  parts?: string[];
}

const STOP_WORDS: ReadonlySet<string> = new Set(stopWordData.words);
const LEMMAS: Readonly<Record<string, string>> = wordTable.lemmas;

/** Multi-word names by their first word, longest first, so "united states" reads as "us". */
const PHRASES: ReadonlyMap<string, { words: string[]; replacement: string }[]> = (() => {
  const byFirst = new Map<string, { words: string[]; replacement: string }[]>();
  for (const [phrase, replacement] of Object.entries(wordTable.phrases as Record<string, string>)) {
    const words = phrase.split(' ');
    const list = byFirst.get(words[0] ?? '') ?? [];
    list.push({ words, replacement });
    list.sort((a, b) => b.words.length - a.words.length);
    byFirst.set(words[0] ?? '', list);
  }
  return byFirst;
})();

// Dotted acronyms (U.S.), or words with inner apostrophes and hyphens (Russia's, face-to-face).
const TOKEN =
  /(?:\p{L}\.){2,}(?!\p{L})|[\p{L}\p{N}]+(?:['\u2019\u02bc][\p{L}]+)*(?:[-\u2010\u2011][\p{L}\p{N}]+(?:['\u2019\u02bc][\p{L}]+)*)*/gu;
const HYPHEN = /[-\u2010\u2011]/;

/** Lower case without accents or apostrophes; a trailing possessive 's is dropped. */
function normalizeWord(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['\u2019\u02bc]s$/, '')
    .replace(/['\u2019\u02bc.]/g, '');
}

/**
 * Splits text into normalised tokens, reading known multi-word names as one.
 * Text written all in capitals carries no case information, so none is kept.
 */
export function tokenize(text: string): Token[] {
  const raws = text.match(TOKEN) ?? [];
  const letters = text.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length > 12 && letters.replace(/[^\p{Lu}]/gu, '').length > letters.length * 0.6;
  const tokens: Token[] = [];
  for (const raw of raws) {
    const word = normalizeWord(raw);
    if (!word) continue;
    const token: Token = {
      word,
      capitalized: !shouting && /^\p{Lu}/u.test(raw),
      acronym:
        !shouting &&
        (/^(\p{L}\.){2,}$/u.test(raw) ||
          (raw.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(raw) && /\p{L}/u.test(raw))),
    };
    if (HYPHEN.test(raw)) {
      token.parts = raw.split(HYPHEN).map(normalizeWord).filter(Boolean);
      token.word = token.parts.join('');
    }
    tokens.push(token);
  }
  return joinPhrases(tokens);
}

function joinPhrases(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const match = PHRASES.get(token.word)?.find((p) => p.words.every((w, k) => tokens[i + k]?.word === w));
    if (match) {
      out.push({ word: match.replacement, capitalized: true, acronym: true });
      i += match.words.length - 1;
    } else {
      out.push(token);
    }
  }
  return out;
}

/** Whether a token is a stop word (acronyms never are: "US" is a country, "us" a pronoun). */
export function isStopWord(token: Token): boolean {
  return !token.acronym && STOP_WORDS.has(token.word);
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** The index term for a normalised word: its lemma if irregular, then its Porter stem. */
export function stem(word: string): string {
  let result = stemCache.get(word);
  if (result === undefined) {
    const lemma = LEMMAS[word] ?? word;
    result = /^\p{L}{3,}$/u.test(lemma) ? stemmer(lemma) : lemma;
    // Bounded, so a stream of unique garbage words cannot grow memory without end.
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, result);
  }
  return result;
}

/**
 * The terms a sentence is indexed under: the stems of its content words, and
 * for a hyphenated compound both its parts and the whole ("cease-fire" is
 * found as "ceasefire", "cease" and "fire").
 */
export function indexTerms(tokens: readonly Token[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (token.parts) {
      for (const part of token.parts) if (!STOP_WORDS.has(part)) terms.push(stem(part));
      terms.push(stem(token.word));
    } else if (!isStopWord(token)) {
      terms.push(stem(token.word));
    }
  }
  return terms;
}
