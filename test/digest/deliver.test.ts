/**
 * Delivering digests through a real Web API client to a loopback Slack
 * stand-in: each workspace's digest with its own installation's token and
 * none where the app is not installed, rate limits, refused channels,
 * timeouts Slack may or may not have acted on, a process that died between
 * claim and post, and skipping unchanged days. The ledger must never post a
 * day twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { type DeliveryDeps, type DeliveryTarget, deliverDigest } from '../../src/digest/deliver.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { createLogger } from '../../src/log.js';
import { slackClientOptions } from '../../src/slack/client-policy.js';
import { DIGEST_EVENT_TYPE, SlackDigestPoster } from '../../src/slack/digest-poster.js';
import { DATABASE_FILE, SqliteStore } from '../../src/store/sqlite-store.js';
import { orgInstall, workspaceInstall } from '../helpers/installations.js';
import { oauthInstallations } from '../helpers/oauth.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const { articles } = await loadKnowledge('test/fixtures/articles');
const ZONE = 'Europe/Kyiv';
// 10:00 in Kyiv on 27 November 2026.
const NOON = new Date('2026-11-27T08:00:00Z');
const DATE = '2026-11-27';

let slack: SlackStandIn;
let dir: string;
let store: SqliteStore;
let clock: Date;
let waits: number[];
let logs: string[];

/** Workspace T1's conversation `channelId` in Kyiv time (or another workspace's). */
const at = (channelId: string, teamId = 'T1'): DeliveryTarget => ({
  teamId,
  channelId,
  enterpriseId: null,
  timeZone: ZONE,
});

function deps(overrides: Partial<DeliveryDeps> = {}, timeout = 10_000): DeliveryDeps {
  const client = new webApi.WebClient(undefined, slackClientOptions(slack.apiUrl, { timeout }));
  const logger = createLogger({ level: 'info', write: (_l, line) => logs.push(line) });
  return {
    store,
    poster: new SlackDigestPoster(client, { logger, sleep: async (ms) => void waits.push(ms) }),
    installations: oauthInstallations(store, slack.apiUrl),
    articles: () => articles,
    logger,
    owner: 'test',
    now: () => clock,
    skipUnchanged: false,
    staleAfterMs: 60_000,
    ...overrides,
  };
}

/** The messages Slack holds, per channel, oldest first. */
let held: Map<string, { ts: string; metadata?: unknown }[]>;
let lastTs: number;

function heldIn(channel: string): { ts: string; metadata?: unknown }[] {
  const messages = held.get(channel) ?? [];
  held.set(channel, messages);
  return messages;
}

/** A message ts at the test's clock, later than any before it. */
function nextTs(): string {
  lastTs = Math.max(lastTs + 1, clock.getTime() * 1000);
  return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, '0')}`;
}

/** Slack accepts every post (answering after `delayMs`) and keeps it in the channel's history. */
function acceptPosts(delayMs = 0): void {
  slack.on('chat.postMessage', (body) => {
    const ts = nextTs();
    heldIn(String(body.channel)).push({ ts, metadata: body.metadata });
    return { delayMs, body: { ok: true, channel: body.channel, ts } };
  });
}

/** conversations.history as Slack answers it: messages newer than `oldest`, newest first, a page at a time. */
function answerHistory(): void {
  slack.on('conversations.history', (body) => {
    const newer = heldIn(String(body.channel))
      .filter((m) => Number(m.ts) > Number(body.oldest ?? 0))
      .reverse();
    const start = Number(body.cursor ?? 0);
    const end = start + Number(body.limit ?? 100);
    const more = end < newer.length;
    return {
      body: {
        ok: true,
        messages: newer.slice(start, end),
        has_more: more,
        ...(more ? { response_metadata: { next_cursor: String(end) } } : {}),
      },
    };
  });
}

/** The digests of `date` Slack holds in a channel. */
const digestsIn = (channel: string, date = DATE) =>
  heldIn(channel).filter((m) => JSON.stringify(m.metadata) === JSON.stringify(digestMetadata(date)));

const posts = (channel?: string) =>
  slack.callsOf('chat.postMessage').filter((c) => channel === undefined || c.body.channel === channel);

const digestMetadata = (date: string) => ({ event_type: DIGEST_EVENT_TYPE, event_payload: { date } });

beforeEach(async () => {
  slack = new SlackStandIn();
  await slack.start();
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-deliver-'));
  clock = NOON;
  store = SqliteStore.open(dir, { now: () => clock.getTime() });
  // Two workspaces installed through OAuth, each with its own bot token.
  for (const teamId of ['T1', 'T2']) {
    await oauthInstallations(store).storeInstallation(workspaceInstall(teamId, 'U1'));
  }
  waits = [];
  logs = [];
  held = new Map();
  lastTs = 0;
  acceptPosts();
  answerHistory();
});

afterEach(async () => {
  await store.close();
  await slack.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('deliverDigest', () => {
  it('posts the day’s digest once, tagged with its date, and records it', async () => {
    const first = await deliverDigest(deps(), at('C1'));
    expect(first).toMatchObject({ channelId: 'C1', date: '2026-11-27', status: 'posted' });
    const [post] = posts();
    expect(post?.body.metadata).toEqual({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { date: '2026-11-27' },
    });
    expect(JSON.stringify(post?.body.blocks)).toContain('Grain corridor talks resume in Geneva');
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'already',
      messageTs: first.messageTs,
    });
    expect(posts()).toHaveLength(1);
  });

  it('posts each workspace’s digest with that workspace’s bot token, a shared channel once per workspace', async () => {
    for (const teamId of ['T1', 'T2']) {
      expect(await deliverDigest(deps(), at('CSHARED', teamId))).toMatchObject({ teamId, status: 'posted' });
    }
    expect(posts().map((c) => [c.body.channel, c.authorization])).toEqual([
      ['CSHARED', 'Bearer bot-token-T1'],
      ['CSHARED', 'Bearer bot-token-T2'],
    ]);
    for (const teamId of ['T1', 'T2']) {
      expect(await deliverDigest(deps(), at('CSHARED', teamId))).toMatchObject({ status: 'already' });
    }
    expect(posts()).toHaveLength(2);
  });

  it('posts a workspace of an org with the org-wide installation’s token', async () => {
    await oauthInstallations(store).storeInstallation(orgInstall('E1', 'U1'));
    const inOrg = { ...at('C1', 'T5'), enterpriseId: 'E1' };
    expect(await deliverDigest(deps(), inOrg)).toMatchObject({ status: 'posted' });
    expect(posts().map((c) => c.authorization)).toEqual(['Bearer bot-token-E1']);
    // A workspace outside that org has no installation to post through.
    expect(await deliverDigest(deps(), at('C1', 'T5'))).toMatchObject({ status: 'not-installed' });
    expect(posts()).toHaveLength(1);
  });

  it('posts nothing, forced or not, where the app is not installed or was uninstalled', async () => {
    for (const force of [false, true]) {
      expect(await deliverDigest(deps(), at('C1', 'T9'), force)).toMatchObject({
        teamId: 'T9',
        status: 'not-installed',
      });
    }
    // Rows from before workspaces that no workspace adopted belong nowhere.
    expect(await deliverDigest(deps(), at('C1', ''), true)).toMatchObject({ status: 'not-installed' });
    expect(await store.digestEntry(at('C1', 'T9'), DATE)).toBeNull();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'posted' });
    await store.deleteWorkspace({ teamId: 'T1' });
    expect(await deliverDigest(deps(), at('C1'), true)).toMatchObject({ status: 'not-installed' });
    expect(posts().map((c) => c.authorization)).toEqual(['Bearer bot-token-T1']);
    expect(logs.some((l) => l.includes('T9/C1') && l.includes('not installed'))).toBe(true);
  });

  it('waits out a 429 for as long as Retry-After says, then posts once', async () => {
    let limited = false;
    slack.on('chat.postMessage', (body) => {
      if (!limited) {
        limited = true;
        return { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } };
      }
      return { body: { ok: true, channel: body.channel, ts: '1800000000.000200' } };
    });
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'posted',
      messageTs: '1800000000.000200',
    });
    expect(waits).toEqual([7000]);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived'])(
    'reports %s with the channel, marks the subscription, and still serves other channels',
    async (error) => {
      await store.saveDigestSubscription({
        teamId: 'T1',
        channelId: 'CBAD',
        enterpriseId: null,
        time: '09:00',
        timeZone: ZONE,
        source: 'env',
        subscribedBy: null,
      });
      slack.on('chat.postMessage', (body) =>
        body.channel === 'CBAD'
          ? { body: { ok: false, error } }
          : { body: { ok: true, channel: body.channel, ts: '1800000000.000300' } },
      );
      expect(await deliverDigest(deps(), at('CBAD'))).toMatchObject({ status: 'failed', error });
      expect(await deliverDigest(deps(), at('CGOOD'))).toMatchObject({ status: 'posted' });
      expect((await store.digestSubscriptions('T1'))[0]).toMatchObject({
        status: 'failing',
        lastError: error,
      });
      expect(logs.some((l) => l.includes('CBAD') && l.includes(error))).toBe(true);
      // Refused, so it was not posted: a later attempt the same day may try again.
      expect(await store.digestEntry(at('CBAD'), '2026-11-27')).toMatchObject({ state: 'failed', error });
    },
  );

  it('never posts twice when a post timed out but Slack had accepted it', async () => {
    acceptPosts(400);
    const timedOut = await deliverDigest(deps({}, 100), at('C1'));
    expect(timedOut).toMatchObject({ status: 'uncertain', error: 'network_error' });
    expect(await store.digestEntry(at('C1'), DATE)).toMatchObject({ state: 'uncertain' });
    // The retry finds the accepted post in the channel's history and records it instead of posting.
    const retried = await deliverDigest(deps(), at('C1'));
    expect(retried).toMatchObject({ status: 'recovered', messageTs: digestsIn('C1')[0]?.ts });
    expect(posts()).toHaveLength(1);
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'already' });
  });

  it('posts after a timeout when Slack had not posted, and after a 5xx', async () => {
    slack.on('conversations.history', { body: { ok: true, messages: [] } });
    slack.on('chat.postMessage', { status: 503, body: { ok: false } });
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'uncertain', error: 'http_503' });
    acceptPosts();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'posted' });
    expect(slack.callsOf('conversations.history')).toHaveLength(1);
  });

  it('keeps a day uncertain while the check fails, and posts it again only once a check proves it absent', async () => {
    acceptPosts(400);
    expect(await deliverDigest(deps({}, 100), at('C1'))).toMatchObject({ status: 'uncertain' });
    // The app was installed without the optional history scopes: the check cannot run.
    slack.on('conversations.history', { body: { ok: false, error: 'missing_scope' } });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
        status: 'uncertain',
        error: 'missing_scope',
        code: 'SLACK_ACCESS_DENIED',
      });
    }
    expect(await store.digestEntry(at('C1'), DATE)).toMatchObject({
      state: 'uncertain',
      error: 'missing_scope',
    });
    expect(posts()).toHaveLength(1);
    // With the scope granted, the check finds the post Slack kept: recorded, not posted again.
    answerHistory();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'recovered',
      messageTs: digestsIn('C1')[0]?.ts,
    });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('keeps a day uncertain when the check fails on the network, then posts once the check finds nothing', async () => {
    slack.on('chat.postMessage', { reset: true, body: {} });
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'uncertain' });
    slack.on('conversations.history', { status: 503, body: { ok: false } });
    acceptPosts();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'uncertain', error: 'http_503' });
    expect(digestsIn('C1')).toHaveLength(0);
    answerHistory();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'posted' });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('looks for an earlier post back to the start of the day, not only since the retry began', async () => {
    acceptPosts(400);
    expect(await deliverDigest(deps({}, 100), at('C1'))).toMatchObject({ status: 'uncertain' });
    acceptPosts();
    clock = new Date(NOON.getTime() + 15 * 60_000);
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'recovered' });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('reads a busy channel’s history page by page to find an earlier post', async () => {
    acceptPosts(400);
    expect(await deliverDigest(deps({}, 100), at('C1'))).toMatchObject({ status: 'uncertain' });
    // People kept talking: 450 newer messages above the digest.
    for (let i = 0; i < 450; i++) heldIn('C1').push({ ts: nextTs() });
    acceptPosts();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'recovered' });
    expect(digestsIn('C1')).toHaveLength(1);
    expect(slack.callsOf('conversations.history').length).toBeGreaterThan(1);
  });

  it('stays uncertain when the day’s history is too long to read to its start', async () => {
    acceptPosts(400);
    expect(await deliverDigest(deps({}, 100), at('C1'))).toMatchObject({ status: 'uncertain' });
    for (let i = 0; i < 2100; i++) heldIn('C1').push({ ts: nextTs() });
    acceptPosts();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'uncertain',
      error: 'history_too_long',
    });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('a store failure after a successful post is not a failed post: the day is not posted again', async () => {
    // The real database refuses to record the outcome, as a full disk would.
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec(`CREATE TRIGGER refuse_outcome BEFORE UPDATE OF state ON digest_ledger WHEN NEW.state = 'posted'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const posted = await deliverDigest(deps(), at('C1'));
    expect(posted).toMatchObject({ status: 'posted', messageTs: digestsIn('C1')[0]?.ts });
    expect(logs.some((l) => l.includes('not recorded'))).toBe(true);
    db.exec('DROP TRIGGER refuse_outcome');
    db.close();
    // The claim stays: left alone while fresh, then taken over with a check that finds the post.
    expect(await store.digestEntry(at('C1'), DATE)).toMatchObject({ state: 'claimed' });
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'in-progress' });
    clock = new Date(NOON.getTime() + 60_000);
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'recovered',
      messageTs: posted.messageTs,
    });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('a forced post Slack refuses leaves the day’s first post standing: nothing is posted on its own', async () => {
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'posted' });
    slack.on('chat.postMessage', { body: { ok: false, error: 'internal_error' } });
    expect(await deliverDigest(deps(), at('C1'), true)).toMatchObject({
      status: 'failed',
      error: 'internal_error',
    });
    acceptPosts();
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'recovered' });
    expect(digestsIn('C1')).toHaveLength(1);
  });

  it('recovers from a process that died between claim and post: checks, then posts once', async () => {
    await store.claimDigest(at('C1'), '2026-11-27', 'process-that-died', 60_000);
    slack.on('conversations.history', { body: { ok: true, messages: [] } });
    // Within the claim's lease it might still be posting: leave it alone.
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'in-progress' });
    expect(posts()).toHaveLength(0);
    clock = new Date(NOON.getTime() + 60_000);
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'posted' });
    expect(slack.callsOf('conversations.history')).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it('recovers from a process that died after Slack accepted its post: records it, posts nothing', async () => {
    const died = deps();
    await store.claimDigest(at('C1'), '2026-11-27', 'process-that-died', 60_000);
    // What the dead process sent before dying:
    await died.poster.post({ channelId: 'C1', token: 'bot-token-T1' }, buildDigest(articles, null, DATE));
    clock = new Date(NOON.getTime() + 60_000);
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({ status: 'recovered' });
    expect(posts()).toHaveLength(1);
  });

  it('skips a day with nothing new when asked to, and posts it when forced', async () => {
    await deliverDigest(deps(), at('C1'));
    clock = new Date(NOON.getTime() + 86_400_000);
    expect(await deliverDigest(deps({ skipUnchanged: true }), at('C1'))).toMatchObject({
      status: 'skipped',
      date: '2026-11-28',
    });
    expect(posts()).toHaveLength(1);
    expect(await deliverDigest(deps({ skipUnchanged: true }), at('C1'), true)).toMatchObject({
      status: 'posted',
    });
    expect(posts()).toHaveLength(2);
  });

  it('tells each day’s digest what is new since the channel’s previous one', async () => {
    await deliverDigest(deps(), at('C1'));
    clock = new Date(NOON.getTime() + 86_400_000);
    await deliverDigest(deps(), at('C1'));
    const [first, second] = posts().map((p) => JSON.stringify(p.body.blocks));
    expect(first).toContain('Articles I answer from');
    expect(second).toContain('No new articles since the last digest.');
  });

  it('fails cleanly on invalid_auth without marking the channel', async () => {
    slack.on('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } });
    expect(await deliverDigest(deps(), at('C1'))).toMatchObject({
      status: 'failed',
      error: 'invalid_auth',
    });
    expect(logs.join('\n')).not.toContain('bot-token-T1');
  });
});
