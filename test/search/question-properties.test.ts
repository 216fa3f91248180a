/**
 * Properties of answering anything a workspace can type, over the shipped
 * knowledge: unicode, emoji, right-to-left text, control characters and lone
 * surrogates, questions of 4,000+ characters, Slack markup (`<!channel>`,
 * `<@U123>`, `<http://x|y>`, `&amp;`), fuse.js extended-search operators and
 * regular-expression metacharacters, mixed with the articles' own words.
 * Each question, as Slack would deliver it, is read back to plain text,
 * answered and rendered for every surface: no exception, messages within
 * Slack's limits, no markup of the user's left unescaped, and the same
 * answer every time it is asked. Answer times are printed, not judged: the
 * benchmark holds the speed floors.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { suggestTopics } from '../../src/render/answer-text.js';
import { type AnswerSurface, FACTS_PER_MESSAGE, renderAnswer } from '../../src/render/blocks-answer.js';
import { plainFromSlack } from '../../src/render/escape.js';
import type { Answer } from '../../src/search/types.js';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { fuzzRuns } from '../helpers/fuzz-size.js';

/** Questions generated per run. */
const RUNS = fuzzRuns({ quick: 500, full: 10_000 });
/** Questions answered again on a freshly loaded knowledge base, to compare. */
const FRESH_SAMPLE = 250;
const SURFACES: readonly AnswerSurface[] = ['private', 'thread', 'shared'];
const ASKER = 'U0001';

let kb: KnowledgeBase;
let topics: string[];
/** The articles' sentences, as lists of words. */
let sentenceWords: string[][];
/** Every `RUNS / FRESH_SAMPLE`-th question with its answer, as the long-running knowledge base gave it. */
const sample: { question: string; offset: number; answer: Answer }[] = [];
beforeAll(async () => {
  kb = await KnowledgeBase.load('knowledge');
  topics = suggestTopics(kb.articles);
  sentenceWords = kb.articles.flatMap((a) => a.sentences.map((s) => s.text.split(/\s+/)));
  // The first answer of a process loads the word lists (once); every answer timed below comes after it.
  kb.answer('warm up the word lists');
});

const markup = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123|@team>',
  '<!date^1392734382^{date}|Feb 18>',
  '<@U123>',
  '<@U123|ann>',
  '<#C0123|general>',
  '<http://x|y>',
  '<https://evil.example/?a=1&b=2|click here>',
  '<mailto:a@b.example|mail>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&amp;lt;',
  '&',
  '<',
  '>',
  '<<>>',
  '*bold*',
  '_it_',
  '~strike~',
  '`code`',
  '```block```',
  '> quote',
  '@channel',
  '@here',
);
const fuseOperators = fc.constantFrom(
  "'",
  '!',
  '^',
  '$',
  '=',
  '|',
  "'exact",
  '!not',
  '^prefix',
  'suffix$',
  '=whole',
  'a | b',
  '!^x',
);
const regexMeta = fc.constantFrom(
  '.',
  '*',
  '+',
  '?',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\\',
  '(?<n>',
  '\\u{',
  '(a+)+$',
  '[^',
  '.*.*.*=.*',
  '\\1',
);
const emoji = fc.constantFrom('🎉', '👍🏽', '🇺🇦', '🇷🇺', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🕊️', '\u{1F600}', '♥︎', '⚠️');
const rightToLeft = fc.constantFrom(
  'مرحبا',
  'وقف إطلاق النار',
  'שלום',
  'הפסקת אש',
  '\u202Eevil\u202C',
  '\u200F',
  '\u061C',
);
const control = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u200b',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\ufffd',
    '\ud800',
    '\udfff',
  ),
);
const questionWords = fc.constantFrom(
  'who',
  'what',
  'when',
  'where',
  'which',
  'how many',
  'how long',
  'why',
  'did',
  'is',
);

/** A few consecutive words of a sentence of the articles, so that questions find things as well as nothing. */
const articleWords = fc
  .tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 8 }))
  .map(([which, from, length]) => {
    const words = sentenceWords[which % sentenceWords.length] ?? [];
    const start = from % Math.max(1, words.length);
    return words.slice(start, start + length).join(' ');
  });

/** One piece of a question. */
const piece = fc.oneof(
  { weight: 6, arbitrary: articleWords },
  { weight: 3, arbitrary: markup },
  { weight: 2, arbitrary: fuseOperators },
  { weight: 2, arbitrary: regexMeta },
  { weight: 1, arbitrary: emoji },
  { weight: 1, arbitrary: rightToLeft },
  { weight: 1, arbitrary: control },
  { weight: 2, arbitrary: questionWords },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

/** A question as Slack delivers it: pieces joined with or without spaces. */
function question(minPieces: number, maxPieces: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(piece, { minLength: minPieces, maxLength: maxPieces }),
      fc.constantFrom(' ', '', '  ', '\n'),
    )
    .map(([parts, separator]) => parts.join(separator));
}

/** Most questions are short, some are the articles' words with one odd piece; one in ten has 4,000+ characters. */
const slackText = fc.oneof(
  { weight: 6, arbitrary: question(0, 25) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(articleWords, piece, fc.boolean())
      .map(([words, odd, before]) => (before ? `${odd} ${words}` : `${words} ${odd}`)),
  },
  {
    weight: 1,
    arbitrary: question(20, 60).map((q) =>
      q.length >= 4000 ? q : q.padEnd(4000 + (q.length % 500), ` ${q || 'x'}`),
    ),
  },
);

/** The bot's own markup (quoted facts, article links, the asker's mention); anything else must arrive escaped. */
const BOT_MARKUP = new RegExp(`^>|<@${ASKER}>|<https?://[^\\s<>|]+\\|article>`, 'gm');

/** Every `<`, `>` or bare `&` in a message that is not the bot's own markup. */
function unescapedMarkup(message: unknown): string[] {
  const text = allText(message).replace(BOT_MARKUP, '');
  return text.match(/[<>]|&(?!(amp|lt|gt);)/g) ?? [];
}

describe(`${RUNS} generated questions`, () => {
  it('are answered without exception, the same every time, rendered within Slack’s limits with all user markup escaped', () => {
    let run = 0;
    const times: number[] = [];
    let longest = 0;
    let withFacts = 0;
    fc.assert(
      fc.property(slackText, fc.nat(6), (raw, offset) => {
        const text = plainFromSlack(raw);
        const started = performance.now();
        const answer = kb.answer(text, { limit: FACTS_PER_MESSAGE, offset });
        const elapsed = performance.now() - started;
        times.push(elapsed);
        longest = Math.max(longest, raw.length);
        if (answer.facts.length) withFacts++;
        expect(kb.answer(text, { limit: FACTS_PER_MESSAGE, offset })).toEqual(answer);
        for (const surface of SURFACES) {
          const message = renderAnswer(answer, { offset, surface, askedBy: ASKER, topics });
          expect(limitViolations(message)).toEqual([]);
          expect(unescapedMarkup(message)).toEqual([]);
        }
        if (run++ % Math.floor(RUNS / FRESH_SAMPLE) === 0) sample.push({ question: text, offset, answer });
      }),
      { numRuns: RUNS },
    );
    console.info(
      `question-properties: ${RUNS} questions, ${withFacts} with facts, longest ${longest} characters, answer times ${percentiles(times)}`,
    );
    expect(longest).toBeGreaterThanOrEqual(4000);
    expect(withFacts).toBeGreaterThan(RUNS / 20);
  });

  it('get the same answers from a freshly loaded knowledge base, whatever was asked before', async () => {
    expect(sample.length).toBe(FRESH_SAMPLE);
    const fresh = await KnowledgeBase.load('knowledge');
    for (const { question, offset, answer } of sample) {
      expect(fresh.answer(question, { limit: FACTS_PER_MESSAGE, offset })).toEqual(answer);
    }
  });
});

/** `median …, 99th percentile …, slowest …` of times in milliseconds. */
function percentiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
  return `median ${at(0.5)} ms, 99th percentile ${at(0.99)} ms, slowest ${at(1)} ms`;
}
