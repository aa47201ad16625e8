import { formatClock } from '../../shared/format';
import type { SummaryWork } from './slice';
import { assertNever } from '../../contract';

/** "草稿已保存 14:03:22" / "保存中…" / "离线,已保存在本机" … */
export function draftStatusText(w: SummaryWork): { text: string; tone: 'ok' | 'busy' | 'warn' | 'muted' } {
  if (w.localFailed) return { text: '本机无法保存草稿,请暂勿关闭页面', tone: 'warn' };
  switch (w.sync) {
    case 'pending':
    case 'saving':
      return { text: '保存中…', tone: 'busy' };
    case 'saved':
      return { text: w.savedAt !== null ? `草稿已保存 ${formatClock(w.savedAt)}` : '草稿已保存', tone: 'ok' };
    case 'offline':
      return { text: w.syncError ? `${w.syncError},已保存在本机` : '离线,已保存在本机', tone: 'warn' };
    case 'failed':
      return { text: `草稿未能保存到服务器(${w.syncError ?? '未知原因'}),已保存在本机`, tone: 'warn' };
    case 'idle':
      if (w.loading) return { text: '正在读取草稿…', tone: 'muted' };
      return { text: w.savedAt !== null ? `草稿已保存 ${formatClock(w.savedAt)}` : '边听边记,内容自动保存', tone: 'muted' };
    default:
      return assertNever(w.sync, 'draft sync state');
  }
}
