// GET /docs serves the interactive reference, and everything it loads comes from this server (no CDN).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const ABSOLUTE_URL = /(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>]+/gi;

function assetUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/gi)].map((m) => m[1]!);
}

describe('API reference page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server?.destroy());

  for (const pagePath of ['/docs', '/docs/']) {
    it(`serves ${pagePath} as HTML whose assets all load from this server`, async () => {
      const response = await fetch(`${server.url}${pagePath}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html.match(ABSOLUTE_URL) ?? []).toEqual([]);

      const assets = assetUrls(html);
      expect(assets.some((a) => a.endsWith('swagger-ui-bundle.js'))).toBe(true);
      expect(assets.some((a) => a.endsWith('swagger-ui.css'))).toBe(true);
      const pageUrl = new URL(pagePath, server.url);
      for (const asset of assets) {
        const assetUrl = new URL(asset, pageUrl);
        expect(assetUrl.origin, asset).toBe(pageUrl.origin);
        const loaded = await fetch(assetUrl);
        expect(loaded.status, asset).toBe(200);
        expect((await loaded.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
      }
    });
  }

  it('points the page at the document on this server, with no remote validator', async () => {
    const initializer = await (await fetch(`${server.url}/docs/static/swagger-initializer.js`)).text();
    expect(initializer).toContain("resolveUrl('./json')");
    expect(initializer).toContain('validatorUrl: null');
    const [copy, served] = await Promise.all(
      [`${server.url}/docs/json`, `${server.url}/openapi.json`].map(async (url) => (await fetch(url)).json()),
    );
    expect(copy).toEqual(served);
  });

  it('needs no API token', async () => {
    const response = await fetch(`${server.url}/docs`, { headers: { authorization: 'Bearer nonsense' } });
    expect(response.status).toBe(200);
  });
});
