import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { KamailioCommand } from './kamailio-protocol.js';

/**
 * Seats whose ended sessions' credentials Kamailio refuses (seat => unix s): sent when a session
 * ends, and again after every reconnection until those credentials have all expired.
 */
export class SeatRevocations {
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly send: (cmd: KamailioCommand) => boolean,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Kamailio unregisters the seat's phone and refuses credentials expiring at or before `untilS`. */
  revoke(seatId: string, untilS: number): void {
    this.revoked.set(seatId, untilS);
    this.sendRevocations(seatId);
  }

  /** Sends every revocation still in force (after a reconnection). */
  resend(): void {
    this.sendRevocations();
  }

  private sendRevocations(only?: string): void {
    const nowS = Math.floor(this.clock.now() / 1000);
    for (const [seat, until] of this.revoked) {
      if (until < nowS) this.revoked.delete(seat);
      else if (only === undefined || only === seat) {
        const sent = this.send({ cmd: 'seat-revoke', seat, until, ttl_s: until - nowS + 60 });
        this.logger.info({ seat, until, sent }, 'seat phone revoked at Kamailio');
      }
    }
  }
}
