/**
 * `npm run gaps`: what readers asked in Slack that the articles do not
 * answer, and the answers they marked not helpful, so editors know which
 * article to add. Reads the bot's state (DATA_DIR, or DATABASE_URL), after
 * deleting what is past GAPS_RETENTION_DAYS.
 *   --days N      the last N days (default 7)
 *   --team T…     one workspace only
 *   --limit N     at most N questions of each kind (default 20)
 *   --json        the report as JSON
 */
import { parseArgs } from 'node:util';
import { loadConfig, secretsOf } from '../config.js';
import { UsageError } from '../errors.js';
import { DAY_MS, GapLog } from '../gaps/gap-log.js';
import { formatGapReport, type GapGroup, gapReport } from '../gaps/report.js';
import { createLogger } from '../log.js';
import { openStore } from '../store/open-store.js';
import { runCli } from './shared.js';

const USAGE = 'usage: npm run gaps -- [--days N] [--team T0123ABCD] [--limit N] [--json]';

/** A whole-number option between `min` and `max`, or its default when absent. */
function wholeNumber(value: string | undefined, fallback: number, min: number, max: number, name: string) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
  return n;
}

/** A group as JSON: times as ISO 8601. */
function groupJson({ key, count, example, firstAt, lastAt, surfaces }: GapGroup) {
  return {
    count,
    example,
    key,
    firstAt: new Date(firstAt).toISOString(),
    lastAt: new Date(lastAt).toISOString(),
    surfaces,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      days: { type: 'string' },
      team: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const days = wholeNumber(values.days, 7, 1, 36_500, '--days');
  const limit = wholeNumber(values.limit, 20, 1, 1000, '--limit');
  const team = values.team;
  if (team !== undefined && !/^T[A-Z0-9]+$/.test(team))
    throw new UsageError(`--team must be a workspace id like T0123ABCD\n${USAGE}`);

  const config = loadConfig('offline');
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    // stdout carries the report; anything logged goes to stderr.
    write: (_level, line) => process.stderr.write(`${line}\n`),
  });
  const store = await openStore(config, logger);
  try {
    const gaps = new GapLog({ store, retentionDays: config.gaps.retentionDays, logger });
    await gaps.purge();
    const since = Math.max(Date.now() - days * DAY_MS, gaps.keptSince());
    const report = gapReport(await store.gaps(since, team), limit);
    if (values.json) {
      const json = {
        days,
        team: team ?? null,
        retentionDays: gaps.retentionDays,
        since: new Date(since).toISOString(),
        unanswered: report.unanswered.map(groupJson),
        disliked: report.disliked.map(groupJson),
      };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    const notes: string[] = [];
    if (gaps.retentionDays === 0) {
      notes.push('GAPS_RETENTION_DAYS is 0: no questions are kept, so there is nothing to show.');
    } else if (days > gaps.retentionDays) {
      notes.push(`Questions are kept ${gaps.retentionDays} days (GAPS_RETENTION_DAYS): older ones are gone.`);
    }
    process.stdout.write(`${[formatGapReport(report, { days, teamId: team }), ...notes].join('\n\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main, USAGE);
