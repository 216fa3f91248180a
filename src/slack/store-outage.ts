/**
 * While the database is lost. `GET /healthz` says so (503), so a load
 * balancer sends requests to processes that can serve them, and the log
 * says when the database went away and when it came back.
 *
 * With many workspaces, a request's installation (its workspace's token)
 * cannot be read then, so no listener can do its work. Bolt would log the
 * failed look-up and drop the request, leaving the person with no reply at
 * all; instead the request goes on, marked, and is answered with a short
 * apology where Slack gave a way to reply that needs no token (a command's
 * or a click's `response_url`).
 */
import type { AnyMiddlewareArgs, Authorize, AuthorizeResult, Logger, Middleware } from '@slack/bolt';
import { StoreError } from '../errors.js';
import type { Store } from '../store/store.js';
import { logSlackFailure } from './client-policy.js';

/** How long the health check waits for the database: load balancers give up on a check after a few seconds. */
const PING_TIMEOUT_MS = 3000;

/** What `/healthz` says while the database is lost (its host stays in the log: the endpoint is public). */
export const DATABASE_LOST = 'the database cannot be reached';

/**
 * The health check of the store: resolves null while the database answers,
 * or `DATABASE_LOST` while it does not (or not within 3 s). Logs the moment
 * it is lost, with the store's reason, and the moment it is back.
 */
export function storeHealthCheck(store: Store, logger: Logger): () => Promise<string | null> {
  let lost = false;
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreError(`the database did not answer within ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([store.ping(), timeout]);
      if (lost) logger.info('The database answers again: serving');
      lost = false;
      return null;
    } catch (error) {
      if (!lost) logger.error(`The database is lost, so /healthz answers 503: ${String(error)}`);
      lost = true;
      return DATABASE_LOST;
    } finally {
      clearTimeout(timer);
    }
  };
}

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
