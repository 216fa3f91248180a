/**
 * The bot's wiring: configuration → knowledge → store → Slack, digest and
 * folder watcher. `startBot` builds a running bot from given parts (tests and
 * benchmarks pass their own; the program, `main.ts`, only the configuration)
 * and stops it again.
 */
import type { Logger, webApi } from '@slack/bolt';
import { type Config, secretsOf } from './config.js';
import { CeasefireError } from './errors.js';
import { GapLog } from './gaps/gap-log.js';
import { KnowledgeBase } from './knowledge/knowledge-base.js';
import { createLogger } from './log.js';
import { createSlackBot, type SlackBot } from './slack/app.js';
import { createDigestSetup } from './slack/digest-setup.js';
import { EVENTS_PATH, INSTALL_PATH } from './slack/http-receiver.js';
import { installationsFor, type RotatingInstallationStore } from './slack/token-rotation.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** The parts of a bot; everything but the configuration has a default built from it. */
export interface StartOptions {
  config: Config;
  knowledge?: KnowledgeBase;
  store?: Store;
  logger?: Logger;
  /** Web API client options over the defaults (e.g. a local `slackApiUrl`). */
  clientOptions?: webApi.WebClientOptions;
  /** HTTP mode: interface to listen on (default: all). */
  host?: string;
  /** Socket Mode: how long a ping may go unanswered, and the wait before reconnecting. */
  clientPingTimeout?: number;
}

/** A started bot. */
export interface RunningBot {
  bot: SlackBot;
  knowledge: KnowledgeBase;
  store: Store;
  logger: Logger;
  /** Many workspaces: their installations (`tokenFor` gives a workspace's fresh bot token); null for one. */
  installations: RotatingInstallationStore | null;
  /** Stops taking work, waits for work in flight, closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Builds and starts the bot. On failure nothing is left open. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config } = options;
  const logger =
    options.logger ??
    createLogger({
      level: config.logLevel,
      secrets: secretsOf(config),
    });
  const knowledge = options.knowledge ?? (await loadKnowledgeBase(config.knowledgeDir, logger));
  // Postgres when DATABASE_URL is set, else SQLite; one that cannot be used stops the start, named by variable.
  const store = options.store ?? (await openStore(config, logger));
  // Many workspaces: each workspace's token, from its installation (kept fresh), for requests and the digest.
  const installations = installationsFor(config, store, logger, options.clientOptions);
  // The digest posts through its own client, on the same client policy as answers (see client-policy.ts).
  const apiUrl = options.clientOptions?.slackApiUrl ?? config.slack.apiUrl;
  // The digest posts with the same installations' tokens; with one bot token, in that token's workspace.
  const digest = createDigestSetup({
    config,
    store,
    articles: () => knowledge.articles,
    logger,
    apiUrl: apiUrl ?? null,
    ...(installations ? { installations } : {}),
  });
  const gaps = new GapLog({ store, retentionDays: config.gaps.retentionDays, logger });
  let bot: SlackBot;
  try {
    bot = createSlackBot({
      config,
      knowledge,
      store,
      logger,
      clientOptions: options.clientOptions,
      host: options.host,
      clientPingTimeout: options.clientPingTimeout,
      digest: digest.service,
      gaps,
      ...(installations ? { installations } : {}),
    });
    await bot.start();
    await digest.start();
  } catch (error) {
    await digest.stop();
    await store.close();
    throw error;
  }
  logger.info(
    bot.mode === 'http'
      ? `Listening for Slack requests on port ${bot.port} at ${EVENTS_PATH} (HTTP mode)` +
          (installations ? `; installs start at ${INSTALL_PATH}` : '')
      : 'Connected to Slack (Socket Mode)',
  );
  // New, edited and removed articles are served without a restart; a broken file keeps its last good version.
  // A knowledge base handed in (tests) is the caller's to manage.
  const watcher = options.knowledge ? null : knowledge.watch({ logger });
  // Questions past GAPS_RETENTION_DAYS go at start and then daily, even when none is asked.
  const stopPurging = gaps.purgeDaily();
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    await Promise.all([watcher?.close(), digest.stop(), bot.stop(), stopPurging()]);
    await store.close();
  };
  return {
    bot,
    knowledge,
    store,
    logger,
    installations,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

async function loadKnowledgeBase(dir: string, logger: Logger): Promise<KnowledgeBase> {
  const knowledge = await KnowledgeBase.load(dir);
  for (const p of knowledge.problems) {
    const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
    (p.severity === 'error' ? logger.error : logger.warn)(`${where}: ${p.message}`);
  }
  logger.info(
    `Loaded ${knowledge.articles.length} article(s), ${knowledge.sentenceCount} sentences from ${dir}`,
  );
  if (knowledge.articles.length === 0) logger.warn(`No articles in ${dir}: every question will find nothing`);
  return knowledge;
}

/** The one message printed when the bot cannot start. */
export function startupMessage(error: unknown): string {
  if (error instanceof CeasefireError) return `Cannot start: ${error.message}`;
  return `Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
