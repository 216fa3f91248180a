import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../src/log.js';

describe('redact', () => {
  it('removes known secret values wherever they appear', () => {
    expect(redact('secret=0123456789abcdef!', ['0123456789abcdef'])).toBe('secret=[redacted]!');
  });

  it('removes anything shaped like a Slack token', () => {
    expect(redact('bot xoxb-123-456-abcDEF user xoxp-9-9 app xapp-1-A1-22-ff')).toBe(
      'bot xoxb-[redacted] user xoxp-[redacted] app xapp-[redacted]',
    );
  });

  it('removes token fields of JSON and form payloads', () => {
    expect(redact('{"token":"verif123","text":"hi"}')).toBe('{"token":"[redacted]","text":"hi"}');
    expect(redact('token=verif123&text=hi')).toBe('token=[redacted]&text=hi');
  });
});

describe('createLogger', () => {
  const capture = (level: 'error' | 'warn' | 'info' | 'debug') => {
    const lines: [LogLevel, string][] = [];
    const logger = createLogger({
      level,
      secrets: ['s3cr3t-value'],
      write: (l, line) => lines.push([l, line]),
    });
    return { logger, lines };
  };

  it('writes entries at and above its level, one line each, redacted', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.info('token is', 's3cr3t-value');
    logger.warn({ payload: { token: 'abc' } });
    logger.error(Object.assign(new Error('boom'), { code: 'slack_webapi_platform_error' }));
    expect(lines.map(([l]) => l)).toEqual([LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR]);
    expect(lines[0]?.[1]).toMatch(/ INFO ceasefire: token is \[redacted\]$/);
    expect(lines[1]?.[1]).toContain('{"payload":{"token":"[redacted]"}}');
    expect(lines[2]?.[1]).toContain('Error [slack_webapi_platform_error]: boom');
  });

  it('follows setLevel and setName, as Bolt calls them', () => {
    const { logger, lines } = capture('error');
    logger.setLevel(LogLevel.DEBUG);
    logger.setName('bolt');
    logger.debug('now shown');
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
    expect(lines[0]?.[1]).toContain('DEBUG bolt: now shown');
  });
});
