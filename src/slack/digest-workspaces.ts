/**
 * The digest's installations and bot tokens (see digest/workspaces.ts) in
 * the two ways the bot runs: with one bot token, the workspace `auth.test`
 * says it belongs to; with OAuth, every installation in the store and its
 * own bot token, from the installation store that serves requests.
 */
import { type Logger, webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import { prepareSingleTokenWorkspace } from '../digest/subscriptions.js';
import type { DigestInstallations } from '../digest/workspaces.js';
import { NotInstalledError } from '../errors.js';
import type { DigestWorkspace, InstallationKey, Store } from '../store/store.js';
import { slackCallError, slackClientOptions } from './client-policy.js';
import { installationsFor } from './token-rotation.js';

/**
 * The installations the digest posts through, as the configuration runs
 * the bot: with OAuth every installation in the store, each with its bot
 * token kept fresh (the bot's own installation store); otherwise the
 * workspace of SLACK_BOT_TOKEN.
 */
export function digestInstallations(
  config: Pick<Config, 'slack'>,
  store: Store,
  logger: Logger,
  clientOptions?: webApi.WebClientOptions,
): DigestInstallations {
  return (
    installationsFor(config, store, logger, clientOptions) ??
    singleTokenWorkspace(config.slack.botToken ?? '', config.slack.apiUrl)
  );
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
