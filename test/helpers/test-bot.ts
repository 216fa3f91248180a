/**
 * The bot as `npm start` builds it (real config parsing, knowledge, SQLite
 * store, Bolt and its receivers), listening on 127.0.0.1 and talking to a
 * Slack stand-in; log lines are kept for assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Config, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { type RunningBot, startBot } from '../../src/main.js';
import { SIGNING_SECRET } from './signed-request.js';
import { SlackStandIn } from './slack-stand-in.js';

/** The bot token the tests configure. */
export const BOT_TOKEN = 'xoxb-1111-2222-testtokenvalue';
/** The app-level token the Socket Mode tests configure. */
export const APP_TOKEN = 'xapp-1-A0001-3333-apptokenvalue';

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
}

/** Starts a Slack stand-in and the bot against it (HTTP mode unless `env` sets an app token). */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const slack = new SlackStandIn();
  await slack.start();
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
    secrets: [config.slack.botToken, config.slack.appToken, config.slack.signingSecret],
    write: (_level, line) => logs.push(line),
  });
  let running: RunningBot;
  try {
    running = await startBot({
      config,
      logger,
      host: '127.0.0.1',
      clientOptions: { retryConfig: { retries: 0 } },
    });
  } catch (error) {
    await slack.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    running,
    slack,
    config,
    logs,
    baseUrl: `http://127.0.0.1:${running.bot.port}`,
    async settle() {
      // Two idle readings in a row: a request acknowledged a moment ago may not have reached its listener yet.
      for (let idle = 0; idle < 2; ) {
        await new Promise((r) => setTimeout(r, 20));
        const health = (await (await fetch(`http://127.0.0.1:${running.bot.port}/healthz`)).json()) as {
          inFlight: number;
        };
        idle = health.inFlight === 0 ? idle + 1 : 0;
      }
    },
    async close() {
      await running.stop();
      await slack.stop();
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
