/**
 * The words of the knowledge, for correcting the words of a question
 * (Istambul → istanbul, Rubbio → rubio) and finding word families.
 *
 * A `Lexicon` holds every word ever indexed with its stem, and the lookups
 * over them; it only grows, so successive indexes (hot reload) share it and
 * bring it up to date with the few words an edit adds. A `Vocabulary` is one
 * index's view of it: which words occur there, and how.
 *
 * Correction runs in three steps, each cheaper per word than the next:
 * 1. a letter-pair index picks the words that could be within reach: one
 *    edit changes at most three of a word's letter pairs, so a word within k
 *    edits shares all but 3k of the misspelling's pairs;
 * 2. fuse.js scores those candidates by approximate matching and drops the
 *    ones past its threshold, best first;
 * 3. a Damerau (optimal string alignment) distance keeps only true
 *    near-misses, since fuse also accepts a short word found inside a long one.
 * The cost of a typo so follows the number of words that look alike, not
 * the size of the vocabulary: fuse.js over all words took about 70 ms per
 * typo at 30,000 sentences.
 */
import Fuse from 'fuse.js';
import { IntList } from './typed-array.js';

/** A known word close to a misspelt one. */
export interface Correction {
  word: string;
  stem: string;
  /** Similarity in (0, 1]: 1 − edits / length. */
  similarity: number;
}

const CACHE_LIMIT = 10_000;

/** Only letter words of three letters or more are offered as corrections: shorter ones have too many neighbours. */
const CORRECTABLE = /^\p{L}{3,}$/u;

/**
 * How many look-alikes fuse.js scores at most, those sharing the most letter pairs: enough for every
 * real near miss, few enough that a typo costs well under a millisecond in a large archive.
 */
const FUSE_CANDIDATES = 64;

/** From this length on, a correction may change the first letter. */
const FIRST_LETTER_FREE = 7;

/** Words handled between two pauses when the lexicon catches up in slices. */
const WORDS_PER_STEP = 4096;

// Letter pairs of the last word `bigrams` read, reused: a lexicon reads every word once.
let pairScratch = new Int32Array(64);

/**
 * The distinct letter pairs of a word, with `^` and `$` marking its ends,
 * each as one number (two UTF-16 code units), in ascending order. Valid
 * until the next call.
 */
function bigrams(word: string): Int32Array {
  const count = word.length + 1;
  if (pairScratch.length < count) pairScratch = new Int32Array(count * 2);
  let previous = 0x5e; // ^
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    pairScratch[i] = (previous << 16) | c;
    previous = c;
  }
  pairScratch[word.length] = (previous << 16) | 0x24; // $
  const sorted = pairScratch.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i] as number;
  return sorted.subarray(0, distinct);
}

/** Strings numbered in order of first sight. Ids never change, so cached analyses stay valid. */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  /** The strings, by id. */
  readonly values: string[] = [];

  /** The id of a string, allocating one for a new string. */
  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The id of a known string. */
  get(value: string): number | undefined {
    return this.ids.get(value);
  }

  get size(): number {
    return this.values.length;
  }
}

/** Every word seen, with its stem; the spelling and family lookups over them. Grows, never shrinks. */
export class Lexicon {
  private readonly dictionary = new Dictionary();
  /** Per word id: its stem. */
  readonly stems: string[] = [];
  // Correctable word ids by word length, then letter pair; and how many words are in it so far.
  private readonly pairs = new Map<number, Map<number, IntList>>();
  private paired = 0;
  // Per word: pairs shared with the current misspelling (zeroed after each).
  private shared = new Uint16Array(0);
  // Every distinct stem, sorted, for families; and how many words' stems are in it so far.
  private sortedStems: string[] = [];
  /** Word ids by stem, for the words a family member stands for: most stems have one word, kept as a number. */
  private readonly stemWords = new Map<string, number | number[]>();
  private stemmed = 0;

  /** The id of a word, adding it (with its stem) when new. */
  idOf(word: string, stem: string): number {
    const id = this.dictionary.idOf(word);
    if (id === this.stems.length) this.stems.push(stem);
    return id;
  }

  /** The id of a known word. */
  get(word: string): number | undefined {
    return this.dictionary.get(word);
  }

  /** Words by id. */
  get words(): readonly string[] {
    return this.dictionary.values;
  }

  get size(): number {
    return this.dictionary.size;
  }

  /** Brings the lookups up to date with the words added since, pausing between slices. */
  *catchUp(): Generator<void> {
    for (; this.paired < this.words.length; this.paired++) {
      const word = this.words[this.paired] as string;
      if (CORRECTABLE.test(word)) {
        let byPair = this.pairs.get(word.length);
        if (!byPair) {
          byPair = new Map();
          this.pairs.set(word.length, byPair);
        }
        for (const pair of bigrams(word)) {
          let row = byPair.get(pair);
          if (!row) {
            row = new IntList();
            byPair.set(pair, row);
          }
          row.push(this.paired);
        }
      }
      if (this.paired % WORDS_PER_STEP === 0) yield;
    }
    const fresh: string[] = [];
    for (; this.stemmed < this.stems.length; this.stemmed++) {
      const stem = this.stems[this.stemmed] as string;
      const words = this.stemWords.get(stem);
      if (words === undefined) {
        this.stemWords.set(stem, this.stemmed);
        fresh.push(stem);
      } else if (typeof words === 'number') {
        this.stemWords.set(stem, [words, this.stemmed]);
      } else {
        words.push(this.stemmed);
      }
    }
    if (fresh.length) this.sortedStems = mergeSorted(this.sortedStems, fresh.sort());
  }

  /** Ids of the words that share enough letter pairs with `word` to be within `max` edits, and that `keep` accepts. */
  candidates(
    word: string,
    max: number,
    keep: (id: number) => boolean,
    limit = Number.POSITIVE_INFINITY,
  ): number[] {
    runToEnd(this.catchUp());
    if (this.shared.length < this.words.length) this.shared = new Uint16Array(this.words.length * 2);
    const query = bigrams(word);
    const needed = query.length - 3 * max;
    const passed: number[] = [];
    const seen: number[] = [];
    // Only words of a length within reach are counted.
    for (let length = Math.max(3, word.length - max); length <= word.length + max; length++) {
      const byPair = this.pairs.get(length);
      if (!byPair) continue;
      for (const pair of query) {
        const row = byPair.get(pair);
        if (!row) continue;
        for (let k = 0; k < row.length; k++) {
          const id = row.values[k] as number;
          const count = (this.shared[id] as number) + 1;
          if (count === 1) seen.push(id);
          this.shared[id] = count;
          if (count === needed) passed.push(id);
        }
      }
    }
    // With too few pairs to require any, every word is a candidate.
    const candidates = (needed > 0 ? passed : this.words.map((_, id) => id)).filter((id) => {
      const known = this.words[id] as string;
      return Math.abs(known.length - word.length) <= max && CORRECTABLE.test(known) && keep(id);
    });
    // The most letter pairs in common first: the likeliest corrections, when only `limit` are wanted.
    candidates.sort((a, b) => (this.shared[b] as number) - (this.shared[a] as number) || a - b);
    for (const id of seen) this.shared[id] = 0;
    return candidates.slice(0, limit);
  }

  /** Ids of the words with this stem. */
  wordsOf(stem: string): readonly number[] {
    runToEnd(this.catchUp());
    const words = this.stemWords.get(stem) ?? [];
    return typeof words === 'number' ? [words] : words;
  }

  /**
   * Stems of the same word family: stems that extend this one by a few
   * letters, or that it extends (russia ↔ russian, optim ↔ optimist), and
   * the -nt / -nce pair the stemmer leaves apart in short words (absent ↔
   * absence, present ↔ presence). Stems of every word ever seen: the caller
   * keeps those its index has.
   */
  family(stem: string): string[] {
    if (stem.length < 5 || !/^\p{L}+$/u.test(stem)) return [];
    runToEnd(this.catchUp());
    const sorted = this.sortedStems;
    const out: string[] = [];
    for (let i = lowerBound(sorted, stem); i < sorted.length; i++) {
      const other = sorted[i] as string;
      if (!other.startsWith(stem)) break;
      if (other !== stem && other.length - stem.length <= 3) out.push(other);
    }
    for (let len = Math.max(5, stem.length - 3); len < stem.length; len++) {
      const prefix = stem.slice(0, len);
      if (this.stemWords.has(prefix)) out.push(prefix);
    }
    const pair = stem.endsWith('nt')
      ? `${stem.slice(0, -1)}c`
      : stem.endsWith('nc')
        ? `${stem.slice(0, -1)}t`
        : null;
    if (pair && this.stemWords.has(pair)) out.push(pair);
    return out;
  }
}

/**
 * One index's words: which of the lexicon's words occur in it, and how
 * often written as a name or not, with spelling correction and families.
 */
export class Vocabulary {
  private readonly corrections = new Map<string, Correction[]>();

  /**
   * @param fuzzyThreshold fuse.js threshold for a spelling candidate (0 exact … 1 anything).
   * @param named per word id: occurrences written capitalised inside a sentence (a name).
   * @param lower per word id: the other occurrences.
   */
  constructor(
    private readonly fuzzyThreshold: number,
    readonly lexicon = new Lexicon(),
    private readonly named: Uint32Array = new Uint32Array(0),
    private readonly lower: Uint32Array = new Uint32Array(0),
  ) {}

  /**
   * Known words within a small edit distance of `word`, best first. A word
   * written as a name is only corrected to another name ("Pope" must not
   * become "hope"), and a short word keeps its first letter: typos rarely
   * fall there, and one edit to a short word's first letter reaches another
   * word altogether ("Japan" is not "Sapan").
   */
  correct(word: string, asName: boolean): Correction[] {
    const key = `${asName ? 'N' : 'w'}:${word}`;
    const cached = this.corrections.get(key);
    if (cached) return cached;
    // Two edits only in long words: in short ones, two edits reach too many unrelated words.
    const maxEdits = word.length >= 8 ? 2 : 1;
    const keep = (id: number) => {
      const known = this.lexicon.words[id] as string;
      return (
        this.frequency(id) > 0 &&
        (!asName || this.isNameId(id)) &&
        (word.length >= FIRST_LETTER_FREE || known[0] === word[0])
      );
    };
    const ids = this.lexicon.candidates(word, maxEdits, keep, FUSE_CANDIDATES);
    const words = ids.map((id) => this.lexicon.words[id] as string);
    const fuse = new Fuse(words, {
      includeScore: true,
      ignoreLocation: true,
      isCaseSensitive: true,
      threshold: this.fuzzyThreshold,
    });
    const result: Correction[] = [];
    // Best fuse.js match first; equal scores keep the lexicon's order.
    for (const hit of fuse.search(word, { limit: 8 })) {
      const edits = editDistance(word, hit.item, maxEdits);
      if (edits === 0 || edits > maxEdits) continue;
      const id = ids[hit.refIndex] as number;
      const similarity = 1 - edits / Math.max(word.length, hit.item.length);
      result.push({ word: hit.item, stem: this.lexicon.stems[id] as string, similarity });
      if (result.length === 3) break;
    }
    if (this.corrections.size >= CACHE_LIMIT) this.corrections.clear();
    this.corrections.set(key, result);
    return result;
  }

  /** Stems of the same word family (see `Lexicon.family`). */
  family(stem: string): string[] {
    return this.lexicon.family(stem);
  }

  /** The words of this index with this stem, and whether each is mostly written as a name. */
  wordsWithStem(stem: string): { word: string; name: boolean }[] {
    return this.lexicon
      .wordsOf(stem)
      .filter((id) => this.frequency(id) > 0)
      .map((id) => ({ word: this.lexicon.words[id] as string, name: this.isNameId(id) }));
  }

  private frequency(id: number): number {
    return (this.named[id] ?? 0) + (this.lower[id] ?? 0);
  }

  private isNameId(id: number): boolean {
    return (this.named[id] ?? 0) > (this.lower[id] ?? 0);
  }
}

/** Merges two sorted lists into one sorted list. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as string) <= (b[j] as string) ? (a[i++] as string) : (b[j++] as string);
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  return out;
}

/** Runs a sliced job through at once. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Three rows of the distance table, reused: the one before the previous is needed for swaps.
let rows: Int32Array[] = [];

/** Optimal string alignment distance (edits with adjacent swaps), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if ((rows[0]?.length ?? 0) <= b.length) rows = [0, 1, 2].map(() => new Int32Array(b.length * 2 + 2));
  let [before, prev, row] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        d = Math.min(d, (before[j - 2] as number) + 1);
      }
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length] as number;
}
