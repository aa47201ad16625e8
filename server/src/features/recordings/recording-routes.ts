import fs from 'node:fs';
import express from 'express';
import {
  RecordingAudioQuerySchema,
  type RecordingPauseResult,
  type RecordingStorageView,
  type RecordingSweepResult,
} from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { RecordingService } from './recording-service.js';
import type { RecordingStorage } from './recording-storage.js';

export interface RecordingRouteDeps {
  recordings: RecordingService;
  storage: RecordingStorage;
  requireUser: RequireUser;
}

const MIME: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav' };

/** A byte range of `size` bytes from a Range header (one range), or null for the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

/** docs/recordings.md: metadata, the audio (Range, audited), the seat's pause, storage and retention. */
export function createRecordingRouter(deps: RecordingRouteDeps): express.Router {
  const { recordings, storage, requireUser } = deps;
  const r = express.Router();

  r.get(
    '/calls/:id/recording',
    requireUser(),
    route((req, res) => ok(res, recordings.view(userOf(req), String(req.params.id)))),
  );

  r.get(
    '/calls/:id/recording/audio',
    requireUser(),
    route((req, res) => {
      const q = parseOrThrow(RecordingAudioQuerySchema, req.query);
      const download = q.download === '1';
      const range = req.headers.range;
      const firstChunk = !range || /^bytes=0-/.test(range.trim());
      const callId = String(req.params.id);
      const f = recordings.openAudio(userOf(req), callId, { download, reason: q.reason ?? '', firstChunk });
      const size = fs.statSync(f.file).size;
      res.setHeader('Content-Type', MIME[f.format] ?? 'application/octet-stream');
      res.setHeader('Accept-Ranges', 'bytes');
      if (download) res.setHeader('Content-Disposition', `attachment; filename="recording-${encodeURIComponent(callId)}.${f.format}"`);
      const span = parseRange(range, size);
      if (span === 'invalid') {
        res.status(416).setHeader('Content-Range', `bytes */${size}`).end();
        return;
      }
      if (span) {
        res.status(206);
        res.setHeader('Content-Range', `bytes ${span.start}-${span.end}/${size}`);
        res.setHeader('Content-Length', String(span.end - span.start + 1));
        fs.createReadStream(f.file, { start: span.start, end: span.end }).pipe(res);
        return;
      }
      res.setHeader('Content-Length', String(size));
      fs.createReadStream(f.file).pipe(res);
    }),
  );

  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    r.post(
      `/calls/:id/recording/${verb}`,
      requireUser('seat:console'),
      route(async (req, res) => {
        const callId = String(req.params.id);
        const now = await recordings.setPaused(userOf(req), callId, paused);
        ok<RecordingPauseResult>(res, { callId, paused: now });
      }),
    );
  }

  r.get(
    '/recordings/storage',
    requireUser('recordings:admin'),
    route((_req, res) => ok<RecordingStorageView>(res, storage.view())),
  );

  r.post(
    '/recordings/retention/sweep',
    requireUser('recordings:admin'),
    route((req, res) => {
      const u = userOf(req);
      ok<RecordingSweepResult>(res, { deleted: storage.sweep({ id: u.id, username: u.username, role: u.role }) });
    }),
  );

  return r;
}
