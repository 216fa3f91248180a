/** Installations as Bolt hands them to the installation store after `oauth.v2.access` (tokens are stand-ins). */
import type { Installation } from '@slack/bolt';

/** A workspace installation, in an org when `enterpriseId` is given. */
export function workspaceInstall(
  teamId: string,
  userId: string,
  enterpriseId?: string,
  botToken = `bot-token-${teamId}`,
): Installation<'v2', false> {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: enterpriseId ? { id: enterpriseId, name: `Org ${enterpriseId}` } : undefined,
    user: { id: userId, token: `user-token-${userId}`, scopes: ['search:read'] },
    bot: {
      token: botToken,
      scopes: ['chat:write'],
      id: `B${teamId}`,
      userId: `U_BOT_${teamId}`,
    },
    appId: 'A0001',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

/** An org-wide (Enterprise Grid) installation. */
export function orgInstall(enterpriseId: string, userId: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: `Org ${enterpriseId}` },
    user: { id: userId, token: undefined, scopes: undefined },
    bot: { token: `bot-token-${enterpriseId}`, scopes: ['chat:write'], id: 'BORG', userId: 'U_BOT_ORG' },
    appId: 'A0001',
    tokenType: 'bot',
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://org.enterprise.slack.com/',
    authVersion: 'v2',
  };
}

/** The installation with token rotation on: a refresh token, and a bot token expiring in `expiresInSeconds`. */
export function rotating<T extends Installation<'v2', boolean>>(
  installation: T,
  expiresInSeconds: number,
  refreshToken = 'xoxe-1-refresh-token-0',
): T {
  const bot = installation.bot;
  if (!bot) throw new Error('the installation has no bot');
  return {
    ...installation,
    bot: { ...bot, refreshToken, expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds },
  };
}
