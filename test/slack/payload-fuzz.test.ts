/**
 * Fuzzed requests through the HTTP receiver and Bolt's real routing: Slack's
 * own payload shapes with fields dropped or of the wrong type, unknown event
 * and payload types, malformed JSON and form bodies, mismatched content
 * types. A signed body is answered with 200 or a 4xx, never a 5xx,
 * and no listener fails on it; a body that is not validly signed never
 * reaches a listener; the bot serves normally afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAnswerRef } from '../../src/render/blocks-answer.js';
import { VERIFICATION_TOKEN } from '../helpers/credentials.js';
import { fuzzRuns } from '../helpers/fuzz-size.js';
import {
  buttonClickBody,
  commandBody,
  eventBody,
  SIGNING_SECRET,
  type SignOptions,
  type SlackBody,
  send,
} from '../helpers/signed-request.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { useTestBot } from '../helpers/test-bot.js';

const t = useTestBot();

/** Signed bodies tried per run, and bodies with a bad signature. */
const SIGNED_RUNS = fuzzRuns({ quick: 300, full: 3000 });
const UNSIGNED_RUNS = fuzzRuns({ quick: 100, full: 1000 });

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** Stands for a response_url in generated payloads; sent as the stand-in's, so no post leaves this machine. */
const RESPONSE_URL = 'RESPONSE_URL';
/** A link off this machine, which a fuzzed body must not carry (the bot might post to it). */
const OFF_MACHINE = /https?(:|%3A)(\/|%2F){2}(?!127\.0\.0\.1)/i;

/** The stand-in's response_url for fuzzed requests. */
const url = () => t.bot.slack.responseUrl('fuzz');

/** A generated body as sent: the response_url placeholder made the stand-in's. */
function serialized(body: string, contentType: string): SlackBody {
  const link = contentType === FORM_TYPE ? encodeURIComponent(url()) : url();
  return { body: body.replaceAll(RESPONSE_URL, link), contentType };
}

/** Any value of the wrong type, for a field. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** `base` as it is, or with some fields dropped, some replaced by values of any type, and unknown fields added. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  const damaged = fc
    .record({
      drop: fc.subarray(keys, { maxLength: 3 }),
      replace: fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 2 }),
      extra: fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 2 }),
    })
    .map(({ drop, replace, extra }) => {
      const out: Record<string, unknown> = { ...base, ...extra, ...replace };
      for (const key of drop) delete out[key];
      return out;
    });
  return fc.oneof(fc.constant(base), damaged);
}

const text = fc.oneof(
  fc.constantFrom(`<@${BOT_USER_ID}> Who leads Russia's delegation?`, 'help', 'sources', ''),
  fc.string({ maxLength: 60 }),
);
const eventType = fc.oneof(
  fc.constantFrom(
    'app_mention',
    'message',
    'app_home_opened',
    'reaction_added',
    'team_join',
    'function_executed',
  ),
  // Names every object has: looking an event type up must not find them.
  fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf'),
  fc.string({ maxLength: 15 }),
);

/** An Events API delivery whose event and envelope may both be damaged. */
const eventDelivery = fc
  .record({
    type: eventType,
    text,
    ts: fc.integer({ min: 1, max: 1e9 }),
    channel: fc.constantFrom('C0001', 'D0001'),
  })
  .chain(({ type, text, ts, channel }) =>
    mutated({
      type,
      user: 'U0001',
      channel,
      channel_type: 'im',
      tab: 'home',
      text,
      ts: `${ts}.000100`,
    }),
  )
  .chain((event) =>
    mutated({
      token: VERIFICATION_TOKEN,
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'EvFUZZ',
      event_time: 1_700_000_000,
      event,
    }),
  )
  .map((body) => serialized(JSON.stringify(body), JSON_TYPE));

/** A slash command, possibly another app's, with fields missing or wrong. */
const command = fc
  .record({ command: fc.constantFrom('/ceasefire', '/other', ''), text })
  .chain(({ command, text }) =>
    mutated({
      command,
      text,
      user_id: 'U0001',
      channel_id: 'C0001',
      team_id: 'T0001',
      response_url: RESPONSE_URL,
    }),
  )
  .map((fields) =>
    serialized(
      new URLSearchParams(
        Object.entries(fields).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      ).toString(),
      FORM_TYPE,
    ),
  );

/** An interaction payload: a button (ours, or one this version does not have), a shortcut, a view. */
const interaction = fc
  .record({
    type: fc.oneof(
      fc.constantFrom('block_actions', 'shortcut', 'message_action', 'view_submission', 'view_closed'),
      fc.string({ maxLength: 15 }),
    ),
    actionId: fc.constantFrom('answer_share', 'answer_more', 'feedback_up', 'feedback_down', 'gone_button'),
    value: fc.oneof(
      fc.constant(encodeAnswerRef({ question: 'Who is Rubio?', offset: 0 }) ?? ''),
      fc.string({ maxLength: 40 }),
    ),
  })
  .chain(({ type, actionId, value }) =>
    mutated({
      type,
      user: { id: 'U0001' },
      team: { id: 'T0001' },
      channel: { id: 'C0001' },
      container: { is_ephemeral: true },
      response_url: RESPONSE_URL,
      callback_id: 'fuzz',
      view: { id: 'V1', callback_id: 'fuzz', state: { values: {} } },
      actions: [{ type: 'button', action_id: actionId, value, block_id: 'b1' }],
    }),
  )
  .map((payload) =>
    serialized(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM_TYPE),
  );

/** Bodies that are not Slack's at all: any JSON, cut-off JSON, raw text, form fields. */
const garbage = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.json({ maxDepth: 3 }).chain((json) => fc.nat(json.length).map((cut) => json.slice(0, cut))),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('payload', 'command', 'type', 'ssl_check', 'event'), fc.string()),
      fc.string(),
    )
    .map((fields) => new URLSearchParams(fields).toString()),
);

const contentType = fc.constantFrom(
  JSON_TYPE,
  FORM_TYPE,
  'application/json; charset=utf-8',
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
);

/** Any body: Slack's shapes, damaged, under their own content type or another one. */
const fuzzedBody: fc.Arbitrary<SlackBody> = fc.oneof(
  { weight: 3, arbitrary: eventDelivery },
  { weight: 2, arbitrary: command },
  { weight: 2, arbitrary: interaction },
  { weight: 2, arbitrary: fc.record({ body: garbage, contentType }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(eventDelivery, command, interaction), contentType)
      .map(([{ body }, type]) => ({ body, contentType: type })),
  },
);

/** Ways a request fails Slack's signature check. */
const badSignature: fc.Arbitrary<SignOptions> = fc.oneof(
  fc.constant({ signature: null }),
  fc.constant({ secret: 'ffffffffffffffffffffffffffffffff' }),
  fc.string({ maxLength: 70 }).map((signature) => ({ signature })),
  fc
    .integer({ min: 301, max: 10_000_000 })
    .map((age) => ({ timestamp: Math.floor(Date.now() / 1000) - age })),
  fc
    .integer({ min: 301, max: 10_000_000 })
    .map((ahead) => ({ timestamp: Math.floor(Date.now() / 1000) + ahead })),
);

describe('fuzzed Slack requests', () => {
  it(`answers ${SIGNED_RUNS} signed fuzzed bodies with 200 or a 4xx, with no listener failing`, async () => {
    const statuses = new Map<number, number>();
    const fromLog = t.bot.logs.length;
    /** Each body sent, with where the log stood: a failure is shown with the body sent just before it. */
    const sent: { logIndex: number; body: SlackBody }[] = [];
    await fc.assert(
      fc.asyncProperty(fuzzedBody, async (body) => {
        fc.pre(!OFF_MACHINE.test(body.body));
        sent.push({ logIndex: t.bot.logs.length, body });
        const response = await send(t.events, body);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
      }),
      { numRuns: SIGNED_RUNS },
    );
    await t.bot.settle();
    console.info(
      `payload-fuzz: ${SIGNED_RUNS} signed bodies, answered with`,
      Object.fromEntries(statuses),
      `; ${t.bot.slack.calls.length} calls to Slack made by listeners`,
    );
    const failures = t.bot.logs
      .map((line, i) => ({ line, i }))
      .slice(fromLog)
      .filter(({ line }) => /Unhandled|not acknowledged|ERROR/.test(line))
      .map(
        ({ line, i }) =>
          `${line}\n  after ${JSON.stringify([...sent].reverse().find((s) => s.logIndex <= i)?.body)}`,
      );
    expect(failures).toEqual([]);
    const health = await fetch(`${t.bot.baseUrl}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', inFlight: 0 });
  });

  it(`runs no listener for ${UNSIGNED_RUNS} fuzzed bodies without a valid signature`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzedBody, badSignature, async (body, sign) => {
        fc.pre(!OFF_MACHINE.test(body.body));
        const response = await send(t.events, body, sign);
        await response.arrayBuffer();
        expect(response.status).toBe(401);
      }),
      { numRuns: UNSIGNED_RUNS },
    );
    await t.bot.settle();
    expect(t.bot.slack.calls).toEqual([]);
  });

  it.each([
    ['a body of no kind Slack sends', 400, () => serialized('{"type":"no_such_thing"}', JSON_TYPE)],
    [
      'an event type the bot does not subscribe to',
      200,
      () => eventBody({ type: 'reaction_added', user: 'U0001' }),
    ],
    ['a click on a button this version does not have', 200, () => buttonClickBody('gone', 'x', url())],
    ['another app’s slash command', 200, () => commandBody('hello', url(), { command: '/other' })],
  ])('answers %s with %i, and runs no listener', async (_what, status, body) => {
    expect((await send(t.events, body())).status).toBe(status);
    await t.bot.settle();
    expect(t.bot.slack.calls).toEqual([]);
  });

  it.each([
    ['JSON', JSON_TYPE, (pad: string) => JSON.stringify({ type: 'event_callback', pad })],
    [
      'form',
      FORM_TYPE,
      (pad: string) => new URLSearchParams({ command: '/ceasefire', text: pad }).toString(),
    ],
  ])('refuses a %s body over 4 MB with 413, signed or not', async (_kind, type, make) => {
    const body = { body: make('x'.repeat(4 * 1024 * 1024)), contentType: type };
    expect((await send(t.events, body)).status).toBe(413);
    expect((await send(t.events, body, { secret: SIGNING_SECRET.replace(/./, 'f') })).status).toBe(413);
  });

  it('serves a real question afterwards', async () => {
    const url = t.bot.slack.responseUrl('after-fuzz');
    const body = new URLSearchParams({
      command: '/ceasefire',
      text: 'Who is Rubio?',
      response_url: url,
      user_id: 'U1',
    });
    expect((await send(t.events, { body: body.toString(), contentType: FORM_TYPE })).status).toBe(200);
    await t.bot.slack.waitFor('respond:after-fuzz');
  });
});
