/**
 * Outbound calls (外呼): the call record of one call a seat placed from the console, and the
 * outbound figures, defined once (docs/definitions.md, *Outbound calls*) and computed only here:
 * the call history, the duty manager's reports and exports and the 回访 figures all use these.
 * Outbound calls never enter the inbound figures (接通率, service level, ASA, AHT): those are
 * computed over call facts (call-fact.ts), which hold inbound calls only. No I/O.
 *
 * An outbound call exists once Kamailio has taken the seat's INVITE (`startedAt`); a dial the
 * line never carried (Kamailio unreachable, the token never dialled) is no call.
 *
 * - startedAt   Kamailio took the INVITE (the citizen's phone starts ringing)
 * - answeredAt  the callee's 2xx, else null
 * - endedAt     the BYE (either side) of an answered call, or the final failure; null while in progress
 * - result      answered | no-answer (408, 480, 487: ring time over, unavailable, the seat gave up)
 *               | busy (486, 600, 603) | failed (any other final code); null while in progress
 * - ringMs      startedAt → answeredAt, or → endedAt for a call never answered; null while ringing
 * - talkMs      answeredAt → endedAt; 0 when never answered; null while talking
 */

export const OUTBOUND_RESULTS = ['answered', 'no-answer', 'busy', 'failed'] as const;
export type OutboundResult = (typeof OUTBOUND_RESULTS)[number];

/** What is stored of one outbound call (features/satisfaction keeps them in visit_dials). */
export interface OutboundFact {
  seatId: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  result: OutboundResult | null;
}

export interface OutboundDurations {
  ringMs: number | null;
  talkMs: number | null;
}

/** A final SIP code as an outbound call's result. */
export function outboundResultOf(code: number): Exclude<OutboundResult, 'answered'> {
  if (code === 408 || code === 480 || code === 487) return 'no-answer';
  if (code === 486 || code === 600 || code === 603) return 'busy';
  return 'failed';
}

/** The call's ring and talk time (the terms above). */
export function outboundDurations(f: OutboundFact): OutboundDurations {
  const ringEnd = f.answeredAt ?? f.endedAt;
  return {
    ringMs: ringEnd === null ? null : Math.max(0, ringEnd - f.startedAt),
    talkMs: f.answeredAt === null ? (f.endedAt === null ? null : 0) : f.endedAt === null ? null : Math.max(0, f.endedAt - f.answeredAt),
  };
}

export interface OutboundFigures {
  /** 外呼量: outbound calls started in the period (ended or not). */
  placed: number;
  /** 外呼接通: …ended, answered by the callee (a call still talking is in progress until it ends). */
  answered: number;
  noAnswer: number;
  busy: number;
  failed: number;
  /** Still ringing or talking. */
  inProgress: number;
  /** 外呼接通率 = answered ÷ ended (placed − in progress); null when none ended. */
  answerRate: number | null;
  /** 外呼通话时长: talk time of the ended answered calls, seconds. */
  talkSeconds: number;
  /** 平均外呼通话 = talkSeconds ÷ ended answered calls; null when none. */
  avgTalkSeconds: number | null;
}

export interface OutboundReport {
  total: OutboundFigures;
  /** One row per seat that placed a call, by seat id. */
  bySeat: { seatId: string; figures: OutboundFigures }[];
}

class Acc {
  placed = 0;
  answered = 0;
  noAnswer = 0;
  busy = 0;
  failed = 0;
  talkMs = 0;
  talked = 0;

  add(f: OutboundFact): void {
    this.placed++;
    switch (f.result) {
      case 'answered': {
        this.answered++;
        const t = outboundDurations(f).talkMs;
        if (t !== null) {
          this.talkMs += t;
          this.talked++;
        }
        break;
      }
      case 'no-answer':
        this.noAnswer++;
        break;
      case 'busy':
        this.busy++;
        break;
      case 'failed':
        this.failed++;
        break;
      default:
        break;
    }
  }

  figures(): OutboundFigures {
    const ended = this.answered + this.noAnswer + this.busy + this.failed;
    return {
      placed: this.placed,
      answered: this.answered,
      noAnswer: this.noAnswer,
      busy: this.busy,
      failed: this.failed,
      inProgress: this.placed - ended,
      answerRate: ended > 0 ? this.answered / ended : null,
      talkSeconds: Math.round(this.talkMs / 1000),
      avgTalkSeconds: this.talked > 0 ? this.talkMs / this.talked / 1000 : null,
    };
  }
}

/** The outbound figures of some calls (the caller selects the period and scope), in total and by seat. */
export function outboundReport(facts: Iterable<OutboundFact>): OutboundReport {
  const total = new Acc();
  const seats = new Map<string, Acc>();
  for (const f of facts) {
    total.add(f);
    let s = seats.get(f.seatId);
    if (!s) seats.set(f.seatId, (s = new Acc()));
    s.add(f);
  }
  return {
    total: total.figures(),
    bySeat: [...seats.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([seatId, a]) => ({ seatId, figures: a.figures() })),
  };
}
