/**
 * Where the digest posts and with which token: a single bot token's
 * workspace as `auth.test` names it (asked once, again after a failure), and
 * with OAuth the installations in the store, a workspace of an org served by
 * the org-wide one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/digest/workspaces.js';
import { NotInstalledError, SlackCallError } from '../../src/errors.js';
import { singleTokenWorkspace } from '../../src/slack/digest-workspaces.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { BOT_TOKEN } from '../helpers/credentials.js';
import { orgInstall, workspaceInstall } from '../helpers/installations.js';
import { oauthInstallations } from '../helpers/oauth.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

let slack: SlackStandIn;
let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  slack = new SlackStandIn();
  await slack.start();
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-workspaces-'));
  store = SqliteStore.open(dir);
});
afterEach(async () => {
  await store.close();
  await slack.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a single bot token', () => {
  it('posts in the workspace auth.test names, asking once, and nowhere else', async () => {
    const single = singleTokenWorkspace(BOT_TOKEN, slack.apiUrl);
    expect(await single.listInstallations()).toEqual([{ teamId: 'T0001', enterpriseId: null }]);
    expect(await digestToken(single, { teamId: 'T0001', enterpriseId: null })).toBe(BOT_TOKEN);
    expect(await digestToken(single, { teamId: 'T0002', enterpriseId: null })).toBeNull();
    expect(slack.callsOf('auth.test').map((c) => c.authorization)).toEqual([`Bearer ${BOT_TOKEN}`]);
  });

  it('asks again after auth.test failed, and says what failed', async () => {
    slack.on('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    const single = singleTokenWorkspace(BOT_TOKEN, slack.apiUrl);
    await expect(single.workspace()).rejects.toThrow(SlackCallError);
    await expect(single.workspace()).rejects.toThrow(/auth\.test failed \(invalid_auth\)/);
    slack.off('auth.test');
    expect(await single.workspace()).toEqual({ teamId: 'T0001', enterpriseId: null });
    expect(slack.callsOf('auth.test')).toHaveLength(3);
  });
});

describe('installations (OAuth)', () => {
  it('gives each workspace its own bot token, an org’s workspaces the org-wide one, and none elsewhere', async () => {
    const installations = oauthInstallations(store, slack.apiUrl);
    await installations.storeInstallation(workspaceInstall('T1', 'U1'));
    await installations.storeInstallation(workspaceInstall('T2', 'U1', 'E1'));
    await installations.storeInstallation(orgInstall('E2', 'U1'));
    expect(await installations.listInstallations()).toEqual([
      expect.objectContaining({ enterpriseId: null, teamId: 'T1' }),
      expect.objectContaining({ enterpriseId: 'E1', teamId: 'T2' }),
      expect.objectContaining({ enterpriseId: 'E2', teamId: null }),
    ]);
    const tokenOf = (teamId: string, enterpriseId: string | null = null) =>
      digestToken(installations, { teamId, enterpriseId });
    expect(await tokenOf('T1')).toBe('bot-token-T1');
    expect(await tokenOf('T2', 'E1')).toBe('bot-token-T2');
    expect(await tokenOf('T7', 'E2')).toBe('bot-token-E2');
    expect(await tokenOf('T7')).toBeNull();
    expect(await tokenOf('T8', 'E1')).toBeNull();
    await store.deleteWorkspace({ teamId: 'T1' });
    expect(await tokenOf('T1')).toBeNull();
    await expect(installations.tokenFor({ teamId: 'T1', enterpriseId: null })).rejects.toThrow(
      NotInstalledError,
    );
  });
});
