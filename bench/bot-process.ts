/**
 * The bot in HTTP mode in a process of its own, as `npm start` builds it,
 * bound to 127.0.0.1: what the soak and the Slack load test send requests
 * to, so that the sender's own work never slows the bot it measures.
 *
 * Run as a child with `--serve`; the parent talks to it over IPC: it says
 * when it listens, and answers "memory" (after garbage collection) and "stop".
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startBot } from '../src/start-bot.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/credentials.js';
import { freePort } from '../test/helpers/loopback.js';
import { install, OAUTH_ENV, startInstallingSlack } from '../test/helpers/oauth.js';
import { SlackStandIn } from '../test/helpers/slack-stand-in.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.js';

/** What the bot process reports. */
export type BotMessage =
  | { type: 'listening'; port: number }
  | { type: 'memory'; rss: number; heapUsed: number };

/** The bot process: `startBot` as `npm start` runs it, bound to 127.0.0.1, answering memory questions. */
async function serve(): Promise<void> {
  const running = await startBot({ config: loadConfig('bot'), host: '127.0.0.1' });
  const reply = (message: BotMessage) => process.send?.(message);
  process.on('message', async (message: 'memory' | 'stop') => {
    if (message === 'stop') {
      await running.stop();
      process.exit(0);
    }
    // Garbage collected first, twice, each time given a moment: V8 returns freed pages to the system in the
    // background, and the heap it grew under load only on a later collection.
    for (let i = 0; i < 2; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { rss, heapUsed } = process.memoryUsage();
    reply({ type: 'memory', rss, heapUsed });
  });
  reply({ type: 'listening', port: running.bot.port ?? 0 });
}

/** Starts the bot process in `env.DATA_DIR` (so no `.env` is read) with exactly the given environment. */
export function startBotProcess(env: Record<string, string>, logLines: string[]): ChildProcess {
  const tsx = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
  const child = fork(new URL(import.meta.url), ['--serve'], {
    cwd: env.DATA_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv: ['--expose-gc', '--import', tsx],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (data) => logLines.push(...String(data).split('\n').filter(Boolean)));
  }
  return child;
}

/** The next message of a type from the bot process; rejects if it exits first. */
export function nextMessage<T extends BotMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<BotMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: BotMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as Extract<BotMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the bot process exited (${code})`)));
  });
}

/** Asks the bot process to stop and waits until it has. */
export async function stopBotProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** A bot process listening on loopback, the Slack stand-in it talks to, and how to take both down. */
export interface LoopbackBot {
  child: ChildProcess;
  slack: SlackStandIn;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Every line the bot process wrote. */
  logLines: string[];
  stop(): Promise<void>;
}

/** A bot process launched on a free loopback port. */
interface Launched {
  child: ChildProcess;
  port: number;
  /** Stops the process and removes its folder. */
  stop(): Promise<void>;
}

/** Starts a bot process on a free loopback port, in an empty folder of its own; resolves once it listens. */
async function launch(env: Record<string, string>, logLines: string[]): Promise<Launched> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ceasefire-bench-'));
  const port = await freePort();
  const child = startBotProcess({ ...env, DATA_DIR: dataDir, PORT: String(port) }, logLines);
  const stop = async () => {
    await stopBotProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await nextMessage(child, 'listening');
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, port, stop };
}

/** Starts a Slack stand-in and the bot in HTTP mode against it, answering from `knowledgeDir`; resolves once it listens. */
export async function startLoopbackBot(
  knowledgeDir: string,
  logLevel: 'info' | 'warn',
): Promise<LoopbackBot> {
  const slack = new SlackStandIn();
  await slack.start();
  const logLines: string[] = [];
  let bot: Launched;
  try {
    bot = await launch(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        KNOWLEDGE_DIR: path.resolve(knowledgeDir),
        LOG_LEVEL: logLevel,
      },
      logLines,
    );
  } catch (error) {
    await slack.stop();
    throw error;
  }
  return {
    child: bot.child,
    slack,
    baseUrl: `http://127.0.0.1:${bot.port}`,
    logLines,
    stop: async () => {
      await bot.stop();
      await slack.stop();
    },
  };
}

/** Bot replicas serving many workspaces on one database, behind a round-robin proxy, and their Slack stand-in. */
export interface LoopbackReplicas {
  slack: SlackStandIn;
  /** Each replica's `http://127.0.0.1:<port>`. */
  replicaUrls: string[];
  /** The proxy's `http://127.0.0.1:<port>`: where Slack's requests go. */
  baseUrl: string;
  proxy: RoundRobinProxy;
  /** Every line the replicas wrote. */
  logLines: string[];
  stop(): Promise<void>;
}

/** Options of `startLoopbackReplicas`. */
export interface LoopbackReplicasOptions {
  knowledgeDir: string;
  logLevel: 'info' | 'warn';
  replicas: number;
  /** The Postgres database they share (empty, or of an earlier run). */
  databaseUrl: string;
  /** Workspaces to install through the proxy (the stand-in gives each the token `installedToken(team)`). */
  teams: readonly string[];
}

/**
 * Starts a Slack stand-in, `replicas` bot processes in HTTP mode for many
 * workspaces (OAuth) on `databaseUrl`, and a round-robin proxy in front of
 * them, then installs the app in each of `teams` through the proxy (so an
 * install starts on one replica and finishes on the next).
 */
export async function startLoopbackReplicas(options: LoopbackReplicasOptions): Promise<LoopbackReplicas> {
  const slack = await startInstallingSlack();
  const env = {
    ...OAUTH_ENV,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: options.databaseUrl,
    KNOWLEDGE_DIR: path.resolve(options.knowledgeDir),
    LOG_LEVEL: options.logLevel,
  };
  const logLines: string[] = [];
  const started = await Promise.allSettled(
    Array.from({ length: options.replicas }, () => launch(env, logLines)),
  );
  const launched = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  let proxy: RoundRobinProxy | undefined;
  const stop = async () => {
    await proxy?.stop();
    await Promise.all(launched.map((bot) => bot.stop()));
    await slack.stop();
  };
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    proxy = await startRoundRobinProxy(launched.map((bot) => bot.port));
    for (const team of options.teams) await install(proxy.baseUrl, `code-${team}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    slack,
    replicaUrls: launched.map((bot) => `http://127.0.0.1:${bot.port}`),
    baseUrl: proxy.baseUrl,
    proxy,
    logLines,
    stop,
  };
}

if (process.argv.includes('--serve') && import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  void serve();
