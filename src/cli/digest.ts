/**
 * `npm run digest`: prints today's digest as text (no Slack tokens needed).
 *   --channel C…   the digest as that channel would get it (reads the store)
 *   --post         posts today's digest to every subscribed conversation of every installed workspace that
 *                  has not had it, each with its workspace's bot token; one line per conversation; exit 1
 *                  when any failed or may have been posted
 *   --team T…      with --post: only that workspace's (exit 1 when the app is not installed there);
 *                  with --channel: that workspace's subscription, for a channel subscribed in several
 *   --force        with --post: posts again even where today's digest was posted
 * The store is the bot's: Postgres when DATABASE_URL is set, else SQLite in DATA_DIR. Any number of runs
 * and of running bots on one database post each conversation's digest once a day.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { type Config, loadConfig, secretsOf } from '../config.js';
import { buildDigest } from '../digest/build-digest.js';
import type { Delivery } from '../digest/deliver.js';
import { postDigests } from '../digest/post-digests.js';
import { localDate } from '../digest/schedule.js';
import { channelLabel } from '../digest/workspaces.js';
import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { formatDigestText } from '../render/blocks-digest.js';
import { createDigestPoster } from '../slack/digest-poster.js';
import { digestInstallations, prepareDigest } from '../slack/digest-workspaces.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { openKnowledgeBase, runCli } from './shared.js';

const USAGE =
  'usage: npm run digest -- [--channel C0123ABCD [--team T0123ABCD]] | --post [--team T0123ABCD] [--force]';

/** One line of `--post` output for a conversation's delivery, naming its workspace and channel. */
export function describeDelivery(d: Delivery): string {
  const where = channelLabel(d);
  switch (d.status) {
    case 'not-installed':
      return `${where}: not posted: the app is not installed in this workspace`;
    case 'posted':
      return `${where}: posted the digest for ${d.date} (ts ${d.messageTs})`;
    case 'recovered':
      return `${where}: already done for ${d.date} (an earlier attempt had posted it, ts ${d.messageTs})`;
    case 'already':
      return `${where}: already done for ${d.date}${d.messageTs ? ` (ts ${d.messageTs})` : ''}`;
    case 'skipped':
      return `${where}: already done for ${d.date} (skipped: no new articles)`;
    case 'in-progress':
      return `${where}: already being posted for ${d.date} by another process`;
    case 'uncertain':
      return `${where}: may have been posted for ${d.date} (${d.error}): check the channel; --force --team ${d.teamId} posts again`;
    case 'failed':
      return `${where}: failed: ${d.error}${hint(d.error ?? '')}`;
  }
}

function hint(code: string): string {
  if (code === 'channel_not_found')
    return ' (no such channel, or a private one the bot is not in: check DIGEST_CHANNELS)';
  if (code === 'not_in_channel') return ' (invite the bot: /invite @ceasefire)';
  if (code === 'is_archived') return ' (the channel is archived: remove it from the digest)';
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked')
    return ' (the workspace’s bot token is refused: check SLACK_BOT_TOKEN, or install the app there again)';
  return '';
}

/** Opens the configured store, runs `use` with it, and closes it. */
async function withStore<T>(config: Config, use: (store: Store) => Promise<T>): Promise<T> {
  // Only the store's own warnings: stdout carries the command's output.
  const store = await openStore(config, { warn: (message) => process.stderr.write(`${message}\n`) });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

async function post(config: Config, options: { force: boolean; teamId?: string }): Promise<number> {
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    // stdout carries the one line per conversation; everything else goes to stderr.
    write: (_level, line) => process.stderr.write(`${line}\n`),
  });
  const knowledge = await openKnowledgeBase(config.knowledgeDir);
  return withStore(config, async (store) => {
    const installations = digestInstallations(config, store, logger);
    await prepareDigest(installations, store, config.digest);
    const deliveries = await postDigests(
      {
        store,
        poster: createDigestPoster(config.slack.apiUrl, logger),
        installations,
        articles: () => knowledge.articles,
        logger,
        owner: `${hostname()}:${process.pid}`,
        skipUnchanged: config.digest.skipUnchanged,
      },
      {
        ...options,
        onDelivery: (delivery) => process.stdout.write(`${describeDelivery(delivery)}\n`),
      },
    );
    if (deliveries.length === 0) {
      process.stdout.write(
        options.teamId
          ? `No conversation of workspace ${options.teamId} gets the digest: type /ceasefire digest on in one.\n`
          : 'No conversation gets the digest: type /ceasefire digest on in one (or, with SLACK_BOT_TOKEN, set DIGEST_CHANNELS).\n',
      );
    }
    return deliveries.some((d) => d.status === 'failed' || d.status === 'uncertain') ? 1 : 0;
  });
}

/** What a channel last received and its time zone, for `--channel`; nothing when it is not subscribed. */
async function channelState(
  config: Config,
  channelId: string,
  teamId: string | undefined,
): Promise<{ timeZone: string; previous: Record<string, string> | null }> {
  return withStore(config, async (store) => {
    const subscriptions = (await store.allDigestSubscriptions()).filter(
      (s) => s.channelId === channelId && (teamId === undefined || s.teamId === teamId),
    );
    if (subscriptions.length > 1) {
      throw new UsageError(
        `${channelId} gets the digest in several workspaces (${subscriptions.map((s) => s.teamId).join(', ')}): ` +
          `add --team to say which\n${USAGE}`,
      );
    }
    const [subscription] = subscriptions;
    if (!subscription) return { timeZone: config.digest.timeZone, previous: null };
    return {
      timeZone: subscription.timeZone,
      previous: (await store.lastDigest(subscription))?.snapshot ?? null,
    };
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      post: { type: 'boolean' },
      force: { type: 'boolean' },
      channel: { type: 'string' },
      team: { type: 'string' },
    },
  });
  if (values.force && !values.post) throw new UsageError(`--force goes with --post\n${USAGE}`);
  if (values.team !== undefined && !/^T[A-Z0-9]+$/.test(values.team)) {
    throw new UsageError(`--team takes a workspace id like T0123ABCD (not: ${values.team})\n${USAGE}`);
  }
  if (values.post) {
    return post(loadConfig('post'), { force: Boolean(values.force), teamId: values.team });
  }
  if (values.team !== undefined && !values.channel)
    throw new UsageError(`--team goes with --post or --channel\n${USAGE}`);

  const config = loadConfig('offline');
  const knowledge = await openKnowledgeBase(config.knowledgeDir);
  const { timeZone, previous } = values.channel
    ? await channelState(config, values.channel, values.team)
    : { timeZone: config.digest.timeZone, previous: null };
  const digest = buildDigest(knowledge.articles, previous, localDate(new Date(), timeZone));
  process.stdout.write(`${formatDigestText(digest)}\n`);
  return 0;
}

runCli(main, USAGE);
