/**
 * The answer's buttons, clicked through Bolt's real routing: the button
 * values are taken from a real answer, as Slack would send them back.
 */
import { describe, expect, it } from 'vitest';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { buttonClickBody, commandBody, eventBody, send } from '../helpers/signed-request.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { useTestBot } from '../helpers/test-bot.js';

interface Button {
  action_id: string;
  value: string;
}

const t = useTestBot();
let n = 0;

/** A message's buttons by action id. */
function buttonsOf(message: { blocks?: unknown } | undefined): Record<string, Button> {
  const blocks = (message?.blocks ?? []) as { type: string; elements?: Button[] }[];
  const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
  return Object.fromEntries(buttons.map((b) => [b.action_id, b]));
}

/** Asks with `/ceasefire` and returns the private answer's buttons by action id. */
async function ask(question: string): Promise<Record<string, Button>> {
  const id = `ask${++n}`;
  await send(t.events, commandBody(question, t.bot.slack.responseUrl(id)));
  const [reply] = await t.bot.slack.waitFor(`respond:${id}`);
  return buttonsOf(reply?.body);
}

/** Clicks a button (in a private message unless told); returns what was posted to the click's response_url. */
async function click(
  button: Button | undefined,
  options: { channel?: string; ephemeral?: boolean; user?: string } = {},
) {
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
  it('shares an answer to /ceasefire in the channel through the click’s response_url, and removes the private copy', async () => {
    const buttons = await ask("Who leads Russia's delegation?");
    // A DM between two people, or a channel without the bot: it could not post there itself.
    t.bot.slack.on('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    try {
      const id = `click${++n}`;
      const ack = await send(
        t.events,
        buttonClickBody('answer_share', buttons.answer_share?.value ?? '', t.bot.slack.responseUrl(id), {
          channel: 'D0TWOPEOPLE',
        }),
      );
      expect(ack.status).toBe(200);
      const [shared, removed] = await t.bot.slack.waitFor(`respond:${id}`, 2);
      expect(shared?.body).toMatchObject({
        response_type: 'in_channel',
        replace_original: false,
        unfurl_links: false,
        unfurl_media: false,
      });
      expect(allText(shared?.body)).toContain('<@U0001> asked:');
      expect(allText(shared?.body)).toContain('Vladimir Medinsky');
      expect(JSON.stringify(shared?.body.blocks)).not.toContain('"actions"');
      expect(limitViolations(shared?.body ?? {})).toEqual([]);
      expect(removed?.body).toEqual({ delete_original: true });
      expect(t.bot.slack.callsOf('chat.postMessage')).toEqual([]);
    } finally {
      t.bot.slack.off('chat.postMessage');
    }
  });

  it('shares an answer that began with a mention with chat.postMessage, naming who asked', async () => {
    const share = await mentionShareButton();
    const id = `click${++n}`;
    await send(t.events, buttonClickBody('answer_share', share.value, t.bot.slack.responseUrl(id)));
    const [post] = await t.bot.slack.waitFor('chat.postMessage');
    expect(post?.body.channel).toBe('C0001');
    expect(allText(post?.body)).toContain('<@U0001> asked:');
    expect(JSON.stringify(post?.body.blocks)).not.toContain('"actions"');
    expect(limitViolations(post?.body ?? {})).toEqual([]);
    expect([post?.body.unfurl_links, post?.body.unfurl_media]).toEqual(['false', 'false']);
    expect((await t.bot.slack.waitFor(`respond:${id}`))[0]?.body).toEqual({ delete_original: true });
  });

  it('explains how to invite the bot when it is not in the channel of a mention’s answer', async () => {
    const share = await mentionShareButton();
    t.bot.slack.on('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    try {
      const response = await click(share);
      expect(response.response_type).toBe('ephemeral');
      expect(response.replace_original).toBe(false);
      expect(String(response.text)).toContain("I'm not a member");
      expect(String(response.text)).toContain('/invite');
      expect(t.bot.logs.some((l) => l.includes('chat.postMessage failed (not_in_channel)'))).toBe(true);
    } finally {
      t.bot.slack.off('chat.postMessage');
    }
  });
});

/**
 * The Share button of an answer that began with a mention: the thread answer's "More facts" shows the
 * next facts privately, and "More facts" on that private message brings a Share button.
 */
async function mentionShareButton(): Promise<Button> {
  await send(
    t.events,
    eventBody({
      type: 'app_mention',
      user: 'U0001',
      channel: 'C0001',
      text: `<@${BOT_USER_ID}> talks`,
      ts: `${1_700_000_500 + ++n}.000100`,
    }),
  );
  const [thread] = await t.bot.slack.waitFor('chat.postMessage');
  const inThread = buttonsOf(thread?.body);

  expect(inThread.answer_share).toBeUndefined();
  const more = await click(inThread.answer_more, { ephemeral: false });
  const next = await click(buttonsOf(more).answer_more);
  t.bot.slack.calls.length = 0;
  const share = buttonsOf(next).answer_share;
  if (!share) throw new Error('no Share button on the private answer');
  return share;
}

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

  it('keeps a 👎 for editors once per reader and answer, with the question and where it was asked, not who', async () => {
    const question = 'What did Rubio say about the talks?';
    const disliked = async () =>
      (await t.bot.running.store.gaps(0)).filter((g) => g.kind === 'disliked' && g.question === question);
    const buttons = await ask(question);
    await click(buttons.feedback_up);
    expect(await disliked()).toEqual([]);
    await click(buttons.feedback_down);
    // The same reader again: the same 👎.
    await click(buttons.feedback_down);
    expect(await disliked()).toEqual([
      {
        kind: 'disliked',
        question,
        surface: 'command',
        teamId: 'T0001',
        enterpriseId: null,
        at: expect.any(Number),
      },
    ]);
    // Another reader's 👎 counts too.
    await click(buttons.feedback_down, { user: 'U0SECOND1' });
    expect(await disliked()).toHaveLength(2);
    expect(JSON.stringify(await disliked())).not.toMatch(/U0001|U0SECOND1/);
  });

  it('keeps a 👎 on an answer in a direct message as asked in one', async () => {
    await send(
      t.events,
      eventBody({
        type: 'message',
        channel_type: 'im',
        channel: 'D0001',
        user: 'U0001',
        text: 'Who is Rubio?',
        ts: `${1_700_000_900 + ++n}.000100`,
      }),
    );
    const [answer] = await t.bot.slack.waitFor('chat.postMessage');
    await click(buttonsOf(answer?.body).feedback_down, { channel: 'D0001', ephemeral: false });
    const [kept] = (await t.bot.running.store.gaps(0)).filter(
      (g) => g.kind === 'disliked' && g.question === 'Who is Rubio?',
    );
    expect(kept?.surface).toBe('dm');
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
