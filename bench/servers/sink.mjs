// The local webhook sink every delivery bench posts to, in its own process. Paths under /hang never answer
// (a destination that times out); every other POST is counted per event. `/__*` paths report what arrived.
import http from 'node:http';

let timeline = []; // [arrivalMs, events] per request
let arrivals = []; // [messageId, arrivalMs] per event, for paths under /record
let sample;
const hanging = new Set();

function eventsOf(json) {
  return Array.isArray(json) ? json : [json];
}

function report(res, body) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/hang')) {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
    req.resume();
    return;
  }
  if (req.method === 'GET' && req.url === '/__timeline') return report(res, { timeline, hanging: hanging.size });
  if (req.method === 'GET' && req.url === '/__arrivals') return report(res, { arrivals });
  if (req.method === 'GET' && req.url === '/__sample') return report(res, { sample: sample ?? null });
  if (req.method === 'POST' && req.url === '/__reset') {
    timeline = [];
    arrivals = [];
    sample = undefined;
    return report(res, { ok: true });
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    const text = Buffer.concat(chunks).toString('utf8');
    let events = [];
    try {
      events = eventsOf(JSON.parse(text));
    } catch {
      // counted as a request without events
    }
    sample ??= text;
    timeline.push([now, events.length]);
    if (req.url.startsWith('/record')) for (const e of events) arrivals.push([e?.messageId, now]);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
// Clients reuse connections; an idle socket closed by the sink would surface as a reset on reuse.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
