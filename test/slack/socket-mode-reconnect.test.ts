/**
 * Socket Mode when Slack moves the connection: a `disconnect` message
 * (reason `warning` or `refresh_requested`) and a connection that simply
 * drops. Each time the bot opens a new connection (a fresh
 * `apps.connections.open`) and answers the next envelope, acknowledging it
 * by its `envelope_id`; an envelope Slack redelivers after the reconnect is
 * acknowledged again but answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText } from '../helpers/block-limits.js';
import { VERIFICATION_TOKEN } from '../helpers/credentials.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { SocketModeServer } from '../helpers/socket-mode-server.js';
import { APP_TOKEN, startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
const slack = new SocketModeServer();
let n = 0;

beforeAll(async () => {
  await slack.start();
  bot = await startTestBot({
    env: { SLACK_APP_TOKEN: APP_TOKEN },
    // The client waits this long before each reconnect (5 s by default); pings go every third of it.
    clientPingTimeout: 1000,
    prepare: (standIn) => standIn.on('apps.connections.open', { body: { ok: true, url: slack.url } }),
  });
  await slack.waitForConnections(1);
}, 30_000);

afterAll(async () => {
  await bot?.close();
  await slack.stop();
});

/** An `events_api` envelope of a mention of the bot, with a new envelope id. */
function mentionEnvelope(eventId: string, ts: string, retryAttempt = 0) {
  const event = {
    type: 'app_mention',
    user: 'U0001',
    channel: 'C0001',
    text: `<@${BOT_USER_ID}> Who leads Russia's delegation?`,
    ts,
  };
  return {
    envelope_id: `env-${++n}`,
    type: 'events_api',
    payload: {
      token: VERIFICATION_TOKEN,
      type: 'event_callback',
      team_id: 'T0001',
      event_id: eventId,
      event,
    },
    accepts_response_payload: false,
    retry_attempt: retryAttempt,
    ...(retryAttempt ? { retry_reason: 'timeout' } : {}),
  };
}

/** The bot's answers in the thread of `ts`. */
function answersTo(ts: string) {
  return bot.slack.callsOf('chat.postMessage').filter((c) => c.body.thread_ts === ts);
}

/** Delivers a new mention on the current connection; resolves once it is acknowledged and answered. */
async function askAndExpectAnswer(): Promise<void> {
  const ts = `${1_700_000_500 + n}.000100`;
  const posts = bot.slack.callsOf('chat.postMessage').length;
  await slack.deliver(mentionEnvelope(`EvRECONNECT${n}`, ts));
  await bot.slack.waitFor('chat.postMessage', posts + 1);
  expect(answersTo(ts)).toHaveLength(1);
  expect(allText(answersTo(ts)[0]?.body)).toContain('Vladimir Medinsky');
}

describe('Socket Mode reconnection', () => {
  it('answers on the first connection', async () => {
    await askAndExpectAnswer();
  });

  it.each(['warning', 'refresh_requested'] as const)(
    'reconnects after disconnect (%s) and answers the next envelope',
    async (reason) => {
      const opened = bot.slack.callsOf('apps.connections.open').length;
      const connections = slack.connections;
      slack.requestReconnect(reason);
      await slack.waitForConnections(connections + 1);
      expect(bot.slack.callsOf('apps.connections.open')).toHaveLength(opened + 1);
      await askAndExpectAnswer();
    },
    20_000,
  );

  it('reconnects after a dropped connection and answers the next envelope', async () => {
    const connections = slack.connections;
    slack.drop();
    await slack.waitForConnections(connections + 1);
    await askAndExpectAnswer();
  }, 20_000);

  it('answers an envelope redelivered after a reconnect once, and acknowledges the redelivery', async () => {
    const ts = `${1_700_000_900}.000100`;
    const posts = bot.slack.callsOf('chat.postMessage').length;
    const connections = slack.connections;
    // The connection drops right after Slack sent the envelope, before the bot's ack could arrive.
    slack.drop(mentionEnvelope('EvREDELIVERED', ts));
    await slack.waitForConnections(connections + 1);
    const again = mentionEnvelope('EvREDELIVERED', ts, 1);
    await slack.deliver(again);
    await bot.slack.waitFor('chat.postMessage', posts + 1);
    // Time for a second answer, if one were coming.
    await new Promise((r) => setTimeout(r, 300));
    expect(answersTo(ts)).toHaveLength(1);
    expect(bot.slack.callsOf('chat.postMessage')).toHaveLength(posts + 1);
    expect(bot.logs.filter((l) => l.includes('Unhandled error'))).toEqual([]);
  }, 20_000);
});
