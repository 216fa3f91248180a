/**
 * `digest --post` for many workspaces, on Postgres as replicas share it, with
 * a loopback Slack stand-in: each installed workspace's conversations get
 * today's digest with that workspace's own bot token, `--team` limits it to
 * one, nothing goes to a workspace without an installation (`--force`
 * included), and runs racing each other and a running bot's scheduler post
 * each conversation's digest once.
 */
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryDeps } from '../../src/digest/deliver.js';
import { postDigests } from '../../src/digest/post-digests.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { NotInstalledError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { createLogger } from '../../src/log.js';
import { slackClientOptions } from '../../src/slack/client-policy.js';
import { DIGEST_EVENT_TYPE, SlackDigestPoster } from '../../src/slack/digest-poster.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import type { DigestSubscription, Store } from '../../src/store/store.js';
import { orgInstall, workspaceInstall } from '../helpers/installations.js';
import { oauthInstallations } from '../helpers/oauth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const { articles } = await loadKnowledge('test/fixtures/articles');
// Noon in London on 27 November 2026: every subscription below (at 00:00) is due.
const NOW = new Date('2026-11-27T12:00:00Z');
const DATE = '2026-11-27';

let slack: SlackStandIn;
let database: TestDatabase;
let stores: Store[];
let logs: string[];

beforeAll(async () => {
  slack = new SlackStandIn();
  await slack.start();
});
afterAll(() => slack.stop());

beforeEach(async () => {
  database = await createTestDatabase();
  stores = [];
  logs = [];
  slack.calls.length = 0;
  const store = await open();
  const installations = oauthInstallations(store);
  await installations.storeInstallation(workspaceInstall('T1', 'U1'));
  await installations.storeInstallation(workspaceInstall('T2', 'U2'));
  await installations.storeInstallation(orgInstall('E1', 'U3'));
  await subscribe(store, [
    { teamId: 'T1', channelId: 'C1' },
    { teamId: 'T1', channelId: 'CSHARED' },
    { teamId: 'T2', channelId: 'CSHARED' },
    // A workspace of org E1, served by the org-wide install.
    { teamId: 'T5', channelId: 'C5', enterpriseId: 'E1' },
    // Left behind by a workspace that has no installation (any more).
    { teamId: 'T9', channelId: 'C9' },
  ]);
});
afterEach(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await database.drop();
});

/** Another store on the test's database, as another process has. */
async function open(): Promise<Store> {
  const store = await PostgresStore.open(database.url, { maxConnections: 3 });
  stores.push(store);
  return store;
}

async function subscribe(
  store: Store,
  subscriptions: (Pick<DigestSubscription, 'teamId' | 'channelId'> & Partial<DigestSubscription>)[],
): Promise<void> {
  for (const s of subscriptions) {
    await store.saveDigestSubscription({
      enterpriseId: null,
      time: '00:00',
      timeZone: 'Europe/London',
      source: 'command',
      subscribedBy: 'U1',
      ...s,
    });
  }
}

/** What `digest --post` works with, on `store`. */
function deps(store: Store, owner = 'digest-post'): DeliveryDeps {
  const logger = createLogger({ level: 'info', write: (_level, line) => logs.push(line) });
  return {
    store,
    poster: new SlackDigestPoster(new webApi.WebClient(undefined, slackClientOptions(slack.apiUrl)), {
      logger,
    }),
    installations: oauthInstallations(store, slack.apiUrl),
    articles: () => articles,
    logger,
    owner,
    now: () => NOW,
    skipUnchanged: false,
  };
}

/** The digests Slack was asked to post, as `channel token`. */
const posted = () =>
  slack
    .callsOf('chat.postMessage')
    .filter((c) => (c.body.metadata as { event_type?: string } | undefined)?.event_type === DIGEST_EVENT_TYPE)
    .map((c) => `${c.body.channel} ${c.authorization?.replace('Bearer ', '')}`)
    .sort();

describe('postDigests', () => {
  it('posts to every installed workspace with its own token, and nothing where there is no installation', async () => {
    const deliveries = await postDigests(deps(stores[0] as Store));
    expect(deliveries.map((d) => [d.teamId, d.channelId, d.date, d.status])).toEqual([
      ['T1', 'C1', DATE, 'posted'],
      ['T1', 'CSHARED', DATE, 'posted'],
      ['T2', 'CSHARED', DATE, 'posted'],
      ['T5', 'C5', DATE, 'posted'],
      ['T9', 'C9', DATE, 'not-installed'],
    ]);
    expect(posted()).toEqual([
      'C1 bot-token-T1',
      'C5 bot-token-E1',
      'CSHARED bot-token-T1',
      'CSHARED bot-token-T2',
    ]);
    // Every digest keeps its metadata: a later run can find it in the channel.
    expect(slack.callsOf('chat.postMessage')[0]?.body.metadata).toEqual({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { date: DATE },
    });
  });

  it('--team posts one workspace’s digests, also a workspace served by its org’s install', async () => {
    const store = stores[0] as Store;
    expect((await postDigests(deps(store), { teamId: 'T2' })).map((d) => [d.teamId, d.status])).toEqual([
      ['T2', 'posted'],
    ]);
    expect(posted()).toEqual(['CSHARED bot-token-T2']);
    expect((await postDigests(deps(store), { teamId: 'T5' })).map((d) => [d.teamId, d.status])).toEqual([
      ['T5', 'posted'],
    ]);
    expect(posted()).toHaveLength(2);
  });

  it('--team of a workspace without an installation is an error naming the installed ones', async () => {
    const store = stores[0] as Store;
    for (const teamId of ['T9', 'T404']) {
      const run = postDigests(deps(store), { teamId, force: true });
      await expect(run).rejects.toThrow(NotInstalledError);
      await expect(run).rejects.toThrow(
        `--team ${teamId}: the app is not installed in workspace ${teamId}, so nothing is posted there. ` +
          'Installed: T1, T2, org E1.',
      );
    }
    expect(posted()).toEqual([]);
  });

  it('after an uninstall posts nothing there again, --force included', async () => {
    const store = stores[0] as Store;
    await postDigests(deps(store));
    await store.deleteWorkspace({ teamId: 'T1' });
    await store.deleteWorkspace({ enterpriseId: 'E1' });
    slack.calls.length = 0;
    const forced = await postDigests(deps(store), { force: true });
    expect(forced.map((d) => [d.teamId, d.channelId, d.status])).toEqual([
      ['T2', 'CSHARED', 'posted'],
      ['T9', 'C9', 'not-installed'],
    ]);
    expect(posted()).toEqual(['CSHARED bot-token-T2']);
    await expect(postDigests(deps(store), { teamId: 'T1', force: true })).rejects.toThrow(NotInstalledError);
    expect(posted()).toHaveLength(1);
  });

  it('posts each conversation once while three runs and a running bot’s scheduler race on one database', async () => {
    const racers = [await open(), await open(), await open()];
    const bot = await open();
    const scheduler = new DigestScheduler(deps(bot, 'bot-replica'));
    try {
      // The scheduler's catch-up starts posting at once; the runs start alongside it.
      await Promise.all([
        scheduler.start(),
        ...racers.map((store, i) => postDigests(deps(store, `digest-post-${i}`))),
      ]);
      await scheduler.settled();
    } finally {
      await scheduler.stop();
    }
    expect(posted()).toEqual([
      'C1 bot-token-T1',
      'C5 bot-token-E1',
      'CSHARED bot-token-T1',
      'CSHARED bot-token-T2',
    ]);
    for (const channel of [
      { teamId: 'T1', channelId: 'C1' },
      { teamId: 'T2', channelId: 'CSHARED' },
    ]) {
      expect(await (stores[0] as Store).digestEntry(channel, DATE)).toMatchObject({
        state: 'posted',
        attempts: 1,
      });
    }
  });
});
