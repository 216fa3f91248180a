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

/** A known multi-word name: its words, and the one token it reads as. */
interface Phrase {
  words: string[];
  token: Token;
}

/** Multi-word names by their first word, longest first, so "united states" reads as "us". */
const PHRASES: ReadonlyMap<string, Phrase[]> = (() => {
  const byFirst = new Map<string, Phrase[]>();
  for (const [phrase, replacement] of Object.entries(wordTable.phrases as Record<string, string>)) {
    const words = phrase.split(' ');
    const list = byFirst.get(words[0] ?? '') ?? [];
    list.push({ words, token: Object.freeze({ word: replacement, capitalized: true, acronym: true }) });
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

/** A raw token read: as it reads in ordinary text, and in text written all in capitals. */
export interface Reading {
  plain: Token;
  shouted: Token;
  /** Whether the word begins a known multi-word name. */
  startsPhrase: boolean;
}

// Distinct raw tokens are far fewer than tokens, and reading one (Unicode normalisation, several
// patterns) costs more than looking it up, so each is read once. Tokens are frozen: they are shared.
const readings = new Map<string, Reading | null>();
const READING_CACHE_LIMIT = 200_000;

function readRaw(raw: string): Reading | null {
  let reading = readings.get(raw);
  if (reading === undefined) {
    reading = readToken(raw);
    // Bounded, so a stream of unique garbage words cannot grow memory without end.
    if (readings.size >= READING_CACHE_LIMIT) readings.clear();
    readings.set(raw, reading);
  }
  return reading;
}

/** Reads one raw token (a match of the token pattern); null when nothing of it is left after normalising. */
export function readToken(raw: string): Reading | null {
  const normalized = normalizeWord(raw);
  if (!normalized) return null;
  const parts = HYPHEN.test(raw) ? Object.freeze(raw.split(HYPHEN).map(normalizeWord).filter(Boolean)) : null;
  const word = parts ? parts.join('') : normalized;
  const make = (capitalized: boolean, acronym: boolean): Token =>
    Object.freeze(
      parts ? { word, capitalized, acronym, parts: parts as string[] } : { word, capitalized, acronym },
    );
  const acronym =
    /^(\p{L}\.){2,}$/u.test(raw) || (raw.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(raw) && /\p{L}/u.test(raw));
  return {
    plain: make(/^\p{Lu}/u.test(raw), acronym),
    shouted: make(false, false),
    startsPhrase: PHRASES.has(word),
  };
}

/** Whether text is written in capitals: over 60% of its letters, when it has more than 12. */
function isShouting(text: string): boolean {
  let letters = 0;
  let upper = 0;
  // ASCII text, nearly all of it, is counted without building strings.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      const all = text.replace(/[^\p{L}]/gu, '');
      return all.length > 12 && all.replace(/[^\p{Lu}]/gu, '').length > all.length * 0.6;
    }
    if (c >= 65 && c <= 90) upper++;
    else if (c < 97 || c > 122) continue;
    letters++;
  }
  return letters > 12 && upper > letters * 0.6;
}

/**
 * Splits text into normalised tokens, reading known multi-word names as one.
 * Text written all in capitals carries no case information, so none is kept.
 * Tokens are shared between calls and frozen.
 */
export function tokenize(text: string): Token[] {
  return readText(text, readRaw).tokens;
}

/**
 * `tokenize` with the reading behind each token (null for a multi-word
 * name, which joins several), reading raw tokens through `read`: a caller
 * that keeps its own cache of readings, with more in them, passes its own.
 */
export function readText<R extends Reading>(
  text: string,
  read: (raw: string) => R | null,
): { tokens: Token[]; readings: (R | null)[] } {
  const raws = text.match(TOKEN) ?? [];
  const shouting = isShouting(text);
  const tokens: Token[] = [];
  const readings: (R | null)[] = [];
  let phrases = false;
  for (const raw of raws) {
    const reading = read(raw);
    if (!reading) continue;
    tokens.push(shouting ? reading.shouted : reading.plain);
    readings.push(reading);
    phrases ||= reading.startsPhrase;
  }
  if (!phrases) return { tokens, readings };
  const joined = joinPhrases(tokens);
  // Joining only merges runs of tokens; tokens it kept keep their readings.
  const kept = new Map(tokens.map((t, i) => [t, readings[i] as R]));
  return { tokens: joined, readings: joined.map((t) => kept.get(t) ?? null) };
}

function joinPhrases(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const match = PHRASES.get(token.word)?.find((p) => p.words.every((w, k) => tokens[i + k]?.word === w));
    if (match) {
      out.push(match.token);
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
