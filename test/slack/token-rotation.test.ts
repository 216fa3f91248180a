/**
 * Bot tokens refreshed before they expire, exactly once however many
 * processes ask: "replicas" here are stores of their own on one Postgres
 * database, each under Bolt's own installer (`InstallProvider.authorize`, the
 * look-up of every request), refreshing through a Slack stand-in that counts
 * the `oauth.v2.access` calls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HTTPReceiver, type Installation } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotInstalledError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { slackClientOptions } from '../../src/slack/client-policy.js';
import { RotatingInstallationStore } from '../../src/slack/token-rotation.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET, STATE_SECRET } from '../helpers/credentials.js';
import { orgInstall, rotating, workspaceInstall } from '../helpers/installations.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const HOUR = 3600;
const T1 = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false } as const;

let slack: SlackStandIn;
let logs: string[];
let refreshes: number;
let closers: (() => Promise<unknown>)[];

beforeEach(async () => {
  slack = new SlackStandIn();
  await slack.start();
  logs = [];
  refreshes = 0;
  closers = [];
  // Slack's answer to a refresh: a new token and refresh token, valid for 12 hours. Slow, to widen any race.
  slack.on('oauth.v2.access', () => {
    refreshes += 1;
    return {
      delayMs: 100,
      body: {
        ok: true,
        access_token: `xoxe.xoxb-1-new-${refreshes}`,
        refresh_token: `xoxe-1-refresh-token-${refreshes}`,
        expires_in: 12 * HOUR,
        token_type: 'bot',
      },
    };
  });
});
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  await slack.stop();
});

/** One process's installations over `store`, as the bot makes them, and Bolt's installer over them. */
function replica(store: Store) {
  const logger = createLogger({
    level: 'debug',
    secrets: [CLIENT_SECRET],
    write: (_level, line) => logs.push(line),
  });
  const installations = new RotatingInstallationStore({
    store,
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    clientOptions: slackClientOptions(slack.apiUrl),
    logger,
  });
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    stateSecret: STATE_SECRET,
    scopes: ['chat:write'],
    installationStore: installations,
    logger,
    installerOptions: { clientOptions: slackClientOptions(slack.apiUrl) },
  });
  if (!receiver.installer) throw new Error('Bolt made no installer');
  return { installations, installer: receiver.installer };
}

describe('on Postgres, with several processes', () => {
  let database: TestDatabase;
  let stores: PostgresStore[];

  beforeEach(async () => {
    database = await createTestDatabase();
    stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(database.url, { maxConnections: 3 })));
    closers.push(() => database.drop(), ...stores.map((s) => () => s.close()));
  });

  it('refreshes a token expiring within 3 hours once, while requests on every process ask for it at once', async () => {
    const replicas = stores.map(replica);
    await replicas[0]?.installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), 2.5 * HOUR));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        replicas[i % replicas.length]?.installer.authorize({ ...T1, userId: `U${i}` }),
      ),
    );
    expect(refreshes).toBe(1);
    expect(new Set(results.map((r) => r?.botToken))).toEqual(new Set(['xoxe.xoxb-1-new-1']));
    const [call] = slack.callsOf('oauth.v2.access');
    expect(call?.body).toMatchObject({
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: 'xoxe-1-refresh-token-0',
    });
    // Saved for every process, still as the installing user's, with the new refresh token and expiry.
    const saved = await stores[2]?.findInstallation({ enterpriseId: null, teamId: 'T1' });
    expect(saved?.userId).toBe('U1');
    const bot = (saved?.data as Installation | undefined)?.bot;
    expect(bot).toMatchObject({ token: 'xoxe.xoxb-1-new-1', refreshToken: 'xoxe-1-refresh-token-1' });
    expect((bot?.expiresAt ?? 0) - Date.now() / 1000).toBeGreaterThan(11 * HOUR);
    expect(logs.join('\n')).toContain('Refreshed the bot token of workspace T1');
  });

  it('refreshes each installation under its own lock: two workspaces, one refresh each', async () => {
    const replicas = stores.map(replica);
    await replicas[0]?.installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), HOUR));
    await replicas[0]?.installations.storeInstallation(rotating(orgInstall('E1', 'U1'), HOUR));
    const org = { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true } as const;
    const results = await Promise.all(
      replicas.flatMap(({ installer }) => [installer.authorize(T1), installer.authorize(org)]),
    );
    expect(refreshes).toBe(2);
    expect(new Set(results.map((r) => r.botToken)).size).toBe(2);
  });

  it('hands out a fresh token through tokenFor, refreshing it the same way', async () => {
    const replicas = stores.map(replica);
    await replicas[0]?.installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), 60));
    const tokens = await Promise.all(
      replicas.map(({ installations }) => installations.tokenFor({ enterpriseId: null, teamId: 'T1' })),
    );
    expect(tokens).toEqual(['xoxe.xoxb-1-new-1', 'xoxe.xoxb-1-new-1', 'xoxe.xoxb-1-new-1']);
    expect(refreshes).toBe(1);
  });
});

describe('on SQLite', () => {
  let store: SqliteStore;

  beforeEach(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-rotation-'));
    store = SqliteStore.open(dir);
    closers.push(
      () => rm(dir, { recursive: true, force: true }),
      () => store.close(),
    );
  });

  it('leaves a token with more than 3 hours left, or without a refresh token, as it is', async () => {
    const { installations, installer } = replica(store);
    await installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), 3.5 * HOUR));
    await installations.storeInstallation(workspaceInstall('T2', 'U1'));
    expect((await installer.authorize(T1)).botToken).toBe('bot-token-T1');
    expect((await installer.authorize({ ...T1, teamId: 'T2' })).botToken).toBe('bot-token-T2');
    expect(refreshes).toBe(0);
  });

  it('refreshes once for many requests of one process at once', async () => {
    const { installations, installer } = replica(store);
    await installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), HOUR));
    const results = await Promise.all(Array.from({ length: 5 }, () => installer.authorize(T1)));
    expect(results.map((r) => r.botToken)).toEqual(Array(5).fill('xoxe.xoxb-1-new-1'));
    expect(refreshes).toBe(1);
  });

  it('keeps the current token when the refresh fails, without Bolt refreshing it unlocked, and tries again on the next request', async () => {
    slack.on('oauth.v2.access', () => {
      refreshes += 1;
      return { body: { ok: false, error: 'invalid_refresh_token' } };
    });
    const { installations, installer } = replica(store);
    // Within Bolt's own 2 hours: had Bolt been handed the refresh token, it would have called Slack a second time.
    await installations.storeInstallation(rotating(workspaceInstall('T1', 'U1'), HOUR));
    expect((await installer.authorize(T1)).botToken).toBe('bot-token-T1');
    expect(refreshes).toBe(1);
    expect(logs.join('\n')).toMatch(
      /Could not refresh the bot token of workspace T1 \(oauth.v2.access: invalid_refresh_token\): .*install the app there again/,
    );
    // The refresh token is kept for the next try.
    const saved = await store.findInstallation({ enterpriseId: null, teamId: 'T1' });
    expect((saved?.data as Installation | undefined)?.bot?.refreshToken).toBe('xoxe-1-refresh-token-0');
    await installer.authorize(T1);
    expect(refreshes).toBe(2);
  });

  it('gives tokenFor the token of a workspace, an org, or a workspace of an org-wide install', async () => {
    const { installations } = replica(store);
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T7', 'U2', 'E2'));
    await installations.storeInstallation(orgInstall('E1', 'U1'));
    expect(await installations.tokenFor({ enterpriseId: null, teamId: 'T1' })).toBe('bot-token-T1');
    expect(await installations.tokenFor({ enterpriseId: 'E2', teamId: 'T7' })).toBe('bot-token-T7');
    expect(await installations.tokenFor({ enterpriseId: 'E1', teamId: null })).toBe('bot-token-E1');
    expect(await installations.tokenFor({ enterpriseId: 'E1', teamId: 'T5' })).toBe('bot-token-E1');
    await expect(installations.tokenFor({ enterpriseId: null, teamId: 'T404' })).rejects.toThrow(
      NotInstalledError,
    );
    await expect(installations.tokenFor({ enterpriseId: 'E404', teamId: 'T5' })).rejects.toThrow(
      /not installed in org E404/,
    );
  });
});
