import { z } from 'zod';

/** GET /api/sip/credentials: what a seat's softphone needs to register (auth_ephemeral). */
export interface SipCredentials {
  seatId: string;
  /** "<unix expiry>:<seat>" */
  username: string;
  password: string;
  /** Unix ms: renew before this. */
  expiresAt: number;
  /** sip:<seat>@<domain> */
  uri: string;
  domain: string;
  /** ws:// on loopback, wss:// otherwise. */
  wsUrl: string;
}

/**
 * One phone per seat: the console (one page of the seat console, a random id it makes at load)
 * whose softphone may register. The router holds the truth; Kamailio keeps one contact per seat.
 */
export const ConsoleIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '控制台标识无效');

/** POST /api/phone/claim: `take` moves the phone here from another computer (在此电脑使用电话). */
export const PhoneClaimSchema = z.object({ consoleId: ConsoleIdSchema, take: z.boolean().default(false) });
export type PhoneClaimRequest = z.input<typeof PhoneClaimSchema>;

/** POST /api/phone/release: the console stops using the phone (page closed, signed out). */
export const PhoneReleaseSchema = z.object({ consoleId: ConsoleIdSchema });
export type PhoneReleaseRequest = z.input<typeof PhoneReleaseSchema>;

/** Which console holds the seat's phone (pushed as 'phone:owner-changed' to the seat's consoles). */
export interface PhoneOwnerView {
  seatId: string;
  /** Null: no console holds it. */
  consoleId: string | null;
  /** A tag of the owner's sign-in session: consoles with the same tag are tabs of one browser. */
  browser: string | null;
  since: number | null;
}

export interface PhoneClaimResult {
  /** This console now holds the seat's phone. */
  owned: boolean;
  owner: PhoneOwnerView;
  /** This console's own browser tag (compare with `owner.browser`). */
  browser: string;
  /** Why not, in zh-CN, when `owned` is false. */
  reason: string | null;
}
