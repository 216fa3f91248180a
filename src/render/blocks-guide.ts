/**
 * The messages that explain the bot: usage with examples (`help`) and the
 * articles it answers from (`sources`).
 */

import type { Article } from '../article.js';
import { byNewest } from '../article.js';
import {
  type Block,
  context,
  fitBlocks,
  header,
  LIMITS,
  message,
  SLASH_COMMAND,
  type SlackMessage,
  section,
} from './blocks.js';
import { escapeText, slackLink } from './escape.js';

/** One way to use the command, as the help lists it. */
export interface Usage {
  /** What to type, e.g. `/ceasefire sources`. */
  usage: string;
  description: string;
}

/** Example questions shown in help and App Home. */
const EXAMPLE_QUESTIONS = [
  "Who leads Russia's delegation?",
  'Did Russia accept the 30-day ceasefire?',
  'What does Russia want regarding NATO?',
] as const;

/** Every way to talk to the bot, besides the command itself. */
const OTHER_WAYS =
  'You can also mention me in a channel (I answer in a thread) or send me a direct message. ' +
  'Answers are the exact sentences from the articles, with where each comes from.';

/** The usage list: one line per way to use the command. */
export function usageText(usages: readonly Usage[]): string {
  return usages.map((u) => `\`${escapeText(u.usage)}\` — ${escapeText(u.description)}`).join('\n');
}

/** The example questions as commands to copy. */
export function examplesText(): string {
  return EXAMPLE_QUESTIONS.map((q) => `• \`${SLASH_COMMAND} ${escapeText(q)}\``).join('\n');
}

/** Usage with examples. */
export function renderHelp(usages: readonly Usage[], topics: readonly string[]): SlackMessage {
  const blocks: Block[] = [
    header('Ask about the news in the articles'),
    section(usageText(usages)),
    section(`*Examples*\n${examplesText()}`),
  ];
  if (topics.length) blocks.push(context([`Topics: ${topics.map(escapeText).join(' · ')}`]));
  blocks.push(context([OTHER_WAYS]));
  return message(`How to use ${SLASH_COMMAND}: ${usages.map((u) => escapeText(u.usage)).join(', ')}`, blocks);
}

/** The articles the bot answers from, newest first: title (linked when known), date, number of facts. */
export function renderSources(articles: readonly Article[]): SlackMessage {
  const sorted = [...articles].sort(byNewest);
  if (sorted.length === 0) {
    return message('No articles are loaded.', [
      section('No articles are loaded yet, so I cannot answer questions.'),
    ]);
  }
  const blocks = fitBlocks(
    [header(`Articles I answer from (${sorted.length})`), ...sorted.map((a) => section(articleHeading(a)))],
    LIMITS.messageBlocks,
    'articles',
  );
  return message(`${sorted.length} article(s): ${sorted.map((a) => escapeText(a.title)).join('; ')}`, blocks);
}

/** `*Title*` (a link when the article has a URL), then date, number of facts and kind. */
export function articleHeading(article: Article): string {
  const title = (article.url && slackLink(article.url, article.title)) || escapeText(article.title);
  const facts = `${article.sentences.length} ${article.sentences.length === 1 ? 'fact' : 'facts'}`;
  const details = [article.published ? escapeText(article.published) : 'undated', facts];
  if (article.source) details.push(escapeText(article.source));
  if (article.kind === 'commentary') details.push(':speech_balloon: commentary');
  return `*${title}*\n${details.join(' · ')}`;
}
