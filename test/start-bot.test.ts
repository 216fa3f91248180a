/** `startBot` with parts that fail, the store it opens, and the running bot picking up a new article. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { SlackCallError, StoreError } from '../src/errors.js';
import { DAY_MS } from '../src/gaps/gap-log.js';
import { startBot, startupMessage } from '../src/start-bot.js';
import { PostgresStore } from '../src/store/postgres-store.js';
import { DATABASE_FILE, SqliteStore } from '../src/store/sqlite-store.js';
import { DATABASE_PASSWORD } from './helpers/credentials.js';
import { freePort } from './helpers/loopback.js';
import { createTestDatabase } from './helpers/postgres.js';
import { commandBody, SIGNING_SECRET, send } from './helpers/signed-request.js';
import { SlackStandIn } from './helpers/slack-stand-in.js';
import { BOT_TOKEN, startTestBot } from './helpers/test-bot.js';
import { LEGACY_LAST, LEGACY_SUBSCRIPTION, writeLegacySqlite } from './store/legacy-digest.js';

const KNOWLEDGE = path.resolve('knowledge');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-start-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const config = (slack: SlackStandIn, overrides: Record<string, string> = {}) => ({
  ...parseConfig(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATA_DIR: path.join(dir, 'data'),
      KNOWLEDGE_DIR: KNOWLEDGE,
      LOG_LEVEL: 'error',
      ...overrides,
    },
    'bot',
  ),
  port: 0,
});

async function withStandIn(test: (slack: SlackStandIn) => Promise<void>): Promise<void> {
  const slack = new SlackStandIn();
  await slack.start();
  try {
    await test(slack);
  } finally {
    await slack.stop();
  }
}

describe('startBot failures', () => {
  it('reports a bot token Slack rejects, naming the variable', () =>
    withStandIn(async (slack) => {
      slack.on('auth.test', { body: { ok: false, error: 'invalid_auth' } });
      const error = await startBot({ config: config(slack), host: '127.0.0.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackCallError);
      expect(startupMessage(error)).toMatch(
        /^Cannot start: auth\.test failed \(invalid_auth\): .*SLACK_BOT_TOKEN/,
      );
    }));

  it('reports a damaged database and leaves it as it was', () =>
    withStandIn(async (slack) => {
      const dataDir = path.join(dir, 'data');
      await rm(dataDir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(dataDir));
      await writeFile(path.join(dataDir, DATABASE_FILE), 'not a database '.repeat(100));
      const error = await startBot({ config: config(slack), host: '127.0.0.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(startupMessage(error)).toContain('is damaged or is not a database');
      expect(slack.calls).toEqual([]);
    }));

  it('reports a database that cannot be reached by variable and host, never its password, and contacts no one', () =>
    withStandIn(async (slack) => {
      const port = await freePort();
      const url = `postgres://bot:${DATABASE_PASSWORD}@127.0.0.1:${port}/ceasefire`;
      const error = await startBot({ config: config(slack, { DATABASE_URL: url }), host: '127.0.0.1' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      const message = startupMessage(error);
      expect(message).toContain(`127.0.0.1:${port}/ceasefire (DATABASE_URL) cannot be reached`);
      expect(message).not.toContain(DATABASE_PASSWORD);
      expect(slack.calls).toEqual([]);
    }));

  it('reports a port in use', async () => {
    const first = await startTestBot();
    try {
      const port = first.running.bot.port ?? 0;
      const error = await startBot({
        config: { ...config(first.slack, { DATA_DIR: path.join(dir, 'second') }), port },
        host: '127.0.0.1',
      }).catch((e: unknown) => e);
      expect(startupMessage(error)).toContain(`listen failed (EADDRINUSE)`);
      expect(startupMessage(error)).toContain(`PORT ${port}`);
    } finally {
      await first.close();
    }
  });
});

describe('the digest at start', () => {
  it('gives the subscriptions and ledger kept before workspaces to the bot token’s workspace', async () => {
    const dataDir = path.join(dir, 'legacy');
    await mkdir(dataDir);
    writeLegacySqlite(dataDir);
    const bot = await startTestBot({ env: { DATA_DIR: dataDir } });
    try {
      const { store } = bot.running;
      // T0001: the workspace the stand-in's auth.test names for the bot token.
      expect(await store.digestSubscriptions('T0001')).toEqual([{ ...LEGACY_SUBSCRIPTION, teamId: 'T0001' }]);
      expect(await store.digestSubscriptions('')).toEqual([]);
      expect((await store.lastDigest({ teamId: 'T0001', channelId: 'C0LEGACY1' }))?.snapshot).toEqual(
        LEGACY_LAST.snapshot,
      );
      expect(bot.logs.join('\n')).toContain(
        "The digest's 2 earlier subscription and ledger row(s) now belong to this bot token's workspace",
      );
    } finally {
      await bot.close();
    }
  });
});

describe('questions kept for editors', () => {
  it('deletes at start what is past GAPS_RETENTION_DAYS, and with 0 deletes all and keeps none', () =>
    withStandIn(async (slack) => {
      const dataDir = path.join(dir, 'data');
      const earlier = SqliteStore.open(dataDir, { now: () => Date.now() - 10 * DAY_MS });
      await earlier.recordGap({ kind: 'unanswered', question: 'old', surface: 'dm', teamId: 'T1' });
      await earlier.close();
      const recent = SqliteStore.open(dataDir);
      await recent.recordGap({ kind: 'unanswered', question: 'recent', surface: 'dm', teamId: 'T1' });
      await recent.close();

      const kept = async (env: Record<string, string>, ask?: string) => {
        const running = await startBot({ config: config(slack, env), host: '127.0.0.1' });
        try {
          if (ask) {
            await send(
              `http://127.0.0.1:${running.bot.port}/slack/events`,
              commandBody(ask, slack.responseUrl('asked')),
            );
            await slack.waitFor('respond:asked');
          }
          await running.stop();
          const store = SqliteStore.open(dataDir);
          const questions = (await store.gaps(0)).map((g) => g.question);
          await store.close();
          return questions;
        } finally {
          await running.stop();
        }
      };
      expect(await kept({ GAPS_RETENTION_DAYS: '7' })).toEqual(['recent']);
      expect(await kept({ GAPS_RETENTION_DAYS: '0' }, 'What is the capital of Atlantis?')).toEqual([]);
    }));
});

describe('the store', () => {
  it('is Postgres with DATABASE_URL, SQLite in DATA_DIR without', async () => {
    const database = await createTestDatabase();
    const onPostgres = await startTestBot({ env: { DATABASE_URL: database.url } });
    const onSqlite = await startTestBot();
    try {
      expect(onPostgres.running.store).toBeInstanceOf(PostgresStore);
      expect(onSqlite.running.store).toBeInstanceOf(SqliteStore);
      // What one bot keeps, a second one on the same database sees.
      await onPostgres.running.store.recordFeedback({
        userId: 'U1',
        teamId: 'T1',
        channelId: 'C1',
        question: 'who?',
        offset: 0,
        helpful: true,
      });
      const second = await startTestBot({ env: { DATABASE_URL: database.url } });
      expect(await second.running.store.feedbackTotals()).toEqual({ helpful: 1, unhelpful: 0 });
      await second.close();
    } finally {
      await Promise.all([onPostgres.close(), onSqlite.close()]);
      await database.drop();
    }
  });
});

describe('the running bot and its knowledge folder', () => {
  it('answers from an article added while it runs, without a restart', async () => {
    const knowledge = path.join(dir, 'knowledge');
    await mkdir(knowledge);
    await writeFile(
      path.join(knowledge, 'port.md'),
      '---\ntitle: Port report\n---\nShips returned to the harbour.\n',
    );
    const bot = await startTestBot({ knowledgeDir: knowledge });
    try {
      const ask = async (id: string) => {
        await send(
          `${bot.baseUrl}/slack/events`,
          commandBody('Who chairs the grain commission?', bot.slack.responseUrl(id)),
        );
        const [reply] = await bot.slack.waitFor(`respond:${id}`);
        return JSON.stringify(reply?.body);
      };
      expect(await ask('before')).toContain('I found nothing in the articles about that.');
      await writeFile(
        path.join(knowledge, 'grain.md'),
        '---\ntitle: Grain commission\n---\nThe grain commission is chaired by Olena Marchenko.\n',
      );
      // Usually well within a second (see the benchmark); the test allows for a busy machine.
      let answer = '';
      for (let i = 0; i < 50 && !answer.includes('Olena Marchenko'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await ask(`after${i}`);
      }
      expect(answer).toContain('The grain commission is chaired by Olena Marchenko.');
    } finally {
      await bot.close();
    }
  });
});
