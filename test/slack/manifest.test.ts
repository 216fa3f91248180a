/**
 * `manifest.yml` declares exactly what the code listens to and needs: the
 * command the listener registers, the bot events (questions, App Home and
 * uninstalls), interactivity for the buttons, Socket Mode, only the bot
 * scopes the bot uses, as optional the ones it works without, and the same
 * scopes as the install link of many-workspace mode.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../src/render/blocks.js';
import { BOT_SCOPES, INSTALL_SCOPES, OPTIONAL_BOT_SCOPES } from '../../src/slack/scopes.js';

const manifest = parse(readFileSync('manifest.yml', 'utf8'));

describe('manifest.yml', () => {
  it('declares the slash command the bot listens to, with a description and usage hint', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe(SLASH_COMMAND);
    expect(command.description.length).toBeGreaterThan(10);
    expect(command.usage_hint).toContain('sources');
  });

  it('subscribes to exactly the events the listeners handle', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      ['app_home_opened', 'app_mention', 'message.im', 'app_uninstalled', 'tokens_revoked'].sort(),
    );
  });

  it('asks for the least bot scopes, and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['app_mentions:read', 'chat:write', 'commands', 'im:history'].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('asks for the history scopes as optional: only the digest’s check for an earlier post reads history', () => {
    expect([...manifest.oauth_config.scopes.bot_optional].sort()).toEqual([
      'channels:history',
      'groups:history',
    ]);
    expect(manifest.oauth_config.scopes.user_optional).toBeUndefined();
  });

  it('declares the same scopes the install link asks for (src/slack/scopes.ts)', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
    expect(manifest.oauth_config.scopes.bot_optional).toEqual(OPTIONAL_BOT_SCOPES);
    expect([...INSTALL_SCOPES].sort()).toEqual(
      [...manifest.oauth_config.scopes.bot, ...manifest.oauth_config.scopes.bot_optional].sort(),
    );
  });

  it('has a bot user, App Home with Messages, interactivity and Socket Mode on', () => {
    expect(manifest.features.bot_user.display_name).toBeTruthy();
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
