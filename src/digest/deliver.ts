/**
 * Delivering one channel's digest for its local day, exactly once:
 * 1. claim (channel, local date) in the ledger — only one process wins;
 * 2. if an earlier attempt may have posted already (it timed out, or its
 *    process died between claim and post), look for that post first;
 * 3. post, then record the message ts and what the channel received.
 * A post Slack refused is recorded as failed and may be tried again the
 * same day; one whose outcome is unknown is recorded as uncertain and is
 * checked before any new attempt.
 */
import type { Logger } from '@slack/bolt';
import { type ErrorCode, SlackCallError } from '../errors.js';
import type { Article } from '../knowledge/types.js';
import type { Store } from '../store/store.js';
import { buildDigest, isUnchanged } from './build-digest.js';
import type { DigestPoster } from './poster.js';
import { localDate } from './schedule.js';

/** What happened to one channel's digest. */
export type DeliveryStatus = 'posted' | 'recovered' | 'already' | 'in-progress' | 'skipped' | 'failed';

/** The outcome for one channel. */
export interface Delivery {
  channelId: string;
  date: string;
  status: DeliveryStatus;
  messageTs?: string;
  /** Slack's error code (or `store_error`) when failed. */
  error?: string;
  /** What the failure means (e.g. `SLACK_NOT_A_MEMBER`: trying again is no use until someone acts). */
  code?: ErrorCode;
}

/** What delivery works with. */
export interface DeliveryDeps {
  store: Store;
  poster: DigestPoster;
  /** The articles in service now (hot reload may change them between digests). */
  articles: () => readonly Article[];
  logger: Logger;
  /** Names this process in claims (host and pid). */
  owner: string;
  now?: () => Date;
  skipUnchanged: boolean;
  /** A claim this old without an outcome belongs to a process that died mid-post. */
  staleAfterMs?: number;
}

/** Default: far longer than any post takes (see `SLACK_TIMEOUT_MS`), short enough to recover the same day. */
export const STALE_CLAIM_MS = 5 * 60_000;

/** Delivers the digest of `channelId`'s current local day in `timeZone` (again, with `force`). */
export async function deliverDigest(
  deps: DeliveryDeps,
  channelId: string,
  timeZone: string,
  force = false,
): Promise<Delivery> {
  const now = deps.now?.() ?? new Date();
  const date = localDate(now, timeZone);
  const { store, poster, logger } = deps;
  const done = (status: DeliveryStatus, extra: Partial<Delivery> = {}): Delivery => ({
    channelId,
    date,
    status,
    ...extra,
  });
  let claim: Awaited<ReturnType<Store['claimDigest']>>;
  try {
    claim = await store.claimDigest(channelId, date, deps.owner, deps.staleAfterMs ?? STALE_CLAIM_MS, force);
  } catch (error) {
    logger.error(`Digest for ${channelId} (${date}) not claimed: ${String(error)}`);
    return done('failed', { error: 'store_error', code: 'STORE_UNAVAILABLE' });
  }
  if (!claim.claimed) {
    const { entry } = claim;
    if (entry.state === 'claimed') return done('in-progress');
    return done(
      entry.state === 'skipped' ? 'skipped' : 'already',
      entry.messageTs ? { messageTs: entry.messageTs } : {},
    );
  }
  try {
    const last = await store.lastDigest(channelId);
    const digest = buildDigest(deps.articles(), last?.snapshot ?? null, date);
    if (claim.verify) {
      const entry = await store.digestEntry(channelId, date);
      const found = await poster.findPosted(channelId, date, entry?.claimedAt ?? now.getTime() - 86_400_000);
      if (found) {
        logger.info(
          `Digest for ${channelId} (${date}) was already posted as ${found}: recorded, not posted again`,
        );
        await store.finishDigest(channelId, date, { state: 'posted', messageTs: found }, digest.snapshot);
        return done('recovered', { messageTs: found });
      }
    }
    if (deps.skipUnchanged && !force && isUnchanged(digest)) {
      await store.finishDigest(channelId, date, { state: 'skipped' }, digest.snapshot);
      return done('skipped');
    }
    const messageTs = await poster.post(channelId, digest);
    await store.finishDigest(channelId, date, { state: 'posted', messageTs }, digest.snapshot);
    await store.markDigestSubscription(channelId, null);
    logger.info(`Digest for ${channelId} (${date}) posted as ${messageTs}`);
    return done('posted', { messageTs });
  } catch (error) {
    const failure = error instanceof SlackCallError ? error : null;
    const code = failure?.slackCode ?? 'unknown_error';
    const uncertain = failure?.code === 'SLACK_UNCERTAIN';
    const notAMember = failure?.code === 'SLACK_NOT_A_MEMBER';
    logger.warn(
      `Digest for ${channelId} (${date}) ${uncertain ? 'may not have been posted' : 'was not posted'} (${code})` +
        (notAMember ? ': invite the bot to the channel or unsubscribe it' : ''),
    );
    await store
      .abandonDigest(channelId, date, uncertain ? 'uncertain' : 'failed', code)
      .catch((e: unknown) => {
        logger.error(`Digest ledger for ${channelId} (${date}) not updated: ${String(e)}`);
      });
    if (notAMember) await store.markDigestSubscription(channelId, code).catch(() => undefined);
    return done('failed', { error: code, ...(failure ? { code: failure.code } : {}) });
  }
}
