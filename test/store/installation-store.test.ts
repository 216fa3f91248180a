/**
 * Bolt's installation store over the bot's store, checked through Bolt's own
 * `InstallProvider.authorize`, the code that looks installations up for every
 * request: workspace installs, Enterprise Grid org-wide installs and
 * workspaces inside an org, user tokens, removal and listing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HTTPReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotInstalledError } from '../../src/errors.js';
import { StoreInstallationStore } from '../../src/store/installation-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SIGNING_SECRET } from '../helpers/credentials.js';
import { orgInstall, workspaceInstall } from '../helpers/installations.js';

let dir: string;
let store: SqliteStore;
let installations: StoreInstallationStore;
let provider: NonNullable<HTTPReceiver['installer']>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-installations-'));
  store = SqliteStore.open(dir);
  installations = new StoreInstallationStore(store);
  // Bolt's receiver builds its installer (InstallProvider) from these options, as the bot's OAuth mode does.
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    clientId: '111.222',
    clientSecret: 'client-secret',
    stateSecret: 'state-secret',
    scopes: ['chat:write'],
    installationStore: installations,
  });
  if (!receiver.installer) throw new Error('Bolt made no installer');
  provider = receiver.installer;
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the installation store under Bolt', () => {
  it("gives a workspace's requests its own bot token", async () => {
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T2', 'U9'));
    expect(
      await provider.authorize({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).toEqual(
      expect.objectContaining({
        botToken: 'bot-token-T1',
        botUserId: 'U_BOT_T1',
        botId: 'BT1',
        teamId: 'T1',
      }),
    );
    expect(
      (await provider.authorize({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }))
        .botToken,
    ).toBe('bot-token-T2');
  });

  it("serves every workspace of an org from the org-wide install, and an org's own workspace install apart", async () => {
    await installations.storeInstallation(orgInstall('E1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T7', 'U2', 'E2'));
    const inOrg = await provider.authorize({ teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true });
    expect(inOrg).toEqual(
      expect.objectContaining({ botToken: 'bot-token-E1', teamId: 'T5', enterpriseId: 'E1' }),
    );
    const gridWorkspace = await provider.authorize({
      teamId: 'T7',
      enterpriseId: 'E2',
      isEnterpriseInstall: false,
    });
    expect(gridWorkspace).toEqual(expect.objectContaining({ botToken: 'bot-token-T7', enterpriseId: 'E2' }));
    // The org-wide install is not a workspace install of the org's workspaces, nor the other way round.
    await expect(
      installations.fetchInstallation({ teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: false }),
    ).rejects.toThrow(NotInstalledError);
    await expect(
      installations.fetchInstallation({ teamId: undefined, enterpriseId: 'E2', isEnterpriseInstall: true }),
    ).rejects.toThrow(NotInstalledError);
  });

  it("hands a user their own user token, and no one else's", async () => {
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T1', 'U2', undefined, 'bot-token-T1-new'));
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false } as const;
    const first = await provider.authorize({ ...query, userId: 'U1' });
    expect(first).toEqual(
      expect.objectContaining({ botToken: 'bot-token-T1-new', userToken: 'user-token-U1' }),
    );
    expect((await provider.authorize({ ...query, userId: 'U2' })).userToken).toBe('user-token-U2');
    const stranger = await provider.authorize({ ...query, userId: 'U3' });
    expect(stranger.botToken).toBe('bot-token-T1-new');
    expect(stranger.userToken).toBeUndefined();
  });

  it('refuses a workspace that never installed, or has uninstalled, saying how to install', async () => {
    await expect(
      provider.authorize({ teamId: 'T404', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/not installed in workspace T404: install it there through \/slack\/install/);
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T1', 'U2'));
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false } as const;
    // A user's tokens revoked: only their own installation goes.
    await installations.deleteInstallation({ ...query, userId: 'U1' });
    expect((await provider.authorize({ ...query, userId: 'U1' })).userToken).toBeUndefined();
    expect((await provider.authorize({ ...query, userId: 'U2' })).userToken).toBe('user-token-U2');
    await installations.deleteInstallation(query);
    await expect(installations.fetchInstallation(query)).rejects.toThrow(NotInstalledError);
  });

  it('lists every installed workspace and org', async () => {
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T1', 'U2'));
    await installations.storeInstallation(orgInstall('E1', 'U1'));
    const listed = await installations.listInstallations();
    expect(
      listed.map(({ enterpriseId, teamId, isEnterpriseInstall }) => ({
        enterpriseId,
        teamId,
        isEnterpriseInstall,
      })),
    ).toEqual([
      { enterpriseId: null, teamId: 'T1', isEnterpriseInstall: false },
      { enterpriseId: 'E1', teamId: null, isEnterpriseInstall: true },
    ]);
    expect(listed[0]?.installation).toEqual(workspaceInstall('T1', 'U2'));
  });
});
