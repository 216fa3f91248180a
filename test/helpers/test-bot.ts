/**
 * The bot as `npm start` builds it (real config parsing, knowledge, the
 * store: SQLite, or Postgres when `env` sets DATABASE_URL, Bolt and its
 * receivers), listening on 127.0.0.1 and talking to a Slack stand-in; log
 * lines are kept for assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Config, parseConfig, secretsOf } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { type RunningBot, startBot } from '../../src/start-bot.js';
import { BOT_TOKEN, SIGNING_SECRET } from './credentials.js';
import { untilIdle } from './loopback.js';
import { SlackStandIn } from './slack-stand-in.js';

export { APP_TOKEN, BOT_TOKEN } from './credentials.js';

/** A running bot and what surrounds it. */
export interface TestBot {
  running: RunningBot;
  slack: SlackStandIn;
  config: Config;
  /** Every log line written so far. */
  logs: string[];
  /** `http://127.0.0.1:<port>`: append `/slack/events` or `/healthz`. HTTP mode only. */
  baseUrl: string;
  /** Resolves once no request is being handled (per `/healthz`). HTTP mode only. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startTestBot`. */
export interface TestBotOptions {
  knowledgeDir?: string;
  /** Extra environment, e.g. `SLACK_APP_TOKEN` for Socket Mode. */
  env?: Record<string, string>;
  /** Called with the stand-in before the bot starts (e.g. to answer `apps.connections.open`). */
  prepare?: (slack: SlackStandIn) => void | Promise<void>;
  /** Web API client options over the bot's own defaults (e.g. a shorter `timeout`). */
  clientOptions?: webApi.WebClientOptions;
  /** Socket Mode: how long a ping may go unanswered, and the wait before reconnecting. */
  clientPingTimeout?: number;
  /** A stand-in shared with other bots (replicas), started and stopped by the caller; default: one of its own. */
  slack?: SlackStandIn;
}

/** Starts a Slack stand-in and the bot against it (HTTP mode unless `env` sets an app token). */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const ownSlack = !options.slack;
  const slack = options.slack ?? new SlackStandIn();
  if (ownSlack) await slack.start();
  await options.prepare?.(slack);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-bot-'));
  const config = {
    ...parseConfig(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        KNOWLEDGE_DIR: options.knowledgeDir ?? 'knowledge',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
        ...options.env,
      },
      'bot',
    ),
    port: 0,
  };
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    write: (_level, line) => logs.push(line),
  });
  const stopSlack = () => (ownSlack ? slack.stop() : Promise.resolve());
  let running: RunningBot;
  try {
    running = await startBot({
      config,
      logger,
      host: '127.0.0.1',
      clientOptions: options.clientOptions,
      clientPingTimeout: options.clientPingTimeout,
    });
  } catch (error) {
    await stopSlack();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    running,
    slack,
    config,
    logs,
    baseUrl: `http://127.0.0.1:${running.bot.port}`,
    settle: () => untilIdle(`http://127.0.0.1:${running.bot.port}`),
    async close() {
      await running.stop();
      await stopSlack();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test bot shared by a file's tests: `bot` and its `events` URL, set once the file's tests start. */
export interface SharedTestBot {
  bot: TestBot;
  /** `POST` URL of the bot's Slack endpoint. */
  events: string;
}

/** Starts one test bot for the calling file's tests, forgets recorded calls before each test, stops it after. */
export function useTestBot(options: TestBotOptions = {}): SharedTestBot {
  const shared = {} as SharedTestBot;
  beforeAll(async () => {
    shared.bot = await startTestBot(options);
    shared.events = `${shared.bot.baseUrl}/slack/events`;
  });
  beforeEach(() => {
    shared.bot.slack.calls.length = 0;
  });
  afterAll(() => shared.bot?.close());
  return shared;
}
