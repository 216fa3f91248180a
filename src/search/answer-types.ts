/**
 * What a question asks for ("when" wants a date, "who" a person) and which
 * sentences hold such a thing. A sentence that holds what the question asks
 * for ranks a little higher; words that only state the kind of answer
 * ("which city", "how long") are not searched for themselves.
 */
import type { Token } from './analyze.js';

/** The kind of thing a question asks for. */
export type AnswerType = 'when' | 'who' | 'where' | 'quantity';

/** Bit flags of what a sentence contains, one per answer type. */
export const ANSWER_FLAGS: Readonly<Record<AnswerType, number>> = { when: 1, who: 2, where: 4, quantity: 8 };

const MONTH = /\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/;
const YEAR = /\b(1[89]|20)\d{2}\b/;
const PERIOD = /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)[-\s](day|week|month|year|hour)s?\b/i;
const DAY = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow|tonight)\b/;
const RELATIVE =
  /\b(last|next|this|coming|previous|past|earlier|later)\s+(week|weekend|month|year|decade|spring|summer|autumn|fall|winter)\b|\b(ago|decades?|centuries|century)\b/i;
// A count or amount; a year ("since 2022") is a date, not a quantity.
const NUMBER =
  /(?<![\d.,])(?!(?:19|20)\d{2}(?!\d|[.,]\d))\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)s?\b/i;
const ROLE =
  /\b(President|Minister|Secretary|Chancellor|Premier|King|Queen|Pope|Senator|Ambassador|Envoy|Spokes(?:man|woman|person)|aide|adviser|advisor|General|Commander|Mayor|Governor|CEO|Chair(?:man|woman)?)\b/;
// Two capitalised words in a row after the first word: most often a person's name.
const NAME = /\s\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+/u;
const PLACE = /\b(in|at|to|from|near|outside)\s+(the\s+)?\p{Lu}\p{L}+/u;

/** The answer-type flags of a sentence, from its original text. */
export function sentenceAnswerFlags(text: string): number {
  let flags = 0;
  if (MONTH.test(text) || YEAR.test(text) || PERIOD.test(text) || DAY.test(text) || RELATIVE.test(text))
    flags |= ANSWER_FLAGS.when;
  if (ROLE.test(text) || NAME.test(text)) flags |= ANSWER_FLAGS.who;
  if (PLACE.test(text)) flags |= ANSWER_FLAGS.where;
  if (NUMBER.test(text)) flags |= ANSWER_FLAGS.quantity;
  return flags;
}

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
    if (w === 'how' && next === 'long') return { type: 'when', cueTokens: cueTokens.add(i + 1) };
    if (w === 'how' && (next === 'many' || next === 'much')) return { type: 'quantity', cueTokens };
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
