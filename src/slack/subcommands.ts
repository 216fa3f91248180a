/**
 * What a text sent to the bot means, the same on every surface: the command
 * (`/ceasefire …`), a mention and a direct message. A table of subcommands
 * (`help`, `sources`, …) is checked first; any other text is a question.
 * A feature adds a subcommand by adding an entry to the table; help lists
 * the table, so it documents the new entry too.
 */

import type { Logger } from '@slack/bolt';
import { isUnanswered } from '../gaps/gap-log.js';
import { suggestTopics } from '../render/answer-text.js';
import { message, SLASH_COMMAND, type SlackMessage, section } from '../render/blocks.js';
import { type AnswerSurface, FACTS_PER_MESSAGE, renderAnswer } from '../render/blocks-answer.js';
import { renderHelp, renderSources, type Usage } from '../render/blocks-guide.js';
import type { Answer } from '../search/types.js';
import { DIGEST_SUBCOMMAND } from './digest-subcommand.js';
import type { RequestContext, Subcommand } from './request-context.js';

/** The subcommands every surface understands. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'help',
    usage: `${SLASH_COMMAND} help`,
    description: 'this help',
    takesArgs: false,
    run: (_args, context) => help(context),
  },
  {
    name: 'sources',
    usage: `${SLASH_COMMAND} sources`,
    description: 'the articles I answer from: title, date, number of facts, link',
    takesArgs: false,
    run: (_args, context) => renderSources(context.knowledge.articles),
  },
  DIGEST_SUBCOMMAND,
];

/** Every way to use the command: a question first, then each subcommand. */
export function usagesOf(subcommands: readonly Subcommand[]): Usage[] {
  return [
    {
      usage: `${SLASH_COMMAND} <question>`,
      description: 'the exact sentences from the articles that answer it, with their sources',
    },
    ...subcommands.map(({ usage, description }) => ({ usage, description })),
  ];
}

/** The subcommand a text starts with, and the words after it; null when the text is a question. */
export function findSubcommand(
  text: string,
  subcommands: readonly Subcommand[],
): { subcommand: Subcommand; args: string } | null {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const subcommand = subcommands.find((s) => s.name === first.toLowerCase());
  const args = rest.join(' ');
  if (!subcommand || (args && !subcommand.takesArgs)) return null;
  return { subcommand, args };
}

/**
 * The reply to a text (plain, as the person wrote it): help when empty, a
 * subcommand, or an answer. A failure while answering is logged and the
 * person gets an apology instead, so every text gets a reply.
 */
export function reply(text: string, context: RequestContext, logger: Logger): Promise<SlackMessage> {
  const trimmed = text.trim();
  return orApology(logger, trimmed, () => {
    if (!trimmed) return help(context);
    const found = findSubcommand(trimmed, context.subcommands);
    return found ? found.subcommand.run(found.args, context) : ask(trimmed, context);
  });
}

/**
 * The answer to a question someone asked; one the articles do not answer is
 * kept for editors (`npm run gaps`) before the reply goes out. Keeping it
 * never fails the reply (see `GapLog.record`).
 */
async function ask(question: string, context: RequestContext): Promise<SlackMessage> {
  const found = context.knowledge.answer(question, { limit: FACTS_PER_MESSAGE });
  if (isUnanswered(found)) {
    await context.gaps?.record({
      kind: 'unanswered',
      question,
      surface: context.surface,
      teamId: context.teamId,
    });
  }
  return present(found, 0, context);
}

const APOLOGY = 'Sorry, something went wrong while I was answering that. Please try again in a moment.';

/** The message `produce` makes, or (logged) an apology when it fails: a person always gets a reply. */
export async function orApology(
  logger: Logger,
  text: string,
  produce: () => SlackMessage | Promise<SlackMessage>,
): Promise<SlackMessage> {
  try {
    return await produce();
  } catch (error) {
    logger.error(`Failed to answer "${text.slice(0, 200)}":`, error);
    return message(APOLOGY, [section(APOLOGY)]);
  }
}

/** Usage with examples and the topics the articles cover. */
function help(context: RequestContext): SlackMessage {
  return renderHelp(usagesOf(context.subcommands), suggestTopics(context.knowledge.articles));
}

/** How an answer is shown, when not as the request's surface implies. */
export interface AnswerShown {
  surface?: AnswerSurface;
  /** Whether the conversation began with the slash command (default: when the request is one). */
  viaCommand?: boolean;
}

/** The answer to a question, from its `offset`-th relevant fact on, as shown on the context's surface. */
export function answer(
  question: string,
  offset: number,
  context: RequestContext,
  shown: AnswerShown = {},
): SlackMessage {
  return present(
    context.knowledge.answer(question, { limit: FACTS_PER_MESSAGE, offset }),
    offset,
    context,
    shown,
  );
}

/** An answer as shown on the context's surface, its facts numbered from `offset`. */
function present(
  found: Answer,
  offset: number,
  context: RequestContext,
  shown: AnswerShown = {},
): SlackMessage {
  return renderAnswer(found, {
    offset,
    surface: shown.surface ?? (context.surface === 'command' ? 'private' : 'thread'),
    askedBy: context.userId,
    topics: suggestTopics(context.knowledge.articles),
    viaCommand: shown.viaCommand ?? context.surface === 'command',
  });
}
