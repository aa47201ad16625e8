import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { AcdCallCommands, AcdQueries, AcdSeatCommands, AcdUnitOfWork } from '../../domain/engine.js';
import { SYSTEM_ACTOR, type AuditInput } from '../audit/audit-service.js';
import type { VisitService } from '../satisfaction/visit-service.js';
import type { CallEnder } from './supervisor-service.js';

export type SeatLostEngine = Pick<AcdQueries, 'getCall' | 'getSeat'> &
  Pick<AcdCallCommands, 'hangup'> &
  Pick<AcdSeatCommands, 'setSeatOffline'> &
  AcdUnitOfWork;

/**
 * 坐席掉线: a seat's console (browser closed or crashed) has been gone for the disconnect grace
 * while its call is up. The call is ended as a 强拆 is (BYE to the caller and the seat's leg
 * through Kamailio's dialog module, the survey disarmed first: a caller whose lawyer dropped is
 * not surveyed), recorded as ended by 坐席掉线, the seat set offline, a 坐席掉线回电 task put on
 * the 回访 worklist and the whole audited as the system's, in one commit.
 */
export class SeatLostService {
  constructor(
    private readonly o: {
      engine: SeatLostEngine;
      /** 强拆 through Kamailio (with the survey's arming); null without telephony. */
      ender: (CallEnder & { armSurvey?(callId: string, on: boolean): boolean }) | null;
      visits: Pick<VisitService, 'createForSeatLost'>;
      audit: (entry: AuditInput) => void;
      clock: Clock;
      logger: Logger;
      /** The disconnect grace, for the task's note. */
      graceS: number;
    },
  ) {}

  /** True when the call is over (ended here, or it was no longer up); false: try again later. */
  async endCall(seatId: string, callId: string): Promise<boolean> {
    const { engine, ender, logger } = this.o;
    if (!this.upAt(seatId, callId)) return true;
    if (!ender) return false;
    ender.armSurvey?.(callId, false);
    try {
      await ender.endCall(callId);
    } catch (err) {
      // The call may have ended meanwhile (the caller hung up): nothing left to do then.
      if (!this.upAt(seatId, callId)) return true;
      // Kamailio answered that it has no dialog left or could not send every BYE: the dialog
      // module sends the caller's BYE first, and a crashed browser's WebSocket takes no BYE. The
      // call is over on the SIP side, so it is recorded here. Kamailio not answering (the link
      // down, its time limit), another end under way (a supervisor's 强拆) or the dialog not known
      // yet (before the resync): tried again after another grace.
      const why = err instanceof DomainError ? err.details?.why : undefined;
      if (why !== 'bye-failed' && why !== 'no-dialog') {
        logger.warn({ err, seatId, callId }, 'could not end the call of a seat without console: tried again after the grace');
        return false;
      }
      logger.warn({ err, seatId, callId }, 'Kamailio could not end every leg of a seat without console: the call is recorded as ended');
    }
    engine.unitOfWork(() => {
      const call = engine.getCall(callId);
      const ended = call?.state.kind === 'talking' && call.state.seatId === seatId;
      if (ended) engine.hangup(callId, 'seat-lost');
      if (engine.getSeat(seatId).state.kind !== 'offline') engine.setSeatOffline(seatId);
      if (call && ended) {
        const at = this.o.clock.now();
        this.o.visits.createForSeatLost({
          callId,
          caller: call.caller,
          categoryId: call.categoryId,
          centreId: call.homeCentreId,
          seatId,
          createdAt: at,
          note: `通话中坐席 ${seatId} 的工作台断开超过 ${this.o.graceS} 秒,系统已结束通话,请尽快回电`,
        });
      }
      this.o.audit({
        actor: SYSTEM_ACTOR,
        action: 'system.call-seat-lost',
        target: `call:${callId}`,
        before: { state: 'talking', seatId },
        after: { state: ended ? 'wrap-up' : (call?.state.kind ?? 'ended'), seat: 'offline' },
        reason: `坐席工作台断开超过 ${this.o.graceS} 秒`,
      });
    });
    logger.warn({ seatId, callId }, 'seat console gone mid-call: call ended, seat set offline, call-back task created');
    return true;
  }

  private upAt(seatId: string, callId: string): boolean {
    const call = this.o.engine.getCall(callId);
    return call?.state.kind === 'talking' && call.state.seatId === seatId;
  }
}
