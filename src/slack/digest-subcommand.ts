/**
 * `/ceasefire digest [on [HH:MM] [time zone] | off]`: the daily digest of the
 * conversation the command is typed in.
 */
import { message, SLASH_COMMAND, type SlackMessage, section } from '../render/blocks.js';
import {
  renderDigestStatus,
  renderSubscribeResult,
  renderUnsubscribeResult,
} from '../render/blocks-digest.js';
import type { RequestContext, Subcommand } from './request-context.js';

function say(text: string): SlackMessage {
  return message(text, [section(text)]);
}

async function runDigest(args: string, context: RequestContext): Promise<SlackMessage> {
  const { digest, channelId, teamId, enterpriseId } = context;
  if (!digest) return say('The daily digest is not set up on this bot.');
  if (!channelId) return say('Type this in the conversation that should get the digest.');
  // Every subscription belongs to a workspace; Slack names it in every command and event.
  if (!teamId) return say('Slack did not say which workspace this is, so I cannot look up its digest.');
  const workspace = { teamId, enterpriseId };
  const [action = '', ...rest] = args.trim().split(/\s+/);
  switch (action.toLowerCase()) {
    case '':
      return renderDigestStatus(
        await digest.status(workspace, channelId),
        await digest.preview(workspace, channelId),
      );
    case 'on':
      return renderSubscribeResult(
        await digest.subscribe(workspace, channelId, context.userId, rest.join(' ')),
      );
    case 'off':
      return renderUnsubscribeResult(await digest.unsubscribe(workspace, channelId));
    default:
      return say(
        `I don't know \`digest ${action}\`. Use \`${SLASH_COMMAND} digest\` (status and preview), \`${SLASH_COMMAND} digest on [HH:MM] [time zone]\` or \`${SLASH_COMMAND} digest off\`.`,
      );
  }
}

/** The digest subcommand. */
export const DIGEST_SUBCOMMAND: Subcommand = {
  name: 'digest',
  usage: `${SLASH_COMMAND} digest [on [HH:MM] [time zone] | off]`,
  description:
    'this conversation’s daily digest: status and preview, start it (e.g. `on 08:30 Europe/Kyiv`), stop it',
  takesArgs: true,
  run: runDigest,
};
