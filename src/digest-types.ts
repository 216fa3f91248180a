/**
 * The daily digest's data as it passes between folders: `digest/` builds it
 * and keeps the schedule, `render/` shows it, `slack/` posts it. Types only,
 * kept here so that none of those folders imports another for them.
 */
import type { FactSource } from './search/types.js';
import type { DigestEntry, DigestSubscription, ReceivedSnapshot } from './store/store.js';

/** One key fact of the digest, with where it comes from. */
export interface DigestFact {
  text: string;
  source: FactSource;
}

/** An article added or changed since the channel's previous digest. */
export interface DigestChange {
  title: string;
  url: string | null;
  published: string | null;
  change: 'added' | 'updated';
}

/** A digest ready to render. */
export interface Digest {
  /** The channel's local date, YYYY-MM-DD. */
  date: string;
  keyFacts: DigestFact[];
  changes: DigestChange[];
  /** How many changes were left out of `changes` to keep the message short. */
  moreChanges: number;
  /** True when the channel has never had a digest. */
  first: boolean;
  /** What this digest delivers, to be stored as the channel's last received snapshot. */
  snapshot: ReceivedSnapshot;
}

/** A subscription and its ledger entry for today in its own time zone, as App Home lists it. */
export interface SubscriptionStatus {
  subscription: DigestSubscription;
  today: DigestEntry | null;
}

/** A conversation's digest in one workspace, as `/ceasefire digest` shows it. */
export interface ChannelDigestStatus {
  teamId: string;
  channelId: string;
  subscription: DigestSubscription | null;
  /** Today's ledger entry in the channel's zone (or the default zone). */
  today: DigestEntry | null;
  /** The last digest the channel received. */
  last: DigestEntry | null;
  nextRun: Date | null;
}

/**
 * Why `/ceasefire digest on …` subscribed nothing: a word that is not a
 * time, one that is neither a time nor a time zone, a workspace the app is
 * not installed in, or a notice the bot could not post in the channel
 * (`notAMember`: it must be invited first).
 */
export type SubscribeProblem =
  | { kind: 'not-installed' }
  | { kind: 'not-a-time'; word: string }
  | { kind: 'not-a-time-or-zone'; word: string }
  | { kind: 'cannot-post'; slackCode: string; notAMember: boolean };

/** The result of `/ceasefire digest on …`. */
export type SubscribeResult =
  | { ok: true; subscription: DigestSubscription }
  | { ok: false; problem: SubscribeProblem };

/** The result of `/ceasefire digest off`; `configured`: only DIGEST_CHANNELS can remove the channel. */
export type UnsubscribeResult = 'removed' | 'not-subscribed' | 'configured';
