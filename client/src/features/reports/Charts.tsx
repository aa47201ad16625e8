import { init, use as registerEcharts, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { memo, useEffect, useRef } from 'react';
import type { ReportView, StaffingPlanView } from '../../contract';

// SVG so the 打印 view prints sharp vectors; the chart types follow in their own chunk.
registerEcharts([SVGRenderer]);
const partsReady = import('./echarts-parts').then((m) => m.registerReportCharts());

function Chart({ option, label }: { option: EChartsCoreOption; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let chart: ReturnType<typeof init> | null = null;
    let gone = false;
    const resize = () => chart?.resize();
    void partsReady.then(() => {
      if (gone) return;
      chart = init(el, undefined, { renderer: 'svg' });
      // No animation: the 打印 view and screenshots get the finished chart.
      chart.setOption({ animation: false, ...option });
    });
    window.addEventListener('resize', resize);
    window.addEventListener('beforeprint', resize);
    return () => {
      gone = true;
      window.removeEventListener('resize', resize);
      window.removeEventListener('beforeprint', resize);
      chart?.dispose();
    };
  }, [option]);
  return (
    <figure className="report-chart-box">
      <figcaption>{label}</figcaption>
      <div ref={ref} className="report-chart" role="img" aria-label={label} />
    </figure>
  );
}

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** 统计报表's charts: volume and service level by interval, answer-time distribution, category mix, seats. */
export const ReportCharts = memo(function ReportCharts({ report }: { report: ReportView }) {
  const slots = report.byInterval.filter((r) => r.figures.entered + r.figures.afterHours > 0);
  const volume: EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 48, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: slots.map((r) => r.key) },
    yAxis: [
      { type: 'value', name: '通' },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      { name: '呼入', type: 'bar', data: slots.map((r) => r.figures.offered) },
      { name: '接通', type: 'bar', data: slots.map((r) => r.figures.answered) },
      { name: '服务水平(%)', type: 'line', yAxisIndex: 1, data: slots.map((r) => pct(r.figures.serviceLevel)) },
    ],
  };
  const b = report.waitBucketsS;
  const waits: EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: report.waitDistribution.map((_, i) => (i < b.length ? `≤${b[i]}秒` : `>${b[b.length - 1]}秒`)) },
    yAxis: { type: 'value', name: '通' },
    series: [{ name: '接通', type: 'bar', data: report.waitDistribution }],
  };
  const mix: EChartsCoreOption = {
    tooltip: { trigger: 'item', formatter: '{b}: {c} 通 ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        top: 24,
        data: report.byCategory.filter((c) => c.figures.entered > 0).map((c) => ({ name: c.label, value: c.figures.entered })),
      },
    ],
  };
  const days = report.byDay;
  const trend: EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 48, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: days.map((d) => d.key.slice(5)) },
    yAxis: [
      { type: 'value', name: '通' },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      { name: '呼入', type: 'line', data: days.map((d) => d.figures.offered) },
      { name: '接通率(%)', type: 'line', yAxisIndex: 1, data: days.map((d) => pct(d.figures.answerRate)) },
    ],
  };
  const seats = [...report.bySeat].sort((a, c) => c.figures.answered - a.figures.answered).slice(0, 20);
  const seatChart: EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 48, top: 24, bottom: 72 },
    xAxis: { type: 'category', data: seats.map((s) => s.label), axisLabel: { rotate: 40 } },
    yAxis: [
      { type: 'value', name: '通' },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      { name: '接通', type: 'bar', data: seats.map((s) => s.figures.answered) },
      { name: '未接振铃', type: 'bar', data: seats.map((s) => s.missedBySeat) },
      { name: '占用率(%)', type: 'line', yAxisIndex: 1, data: seats.map((s) => pct(s.occupancy)) },
    ],
  };
  return (
    <div className="report-charts">
      <Chart option={volume} label="各时段来电量与服务水平" />
      <Chart option={trend} label="每日来电与接通率" />
      <Chart option={waits} label="应答时长分布" />
      <Chart option={mix} label="咨询类别构成" />
      <Chart option={seatChart} label="坐席对比" />
    </div>
  );
});

/** 排班建议's chart: seats needed, planned and signed in over the 336 half hours of the week. */
export const StaffingChart = memo(function StaffingChart({ plan }: { plan: StaffingPlanView }) {
  const labels = plan.slots.map((s) => `周${'一二三四五六日'[s.weekday - 1]} ${s.from}`);
  const option: EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 47 } },
    yAxis: { type: 'value', name: '坐席' },
    series: [
      { name: '所需坐席(Erlang C)', type: 'bar', data: plan.slots.map((s) => s.required) },
      ...(plan.patienceSeconds === null
        ? []
        : [{ name: '所需坐席(Erlang A)', type: 'line', step: 'end', symbol: 'none', data: plan.slots.map((s) => s.requiredA) }]),
      { name: '计划坐席', type: 'line', step: 'end', symbol: 'none', data: plan.slots.map((s) => s.planned) },
      { name: '平均在线', type: 'line', symbol: 'none', data: plan.slots.map((s) => Number(s.signedIn.toFixed(1))) },
    ],
  };
  return <Chart option={option} label="一周各时段所需、计划与在线坐席" />;
});
