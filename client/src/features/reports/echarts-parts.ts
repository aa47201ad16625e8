import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use as registerEcharts } from 'echarts/core';

/**
 * The chart types and components the report draws (tree-shaken), loaded after ECharts' core so
 * neither chunk passes the bundle's size limit.
 */
export function registerReportCharts(): void {
  registerEcharts([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent]);
}
