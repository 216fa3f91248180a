/**
 * The distinct words of the knowledge, for correcting the words of a
 * question. fuse.js finds spelling neighbours (Istambul → istanbul,
 * Rubbio → rubio); a Damerau–Levenshtein check then keeps only true
 * near-misses, since fuse also matches a short word inside a longer one.
 *
 * Searching the vocabulary instead of every sentence keeps the cost of a
 * typo independent of how many sentences there are: the vocabulary of news
 * text grows far slower than the text itself.
 */
import Fuse from 'fuse.js';

/** How a word appears in the knowledge. */
interface WordInfo {
  stem: string;
  /** Occurrences written capitalised after the first word of a sentence: a name. */
  named: number;
  lower: number;
}

/** A known word close to a misspelt one. */
export interface Correction {
  word: string;
  stem: string;
  /** Similarity in (0, 1]: 1 − edits / length. */
  similarity: number;
}

const CACHE_LIMIT = 10_000;

/** Distinct words and stems of the indexed sentences, with spelling correction. */
export class Vocabulary {
  private readonly words = new Map<string, WordInfo>();
  private readonly byLength = new Map<number, string[]>();
  private readonly fuses = new Map<number, Fuse<string>>();
  private readonly corrections = new Map<string, Correction[]>();
  private sortedStems: string[] | null = null;
  private readonly stems = new Set<string>();

  /** @param fuzzyThreshold fuse.js threshold: how loose a neighbour fuse may propose. */
  constructor(private readonly fuzzyThreshold: number) {}

  /** Records occurrences of a word: `named` written capitalised inside a sentence, `lower` otherwise. */
  add(word: string, stem: string, named: number, lower: number): void {
    let info = this.words.get(word);
    if (!info) {
      info = { stem, named: 0, lower: 0 };
      this.words.set(word, info);
      this.stems.add(stem);
      if (word.length >= 3 && /^\p{L}+$/u.test(word)) {
        const bucket = this.byLength.get(word.length) ?? [];
        bucket.push(word);
        this.byLength.set(word.length, bucket);
      }
    }
    info.named += named;
    info.lower += lower;
  }

  /** Number of distinct words. */
  get size(): number {
    return this.words.size;
  }

  /** Whether a word occurs exactly. */
  has(word: string): boolean {
    return this.words.has(word);
  }

  /** Whether a stem occurs. */
  hasStem(stem: string): boolean {
    return this.stems.has(stem);
  }

  /** Whether a word is mostly written as a name. */
  isName(word: string): boolean {
    const info = this.words.get(word);
    return info !== undefined && info.named > info.lower;
  }

  /**
   * Known words within a small edit distance of `word`, best first. A word
   * written as a name is only corrected to another name ("Pope" must not
   * become "hope").
   */
  correct(word: string, asName: boolean): Correction[] {
    const key = `${asName ? 'N' : 'w'}:${word}`;
    const cached = this.corrections.get(key);
    if (cached) return cached;
    // Two edits only in long words: in short ones, two edits reach too many unrelated words.
    const maxEdits = word.length >= 8 ? 2 : 1;
    const found: Correction[] = [];
    for (let len = word.length - maxEdits; len <= word.length + maxEdits; len++) {
      const fuse = this.fuseFor(len);
      if (!fuse) continue;
      for (const hit of fuse.search(word, { limit: 8 })) {
        const edits = editDistance(word, hit.item, maxEdits);
        if (edits > maxEdits || edits === 0) continue;
        if (asName && !this.isName(hit.item)) continue;
        const info = this.words.get(hit.item);
        if (info)
          found.push({
            word: hit.item,
            stem: info.stem,
            similarity: 1 - edits / Math.max(word.length, hit.item.length),
          });
      }
    }
    found.sort((a, b) => b.similarity - a.similarity || this.frequency(b.word) - this.frequency(a.word));
    const result = found.slice(0, 3);
    if (this.corrections.size >= CACHE_LIMIT) this.corrections.clear();
    this.corrections.set(key, result);
    return result;
  }

  /**
   * Stems of the same word family: stems that extend this one by a few
   * letters, or that it extends (russia ↔ russian, optim ↔ optimist).
   */
  family(stem: string): string[] {
    if (stem.length < 5 || !/^\p{L}+$/u.test(stem)) return [];
    const sorted = this.sortedStemList();
    const out: string[] = [];
    for (let i = lowerBound(sorted, stem); i < sorted.length; i++) {
      const other = sorted[i] as string;
      if (!other.startsWith(stem)) break;
      if (other !== stem && other.length - stem.length <= 3) out.push(other);
    }
    for (let len = Math.max(5, stem.length - 3); len < stem.length; len++) {
      const prefix = stem.slice(0, len);
      if (this.stems.has(prefix)) out.push(prefix);
    }
    return out;
  }

  private frequency(word: string): number {
    const info = this.words.get(word);
    return info ? info.named + info.lower : 0;
  }

  private fuseFor(length: number): Fuse<string> | undefined {
    let fuse = this.fuses.get(length);
    const bucket = this.byLength.get(length);
    if (!fuse && bucket) {
      // Built on first use: most word lengths are never needed for correction.
      fuse = new Fuse(bucket, {
        includeScore: true,
        ignoreLocation: true,
        threshold: this.fuzzyThreshold,
        isCaseSensitive: true,
      });
      this.fuses.set(length, fuse);
    }
    return fuse;
  }

  private sortedStemList(): string[] {
    this.sortedStems ??= [...this.stems].sort();
    return this.sortedStems;
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

/** Optimal string alignment distance (edits with adjacent swaps), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}
