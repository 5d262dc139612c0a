// The "physical limit" of a control-plane read: a bare Fastify route answering with the same JSON text from
// memory (no auth, no database). Routes come as a JSON file: [{ "path": "/destinations/:id", "file": "…" }].
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const routes = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const app = Fastify({ logger: false });
for (const route of routes) {
  const body = readFileSync(route.file, 'utf8');
  app.get(route.path, async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ ready: true, url: address })}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
