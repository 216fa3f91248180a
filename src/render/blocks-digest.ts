/**
 * The daily digest as a Slack message (Block Kit with a plain-text
 * fallback) and as text for the terminal (`npm run digest`).
 */
import type {
  ChannelDigestStatus,
  Digest,
  SubscribeProblem,
  SubscribeResult,
  SubscriptionStatus,
  UnsubscribeResult,
} from '../digest-types.js';
import type { DigestSubscription } from '../store/store.js';
import { sourceLabel } from './answer-text.js';
import {
  type Block,
  context,
  divider,
  header,
  message,
  SLASH_COMMAND,
  type SlackMessage,
  section,
} from './blocks.js';
import { oneLine, sourceText } from './blocks-answer.js';
import type { HomeStatus } from './blocks-home.js';
import { escapeText, slackLink } from './escape.js';

/** "Friday 27 November 2026" for a YYYY-MM-DD date. */
export function longDate(date: string): string {
  // Noon UTC: the same calendar day in every time zone's reading.
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

function changesTitle(digest: Digest): string {
  return digest.first ? 'Articles I answer from' : 'New since the last digest';
}

/** The digest as a Slack message. */
export function renderDigest(digest: Digest): SlackMessage {
  const blocks: Block[] = [header(`Ceasefire digest · ${longDate(digest.date)}`)];
  if (digest.keyFacts.length) {
    blocks.push(section('*Key facts*'));
    for (const fact of digest.keyFacts) {
      blocks.push(section(`>${escapeText(oneLine(fact.text))}`), context([sourceText(fact.source)]));
    }
  } else {
    blocks.push(section('No articles are loaded, so there are no key facts today.'));
  }
  blocks.push(divider());
  if (digest.changes.length) {
    const lines = digest.changes.map((c) => {
      const title = (c.url && slackLink(c.url, c.title)) || `*${escapeText(c.title)}*`;
      const date = c.published ? ` · ${escapeText(c.published)}` : '';
      return `• ${title}${date}${c.change === 'updated' ? ' _(updated)_' : ''}`;
    });
    if (digest.moreChanges) lines.push(`…and ${digest.moreChanges} more.`);
    blocks.push(section(`*${changesTitle(digest)}*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('No new articles since the last digest.'));
  }
  blocks.push(
    context([
      `Ask me anything about these: \`${SLASH_COMMAND} ${escapeText('<question>')}\` · Stop the digest: \`${SLASH_COMMAND} digest off\``,
    ]),
  );
  const fallback = [
    `Ceasefire digest, ${longDate(digest.date)}`,
    ...digest.keyFacts.map((f) => `• ${escapeText(oneLine(f.text))}`),
    digest.changes.length
      ? `${changesTitle(digest)}: ${digest.changes.length + digest.moreChanges}`
      : 'No new articles.',
  ].join('\n');
  return message(fallback, blocks);
}

/** The digest as readable text for the terminal. */
export function formatDigestText(digest: Digest): string {
  const lines = [`Ceasefire digest · ${longDate(digest.date)}`, '', 'Key facts'];
  if (!digest.keyFacts.length) lines.push('  (no articles loaded)');
  digest.keyFacts.forEach((fact, i) => {
    const label = fact.source.kind === 'commentary' ? '[commentary] ' : '';
    lines.push(`${i + 1}. ${oneLine(fact.text)}`);
    lines.push(
      `   ${label}${sourceLabel(fact.source)} (${fact.source.file}:${fact.source.line})${fact.source.url ? ` ${fact.source.url}` : ''}`,
    );
  });
  lines.push('');
  if (digest.changes.length) {
    lines.push(changesTitle(digest));
    for (const c of digest.changes) {
      const details = [c.published, c.change === 'updated' ? 'updated' : null, c.url]
        .filter(Boolean)
        .join(', ');
      lines.push(`- ${c.title}${details ? ` (${details})` : ''}`);
    }
    if (digest.moreChanges) lines.push(`- …and ${digest.moreChanges} more`);
  } else {
    lines.push('No new articles since the last digest.');
  }
  return lines.join('\n');
}

/** The schedule of a subscription, e.g. "09:00 (Europe/Kyiv)". */
function scheduleText(subscription: DigestSubscription): string {
  return `${subscription.time} (${escapeText(subscription.timeZone)})`;
}

function failingText(subscription: DigestSubscription): string | null {
  if (subscription.status !== 'failing') return null;
  return `:warning: The last digest could not be posted here (${escapeText(subscription.lastError ?? 'error')}). Invite me with \`/invite @ceasefire\`, or stop it with \`${SLASH_COMMAND} digest off\`.`;
}

/** `/ceasefire digest`: the channel's subscription, today's state, and a preview. */
export function renderDigestStatus(status: ChannelDigestStatus, preview: Digest): SlackMessage {
  const sub = status.subscription;
  const lines: string[] = [];
  if (sub) {
    const by =
      sub.source === 'env'
        ? ' (set in the bot’s configuration)'
        : sub.subscribedBy
          ? ` (subscribed by <@${sub.subscribedBy}>)`
          : '';
    lines.push(`This conversation gets the daily digest at ${scheduleText(sub)}${by}.`);
    const today = status.today;
    if (today?.state === 'posted') lines.push(`Today’s digest was posted.`);
    else if (today?.state === 'skipped') lines.push('Today’s digest was skipped: nothing new.');
    else if (today?.state === 'uncertain')
      lines.push(
        `:warning: Today’s digest may have been posted (${escapeText(today.error ?? 'unknown_error')}): check the channel; \`npm run digest -- --post --force --team ${escapeText(status.teamId)}\` posts it again.`,
      );
    else if (status.nextRun)
      lines.push(
        `Next digest: ${escapeText(status.nextRun.toISOString().replace('T', ' ').slice(0, 16))} UTC.`,
      );
    if (status.last) lines.push(`Last digest: ${status.last.date}.`);
    const failing = failingText(sub);
    if (failing) lines.push(failing);
    lines.push(
      `Change it with \`${SLASH_COMMAND} digest on [HH:MM] [time zone]\`; stop it with \`${SLASH_COMMAND} digest off\`.`,
    );
  } else {
    lines.push(
      `This conversation does not get the daily digest. Start it with \`${SLASH_COMMAND} digest on [HH:MM] [time zone]\`, e.g. \`${SLASH_COMMAND} digest on 08:30 Europe/Kyiv\`.`,
    );
  }
  const digest = renderDigest(preview);
  return message(`${lines.join('\n')}\n\nPreview:\n${digest.text}`, [
    section(lines.join('\n')),
    divider(),
    context(['*Preview of today’s digest*']),
    ...digest.blocks,
  ]);
}

/** The notice posted in a conversation when someone subscribes it. */
export function renderSubscriptionNotice(notice: {
  userId: string;
  time: string;
  timeZone: string;
}): SlackMessage {
  const text = `<@${notice.userId}> subscribed this conversation to the daily ceasefire digest at ${notice.time} (${escapeText(notice.timeZone)}). Stop it with \`${SLASH_COMMAND} digest off\`.`;
  return message(text, [section(text)]);
}

const EXAMPLE = `\`${SLASH_COMMAND} digest on 08:30 Europe/Kyiv\``;

/** Why nothing was subscribed, and what to do instead. */
function problemText(problem: SubscribeProblem): string {
  switch (problem.kind) {
    case 'not-installed':
      return 'I am not installed in this workspace, so I cannot post a digest here. Install the app in this workspace first.';
    case 'not-a-time':
      return `“${escapeText(problem.word)}” is not a time of day: use 24-hour HH:MM, e.g. ${EXAMPLE}.`;
    case 'not-a-time-or-zone':
      return `“${escapeText(problem.word)}” is neither a time (HH:MM) nor a time zone I know: use an IANA zone such as Europe/Kyiv, America/New_York or UTC, e.g. ${EXAMPLE}.`;
    case 'cannot-post':
      return problem.notAMember
        ? `I can't post in this channel (${escapeText(problem.slackCode)}), so I did not subscribe it. Invite me first with \`/invite @ceasefire\`, then run the command again.`
        : `Slack did not let me post here (${escapeText(problem.slackCode)}), so I did not subscribe this channel. Please try again in a moment.`;
  }
}

/** The reply to `/ceasefire digest on`: done, or why not. */
export function renderSubscribeResult(result: SubscribeResult): SlackMessage {
  const text = result.ok
    ? `Done: this conversation gets the daily digest at ${scheduleText(result.subscription)}. I posted a notice here so everyone knows.`
    : problemText(result.problem);
  return message(text, [section(text)]);
}

/** The reply to `/ceasefire digest off`. */
export function renderUnsubscribeResult(result: UnsubscribeResult): SlackMessage {
  const text = {
    removed: 'Done: this conversation no longer gets the daily digest.',
    'not-subscribed': 'This conversation does not get the daily digest, so there was nothing to stop.',
    configured:
      'This channel gets the digest because the bot’s configuration lists it (DIGEST_CHANNELS). Ask whoever runs the bot to remove it there.',
  }[result];
  return message(text, [section(text)]);
}

/** App Home's digest section: every subscribed conversation and its schedule. */
export function digestHomeStatus(statuses: readonly SubscriptionStatus[]): HomeStatus {
  if (statuses.length === 0) {
    return {
      title: 'Daily digest',
      lines: [
        `No conversation gets the daily digest yet. Type \`${SLASH_COMMAND} digest on\` in a channel to start it there.`,
      ],
    };
  }
  const shown = statuses.slice(0, 20).map(({ subscription: s, today }) => {
    const warning =
      today?.state === 'uncertain'
        ? ' :warning: today’s digest may have been posted: check the channel'
        : s.status === 'failing'
          ? ' :warning: not posting'
          : '';
    return `• <#${s.channelId}> at ${scheduleText(s)}${warning}`;
  });
  if (statuses.length > shown.length) shown.push(`…and ${statuses.length - shown.length} more.`);
  return {
    title: 'Daily digest',
    lines: [`Posted every day to ${statuses.length} conversation(s):`, ...shown],
  };
}
