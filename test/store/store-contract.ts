/**
 * What every `Store` promises, as one suite that each implementation runs
 * (`sqlite-store.test.ts`, `postgres-store.test.ts`): claims granted once,
 * also when several stores on one database ("replicas") race for them;
 * feedback; the questions kept for editors; the digest's subscriptions and
 * ledger; installations; locks;
 * health; and several stores migrating one empty database at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type {
  DigestChannel,
  DigestSubscription,
  DigestWorkspace,
  Feedback,
  Gap,
  Store,
} from '../../src/store/store.js';

/** One database for one test, and a way to open stores on it. */
export interface StoreHarness {
  /** Opens a store on this test's database; each call is another connection to it, like another process. */
  open(now: () => number): Promise<Store>;
  /** Removes the database. */
  dispose(): Promise<void>;
}

const STALE = 60_000;
const DAY = '2026-11-27';
/** Channel C1 of workspace T1, outside any Enterprise Grid org. */
const C1: DigestChannel & Pick<DigestWorkspace, 'enterpriseId'> = {
  teamId: 'T1',
  channelId: 'C1',
  enterpriseId: null,
};

/** A subscription of T1 at 09:00 UTC from DIGEST_CHANNELS, with `changes` over that. */
const subscription = (
  changes: Partial<Omit<DigestSubscription, 'status' | 'lastError'>>,
): Omit<DigestSubscription, 'status' | 'lastError'> => ({
  teamId: 'T1',
  channelId: 'C1',
  enterpriseId: null,
  time: '09:00',
  timeZone: 'UTC',
  source: 'env',
  subscribedBy: null,
  ...changes,
});

const feedback = (helpful: boolean, userId = 'U1'): Feedback => ({
  userId,
  teamId: 'T1',
  channelId: 'C1',
  question: 'Who leads?',
  offset: 0,
  helpful,
});

const gap = (question: string, teamId: string | null = 'T1'): Omit<Gap, 'at'> => ({
  kind: 'unanswered',
  question,
  surface: 'command',
  teamId,
});

/**
 * Makes a database for one test: `empty`, or (when that is quicker) already
 * brought to the current schema by a store of the same kind.
 */
export type MakeHarness = (options: { empty: boolean }) => Promise<StoreHarness>;

/** Runs the contract against the stores `makeHarness` opens, a fresh database per test. */
export function storeContract(makeHarness: MakeHarness): void {
  let harness: StoreHarness;
  let opened: Store[];
  let clock: number;
  const now = () => clock;
  /** A store on this test's database, closed after the test. */
  const open = async () => {
    const store = await harness.open(now);
    opened.push(store);
    return store;
  };
  /** `count` stores on this test's database, opened one after another. */
  const replicas = async (count: number) => {
    const stores: Store[] = [];
    for (let i = 0; i < count; i++) stores.push(await open());
    return stores;
  };

  beforeEach(async () => {
    harness = await makeHarness({ empty: false });
    opened = [];
    clock = 1_700_000_000_000;
  });
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await harness.dispose();
  });

  describe('schema', () => {
    it('lets several stores create the schema of one empty database at once', async () => {
      const empty = await makeHarness({ empty: true });
      const stores = await Promise.all(Array.from({ length: 5 }, () => empty.open(now)));
      try {
        // Every one of them works on the same tables.
        const claims = await Promise.all(stores.map((store) => store.claim(['event:E1'], 1000)));
        expect(claims.filter(Boolean)).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await empty.dispose();
      }
    });
  });

  describe('claim', () => {
    it('grants a key once until it expires, then again', async () => {
      const store = await open();
      expect(await store.claim(['event:Ev1'], 1000)).toBe(true);
      expect(await store.claim(['event:Ev1'], 1000)).toBe(false);
      clock += 999;
      expect(await store.claim(['event:Ev1'], 1000)).toBe(false);
      clock += 1;
      expect(await store.claim(['event:Ev1'], 1000)).toBe(true);
    });

    it('refuses a set of keys when any one was claimed, and claims the rest', async () => {
      const store = await open();
      expect(await store.claim(['message:C1:1', 'event:A'], 60_000)).toBe(true);
      expect(await store.claim(['message:C1:1', 'event:B'], 60_000)).toBe(false);
      expect(await store.claim(['event:B'], 60_000)).toBe(false);
      expect(await store.claim(['event:C'], 60_000)).toBe(true);
    });

    it('counts a key listed twice once', async () => {
      const store = await open();
      expect(await store.claim(['event:A', 'event:A'], 60_000)).toBe(true);
      expect(await store.claim(['event:A'], 60_000)).toBe(false);
    });

    it('remembers claims across a restart', async () => {
      const first = await harness.open(now);
      await first.claim(['event:Ev1'], 60_000);
      await first.close();
      const second = await open();
      expect(await second.claim(['event:Ev1'], 60_000)).toBe(false);
    });

    it('grants a key to exactly one of many concurrent calls from several stores', async () => {
      const stores = await replicas(4);
      const calls = Array.from({ length: 40 }, (_, i) =>
        (stores[i % stores.length] as Store).claim(['message:C1:1', 'event:Ev1'], 60_000),
      );
      expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(1);
    });

    it('renews an expired key for exactly one of many concurrent calls', async () => {
      const stores = await replicas(4);
      await (stores[0] as Store).claim(['event:Ev1'], 1000);
      clock += 1000;
      const calls = Array.from({ length: 40 }, (_, i) =>
        (stores[i % stores.length] as Store).claim(['event:Ev1'], 1000),
      );
      expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(1);
    });

    it('settles sets that share keys in different orders, each key going to one call', async () => {
      const stores = await replicas(3);
      const sets = [
        ['event:A', 'event:B', 'event:C'],
        ['event:C', 'event:B', 'event:A'],
        ['event:B', 'event:A'],
        ['event:C', 'event:A'],
      ];
      const calls = Array.from({ length: 24 }, (_, i) =>
        (stores[i % stores.length] as Store).claim(sets[i % sets.length] as string[], 60_000),
      );
      // Whoever came first took every key it asked for, so every later set overlaps it and is refused.
      expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(1);
    });
  });

  describe('feedback', () => {
    it('keeps one rating per reader and answer, the latest, across a restart', async () => {
      const store = await harness.open(now);
      expect(await store.feedbackTotals()).toEqual({ helpful: 0, unhelpful: 0 });
      await store.recordFeedback(feedback(true));
      await store.recordFeedback(feedback(false));
      await store.recordFeedback(feedback(true, 'U2'));
      await store.recordFeedback({ ...feedback(true, 'U2'), offset: 3 });
      expect(await store.feedbackTotals()).toEqual({ helpful: 2, unhelpful: 1 });
      await store.close();
      const reopened = await open();
      expect(await reopened.feedbackTotals()).toEqual({ helpful: 2, unhelpful: 1 });
    });

    it('tells a new or changed rating from one that repeats the reader’s earlier rating', async () => {
      const store = await open();
      expect(await store.recordFeedback(feedback(false))).toBe(true);
      expect(await store.recordFeedback(feedback(false))).toBe(false);
      expect(await store.recordFeedback(feedback(true))).toBe(true);
      expect(await store.recordFeedback(feedback(false))).toBe(true);
      // Another reader, or another page of the same answer, is a rating of its own.
      expect(await store.recordFeedback(feedback(false, 'U2'))).toBe(true);
      expect(await store.recordFeedback({ ...feedback(false), offset: 3 })).toBe(true);
    });
  });

  describe('questions kept for editors', () => {
    it('keeps each question with its kind, surface, workspace and time, oldest first, across a restart', async () => {
      const store = await harness.open(now);
      await store.recordGap(gap('What is the capital of France?'));
      clock += 1000;
      await store.recordGap({
        kind: 'disliked',
        question: 'Who leads?',
        surface: 'dm',
        teamId: 'T2',
        enterpriseId: 'E1',
      });
      clock += 1000;
      await store.recordGap({ ...gap('Any news from Kyiv?', null), surface: 'mention' });
      await store.close();
      const reopened = await open();
      expect(await reopened.gaps(0)).toEqual([
        {
          kind: 'unanswered',
          question: 'What is the capital of France?',
          surface: 'command',
          teamId: 'T1',
          enterpriseId: null,
          at: 1_700_000_000_000,
        },
        {
          kind: 'disliked',
          question: 'Who leads?',
          surface: 'dm',
          teamId: 'T2',
          enterpriseId: 'E1',
          at: 1_700_000_001_000,
        },
        {
          kind: 'unanswered',
          question: 'Any news from Kyiv?',
          surface: 'mention',
          teamId: null,
          enterpriseId: null,
          at: 1_700_000_002_000,
        },
      ]);
    });

    it('lists the questions since a time, of every workspace or of one', async () => {
      const store = await open();
      await store.recordGap(gap('first', 'T1'));
      clock += 1000;
      const since = clock;
      await store.recordGap(gap('second', 'T1'));
      await store.recordGap(gap('third', 'T2'));
      expect((await store.gaps(since)).map((g) => g.question)).toEqual(['second', 'third']);
      expect((await store.gaps(0, 'T1')).map((g) => g.question)).toEqual(['first', 'second']);
      expect((await store.gaps(since, 'T2')).map((g) => g.question)).toEqual(['third']);
      expect(await store.gaps(0, 'T9')).toEqual([]);
    });

    it('purges the questions kept before a time, and only those', async () => {
      const store = await open();
      await store.recordGap(gap('old'));
      clock += 1000;
      await store.recordGap(gap('edge'));
      clock += 1000;
      await store.recordGap(gap('new'));
      expect(await store.purgeGaps(1_700_000_001_000)).toBe(1);
      expect((await store.gaps(0)).map((g) => g.question)).toEqual(['edge', 'new']);
      expect(await store.purgeGaps(1_700_000_001_000)).toBe(0);
      expect(await store.purgeGaps(clock + 1)).toBe(2);
      expect(await store.gaps(0)).toEqual([]);
    });
  });

  describe('digest subscriptions', () => {
    it('saves, updates, marks and removes subscriptions', async () => {
      const store = await open();
      await store.saveDigestSubscription(subscription({ channelId: 'C2' }));
      await store.saveDigestSubscription(
        subscription({
          channelId: 'C1',
          time: '08:30',
          timeZone: 'Europe/Kyiv',
          source: 'command',
          subscribedBy: 'U1',
        }),
      );
      await store.markDigestSubscription({ teamId: 'T1', channelId: 'C2' }, 'not_in_channel');
      expect(await store.digestSubscriptions('T1')).toEqual([
        {
          teamId: 'T1',
          channelId: 'C1',
          enterpriseId: null,
          time: '08:30',
          timeZone: 'Europe/Kyiv',
          source: 'command',
          subscribedBy: 'U1',
          status: 'active',
          lastError: null,
        },
        {
          teamId: 'T1',
          channelId: 'C2',
          enterpriseId: null,
          time: '09:00',
          timeZone: 'UTC',
          source: 'env',
          subscribedBy: null,
          status: 'failing',
          lastError: 'not_in_channel',
        },
      ]);
      // Subscribing again starts afresh: the failing mark goes.
      await store.saveDigestSubscription(
        subscription({ channelId: 'C2', time: '10:00', source: 'command', subscribedBy: 'U2' }),
      );
      expect(await store.digestSubscription({ teamId: 'T1', channelId: 'C2' })).toMatchObject({
        time: '10:00',
        status: 'active',
        lastError: null,
      });
      await store.markDigestSubscription({ teamId: 'T1', channelId: 'C2' }, null);
      expect((await store.digestSubscriptions('T1'))[1]).toMatchObject({ status: 'active', lastError: null });
      expect(await store.removeDigestSubscription({ teamId: 'T1', channelId: 'C1' })).toBe(true);
      expect(await store.removeDigestSubscription({ teamId: 'T1', channelId: 'C1' })).toBe(false);
      expect(await store.digestSubscription({ teamId: 'T1', channelId: 'C1' })).toBeNull();
      expect((await store.digestSubscriptions('T1')).map((s) => s.channelId)).toEqual(['C2']);
    });

    it('keeps each workspace’s subscription to a shared channel apart', async () => {
      const store = await open();
      await store.saveDigestSubscription(subscription({ teamId: 'T2', channelId: 'CSHARED', time: '07:00' }));
      await store.saveDigestSubscription(
        subscription({ teamId: 'T1', channelId: 'CSHARED', time: '08:00', enterpriseId: 'E1' }),
      );
      await store.saveDigestSubscription(subscription({ teamId: 'T1', channelId: 'CONLY1' }));
      await store.markDigestSubscription({ teamId: 'T2', channelId: 'CSHARED' }, 'not_in_channel');
      expect(
        (await store.allDigestSubscriptions()).map((s) => [s.teamId, s.channelId, s.time, s.status]),
      ).toEqual([
        ['T1', 'CONLY1', '09:00', 'active'],
        ['T1', 'CSHARED', '08:00', 'active'],
        ['T2', 'CSHARED', '07:00', 'failing'],
      ]);
      expect((await store.digestSubscriptions('T2')).map((s) => s.channelId)).toEqual(['CSHARED']);
      expect(await store.digestSubscription({ teamId: 'T1', channelId: 'CSHARED' })).toMatchObject({
        enterpriseId: 'E1',
        time: '08:00',
      });
      expect(await store.removeDigestSubscription({ teamId: 'T2', channelId: 'CSHARED' })).toBe(true);
      expect(await store.digestSubscriptions('T2')).toEqual([]);
      expect(await store.digestSubscriptions('T1')).toHaveLength(2);
      expect(await store.digestSubscriptions('T3')).toEqual([]);
    });

    it('lets every store see what another one subscribed and removed', async () => {
      const [a, b] = (await replicas(2)) as [Store, Store];
      await a.saveDigestSubscription(subscription({ channelId: 'C1' }));
      expect((await b.allDigestSubscriptions()).map((s) => s.channelId)).toEqual(['C1']);
      await b.removeDigestSubscription({ teamId: 'T1', channelId: 'C1' });
      expect(await a.allDigestSubscriptions()).toEqual([]);
    });

    it('keeps one row per workspace and channel when stores save and remove it at once', async () => {
      const stores = await replicas(3);
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          (stores[i % stores.length] as Store).saveDigestSubscription(
            subscription({ teamId: `T${i % 2}`, channelId: 'CSHARED', time: `0${i % 10}:00` }),
          ),
        ),
      );
      expect((await (stores[0] as Store).allDigestSubscriptions()).map((s) => s.teamId)).toEqual([
        'T0',
        'T1',
      ]);
      const removed = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (stores[i % stores.length] as Store).removeDigestSubscription({
            teamId: 'T0',
            channelId: 'CSHARED',
          }),
        ),
      );
      expect(removed.filter(Boolean)).toHaveLength(1);
      expect((await (stores[1] as Store).allDigestSubscriptions()).map((s) => s.teamId)).toEqual(['T1']);
    });
  });

  describe('digest ledger', () => {
    it('grants a day once; a second claim sees it in progress, then done', async () => {
      const store = await open();
      expect(await store.digestEntry(C1, DAY)).toBeNull();
      expect(await store.claimDigest(C1, DAY, 'a', STALE)).toEqual({ claimed: true, verify: false });
      expect(await store.claimDigest(C1, DAY, 'b', STALE)).toEqual({
        claimed: false,
        entry: {
          teamId: 'T1',
          channelId: 'C1',
          date: DAY,
          state: 'claimed',
          claimedAt: clock,
          attempts: 1,
          messageTs: null,
          error: null,
        },
      });
      await store.finishDigest(C1, DAY, { state: 'posted', messageTs: '1.2' }, { a: 'h1' });
      expect(await store.claimDigest(C1, DAY, 'b', STALE)).toMatchObject({
        claimed: false,
        entry: { state: 'posted', messageTs: '1.2', attempts: 1 },
      });
      // Another day, another channel, or the same channel in another workspace is its own entry.
      expect((await store.claimDigest(C1, '2026-11-28', 'a', STALE)).claimed).toBe(true);
      expect((await store.claimDigest({ ...C1, channelId: 'C2' }, DAY, 'a', STALE)).claimed).toBe(true);
      expect((await store.claimDigest({ ...C1, teamId: 'T2' }, DAY, 'a', STALE)).claimed).toBe(true);
      expect(await store.digestEntry({ ...C1, teamId: 'T2' }, DAY)).toMatchObject({
        teamId: 'T2',
        state: 'claimed',
      });
      expect(await store.digestEntry(C1, DAY)).toMatchObject({ teamId: 'T1', state: 'posted' });
    });

    it('lets a failed day be tried again, and asks to verify after an uncertain one', async () => {
      const store = await open();
      await store.claimDigest(C1, DAY, 'a', STALE);
      await store.abandonDigest(C1, DAY, 'failed', 'ratelimited');
      expect(await store.digestEntry(C1, DAY)).toMatchObject({ state: 'failed', error: 'ratelimited' });
      expect(await store.claimDigest(C1, DAY, 'a', STALE)).toEqual({ claimed: true, verify: false });
      await store.abandonDigest(C1, DAY, 'uncertain', 'network_error');
      expect(await store.claimDigest(C1, DAY, 'a', STALE)).toEqual({ claimed: true, verify: true });
      expect(await store.digestEntry(C1, DAY)).toMatchObject({
        state: 'claimed',
        attempts: 3,
        error: null,
      });
    });

    it('takes over a claim whose process died, and only once it is stale', async () => {
      const store = await open();
      await store.claimDigest(C1, DAY, 'dead-process', STALE);
      clock += STALE - 1;
      expect((await store.claimDigest(C1, DAY, 'b', STALE)).claimed).toBe(false);
      clock += 1;
      expect(await store.claimDigest(C1, DAY, 'b', STALE)).toEqual({ claimed: true, verify: true });
    });

    it('posts again only when forced', async () => {
      const store = await open();
      await store.claimDigest(C1, DAY, 'a', STALE);
      await store.finishDigest(C1, DAY, { state: 'skipped' }, {});
      expect((await store.claimDigest(C1, DAY, 'a', STALE)).claimed).toBe(false);
      expect(await store.claimDigest(C1, DAY, 'a', STALE, true)).toEqual({ claimed: true, verify: false });
      // A posted day claimed again: Slack has its digest, so the claim says so.
      await store.finishDigest(C1, DAY, { state: 'posted', messageTs: '1.2' }, {});
      expect(await store.claimDigest(C1, DAY, 'a', STALE, true)).toEqual({ claimed: true, verify: true });
    });

    it('remembers what a channel last received, in each workspace', async () => {
      const store = await open();
      const other = { ...C1, teamId: 'T2' };
      expect(await store.lastDigest(C1)).toBeNull();
      await store.claimDigest(C1, '2026-11-26', 'a', STALE);
      await store.finishDigest(C1, '2026-11-26', { state: 'posted', messageTs: '1.1' }, { old: 'h0' });
      await store.claimDigest(C1, DAY, 'a', STALE);
      await store.finishDigest(C1, DAY, { state: 'posted', messageTs: '1.2' }, { old: 'h0', new: 'h1' });
      await store.claimDigest(C1, '2026-11-28', 'a', STALE);
      await store.abandonDigest(C1, '2026-11-28', 'failed', 'ratelimited');
      await store.claimDigest(other, '2026-11-28', 'a', STALE);
      await store.finishDigest(other, '2026-11-28', { state: 'skipped' }, { other: 'h9' });
      expect(await store.lastDigest(C1)).toEqual({
        entry: {
          teamId: 'T1',
          channelId: 'C1',
          date: DAY,
          state: 'posted',
          claimedAt: clock,
          attempts: 1,
          messageTs: '1.2',
          error: null,
        },
        snapshot: { old: 'h0', new: 'h1' },
      });
      expect(await store.lastDigest(other)).toMatchObject({
        entry: { teamId: 'T2', date: '2026-11-28', state: 'skipped' },
        snapshot: { other: 'h9' },
      });
    });

    it('grants a new day to exactly one of many concurrent claims from several stores, per workspace', async () => {
      const stores = await replicas(4);
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (stores[i % stores.length] as Store).claimDigest(
            { ...C1, teamId: i % 2 ? 'T1' : 'T2' },
            DAY,
            `p${i}`,
            STALE,
          ),
        ),
      );
      expect(claims.filter((c) => c.claimed)).toHaveLength(2);
      expect(await (stores[0] as Store).digestEntry(C1, DAY)).toMatchObject({ attempts: 1 });
      expect(await (stores[1] as Store).digestEntry({ ...C1, teamId: 'T2' }, DAY)).toMatchObject({
        attempts: 1,
      });
    });

    it('hands a stale, failed or forced day to exactly one of many concurrent claims', async () => {
      const stores = await replicas(4);
      const race = async (force = false) =>
        (
          await Promise.all(
            Array.from({ length: 24 }, (_, i) =>
              (stores[i % stores.length] as Store).claimDigest(C1, DAY, `p${i}`, STALE, force),
            ),
          )
        ).filter((c) => c.claimed);
      const first = stores[0] as Store;
      await first.claimDigest(C1, DAY, 'dead-process', STALE);
      clock += STALE;
      expect(await race()).toEqual([{ claimed: true, verify: true }]);
      await first.abandonDigest(C1, DAY, 'failed', 'ratelimited');
      expect(await race()).toEqual([{ claimed: true, verify: false }]);
      await first.finishDigest(C1, DAY, { state: 'posted', messageTs: '1.2' }, {});
      expect(await race(true)).toHaveLength(1);
      expect(await first.digestEntry(C1, DAY)).toMatchObject({ state: 'claimed', attempts: 4 });
    });
  });

  describe('digest rows from before workspaces', () => {
    const unowned = { teamId: '', channelId: 'C1', enterpriseId: null };

    it('are adopted by the single-token workspace, the workspace’s own rows winning', async () => {
      const store = await open();
      await store.saveDigestSubscription(subscription({ ...unowned, time: '06:00' }));
      await store.saveDigestSubscription(subscription({ ...unowned, channelId: 'C2', time: '06:00' }));
      await store.claimDigest(unowned, '2026-11-26', 'old', STALE);
      await store.finishDigest(unowned, '2026-11-26', { state: 'posted', messageTs: '1.1' }, { a: 'h0' });
      await store.claimDigest(unowned, DAY, 'old', STALE);
      await store.abandonDigest(unowned, DAY, 'uncertain', 'network_error');
      // The workspace already subscribed C2 and has a ledger entry for DAY in C1 of its own.
      await store.saveDigestSubscription(subscription({ channelId: 'C2', time: '10:00' }));
      await store.claimDigest(C1, DAY, 'new', STALE);

      expect(await store.adoptDigests({ teamId: 'T1', enterpriseId: 'E1' })).toBe(2);
      expect(
        (await store.allDigestSubscriptions()).map((s) => [s.teamId, s.channelId, s.time, s.enterpriseId]),
      ).toEqual([
        ['T1', 'C1', '06:00', 'E1'],
        ['T1', 'C2', '10:00', null],
      ]);
      expect(await store.lastDigest(C1)).toMatchObject({
        entry: { teamId: 'T1', date: '2026-11-26', messageTs: '1.1' },
        snapshot: { a: 'h0' },
      });
      expect(await store.digestEntry(C1, DAY)).toMatchObject({ state: 'claimed', attempts: 1 });
      expect(await store.digestEntry(unowned, DAY)).toBeNull();
      expect(await store.digestSubscriptions('')).toEqual([]);
      // Adopted rows are the workspace's: its uninstall (by org here) removes them.
      await store.deleteWorkspace({ enterpriseId: 'E1' });
      expect((await store.allDigestSubscriptions()).map((s) => s.channelId)).toEqual(['C2']);
      expect(await store.lastDigest(C1)).toBeNull();
    });

    it('are adopted once when several stores adopt them at once', async () => {
      const stores = await replicas(3);
      const first = stores[0] as Store;
      for (let i = 0; i < 5; i++) {
        await first.saveDigestSubscription(subscription({ ...unowned, channelId: `C${i}` }));
        await first.claimDigest({ ...unowned, channelId: `C${i}` }, DAY, 'old', STALE);
      }
      const adopted = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          (stores[i % stores.length] as Store).adoptDigests({ teamId: 'T1', enterpriseId: null }),
        ),
      );
      expect(adopted.reduce((a, b) => a + b, 0)).toBe(10);
      expect((await first.digestSubscriptions('T1')).map((s) => s.channelId)).toEqual([
        'C0',
        'C1',
        'C2',
        'C3',
        'C4',
      ]);
      expect(await first.allDigestSubscriptions()).toHaveLength(5);
      expect(await first.adoptDigests({ teamId: 'T1', enterpriseId: null })).toBe(0);
    });

    it('are never adopted by a workspace without an id', async () => {
      const store = await open();
      await store.saveDigestSubscription(subscription(unowned));
      await expect(store.adoptDigests({ teamId: '', enterpriseId: null })).rejects.toThrow(RangeError);
      expect(await store.digestSubscriptions('')).toHaveLength(1);
    });
  });

  describe('installations', () => {
    const workspace = { enterpriseId: null, teamId: 'T1' };
    const gridWorkspace = { enterpriseId: 'E1', teamId: 'T2' };
    const org = { enterpriseId: 'E1', teamId: null };

    it('keeps the latest installation of a workspace and of each installing user', async () => {
      const store = await open();
      expect(await store.findInstallation(workspace)).toBeNull();
      await store.saveInstallation(workspace, 'U1', { bot: { token: 'first' }, user: { id: 'U1' } });
      clock += 1000;
      await store.saveInstallation(workspace, 'U2', { bot: { token: 'second' }, user: { id: 'U2' } });
      expect(await store.findInstallation(workspace)).toEqual({
        ...workspace,
        userId: 'U2',
        data: { bot: { token: 'second' }, user: { id: 'U2' } },
        updatedAt: clock,
      });
      expect(await store.findInstallation(workspace, 'U1')).toMatchObject({
        userId: 'U1',
        data: { bot: { token: 'first' } },
      });
      expect(await store.findInstallation(workspace, 'U3')).toBeNull();
    });

    it('tells apart a plain workspace, a workspace in an org and the org-wide install', async () => {
      const store = await open();
      await store.saveInstallation(gridWorkspace, 'U1', { n: 'grid workspace' });
      await store.saveInstallation(org, 'U1', { n: 'org' });
      await store.saveInstallation(workspace, 'U1', { n: 'workspace' });
      expect((await store.findInstallation(gridWorkspace))?.data).toEqual({ n: 'grid workspace' });
      expect((await store.findInstallation(org))?.data).toEqual({ n: 'org' });
      expect(await store.findInstallation({ enterpriseId: null, teamId: 'T2' })).toBeNull();
      expect((await store.installations()).map((i) => [i.enterpriseId, i.teamId, i.data])).toEqual([
        [null, 'T1', { n: 'workspace' }],
        ['E1', null, { n: 'org' }],
        ['E1', 'T2', { n: 'grid workspace' }],
      ]);
    });

    it("deletes a user's installation or all of a workspace's", async () => {
      const store = await open();
      await store.saveInstallation(workspace, 'U1', { by: 'U1' });
      await store.saveInstallation(workspace, 'U2', { by: 'U2' });
      expect(await store.deleteInstallation(workspace, 'U1')).toBe(1);
      expect(await store.findInstallation(workspace, 'U1')).toBeNull();
      expect((await store.findInstallation(workspace))?.data).toEqual({ by: 'U2' });
      expect(await store.deleteInstallation(workspace)).toBe(2);
      expect(await store.findInstallation(workspace)).toBeNull();
      expect(await store.installations()).toEqual([]);
    });

    /** Gives `channel` a subscription and a posted digest for DAY. */
    const digestOf = async (store: Store, channel: typeof C1) => {
      await store.saveDigestSubscription(subscription(channel));
      await store.claimDigest(channel, DAY, 'a', STALE);
      await store.finishDigest(channel, DAY, { state: 'posted', messageTs: '1.1' }, {});
    };
    /** Which of `channels` still have a subscription and a ledger entry, as `team/channel`. */
    const digestRowsOf = async (store: Store, channels: (typeof C1)[]) => {
      const subscribed = (await store.allDigestSubscriptions()).map((s) => `${s.teamId}/${s.channelId}`);
      const entries: string[] = [];
      for (const channel of channels) {
        if (await store.digestEntry(channel, DAY)) entries.push(`${channel.teamId}/${channel.channelId}`);
      }
      return { subscribed, entries };
    };

    it("forgets an uninstalled workspace's installations, feedback and digest, and nothing else", async () => {
      const store = await open();
      const t9 = { ...C1, teamId: 'T9' };
      await store.saveInstallation(workspace, 'U1', {});
      await store.saveInstallation({ enterpriseId: null, teamId: 'T9' }, 'U1', {});
      await store.recordFeedback(feedback(true));
      await store.recordFeedback({ ...feedback(false, 'U2'), teamId: 'T9' });
      // The same shared channel in both workspaces.
      await digestOf(store, C1);
      await digestOf(store, t9);
      await store.recordGap(gap('asked in T1', 'T1'));
      await store.recordGap(gap('asked in T9', 'T9'));
      await store.deleteWorkspace({ teamId: 'T1' });
      expect((await store.installations()).map((i) => i.teamId)).toEqual(['T9']);
      expect(await store.feedbackTotals()).toEqual({ helpful: 0, unhelpful: 1 });
      expect(await digestRowsOf(store, [C1, t9])).toEqual({ subscribed: ['T9/C1'], entries: ['T9/C1'] });
      // What it last received is gone too: a reinstall starts the digest afresh.
      expect(await store.lastDigest(C1)).toBeNull();
      expect((await store.gaps(0)).map((g) => g.question)).toEqual(['asked in T9']);
    });

    it("forgets an uninstalled org's installations, and the feedback, questions and digest of its workspaces", async () => {
      const store = await open();
      const inOrg = [
        { teamId: 'T2', channelId: 'C1', enterpriseId: 'E1' },
        { teamId: 'T3', channelId: 'C2', enterpriseId: 'E1' },
      ];
      const outside = { teamId: 'T1', channelId: 'C1', enterpriseId: null };
      await store.saveInstallation(org, 'U1', {});
      await store.saveInstallation(gridWorkspace, 'U1', {});
      await store.saveInstallation(workspace, 'U1', {});
      await store.recordFeedback({ ...feedback(true), teamId: 'T2', enterpriseId: 'E1' });
      await store.recordFeedback({ ...feedback(true, 'U2'), teamId: 'T3', enterpriseId: 'E1' });
      await store.recordFeedback(feedback(false, 'U3'));
      for (const channel of [...inOrg, outside]) await digestOf(store, channel);
      await store.recordGap({ ...gap('asked in the org', 'T2'), enterpriseId: 'E1' });
      await store.recordGap(gap('asked elsewhere', 'T1'));
      await store.deleteWorkspace({ enterpriseId: 'E1' });
      expect((await store.installations()).map((i) => i.teamId)).toEqual(['T1']);
      expect(await store.feedbackTotals()).toEqual({ helpful: 0, unhelpful: 1 });
      expect(await digestRowsOf(store, [...inOrg, outside])).toEqual({
        subscribed: ['T1/C1'],
        entries: ['T1/C1'],
      });
      expect((await store.gaps(0)).map((g) => g.question)).toEqual(['asked elsewhere']);
    });

    it('refuses to forget a workspace without an id', async () => {
      const store = await open();
      await store.saveInstallation(org, 'U1', {});
      await expect(store.deleteWorkspace({ teamId: '' })).rejects.toThrow(RangeError);
      expect(await store.installations()).toHaveLength(1);
    });
  });

  describe('locks', () => {
    it('lets one holder at a time run, across several stores', async () => {
      const stores = await replicas(3);
      let inside = 0;
      let most = 0;
      const calls = Array.from({ length: 12 }, (_, i) =>
        (stores[i % stores.length] as Store).withLock('token:T1', async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(3);
          inside--;
          return i;
        }),
      );
      expect(await Promise.all(calls)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(most).toBe(1);
    });

    it('refreshes a token exactly once when replicas race to do it', async () => {
      const stores = await replicas(3);
      const key = { enterpriseId: null, teamId: 'T1' };
      await (stores[0] as Store).saveInstallation(key, 'U1', { bot: { token: 'old', expiresAt: 1 } });
      // Connections opened beforehand, so that the racers really start together.
      await Promise.all(stores.flatMap((store) => [store.ping(), store.ping()]));
      let refreshes = 0;
      const refreshIfDue = (store: Store) =>
        store.withLock('token:T1', async () => {
          // Read again under the lock: another replica may have refreshed it meanwhile.
          const current = (await store.findInstallation(key))?.data as { bot: { expiresAt: number } };
          if (current.bot.expiresAt > 1) return;
          refreshes++;
          await sleep(20);
          await store.saveInstallation(key, 'U1', { bot: { token: 'new', expiresAt: 2 } });
        });
      await Promise.all(Array.from({ length: 9 }, (_, i) => refreshIfDue(stores[i % 3] as Store)));
      expect(refreshes).toBe(1);
      expect((await (stores[1] as Store).findInstallation(key))?.data).toEqual({
        bot: { token: 'new', expiresAt: 2 },
      });
    });

    it('does not hold up other lock names', async () => {
      const [a, b] = (await replicas(2)) as [Store, Store];
      let release!: () => void;
      const held = a.withLock('token:T1', () => new Promise<void>((resolve) => (release = resolve)));
      await sleep(20);
      expect(await b.withLock('token:T2', async () => 'other', { waitMs: 1000 })).toBe('other');
      release();
      await held;
    });

    it('gives up waiting with a StoreError, and lets go when the work fails', async () => {
      const [a, b] = (await replicas(2)) as [Store, Store];
      let release!: () => void;
      const held = a.withLock('token:T1', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('refresh failed');
      });
      await sleep(20);
      const waited = b.withLock('token:T1', async () => 'never', { waitMs: 150 });
      await expect(waited).rejects.toThrow(StoreError);
      await expect(waited).rejects.toThrow(/token:T1.*still held/);
      release();
      // The work's own error passes through unchanged, and the lock is free again.
      await expect(held).rejects.toThrow(/^refresh failed$/);
      expect(await b.withLock('token:T1', async () => 'free', { waitMs: 1000 })).toBe('free');
    });
  });

  describe('health and closing', () => {
    it('answers a ping while open; after closing, every call fails with StoreError', async () => {
      const store = await harness.open(now);
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await store.close();
      await expect(store.ping()).rejects.toThrow(StoreError);
      await expect(store.claim(['event:E1'], 1000)).rejects.toThrow(StoreError);
      await expect(store.feedbackTotals()).rejects.toThrow(StoreError);
    });
  });
}
