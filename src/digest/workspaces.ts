/**
 * Where the digest may post, and with which bot token. The bot passes this
 * in: with one bot token (SLACK_BOT_TOKEN) it is that token's workspace;
 * with OAuth it is the installations in the store, each with its own token.
 * The digest posts in no other workspace: one that uninstalled the app is
 * not among them, whatever subscriptions remain.
 */
import { NotInstalledError } from '../errors.js';
import type { DigestChannel, DigestWorkspace, InstallationKey } from '../store/store.js';

/**
 * The installations the digest may post through, and their bot tokens. The
 * names are those of the bot's installation store, which fits as it is.
 */
export interface DigestInstallations {
  /**
   * Every workspace the app is installed in now, and every Enterprise Grid
   * org it is installed in org-wide (`teamId` null: it serves every
   * workspace of the org).
   */
  listInstallations(): Promise<InstallationKey[]>;
  /**
   * The bot token of a workspace (its own installation's, or its org's
   * org-wide one) or of an org, valid long enough to post with (an
   * implementation may refresh it first). Throws `NotInstalledError` when
   * the app is not installed there (any more).
   */
  tokenFor(workspace: InstallationKey): Promise<string>;
}

/** The installation a workspace's digest posts through: the workspace's own, or else its org's org-wide one. */
export function installationOf(
  workspace: DigestWorkspace,
  installed: readonly InstallationKey[],
): InstallationKey | null {
  const own = installed.find((i) => i.teamId === workspace.teamId);
  if (own) return own;
  if (!workspace.enterpriseId) return null;
  return installed.find((i) => i.teamId === null && i.enterpriseId === workspace.enterpriseId) ?? null;
}

/** The bot token to post a workspace's digest with, or null when the app is not installed there. */
export async function digestToken(
  installations: DigestInstallations,
  workspace: DigestWorkspace,
): Promise<string | null> {
  // '' is the team of rows from before workspaces that no workspace adopted: they belong nowhere.
  if (!workspace.teamId) return null;
  try {
    return await installations.tokenFor({ teamId: workspace.teamId, enterpriseId: workspace.enterpriseId });
  } catch (error) {
    if (error instanceof NotInstalledError) return null;
    throw error;
  }
}

/** A conversation as logs and `digest --post` name it: `T0123/C0456` (`(none)/C0456` before adoption). */
export function channelLabel({ teamId, channelId }: DigestChannel): string {
  return `${teamId || '(none)'}/${channelId}`;
}
