import type { ReactNode } from 'react';

/** A titled panel holding one scrollable table, with a count and an empty-state line. */
export function TablePanel(props: { title: string; count: number; head: ReactNode; empty: string; children: ReactNode }) {
  return (
    <section className="panel table-panel">
      <h2 className="panel-title">
        {props.title} <span className="count-pill">{props.count}</span>
      </h2>
      <div className="table-scroll">
        <table className="grid">
          <thead>{props.head}</thead>
          <tbody>{props.children}</tbody>
        </table>
        {props.count === 0 && <p className="empty">{props.empty}</p>}
      </div>
    </section>
  );
}
