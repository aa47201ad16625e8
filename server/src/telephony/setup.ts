import type { Logger } from 'pino';
import { recordingSpoolDir, splitHostPort, type ServerConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { AcdForTelephony, TelephonyPort } from '../domain/engine.js';
import type { Db } from '../store/db.js';
import { SipLegRepo } from '../store/sip-legs.js';
import fs from 'node:fs';
import path from 'node:path';
import { CallbackPrompt } from './callback-prompt.js';
import { DtmfLog } from './dtmf-log.js';
import { RtpengineNg } from './rtpengine-ng.js';
import { RtpengineRecordingMedia } from './recording-media.js';
import { KamailioTelephony, type TransferResolver } from './kamailio-adapter.js';
import type { ConsultLegObserver } from '../features/recordings/recording-service.js';
import { offerBudgetFor } from './kamailio-protocol.js';
import { TelephonyRelay } from './telephony-relay.js';
import type { ConsultGate } from '../features/transfers/transfer-service.js';
import type { SipRevocationGate } from '../features/auth/sip-credentials-service.js';
import { unconnectedTelephony } from './unconnected.js';
import { DEFAULT_SURVEY_RULES, parseSurveyKeys, type SurveyPrompt } from '../domain/survey.js';
import { RATING_SCALE } from '../contract/index.js';
import type { CallControl } from './dialog-control.js';
import { SurveyCalls } from './survey-call.js';

/** Where a survey's outcome is stored (SatisfactionService through the survey service). */
export type SurveyRecorder = (callId: string, score: number | null) => void;
import { OutboundLine } from './outbound-line.js';
import { ListenLine } from './listen-line.js';

export interface Telephony {
  /** The port to build the engine with (with Kamailio: a relay to the adapter that start() builds). */
  port: TelephonyPort;
  /** The Kamailio side, which opens consultations, arms the survey, ends calls (强拆) and ends a seat's phone; null when TELEPHONY=none. */
  kamailio: (ConsultGate & CallControl & SipRevocationGate) | null;
  /** The adapter once started; null before start() and when TELEPHONY=none. */
  adapter(): KamailioTelephony | null;
  dtmf: DtmfLog | null;
  /** Records answered calls through rtpengine; null when TELEPHONY=none or RECORDING=off. */
  recording: RtpengineRecordingMedia | null;
  /** Click-to-call through Kamailio and the trunk; null when TELEPHONY=none. */
  outbound: OutboundLine | null;
  /** 监听 through rtpengine's subscriptions and Kamailio; null when TELEPHONY=none. */
  listen: ListenLine | null;
  /**
   * Builds the Kamailio adapter with the engine (built with `port`), connects to Kamailio
   * and listens for rtpengine's DTMF log; call after createApp.
   */
  start(
    engine: AcdForTelephony,
    transfers?: TransferResolver,
    tickets?: (ticket: string) => { categoryId: string } | null,
    survey?: SurveyRecorder,
    /** Consultation legs (seat to seat, or to 12345) recorded with the seat's call. */
    consults?: ConsultLegObserver,
  ): Promise<void>;
  stop(): void;
}

/**
 * Chooses the telephony port from the configuration (one place for main.ts and the tests).
 * The engine and the adapter need each other: the engine gets a TelephonyRelay now, the
 * adapter gets the engine in its constructor at start(), and the relay is pointed at it.
 */
export function createTelephony(
  config: Pick<
    ServerConfig,
    | 'TELEPHONY'
    | 'EVAPI_ADDR'
    | 'SIP_12345_URI'
    | 'DTMF_LOG_ADDR'
    | 'SIP_MAX_BRANCHES'
    | 'RTPENGINE_NG_ADDR'
    | 'CALLBACK_PROMPT_FILE'
    | 'SURVEY_KEYS'
    | 'SURVEY_NO_INPUT_MS'
    | 'SURVEY_PROMPT_DIR'
    | 'RECORDING'
    | 'RECORDING_DIR'
    | 'RECORDING_NOTICE_FILE'
    | 'SIP_RUN_DIR'
  >,
  db: Db,
  clock: Clock,
  logger: Logger,
): Telephony {
  if (config.TELEPHONY === 'none') {
    return {
      port: unconnectedTelephony(logger),
      kamailio: null,
      adapter: () => null,
      dtmf: null,
      recording: null,
      outbound: null,
      listen: null,
      start: async () => {},
      stop: () => {},
    };
  }
  const evapi = splitHostPort(config.EVAPI_ADDR);
  const relay = new TelephonyRelay();
  const dtmf = new DtmfLog(logger);
  const outbound = new OutboundLine();
  let kamailio: KamailioTelephony | null = null;
  let prompt: CallbackPrompt | null = null;
  let ng: RtpengineNg | null = null;
  let surveys: SurveyCalls | null = null;
  const rules = {
    ...DEFAULT_SURVEY_RULES,
    keys: parseSurveyKeys(
      config.SURVEY_KEYS,
      RATING_SCALE.map((r) => r.score),
    ),
    noInputMs: config.SURVEY_NO_INPUT_MS,
  };
  const promptFile = (p: SurveyPrompt) => path.resolve(config.SURVEY_PROMPT_DIR, `survey-${p}-zh-CN.wav`);
  const rtpNg = splitHostPort(config.RTPENGINE_NG_ADDR);
  const recNg = config.RECORDING === 'on' ? new RtpengineNg(rtpNg.host, rtpNg.port) : null;
  const notice = config.RECORDING_NOTICE_FILE === 'none' ? null : path.resolve(config.RECORDING_NOTICE_FILE);
  const listenNg = new RtpengineNg(rtpNg.host, rtpNg.port);
  const listen = new ListenLine({ ng: listenNg, logger: logger.child({ part: 'listen' }) });
  const recording = recNg
    ? new RtpengineRecordingMedia({
        ng: recNg,
        spoolDir: recordingSpoolDir(config.SIP_RUN_DIR),
        outDir: path.resolve(config.RECORDING_DIR),
        noticeFile: notice && fs.existsSync(notice) ? notice : null,
        logger: logger.child({ part: 'recording' }),
      })
    : null;
  return {
    port: relay,
    kamailio: relay,
    adapter: () => kamailio,
    dtmf,
    recording,
    outbound,
    listen,
    start: async (engine, transfers, tickets, survey, consults) => {
      const rtp = splitHostPort(config.RTPENGINE_NG_ADDR);
      ng = new RtpengineNg(rtp.host, rtp.port);
      if (survey) {
        surveys = new SurveyCalls({
          ng,
          dtmf,
          clock,
          logger: logger.child({ part: 'survey' }),
          rules,
          files: { question: promptFile('question'), invalid: promptFile('invalid'), thanks: promptFile('thanks') },
          record: survey,
          hangUp: (callId) => void kamailio?.dialogs.end(callId, 'caller').catch(() => undefined),
        });
      }
      const file = config.CALLBACK_PROMPT_FILE === 'none' ? null : path.resolve(config.CALLBACK_PROMPT_FILE);
      if (file && fs.existsSync(file)) {
        // On the evapi host: the loopback Kamailio relays the call-back caller to.
        prompt = new CallbackPrompt({ host: evapi.host, file, ng, logger: logger.child({ part: 'callback-prompt' }) });
        await prompt.start();
      } else if (file) {
        logger.warn({ file }, 'no call-back prompt at CALLBACK_PROMPT_FILE: call-back callers hear 480 Callback Scheduled');
      }
      kamailio = new KamailioTelephony({
        callbackUri: () => prompt?.uri() ?? null,
        engine,
        resolveTransfer: transfers ?? null,
        resolveTicket: tickets ?? null,
        evapiHost: evapi.host,
        evapiPort: evapi.port,
        clock,
        logger,
        legs: new SipLegRepo(db),
        uri12345: config.SIP_12345_URI,
        offerBudget: offerBudgetFor(config.SIP_MAX_BRANCHES),
        surveys,
        outbound,
        listen,
        consults: consults ?? null,
      });
      relay.connect(kamailio);
      const d = splitHostPort(config.DTMF_LOG_ADDR);
      await dtmf.start(d.host, d.port);
      kamailio.start();
    },
    stop: () => {
      listen.stopAll();
      kamailio?.stop();
      surveys?.stop();
      prompt?.stop();
      ng?.close();
      recNg?.close();
      listenNg.close();
      dtmf.stop();
    },
  };
}
