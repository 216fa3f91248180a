/**
 * Many workspaces while the database is lost: a request's installation (its
 * workspace's token) cannot be read, so no listener can do its work. Bolt
 * would log the failed look-up and drop the request, leaving the person
 * with no reply at all; instead the request goes on, marked, and is
 * answered with a short apology where Slack gave a way to reply that needs
 * no token (a command's or a click's `response_url`).
 */
import type { AnyMiddlewareArgs, Authorize, AuthorizeResult, Middleware } from '@slack/bolt';
import { StoreError } from '../errors.js';
import { logSlackFailure } from './client-policy.js';

/** The context key that marks a request whose installation could not be read. */
const OUTAGE = 'storeUnavailable';

/** What a person is told while the database is lost. */
export const STORE_OUTAGE_APOLOGY =
  "Sorry, I can't reach my records just now, so I can't answer. Please try again in a few minutes.";

/**
 * `authorize`, except that a failure of the store (wrapped by Bolt's installer
 * or not) marks the request instead of failing it. Other failures (the app
 * is not installed there) fail it as before.
 */
export function markingStoreOutage(authorize: Authorize<boolean>): Authorize<boolean> {
  return async (source, body) => {
    try {
      return await authorize(source, body);
    } catch (error) {
      const cause = (error as { original?: unknown }).original ?? error;
      if (!(cause instanceof StoreError)) throw error;
      const marked: AuthorizeResult = {
        teamId: source.teamId,
        enterpriseId: source.enterpriseId,
        [OUTAGE]: cause,
      };
      return marked;
    }
  };
}

/** Global middleware: a marked request gets the apology (where it can) and reaches no listener. */
export const apologizeForStoreOutage: Middleware<AnyMiddlewareArgs> = async (args) => {
  const failure = args.context[OUTAGE] as StoreError | undefined;
  if (!failure) {
    await args.next();
    return;
  }
  args.logger.error(`Not handling a request: its installation cannot be read (${failure.message})`);
  if ('ack' in args && args.ack) await args.ack();
  if (!('respond' in args) || !args.respond) return;
  await args
    .respond({ response_type: 'ephemeral', replace_original: false, text: STORE_OUTAGE_APOLOGY })
    .catch((error: unknown) => logSlackFailure(args.logger, 'response_url', error));
};
