import { z } from 'zod';
import { charCount, line } from './fields.js';

/** Why a call has no playable recording (RecordingView.reason). */
export const RECORDING_MISSING_REASONS = [
  'not-recorded-category',
  'recording-off',
  'not-answered',
  'in-progress',
  'file-missing',
  'checksum-mismatch',
  'daemon-failure',
  'expired',
] as const;
export type RecordingMissingReason = (typeof RECORDING_MISSING_REASONS)[number];

/** A span of the recording's timeline, in ms from the answer. */
export interface RecordingSpan {
  fromMs: number;
  toMs: number;
}

/** GET /api/calls/:callId/recording (docs/recordings.md). */
export interface RecordingView {
  callId: string;
  available: boolean;
  durationMs: number | null;
  sizeBytes: number | null;
  sha256Ok: boolean | null;
  format: 'mp3' | 'wav' | null;
  pauses: RecordingSpan[];
  holds: RecordingSpan[];
  reason: RecordingMissingReason | null;
  /** The calls a transfer links to this one, each with its own recording (newest field; may be empty). */
  linked: { callId: string; relation: 'transferred-from' | 'transferred-to' }[];
  /**
   * The seat's consultations during the call (咨询: another seat, or 12345), recorded and mixed into
   * this file at their time (both parties in both channels; the caller is on hold meanwhile).
   */
  consultations: (RecordingSpan & { seatId: string; to: string })[];
}

/** GET /api/recordings/storage: the recording directory's disk, for administrators. */
export interface RecordingStorageView {
  dir: string;
  usedBytes: number;
  freeBytes: number;
  files: number;
  /** Average bytes written per day over the last 7 days. */
  bytesPerDay: number;
  /** Days until the disk is full at that rate (null when nothing is written). */
  daysLeft: number | null;
  /** daysLeft below RECORDING_ALARM_DAYS, or free space below 5 %. */
  alarm: boolean;
  alarmDays: number;
  retentionDays: number;
}

export interface RecordingSweepResult {
  deleted: number;
}

/** ?download=1&reason=...: a download needs a reason (audited). */
export const RecordingAudioQuerySchema = z
  .object({
    download: z.enum(['0', '1']).optional(),
    reason: line('下载原因', 200).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.download === '1' && charCount(q.reason ?? '') < 2) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '下载录音必须填写原因（至少 2 个字）' });
    }
  });

/** POST /api/calls/:callId/recording/pause and /resume: the seat's pause button. */
export interface RecordingPauseResult {
  callId: string;
  paused: boolean;
}
