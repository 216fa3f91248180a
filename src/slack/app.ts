/**
 * The Slack app: Bolt with the receiver for the configured mode (Socket
 * Mode or HTTP, for one workspace with its bot token, or for many with
 * their installations), a Web API client aimed at `SLACK_API_URL` when set,
 * and one listener module per Slack surface. Everything it uses is passed
 * in, so tests hand it a knowledge base, a store and a client pointed at a
 * local server.
 */
import { App, ErrorCode, type Logger, type Receiver, type webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { DigestService } from '../digest/digest-service.js';
import { ConfigError, SlackCallError } from '../errors.js';
import type { GapLog } from '../gaps/gap-log.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Store } from '../store/store.js';
import { AcknowledgingSocketModeReceiver } from './acknowledge-unhandled.js';
import { slackClientOptions, slackErrorCode } from './client-policy.js';
import { INSTALL_PATH, REDIRECT_PATH, SlackHttpReceiver } from './http-receiver.js';
import { InFlight } from './in-flight.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerEvents } from './listeners/events.js';
import { registerHome } from './listeners/home.js';
import { registerLifecycle } from './listeners/lifecycle.js';
import type { Subcommand } from './request-context.js';
import { apologizeForStoreOutage, markingStoreOutage, storeHealthCheck } from './store-outage.js';
import { SUBCOMMANDS } from './subcommands.js';
import { installationsFor, type RotatingInstallationStore } from './token-rotation.js';

/** How long shutdown waits for answers in progress before giving up on them. */
const SHUTDOWN_GRACE_MS = 10_000;

/** What the app is built from. */
export interface SlackBotDeps {
  config: Config;
  knowledge: KnowledgeBase;
  store: Store;
  logger: Logger;
  /** Web API client options, over the defaults (tests point `slackApiUrl` at a local server). */
  clientOptions?: webApi.WebClientOptions;
  /** HTTP mode: the interface to listen on (default: all). */
  host?: string;
  /**
   * Socket Mode: how long a ping may go unanswered, which is also the wait
   * before reconnecting (default 5 s; tests shorten it).
   */
  clientPingTimeout?: number;
  /** The subcommand table (default: `SUBCOMMANDS`). */
  subcommands?: readonly Subcommand[];
  /** The daily digest, for its subcommand and App Home (absent: the digest is not offered). */
  digest?: DigestService;
  /** Where unanswered questions and 👎 are kept for editors (absent: they are not kept). */
  gaps?: GapLog;
  /** Many workspaces: the installations (default: made from the configuration and the store). */
  installations?: RotatingInstallationStore;
}

/** A built app: start it, stop it, and (HTTP mode) the port it listens on. */
export interface SlackBot {
  app: App;
  mode: 'socket' | 'http';
  /** HTTP mode: the port in use once started; null in Socket Mode. */
  readonly port: number | null;
  /** Checks the bot token with Slack, then connects (Socket Mode) or listens (HTTP). */
  start(): Promise<void>;
  /** Stops taking work and waits (up to `SHUTDOWN_GRACE_MS`) for work in flight. */
  stop(): Promise<void>;
}

/** Builds the app for the configured mode. Throws `ConfigError` when the mode's secrets are missing. */
export function createSlackBot(deps: SlackBotDeps): SlackBot {
  const { config, logger } = deps;
  const { botToken, appToken, signingSecret, mode, oauth } = config.slack;
  if (!mode || (oauth ? mode !== 'http' : !botToken)) {
    throw new ConfigError(
      [
        oauth
          ? { variable: 'SLACK_SIGNING_SECRET', problem: 'is required to serve many workspaces (HTTP mode)' }
          : {
              variable: 'SLACK_BOT_TOKEN',
              problem: 'and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET are required',
            },
      ],
      'See "Connect to Slack" in README.md.',
    );
  }
  logger.info(modeChoice(config.slack));
  const clientOptions = slackClientOptions(config.slack.apiUrl, deps.clientOptions);
  const installations =
    deps.installations ?? installationsFor(config, deps.store, logger, deps.clientOptions);
  const inFlight = new InFlight();
  const http =
    mode === 'http' && signingSecret
      ? new SlackHttpReceiver({
          signingSecret,
          port: config.port,
          host: deps.host,
          logger,
          health: () => ({
            articles: deps.knowledge.articles.length,
            sentences: deps.knowledge.sentenceCount,
            inFlight: inFlight.count,
          }),
          unavailable: storeHealthCheck(deps.store, logger),
          ...(oauth && installations
            ? { oauth: { ...oauth, installationStore: installations, clientOptions } }
            : {}),
        })
      : null;
  // Many workspaces: each request's token comes from its workspace's installation.
  const authorize = http?.authorize;
  const receiver: Receiver =
    http ??
    new AcknowledgingSocketModeReceiver({
      appToken: appToken ?? '',
      logger,
      clientPingTimeout: deps.clientPingTimeout,
      // Only the API URL: the Socket Mode client keeps its own retry policy, made for reconnecting.
      installerOptions: {
        clientOptions: clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {},
      },
    });
  const app = new App({
    ...(authorize ? { authorize: markingStoreOutage(authorize) } : { token: botToken ?? undefined }),
    receiver,
    logger,
    // Bolt sets the logger to this level, INFO when not given: LOG_LEVEL=debug would end once the app exists.
    logLevel: logger.getLevel(),
    clientOptions,
    // auth.test runs in start(), where a rejected token becomes a clear startup error.
    deferInitialization: true,
    // No conversation state is kept in memory: every answer depends on the message alone.
    convoStore: false,
  });
  // Listeners report their own failures; anything else is logged here and never crashes the process.
  app.error(async (error) => {
    if (error.code === ErrorCode.AuthorizationError) {
      // Bolt found no installation for the request (or could not read it): no listener ran.
      logger.warn(`Ignored a request: ${error.message}`);
      return;
    }
    // Bolt gathers the failures of several listeners of one request into `originals`.
    const failures = (error as { originals?: Error[] }).originals ?? [error];
    for (const failure of failures) logger.error(`Unhandled error in a listener: ${failure.message}`);
  });
  app.use(inFlight.middleware);
  if (authorize) app.use(apologizeForStoreOutage);
  const listenerDeps = {
    knowledge: deps.knowledge,
    store: deps.store,
    subcommands: deps.subcommands ?? SUBCOMMANDS,
    ...(deps.digest ? { digest: deps.digest } : {}),
    ...(deps.gaps ? { gaps: deps.gaps } : {}),
  };
  registerCommands(app, listenerDeps);
  registerEvents(app, listenerDeps);
  registerActions(app, listenerDeps);
  registerHome(app, listenerDeps);
  registerLifecycle(app, listenerDeps);

  return {
    app,
    mode,
    get port() {
      return http?.port ?? null;
    },
    async start() {
      // With one workspace, init checks the bot token (auth.test); with many there is no token to check.
      await call('auth.test', 'check SLACK_BOT_TOKEN (and SLACK_API_URL, if set)', () => app.init());
      await call(
        mode === 'socket' ? 'apps.connections.open' : 'listen',
        mode === 'socket'
          ? 'check SLACK_APP_TOKEN (an app-level token with connections:write)'
          : `check that PORT ${config.port} is free`,
        () => app.start(),
      );
    },
    async stop() {
      await app.stop();
      if (!(await inFlight.idle(SHUTDOWN_GRACE_MS))) {
        logger.warn(
          `Stopped with ${inFlight.count} request(s) still in progress after ${SHUTDOWN_GRACE_MS} ms`,
        );
      }
    },
  };
}

/** Which mode runs, and why: with both secrets set Socket Mode wins, and the log says so. */
function modeChoice({ mode, signingSecret, oauth }: Config['slack']): string {
  if (oauth) {
    return (
      'HTTP mode for many workspaces (OAuth), because SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET ' +
      `are set: each workspace installs through ${INSTALL_PATH} and Slack sends it back to ${REDIRECT_PATH}; ` +
      "every request uses its workspace's own token"
    );
  }
  if (mode === 'http') return 'HTTP mode, because SLACK_SIGNING_SECRET is set and SLACK_APP_TOKEN is not';
  return signingSecret
    ? 'Socket Mode, because SLACK_APP_TOKEN is set; SLACK_SIGNING_SECRET is set too and is not used (leave SLACK_APP_TOKEN empty to run in HTTP mode)'
    : 'Socket Mode, because SLACK_APP_TOKEN is set';
}

/** Runs a startup step, turning its failure into a `SlackCallError` that says what to check. */
async function call(step: string, advice: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code === 'EADDRINUSE' ? 'EADDRINUSE' : slackErrorCode(error);
    const detail = error instanceof Error ? error.message : String(error);
    throw new SlackCallError(step, code, `${detail}: ${advice}`, { cause: error });
  }
}
