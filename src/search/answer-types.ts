/**
 * What a question asks for ("when" wants a date, "who" a person) and which
 * sentences hold such a thing. A sentence that holds what the question asks
 * for ranks a little higher; words that only state the kind of answer
 * ("which city", "how long") are not searched for themselves.
 */
import type { Token } from './analyze.js';

/** The kind of thing a question asks for. */
export type AnswerType = 'when' | 'who' | 'where' | 'quantity' | 'duration';

/**
 * Bit flags of what a sentence contains, one per kind of thing; a duration
 * ("how long") is answered by a date ("since March 2022") or a number
 * ("for 30 days", "1,230 km long").
 */
export const ANSWER_FLAGS: Readonly<Record<AnswerType, number>> = {
  when: 1,
  who: 2,
  where: 4,
  quantity: 8,
  duration: 1 | 8,
};

/** The words of a list written out in a string. */
const words = (list: string): string[] => list.trim().split(/\s+/);

const MONTHS = words('January February March April May June July August September October November December');
const DAYS = words(
  'Monday Tuesday Wednesday Thursday Friday Saturday Sunday yesterday today tomorrow tonight',
);
const ROLES = words(`President Minister Secretary Chancellor Premier King Queen Pope Senator Ambassador Envoy
  Spokesman Spokeswoman Spokesperson aide adviser advisor General Commander Mayor Governor CEO Chair Chairman
  Chairwoman`);
/** Words for "long ago" (matched in any case). */
const AGES = words('ago decade decades centuries century');
/**
 * Counts written out (in any case, and also with a plural s). Not "one": far more often a
 * determiner or a pronoun ("One critical issue", "one of the") than a count.
 */
const COUNTS = words('two three four five six seven eight nine ten dozen hundred thousand million billion');

const MONTH = `\\b(${MONTHS.join('|')})\\b`;
const YEAR = '\\b(1[89]|20)\\d{2}\\b';
const PERIOD = anyCase(
  '\\b(\\d+|one|two|three|four|five|six|seven|eight|nine|ten)[-\\s](day|week|month|year|hour)s?\\b',
);
const DAY = `\\b(${DAYS.join('|')})\\b`;
const RELATIVE = anyCase(
  `\\b(last|next|this|coming|previous|past|earlier|later)\\s+(week|weekend|month|year|decade|spring|summer|autumn|fall|winter)\\b|\\b(${AGES.join('|')})\\b`,
);
const ROLE = `\\b(${ROLES.join('|')})\\b`;
// Two capitalised words in a row after the first word: most often a person's name.
const NAME = '\\s\\p{Lu}\\p{Ll}+\\s+\\p{Lu}\\p{Ll}+';

/** A date, a day or a span of time. */
const WHEN = new RegExp([MONTH, YEAR, PERIOD, DAY, RELATIVE].join('|'));
/** A role or a person's name. */
const WHO = new RegExp([ROLE, NAME].join('|'), 'u');
const PLACE = /\b(in|at|to|from|near|outside)\s+(the\s+)?\p{Lu}\p{L}+/u;
// A count or amount; a year ("since 2022") is a date, not a quantity.
const NUMBER = new RegExp(
  `(?<![\\d.,])(?!(?:19|20)\\d{2}(?!\\d|[.,]\\d))\\d|\\b(${COUNTS.join('|')})s?\\b`,
  'i',
);

/**
 * A pattern's source matching its letters in either case, for the parts of a
 * combined pattern that ignore case (the `i` flag would apply to all of it).
 * Escapes are kept; the pattern must have no letters inside brackets.
 */
function anyCase(source: string): string {
  return source.replace(/\\.|[a-z]/gi, (m) =>
    m.length === 2 ? m : `[${m.toLowerCase()}${m.toUpperCase()}]`,
  );
}

/** Every answer-type flag. */
const ALL_ANSWER_FLAGS = Object.values(ANSWER_FLAGS).reduce((all, bit) => all | bit, 0);

const PATTERNS: readonly (readonly [number, RegExp])[] = [
  [ANSWER_FLAGS.when, WHEN],
  [ANSWER_FLAGS.who, WHO],
  [ANSWER_FLAGS.where, PLACE],
  [ANSWER_FLAGS.quantity, NUMBER],
];

/**
 * The answer-type flags of a sentence, from its original text, among the
 * types in `wanted` (all by default). Flags in `known` (found from its
 * tokens, see `tokenAnswerFlags`) are not looked for again.
 */
export function sentenceAnswerFlags(text: string, known = 0, wanted = ALL_ANSWER_FLAGS): number {
  let flags = known;
  for (const [bit, pattern] of PATTERNS)
    if ((wanted & bit) !== 0 && (flags & bit) === 0 && pattern.test(text)) flags |= bit;
  return flags;
}

const WHEN_TOKENS = new Set([...MONTHS, ...DAYS]);
const AGE_TOKENS = new Set(AGES);
const ROLE_TOKENS = new Set(ROLES);
const COUNT_TOKENS = new Set([...COUNTS, ...COUNTS.map((c) => `${c}s`)]);

/**
 * The flags a token (a match of the token pattern) gives any sentence that
 * holds it, found from the token alone: a month, a day, a role or a count
 * written out. The patterns above read these words between word
 * boundaries, and a token that starts with a letter has no letter or digit
 * on either side (they would be part of it), so only an underscore can join
 * it to a neighbour: a sentence with one must not be given these flags.
 * Digits are left to the patterns: they may follow the letters of a token
 * directly ("Russia’s2015" is two tokens).
 */
export function tokenAnswerFlags(token: string): number {
  let flags = 0;
  // Letters other than ASCII ones may change length or meet another letter in lower case: those tokens are left to the patterns.
  const lower = /^[\x20-\x7e]*$/.test(token) ? token.toLowerCase() : '';
  if (WHEN_TOKENS.has(token) || AGE_TOKENS.has(lower)) flags |= ANSWER_FLAGS.when;
  if (ROLE_TOKENS.has(token)) flags |= ANSWER_FLAGS.who;
  if (COUNT_TOKENS.has(lower)) flags |= ANSWER_FLAGS.quantity;
  return flags;
}

/** Words that after "how" ask for a measure. */
const MEASURES = new Set(['old', 'far', 'big', 'large', 'tall', 'high', 'deep', 'wide']);

const WHEN_NOUNS = new Set(['year', 'date', 'day', 'month', 'time', 'week', 'hour']);
const WHO_NOUNS = new Set(['person', 'people', 'persons', 'individual', 'man', 'woman', 'name']);
const WHERE_NOUNS = new Set(['city', 'country', 'place', 'town', 'location', 'venue', 'capital', 'nation']);

/** What a question asks for, and the indexes of tokens that only say so. */
export interface QuestionType {
  type: AnswerType | null;
  cueTokens: Set<number>;
  /**
   * The noun a "which …" / "what is the …" question asks about ("Which hotel", "What is the
   * population"), or -1. An answer must be about that thing.
   */
  focusToken: number;
}

const FOCUS_SKIP = new Set(['is', 'are', 'was', 'were', 'the', 'a', 'an']);

/** Finds the answer type and focus of a question from its opening words. */
export function questionType(tokens: readonly Token[]): QuestionType {
  const { type, cueTokens } = answerType(tokens);
  return { type, cueTokens, focusToken: focusOf(tokens, cueTokens) };
}

function focusOf(tokens: readonly Token[], cueTokens: Set<number>): number {
  const start = tokens.findIndex((t) => t.word === 'which' || t.word === 'what');
  if (start === -1 || start > 3) return -1;
  let i = start + 1;
  while (i < tokens.length && FOCUS_SKIP.has(tokens[i]?.word ?? '')) i++;
  return i < tokens.length && !cueTokens.has(i) ? i : -1;
}

function answerType(tokens: readonly Token[]): { type: AnswerType | null; cueTokens: Set<number> } {
  const cueTokens = new Set<number>();
  const words = tokens.map((t) => t.word);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1] ?? '';
    if (w === 'when') return { type: 'when', cueTokens };
    if (w === 'how' && next === 'long') return { type: 'duration', cueTokens: cueTokens.add(i + 1) };
    if (w === 'how' && (next === 'many' || next === 'much')) return { type: 'quantity', cueTokens };
    // "How old", "how far", "how big": a measure, so a number answers it; the measure word itself is not searched.
    if (w === 'how' && MEASURES.has(next)) return { type: 'quantity', cueTokens: cueTokens.add(i + 1) };
    if (w === 'who' || w === 'whom' || w === 'whose') return { type: 'who', cueTokens };
    if (w === 'where') return { type: 'where', cueTokens };
    if (w === 'which' || w === 'what') {
      if (WHEN_NOUNS.has(next)) return { type: 'when', cueTokens: cueTokens.add(i + 1) };
      if (WHERE_NOUNS.has(next)) return { type: 'where', cueTokens: cueTokens.add(i + 1) };
      if (WHO_NOUNS.has(next)) return { type: 'who', cueTokens: cueTokens.add(i + 1) };
    }
    // Only the opening of a question says what it asks for.
    if (i >= 3) break;
  }
  return { type: null, cueTokens };
}
