/**
 * Mentions and direct messages through Bolt's real routing: where the
 * answer goes, what is ignored, and that each message is answered once
 * however often Slack delivers it.
 */
import { describe, expect, it } from 'vitest';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { eventBody, send } from '../helpers/signed-request.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { useTestBot } from '../helpers/test-bot.js';

const t = useTestBot();
let ts = 1_700_000_000;

const nextTs = () => `${++ts}.000200`;

function mention(text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'app_mention',
    user: 'U0001',
    text,
    ts: nextTs(),
    channel: 'C0001',
    event_ts: `${ts}.000200`,
    ...extra,
  };
}

function directMessage(text: string, extra: Record<string, unknown> = {}) {
  const at = nextTs();
  return {
    type: 'message',
    channel_type: 'im',
    channel: 'D0001',
    user: 'U0001',
    text,
    ts: at,
    event_ts: at,
    ...extra,
  };
}

/** Sends deliveries, each acknowledged with 200, and waits until the bot has handled them all. */
async function deliver(...bodies: Parameters<typeof send>[1][]): Promise<void> {
  for (const body of bodies) expect((await send(t.events, body)).status).toBe(200);
  await t.bot.settle();
}

describe('mentions', () => {
  it('answers in a thread under the mentioning message, publicly, once', async () => {
    const event = mention(`<@${BOT_USER_ID}> Who leads Russia's delegation?`);
    await deliver(eventBody(event));
    const posts = t.bot.slack.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    const post = posts[0]?.body ?? {};
    expect(post.channel).toBe('C0001');
    expect(post.thread_ts).toBe(event.ts);
    expect(allText(post)).toContain('Vladimir Medinsky');
    expect(limitViolations(post)).toEqual([]);
    expect(posts[0]?.authorization).toBe('Bearer xoxb-1111-2222-testtokenvalue');
    // The sources' links are citations: Slack must not unfold them under the answer.
    expect([post.unfurl_links, post.unfurl_media]).toEqual(['false', 'false']);
  });

  it('answers inside the thread it was mentioned in', async () => {
    const event = mention(`<@${BOT_USER_ID}> Where are the talks?`, { thread_ts: '1690000000.000100' });
    await deliver(eventBody(event));
    expect(t.bot.slack.callsOf('chat.postMessage')[0]?.body.thread_ts).toBe('1690000000.000100');
  });

  it('answers a retried delivery once (x-slack-retry-num 1..3)', async () => {
    const delivery = eventBody(mention(`<@${BOT_USER_ID}> Who is Rustem Umerov?`), 'EvRETRY1');
    expect((await send(t.events, delivery)).status).toBe(200);
    for (const retryNum of [1, 2, 3]) expect((await send(t.events, delivery, { retryNum })).status).toBe(200);
    await t.bot.settle();
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('answers the same message once even under a new event id', async () => {
    const event = mention(`<@${BOT_USER_ID}> Who is Rubio?`);
    await deliver(eventBody(event, 'EvFIRST'), eventBody(event, 'EvSECOND'));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it.each([
    ['from another bot', { bot_id: 'B0OTHER' }],
    ['edited', { edited: { user: 'U0001', ts: '1.2' } }],
  ])('ignores a mention %s', async (_why, extra) => {
    await deliver(eventBody(mention(`<@${BOT_USER_ID}> Who is Rubio?`, extra)));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('never lets mentioned text ping or link', async () => {
    await deliver(
      eventBody(mention(`<@${BOT_USER_ID}> <!channel> <@U0BADBAD> <http://evil.example|x> Rubio`)),
    );
    const shown = allText(t.bot.slack.callsOf('chat.postMessage')[0]?.body);
    for (const raw of ['<!channel>', '<@U0BADBAD>', '<http://evil.example|x>', `<@${BOT_USER_ID}>`]) {
      expect(shown).not.toContain(raw);
    }
    expect(shown).toContain('@channel @U0BADBAD x (http://evil.example)');
  });

  it('shows help for a bare mention', async () => {
    await deliver(eventBody(mention(`<@${BOT_USER_ID}>`)));
    expect(allText(t.bot.slack.callsOf('chat.postMessage')[0]?.body)).toContain('/ceasefire sources');
  });
});

describe('direct messages', () => {
  it('answers in the conversation, not in a thread', async () => {
    await deliver(eventBody(directMessage('Did Russia accept the 30-day ceasefire?')));
    const post = t.bot.slack.callsOf('chat.postMessage')[0]?.body ?? {};
    expect(post.channel).toBe('D0001');
    expect(post.thread_ts).toBeUndefined();
    expect(allText(post)).toContain('Russia rejects this proposal');
    expect([post.unfurl_links, post.unfurl_media]).toEqual(['false', 'false']);
  });

  it.each([
    ['the bot’s own message', { user: BOT_USER_ID }],
    ['a legacy bot message', { bot_id: 'B0OTHER', subtype: 'bot_message' }],
    ['an app’s bot user message', { bot_id: 'B0OTHER', user: 'U0OTHERBOT' }],
    ['an edit', { subtype: 'message_changed' }],
    ['a join', { subtype: 'channel_join' }],
    ['a channel message', { channel_type: 'channel', channel: 'C0001' }],
  ])('ignores %s', async (_what, extra) => {
    await deliver(eventBody(directMessage('Who is Rubio?', extra)));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('answers a DM that mentions the bot once, though it arrives as message.im and app_mention', async () => {
    const dm = directMessage(`<@${BOT_USER_ID}> Who is Rubio?`);
    const asMention = { ...dm, type: 'app_mention', channel_type: undefined };
    await deliver(eventBody(dm, 'EvDM'), eventBody(asMention, 'EvMENTION'));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('questions the articles do not answer', () => {
  const kept = async (question: string) =>
    (await t.bot.running.store.gaps(0)).filter((g) => g.question === question);

  it.each([
    ['a mention', 'mention', mention(`<@${BOT_USER_ID}> What is the capital of Atlantis?`)],
    ['a direct message', 'dm', directMessage('What is the capital of Atlantis?')],
  ])(
    'keeps one asked in %s, with its surface and workspace, once however often it is delivered',
    async (_, surface, event) => {
      const before = await kept('What is the capital of Atlantis?');
      const delivery = eventBody(event);
      await deliver(delivery);
      expect((await send(t.events, delivery, { retryNum: 1 })).status).toBe(200);
      await t.bot.settle();
      expect(allText(t.bot.slack.callsOf('chat.postMessage')[0]?.body)).toContain('I found nothing');
      const added = (await kept('What is the capital of Atlantis?')).slice(before.length);
      expect(added).toEqual([
        {
          kind: 'unanswered',
          question: 'What is the capital of Atlantis?',
          surface,
          teamId: 'T0001',
          enterpriseId: null,
          at: expect.any(Number),
        },
      ]);
      // Neither who asked nor the bot's own mention is kept.
      expect(JSON.stringify(added)).not.toMatch(/U0001|UBOT/);
    },
  );

  it('keeps no question that was answered', async () => {
    const before = (await t.bot.running.store.gaps(0)).length;
    await deliver(eventBody(mention(`<@${BOT_USER_ID}> Who is Rubio?`)), eventBody(directMessage('summary')));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(2);
    expect(await t.bot.running.store.gaps(0)).toHaveLength(before);
  });
});

describe('failing Slack calls', () => {
  it('logs not_in_channel with its code and keeps serving', async () => {
    t.bot.slack.on('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    try {
      await deliver(eventBody(mention(`<@${BOT_USER_ID}> Who is Rubio?`)));
      expect(t.bot.logs.some((l) => l.includes('chat.postMessage failed (not_in_channel)'))).toBe(true);
    } finally {
      t.bot.slack.on('chat.postMessage', () => ({ body: { ok: true, ts: '1.2' } }));
    }
    await deliver(eventBody(directMessage('Who is Rubio?')));
    expect(t.bot.slack.callsOf('chat.postMessage').at(-1)?.body.channel).toBe('D0001');
  });

  it('logs a rate limit as ratelimited, without waiting it out', async () => {
    t.bot.slack.on('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '30' },
      body: { ok: false },
    });
    try {
      await deliver(eventBody(mention(`<@${BOT_USER_ID}> Who is Rubio?`)));
      expect(t.bot.logs.some((l) => l.includes('chat.postMessage failed (ratelimited)'))).toBe(true);
    } finally {
      t.bot.slack.on('chat.postMessage', () => ({ body: { ok: true, ts: '1.2' } }));
    }
  });

  it('explains other refusals to the asker privately', async () => {
    t.bot.slack.on('chat.postMessage', { body: { ok: false, error: 'msg_too_long' } });
    try {
      await deliver(eventBody(mention(`<@${BOT_USER_ID}> Who is Rubio?`)));
      const [ephemeral] = await t.bot.slack.waitFor('chat.postEphemeral');
      expect(ephemeral?.body.user).toBe('U0001');
      expect(String(ephemeral?.body.text)).toContain('msg_too_long');
    } finally {
      t.bot.slack.on('chat.postMessage', () => ({ body: { ok: true, ts: '1.2' } }));
    }
  });
});

describe('App Home', () => {
  it('publishes what the bot knows and how to ask when the Home tab opens', async () => {
    await send(
      t.events,
      eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }),
    );
    const [publish] = await t.bot.slack.waitFor('views.publish');
    expect(publish?.body.user_id).toBe('U0001');
    const view = publish?.body.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    const shown = allText(view);
    expect(shown).toContain(
      'Ceasefire negotiations between Russia and Ukraine are hosted in Istanbul, Turkey.',
    );
    expect(shown).toContain('How to ask');
    expect(limitViolations(view, 100)).toEqual([]);
  });

  it('does nothing when the Messages tab opens', async () => {
    await deliver(eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'messages' }));
    expect(t.bot.slack.callsOf('views.publish')).toHaveLength(0);
  });
});
