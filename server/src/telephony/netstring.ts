/**
 * Netstrings (`<length>:<bytes>,`), the framing of Kamailio's evapi module with
 * `netstring_format` on. The decoder is incremental: TCP may split or join frames.
 */
export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`, 'ascii'), body, Buffer.from(',', 'ascii')]);
}

export class NetstringDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Largest frame accepted; a bigger length means the stream is corrupt. */
  constructor(private readonly maxFrame = 1 << 20) {}

  /** Feeds bytes; returns every complete frame. Throws on a malformed stream. */
  push(chunk: Buffer): string[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: string[] = [];
    for (;;) {
      // Whitespace between frames is skipped, as Kamailio's evapi reader does (the router
      // sends a lone "\n" to carry a TCP ACK, see evapi-link.ts).
      let skip = 0;
      while (skip < this.buf.length && (this.buf[skip] === 0x0a || this.buf[skip] === 0x0d || this.buf[skip] === 0x20)) skip++;
      if (skip > 0) this.buf = this.buf.subarray(skip);
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10) throw new Error('netstring: no length prefix');
        break;
      }
      const lenText = this.buf.subarray(0, colon).toString('ascii');
      if (!/^\d{1,10}$/.test(lenText)) throw new Error(`netstring: bad length ${JSON.stringify(lenText.slice(0, 12))}`);
      const len = Number(lenText);
      if (len > this.maxFrame) throw new Error(`netstring: frame of ${len} bytes is too large`);
      const end = colon + 1 + len;
      if (this.buf.length < end + 1) break;
      if (this.buf[end] !== 0x2c) throw new Error('netstring: missing trailing comma');
      out.push(this.buf.subarray(colon + 1, end).toString('utf8'));
      this.buf = this.buf.subarray(end + 1);
    }
    return out;
  }
}
