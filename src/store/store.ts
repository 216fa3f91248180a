/**
 * The bot's state, behind one interface: which Slack deliveries were already
 * handled (so a retried event is answered once) and readers' feedback. The
 * embedded SQLite implementation serves one process; a server database can
 * implement the same interface for several replicas, which is why every
 * method is asynchronous and `claim` is a single atomic step.
 */

/** A reader's rating of one answer. */
export interface Feedback {
  /** Slack user id of the reader. */
  userId: string;
  /** Workspace id, when Slack sent one. */
  teamId: string | null;
  /** Conversation where the answer was shown, when known. */
  channelId: string | null;
  question: string;
  /** Position of the first fact of the rated answer (0 for a first answer, 3 after "More facts"). */
  offset: number;
  helpful: boolean;
}

/** Totals of all feedback. */
export interface FeedbackTotals {
  helpful: number;
  unhelpful: number;
}

/** Persistent state of the bot. */
export interface Store {
  /**
   * Claims every key at once, for `ttlMs` milliseconds. Resolves true only
   * when none of the keys was claimed before (and is still unexpired): the
   * caller then handles the delivery; false means someone already did.
   */
  claim(keys: readonly string[], ttlMs: number): Promise<boolean>;
  /** Records a rating; a reader rating the same answer again replaces their earlier rating. */
  recordFeedback(feedback: Feedback): Promise<void>;
  /** Totals of all ratings. */
  feedbackTotals(): Promise<FeedbackTotals>;
  /** Releases the database. Further calls fail. */
  close(): Promise<void>;
}
