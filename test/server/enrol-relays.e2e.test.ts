// The enrolment answer names every relay of the log (config relayUrls), and a console keeps the others as
// the relays to fail over to (docs/PROTOCOL.md sections 3 and 10). Real relay, real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { freePort } from '../helpers/free-port.js';
import { enrolClient, startTestRelay, type TestRelay } from '../helpers/relay.js';

describe('the relays named at enrolment', () => {
  let relay: TestRelay | undefined;
  let client: HotlineClient | undefined;

  afterEach(async () => {
    await client?.stop();
    await relay?.cleanup();
  });

  it('are every relay of the log; the console keeps the others, in order, after its own', async () => {
    const port = await freePort();
    const self = `http://127.0.0.1:${port}`;
    const others = ['http://relay-b.example:8080', 'https://relay-c.example'];
    relay = await startTestRelay({
      port,
      publicUrl: self,
      relayUrls: [others[0]!, self, `${others[1]!}/ignored/path`],
    });
    const code = await relay.issueCode('beijing');
    const answer = await relay.api<{ relays: string[] }>('POST', '/v1/enrol', {
      code,
      operator: 'Duty officer',
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'sXUHFWbt5tGdu3o_wwW2Tnv0-8nOk31nkQJBiRhYUh0' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.relays).toEqual([others[0], self, others[1]]);
    client = await enrolClient(relay, 'washington');
    expect(client.relays).toEqual([self, ...others]);
  });

  it('are the relay alone when none are configured', async () => {
    relay = await startTestRelay();
    client = await enrolClient(relay, 'beijing');
    expect(client.relays).toEqual([relay.url]);
  });
});
