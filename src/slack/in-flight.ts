/**
 * Counts the requests being handled, so shutdown can wait for them: a
 * slash command is acknowledged at once but answered afterwards, and that
 * answer must still go out when the process is asked to stop.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** The work in flight, as a Bolt global middleware and a way to wait until there is none. */
export class InFlight {
  private active = 0;
  private waiters: (() => void)[] = [];

  /** Global middleware: counts each request from its first middleware to the end of its listeners. */
  readonly middleware: Middleware<AnyMiddlewareArgs> = async ({ next }) => {
    this.active += 1;
    try {
      await next();
    } finally {
      this.active -= 1;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  };

  /** How many requests are being handled now. */
  get count(): number {
    return this.active;
  }

  /** Resolves true once nothing is in flight, or false if work is still running after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
