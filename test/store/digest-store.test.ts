/**
 * The digest's part of the store: subscriptions, and the ledger that makes
 * each channel's digest go out once per local day — also with two
 * processes on one database file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';

let dir: string;
let clock: number;
const now = () => clock;
const STALE = 60_000;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-digest-store-'));
  clock = 1_800_000_000_000;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('digest subscriptions', () => {
  it('saves, updates, marks and removes subscriptions', async () => {
    const store = SqliteStore.open(dir, { now });
    await store.saveDigestSubscription({
      channelId: 'C2',
      time: '09:00',
      timeZone: 'UTC',
      source: 'env',
      subscribedBy: null,
    });
    await store.saveDigestSubscription({
      channelId: 'C1',
      time: '08:30',
      timeZone: 'Europe/Kyiv',
      source: 'command',
      subscribedBy: 'U1',
    });
    await store.markDigestSubscription('C2', 'not_in_channel');
    expect(await store.digestSubscriptions()).toEqual([
      {
        channelId: 'C1',
        time: '08:30',
        timeZone: 'Europe/Kyiv',
        source: 'command',
        subscribedBy: 'U1',
        status: 'active',
        lastError: null,
      },
      {
        channelId: 'C2',
        time: '09:00',
        timeZone: 'UTC',
        source: 'env',
        subscribedBy: null,
        status: 'failing',
        lastError: 'not_in_channel',
      },
    ]);
    // Subscribing again starts afresh: the failing mark goes.
    await store.saveDigestSubscription({
      channelId: 'C2',
      time: '10:00',
      timeZone: 'UTC',
      source: 'command',
      subscribedBy: 'U2',
    });
    expect((await store.digestSubscriptions())[1]).toMatchObject({
      time: '10:00',
      status: 'active',
      lastError: null,
    });
    expect(await store.removeDigestSubscription('C1')).toBe(true);
    expect(await store.removeDigestSubscription('C1')).toBe(false);
    await store.close();
  });
});

describe('digest ledger', () => {
  it('grants a day once; a second claim sees it in progress, then done', async () => {
    const store = SqliteStore.open(dir, { now });
    expect(await store.claimDigest('C1', '2026-11-27', 'a', STALE)).toEqual({ claimed: true, verify: false });
    expect(await store.claimDigest('C1', '2026-11-27', 'b', STALE)).toMatchObject({
      claimed: false,
      entry: { state: 'claimed' },
    });
    await store.finishDigest('C1', '2026-11-27', { state: 'posted', messageTs: '1.2' }, { a: 'h1' });
    expect(await store.claimDigest('C1', '2026-11-27', 'b', STALE)).toMatchObject({
      claimed: false,
      entry: { state: 'posted', messageTs: '1.2', attempts: 1 },
    });
    // Another day, or another channel, is its own entry.
    expect((await store.claimDigest('C1', '2026-11-28', 'a', STALE)).claimed).toBe(true);
    expect((await store.claimDigest('C2', '2026-11-27', 'a', STALE)).claimed).toBe(true);
    await store.close();
  });

  it('lets a failed day be tried again, and asks to verify after an uncertain one', async () => {
    const store = SqliteStore.open(dir, { now });
    await store.claimDigest('C1', '2026-11-27', 'a', STALE);
    await store.abandonDigest('C1', '2026-11-27', 'failed', 'ratelimited');
    expect(await store.claimDigest('C1', '2026-11-27', 'a', STALE)).toEqual({ claimed: true, verify: false });
    await store.abandonDigest('C1', '2026-11-27', 'uncertain', 'network_error');
    expect(await store.claimDigest('C1', '2026-11-27', 'a', STALE)).toEqual({ claimed: true, verify: true });
    expect(await store.digestEntry('C1', '2026-11-27')).toMatchObject({
      state: 'claimed',
      attempts: 3,
      error: null,
    });
    await store.close();
  });

  it('takes over a claim whose process died, and only once it is stale', async () => {
    const store = SqliteStore.open(dir, { now });
    await store.claimDigest('C1', '2026-11-27', 'dead-process', STALE);
    clock += STALE - 1;
    expect((await store.claimDigest('C1', '2026-11-27', 'b', STALE)).claimed).toBe(false);
    clock += 1;
    expect(await store.claimDigest('C1', '2026-11-27', 'b', STALE)).toEqual({ claimed: true, verify: true });
    await store.close();
  });

  it('posts again only when forced', async () => {
    const store = SqliteStore.open(dir, { now });
    await store.claimDigest('C1', '2026-11-27', 'a', STALE);
    await store.finishDigest('C1', '2026-11-27', { state: 'skipped' }, {});
    expect((await store.claimDigest('C1', '2026-11-27', 'a', STALE)).claimed).toBe(false);
    expect(await store.claimDigest('C1', '2026-11-27', 'a', STALE, true)).toEqual({
      claimed: true,
      verify: false,
    });
    // A posted day claimed again: Slack has its digest, so the claim says so.
    await store.finishDigest('C1', '2026-11-27', { state: 'posted', messageTs: '1.2' }, {});
    expect(await store.claimDigest('C1', '2026-11-27', 'a', STALE, true)).toEqual({
      claimed: true,
      verify: true,
    });
    await store.close();
  });

  it('remembers what a channel last received', async () => {
    const store = SqliteStore.open(dir, { now });
    expect(await store.lastDigest('C1')).toBeNull();
    await store.claimDigest('C1', '2026-11-26', 'a', STALE);
    await store.finishDigest('C1', '2026-11-26', { state: 'posted', messageTs: '1.1' }, { old: 'h0' });
    await store.claimDigest('C1', '2026-11-27', 'a', STALE);
    await store.finishDigest(
      'C1',
      '2026-11-27',
      { state: 'posted', messageTs: '1.2' },
      { old: 'h0', new: 'h1' },
    );
    await store.claimDigest('C1', '2026-11-28', 'a', STALE);
    await store.abandonDigest('C1', '2026-11-28', 'failed', 'ratelimited');
    expect(await store.lastDigest('C1')).toMatchObject({
      entry: { date: '2026-11-27', messageTs: '1.2' },
      snapshot: { old: 'h0', new: 'h1' },
    });
    await store.close();
  });

  it('grants a day to exactly one of two processes sharing the database', async () => {
    const a = SqliteStore.open(dir, { now });
    const b = SqliteStore.open(dir, { now });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimDigest('C1', '2026-11-27', `p${i}`, STALE)),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    await a.close();
    await b.close();
  });
});
