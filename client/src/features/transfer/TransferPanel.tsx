import { useState } from 'react';
import type { TransferTarget } from '../../contract';
import { transfers } from '../../app/root';
import { useAppStore } from '../../app/store';
import { Handover12345Status } from '../handover/Handover12345Status';

type Tab = 'category' | 'seat';

/**
 * 转接: to another specialty's queue or a named seat, directly (直接转接) or after talking to
 * the target first (咨询转接), or to the 12345 hotline (转12345: the work order goes with the
 * caller; its state is shown, and after a failed transfer the seat may retry or book a call-back).
 */
export function TransferPanel() {
  const seat = useAppStore((s) => s.seat);
  const active = useAppStore((s) => s.phone.active);
  const t = useAppStore((s) => s.transfer);
  const consult = useAppStore((s) => s.phone.consult);
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('category');
  const [picked, setPicked] = useState<TransferTarget | null>(null);

  const callId = seat?.state.kind === 'talking' ? seat.state.callId : null;
  const working = t.phase === 'starting' || t.phase === 'referring';

  if (t.consultedBy) {
    const c = t.consultedBy;
    return (
      <div className="transfer-box transfer-consulted" role="status">
        <strong>{c.fromSeatName}</strong> 正在向您咨询,稍后可能将来电转给您。
      </div>
    );
  }

  if (t.phase === 'consulting' && t.current) {
    const name = t.current.target.kind === '12345' ? '12345 坐席' : (t.current.targetSeatName ?? '目标坐席');
    return (
      <div className="transfer-box" role="group" aria-label="咨询转接">
        <p>
          {consult?.answeredAt
            ? `正在与 ${name} 咨询,来电人保持中。`
            : consult
              ? `正在呼叫 ${name}…`
              : `与 ${name} 的咨询已结束,来电人保持中。`}
        </p>
        <div className="action-row">
          <button className="btn btn-primary" onClick={() => void transfers.complete()}>
            完成转接
          </button>
          <button className="btn btn-ghost" onClick={() => void transfers.cancel()}>
            取消,回到来电人
          </button>
        </div>
      </div>
    );
  }

  const handoverId = t.current?.target.kind === '12345' ? (t.current.handoverId ?? null) : null;
  const to12345 = handoverId && (t.phase === 'done' || t.phase === 'failed') ? <Handover12345Status id={handoverId} /> : null;

  if (!callId || !active) {
    return t.phase === 'done' ? (
      <div className="transfer-box muted" role="status">
        <p>已转出,请填写本次通话小结。</p>
        {to12345}
      </div>
    ) : null;
  }

  const openPanel = () => {
    setOpen(true);
    setPicked(null);
    transfers.dismiss();
    void transfers.loadTargets();
  };

  if (!open) {
    return (
      <>
        <div className="action-row">
          <button className="btn" onClick={openPanel} disabled={working}>
            转接…
          </button>
          <button className="btn btn-ghost" disabled={working} onClick={() => void transfers.blind(callId, { kind: '12345' })}>
            {t.phase === 'referring' && handoverId ? '转12345中…' : handoverId && t.phase === 'failed' ? '重试转12345' : '转12345'}
          </button>
          <button
            className="btn btn-ghost"
            disabled={working}
            title="先保持来电人,与12345坐席通话说明情况,再转过去"
            onClick={() => void transfers.consult(callId, { kind: '12345' })}
          >
            先咨询12345
          </button>
        </div>
        {/* Why the transfer failed, or why the router refused 转12345 / 先咨询12345 before it began. */}
        {t.phase === 'failed' && t.error && (
          <p className="alert alert-error" role="alert">
            {t.error}
          </p>
        )}
        {to12345}
      </>
    );
  }

  const targets = t.targets;
  const isPicked = (x: TransferTarget) => JSON.stringify(x) === JSON.stringify(picked);
  return (
    <div
      className="transfer-box transfer-dialog"
      role="dialog"
      aria-label="转接来电"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !working) setOpen(false);
      }}
    >
      <h3>转接来电</h3>
      <div className="transfer-tabs" role="tablist">
        <button
          role="tab"
          aria-selected={tab === 'category'}
          className={tab === 'category' ? 'transfer-tab active' : 'transfer-tab'}
          onClick={() => setTab('category')}
        >
          专席队列
        </button>
        <button
          role="tab"
          aria-selected={tab === 'seat'}
          className={tab === 'seat' ? 'transfer-tab active' : 'transfer-tab'}
          onClick={() => setTab('seat')}
        >
          指定坐席
        </button>
      </div>
      {t.targetsError && <p className="alert alert-error">{t.targetsError}</p>}
      {!targets && !t.targetsError && <p className="muted">正在读取可转接的对象…</p>}
      {targets && (
        <ul className="transfer-list" aria-label={tab === 'category' ? '专席队列' : '坐席'}>
          {tab === 'category'
            ? targets.categories
                .filter((c) => c.loggedInSeats > 0)
                .map((c) => {
                  const target: TransferTarget = { kind: 'category', categoryId: c.id };
                  return (
                    <li key={c.id}>
                      <label>
                        <input type="radio" name="transfer-target" checked={isPicked(target)} onChange={() => setPicked(target)} />
                        {c.name}
                        <span className="muted" title="可接此来电的该专长坐席:就绪 / 在线">
                          就绪 {c.readySeats} / 在线 {c.loggedInSeats}
                        </span>
                      </label>
                    </li>
                  );
                })
            : targets.seats.map((x) => {
                const target: TransferTarget = { kind: 'seat', seatId: x.id };
                return (
                  <li key={x.id}>
                    <label>
                      <input
                        type="radio"
                        name="transfer-target"
                        checked={isPicked(target)}
                        onChange={() => setPicked(target)}
                        disabled={!x.registered}
                      />
                      {x.name}({x.staffNo})<span className="muted">{x.registered ? x.state : '话机未登记'}</span>
                    </label>
                  </li>
                );
              })}
        </ul>
      )}
      {t.error && (
        <p className="alert alert-error" role="alert">
          {t.error}
        </p>
      )}
      <div className="action-row">
        <button className="btn btn-primary" disabled={!picked || working} onClick={() => picked && void transfers.blind(callId, picked)}>
          {t.phase === 'referring' ? '转接中…' : '直接转接'}
        </button>
        <button className="btn" disabled={!picked || working} onClick={() => picked && void transfers.consult(callId, picked)}>
          先咨询再转
        </button>
        <button className="btn btn-ghost" disabled={working} onClick={() => setOpen(false)}>
          关闭
        </button>
      </div>
    </div>
  );
}
