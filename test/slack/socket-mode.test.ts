/**
 * Socket Mode against a loopback WebSocket server that speaks Slack's
 * envelopes: `apps.connections.open` hands out its URL, it says hello, then
 * delivers events and commands and expects each envelope to be acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText } from '../helpers/block-limits.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { SocketModeServer } from '../helpers/socket-mode-server.js';
import { APP_TOKEN, startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
const SOCKET_MODE_CHOSEN =
  'Socket Mode, because SLACK_APP_TOKEN is set; SLACK_SIGNING_SECRET is set too and is not used (leave SLACK_APP_TOKEN empty to run in HTTP mode)';
const server = new SocketModeServer();

beforeAll(async () => {
  await server.start();
  bot = await startTestBot({
    env: { SLACK_APP_TOKEN: APP_TOKEN },
    prepare: (slack) => slack.on('apps.connections.open', { body: { ok: true, url: server.url } }),
  });
});

afterAll(async () => {
  await bot?.close();
  await server.stop();
});

describe('Socket Mode', () => {
  it('opens the connection with the app-level token, in socket mode', () => {
    expect(bot.running.bot.mode).toBe('socket');
    // Both secrets are set here: the log says which mode runs and why.
    expect(bot.logs.some((l) => l.includes(SOCKET_MODE_CHOSEN))).toBe(true);
    const open = bot.slack.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
  });

  it('acknowledges an event envelope and answers the mention in its thread, once despite a retry', async () => {
    const event = {
      type: 'app_mention',
      user: 'U0001',
      text: `<@${BOT_USER_ID}> Who leads Russia's delegation?`,
      ts: '1700000100.000100',
      channel: 'C0001',
    };
    const payload = { type: 'event_callback', team_id: 'T0001', event_id: 'EvSOCKET1', event };
    await server.deliver({
      envelope_id: 'env-1',
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: 0,
    });
    const [post] = await bot.slack.waitFor('chat.postMessage');
    expect(post?.body.thread_ts).toBe(event.ts);
    expect(allText(post?.body)).toContain('Vladimir Medinsky');
    await server.deliver({
      envelope_id: 'env-2',
      type: 'events_api',
      payload,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('acknowledges a slash command envelope and answers through its response_url', async () => {
    const payload = {
      command: '/ceasefire',
      text: 'sources',
      user_id: 'U0001',
      channel_id: 'C0001',
      team_id: 'T0001',
      response_url: bot.slack.responseUrl('socket-cmd'),
    };
    await server.deliver({
      envelope_id: 'env-3',
      type: 'slash_commands',
      payload,
      accepts_response_payload: true,
    });
    const [reply] = await bot.slack.waitFor('respond:socket-cmd');
    expect(allText(reply?.body)).toContain('Articles I answer from (1)');
  });
  it.each([
    [
      'a button no listener has (an action_id renamed since the message was posted)',
      {
        type: 'block_actions',
        user: { id: 'U0001' },
        team: { id: 'T0001' },
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001' },
        channel: { id: 'C0001' },
        response_url: 'https://hooks.slack.com/actions/T0001/1/old',
        actions: [{ type: 'button', action_id: 'answer_share_old', block_id: 'b1', value: '{}' }],
      },
    ],
    [
      'a view submission',
      {
        type: 'view_submission',
        user: { id: 'U0001' },
        team: { id: 'T0001' },
        view: { id: 'V0001', type: 'modal', callback_id: 'unknown_modal', state: { values: {} } },
      },
    ],
  ])('acknowledges an envelope no listener takes: %s', async (_what, payload) => {
    const calls = bot.slack.calls.length;
    const envelope_id = `env-unhandled-${payload.type}`;
    await server.deliver({ envelope_id, type: 'interactive', payload, accepts_response_payload: true });
    expect(server.acks.filter((a) => a.envelope_id === envelope_id)).toHaveLength(1);
    expect(bot.slack.calls.slice(calls)).toEqual([]);
  });
});
