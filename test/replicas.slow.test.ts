/**
 * Three replicas of the built program (`node dist/main.js`) serving many
 * workspaces in HTTP mode on one Postgres database, every Web API call on
 * one loopback stand-in for Slack that records it with its token. Two
 * workspaces install, each starting on one replica and finishing on
 * another; a delivery and its retries spread over the replicas are answered
 * once, with the right workspace's token; an uninstall sent to one replica
 * holds on all of them while the other workspace is still served.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText } from './helpers/block-limits.js';
import { CLIENT_SECRET, DATABASE_PASSWORD, SIGNING_SECRET, STATE_SECRET } from './helpers/credentials.js';
import { freePort, untilIdle } from './helpers/loopback.js';
import {
  finishInstall,
  installedToken,
  OAUTH_ENV,
  startInstall,
  startInstallingSlack,
} from './helpers/oauth.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { MAIN, type Program, runProgram, stopProgram, waitForOutput } from './helpers/program.js';
import { commandBody, eventBody, send } from './helpers/signed-request.js';
import type { RecordedCall, SlackStandIn } from './helpers/slack-stand-in.js';

const KNOWLEDGE = path.resolve('knowledge');
const QUESTION = "Who leads Russia's delegation?";
/** A sentence of the answer to QUESTION in knowledge/. */
const ANSWER = 'Vladimir Medinsky';
const TEAMS = ['T1', 'T2'] as const;

/** One bot process, its folder (its working directory, which it should never write to) and its address. */
interface Replica {
  program: Program;
  dir: string;
  baseUrl: string;
}

let database: TestDatabase;
let slack: SlackStandIn;
const replicas: Replica[] = [];

/** The environment every replica shares: many workspaces, one database, one Slack. */
function sharedEnv(): Record<string, string> {
  return {
    ...OAUTH_ENV,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: database.url,
    KNOWLEDGE_DIR: KNOWLEDGE,
  };
}

async function startReplica(): Promise<Replica> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-replica-'));
  const port = await freePort();
  const program = runProgram(MAIN, [], { cwd: dir, env: { ...sharedEnv(), PORT: String(port) } });
  const replica = { program, dir, baseUrl: `http://127.0.0.1:${port}` };
  replicas.push(replica);
  await waitForOutput(program, 'Listening for Slack requests', 45_000);
  return replica;
}

/** Replica `i`'s address. */
function at(i: number): string {
  const replica = replicas[i];
  if (!replica) throw new Error(`no replica ${i}`);
  return replica.baseUrl;
}

/** Resolves once no replica handles a request. */
async function settle(): Promise<void> {
  await Promise.all(replicas.map((r) => untilIdle(r.baseUrl)));
}

beforeAll(async () => {
  [database, slack] = await Promise.all([createTestDatabase(), startInstallingSlack()]);
  // All at once: each migrates the empty database on start, as replicas rolled out together do.
  await Promise.all([startReplica(), startReplica(), startReplica()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => stopProgram(r.program)));
  await slack?.stop();
  await database?.drop();
  await Promise.all(replicas.map((r) => rm(r.dir, { recursive: true, force: true })));
});

let messages = 0;

/** A mention of the bot asking QUESTION in workspace `team`'s channel, and the Events API delivery of it. */
function mention(team: string): {
  ts: string;
  channel: string;
  send: (url: string, retryNum?: number) => Promise<number>;
} {
  const ts = `1700000000.${String(++messages).padStart(6, '0')}`;
  const channel = `C${team}GENERAL`;
  const body = eventBody(
    { type: 'app_mention', user: 'U0001', channel, ts, text: `<@UBOT${team}> ${QUESTION}` },
    `Ev${team}${messages}`,
    { teamId: team },
  );
  return {
    ts,
    channel,
    send: async (url, retryNum) =>
      (await send(`${url}/slack/events`, body, retryNum === undefined ? {} : { retryNum })).status,
  };
}

/** The answers posted in the thread of a message. */
function answersTo(m: { ts: string; channel: string }): RecordedCall[] {
  return slack
    .callsOf('chat.postMessage')
    .filter((c) => c.body.channel === m.channel && c.body.thread_ts === m.ts);
}

/** The same `/ceasefire` command of workspace `team`, as Slack posts it; its answer goes to `respond:<id>`. */
function command(team: string, text: string, id: string) {
  return commandBody(text, slack.responseUrl(id), { team_id: team, channel_id: `C${team}GENERAL` });
}

describe('three replicas on one database', () => {
  it('installs two workspaces, each started on one replica and finished on another', async () => {
    for (const [team, first, second] of [
      ['T1', 0, 1],
      ['T2', 1, 2],
    ] as const) {
      const start = await startInstall(at(first));
      const finish = await finishInstall(at(second), start, `code-${team}`);
      expect(finish.status).toBe(200);
      expect(await finish.text()).toContain('Thank you!');
    }
    expect(slack.callsOf('oauth.v2.access').map((c) => c.body.code)).toEqual(['code-T1', 'code-T2']);
  });

  it('answers a mention and its retries, all at once on three replicas, once, with its workspace’s token', async () => {
    const mentions = TEAMS.map(mention);
    // The delivery on one replica, Slack's two retries on the other two, all in flight together.
    const statuses = await Promise.all(
      mentions.flatMap((m) => [m.send(at(0)), m.send(at(1), 1), m.send(at(2), 2)]),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    await settle();
    TEAMS.forEach((team, i) => {
      const answers = answersTo(mentions[i] as { ts: string; channel: string });
      expect(answers).toHaveLength(1);
      expect(answers[0]?.authorization).toBe(`Bearer ${installedToken(team)}`);
      expect(allText(answers[0]?.body)).toContain(ANSWER);
    });
  });

  it('answers a retry that comes to another replica after the answer went out, not again', async () => {
    for (const team of TEAMS) {
      const m = mention(team);
      expect(await m.send(at(2))).toBe(200);
      await settle();
      expect(await m.send(at(0), 1)).toBe(200);
      expect(await m.send(at(1), 2)).toBe(200);
      await settle();
      const answers = answersTo(m);
      expect(answers).toHaveLength(1);
      expect(answers[0]?.authorization).toBe(`Bearer ${installedToken(team)}`);
    }
  });

  it('answers a slash command to each workspace once, at its response_url, on whichever replica takes it', async () => {
    const acks = await Promise.all([
      send(`${at(1)}/slack/events`, command('T1', QUESTION, 'ask-T1')),
      send(`${at(2)}/slack/events`, command('T2', QUESTION, 'ask-T2')),
    ]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    await settle();
    for (const team of TEAMS) {
      const answers = slack.callsOf(`respond:ask-${team}`);
      expect(answers).toHaveLength(1);
      expect(allText(answers[0]?.body)).toContain(ANSWER);
    }
  });

  it('honours an uninstall sent to one replica on every replica, and still serves the other workspace', async () => {
    const uninstall = eventBody({ type: 'app_uninstalled' }, 'EvUNINSTALL', { teamId: 'T2' });
    expect((await send(`${at(2)}/slack/events`, uninstall)).status).toBe(200);
    await settle();
    expect(replicas[2]?.program.output()).toContain('Forgot workspace T2 after app_uninstalled');

    const before = slack.calls.length;
    const gone = [mention('T2'), mention('T2')];
    await Promise.all(gone.map((m, i) => m.send(at(i))));
    await send(`${at(1)}/slack/events`, command('T2', QUESTION, 'ask-T2-gone'));
    const kept = mention('T1');
    expect(await kept.send(at(2))).toBe(200);
    await settle();
    for (const m of gone) expect(answersTo(m)).toEqual([]);
    expect(slack.callsOf('respond:ask-T2-gone')).toEqual([]);
    // Nothing at all went out with the uninstalled workspace's token.
    expect(
      slack.calls.slice(before).filter((c) => c.authorization === `Bearer ${installedToken('T2')}`),
    ).toEqual([]);
    expect(answersTo(kept)).toHaveLength(1);
    expect(answersTo(kept)[0]?.authorization).toBe(`Bearer ${installedToken('T1')}`);
  });

  it('keeps nothing on the replicas’ disks, and no secret in their output', async () => {
    for (const replica of replicas) {
      expect(await readdir(replica.dir)).toEqual([]);
      for (const secret of [
        CLIENT_SECRET,
        STATE_SECRET,
        SIGNING_SECRET,
        DATABASE_PASSWORD,
        ...TEAMS.map(installedToken),
      ])
        expect(replica.program.output()).not.toContain(secret);
    }
  });
});
