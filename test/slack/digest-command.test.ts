/**
 * `/ceasefire digest …` through Bolt's real routing: subscribing posts a
 * notice in the channel (or explains how to invite the bot), bad times and
 * zones get an example, the status shows a preview, App Home lists the
 * subscriptions. All of it in the workspace the request comes from: with a
 * single bot token, the one `auth.test` names (T0001 at the stand-in).
 */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/digest/schedule.js';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { commandBody, eventBody, send } from '../helpers/signed-request.js';
import { BOT_TOKEN, useTestBot } from '../helpers/test-bot.js';

const t = useTestBot({ env: { DIGEST_CHANNELS: 'C0CONFIG01', DIGEST_TIME: '07:45' } });
let n = 0;

const T0001 = 'T0001';

async function command(text: string, channel = 'C0001', overrides: Record<string, string> = {}) {
  const id = `digest${++n}`;
  await send(t.events, commandBody(text, t.bot.slack.responseUrl(id), { channel_id: channel, ...overrides }));
  const [reply] = await t.bot.slack.waitFor(`respond:${id}`);
  return reply?.body as { text?: string; blocks?: unknown[] };
}

describe('/ceasefire digest', () => {
  it('on HH:MM zone: posts a notice in the channel, subscribes it, and confirms privately', async () => {
    const reply = await command('digest on 8:30 Europe/Kyiv', 'C0SUB0001');
    expect(allText(reply)).toContain('Done: this conversation gets the daily digest at 08:30 (Europe/Kyiv).');
    // (The configured channel may get its own catch-up digest meanwhile: look at this channel only.)
    const [notice] = t.bot.slack.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C0SUB0001');
    expect(String(notice?.body.text)).toContain(
      '<@U0001> subscribed this conversation to the daily ceasefire digest at 08:30',
    );
    expect(notice?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    const subscriptions = await t.bot.running.store.digestSubscriptions(T0001);
    expect(subscriptions).toContainEqual(
      expect.objectContaining({
        teamId: T0001,
        enterpriseId: null,
        channelId: 'C0SUB0001',
        time: '08:30',
        timeZone: 'Europe/Kyiv',
        source: 'command',
        subscribedBy: 'U0001',
      }),
    );
  });

  it('does not subscribe a channel the bot cannot post in, and says how to fix it', async () => {
    t.bot.slack.on('chat.postMessage', (body) =>
      body.channel === 'C0NOTIN01'
        ? { body: { ok: false, error: 'not_in_channel' } }
        : { body: { ok: true, ts: '1.1' } },
    );
    const reply = await command('digest on', 'C0NOTIN01');
    expect(allText(reply)).toContain('/invite @ceasefire');
    const subscriptions = await t.bot.running.store.allDigestSubscriptions();
    expect(subscriptions.map((s) => s.channelId)).not.toContain('C0NOTIN01');
  });

  it.each([
    ['digest on 25:00', '“25:00” is not a time of day'],
    ['digest on 09:00 Mars/Olympus', '“Mars/Olympus” is neither a time (HH:MM) nor a time zone'],
  ])('"%s" explains the problem with an example and subscribes nothing', async (text, problem) => {
    const reply = await command(text, 'C0BADARGS');
    expect(allText(reply)).toContain(problem);
    expect(allText(reply)).toContain('/ceasefire digest on 08:30 Europe/Kyiv');
    expect(
      t.bot.slack.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C0BADARGS'),
    ).toHaveLength(0);
  });

  it('shows the channel’s status and a preview of today’s digest, within limits', async () => {
    const reply = await command('digest', 'C0SUB0001');
    const shown = allText(reply);
    expect(shown).toContain('This conversation gets the daily digest at 08:30 (Europe/Kyiv)');
    expect(shown).toContain('Preview of today’s digest');
    expect(shown).toContain('Key facts');
    expect(limitViolations(reply)).toEqual([]);
  });

  it('off unsubscribes; a configured channel explains that only the configuration removes it', async () => {
    expect(allText(await command('digest off', 'C0SUB0001'))).toContain('no longer gets the daily digest');
    expect(allText(await command('digest off', 'C0SUB0001'))).toContain('nothing to stop');
    expect(allText(await command('digest off', 'C0CONFIG01'))).toContain('DIGEST_CHANNELS');
    const subscriptions = await t.bot.running.store.allDigestSubscriptions();
    expect(subscriptions.map((s) => [s.teamId, s.channelId, s.time, s.source])).toEqual([
      [T0001, 'C0CONFIG01', '07:45', 'env'],
    ]);
  });

  it('lists the digest in help', async () => {
    expect(allText(await command('help'))).toContain('/ceasefire digest [on [HH:MM] [time zone] | off]');
  });

  it('shows the subscriptions in App Home', async () => {
    await send(
      t.events,
      eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }),
    );
    const [publish] = await t.bot.slack.waitFor('views.publish');
    const shown = allText(publish?.body.view);
    expect(shown).toContain('Daily digest');
    expect(shown).toContain('<#C0CONFIG01> at 07:45 (UTC)');
  });
  it('shows a day that may have been posted as such, in the channel’s status and in App Home', async () => {
    const { store } = t.bot.running;
    const today = localDate(new Date(), 'UTC');
    // As after a post whose outcome is unknown: Slack may have it, and no check could tell.
    const channel = { teamId: T0001, channelId: 'C0CONFIG01', enterpriseId: null };
    expect((await store.claimDigest(channel, today, 'another-process', 60_000, true)).claimed).toBe(true);
    await store.abandonDigest(channel, today, 'uncertain', 'missing_scope');
    const status = allText(await command('digest', 'C0CONFIG01'));
    expect(status).toContain(
      'Today’s digest may have been posted (missing_scope): check the channel; `npm run digest -- --post --force --team T0001` posts it again.',
    );
    await send(
      t.events,
      eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }),
    );
    const publishes = await t.bot.slack.waitFor('views.publish');
    expect(allText(publishes.at(-1)?.body.view)).toContain(
      '<#C0CONFIG01> at 07:45 (UTC) :warning: today’s digest may have been posted: check the channel',
    );
  });

  it('keeps to the request’s workspace: another workspace’s subscription of the same channel is its own', async () => {
    const { store } = t.bot.running;
    // A Slack Connect channel shared with T0002, which subscribed it at its own time.
    await store.saveDigestSubscription({
      teamId: 'T0002',
      channelId: 'C0SHARED1',
      enterpriseId: null,
      time: '06:15',
      timeZone: 'Asia/Tokyo',
      source: 'command',
      subscribedBy: 'U0900',
    });
    expect(allText(await command('digest', 'C0SHARED1'))).toContain(
      'This conversation does not get the daily digest',
    );
    expect(allText(await command('digest off', 'C0SHARED1'))).toContain('nothing to stop');
    await send(
      t.events,
      eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }),
    );
    const publishes = await t.bot.slack.waitFor('views.publish');
    expect(allText(publishes.at(-1)?.body.view)).not.toContain('C0SHARED1');
    expect(await store.digestSubscription({ teamId: 'T0002', channelId: 'C0SHARED1' })).toMatchObject({
      time: '06:15',
    });
  });

  it('subscribes nothing in a workspace the bot token does not belong to', async () => {
    const reply = await command('digest on 08:00', 'C0OTHER01', { team_id: 'T0002' });
    expect(allText(reply)).toContain('I am not installed in this workspace');
    expect(t.bot.slack.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C0OTHER01')).toEqual([]);
    expect(await t.bot.running.store.digestSubscriptions('T0002')).not.toContainEqual(
      expect.objectContaining({ channelId: 'C0OTHER01' }),
    );
  });
});
