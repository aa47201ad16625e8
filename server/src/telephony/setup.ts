import type { Logger } from 'pino';
import { splitHostPort, type ServerConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { AcdEngine, TelephonyPort } from '../domain/engine.js';
import type { Db } from '../store/db.js';
import { SipLegRepo } from '../store/sip-legs.js';
import { DtmfLog } from './dtmf-log.js';
import { KamailioTelephony, type TransferResolver } from './kamailio-adapter.js';
import { offerBudgetFor } from './kamailio-protocol.js';
import { unconnectedTelephony } from './unconnected.js';

export interface Telephony {
  port: TelephonyPort;
  /** Null when TELEPHONY=none. */
  kamailio: KamailioTelephony | null;
  dtmf: DtmfLog | null;
  /** Connects to Kamailio and listens for rtpengine's DTMF log; call after createApp. */
  start(engine: AcdEngine, transfers?: TransferResolver): Promise<void>;
  stop(): void;
}

/** Chooses the telephony port from the configuration (one place for main.ts and the tests). */
export function createTelephony(
  config: Pick<ServerConfig, 'TELEPHONY' | 'EVAPI_ADDR' | 'SIP_12345_URI' | 'DTMF_LOG_ADDR' | 'SIP_MAX_BRANCHES'>,
  db: Db,
  clock: Clock,
  logger: Logger,
): Telephony {
  if (config.TELEPHONY === 'none') {
    return { port: unconnectedTelephony(logger), kamailio: null, dtmf: null, start: async () => {}, stop: () => {} };
  }
  const evapi = splitHostPort(config.EVAPI_ADDR);
  const kamailio = new KamailioTelephony({
    evapiHost: evapi.host,
    evapiPort: evapi.port,
    clock,
    logger,
    legs: new SipLegRepo(db),
    uri12345: config.SIP_12345_URI,
    offerBudget: offerBudgetFor(config.SIP_MAX_BRANCHES),
  });
  const dtmf = new DtmfLog(logger);
  return {
    port: kamailio,
    kamailio,
    dtmf,
    start: async (engine, transfers) => {
      kamailio.attach(engine, transfers);
      const d = splitHostPort(config.DTMF_LOG_ADDR);
      await dtmf.start(d.host, d.port);
      kamailio.start();
    },
    stop: () => {
      kamailio.stop();
      dtmf.stop();
    },
  };
}
