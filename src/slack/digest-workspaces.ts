/**
 * The digest's installations and bot tokens (see digest/workspaces.ts) in
 * the two ways the bot runs: with one bot token, the workspace `auth.test`
 * says it belongs to; with OAuth, every installation in the store and its
 * own bot token.
 */
import { type Installation, type InstallationQuery, type InstallationStore, webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import { prepareSingleTokenWorkspace } from '../digest/subscriptions.js';
import type { DigestInstallations } from '../digest/workspaces.js';
import { NotInstalledError } from '../errors.js';
import { type InstalledWorkspace, StoreInstallationStore } from '../store/installation-store.js';
import type { DigestWorkspace, InstallationKey, Store } from '../store/store.js';
import { slackCallError, slackClientOptions } from './client-policy.js';

/**
 * The installations the digest posts through, as the configuration runs
 * the bot: the workspace of SLACK_BOT_TOKEN when it is set, otherwise
 * (OAuth) every installation in the store.
 */
export function digestInstallations(slack: Config['slack'], store: Store): DigestInstallations {
  return slack.botToken
    ? singleTokenWorkspace(slack.botToken, slack.apiUrl)
    : installationTokens(new StoreInstallationStore(store));
}

/**
 * Readies the store before the first digest. With a single bot token its
 * workspace adopts the digest's rows from before workspaces and gets the
 * channels of DIGEST_CHANNELS; with OAuth there is nothing to do. Resolves
 * how many rows were adopted.
 */
export async function prepareDigest(
  installations: DigestInstallations,
  store: Store,
  digest: Config['digest'],
): Promise<number> {
  if (!(installations instanceof SingleTokenWorkspace)) return 0;
  return (await prepareSingleTokenWorkspace(store, await installations.workspace(), digest)).adopted;
}

/**
 * The one workspace of a single bot token (SLACK_BOT_TOKEN). Its team id
 * comes from `auth.test`, asked once (again after a failure).
 */
export class SingleTokenWorkspace implements DigestInstallations {
  private learned: Promise<DigestWorkspace> | undefined;

  constructor(
    private readonly token: string,
    private readonly client: webApi.WebClient,
  ) {}

  /** The token's workspace. Throws a `SlackCallError` when Slack does not accept the token. */
  workspace(): Promise<DigestWorkspace> {
    this.learned ??= this.authTest().catch((error: unknown) => {
      this.learned = undefined;
      throw error;
    });
    return this.learned;
  }

  async listInstallations(): Promise<InstallationKey[]> {
    return [await this.workspace()];
  }

  async tokenFor(workspace: InstallationKey): Promise<string> {
    const own = await this.workspace();
    if (workspace.teamId !== own.teamId) {
      throw new NotInstalledError(
        `SLACK_BOT_TOKEN belongs to workspace ${own.teamId}, not to ${workspace.teamId ?? workspace.enterpriseId}.`,
      );
    }
    return this.token;
  }

  private async authTest(): Promise<DigestWorkspace> {
    let result: webApi.AuthTestResponse;
    try {
      result = await this.client.auth.test({ token: this.token });
    } catch (error) {
      throw slackCallError('auth.test', error);
    }
    if (!result.team_id) throw new NotInstalledError('auth.test named no workspace for SLACK_BOT_TOKEN.');
    return { teamId: result.team_id, enterpriseId: result.enterprise_id || null };
  }
}

/** The single bot token's workspace, asking `auth.test` on the Web API at `apiUrl` (null: Slack's own). */
export function singleTokenWorkspace(token: string, apiUrl: string | null): SingleTokenWorkspace {
  return new SingleTokenWorkspace(token, new webApi.WebClient(undefined, slackClientOptions(apiUrl)));
}

/** An installation store that lists its installations, as `StoreInstallationStore` does. */
export type ListingInstallationStore = Pick<InstallationStore, 'fetchInstallation'> & {
  listInstallations(): Promise<InstalledWorkspace[]>;
};

/**
 * Every installed workspace and org, each posting with the bot token its
 * installation has as `fetchInstallation` hands it out. A workspace of an
 * org without an installation of its own posts with its org's.
 */
export function installationTokens(installations: ListingInstallationStore): DigestInstallations {
  const tokenFor = async (workspace: InstallationKey): Promise<string> => {
    const { enterpriseId, teamId } = workspace;
    let installation: Installation;
    try {
      installation = await installations.fetchInstallation(queryOf(workspace));
    } catch (error) {
      if (!(error instanceof NotInstalledError && teamId && enterpriseId)) throw error;
      return tokenFor({ enterpriseId, teamId: null });
    }
    const token = installation.bot?.token;
    if (!token)
      throw new NotInstalledError(`The installation of ${teamId ?? enterpriseId} has no bot token.`);
    return token;
  };
  return { listInstallations: () => installations.listInstallations(), tokenFor };
}

/** The look-up of an installation: an org-wide one by its enterprise id alone. */
function queryOf({ enterpriseId, teamId }: InstallationKey): InstallationQuery<boolean> {
  return teamId
    ? { teamId, enterpriseId: enterpriseId ?? undefined, isEnterpriseInstall: false }
    : { teamId: undefined, enterpriseId: enterpriseId ?? '', isEnterpriseInstall: true };
}
