import fs from 'node:fs';

/**
 * Commits recorded in a SQLite WAL file: frames whose header gives the database size
 * after the commit. In WAL mode with synchronous=FULL each of them is one fsync. Only
 * frames of the current WAL generation count (their salts match the header's); run
 * with wal_autocheckpoint=0 so that the file is never restarted under the count.
 */
export function walCommits(walPath: string): number {
  if (!fs.existsSync(walPath)) return 0;
  const b = fs.readFileSync(walPath);
  if (b.length < 32) return 0;
  const pageSize = b.readUInt32BE(8) === 1 ? 65536 : b.readUInt32BE(8);
  const salt1 = b.readUInt32BE(16);
  const salt2 = b.readUInt32BE(20);
  let commits = 0;
  for (let off = 32; off + 24 + pageSize <= b.length; off += 24 + pageSize) {
    if (b.readUInt32BE(off + 8) !== salt1 || b.readUInt32BE(off + 12) !== salt2) break;
    if (b.readUInt32BE(off + 4) !== 0) commits++;
  }
  return commits;
}

/** Page numbers of every frame of the current WAL generation, in the order written. */
export function walFramePages(walPath: string): number[] {
  if (!fs.existsSync(walPath)) return [];
  const b = fs.readFileSync(walPath);
  if (b.length < 32) return [];
  const pageSize = b.readUInt32BE(8) === 1 ? 65536 : b.readUInt32BE(8);
  const salt1 = b.readUInt32BE(16);
  const salt2 = b.readUInt32BE(20);
  const pages: number[] = [];
  for (let off = 32; off + 24 + pageSize <= b.length; off += 24 + pageSize) {
    if (b.readUInt32BE(off + 8) !== salt1 || b.readUInt32BE(off + 12) !== salt2) break;
    pages.push(b.readUInt32BE(off));
  }
  return pages;
}
