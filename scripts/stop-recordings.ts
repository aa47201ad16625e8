/**
 * start.sh runs this right before it stops rtpengine: `stop recording` for every call rtpengine
 * still holds (docs/recordings.md *Stopping safely*). rtpengine 10.5 dies with SIGSEGV in
 * recording_finish when it is stopped with a recording open; the router normally ends its
 * recordings when it stops, this also covers a router that was killed or ran out of time.
 *
 *   node --import tsx scripts/stop-recordings.ts
 *
 * Reads RTPENGINE_NG_ADDR like the server. Always exits 0 (stopping goes on); says what it did.
 */
import { loadConfig, splitHostPort } from '../server/src/config.js';
import { stopAllRecordings } from '../server/src/telephony/recording-media.js';
import { RtpengineNg } from '../server/src/telephony/rtpengine-ng.js';

async function main(): Promise<void> {
  const ng = splitHostPort(loadConfig().RTPENGINE_NG_ADDR);
  const client = new RtpengineNg(ng.host, ng.port);
  try {
    const stopped = await stopAllRecordings(client);
    if (stopped.length > 0) process.stdout.write(`recording stopped for ${stopped.length} call(s) still up in rtpengine\n`);
  } finally {
    client.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`could not stop the recordings in rtpengine: ${err instanceof Error ? err.message : String(err)}\n`);
});
