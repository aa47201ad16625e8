import { reportDefinitions } from '../../contract';

/** 口径说明: the figures' definitions, the same list as the monthly workbook's 口径说明 sheet (contract/report-definitions.ts). */
export function Definitions({ thresholdS, shortAbandonS }: { thresholdS: number; shortAbandonS: number }) {
  const rows = reportDefinitions(thresholdS, shortAbandonS);
  return (
    <section className="panel report-definitions">
      <h2 className="panel-title">口径说明</h2>
      <dl>
        {rows.map(([term, text]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
