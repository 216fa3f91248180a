/**
 * Delivering one channel's digest for its local day, exactly once:
 * 1. claim (channel, local date) in the ledger — only one process wins;
 * 2. if Slack may already have the day's digest (an earlier attempt timed
 *    out, its process died mid-post, or it was posted and this is a forced
 *    repost), look for that post in the channel first;
 * 3. post, then record the message ts and what the channel received.
 * The rule: once Slack may have the post, the day is never posted again on
 * its own unless a check of the channel proves the post absent. A post
 * Slack refused is recorded as failed and may be tried again the same day;
 * one Slack may have carried out is recorded as uncertain, and stays so
 * while no check can tell (the history scopes are optional, the check may
 * fail); only `force` posts it then.
 */
import type { Logger } from '@slack/bolt';
import type { Article } from '../article.js';
import type { Digest } from '../digest-types.js';
import { CeasefireError, type ErrorCode, SlackCallError, StoreError } from '../errors.js';
import type { Store } from '../store/store.js';
import { buildDigest, isUnchanged } from './build-digest.js';
import type { DigestPoster } from './poster.js';
import { localDate } from './schedule.js';

/**
 * What happened to one channel's digest: `recovered` when a check found the
 * post of an earlier attempt; `uncertain` when Slack may have the post and
 * no check proved otherwise (it is not posted again without one, or
 * `force`); `failed` when it was not posted.
 */
export type DeliveryStatus =
  | 'posted'
  | 'recovered'
  | 'already'
  | 'in-progress'
  | 'skipped'
  | 'uncertain'
  | 'failed';

/** The outcome for one channel. */
export interface Delivery {
  channelId: string;
  date: string;
  status: DeliveryStatus;
  messageTs?: string;
  /** Slack's error code (or `store_error`) when failed or uncertain. */
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

/** The steps of a delivery that can fail, as the log names them. */
const STEPS = {
  read: 'reading what the channel last received',
  check: 'the check for an earlier post',
  skip: 'recording the skipped day',
  post: 'the post',
} as const;

type Step = keyof typeof STEPS;

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
  // Whether Slack may have today's digest already; only a check of the channel clears it.
  let mayBePosted = claim.verify;
  /**
   * Releases the claim after a failed `step`: `uncertain` while Slack may have the day's post, `failed`
   * when it surely has none. The delivery says what this attempt did: a refused post is `failed` even on an
   * uncertain day.
   */
  const giveUp = async (step: Step, error: unknown): Promise<Delivery> => {
    const failure = error instanceof SlackCallError ? error : null;
    const code = failure ? failure.slackCode : error instanceof StoreError ? 'store_error' : 'unknown_error';
    const thisPostMayBeOut = step === 'post' && failure?.code === 'SLACK_UNCERTAIN';
    const uncertain = mayBePosted || thisPostMayBeOut;
    const notAMember = failure?.code === 'SLACK_NOT_A_MEMBER';
    const line =
      `Digest for ${channelId} (${date}): ${STEPS[step]} failed (${failure ? code : String(error)}); ` +
      (uncertain ? 'it may have been posted, so it is not posted again without a check' : 'not posted') +
      (notAMember ? ': invite the bot to the channel or unsubscribe it' : '');
    // A Slack failure is expected now and then; any other is the bot's own and wants attention.
    if (failure) logger.warn(line);
    else logger.error(line);
    await store
      .abandonDigest(channelId, date, uncertain ? 'uncertain' : 'failed', code)
      .catch((e: unknown) =>
        logger.error(`Digest ledger for ${channelId} (${date}) not updated: ${String(e)}`),
      );
    if (notAMember) await store.markDigestSubscription(channelId, code).catch(() => undefined);
    const status = thisPostMayBeOut || (uncertain && step !== 'post') ? 'uncertain' : 'failed';
    return done(status, { error: code, ...(error instanceof CeasefireError ? { code: error.code } : {}) });
  };

  let digest: Digest;
  try {
    const last = await store.lastDigest(channelId);
    digest = buildDigest(deps.articles(), last?.snapshot ?? null, date);
  } catch (error) {
    return giveUp('read', error);
  }
  if (mayBePosted && !force) {
    let found: string | null;
    try {
      // A local day is at most 25 hours long: this reaches back to its start.
      found = await poster.findPosted(channelId, date, now.getTime() - 25 * 3600_000);
    } catch (error) {
      return giveUp('check', error);
    }
    if (found) {
      logger.info(
        `Digest for ${channelId} (${date}) was already posted as ${found}: recorded, not posted again`,
      );
      await record(deps, channelId, date, { state: 'posted', messageTs: found }, digest);
      return done('recovered', { messageTs: found });
    }
    mayBePosted = false;
  }
  if (deps.skipUnchanged && !force && isUnchanged(digest)) {
    try {
      await store.finishDigest(channelId, date, { state: 'skipped' }, digest.snapshot);
    } catch (error) {
      return giveUp('skip', error);
    }
    return done('skipped');
  }
  let messageTs: string;
  try {
    messageTs = await poster.post(channelId, digest);
  } catch (error) {
    return giveUp('post', error);
  }
  // Posted: nothing from here on may count as a failure, or a retry would post the day again.
  logger.info(`Digest for ${channelId} (${date}) posted as ${messageTs}`);
  await record(deps, channelId, date, { state: 'posted', messageTs }, digest);
  return done('posted', { messageTs });
}

/**
 * Records a posted digest. A store failure here is logged, not thrown: the
 * claim then stays in the ledger, so other attempts leave the day alone and,
 * once the claim is stale, check the channel, find the post and record it.
 */
async function record(
  { store, logger }: DeliveryDeps,
  channelId: string,
  date: string,
  outcome: { state: 'posted'; messageTs: string },
  digest: Digest,
): Promise<void> {
  try {
    await store.finishDigest(channelId, date, outcome, digest.snapshot);
  } catch (error) {
    logger.error(
      `Digest for ${channelId} (${date}) is posted as ${outcome.messageTs} but not recorded (${String(error)}): ` +
        'it is not posted again; a later attempt finds it in the channel',
    );
    return;
  }
  await store
    .markDigestSubscription(channelId, null)
    .catch((error: unknown) =>
      logger.warn(`Digest subscription of ${channelId} not marked working: ${String(error)}`),
    );
}
