import type { RecordingMissingReason } from '../../contract';

export const MISSING_TEXT: Record<RecordingMissingReason, string> = {
  'not-recorded-category': '该类别来电不录音',
  'recording-off': '本系统未开启录音',
  'not-answered': '未接通，没有录音',
  'in-progress': '通话进行中，挂机后可收听',
  'file-missing': '录音文件缺失（已记录，请联系系统管理员）',
  'checksum-mismatch': '录音文件校验不符，可能已被改动（已记录，不能播放）',
  'daemon-failure': '录音进程故障，本通电话未录下',
  expired: '录音已超过保存期限并删除',
};

/** mm:ss of a millisecond offset. */
export const offset = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export const formatBytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
