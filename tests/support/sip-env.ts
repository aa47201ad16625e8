/**
 * The router's environment for a whole telephony stack on loopback (router, Kamailio, rtpengine),
 * every port free at the time of asking. The telephony tests and the SIP benchmarks share it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ROUTING_CONFIG, type RoutingConfig } from '../../server/src/domain/policy.js';
import { freePort, freeTcpPort, freeUdpPort } from './processes.js';

export interface LoopbackSipEnvOptions {
  /** rtpengine's media port range (each stack its own, so stacks can run side by side). */
  rtpMin: number;
  rtpMax: number;
  /** Changes to the default routing configuration, written to ROUTING_CONFIG_FILE. */
  routing?: (cfg: RoutingConfig) => RoutingConfig;
  /** Overrides of any variable. */
  env?: Record<string, string>;
}

export async function loopbackSipEnv(dir: string, o: LoopbackSipEnvOptions): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    PORT: String(await freeTcpPort()),
    HOST: '127.0.0.1',
    DB_PATH: path.join(dir, 'hotline.db'),
    LOG_LEVEL: 'info',
    // Telephony tests count the calls in the database: no demo history.
    DEMO_HISTORY: 'false',
    TELEPHONY: 'kamailio',
    EVAPI_ADDR: `127.0.0.1:${await freeTcpPort()}`,
    SIP_TRUNK_ADDR: `127.0.0.1:${await freePort()}`,
    SIP_TRUNK_SOURCES: '127.0.0.1/32',
    SIP_TRUSTED_SOURCES: '127.0.0.0/30',
    SIP_WS_ADDR: `127.0.0.1:${await freeTcpPort()}`,
    SIP_12345_URI: `sip:12345@127.0.0.1:${await freePort()}`,
    RTPENGINE_NG_ADDR: `127.0.0.1:${await freeUdpPort()}`,
    RTP_ADDR: '127.0.0.1',
    RTP_PORT_MIN: String(o.rtpMin),
    RTP_PORT_MAX: String(o.rtpMax),
    DTMF_LOG_ADDR: `127.0.0.1:${await freeUdpPort()}`,
    SIP_SECRET_FILE: path.join(dir, 'sip-secret'),
    SIP_RUN_DIR: path.join(dir, 'run'),
    RECORDING_DIR: path.join(dir, 'recordings'),
    // The notice delays the seat's audio to the caller by 2 s: tests that count media opt in.
    RECORDING_NOTICE_FILE: 'none',
    SEAT_DISCONNECT_GRACE_S: '300',
    CLIENT_DIST: path.join(dir, 'no-client'),
    // A seat's hang-up ends the call for the caller (no post-call survey) unless a test asks for the
    // survey (tests/telephony/survey.test.ts, tests/e2e/survey.test.ts set SURVEY_POLICY).
    SURVEY_POLICY: 'never',
    ...o.env,
  };
  if (o.routing) {
    const file = path.join(dir, 'routing.json');
    fs.writeFileSync(file, JSON.stringify(o.routing(structuredClone(DEFAULT_ROUTING_CONFIG)), null, 2));
    env.ROUTING_CONFIG_FILE = file;
  }
  return env;
}
