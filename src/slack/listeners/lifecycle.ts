/**
 * The app leaving a workspace: `app_uninstalled` (someone removed the app)
 * and `tokens_revoked` naming bot tokens (the bot's token was revoked). The
 * bot forgets the workspace (for an org-wide install, the whole org): its
 * installations, readers' feedback, and digest subscriptions and ledger are
 * deleted, so nothing is posted there again. Slack sends these events
 * without a token to check them against, and Bolt passes them on without
 * looking up an installation, which may already be gone.
 */
import type { App, Context, Logger } from '@slack/bolt';
import type { Store, Workspace } from '../../store/store.js';

/** Registers the uninstall and token-revocation listeners. */
export function registerLifecycle(app: App, deps: { store: Store }): void {
  app.event('app_uninstalled', async ({ context, logger }) => {
    await forget(deps.store, context, 'app_uninstalled', logger);
  });

  app.event('tokens_revoked', async ({ event, context, logger }) => {
    // User tokens alone: the app asks for no user scopes, so it keeps nothing that used them.
    const bot: unknown = event.tokens?.bot;
    if (!(Array.isArray(bot) && bot.length > 0)) {
      logger.info('Slack revoked user tokens only: nothing to forget');
      return;
    }
    await forget(deps.store, context, 'tokens_revoked', logger);
  });
}

/** Deletes what the bot keeps of the workspace or org the event came from; a failure is logged. */
async function forget(store: Store, context: Context, why: string, logger: Logger): Promise<void> {
  const workspace = workspaceOf(context);
  if (!workspace) {
    logger.warn(`Ignored ${why}: it names no workspace`);
    return;
  }
  const where = workspace.teamId ? `workspace ${workspace.teamId}` : `org ${workspace.enterpriseId}`;
  try {
    await store.deleteWorkspace(workspace);
  } catch (error) {
    // Slack does not send the event again: the data stays, and Slack refuses any post made with its token.
    logger.error(
      `Could not forget ${where} after ${why}, so its installation and data are kept: ${String(error)}`,
    );
    return;
  }
  logger.info(
    `Forgot ${where} after ${why}: its installations, readers' feedback, and digest subscriptions and ledger are deleted`,
  );
}

/** The org of an org-wide install, or else the workspace, that an event came from. */
function workspaceOf(context: Context): Workspace | null {
  if (context.isEnterpriseInstall && context.enterpriseId) return { enterpriseId: context.enterpriseId };
  return context.teamId ? { teamId: context.teamId } : null;
}
