/**
 * The built program (`npm run build`, see `build-global-setup.ts`) run as
 * child processes, as `npm start` and the command-line tools run it: in a
 * folder of their own (so no `.env` is read) with exactly the given
 * environment, their output kept for assertions.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** `npm start`'s program. */
export const MAIN = path.resolve('dist/main.js');
/** `npm run digest`'s program, built. */
export const DIGEST_CLI = path.resolve('dist/cli/digest.js');

/** A running program. */
export interface Program {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** stdout alone so far. */
  stdout(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Runs `node <script> ...args` in `cwd` with only `env` (and PATH). */
export function runProgram(
  script: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Program {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** Resolves once `text` appears in the program's output; rejects if it exits or `timeoutMs` passes first. */
export async function waitForOutput(program: Program, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!program.output().includes(text)) {
    if (Date.now() > deadline || program.child.exitCode !== null)
      throw new Error(`no "${text}" in:\n${program.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Asks the program to stop (SIGTERM), and kills it if it has not exited within `graceMs`. */
export async function stopProgram(program: Program, graceMs = 5_000): Promise<void> {
  if (program.child.exitCode !== null || program.child.signalCode !== null) return;
  program.child.kill('SIGTERM');
  const timer = setTimeout(() => program.child.kill('SIGKILL'), graceMs);
  await program.exited;
  clearTimeout(timer);
}
