import { describe, expect, it } from 'vitest';
import { DEFAULTS, ENV_NAMES, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('starts from the defaults, then the environment, then explicit overrides', () => {
    const c = loadConfig({ port: 9001 }, { HOTLINE_PORT: '9000', HOTLINE_HEARTBEAT_MS: '20000' });
    expect(c.port).toBe(9001);
    expect(c.heartbeatMs).toBe(20_000);
    expect(c.helloTimeoutMs).toBe(DEFAULTS.helloTimeoutMs);
    expect(loadConfig({}, { HOTLINE_ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it.each([
    ['HOTLINE_PORT', '70000'],
    ['HOTLINE_PORT', 'eighty'],
    ['HOTLINE_HEARTBEAT_MS', '0'],
    ['HOTLINE_MAX_BUFFERED_BYTES', '0'],
    ['HOTLINE_TOKEN_TTL_SECONDS', '0'],
    ['HOTLINE_ENROLMENT_TTL_SECONDS', '5'],
    ['HOTLINE_HELLO_TIMEOUT_MS', '10'],
    ['HOTLINE_LOG_LEVEL', 'loud'],
    ['HOTLINE_LOG_PRETTY', 'maybe'],
    ['HOTLINE_PUBLIC_URL', 'not a url'],
  ])('refuses %s=%s at start-up with a clear message', (name, value) => {
    expect(() => loadConfig({}, { [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('names an environment variable for every option', () => {
    expect(Object.keys(ENV_NAMES).sort()).toEqual(Object.keys(DEFAULTS).sort());
  });
});
