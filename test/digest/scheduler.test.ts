/**
 * The digest schedule on fake timers: each channel at its own local time,
 * across a daylight-saving change, catch-up after downtime (same local day
 * only), retries after a failure, each workspace's subscriptions with its
 * own token and none without an installation, and schedulers sharing a
 * database: one post a day, and subscriptions made or removed through
 * another replica picked up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DigestPoster, PostTarget } from '../../src/digest/poster.js';
import { DigestScheduler, RELOAD_INTERVAL_MS, type SchedulerOptions } from '../../src/digest/scheduler.js';
import type { Digest } from '../../src/digest-types.js';
import { SlackCallError, type SlackFailureCode, StoreError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { createLogger } from '../../src/log.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { workspaceInstall } from '../helpers/installations.js';
import { oauthInstallations } from '../helpers/oauth.js';

const { articles } = await loadKnowledge('test/fixtures/articles');

/** A poster that records what it posts, and when; `failures` posts fail first, with the `failWith` error. */
class RecordingPoster implements DigestPoster {
  readonly posts: { channelId: string; token: string; date: string; at: string }[] = [];
  readonly attempts: string[] = [];
  failures = 0;
  failWith: { slackCode: string; code: SlackFailureCode } = {
    slackCode: 'internal_error',
    code: 'SLACK_REFUSED',
  };

  async post({ channelId, token }: PostTarget, { date }: Digest): Promise<string> {
    this.attempts.push(new Date().toISOString());
    if (this.failures > 0) {
      this.failures--;
      throw new SlackCallError('chat.postMessage', this.failWith.slackCode, 'refused', {
        code: this.failWith.code,
      });
    }
    this.posts.push({ channelId, token, date, at: new Date().toISOString() });
    return `${this.posts.length}.000100`;
  }

  /** Errors the next checks of the channel fail with, one per check; then the check finds nothing. */
  checkFailures: SlackCallError[] = [];
  readonly checks: string[] = [];

  async findPosted(): Promise<string | null> {
    this.checks.push(new Date().toISOString());
    const failure = this.checkFailures.shift();
    if (failure) throw failure;
    return null;
  }

  async announce(): Promise<void> {}
}

let dir: string;
let stores: SqliteStore[];
let schedulers: DigestScheduler[];
let poster: RecordingPoster;
let logs: string[];

/** A subscription to save: workspace T1's, unless it names another. */
type Subscribing = { channelId: string; time: string; timeZone: string; teamId?: string };

/** Another store on the test's database, as another replica has. */
function openStore(): SqliteStore {
  const store = SqliteStore.open(dir, { now: () => Date.now() });
  stores.push(store);
  return store;
}

async function subscribe(store: SqliteStore, subscriptions: readonly Subscribing[]): Promise<void> {
  for (const s of subscriptions) {
    await store.saveDigestSubscription({
      teamId: 'T1',
      enterpriseId: null,
      source: 'env',
      subscribedBy: null,
      ...s,
    });
  }
}

/**
 * Starts a scheduler on a store of its own, after saving `subscriptions`. It reloads them hourly unless told
 * otherwise: a day of fake time passes quicker without 1,440 reloads.
 */
async function startScheduler(
  subscriptions: readonly Subscribing[],
  options: SchedulerOptions = { reloadIntervalMs: HOUR },
) {
  const store = openStore();
  await subscribe(store, subscriptions);
  // Installed in T1 and T2 (through OAuth), each with a bot token of its own.
  const installations = oauthInstallations(store);
  for (const teamId of ['T1', 'T2']) await installations.storeInstallation(workspaceInstall(teamId, 'U1'));
  const scheduler = new DigestScheduler(
    {
      store,
      poster,
      installations,
      articles: () => articles,
      logger: createLogger({ level: 'warn', write: (_level, line) => logs.push(line) }),
      owner: `scheduler-${schedulers.length}`,
      now: () => new Date(),
      skipUnchanged: false,
    },
    options,
  );
  schedulers.push(scheduler);
  await scheduler.start();
  await scheduler.settled();
  return scheduler;
}

/** Advances fake time and lets every delivery it triggered finish. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await Promise.all(schedulers.map((s) => s.settled()));
}

const HOUR = 3600_000;
/** The reload of a running bot. */
const EVERY_MINUTE = { reloadIntervalMs: RELOAD_INTERVAL_MS };
const KYIV = [{ channelId: 'CKYIV', time: '09:00', timeZone: 'Europe/Kyiv' }];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-scheduler-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  stores = [];
  schedulers = [];
  poster = new RecordingPoster();
  logs = [];
});

afterEach(async () => {
  for (const s of schedulers) await s.stop();
  for (const s of stores) await s.close();
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

describe('DigestScheduler', () => {
  it('posts at each channel’s local time, once a day', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    await startScheduler([...KYIV, { channelId: 'CNY', time: '09:00', timeZone: 'America/New_York' }]);
    expect(poster.posts).toEqual([]);
    await advance(25 * HOUR);
    expect(poster.posts.map((p) => [p.channelId, p.date, p.at])).toEqual([
      ['CKYIV', '2026-11-27', '2026-11-27T07:00:00.000Z'],
      ['CNY', '2026-11-27', '2026-11-27T14:00:00.000Z'],
      ['CKYIV', '2026-11-28', '2026-11-28T07:00:00.000Z'],
    ]);
  });

  it('follows the clocks across a daylight-saving change', async () => {
    vi.setSystemTime(new Date('2026-03-28T05:00:00Z'));
    await startScheduler(KYIV);
    await advance(48 * HOUR);
    expect(poster.posts.map((p) => p.at)).toEqual(['2026-03-28T07:00:00.000Z', '2026-03-29T06:00:00.000Z']);
  });

  it('catches up on start when the time passed while the bot was down, the same local day', async () => {
    vi.setSystemTime(new Date('2026-11-27T10:00:00Z'));
    await startScheduler(KYIV);
    expect(poster.posts.map((p) => p.date)).toEqual(['2026-11-27']);
  });

  it('does not post again after a restart the same day', async () => {
    vi.setSystemTime(new Date('2026-11-27T10:00:00Z'));
    const first = await startScheduler(KYIV);
    await first.stop();
    await startScheduler(KYIV);
    expect(poster.posts).toHaveLength(1);
  });

  it('never posts a previous day’s digest after midnight', async () => {
    // 00:30 in Kyiv on the 28th: the 27th's digest was missed and stays missed.
    vi.setSystemTime(new Date('2026-11-27T22:30:00Z'));
    await startScheduler(KYIV);
    expect(poster.posts).toEqual([]);
    await advance(9 * HOUR);
    expect(poster.posts.map((p) => [p.date, p.at])).toEqual([['2026-11-28', '2026-11-28T07:00:00.000Z']]);
  });

  it('retries a failed post later the same day', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:59:00Z'));
    poster.failures = 2;
    await startScheduler(KYIV);
    await advance(60_000);
    expect(poster.posts).toEqual([]);
    // Retries after 1 minute, then 5 minutes.
    await advance(60_000);
    expect(poster.posts).toEqual([]);
    await advance(5 * 60_000);
    expect(poster.posts.map((p) => p.at)).toEqual(['2026-11-27T07:06:00.000Z']);
  });

  it('does not retry a channel the bot cannot post in until the next day', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:59:00Z'));
    poster.failures = 100;
    poster.failWith = { slackCode: 'not_in_channel', code: 'SLACK_NOT_A_MEMBER' };
    await startScheduler(KYIV);
    await advance(10 * HOUR);
    expect(poster.attempts).toEqual(['2026-11-27T07:00:00.000Z']);
    poster.failures = 0;
    await advance(15 * HOUR);
    expect(poster.posts.map((p) => p.date)).toEqual(['2026-11-28']);
  });

  it('after a post Slack may have carried out, retries only check the channel until one proves it absent', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:59:00Z'));
    poster.failures = 1;
    poster.failWith = { slackCode: 'network_error', code: 'SLACK_UNCERTAIN' };
    poster.checkFailures = [
      new SlackCallError('conversations.history', 'http_503', 'down', { code: 'SLACK_UNCERTAIN' }),
      new SlackCallError('conversations.history', 'ratelimited', 'later', { code: 'SLACK_REFUSED' }),
    ];
    await startScheduler(KYIV);
    await advance(60_000 + 60_000 + 5 * 60_000);
    expect(poster.attempts).toEqual(['2026-11-27T07:00:00.000Z']);
    expect(poster.checks).toEqual(['2026-11-27T07:01:00.000Z', '2026-11-27T07:06:00.000Z']);
    // The third check finds nothing: only then is the digest posted again.
    await advance(15 * 60_000);
    expect(poster.checks).toHaveLength(3);
    expect(poster.posts.map((p) => p.at)).toEqual(['2026-11-27T07:21:00.000Z']);
  });

  it('leaves an uncertain day alone when the channel cannot be checked at all', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:59:00Z'));
    poster.failures = 1;
    poster.failWith = { slackCode: 'network_error', code: 'SLACK_UNCERTAIN' };
    const missingScope = new SlackCallError('conversations.history', 'missing_scope', 'no scope', {
      code: 'SLACK_ACCESS_DENIED',
    });
    poster.checkFailures = [missingScope, missingScope, missingScope];
    await startScheduler(KYIV);
    await advance(10 * HOUR);
    expect(poster.posts).toEqual([]);
    expect(poster.checks).toEqual(['2026-11-27T07:01:00.000Z']);
    // Shown as uncertain, so no later attempt (a restart, `digest --post`) posts it without a check either.
    expect(await stores[0]?.digestEntry({ teamId: 'T1', channelId: 'CKYIV' }, '2026-11-27')).toMatchObject({
      state: 'uncertain',
    });
    // The next day starts afresh.
    await advance(15 * HOUR);
    expect(poster.posts.map((p) => p.date)).toEqual(['2026-11-28']);
  });

  it('posts once when two schedulers share the database', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    await startScheduler(KYIV);
    await startScheduler(KYIV);
    await advance(3 * HOUR);
    expect(poster.posts).toHaveLength(1);
  });

  it('picks up a new subscription and drops a removed one on refresh', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    const scheduler = await startScheduler(KYIV);
    const store = stores[0] as SqliteStore;
    await store.removeDigestSubscription({ teamId: 'T1', channelId: 'CKYIV' });
    await subscribe(store, [{ channelId: 'CNEW', time: '08:00', timeZone: 'UTC' }]);
    await scheduler.refresh();
    expect(scheduler.nextRun({ teamId: 'T1', channelId: 'CKYIV' })).toBeNull();
    await advance(3 * HOUR);
    expect(poster.posts.map((p) => [p.channelId, p.at])).toEqual([['CNEW', '2026-11-27T08:00:00.000Z']]);
  });

  it('picks up within a minute a subscription made through another replica, and stops one removed there', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    const here = await startScheduler([], EVERY_MINUTE);
    const there = await startScheduler([], EVERY_MINUTE);
    // The other replica takes the command: it saves the subscription and refreshes its own scheduler.
    const elsewhere = stores[1] as SqliteStore;
    await subscribe(elsewhere, [{ channelId: 'CNEW', time: '08:00', timeZone: 'UTC' }]);
    await there.refresh();
    const channel = { teamId: 'T1', channelId: 'CNEW' };
    expect(here.nextRun(channel)).toBeNull();
    await advance(60_000);
    expect(here.nextRun(channel)).toEqual(new Date('2026-11-27T08:00:00Z'));
    await advance(2 * HOUR);
    // Both replicas' jobs ran; the ledger let one of them post.
    expect(poster.posts.map((p) => [p.channelId, p.at])).toEqual([['CNEW', '2026-11-27T08:00:00.000Z']]);
    await elsewhere.removeDigestSubscription(channel);
    await there.refresh();
    await advance(60_000);
    expect(here.nextRun(channel)).toBeNull();
    await advance(24 * HOUR);
    expect(poster.posts).toHaveLength(1);
  });

  it('follows a time changed through another replica', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    const scheduler = await startScheduler(
      [{ channelId: 'C1', time: '08:00', timeZone: 'UTC' }],
      EVERY_MINUTE,
    );
    await subscribe(openStore(), [{ channelId: 'C1', time: '07:00', timeZone: 'UTC' }]);
    await advance(3 * HOUR);
    expect(poster.posts.map((p) => p.at)).toEqual(['2026-11-27T07:00:00.000Z']);
    expect(scheduler.nextRun({ teamId: 'T1', channelId: 'C1' })).toEqual(new Date('2026-11-28T07:00:00Z'));
  });

  it('does not post a subscription removed through another replica just before its time', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    // No reload before the job's time: only the look-up just before delivering can notice.
    await startScheduler([{ channelId: 'C1', time: '08:00', timeZone: 'UTC' }], {
      reloadIntervalMs: 24 * HOUR,
    });
    await vi.advanceTimersByTimeAsync(2 * HOUR - 1000);
    await openStore().removeDigestSubscription({ teamId: 'T1', channelId: 'C1' });
    await advance(2 * HOUR);
    expect(poster.posts).toEqual([]);
  });

  it('keeps reloading after the store failed once', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    const scheduler = await startScheduler([], EVERY_MINUTE);
    const store = stores[0] as SqliteStore;
    const real = store.allDigestSubscriptions.bind(store);
    let failures = 1;
    store.allDigestSubscriptions = async () => {
      if (failures-- > 0) throw new StoreError('the database is restarting');
      return real();
    };
    await subscribe(openStore(), [{ channelId: 'CNEW', time: '08:00', timeZone: 'UTC' }]);
    await advance(60_000);
    expect(scheduler.nextRun({ teamId: 'T1', channelId: 'CNEW' })).toBeNull();
    await advance(60_000);
    expect(scheduler.nextRun({ teamId: 'T1', channelId: 'CNEW' })).not.toBeNull();
  });

  it('posts each workspace’s subscription to a shared channel at its own time, with its own token', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    await startScheduler([
      { channelId: 'CSHARED', time: '07:00', timeZone: 'UTC', teamId: 'T2' },
      { channelId: 'CSHARED', time: '08:00', timeZone: 'UTC' },
    ]);
    await advance(3 * HOUR);
    expect(poster.posts.map((p) => [p.channelId, p.token, p.at])).toEqual([
      ['CSHARED', 'bot-token-T2', '2026-11-27T07:00:00.000Z'],
      ['CSHARED', 'bot-token-T1', '2026-11-27T08:00:00.000Z'],
    ]);
  });

  it('posts nothing, and does not retry, for a workspace without an installation', async () => {
    vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
    await startScheduler([{ channelId: 'C1', time: '07:00', timeZone: 'UTC', teamId: 'T9' }]);
    // Long enough for every retry a failed post would get.
    await advance(4 * HOUR);
    expect(poster.attempts).toEqual([]);
    expect(logs.filter((l) => l.includes('T9/C1') && l.includes('not installed'))).toHaveLength(1);
  });
});
