import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(BACKENDS)('workspace and authentication [%s]', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.destroy());

  it('returns the token workspace in the data envelope', async () => {
    const response = await server.api('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { data: { workspace: { id: string; name: string; slug: string } } };
    expect(body.data.workspace.id).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(body.data.workspace.slug).toBe('my-workspace');
  });

  it('answers 401 with the envelope and WWW-Authenticate for missing and unknown tokens', async () => {
    const missing = await server.api('/', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toEqual({ errors: [{ type: 'unauthorized', message: 'Missing API token' }] });
    const unknown = await server.api('/', { token: 'nope' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ errors: [{ type: 'unauthorized', message: 'Invalid API token' }] });
    const wrongScheme = await server.api('/', { token: null, headers: { authorization: `Basic ${server.token}` } });
    expect(wrongScheme.status).toBe(401);
  });

  it('accepts the bearer scheme in any case', async () => {
    const response = await server.api('/', { token: null, headers: { authorization: `bEaReR ${server.token}` } });
    expect(response.status).toBe(200);
  });

  it('keeps the bootstrap token working across restarts without minting another workspace', async () => {
    const before = (await (await server.api('/')).json()) as { data: { workspace: { id: string } } };
    server = await server.restart();
    const after = (await (await server.api('/')).json()) as { data: { workspace: { id: string } } };
    expect(after.data.workspace.id).toBe(before.data.workspace.id);
  });
});
