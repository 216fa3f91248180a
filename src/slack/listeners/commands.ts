/**
 * `/ceasefire …`: acknowledged before anything else (Slack allows 3 seconds),
 * then answered privately through the command's `response_url`.
 */
import type { App } from '@slack/bolt';
import { SLASH_COMMAND } from '../../render/blocks.js';
import { plainFromSlack } from '../../render/escape.js';
import { logSlackFailure, NO_UNFURL } from '../client-policy.js';
import type { ListenerDeps } from '../request-context.js';
import { reply } from '../subcommands.js';

/** Registers the slash command. */
export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, logger }) => {
    await ack();
    const context = {
      ...deps,
      surface: 'command' as const,
      userId: command.user_id,
      channelId: command.channel_id ?? null,
      teamId: command.team_id ?? null,
      enterpriseId: command.enterprise_id ?? null,
    };
    const message = await reply(plainFromSlack(command.text ?? ''), context, logger);
    await respond({ response_type: 'ephemeral', ...NO_UNFURL, ...message }).catch((error: unknown) =>
      logSlackFailure(logger, 'response_url', error),
    );
  });
}
