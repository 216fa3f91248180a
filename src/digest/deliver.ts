/**
 * Delivering one conversation's digest for its local day, exactly once:
 * 0. find the bot token of the conversation's workspace: where the app is
 *    not installed (any more), nothing is claimed or posted, forced or not;
 * 1. claim (workspace, channel, local date) in the ledger — only one
 *    process wins, whichever replica, scheduler or `digest --post` asks;
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
import type { DigestSubscription, Store } from '../store/store.js';
import { buildDigest, isUnchanged } from './build-digest.js';
import type { DigestPoster, PostTarget } from './poster.js';
import { localDate } from './schedule.js';
import { channelLabel, type DigestInstallations, digestToken } from './workspaces.js';

/**
 * What happened to one conversation's digest: `recovered` when a check
 * found the post of an earlier attempt; `uncertain` when Slack may have the
 * post and no check proved otherwise (it is not posted again without one, or
 * `force`); `failed` when it was not posted; `not-installed` when the app
 * is not installed in its workspace, so nothing was tried.
 */
export type DeliveryStatus =
  | 'not-installed'
  | 'posted'
  | 'recovered'
  | 'already'
  | 'in-progress'
  | 'skipped'
  | 'uncertain'
  | 'failed';

/** The outcome for one conversation. */
export interface Delivery {
  teamId: string;
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
  /** Where the digest may post, and the bot token of each workspace. */
  installations: DigestInstallations;
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
  token: 'getting the workspace’s bot token',
  read: 'reading what the channel last received',
  check: 'the check for an earlier post',
  skip: 'recording the skipped day',
  post: 'the post',
} as const;

type Step = keyof typeof STEPS;

/** The subscription fields delivery needs: which conversation, of which workspace, in which zone. */
export type DeliveryTarget = Pick<DigestSubscription, 'teamId' | 'channelId' | 'enterpriseId' | 'timeZone'>;

/** Delivers the digest of the target's current local day in its time zone (again, with `force`). */
export async function deliverDigest(
  deps: DeliveryDeps,
  target: DeliveryTarget,
  force = false,
): Promise<Delivery> {
  const now = deps.now?.() ?? new Date();
  const date = localDate(now, target.timeZone);
  const { store, poster, logger } = deps;
  const { teamId, channelId } = target;
  const name = `${channelLabel(target)} (${date})`;
  const done = (status: DeliveryStatus, extra: Partial<Delivery> = {}): Delivery => ({
    teamId,
    channelId,
    date,
    status,
    ...extra,
  });
  let token: string | null;
  try {
    token = await digestToken(deps.installations, target);
  } catch (error) {
    // Nothing was claimed or posted: a later attempt starts afresh.
    logger.error(`Digest for ${name}: ${STEPS.token} failed (${String(error)}); not posted`);
    return done('failed', {
      error: error instanceof SlackCallError ? error.slackCode : 'token_error',
      ...(error instanceof CeasefireError ? { code: error.code } : {}),
    });
  }
  if (token === null) {
    logger.warn(`Digest for ${name} not posted: the app is not installed in that workspace`);
    return done('not-installed');
  }
  const to: PostTarget = { channelId, token };
  let claim: Awaited<ReturnType<Store['claimDigest']>>;
  try {
    claim = await store.claimDigest(target, date, deps.owner, deps.staleAfterMs ?? STALE_CLAIM_MS, force);
  } catch (error) {
    logger.error(`Digest for ${name} not claimed: ${String(error)}`);
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
      `Digest for ${name}: ${STEPS[step]} failed (${failure ? code : String(error)}); ` +
      (uncertain ? 'it may have been posted, so it is not posted again without a check' : 'not posted') +
      (notAMember ? ': invite the bot to the channel or unsubscribe it' : '');
    // A Slack failure is expected now and then; any other is the bot's own and wants attention.
    if (failure) logger.warn(line);
    else logger.error(line);
    await store
      .abandonDigest(target, date, uncertain ? 'uncertain' : 'failed', code)
      .catch((e: unknown) => logger.error(`Digest ledger for ${name} not updated: ${String(e)}`));
    if (notAMember) await store.markDigestSubscription(target, code).catch(() => undefined);
    const status = thisPostMayBeOut || (uncertain && step !== 'post') ? 'uncertain' : 'failed';
    return done(status, { error: code, ...(error instanceof CeasefireError ? { code: error.code } : {}) });
  };

  let digest: Digest;
  try {
    const last = await store.lastDigest(target);
    digest = buildDigest(deps.articles(), last?.snapshot ?? null, date);
  } catch (error) {
    return giveUp('read', error);
  }
  if (mayBePosted && !force) {
    let found: string | null;
    try {
      // A local day is at most 25 hours long: this reaches back to its start.
      found = await poster.findPosted(to, date, now.getTime() - 25 * 3600_000);
    } catch (error) {
      return giveUp('check', error);
    }
    if (found) {
      logger.info(`Digest for ${name} was already posted as ${found}: recorded, not posted again`);
      await record(deps, target, date, { state: 'posted', messageTs: found }, digest);
      return done('recovered', { messageTs: found });
    }
    mayBePosted = false;
  }
  if (deps.skipUnchanged && !force && isUnchanged(digest)) {
    try {
      await store.finishDigest(target, date, { state: 'skipped' }, digest.snapshot);
    } catch (error) {
      return giveUp('skip', error);
    }
    return done('skipped');
  }
  let messageTs: string;
  try {
    messageTs = await poster.post(to, digest);
  } catch (error) {
    return giveUp('post', error);
  }
  // Posted: nothing from here on may count as a failure, or a retry would post the day again.
  logger.info(`Digest for ${name} posted as ${messageTs}`);
  await record(deps, target, date, { state: 'posted', messageTs }, digest);
  return done('posted', { messageTs });
}

/**
 * Records a posted digest. A store failure here is logged, not thrown: the
 * claim then stays in the ledger, so other attempts leave the day alone and,
 * once the claim is stale, check the channel, find the post and record it.
 */
async function record(
  { store, logger }: DeliveryDeps,
  target: DeliveryTarget,
  date: string,
  outcome: { state: 'posted'; messageTs: string },
  digest: Digest,
): Promise<void> {
  try {
    await store.finishDigest(target, date, outcome, digest.snapshot);
  } catch (error) {
    logger.error(
      `Digest for ${channelLabel(target)} (${date}) is posted as ${outcome.messageTs} but not recorded ` +
        `(${String(error)}): it is not posted again; a later attempt finds it in the channel`,
    );
    return;
  }
  await store
    .markDigestSubscription(target, null)
    .catch((error: unknown) =>
      logger.warn(`Digest subscription of ${channelLabel(target)} not marked working: ${String(error)}`),
    );
}
