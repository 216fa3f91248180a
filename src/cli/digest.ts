/**
 * `npm run digest`: prints today's digest as text (no Slack tokens needed).
 *   --channel C…   the digest as that channel would get it (reads DATA_DIR)
 *   --post         posts today's digest to every subscribed channel that has not had it;
 *                  one line per channel; exit 1 when any channel failed or may have been posted
 *   --force        with --post: posts again even where today's digest was posted
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { buildDigest } from '../digest/build-digest.js';
import { type Delivery, deliverDigest } from '../digest/deliver.js';
import { localDate } from '../digest/schedule.js';
import { syncConfiguredSubscriptions } from '../digest/subscriptions.js';
import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { formatDigestText } from '../render/blocks-digest.js';
import { createDigestPoster } from '../slack/digest-poster.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { openKnowledgeBase, runCli } from './shared.js';

const USAGE = 'usage: npm run digest -- [--channel C0123ABCD] | --post [--force]';

/** One line of `--post` output for a channel's delivery. */
export function describeDelivery(d: Delivery): string {
  switch (d.status) {
    case 'posted':
      return `${d.channelId}: posted the digest for ${d.date} (ts ${d.messageTs})`;
    case 'recovered':
      return `${d.channelId}: already done for ${d.date} (an earlier attempt had posted it, ts ${d.messageTs})`;
    case 'already':
      return `${d.channelId}: already done for ${d.date}${d.messageTs ? ` (ts ${d.messageTs})` : ''}`;
    case 'skipped':
      return `${d.channelId}: already done for ${d.date} (skipped: no new articles)`;
    case 'in-progress':
      return `${d.channelId}: already being posted for ${d.date} by another process`;
    case 'uncertain':
      return `${d.channelId}: may have been posted for ${d.date} (${d.error}): check the channel; --force posts again`;
    case 'failed':
      return `${d.channelId}: failed: ${d.error}${hint(d.error ?? '')}`;
  }
}

function hint(code: string): string {
  if (code === 'channel_not_found')
    return ' (no such channel, or a private one the bot is not in: check DIGEST_CHANNELS)';
  if (code === 'not_in_channel') return ' (invite the bot: /invite @ceasefire)';
  if (code === 'is_archived') return ' (the channel is archived: remove it from the digest)';
  if (code === 'invalid_auth' || code === 'not_authed') return ' (check SLACK_BOT_TOKEN)';
  return '';
}

async function post(config: Config, force: boolean): Promise<number> {
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.slack.botToken],
    // stdout carries the one line per channel; everything else goes to stderr.
    write: (_level, line) => process.stderr.write(`${line}\n`),
  });
  const knowledge = await openKnowledgeBase(config.knowledgeDir);
  const store = SqliteStore.open(config.dataDir);
  try {
    const subscriptions = await syncConfiguredSubscriptions(store, config.digest);
    if (subscriptions.length === 0) {
      process.stdout.write(
        'No channels get the digest: set DIGEST_CHANNELS, or type /ceasefire digest on in a channel.\n',
      );
      return 0;
    }
    const deps = {
      store,
      poster: createDigestPoster(config.slack.botToken ?? '', config.slack.apiUrl, logger),
      articles: () => knowledge.articles,
      logger,
      owner: `${hostname()}:${process.pid}`,
      skipUnchanged: config.digest.skipUnchanged,
    };
    let failed = 0;
    // One channel at a time: a rate limit on one then delays the next instead of all failing together.
    for (const s of subscriptions) {
      const delivery = await deliverDigest(deps, s.channelId, s.timeZone, force);
      if (delivery.status === 'failed' || delivery.status === 'uncertain') failed++;
      process.stdout.write(`${describeDelivery(delivery)}\n`);
    }
    return failed ? 1 : 0;
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { post: { type: 'boolean' }, force: { type: 'boolean' }, channel: { type: 'string' } },
  });
  if (values.force && !values.post) throw new UsageError(`--force goes with --post\n${USAGE}`);
  if (values.post) return post(loadConfig('post'), Boolean(values.force));

  const config = loadConfig('offline');
  const knowledge = await openKnowledgeBase(config.knowledgeDir);
  let timeZone = config.digest.timeZone;
  let previous = null;
  if (values.channel) {
    const store = SqliteStore.open(config.dataDir);
    try {
      const subscription = (await store.digestSubscriptions()).find((s) => s.channelId === values.channel);
      timeZone = subscription?.timeZone ?? timeZone;
      previous = (await store.lastDigest(values.channel))?.snapshot ?? null;
    } finally {
      await store.close();
    }
  }
  const digest = buildDigest(knowledge.articles, previous, localDate(new Date(), timeZone));
  process.stdout.write(`${formatDigestText(digest)}\n`);
  return 0;
}

runCli(main, USAGE);
