/**
 * Three replicas of the built program (`node dist/main.js`) serving many
 * workspaces in HTTP mode on one Postgres database, every Web API call on
 * one loopback stand-in for Slack that records it with its token. Two
 * workspaces install, each starting on one replica and finishing on
 * another; a delivery and its retries spread over the replicas are answered
 * once, with the right workspace's token; channels of both workspaces
 * subscribed to the digest get it once each, with their workspace's token,
 * while the replicas restart (their schedulers posting what is due) and
 * three runs of the built `digest --post` race them; an uninstall sent to
 * one replica holds on all of them, `digest --post --force` included, while
 * the other workspace is still served.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../src/digest/schedule.js';
import { DIGEST_EVENT_TYPE } from '../src/slack/digest-poster.js';
import { PostgresStore } from '../src/store/postgres-store.js';
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
import { DIGEST_CLI, MAIN, type Program, runProgram, stopProgram, waitForOutput } from './helpers/program.js';
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
/** The replicas' folders, kept when they restart. */
let dirs: string[] = [];
/** The working directory of the `digest` runs. */
let cliDir: string;
let replicas: Replica[] = [];
/** Every process the test started, replicas and `digest` runs, for the checks of their output. */
const programs: Program[] = [];

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

/** Starts a replica in `dir` on a free port; resolves once it is spawned (see `listening`). */
async function spawnReplica(dir: string): Promise<Replica> {
  const port = await freePort();
  const program = runProgram(MAIN, [], { cwd: dir, env: { ...sharedEnv(), PORT: String(port) } });
  programs.push(program);
  return { program, dir, baseUrl: `http://127.0.0.1:${port}` };
}

/** Resolves once a replica listens, its digest scheduler started. */
function listening(replica: Replica): Promise<void> {
  return waitForOutput(replica.program, 'Listening for Slack requests', 45_000);
}

/** Starts the built `npm run digest` with `args`, sharing the replicas' configuration. */
function runDigest(args: string[]): Program {
  const program = runProgram(DIGEST_CLI, args, { cwd: cliDir, env: sharedEnv() });
  programs.push(program);
  return program;
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
  dirs = await Promise.all([1, 2, 3].map(() => mkdtemp(path.join(tmpdir(), 'ceasefire-replica-'))));
  cliDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-digest-run-'));
  // All at once: each migrates the empty database on start, as replicas rolled out together do.
  replicas = await Promise.all(dirs.map(spawnReplica));
  await Promise.all(replicas.map(listening));
}, 120_000);

afterAll(async () => {
  await Promise.all(programs.map((p) => stopProgram(p)));
  await slack?.stop();
  await database?.drop();
  await Promise.all([...dirs, cliDir].map((d) => d && rm(d, { recursive: true, force: true })));
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

/** Channels subscribed to the digest: two in one workspace, one in the other. */
const DIGEST_CHANNELS = [
  { team: 'T1', channel: 'CT1NEWS' },
  { team: 'T1', channel: 'CT1DESK' },
  { team: 'T2', channel: 'CT2NEWS' },
] as const;

/** A digest time already past in `noonZone()`. */
const DUE = '06:00';

/**
 * A time zone where it is between noon and one o'clock now: a digest at DUE
 * is due there today, and every process is on the same local day for the
 * next eleven hours, whenever the test runs.
 */
function noonZone(): string {
  // Etc/GMT+N is N hours behind UTC (the sign is POSIX's).
  const behind = new Date().getUTCHours() - 12;
  return behind === 0 ? 'UTC' : `Etc/GMT${behind > 0 ? '+' : '-'}${Math.abs(behind)}`;
}

/** Whether a chat.postMessage posts a digest. */
function isDigest(body: Record<string, unknown>): boolean {
  return (body.metadata as { event_type?: unknown } | undefined)?.event_type === DIGEST_EVENT_TYPE;
}

/** The digests posted in a channel. */
function digestPosts(channel: string): RecordedCall[] {
  return slack.callsOf('chat.postMessage').filter((c) => c.body.channel === channel && isDigest(c.body));
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

  it('posts each subscribed channel’s digest once, with its workspace’s token, while restarted replicas and three digest --post runs race', async () => {
    const zone = noonZone();
    // One command through each replica; each subscription takes effect on all of them.
    for (const [i, { team, channel }] of DIGEST_CHANNELS.entries()) {
      const id = `subscribe-${channel}`;
      const body = commandBody(`digest on ${DUE} ${zone}`, slack.responseUrl(id), {
        team_id: team,
        channel_id: channel,
      });
      expect((await send(`${at(i)}/slack/events`, body)).status).toBe(200);
      await settle();
      expect(allText(slack.callsOf(`respond:${id}`)[0]?.body)).toContain(
        'Done: this conversation gets the daily digest',
      );
    }
    expect(DIGEST_CHANNELS.flatMap(({ channel }) => digestPosts(channel))).toEqual([]);

    // A rollout at the time a cron job runs `digest --post`: every replica restarts and, on start, posts the
    // digests already due today, while three runs post every subscribed channel's. Slack takes a second over each
    // digest, so a claim is held while the other processes come to it.
    slack.on('chat.postMessage', (body) => ({
      delayMs: isDigest(body) ? 1000 : 0,
      body: { ok: true, channel: body.channel, ts: `${Date.now() / 1000}` },
    }));
    await Promise.all(replicas.map((r) => stopProgram(r.program)));
    const runs = [1, 2, 3].map(() => runDigest(['--post']));
    replicas = await Promise.all(dirs.map(spawnReplica));
    await Promise.all(replicas.map(listening));
    const codes = await Promise.all(runs.map((r) => r.exited));
    expect(codes, runs.map((r) => r.output()).join('\n')).toEqual([0, 0, 0]);

    // Once the ledger records each channel's post, no process may post it again today.
    const date = localDate(new Date(), zone);
    const store = await PostgresStore.open(database.url);
    try {
      await expect
        .poll(
          async () =>
            Promise.all(
              DIGEST_CHANNELS.map(
                async ({ team, channel }) =>
                  (await store.digestEntry({ teamId: team, channelId: channel }, date))?.state,
              ),
            ),
          { timeout: 60_000, interval: 100 },
        )
        .toEqual(['posted', 'posted', 'posted']);
    } finally {
      await store.close();
    }
    await settle();
    for (const { team, channel } of DIGEST_CHANNELS) {
      const posts = digestPosts(channel);
      expect(posts, channel).toHaveLength(1);
      expect(posts[0]?.authorization).toBe(`Bearer ${installedToken(team)}`);
      expect(posts[0]?.body.metadata).toMatchObject({ event_payload: { date } });
      // One process of the six won the day's claim and posted; the others found it taken.
      const posters = [...replicas.map((r) => r.program), ...runs].filter((p) =>
        p.output().includes(`Digest for ${team}/${channel} (${date}) posted as`),
      );
      expect(posters, channel).toHaveLength(1);
    }
    slack.off('chat.postMessage');
    // Each run accounts for every channel: posted by it, or already done or in hand elsewhere.
    for (const run of runs) {
      const lines = run.stdout().trim().split('\n');
      expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(
        DIGEST_CHANNELS.map(({ team, channel }) => `${team}/${channel}`).sort(),
      );
      for (const line of lines)
        expect(line).toMatch(
          new RegExp(`: (posted the digest|already done|already being posted) for ${date}\\b`),
        );
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
    // The uninstall took the workspace's subscriptions: a forced digest posts again in the other one only.
    const forced = runDigest(['--post', '--force']);
    expect(await forced.exited, forced.output()).toBe(0);
    expect(forced.stdout()).not.toContain('T2/');
    for (const { team, channel } of DIGEST_CHANNELS) {
      expect(digestPosts(channel), channel).toHaveLength(team === 'T1' ? 2 : 1);
    }
    // Nothing at all went out with the uninstalled workspace's token.
    expect(
      slack.calls.slice(before).filter((c) => c.authorization === `Bearer ${installedToken('T2')}`),
    ).toEqual([]);
    expect(answersTo(kept)).toHaveLength(1);
    expect(answersTo(kept)[0]?.authorization).toBe(`Bearer ${installedToken('T1')}`);
  });

  it('keeps nothing on the disks of the replicas or of the digest runs, and no secret in their output', async () => {
    for (const dir of [...dirs, cliDir]) expect(await readdir(dir)).toEqual([]);
    for (const program of programs) {
      for (const secret of [
        CLIENT_SECRET,
        STATE_SECRET,
        SIGNING_SECRET,
        DATABASE_PASSWORD,
        ...TEAMS.map(installedToken),
      ])
        expect(program.output()).not.toContain(secret);
    }
  });
});
