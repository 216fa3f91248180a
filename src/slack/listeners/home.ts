/** App Home: published for a person each time they open the Home tab, with their workspace's digest. */
import type { App } from '@slack/bolt';
import { digestHomeStatus } from '../../render/blocks-digest.js';
import { renderHome } from '../../render/blocks-home.js';
import { logSlackFailure } from '../client-policy.js';
import type { ListenerDeps } from '../request-context.js';
import { usagesOf } from '../subcommands.js';

/** Registers the App Home listener. */
export function registerHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client, logger }) => {
    if (event.tab !== 'home') return;
    const feedback = await deps.store.feedbackTotals().catch((error: unknown) => {
      logger.warn(`Feedback totals unavailable: ${String(error)}`);
      return undefined;
    });
    const workspace = { teamId: body.team_id, enterpriseId: body.enterprise_id ?? null };
    const digest = await deps.digest?.overview(workspace).catch((error: unknown) => {
      logger.warn(`Digest status unavailable: ${String(error)}`);
      return undefined;
    });
    const view = renderHome(deps.knowledge.articles, {
      usages: usagesOf(deps.subcommands),
      feedback,
      ...(digest ? { digest: digestHomeStatus(digest) } : {}),
    });
    await client.views
      .publish({ user_id: event.user, view })
      .catch((error: unknown) => logSlackFailure(logger, 'views.publish', error));
  });
}
