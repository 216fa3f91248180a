/**
 * The parts of the store's behaviour that do not depend on the database:
 * every implementation of `Store` uses these, so the same call means the same
 * thing in SQLite and in Postgres.
 */
import type {
  DigestClaim,
  DigestEntry,
  DigestWorkspace,
  InstallationKey,
  StoredInstallation,
  Workspace,
} from './store.js';

/** How long `withLock` waits for another holder by default. */
export const LOCK_WAIT_MS = 30_000;

/**
 * Keys to claim, each once and in one order. The order matters to Postgres:
 * two claims taking row locks on the same keys in different orders could
 * deadlock; in sorted order one simply waits for the other.
 */
export function claimKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

/**
 * Whether an existing ledger entry may be claimed again, and whether the new
 * claimant must first check the channel for a post: a failed day is retried;
 * an uncertain one, or one whose claimant went silent for `staleAfterMs`, may
 * have been posted; a posted or skipped day only when forced.
 */
export function reclaimDigest(
  entry: DigestEntry,
  now: number,
  staleAfterMs: number,
  force: boolean,
): DigestClaim {
  const abandoned = entry.state === 'claimed' && now - entry.claimedAt >= staleAfterMs;
  const done = entry.state === 'posted' || entry.state === 'skipped';
  if (entry.state === 'failed' || entry.state === 'uncertain' || abandoned || (done && force)) {
    // Slack may have the day's digest after an uncertain attempt, a dead claimant, or a post (forced again).
    return { claimed: true, verify: entry.state === 'uncertain' || entry.state === 'posted' || abandoned };
  }
  return { claimed: false, entry };
}

/** The stored form of an installation's key: '' for an absent id (see migration 3). */
export function installationRow(key: InstallationKey): { enterpriseId: string; teamId: string } {
  return { enterpriseId: key.enterpriseId ?? '', teamId: key.teamId ?? '' };
}

/** An installation as the databases return it: `data` is text from SQLite, parsed JSON from Postgres. */
export interface InstallationRow {
  enterprise_id: string;
  team_id: string;
  installed_by: string;
  data: string | object;
  updated_at: number;
}

/** An installation row as the store hands it out, absent ids null again. */
export function fromInstallationRow(row: InstallationRow): StoredInstallation {
  return {
    enterpriseId: row.enterprise_id || null,
    teamId: row.team_id || null,
    userId: row.installed_by,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as object) : row.data,
    updatedAt: row.updated_at,
  };
}

/** A subscription's columns as `DigestSubscription` names them (quoted: Postgres folds unquoted names). */
export const SUBSCRIPTION_COLUMNS = `team_id AS "teamId", channel_id AS "channelId", enterprise_id AS "enterpriseId",
  time, time_zone AS "timeZone", source, subscribed_by AS "subscribedBy", status, last_error AS "lastError"`;

/** A ledger entry's columns as `DigestEntry` names them. */
export const ENTRY_COLUMNS = `team_id AS "teamId", channel_id AS "channelId", local_date AS date, state,
  claimed_at AS "claimedAt", attempts, message_ts AS "messageTs", error`;

/** Tables whose rows belong to a workspace, and the columns that say which: `deleteWorkspace` empties them. */
export const WORKSPACE_TABLES = ['feedback', 'gaps', 'digest_subscriptions', 'digest_ledger'] as const;
export const WORKSPACE_COLUMNS = ['team_id', 'enterprise_id'] as const;

/** The workspace that adopts the digest's rows from before workspaces; refuses the '' they are kept under. */
export function adoptingWorkspace(workspace: DigestWorkspace): DigestWorkspace {
  if (!workspace.teamId) throw new RangeError('adoptDigests needs the team id of a workspace');
  return { teamId: workspace.teamId, enterpriseId: workspace.enterpriseId };
}

/** The column and id that pick a workspace's rows (`team_id`) or an org's (`enterprise_id`). */
export function workspaceFilter(workspace: Workspace): {
  column: (typeof WORKSPACE_COLUMNS)[number];
  id: string;
} {
  const filter =
    workspace.teamId !== undefined
      ? ({ column: 'team_id', id: workspace.teamId } as const)
      : ({ column: 'enterprise_id', id: workspace.enterpriseId } as const);
  // An empty id would match every org-wide install (team_id '') or every plain workspace (enterprise_id '').
  if (!filter.id) throw new RangeError('deleteWorkspace needs a non-empty team id or enterprise id');
  return filter;
}

/** The user id under which a workspace's latest installation is kept, apart from each user's own. */
export const LATEST_INSTALLATION = '';

/**
 * Runs tasks one at a time per name within this process. `withLock` queues
 * here before it asks the database, so a process holds at most one database
 * connection per lock name while waiting, and its own callers never poll.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it under `name` has settled. */
  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = before.then(() => mine);
    this.tails.set(name, tail);
    await before;
    try {
      return await task();
    } finally {
      done();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}
