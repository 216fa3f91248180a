/**
 * A digest as the version before workspaces stored it (schema version 3):
 * the rows, in SQL both databases accept, and how the store reads them back.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { DATABASE_FILE } from '../../src/store/sqlite-store.js';
import type { DigestEntry, DigestSubscription, ReceivedSnapshot } from '../../src/store/store.js';

/** One subscription and one posted day, inserted into version-3 tables. */
export const LEGACY_DIGEST_ROWS = `
  INSERT INTO digest_subscriptions (channel_id, time, time_zone, source, subscribed_by, status, last_error,
                                    updated_at)
  VALUES ('C0LEGACY1', '08:30', 'Europe/Kyiv', 'command', 'U0001', 'active', NULL, 1700000000000);
  INSERT INTO digest_ledger (channel_id, local_date, state, owner, claimed_at, attempts, message_ts, error, snapshot,
                             finished_at)
  VALUES ('C0LEGACY1', '2026-11-27', 'posted', 'old-host:1', 1700000000000, 1, '1700000000.000100', NULL,
          '{"grain-corridor":"h1"}', 1700000000500);
`;

/** Writes the SQLite file of `dataDir` as that version left it, with the rows above. */
export function writeLegacySqlite(dataDir: string): void {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    for (const step of MIGRATIONS.slice(0, 3)) db.exec(step.sqlite);
    db.pragma('user_version = 3');
    db.exec(LEGACY_DIGEST_ROWS);
  } finally {
    db.close();
  }
}

/** The subscription, before a workspace adopts it. */
export const LEGACY_SUBSCRIPTION: DigestSubscription = {
  teamId: '',
  channelId: 'C0LEGACY1',
  enterpriseId: null,
  time: '08:30',
  timeZone: 'Europe/Kyiv',
  source: 'command',
  subscribedBy: 'U0001',
  status: 'active',
  lastError: null,
};

/** What the channel last received, before a workspace adopts it. */
export const LEGACY_LAST: { entry: DigestEntry; snapshot: ReceivedSnapshot } = {
  entry: {
    teamId: '',
    channelId: 'C0LEGACY1',
    date: '2026-11-27',
    state: 'posted',
    claimedAt: 1_700_000_000_000,
    attempts: 1,
    messageTs: '1700000000.000100',
    error: null,
  },
  snapshot: { 'grain-corridor': 'h1' },
};
