/**
 * Mentions and direct messages. A mention is answered in a thread under the
 * mentioning message (or in the thread it was written in); a direct message
 * is answered in the conversation. Each message is answered once: Slack
 * retries a delivery up to three times, and a direct message that mentions
 * the bot can arrive both as `message.im` and as `app_mention`, so every
 * delivery first claims its event id and its message in the store.
 */
import type { AllMiddlewareArgs, App, Logger } from '@slack/bolt';
import { plainFromSlack, withoutMention } from '../../render/escape.js';
import {
  explainFailure,
  isNotAMember,
  isTokenRefused,
  logSlackFailure,
  NO_UNFURL,
  PERSON_WAITING,
  retryRateLimited,
} from '../client-policy.js';
import type { ListenerDeps, Surface } from '../request-context.js';
import { reply } from '../subcommands.js';

/** How long a handled delivery is remembered: far longer than Slack's retries (minutes) take. */
const DELIVERY_MEMORY_MS = 24 * 60 * 60 * 1000;

/** One incoming message to answer. */
interface IncomingMessage {
  eventId: string | undefined;
  teamId: string | null;
  enterpriseId: string | null;
  channel: string;
  user: string;
  ts: string;
  /** Thread the message was written in, if any. */
  threadTs: string | undefined;
  text: string;
}

/** Registers the mention and direct-message listeners. */
export function registerEvents(app: App, deps: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, context, client, logger }) => {
    // Other bots' mentions and edited messages are not questions to answer (again).
    if (event.bot_id || event.subtype || !event.user || event.edited) return;
    const incoming = { ...messageOf(event, body), user: event.user };
    // Mentions are answered in a thread: the existing one, or a new one under the message.
    await answer(incoming, 'mention', incoming.threadTs ?? incoming.ts, {
      deps,
      client,
      logger,
      botUserId: context.botUserId,
    });
  });

  app.event('message', async ({ event, body, context, client, logger }) => {
    // Only plain messages from people in a DM: no edits, joins, bot posts, or the bot's own messages.
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if (event.bot_id || !event.user || event.user === context.botUserId) return;
    const incoming = { ...messageOf(event, body), user: event.user };
    await answer(incoming, 'dm', incoming.threadTs, { deps, client, logger, botUserId: context.botUserId });
  });
}

function messageOf(
  event: { channel: string; ts: string; thread_ts?: string; text?: string },
  body: { event_id?: string; team_id?: string; enterprise_id?: string },
): Omit<IncomingMessage, 'user'> {
  return {
    eventId: body.event_id,
    teamId: body.team_id ?? null,
    enterpriseId: body.enterprise_id ?? null,
    channel: event.channel,
    ts: event.ts,
    threadTs: event.thread_ts,
    text: event.text ?? '',
  };
}

interface AnswerTools {
  deps: ListenerDeps;
  client: AllMiddlewareArgs['client'];
  logger: Logger;
  botUserId: string | undefined;
}

async function answer(
  incoming: IncomingMessage,
  surface: Surface,
  threadTs: string | undefined,
  { deps, client, logger, botUserId }: AnswerTools,
): Promise<void> {
  const keys = [`message:${incoming.channel}:${incoming.ts}`];
  if (incoming.eventId) keys.push(`event:${incoming.eventId}`);
  let first: boolean;
  try {
    first = await deps.store.claim(keys, DELIVERY_MEMORY_MS);
  } catch (error) {
    // Without the store the bot cannot tell a retry from a new message; answering twice is worse than once late.
    logger.error(`Not answering ${keys[0]}: ${String(error)}`);
    return;
  }
  if (!first) {
    logger.debug(`Already answered ${keys.join(', ')}`);
    return;
  }
  const question = plainFromSlack(withoutMention(incoming.text, botUserId));
  const context = {
    ...deps,
    surface,
    userId: incoming.user,
    channelId: incoming.channel,
    teamId: incoming.teamId,
    enterpriseId: incoming.enterpriseId,
  };
  const message = await reply(question, context, logger);
  try {
    await retryRateLimited(
      () =>
        client.chat.postMessage({ channel: incoming.channel, thread_ts: threadTs, ...NO_UNFURL, ...message }),
      { logger, method: 'chat.postMessage', patience: PERSON_WAITING },
    );
  } catch (error) {
    // Never posted again: after a timeout or a 5xx the answer may be there already. The asker is told instead,
    // except where a private note could not be posted either (not a member, or the token is refused).
    const code = logSlackFailure(logger, 'chat.postMessage', error);
    if (isNotAMember(code) || isTokenRefused(code)) return;
    await client.chat
      .postEphemeral({
        channel: incoming.channel,
        user: incoming.user,
        thread_ts: threadTs,
        text: explainFailure(code),
      })
      .catch((e: unknown) => logSlackFailure(logger, 'chat.postEphemeral', e));
  }
}
