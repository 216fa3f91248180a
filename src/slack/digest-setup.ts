/**
 * The daily digest as the bot runs it: one poster for every workspace, the
 * scheduler, and the service behind `/ceasefire digest` and App Home, built
 * from the configuration and the store. Every replica builds its own; the
 * store's ledger decides which of them posts a day's digest.
 */
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { Article } from '../article.js';
import type { Config } from '../config.js';
import { DigestService } from '../digest/digest-service.js';
import { DigestScheduler } from '../digest/scheduler.js';
import type { DigestInstallations } from '../digest/workspaces.js';
import type { Store } from '../store/store.js';
import { createDigestPoster } from './digest-poster.js';
import { digestInstallations, prepareDigest } from './digest-workspaces.js';

/** What the digest is built from. */
export interface DigestSetupOptions {
  config: Pick<Config, 'slack' | 'digest'>;
  store: Store;
  articles: () => readonly Article[];
  logger: Logger;
  /** Web API base URL (null: Slack's own). */
  apiUrl: string | null;
  /**
   * Where it posts, with which tokens: with OAuth, the installation store
   * that serves requests (default: `digestInstallations` for the configuration).
   */
  installations?: DigestInstallations;
}

/** The digest of a running bot. */
export interface DigestSetup {
  service: DigestService;
  scheduler: DigestScheduler;
  /** Readies the store (a single bot token's workspace and DIGEST_CHANNELS), then starts the schedule. */
  start(): Promise<void>;
  /** Stops the schedule and waits for posts in progress. */
  stop(): Promise<void>;
}

/** Builds the digest; nothing runs before `start`. */
export function createDigestSetup(options: DigestSetupOptions): DigestSetup {
  const { config, store, articles, logger } = options;
  const installations = options.installations ?? digestInstallations(config, store, logger);
  const poster = createDigestPoster(options.apiUrl, logger);
  const scheduler = new DigestScheduler({
    store,
    poster,
    installations,
    articles,
    logger,
    owner: `${hostname()}:${process.pid}`,
    skipUnchanged: config.digest.skipUnchanged,
  });
  const service = new DigestService({
    store,
    poster,
    installations,
    articles,
    defaults: config.digest,
    scheduler,
  });
  return {
    service,
    scheduler,
    async start() {
      const adopted = await prepareDigest(installations, store, config.digest);
      if (adopted)
        logger.info(
          `The digest's ${adopted} earlier subscription and ledger row(s) now belong to this bot token's workspace`,
        );
      await scheduler.start();
    },
    stop: () => scheduler.stop(),
  };
}
