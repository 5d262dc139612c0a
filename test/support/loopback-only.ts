// Safety net for tests that aim requests at non-loopback addresses: every TCP connect in this process is
// recorded, and one to anything but loopback fails without touching the network. A test asserts that nothing
// reached the net, which proves its guard refused the request first.
import net from 'node:net';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export interface ConnectRecorder {
  /** Hosts of connects that were refused here because they were not loopback. */
  blocked: string[];
  restore(): void;
}

function targetHost(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (Array.isArray(first)) return targetHost(first as unknown[]);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; path?: unknown };
    if (typeof options.path === 'string') return undefined; // IPC
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof second === 'string' ? second : 'localhost';
  }
  return undefined; // a path: IPC
}

/** Loopback, or a name under the reserved `.test` TLD, which tests resolve with their own fake resolvers. */
function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host) || /\.test\.?$/i.test(host);
}

export function refuseNonLoopbackConnects(): ConnectRecorder {
  const original = net.Socket.prototype.connect;
  const blocked: string[] = [];
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = targetHost(args);
    if (host !== undefined && !isLoopback(host)) {
      blocked.push(host);
      const error = Object.assign(new Error(`test refused a connect to ${host}`), { code: 'ETESTBLOCKED' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    blocked,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
