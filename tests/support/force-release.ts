import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { sippCounts, waitFor, type SipResult, type SipStack } from './sip-stack.js';

/**
 * What a 强拆 of a talking call leaves behind: the SIPp caller got a BYE and ended cleanly, the
 * seat's SIPp phone (started with `traceMessages`) got one too (from Kamailio's dialog module, not
 * from the caller), the seat is in wrap-up and the call's hang-up is the supervisor's (or, for a
 * call the router ended because the seat's console was gone, `o`: 坐席掉线 and the seat offline).
 */
export async function expectForcedRelease(
  stack: SipStack,
  callId: string,
  seatId: string,
  caller: Promise<SipResult>,
  o: { by: string; seat: string } = { by: 'supervisor', seat: 'wrap-up' },
): Promise<void> {
  const r = await caller;
  expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
  const seatLog = path.join(stack.dir, `seat-${seatId}-messages.log`);
  await waitFor(
    () => fs.existsSync(seatLog) && /received[^\n]*\n+BYE sip:/.test(fs.readFileSync(seatLog, 'utf8')),
    'a BYE at the seat',
    5000,
  );
  expect(stack.seatState(seatId).kind).toBe(o.seat);
  expect(stack.events(callId).find((e) => e.type === 'hung-up')?.data.by).toBe(o.by);
}
