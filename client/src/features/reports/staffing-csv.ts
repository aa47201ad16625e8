import type { StaffingPlanView } from '../../contract';

const DAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** The staffing plan as CSV (UTF-8 with BOM; every cell is a number or a fixed label). */
export function staffingCsv(plan: StaffingPlanView): string {
  const lines = [
    '星期,时段,每小时来电,平均处理(秒),所需坐席(Erlang C),预计服务水平(%),所需坐席(Erlang A),预计服务水平 Erlang A(%),计划坐席,平均在线坐席',
  ];
  for (const s of plan.slots) {
    lines.push(
      [
        `星期${DAYS[s.weekday - 1]}`,
        s.from,
        s.callsPerHour.toFixed(1),
        s.ahtSeconds === null ? '' : s.ahtSeconds.toFixed(0),
        s.required,
        s.predictedSL === null ? '' : (s.predictedSL * 100).toFixed(1),
        s.requiredA ?? '',
        s.predictedSLA === null ? '' : (s.predictedSLA * 100).toFixed(1),
        s.planned,
        s.signedIn.toFixed(1),
      ].join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
