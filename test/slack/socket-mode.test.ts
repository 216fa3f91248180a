/**
 * Socket Mode against a loopback WebSocket server that speaks Slack's
 * envelopes: `apps.connections.open` hands out its URL, it says hello, then
 * delivers events and commands and expects each envelope to be acknowledged.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { allText } from '../helpers/block-limits.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { APP_TOKEN, startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
let server: WebSocketServer;
let socket: WebSocket | undefined;
const acks: { envelope_id: string; payload?: unknown }[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => acks.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
  });
  const { port } = server.address() as AddressInfo;
  bot = await startTestBot({
    env: { SLACK_APP_TOKEN: APP_TOKEN },
    prepare: (slack) =>
      slack.on('apps.connections.open', { body: { ok: true, url: `ws://127.0.0.1:${port}/link` } }),
  });
});

afterAll(async () => {
  await bot?.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends an envelope and waits for the bot to acknowledge it. */
async function deliver(envelope: Record<string, unknown>): Promise<void> {
  socket?.send(JSON.stringify(envelope));
  const deadline = Date.now() + 5000;
  while (!acks.some((a) => a.envelope_id === envelope.envelope_id)) {
    if (Date.now() > deadline)
      throw new Error(`envelope ${String(envelope.envelope_id)} was not acknowledged`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Socket Mode', () => {
  it('opens the connection with the app-level token, in socket mode', () => {
    expect(bot.running.bot.mode).toBe('socket');
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
    await deliver({
      envelope_id: 'env-1',
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: 0,
    });
    const [post] = await bot.slack.waitFor('chat.postMessage');
    expect(post?.body.thread_ts).toBe(event.ts);
    expect(allText(post?.body)).toContain('Vladimir Medinsky');
    await deliver({
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
    await deliver({ envelope_id: 'env-3', type: 'slash_commands', payload, accepts_response_payload: true });
    const [reply] = await bot.slack.waitFor('respond:socket-cmd');
    expect(allText(reply?.body)).toContain('Articles I answer from (1)');
  });
});
