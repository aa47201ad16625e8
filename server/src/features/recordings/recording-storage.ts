import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RecordingStorageView } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
import type { RecordingRepository } from './recording-repository.js';

const DAY = 86_400_000;
const SYSTEM: AuditActor = { id: null, username: 'system', role: 'system' };

export interface RecordingStorageDeps {
  repo: RecordingRepository;
  clock: Clock;
  logger: Logger;
  audit: (entry: AuditInput) => void;
  dir: string;
  retentionDays: number;
  alarmDays: number;
}

/**
 * Retention and disk space: recordings older than the retention period are deleted (each
 * deletion audited), and the administrators see the disk in use, the free space and the days
 * left at the rate of the last 7 days, with an alarm below the threshold.
 */
export class RecordingStorage {
  constructor(private readonly d: RecordingStorageDeps) {}

  view(): RecordingStorageView {
    const now = this.d.clock.now();
    const t = this.d.repo.totals(now - 7 * DAY);
    fs.mkdirSync(this.d.dir, { recursive: true });
    const st = fs.statfsSync(this.d.dir);
    const freeBytes = st.bavail * st.bsize;
    const totalBytes = st.blocks * st.bsize;
    const bytesPerDay = Math.round(t.recentBytes / 7);
    const daysLeft = bytesPerDay > 0 ? Math.floor(freeBytes / bytesPerDay) : null;
    const alarm = (daysLeft !== null && daysLeft < this.d.alarmDays) || freeBytes < totalBytes * 0.05;
    return {
      dir: this.d.dir,
      usedBytes: t.usedBytes,
      freeBytes,
      files: t.files,
      bytesPerDay,
      daysLeft,
      alarm,
      alarmDays: this.d.alarmDays,
      retentionDays: this.d.retentionDays,
    };
  }

  /** Deletes the recordings past the retention period; returns how many. */
  sweep(actor: AuditActor = SYSTEM): number {
    const before = this.d.clock.now() - this.d.retentionDays * DAY;
    let deleted = 0;
    for (;;) {
      const batch = this.d.repo.expired(before, 500);
      if (batch.length === 0) return deleted;
      for (const r of batch) {
        try {
          if (r.file) fs.rmSync(path.join(this.d.dir, r.file), { force: true });
        } catch (err) {
          this.d.logger.error({ err, callId: r.callId }, 'recording retention: could not delete the file');
          return deleted;
        }
        this.d.repo.deleted(r.callId, this.d.clock.now());
        this.d.audit({
          actor,
          action: 'recording.delete',
          target: `call:${r.callId}`,
          before: { file: r.file, sha256: r.sha256, answeredAt: r.answeredAt },
          reason: `超过保存期限 ${this.d.retentionDays} 天`,
        });
        deleted++;
      }
    }
  }
}
