/**
 * Splits one paragraph into sentences with a single left-to-right pass.
 *
 * Splitting works per paragraph, never per file: the cost is linear in the
 * paragraph, and a stray problem in one paragraph cannot merge sentences of
 * another. The rules cover what news text is full of: titles (Mr., Dr., St.),
 * initials (John F. Kennedy), dotted acronyms (U.S., a.m.), decimals (3.5),
 * ellipses and quotations that end with the sentence ("… over." He said).
 */

/** A sentence and where it starts in the paragraph it came from. */
export interface SentenceSpan {
  text: string;
  /** Offset of the first character in the paragraph string. */
  start: number;
}

/** Abbreviations that are followed by a name or number, so never end a sentence. */
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'st',
  'sr',
  'jr',
  'sen',
  'rep',
  'gov',
  'gen',
  'col',
  'lt',
  'maj',
  'capt',
  'cmdr',
  'adm',
  'sgt',
  'cpl',
  'rev',
  'hon',
  'pres',
  'supt',
  'mt',
  'ft',
  'vs',
  'v',
  'cf',
  'approx',
  'dept',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'e.g',
  'i.e',
]);

/** Abbreviations that precede a number ("No. 5", "p. 12"); elsewhere they are ordinary words. */
const BEFORE_NUMBER = new Set(['no', 'nos', 'p', 'pp', 'fig', 'vol', 'art', 'sec', 'ca']);

/**
 * Words that start sentences. After an abbreviation that may also end a
 * sentence ("U.S.", "a.m.", "etc."), the next word decides: "in the U.S. The
 * talks" splits, "the U.S. President" does not.
 */
const SENTENCE_STARTERS = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'you',
  'this',
  'that',
  'these',
  'those',
  'there',
  'but',
  'and',
  'or',
  'so',
  'yet',
  'however',
  'meanwhile',
  'still',
  'in',
  'on',
  'at',
  'after',
  'before',
  'when',
  'while',
  'as',
  'if',
  'his',
  'her',
  'their',
  'our',
  'its',
  'both',
  'some',
  'many',
  'most',
  'no',
  'not',
  'one',
  'two',
  'officials',
  'what',
  'who',
  'why',
  'how',
  'where',
  'since',
  'for',
  'with',
  'by',
]);

/** Terminal punctuation, any closing quotes or brackets, then the whitespace after them. */
const BOUNDARY = /([.!?\u2026]+)(["'\u201d\u2019)\]]*)(\s+)/g;

/** A character that can open a sentence: a capital, a digit, or an opening quote or bracket. */
const OPENER = /["'\u201c\u2018([]*[\p{Lu}\p{Lt}\p{N}]/uy;

/** Characters looked at for what opens the next sentence. */
const OPENER_WINDOW = 8;

/** Whether the next sentence opens at `start`: an opener within the next few characters. */
function opensAt(text: string, start: number): boolean {
  OPENER.lastIndex = start;
  return OPENER.test(text) && OPENER.lastIndex - start <= OPENER_WINDOW;
}

/** Whether a UTF-16 code unit is white space, as `\s` has it. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The word just before position `end` (back to the previous whitespace). */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
  return text.slice(i, end).replace(/^["'\u201c\u2018([]+/, '');
}

/** The first word at position `start`, stripped of opening quotes. */
function wordAfter(text: string, start: number): string {
  const m = /^["'\u201c\u2018([]*([\p{L}\p{N}]+)/u.exec(text.slice(start, start + 40));
  return m?.[1] ?? '';
}

/** Decides whether the period ending `word` ends the sentence, given the next word. */
function periodEndsSentence(word: string, next: string): boolean {
  const bare = word.toLowerCase();
  if (NEVER_FINAL.has(bare)) return false;
  if (BEFORE_NUMBER.has(bare) && /^\p{N}/u.test(next)) return false;
  // A lone capital is an initial ("John F. Kennedy").
  if (/^\p{Lu}$/u.test(word)) return false;
  // Dotted acronyms (U.S, a.m, U.N) and "etc" can end a sentence; the next word decides.
  if (/^(\p{L}\.)+\p{L}$/u.test(word) || bare === 'etc') return SENTENCE_STARTERS.has(next.toLowerCase());
  return true;
}

/**
 * Splits a paragraph into sentences. Whitespace between sentences is dropped;
 * each sentence keeps its exact text.
 */
export function splitSentences(paragraph: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(paragraph); m !== null; m = BOUNDARY.exec(paragraph)) {
    const punct = m[1] ?? '';
    const afterSpace = m.index + m[0].length;
    if (!opensAt(paragraph, afterSpace)) continue;
    if (punct === '.') {
      const word = wordBefore(paragraph, m.index);
      if (!periodEndsSentence(word, wordAfter(paragraph, afterSpace))) continue;
    }
    const end = m.index + punct.length + (m[2] ?? '').length;
    pushSpan(spans, paragraph, start, end);
    start = afterSpace;
  }
  pushSpan(spans, paragraph, start, paragraph.length);
  return spans;
}

function pushSpan(spans: SentenceSpan[], paragraph: string, start: number, end: number): void {
  const raw = paragraph.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  if (text) spans.push({ text, start: start + lead });
}
