/**
 * Text analysis shared by sentences and questions: Unicode and case
 * normalisation, curly quotes, possessives, hyphenated compounds, multi-word
 * names, stop words, irregular forms and stemming. Sentences and questions go
 * through the same steps, so they meet on the same terms.
 */
import { stemmer } from 'stemmer';
import stopWordData from './data/stop-words.json' with { type: 'json' };
import wordTable from './data/synonyms.json' with { type: 'json' };
import { grown } from './typed-array.js';

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
export interface Phrase {
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

const HYPHEN = /[-\u2010\u2011]/;

/** Lower case without accents or apostrophes; a trailing possessive 's is dropped. */
function normalizeWord(raw: string): string {
  // Plain ASCII letters and digits, most words, have no accents or apostrophes to drop.
  if (/^[A-Za-z0-9]*$/.test(raw)) return raw.toLowerCase();
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

/** Reads one raw token (see `RawTokenTable`); null when nothing of it is left after normalising. */
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

/**
 * Whether text with this many letters, this many of them capitals, is
 * written in capitals: over 60% of its letters, when it has more than 12.
 */
function shouts(letters: number, upper: number): boolean {
  return letters > 12 && upper > letters * 0.6;
}

/** Whether text that holds other than ASCII characters is written in capitals (see `shouts`). */
function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return shouts(letters.length, letters.replace(/[^\p{Lu}]/gu, '').length);
}

/**
 * Character classes of the token pattern: neither a letter nor a number
 * (`OTHER`; `JOINER` for the ASCII characters that may join a token's
 * parts: apostrophe, hyphen, dot), a letter (`\p{L}`), a number (`\p{N}`).
 */
const OTHER = 1;
const JOINER = 2;
const LETTER = 3;
const NUMBER = 4;

/** Classes of ASCII characters. */
const ASCII_CLASSES = (() => {
  const classes = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const char = String.fromCharCode(c);
    classes[c] = "'-.".includes(char) ? JOINER : classify(char);
  }
  return classes;
})();

// Classes (LETTER, NUMBER or OTHER) of the Basic Multilingual Plane's characters, filled in as they are met (0: not yet known).
const BMP_CLASSES = new Uint8Array(0x10000);

function classify(char: string): number {
  return /^\p{L}$/u.test(char) ? LETTER : /^\p{N}$/u.test(char) ? NUMBER : OTHER;
}

const isApostrophe = (c: number) => c === 0x27 || c === 0x2019 || c === 0x02bc;
const isHyphen = (c: number) => c === 0x2d || c === 0x2010 || c === 0x2011;

/** Slots of a raw-token table start at this many, and double when half full. */
const FIRST_SLOTS = 1 << 12;

/** Numbers per slot: hash, id + 1 (0: empty), then the characters of a short ASCII token, packed. */
const SLOT = 4;

/** Marks a slot whose token is not packed: its characters are compared with the ones kept. */
const NOT_PACKED = -1;

/**
 * Dense ids for raw tokens (the matches of the token pattern), found by
 * scanning text a character at a time. Indexing reads every sentence of
 * the knowledge, so it meets the same few thousand words millions of times:
 * a token already seen costs no string, and its lookup touches one slot of
 * a flat table, where a `Map` of strings would reach into a large,
 * scattered table and then into the string. A token of up to eight ASCII
 * characters, most of them, is held in its slot itself, four characters to
 * a number; a longer one is compared with its characters, kept apart.
 *
 * A token is a dotted acronym (U.S.: a letter and a dot, at least twice, not
 * followed by a letter), or a run of letters and digits with inner
 * apostrophes (Russia's: an apostrophe followed by letters) and hyphens
 * (face-to-face: a hyphen followed by letters or digits). This scan is the
 * only tokenizer: questions and sentences are read by it alike.
 */
export class RawTokenTable {
  /** Raw ids of the tokens of the text last scanned, in order: the first `scan` returned of them. */
  ids = new Int32Array(256);
  /** Raw tokens new in the text last scanned, in order: their ids are the last of `size`. */
  readonly fresh: string[] = [];
  /** Whether the text last scanned is written in capitals (see `shouts`). */
  shouting = false;
  // Open addressing, `SLOT` numbers a slot.
  private slots = new Int32Array(FIRST_SLOTS * SLOT);
  // The characters of the tokens that are not packed, one after another, and per such token where its
  // characters start and how many there are.
  private chars = new Uint16Array(1 << 12);
  private charsLength = 0;
  private spans = new Int32Array(256);
  private spansLength = 0;
  private count = 0;

  /** Number of distinct raw tokens seen. */
  get size(): number {
    return this.count;
  }

  /** Finds the tokens of `text`; returns how many (their ids are the first of `ids`). */
  scan(text: string): number {
    this.fresh.length = 0;
    const end = text.length;
    let n = 0;
    // ASCII letters and capitals, for `isShouting`, which is asked only when the text has other characters.
    let letters = 0;
    let upper = 0;
    let ascii = true;
    let i = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      const first = c < 128 ? (ASCII_CLASSES[c] as number) : classAt(text, i);
      if (first < LETTER) {
        if (c >= 128) ascii = false;
        i += c < 128 ? 1 : widthAt(text, i);
        continue;
      }
      // Most tokens are a run of ASCII letters and digits followed by a space or a comma: read here,
      // and packed when short. Anything else (an apostrophe, a hyphen, a dot, other scripts) follows
      // the pattern's rules in full.
      let j = i;
      let d = c;
      let hash = 0x811c9dc5;
      let low = 0;
      let high = 0;
      while (d < 128 && (ASCII_CLASSES[d] as number) >= LETTER) {
        hash = Math.imul(hash ^ d, 0x01000193);
        if (d >= 65) {
          letters++;
          if (d <= 90) upper++;
        }
        const k = j - i;
        if (k < 4) low |= d << (8 * k);
        else if (k < 8) high |= d << (8 * (k - 4));
        d = text.charCodeAt(++j);
      }
      if (j < end && !(d < 128 && ASCII_CLASSES[d] === OTHER)) {
        const from = j;
        j = first === LETTER ? dottedEnd(text, i) : -1;
        if (j === -1) j = wordEnd(text, i);
        // The run read above is the token's start: the rest is hashed and counted on.
        for (let p = from; p < j; p++) {
          const u = text.charCodeAt(p);
          hash = Math.imul(hash ^ u, 0x01000193);
          if (u >= 97 && u <= 122) letters++;
          else if (u >= 65 && u <= 90) {
            letters++;
            upper++;
          } else if (u >= 128) ascii = false;
        }
        if (j > from) high = NOT_PACKED;
      }
      if (j - i > 8) high = NOT_PACKED;
      if (n === this.ids.length) this.ids = grown(this.ids, n * 2);
      this.ids[n++] = this.idOf(text, i, j, hash ^ (hash >>> 15), low, high);
      i = j;
    }
    this.shouting = ascii ? shouts(letters, upper) : isShouting(text);
    return n;
  }

  /** The id of the token text[start, end), adding it when new. `low` and `high` are its packed characters, or `high` is `NOT_PACKED`. */
  private idOf(text: string, start: number, end: number, hash: number, low: number, high: number): number {
    const { slots } = this;
    const mask = slots.length / SLOT - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT;
      const id = (slots[at + 1] as number) - 1;
      if (id === -1) return this.add(text, start, end, hash, low, high, at);
      if (slots[at] !== hash || slots[at + 3] !== high) continue;
      if (
        high !== NOT_PACKED
          ? slots[at + 2] === low
          : this.sameChars(slots[at + 2] as number, text, start, end)
      )
        return id;
    }
  }

  /** Whether the characters kept as span `span` are text[start, end). */
  private sameChars(span: number, text: string, start: number, end: number): boolean {
    const { chars, spans } = this;
    const from = spans[2 * span] as number;
    if (spans[2 * span + 1] !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (chars[from + k] !== text.charCodeAt(start + k)) return false;
    return true;
  }

  /** Keeps the characters of text[start, end); returns their span's number. */
  private keep(text: string, start: number, end: number): number {
    const length = end - start;
    if (this.charsLength + length > this.chars.length)
      this.chars = grown(this.chars, Math.max(this.chars.length * 2, this.charsLength + length));
    for (let k = 0; k < length; k++) this.chars[this.charsLength + k] = text.charCodeAt(start + k);
    if (2 * this.spansLength + 2 > this.spans.length) this.spans = grown(this.spans, this.spans.length * 2);
    this.spans[2 * this.spansLength] = this.charsLength;
    this.spans[2 * this.spansLength + 1] = length;
    this.charsLength += length;
    return this.spansLength++;
  }

  private add(
    text: string,
    start: number,
    end: number,
    hash: number,
    low: number,
    high: number,
    at: number,
  ): number {
    const id = this.count++;
    this.slots[at] = hash;
    this.slots[at + 1] = id + 1;
    this.slots[at + 3] = high;
    this.slots[at + 2] = high === NOT_PACKED ? this.keep(text, start, end) : low;
    this.fresh.push(text.slice(start, end));
    if (this.count * 2 > this.slots.length / SLOT) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = this.slots.length / SLOT - 1;
    for (let s = 0; s < old.length; s += SLOT) {
      if (old[s + 1] === 0) continue;
      let slot = (old[s] as number) & mask;
      while (this.slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(s, s + SLOT), slot * SLOT);
    }
  }
}

/** The class of the character (code point) at `i`. */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (Number.isNaN(c)) return OTHER;
  if (c >= 0xd800 && c <= 0xdbff) {
    const low = text.charCodeAt(i + 1);
    // A character beyond the BMP: rare enough to classify each time.
    if (low >= 0xdc00 && low <= 0xdfff) return classify(text.slice(i, i + 2));
  }
  let known = BMP_CLASSES[c] as number;
  if (known === 0) {
    known = classify(String.fromCharCode(c));
    BMP_CLASSES[c] = known;
  }
  return known;
}

/** Code units taken by the character at `i` (2 for a surrogate pair). */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return 2;
  }
  return 1;
}

/** Where a dotted acronym (`(?:\p{L}\.){2,}(?!\p{L})`) starting at `i` ends, or -1 when none starts there. */
function dottedEnd(text: string, i: number): number {
  let j = i;
  let pairs = 0;
  while (classAt(text, j) === LETTER) {
    const w = widthAt(text, j);
    if (text.charCodeAt(j + w) !== 0x2e) break;
    j += w + 1;
    pairs++;
  }
  return pairs >= 2 && classAt(text, j) !== LETTER ? j : -1;
}

/** Where a word with inner apostrophes and hyphens, starting at `i` with a letter or digit, ends. */
function wordEnd(text: string, i: number): number {
  let j = run(text, i, true);
  for (;;) {
    j = apostrophes(text, j);
    const c = text.charCodeAt(j);
    if (!isHyphen(c) || classAt(text, j + 1) === OTHER) return j;
    j = run(text, j + 1, true);
  }
}

/** Past any `['’ʼ]\p{L}+` groups at `j`. */
function apostrophes(text: string, j: number): number {
  while (isApostrophe(text.charCodeAt(j)) && classAt(text, j + 1) === LETTER) j = run(text, j + 1, false);
  return j;
}

/** Past the letters (and digits, with `digits`) at `j`. */
function run(text: string, j: number, digits: boolean): number {
  for (;;) {
    const kind = classAt(text, j);
    if (kind !== LETTER && (!digits || kind !== NUMBER)) return j;
    j += widthAt(text, j);
  }
}

/** The question side's raw tokens, and what each reads as, by raw id. */
let questionRaws = new RawTokenTable();
let questionReadings: (Reading | null)[] = [];

/** Raw tokens read for questions past this many are forgotten, so a stream of unique words cannot grow memory. */
const QUESTION_RAWS_LIMIT = 200_000;

/**
 * Splits text into normalised tokens, reading known multi-word names as one:
 * the same scan, readings and names as indexing uses. Text written all in
 * capitals carries no case information, so none is kept. Tokens are shared
 * between calls and frozen.
 */
export function tokenize(text: string): Token[] {
  if (questionRaws.size >= QUESTION_RAWS_LIMIT) {
    questionRaws = new RawTokenTable();
    questionReadings = [];
  }
  const n = questionRaws.scan(text);
  for (const raw of questionRaws.fresh) questionReadings.push(readToken(raw));
  const { ids, shouting } = questionRaws;
  const tokens: Token[] = [];
  let phrases = false;
  for (let t = 0; t < n; t++) {
    const reading = questionReadings[ids[t] as number];
    if (!reading) continue;
    tokens.push(shouting ? reading.shouted : reading.plain);
    phrases ||= reading.startsPhrase;
  }
  return phrases ? joinPhrases(tokens) : tokens;
}

/** The most words a known multi-word name has. */
export const MAX_PHRASE_WORDS = Math.max(...[...PHRASES.values()].flat().map((p) => p.words.length));

/** The known multi-word name that starts at `words[i]`, or undefined. */
export function phraseAt(words: readonly string[], i: number): Phrase | undefined {
  return PHRASES.get(words[i] as string)?.find((p) => p.words.every((w, k) => words[i + k] === w));
}

function joinPhrases(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const words = tokens.map((t) => t.word);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const match = phraseAt(words, i);
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

/**
 * Empties the stem cache. After indexing it holds the stem of every word of
 * the knowledge, where questions need the stems of a few.
 */
export function forgetStems(): void {
  stemCache.clear();
}

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
