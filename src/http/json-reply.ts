import type { FastifyReply } from 'fastify';

/** Sends a body assembled from pre-serialised JSON fragments (catalog entries are serialised once). */
export function sendJsonText(reply: FastifyReply, text: string, status = 200) {
  return reply.code(status).type('application/json; charset=utf-8').send(text);
}

export function dataEnvelope(fields: Record<string, string>): string {
  return `{"data":{${Object.entries(fields)
    .map(([key, json]) => `${JSON.stringify(key)}:${json}`)
    .join(',')}}}`;
}

export function jsonArray(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}
