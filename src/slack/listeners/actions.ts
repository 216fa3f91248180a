/**
 * The answer's buttons. Each carries the question and the position of its
 * first fact, so a click redoes the answer from the knowledge in service:
 * "Share in channel" posts it publicly naming who asked (an answer to the
 * slash command through the click's response_url, which works where the bot
 * is not a member, such as a DM between two people; others with
 * chat.postMessage), "More facts" shows the next ones privately, and 👍/👎
 * record the reader's rating (a 👎 also keeps the question for editors).
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { ANSWER_ACTIONS, type AnswerRef, decodeAnswerRef } from '../../render/blocks-answer.js';
import {
  explainFailure,
  logSlackFailure,
  NO_UNFURL,
  PERSON_WAITING,
  retryRateLimited,
} from '../client-policy.js';
import type { ListenerDeps, RequestContext, Surface } from '../request-context.js';
import { answer, orApology } from '../subcommands.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Registers the answer buttons. */
export function registerActions(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ANSWER_ACTIONS.more, async (args) => {
    await args.ack();
    const request = requestOf(args, deps);
    if (!request) return;
    const { question, offset, viaCommand = false } = request.ref;
    const message = await orApology(args.logger, question, () =>
      answer(question, offset, request.context, { viaCommand }),
    );
    await respondTo(args, { response_type: 'ephemeral', replace_original: false, ...NO_UNFURL, ...message });
  });

  app.action<BlockAction<ButtonAction>>(ANSWER_ACTIONS.share, async (args) => {
    await args.ack();
    const request = requestOf(args, deps);
    const channel = args.body.channel?.id;
    if (!request || !channel) return;
    // No apology in place of a failed answer here: it would be posted for the whole channel.
    const message = answer(request.ref.question, request.ref.offset, request.context, { surface: 'shared' });
    const method = request.ref.viaCommand ? 'response_url' : 'chat.postMessage';
    try {
      if (request.ref.viaCommand) {
        // Through the response_url, as the command's answer came: Slack posts it without the bot being a member.
        await args.respond({
          response_type: 'in_channel',
          replace_original: false,
          ...NO_UNFURL,
          ...message,
        });
      } else {
        await retryRateLimited(() => args.client.chat.postMessage({ channel, ...NO_UNFURL, ...message }), {
          logger: args.logger,
          method,
          patience: PERSON_WAITING,
        });
      }
    } catch (error) {
      // Not posted again and the private copy is kept: the reader is told what happened and decides.
      const code = logSlackFailure(args.logger, method, error);
      await respondTo(args, {
        response_type: 'ephemeral',
        replace_original: false,
        text: explainFailure(code),
      });
      return;
    }
    // The public answer now stands where the private one was.
    await respondTo(args, { delete_original: true });
  });

  for (const [actionId, helpful] of [
    [ANSWER_ACTIONS.helpful, true],
    [ANSWER_ACTIONS.unhelpful, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      const request = requestOf(args, deps);
      if (!request) return;
      const { userId, teamId, channelId } = request.context;
      let text = 'Thanks, your rating is recorded.';
      try {
        const changed = await deps.store.recordFeedback({
          userId,
          teamId,
          channelId,
          ...request.ref,
          helpful,
        });
        // A 👎 is kept for editors once per reader and answer, without who gave it (see GapLog).
        if (changed && !helpful) {
          await deps.gaps?.record({
            kind: 'disliked',
            question: request.ref.question,
            surface: askedOn(request.ref, channelId),
            teamId,
          });
        }
      } catch (error) {
        args.logger.error(`Feedback not recorded: ${String(error)}`);
        text = 'Sorry, I could not record your rating just now.';
      }
      await respondTo(args, { response_type: 'ephemeral', replace_original: false, text });
    });
  }
}

/**
 * Where the rated answer's question was asked: the command (the answer
 * says so), a direct message (a `D…` conversation), otherwise a mention.
 */
function askedOn(ref: AnswerRef, channelId: string | null): Surface {
  if (ref.viaCommand) return 'command';
  return channelId?.startsWith('D') ? 'dm' : 'mention';
}

/** Replies through the click's response_url; a failure is logged, never thrown. */
async function respondTo(args: ButtonArgs, reply: Parameters<ButtonArgs['respond']>[0]): Promise<void> {
  await args.respond(reply).catch((error: unknown) => logSlackFailure(args.logger, 'response_url', error));
}

/** The answer a click refers to and who clicked, or null (logged) when the button's value is not ours. */
function requestOf(
  { body, action, logger }: ButtonArgs,
  deps: ListenerDeps,
): { ref: AnswerRef; context: RequestContext } | null {
  const ref = decodeAnswerRef(action.value);
  if (!ref) {
    logger.warn(`Ignored ${action.action_id}: its value is not an answer reference`);
    return null;
  }
  // Every reply goes to the click's response_url, which only a click in a message brings.
  if (!body.response_url) {
    logger.warn(`Ignored ${action.action_id}: it did not come from a message`);
    return null;
  }
  const context: RequestContext = {
    ...deps,
    surface: body.container?.is_ephemeral ? 'command' : 'mention',
    userId: body.user.id,
    channelId: body.channel?.id ?? null,
    teamId: body.team?.id ?? null,
    enterpriseId: body.enterprise?.id ?? body.team?.enterprise_id ?? null,
  };
  return { ref, context };
}
