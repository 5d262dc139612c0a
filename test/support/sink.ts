// A local HTTP endpoint that destinations deliver to, with a switchable behaviour per request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export type SinkBehaviour = (request: SinkRequest) => { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface Sink {
  url: string;
  requests: SinkRequest[];
  respond: SinkBehaviour;
  /** Resolves once `predicate` holds over the received requests (polling), or rejects after `timeoutMs`. */
  waitFor(predicate: (requests: SinkRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(respond: SinkBehaviour = () => ({ status: 200, body: '{"ok":true}' })): Promise<Sink> {
  const requests: SinkRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const sink: Sink = {
    url: '',
    requests,
    respond,
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline) throw new Error(`sink condition not met within ${timeoutMs} ms (${requests.length} requests)`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      const answer = sink.respond(request);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      requests.push(request);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    });
  });
  // Idle keep-alive sockets closed by the server would surface as ECONNRESET on reuse; keep them open.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}
