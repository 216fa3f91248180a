/**
 * `npm run digest` as a person runs it: printing needs no tokens; `--post`
 * against a loopback Slack stand-in posts to every subscribed channel of the
 * bot token's workspace once a day, waits out a 429, names a channel that
 * does not exist, limits itself to an installed workspace with `--team`,
 * and processes at once on one SQLite file or one Postgres database
 * (DATABASE_URL) still post each channel's digest once.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { workspaceInstall } from '../helpers/installations.js';
import { OAUTH_ENV, oauthInstallations } from '../helpers/oauth.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { writeLegacySqlite } from '../store/legacy-digest.js';

/** What `tsx` runs a script with, in one process rather than tsx's two. */
const WITH_TSX = ['--import', 'tsx'];
const GOOD = ['C0GOOD0001', 'C0GOOD0002', 'C0GOOD0003'];
const MISSING = 'C0MISSING1';
const DROPPED = 'C0DROPPED1';

let slack: SlackStandIn;
let dataDir: string;

/** Runs the command asynchronously, so the stand-in in this process keeps answering. */
function digest(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...WITH_TSX, 'src/cli/digest.ts', ...args],
      {
        // Only what the command needs: no tokens unless the test gives them.
        env: {
          PATH: process.env.PATH ?? '',
          KNOWLEDGE_DIR: 'test/fixtures/articles',
          DATA_DIR: dataDir,
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const slackEnv = () => ({
  SLACK_BOT_TOKEN: 'xoxb-cli-test-token',
  SLACK_API_URL: slack.apiUrl,
  DIGEST_CHANNELS: [...GOOD, MISSING].join(','),
  DIGEST_TZ: 'Europe/Kyiv',
});

/** Digests the stand-in accepted, per channel. */
const accepted = new Map<string, number>();
const postsTo = (channel: string) => accepted.get(channel) ?? 0;

beforeAll(async () => {
  slack = new SlackStandIn();
  await slack.start();
  let limited = false;
  slack.on('chat.postMessage', (body) => {
    if (body.channel === MISSING) return { body: { ok: false, error: 'channel_not_found' } };
    // The connection drops after Slack took the post: it may have been posted.
    if (body.channel === DROPPED) return { reset: true, body: {} };
    if (body.channel === GOOD[1] && !limited) {
      limited = true;
      return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
    }
    accepted.set(String(body.channel), postsTo(String(body.channel)) + 1);
    return { body: { ok: true, channel: body.channel, ts: `${Date.now() / 1000}` } };
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-digest-cli-'));
});

afterAll(async () => {
  await slack.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run digest', () => {
  it('prints today’s digest as text with no Slack tokens set', async () => {
    const { code, stdout } = await digest([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Ceasefire digest · \w+, \d+ \w+ \d{4}\n/);
    expect(stdout).toContain(
      '1. Negotiators from both countries resumed grain corridor talks in Geneva on Monday.',
    );
    expect(stdout).toContain(
      'Grain corridor talks resume in Geneva › Key points (articles/grain-corridor.md:11) https://example.com/news/grain-corridor',
    );
  });

  it('--channel of a channel subscribed in two workspaces asks which, and shows the one --team names', async () => {
    const sharedDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-shared-'));
    const store = SqliteStore.open(sharedDir);
    for (const [teamId, timeZone] of [
      ['T0001', 'Pacific/Kiritimati'],
      ['T0002', 'Pacific/Pago_Pago'],
    ] as const) {
      await store.saveDigestSubscription({
        teamId,
        channelId: 'C0SHARED1',
        enterpriseId: null,
        time: '09:00',
        timeZone,
        source: 'command',
        subscribedBy: 'U0001',
      });
    }
    await store.close();
    const [ambiguous, named] = await Promise.all([
      digest(['--channel', 'C0SHARED1'], { DATA_DIR: sharedDir }),
      digest(['--channel', 'C0SHARED1', '--team', 'T0002'], { DATA_DIR: sharedDir }),
    ]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'C0SHARED1 gets the digest in several workspaces (T0001, T0002): add --team to say which',
    );
    expect(named.code).toBe(0);
    // Pago Pago (UTC-11) is a calendar day behind Kiritimati (UTC+14) at every moment.
    const pagoPago = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Pacific/Pago_Pago',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(new Date());
    expect(named.stdout).toContain(`Ceasefire digest · ${pagoPago}`);
    await rm(sharedDir, { recursive: true, force: true });
  });

  it('--post posts to each good channel once (waiting out a 429), names the missing one, exits 1', async () => {
    const { code, stdout } = await digest(['--post'], slackEnv());
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const channel of GOOD)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^T0001/${channel}: posted the digest for \\d{4}-\\d{2}-\\d{2}`)),
      );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^T0001/${MISSING}: failed: channel_not_found`)),
    );
    expect(GOOD.map(postsTo)).toEqual([1, 1, 1]);
    // The rate-limited channel was tried twice: the 429, then the post.
    expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === GOOD[1])).toHaveLength(2);
  });

  it('a second run the same day posts nothing and says so', async () => {
    const { code, stdout } = await digest(['--post'], slackEnv());
    expect(code).toBe(1);
    for (const channel of GOOD) expect(stdout).toContain(`T0001/${channel}: already done for`);
    expect(GOOD.map(postsTo)).toEqual([1, 1, 1]);
  });

  it('--force posts again', async () => {
    const { stdout } = await digest(['--post', '--force'], {
      ...slackEnv(),
      DIGEST_CHANNELS: GOOD[0] as string,
    });
    expect(stdout).toContain(`T0001/${GOOD[0]}: posted`);
    expect(postsTo(GOOD[0] as string)).toBe(2);
  });

  it('two processes posting at once still post each channel once', async () => {
    const env = {
      ...slackEnv(),
      DIGEST_CHANNELS: 'C0PARALLEL1,C0PARALLEL2',
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ceasefire-parallel-')),
    };
    const runs = await Promise.all([digest(['--post'], env), digest(['--post'], env)]);
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stdout + r.stderr).join('\n'),
    ).toEqual([0, 0]);
    expect([postsTo('C0PARALLEL1'), postsTo('C0PARALLEL2')]).toEqual([1, 1]);
    await rm(env.DATA_DIR, { recursive: true, force: true });
  });

  it('--team posts only to the bot token’s workspace, and refuses one the app is not installed in', async () => {
    const env = { ...slackEnv(), DIGEST_CHANNELS: GOOD[0] as string };
    const [own, other] = await Promise.all([
      digest(['--post', '--team', 'T0001'], env),
      digest(['--post', '--team', 'T0999', '--force'], env),
    ]);
    expect(own.code).toBe(0);
    expect(own.stdout.trim()).toMatch(new RegExp(`^T0001/${GOOD[0]}: already done for`));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      '--team T0999: the app is not installed in workspace T0999, so nothing is posted there. Installed: T0001.',
    );
    expect(other.stdout).toBe('');
    expect(postsTo(GOOD[0] as string)).toBe(2);
  });

  it('gives the digest kept before workspaces to the bot token’s workspace, and posts it', async () => {
    const legacyDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-legacy-'));
    writeLegacySqlite(legacyDir);
    const { code, stdout } = await digest(['--post'], {
      ...slackEnv(),
      DIGEST_CHANNELS: '',
      DATA_DIR: legacyDir,
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^T0001\/C0LEGACY1: posted the digest for/);
    expect(postsTo('C0LEGACY1')).toBe(1);
    await rm(legacyDir, { recursive: true, force: true });
  });

  it('processes on one Postgres database (DATABASE_URL) post each channel once', async () => {
    const database = await createTestDatabase();
    const emptyDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-postgres-'));
    try {
      const env = {
        ...slackEnv(),
        DIGEST_CHANNELS: 'C0POSTGRES1,C0POSTGRES2',
        DATABASE_URL: database.url,
        DATA_DIR: emptyDir,
      };
      const runs = await Promise.all([digest(['--post'], env), digest(['--post'], env)]);
      expect(
        runs.map((r) => r.code),
        runs.map((r) => r.stdout + r.stderr).join('\n'),
      ).toEqual([0, 0]);
      expect([postsTo('C0POSTGRES1'), postsTo('C0POSTGRES2')]).toEqual([1, 1]);
      expect(runs.map((r) => r.stdout).join('')).toMatch(/T0001\/C0POSTGRES1: posted the digest/);
      // Nothing was written beside the process: the state is in the database.
      expect(await readdir(emptyDir)).toEqual([]);
    } finally {
      await database.drop();
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('with OAuth, --post posts each installed workspace’s channels with its own token; --team of another fails', async () => {
    const database = await createTestDatabase();
    try {
      const store = await PostgresStore.open(database.url);
      const installations = oauthInstallations(store);
      for (const teamId of ['T0A', 'T0B']) {
        await installations.storeInstallation(workspaceInstall(teamId, 'U1'));
        await store.saveDigestSubscription({
          teamId,
          channelId: 'C0OAUTH01',
          enterpriseId: null,
          time: '00:00',
          timeZone: 'Pacific/Kiritimati',
          source: 'command',
          subscribedBy: 'U1',
        });
      }
      await store.close();
      const env = { ...OAUTH_ENV, SLACK_API_URL: slack.apiUrl, DATABASE_URL: database.url };
      const before = slack.callsOf('chat.postMessage').length;
      const [all, other] = await Promise.all([
        digest(['--post'], env),
        digest(['--post', '--team', 'T0C', '--force'], env),
      ]);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).toMatch(
        /^T0A\/C0OAUTH01: posted the digest for .*\nT0B\/C0OAUTH01: posted the digest for /,
      );
      expect(
        slack
          .callsOf('chat.postMessage')
          .slice(before)
          .map((c) => c.authorization),
      ).toEqual(['Bearer bot-token-T0A', 'Bearer bot-token-T0B']);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain('--team T0C: the app is not installed in workspace T0C');
      expect(other.stderr).toContain('Installed: T0A, T0B.');
    } finally {
      await database.drop();
    }
  });

  it('--post says when a channel may have been posted, exits 1, and posts it again only with --force', async () => {
    slack.on('conversations.history', { body: { ok: false, error: 'missing_scope' } });
    try {
      const env = { ...slackEnv(), DIGEST_CHANNELS: DROPPED };
      for (const run of [1, 2]) {
        const { code, stdout } = await digest(['--post'], env);
        expect(code, `run ${run}`).toBe(1);
        expect(stdout.trim()).toMatch(
          new RegExp(
            `^T0001/${DROPPED}: may have been posted for \\d{4}-\\d{2}-\\d{2} \\((network_error|missing_scope)\\): check the channel; --force --team T0001 posts again$`,
          ),
        );
      }
      // The second run only tried to check the channel: one post so far.
      expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === DROPPED)).toHaveLength(1);
      await digest(['--post', '--force'], env);
      expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === DROPPED)).toHaveLength(2);
    } finally {
      slack.off('conversations.history');
    }
  });

  it('--post without a bot token explains what is missing', async () => {
    const { code, stderr } = await digest(['--post']);
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN');
    expect(stderr).toContain('npm run ask');
  });
});
