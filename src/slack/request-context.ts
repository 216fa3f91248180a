/**
 * What every surface hands the code that answers it: who asked, where, and
 * what the bot answers with; and the shape of a subcommand. Apart from the
 * subcommand table (subcommands.ts), so that a subcommand defined in its own
 * module, such as the digest's, needs nothing from the table it joins.
 */
import type { DigestService } from '../digest/digest-service.js';
import type { GapLog } from '../gaps/gap-log.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { SlackMessage } from '../render/blocks.js';
import type { Usage } from '../render/blocks-guide.js';
import type { Store } from '../store/store.js';

/** Where a text came from. */
export type Surface = 'command' | 'mention' | 'dm';

/** Who asked, where, and what the bot can use to answer. */
export interface RequestContext {
  knowledge: KnowledgeBase;
  store: Store;
  surface: Surface;
  userId: string;
  channelId: string | null;
  teamId: string | null;
  /** The workspace's Enterprise Grid org, when it belongs to one. */
  enterpriseId: string | null;
  /** The subcommand table in use (help lists it). */
  subcommands: readonly Subcommand[];
  /** The daily digest, when the bot runs one. */
  digest?: DigestService;
  /** Where questions the articles did not answer are kept for editors, when they are. */
  gaps?: GapLog;
}

/** What every listener is given: the parts of a request context that do not depend on the request. */
export type ListenerDeps = Pick<RequestContext, 'knowledge' | 'store' | 'subcommands' | 'digest' | 'gaps'>;

/** One subcommand: `/ceasefire <name> [args]`. */
export interface Subcommand extends Usage {
  name: string;
  /** Whether words may follow the name; one that takes none matches only the name alone. */
  takesArgs: boolean;
  run(args: string, context: RequestContext): SlackMessage | Promise<SlackMessage>;
}
