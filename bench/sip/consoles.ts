/**
 * Supervisor consoles for the load bench: Socket.IO clients signed in as the supervisor that
 * subscribe to the live queue, as the 班长监控 page does, so the router pays for its pushes.
 */
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/contract/index.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects `n` supervisor consoles; `onSnapshot` runs for every `queue:updated` push. */
export async function connectSupervisors(url: string, cookie: string, n: number, onSnapshot: () => void): Promise<ClientSocket[]> {
  const sockets: ClientSocket[] = [];
  for (let i = 0; i < n; i++) {
    const s: ClientSocket = ioClient(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    s.on('queue:updated', onSnapshot);
    await new Promise((resolve) => s.emit('queue:subscribe', {}, resolve));
    sockets.push(s);
  }
  return sockets;
}
