/**
 * The digest as Slack shows it: every `<…>` it sends is a link or mention
 * the bot means, and a day that may have been posted says so.
 */
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { digestHomeStatus, renderDigest, renderDigestStatus } from '../../src/render/blocks-digest.js';
import type { DigestEntry, DigestSubscription } from '../../src/store/store.js';
import { allText, limitViolations } from '../helpers/block-limits.js';

const { articles } = await loadKnowledge('test/fixtures/articles');
const digest = buildDigest(articles, null, '2026-11-27');

/** Every `<…>` in Slack text that is not a link to a web page, a user mention or a channel link. */
function strayControlSequences(text: string): string[] {
  return [...text.matchAll(/<([^<>]*)>/g)]
    .map((m) => m[1] ?? '')
    .filter((inner) => !/^(https?:\/\/[^|]+\|.+|@[UW][A-Z0-9]+|#C[A-Z0-9]+)$/.test(inner));
}

const subscription: DigestSubscription = {
  teamId: 'T0123ABCD',
  channelId: 'C0123ABCD',
  enterpriseId: null,
  time: '09:00',
  timeZone: 'Europe/Kyiv',
  source: 'command',
  subscribedBy: 'U0001',
  status: 'active',
  lastError: null,
};

const uncertain: DigestEntry = {
  teamId: 'T0123ABCD',
  channelId: 'C0123ABCD',
  date: '2026-11-27',
  state: 'uncertain',
  claimedAt: 0,
  attempts: 2,
  messageTs: null,
  error: 'network_error',
};

describe('renderDigest', () => {
  it('sends no markup but its own links: the footer’s <question> is escaped', () => {
    const message = renderDigest(digest);
    expect(strayControlSequences(allText(message))).toEqual([]);
    expect(allText(message)).toContain('`/ceasefire &lt;question&gt;`');
    expect(allText(message)).toContain('<https://example.com/news/grain-corridor|article>');
    expect(limitViolations(message)).toEqual([]);
  });
});

describe('a day that may have been posted', () => {
  it('is shown in the channel’s status with what to do in its workspace', () => {
    const status = renderDigestStatus(
      {
        teamId: 'T0123ABCD',
        channelId: 'C0123ABCD',
        subscription,
        today: uncertain,
        last: null,
        nextRun: null,
      },
      digest,
    );
    expect(allText(status)).toContain(
      'Today’s digest may have been posted (network_error): check the channel; `npm run digest -- --post --force --team T0123ABCD` posts it again.',
    );
    expect(strayControlSequences(allText(status))).toEqual([]);
  });

  it('is marked in App Home', () => {
    const home = digestHomeStatus([
      { subscription, today: uncertain },
      { subscription: { ...subscription, channelId: 'C0456EFGH' }, today: null },
    ]);
    expect(home.lines).toEqual([
      'Posted every day to 2 conversation(s):',
      '• <#C0123ABCD> at 09:00 (Europe/Kyiv) :warning: today’s digest may have been posted: check the channel',
      '• <#C0456EFGH> at 09:00 (Europe/Kyiv)',
    ]);
  });
});
