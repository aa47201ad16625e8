import type { ReactNode } from 'react';

export interface SoftphoneProps {
  /** 转接: the transfer controls (another module) are rendered here when given. */
  transferSlot?: ReactNode;
}

/** 软电话 on the seat workbench. Placeholder; registration, answer, hold, mute and DTMF follow. */
export function Softphone(props: SoftphoneProps) {
  return (
    <section className="panel softphone" aria-label="软电话">
      <h2 className="panel-title">软电话</h2>
      <p className="muted">软电话正在接入。</p>
      <div className="softphone-transfer" aria-label="转接">
        {props.transferSlot ?? <div data-slot="transfer" />}
      </div>
    </section>
  );
}
