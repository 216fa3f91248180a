/**
 * An answer as a Slack message: the question restated, each fact quoted
 * with where it comes from (`Title › Section`, link, date, a visible
 * "Commentary" label for opinion) and, quietly before it, the sentence it
 * leans on, and the buttons that act on it. An overview (for a broad
 * question) is headed as one. When nothing is relevant the message says so
 * and suggests topics instead of showing unrelated facts.
 */
import type { types } from '@slack/bolt';
import type { Answer, Fact, FactSource } from '../search/types.js';
import { sourceLabel } from './answer-text.js';
import {
  actions,
  type Block,
  button,
  context,
  LIMITS,
  message,
  SLASH_COMMAND,
  type SlackMessage,
  section,
} from './blocks.js';
import { escapeText, slackLink } from './escape.js';

/** Action ids of the answer's buttons; the action listeners register these. */
export const ANSWER_ACTIONS = {
  share: 'answer_share',
  more: 'answer_more',
  helpful: 'feedback_up',
  unhelpful: 'feedback_down',
} as const;

/** How many facts one answer message shows. */
export const FACTS_PER_MESSAGE = 3;

/**
 * Where an answer is shown, which decides its buttons: a private answer can
 * be shared, a thread answer is already public, a shared one is final.
 */
export type AnswerSurface = 'private' | 'thread' | 'shared';

/** What a button needs to redo the answer: the question and the first fact shown. */
export interface AnswerRef {
  question: string;
  offset: number;
  /**
   * True when the answer began with the slash command: "Share in channel" then posts through the
   * click's response_url, which needs no membership; otherwise with chat.postMessage.
   */
  viaCommand?: boolean;
}

/** Options for rendering an answer. */
export interface AnswerOptions {
  /** Position of the first fact shown among all relevant facts (0 for a new answer). */
  offset: number;
  surface: AnswerSurface;
  /** Slack user id of the person who asked, named on shared answers. */
  askedBy?: string;
  /** Topics to suggest when nothing was found. */
  topics: readonly string[];
  /** Whether the answer began with the slash command (see `AnswerRef`). */
  viaCommand?: boolean;
}

/** The button value for an answer, or null when the question is too long to fit one (then no buttons). */
export function encodeAnswerRef(ref: AnswerRef): string | null {
  const value = JSON.stringify({ q: ref.question, o: ref.offset, ...(ref.viaCommand ? { c: 1 } : {}) });
  return value.length <= LIMITS.buttonValue ? value : null;
}

/** Reads a button value written by `encodeAnswerRef`; null when it is not one. */
export function decodeAnswerRef(value: string | undefined): AnswerRef | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { q, o, c } = parsed as { q?: unknown; o?: unknown; c?: unknown };
    if (typeof q !== 'string' || typeof o !== 'number' || !Number.isInteger(o) || o < 0) return null;
    return { question: q, offset: o, ...(c === 1 ? { viaCommand: true } : {}) };
  } catch {
    return null;
  }
}

/** Whether a string is a Slack user id, safe to put inside `<@…>`. */
function isUserId(id: string | undefined): id is string {
  return typeof id === 'string' && /^[UW][A-Z0-9]{2,}$/.test(id);
}

/** The answer message for a question. */
export function renderAnswer(answer: Answer, options: AnswerOptions): SlackMessage {
  const question = escapeText(answer.question.trim());
  const asker =
    options.surface === 'shared' && isUserId(options.askedBy) ? `<@${options.askedBy}> asked: ` : '';
  const blocks: Block[] = [section(`${asker}:mag: *${question}*`)];

  if (answer.facts.length === 0) {
    blocks.push(...nothingFound(answer, options.topics));
    return message(`Nothing in the articles about: ${question}`, blocks);
  }
  if (answer.kind === 'overview')
    blocks.push(section(`:newspaper: *Overview: ${escapeText(answer.overviewOf ?? 'the articles')}*`));
  for (const fact of answer.facts) {
    // The sentence a fact leans on ("He said…"), quietly before it, so the fact reads as in the article.
    if (fact.context) blocks.push(context([`_${escapeText(oneLine(fact.context))}_`]));
    blocks.push(section(`>${escapeText(oneLine(fact.text))}`));
    blocks.push(context(sourceParts(fact)));
  }
  blocks.push(...actions(answerButtons(answer, options)));
  const lines = answer.facts.map(
    (f, i) => `${options.offset + i + 1}. ${escapeText(oneLine(f.text))} (${sourceText(f.sources[0])})`,
  );
  const heading = answer.kind === 'overview' ? `Overview: ${escapeText(answer.overviewOf ?? '')}\n` : '';
  return message(`${asker}${question}\n${heading}${lines.join('\n')}`, blocks);
}

function nothingFound(answer: Answer, topics: readonly string[]): Block[] {
  const reason = answer.notice ? ` ${escapeText(answer.notice)}` : '';
  const blocks: Block[] = [section(`I found nothing in the articles about that.${reason}`)];
  const hints = [`See the articles with \`${SLASH_COMMAND} sources\`.`];
  if (topics.length) hints.unshift(`Try asking about: ${topics.map(escapeText).join(' · ')}`);
  blocks.push(context(hints));
  return blocks;
}

/** One context part per place the fact appears (at most 10 parts, the last counting the rest). */
function sourceParts(fact: Fact): string[] {
  const max = LIMITS.contextElements;
  const parts = fact.sources.slice(0, fact.sources.length > max ? max - 1 : max).map(sourceText);
  if (fact.sources.length > max) parts.push(`and ${fact.sources.length - (max - 1)} more places`);
  return parts;
}

/** `Commentary · Title › Section · link · date` (escaped mrkdwn), each part only when known. */
export function sourceText(source: FactSource | undefined): string {
  if (!source) return '';
  const parts: string[] = [];
  if (source.kind === 'commentary') parts.push(':speech_balloon: *Commentary*');
  parts.push(`_${escapeText(sourceLabel(source))}_`);
  const link = source.url ? slackLink(source.url, 'article') : null;
  if (link) parts.push(link);
  if (source.published) parts.push(escapeText(source.published));
  return parts.join(' · ');
}

function answerButtons(answer: Answer, options: AnswerOptions): types.Button[] {
  if (options.surface === 'shared') return [];
  const { viaCommand } = options;
  const current = encodeAnswerRef({ question: answer.question, offset: options.offset, viaCommand });
  const next = encodeAnswerRef({
    question: answer.question,
    offset: options.offset + answer.facts.length,
    viaCommand,
  });
  if (!current || !next) return [];
  const buttons: types.Button[] = [];
  if (options.surface === 'private')
    buttons.push(button(ANSWER_ACTIONS.share, 'Share in channel', current, 'primary'));
  if (answer.hasMore) buttons.push(button(ANSWER_ACTIONS.more, 'More facts', next));
  buttons.push(button(ANSWER_ACTIONS.helpful, '👍 Helpful', current));
  buttons.push(button(ANSWER_ACTIONS.unhelpful, '👎 Not helpful', current));
  return buttons;
}

/** Sentences are quoted on one line: a stray line break would end the quote formatting. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
