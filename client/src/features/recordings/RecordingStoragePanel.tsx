import { useEffect, useState } from 'react';
import type { RecordingStorageView } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { formatBytes } from './labels';
import { defaultRecordingsApi, type RecordingsApi } from './recordings-api';

/** 录音存储 for administrators: disk in use, free, days left at the current rate, the alarm. */
export function RecordingStoragePanel({ api }: { api?: RecordingsApi }) {
  const [view, setView] = useState<RecordingStorageView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (api ?? defaultRecordingsApi()).storage().then((ack) => (ack.ok ? setView(ack.data) : setError(errorMessage(ack.error))));
  }, [api]);
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!view) return <p className="muted">正在读取录音存储…</p>;
  return (
    <section className="recording-storage" aria-label="录音存储">
      <h3>录音存储</h3>
      {view.alarm && (
        <p className="error" role="alert">
          录音存储空间不足：按目前速度只够 {view.daysLeft ?? 0} 天（告警阈值 {view.alarmDays} 天），请扩容或缩短保存期限。
        </p>
      )}
      <dl className="rec-storage">
        <dt>已用</dt>
        <dd>
          {formatBytes(view.usedBytes)}（{view.files} 个文件）
        </dd>
        <dt>剩余空间</dt>
        <dd>{formatBytes(view.freeBytes)}</dd>
        <dt>近 7 天日均</dt>
        <dd>{formatBytes(view.bytesPerDay)}</dd>
        <dt>预计可用天数</dt>
        <dd>{view.daysLeft === null ? '—' : `${view.daysLeft} 天`}</dd>
        <dt>保存期限</dt>
        <dd>{view.retentionDays} 天</dd>
      </dl>
    </section>
  );
}
