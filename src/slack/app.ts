/**
 * The Slack app: Bolt with the receiver for the configured mode (Socket
 * Mode or HTTP), a Web API client aimed at `SLACK_API_URL` when set, and
 * one listener module per Slack surface. Everything it uses is passed in,
 * so tests hand it a knowledge base, a store and a client pointed at a
 * local server.
 */
import { App, type Logger, type Receiver, type webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { DigestService } from '../digest/digest-service.js';
import { ConfigError, SlackCallError } from '../errors.js';
import type { GapLog } from '../gaps/gap-log.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Store } from '../store/store.js';
import { AcknowledgingSocketModeReceiver } from './acknowledge-unhandled.js';
import { slackClientOptions, slackErrorCode } from './client-policy.js';
import { SlackHttpReceiver } from './http-receiver.js';
import { InFlight } from './in-flight.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerEvents } from './listeners/events.js';
import { registerHome } from './listeners/home.js';
import type { Subcommand } from './request-context.js';
import { SUBCOMMANDS } from './subcommands.js';

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
  const { botToken, appToken, signingSecret, mode } = config.slack;
  if (!botToken || !mode) {
    throw new ConfigError(
      [{ variable: 'SLACK_BOT_TOKEN', problem: 'and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET are required' }],
      'See "Connect to Slack" in README.md.',
    );
  }
  logger.info(modeChoice(config.slack));
  const clientOptions = slackClientOptions(config.slack.apiUrl, deps.clientOptions);
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
        })
      : null;
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
    token: botToken,
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a rejected token becomes a clear startup error.
    deferInitialization: true,
    // No conversation state is kept in memory: every answer depends on the message alone.
    convoStore: false,
  });
  // Listeners report their own failures; anything else is logged here and never crashes the process.
  app.error(async (error) => {
    // Bolt gathers the failures of several listeners of one request into `originals`.
    const failures = (error as { originals?: Error[] }).originals ?? [error];
    for (const failure of failures) logger.error(`Unhandled error in a listener: ${failure.message}`);
  });
  app.use(inFlight.middleware);
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

  return {
    app,
    mode,
    get port() {
      return http?.port ?? null;
    },
    async start() {
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
function modeChoice({ mode, signingSecret }: Config['slack']): string {
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
