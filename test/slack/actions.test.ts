/**
 * The answer's buttons, clicked through Bolt's real routing: the button
 * values are taken from a real answer, as Slack would send them back.
 */
import { describe, expect, it } from 'vitest';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { buttonClickBody, commandBody, send } from '../helpers/signed-request.js';
import { useTestBot } from '../helpers/test-bot.js';

interface Button {
  action_id: string;
  value: string;
}

const t = useTestBot();
let n = 0;

/** Asks with `/ceasefire` and returns the private answer's buttons by action id. */
async function ask(question: string): Promise<Record<string, Button>> {
  const id = `ask${++n}`;
  await send(t.events, commandBody(question, t.bot.slack.responseUrl(id)));
  const [reply] = await t.bot.slack.waitFor(`respond:${id}`);
  const blocks = (reply?.body.blocks ?? []) as { type: string; elements?: Button[] }[];
  const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
  return Object.fromEntries(buttons.map((b) => [b.action_id, b]));
}

/** Clicks a button; returns what was posted to the click's response_url. */
async function click(button: Button | undefined, options: { channel?: string } = {}) {
  if (!button) throw new Error('no such button');
  const id = `click${++n}`;
  const ack = await send(
    t.events,
    buttonClickBody(button.action_id, button.value, t.bot.slack.responseUrl(id), options),
  );
  expect(ack.status).toBe(200);
  return (await t.bot.slack.waitFor(`respond:${id}`))[0]?.body ?? {};
}

function quotes(message: unknown): string[] {
  return allText(message)
    .split('\n')
    .filter((line) => line.startsWith('>'));
}

describe('Share in channel', () => {
  it('posts the same answer publicly, naming who asked, and removes the private copy', async () => {
    const buttons = await ask("Who leads Russia's delegation?");
    const before = t.bot.slack.callsOf('chat.postMessage').length;
    const response = await click(buttons.answer_share, { channel: 'C0SHARE' });
    const post = t.bot.slack.callsOf('chat.postMessage')[before]?.body ?? {};
    expect(post.channel).toBe('C0SHARE');
    expect(allText(post)).toContain('<@U0001> asked:');
    expect(allText(post)).toContain('Vladimir Medinsky');
    expect(JSON.stringify(post.blocks)).not.toContain('"actions"');
    expect(limitViolations(post)).toEqual([]);
    expect([post.unfurl_links, post.unfurl_media]).toEqual(['false', 'false']);
    expect(response).toEqual({ delete_original: true });
  });

  it('explains how to invite the bot when it is not in the channel', async () => {
    const buttons = await ask("Who leads Russia's delegation?");
    t.bot.slack.on('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    try {
      const response = await click(buttons.answer_share);
      expect(response.response_type).toBe('ephemeral');
      expect(response.replace_original).toBe(false);
      expect(String(response.text)).toContain("I'm not a member");
      expect(String(response.text)).toContain('/invite');
      expect(t.bot.logs.some((l) => l.includes('chat.postMessage failed (not_in_channel)'))).toBe(true);
    } finally {
      t.bot.slack.on('chat.postMessage', () => ({ body: { ok: true, ts: '1.2' } }));
    }
  });
});

describe('More facts', () => {
  it('shows the next facts privately, without repeating the first ones', async () => {
    const first = await ask('ceasefire');
    const more = await click(first.answer_more);
    expect(more.response_type).toBe('ephemeral');
    expect(more.replace_original).toBe(false);
    const id = `again${++n}`;
    await send(t.events, commandBody('ceasefire', t.bot.slack.responseUrl(id)));
    const firstFacts = quotes((await t.bot.slack.waitFor(`respond:${id}`))[0]?.body);
    const nextFacts = quotes(more);
    expect(nextFacts.length).toBeGreaterThan(0);
    for (const fact of nextFacts) expect(firstFacts).not.toContain(fact);
    expect(limitViolations(more)).toEqual([]);
  });
});

describe('feedback', () => {
  it('records 👍 and 👎, one rating per reader and answer', async () => {
    const before = await t.bot.running.store.feedbackTotals();
    const buttons = await ask("Who leads Russia's delegation?");
    const thanks = await click(buttons.feedback_up);
    expect(thanks.text).toContain('recorded');
    expect(await t.bot.running.store.feedbackTotals()).toEqual({
      helpful: before.helpful + 1,
      unhelpful: before.unhelpful,
    });
    await click(buttons.feedback_down);
    expect(await t.bot.running.store.feedbackTotals()).toEqual({
      helpful: before.helpful,
      unhelpful: before.unhelpful + 1,
    });
  });

  it('ignores a button whose value is not an answer reference', async () => {
    const before = await t.bot.running.store.feedbackTotals();
    const ack = await send(
      t.events,
      buttonClickBody('feedback_up', 'not json', t.bot.slack.responseUrl('bogus')),
    );
    expect(ack.status).toBe(200);
    await t.bot.settle();
    expect(await t.bot.running.store.feedbackTotals()).toEqual(before);
    expect(t.bot.logs.some((l) => l.includes('its value is not an answer reference'))).toBe(true);
  });
});
