import { maskNumber, OUTBOUND_PURPOSE_LABELS, OUTBOUND_RESULT_LABELS } from '../../contract/index.js';
import { outboundDurations } from '../../domain/stats/outbound.js';
import type { OutboundCallRow } from '../satisfaction/satisfaction-service.js';
import { localTime, secs, type Cell, type CallRowContext } from './export-format.js';

/** The 外呼话单 columns, in order (the inbound 话单's columns stay as they are). */
export const OUTBOUND_CALL_COLUMNS = [
  '外呼编号',
  '方向',
  '用途',
  '回访任务',
  '外呼坐席',
  '被叫号码',
  '所属中心',
  '咨询类别',
  '开始时间',
  '接通时间',
  '结束时间',
  '结果',
  'SIP 代码',
  '振铃(秒)',
  '通话(秒)',
  '挂断方',
] as const;

const HUNG_UP = { seat: '坐席', callee: '被叫' } as const;

/** One outbound call as cells: the number masked unless `unmask` (calls:unmask, audited). */
export function outboundCallCells(r: OutboundCallRow, ctx: CallRowContext): Cell[] {
  const d = outboundDurations(r);
  const t = (at: number | null) => (at === null ? '' : localTime(at + ctx.utcOffsetMinutes * 60_000));
  return [
    r.id,
    '外呼',
    OUTBOUND_PURPOSE_LABELS.visit,
    r.taskId,
    ctx.seat(r.seatId),
    ctx.unmask ? r.callee : maskNumber(r.callee),
    ctx.centre(r.centreId),
    ctx.category(r.categoryId),
    t(r.startedAt),
    t(r.answeredAt),
    t(r.endedAt),
    OUTBOUND_RESULT_LABELS[r.result ?? 'in-progress'],
    r.sipCode,
    secs(d.ringMs),
    secs(d.talkMs),
    r.hungUpBy ? HUNG_UP[r.hungUpBy] : '',
  ];
}
