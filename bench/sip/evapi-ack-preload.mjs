/**
 * Bench only (bench/sip-latency.bench.ts --router-ack): loaded into the router with
 * `node --import`, it makes the router's evapi connection answer every chunk Kamailio
 * sends that the router did not answer itself with a single "\n" (Kamailio's netstring
 * reader skips whitespace between frames). The reply carries the TCP ACK at once, so
 * Nagle on Kamailio's side (evapi does not set TCP_NODELAY) no longer holds the next
 * event until the router's delayed ACK (up to 40 ms). This stands in for the same few
 * lines in server/src/telephony/evapi-link.ts, which the bench does not edit.
 */
import net from 'node:net';

const port = Number((process.env.EVAPI_ADDR ?? '').split(':')[1]);
const createConnection = net.createConnection;
net.createConnection = function patched(...args) {
  const socket = createConnection.apply(this, args);
  const o = args[0];
  if (o && typeof o === 'object' && Number(o.port) === port) {
    socket.on('data', () => {
      const before = socket.bytesWritten;
      setImmediate(() => {
        if (!socket.destroyed && socket.bytesWritten === before) socket.write('\n');
      });
    });
  }
  return socket;
};
