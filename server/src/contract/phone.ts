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
