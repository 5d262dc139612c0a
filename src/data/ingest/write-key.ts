// Write-key lookup for the Tracking API (data-plane.md §2). The key identifies the source; it is a
// credential, so callers must drop it from the body before storing the event.

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The write key of a request: from `Authorization: Basic …` when it carries one, else from the body's
 * top-level `writeKey`. Returns undefined when neither yields a non-empty key (→ 401).
 */
export function extractWriteKey(authorizationHeader: string | undefined, body: unknown): string | undefined {
  return writeKeyFromHeader(authorizationHeader) ?? writeKeyFromBody(body);
}

function writeKeyFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  // Bearer (OAuth) and other schemes are ignored: there is no token server, the body key applies.
  if (!match?.[1] || !BASE64.test(match[1])) return undefined;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  // `key:` is the standard form (empty password); bare `key` is the legacy form without a colon.
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? decoded : decoded.slice(0, colon);
  return key.length > 0 ? key : undefined;
}

function writeKeyFromBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const key = (body as Record<string, unknown>)['writeKey'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}
