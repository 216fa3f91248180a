/**
 * The database schema as numbered steps. A database records the last step
 * it ran (`PRAGMA user_version`); on start every later step runs, each in
 * its own transaction. A new table is a new step at the end: never edit a
 * step that has shipped, since databases in use already ran it.
 */

/** One schema step. */
export interface Migration {
  /** 1, 2, 3…: the order in which steps run, and the version a database has after this one. */
  version: number;
  /** What the step does, for logs and errors. */
  name: string;
  sql: string;
}

/** Every schema step, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'claims and feedback',
    sql: `
      CREATE TABLE claims (
        key        TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX claims_expiry ON claims (expires_at);

      CREATE TABLE feedback (
        user_id     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        fact_offset INTEGER NOT NULL,
        team_id     TEXT,
        channel_id  TEXT,
        helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, question, fact_offset)
      );
    `,
  },
];
