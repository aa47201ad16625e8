import { useState, type ReactNode } from 'react';
import { Elapsed } from '../../shared/components/Elapsed';
import { useServerNow } from '../../shared/ticker';
import { phone } from '../../app/root';
import { useAppStore } from '../../app/store';
import type { PhoneState } from './slice';
import { assertNever } from '../../contract';
import { WrappedField } from '../../shared/components/Field';
import { formatDateTime } from '../../shared/format';

export interface SoftphoneProps {
  /** 转接: the transfer controls (another module) are rendered here when given. */
  transferSlot?: ReactNode;
}

const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** A computer without network cannot take calls whatever the last registration said. */
const offlineShown = (p: Pick<PhoneState, 'registration' | 'online'>) =>
  !p.online && p.registration !== 'off' && p.registration !== 'other-tab';

/** One plain sentence for where the phone is: one status, derived here only, that cannot contradict itself. */
export function registrationText(p: Pick<PhoneState, 'registration' | 'attempt' | 'online'>): string {
  if (offlineShown(p)) return '网络已断开,等待网络恢复…';
  switch (p.registration) {
    case 'off':
      return '软电话未启动';
    case 'connecting':
      return p.attempt > 0 ? `正在连接电话服务器…(第 ${p.attempt} 次重连)` : '正在连接电话服务器…';
    case 'registering':
      return '已连接电话服务器,正在登记…';
    case 'registered':
      return '电话已登记';
    case 'failed':
      return '电话未登记,暂时无法接听来电';
    case 'other-tab':
      return '电话已在另一个标签页登记';
    case 'elsewhere':
      return '电话已转到另一台电脑';
    default:
      return assertNever(p.registration, 'registration');
  }
}

function tone(p: PhoneState): string {
  if (offlineShown(p)) return 'tone-warn';
  if (p.registration === 'registered') return 'tone-ok';
  if (p.registration === 'failed') return 'tone-busy';
  if (p.registration === 'other-tab' || p.registration === 'elsewhere' || p.registration === 'off') return 'tone-muted';
  return 'tone-warn';
}

function RetryLine({ retryAt }: { retryAt: number }) {
  const now = useServerNow();
  const s = Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <span className="softphone-retry">
      {s > 0 ? `${s} 秒后自动重试` : '正在重试…'}
      <button type="button" className="link" onClick={() => phone.retryNow()}>
        立即重试
      </button>
    </span>
  );
}

function StatusBlock({ p }: { p: PhoneState }) {
  return (
    <div className="softphone-status">
      <p
        className={`softphone-registration ${tone(p)}`}
        role="status"
        aria-live="polite"
        data-registration={p.registration}
        data-online={p.online}
        data-credentials-until={p.credentialsExpireAt ?? undefined}
        title={p.credentialsExpireAt ? `登记凭据有效至 ${formatDateTime(p.credentialsExpireAt)},到期前自动续期` : undefined}
      >
        <span className="state-dot" aria-hidden="true" /> {registrationText(p)}
      </p>
      {p.registration === 'other-tab' && (
        <div className="softphone-other-tab">
          <p className="muted small">
            同一坐席只能在一个标签页使用电话,以免来电在两处同时振铃。若另一个标签页正在通话,接管会结束那里的通话。
          </p>
          <button type="button" className="btn btn-primary" onClick={() => phone.takeOver()}>
            在此页面使用电话
          </button>
        </div>
      )}
      {p.registration === 'elsewhere' && (
        <div className="softphone-elsewhere">
          <p className="alert alert-info">{p.elsewhere}</p>
          <p className="muted small">同一坐席只能在一台电脑使用电话,以免来电在两处同时振铃。在此电脑使用后,另一台电脑将停止振铃。</p>
          <button type="button" className="btn btn-primary" onClick={() => phone.takeBack()}>
            在此电脑使用电话
          </button>
        </div>
      )}
      {p.error && !offlineShown(p) && (
        <p className="alert alert-error inline-error" role="alert">
          <span>{p.error}</span> {p.retryAt !== null && <RetryLine retryAt={p.retryAt} />}
        </p>
      )}
      {p.mediaError && (
        <p className="alert alert-error inline-error" role="alert">
          {p.mediaError}
        </p>
      )}
      {p.notice && (
        <p className="alert alert-info" role="status">
          <span>{p.notice}</span>{' '}
          <button type="button" className="link" onClick={() => phone.dismissNotice()}>
            知道了
          </button>
        </p>
      )}
    </div>
  );
}

/** The server says this seat is talking, but this page holds no audio for that call. */
function OrphanCall({ p }: { p: PhoneState }) {
  const talkingId = useAppStore((s) => (s.seat?.state.kind === 'talking' ? s.seat.state.callId : null));
  const seatKnown = useAppStore((s) => s.seat !== null);
  if (!seatKnown) return null;
  if (p.lostCallId && p.lostCallId !== talkingId && !p.active) {
    return (
      <p className="alert alert-info" role="status">
        <span>页面刷新或关闭时,正在进行的通话已挂断(网页电话的通话无法跨页面保留)。</span>{' '}
        <button type="button" className="link" onClick={() => phone.dismissNotice()}>
          知道了
        </button>
      </p>
    );
  }
  if (!talkingId || p.active || p.registration === 'other-tab' || p.registration === 'elsewhere') return null;
  const reloaded = p.lostCallId === talkingId;
  return (
    <p className="alert alert-error" role="alert">
      {reloaded
        ? '页面刷新后,刷新前的通话音频已经断开,浏览器无法恢复该通话。服务器仍显示通话中,来电方挂机后会自动结束;如需立即结束,请联系班长。'
        : '服务器显示您正在通话,但本页面没有这通电话的音频(可能在其他标签页或刷新前接听)。'}
    </p>
  );
}

function Incoming({ p }: { p: PhoneState }) {
  const incoming = p.incoming!;
  // A queue call is answered from the screen pop (one pair of buttons on the page); a call the
  // router did not offer (a colleague consulting before a transfer) is answered here.
  const queueCall = useAppStore((s) => s.seat?.state.kind === 'ringing' && s.seat.state.callId === incoming.sipCallId);
  if (queueCall) {
    return (
      <div className="softphone-incoming" role="group" aria-label="来电">
        <p className="softphone-line">
          <strong>来电振铃</strong> <span className="mono">{incoming.remote}</span>
        </p>
        <p className="muted">请在来电弹屏接听或拒接(F8 接听)</p>
      </div>
    );
  }
  return (
    <div className="softphone-incoming" role="group" aria-label="来电">
      <p className="softphone-line">
        <strong>内部来电(同事咨询)</strong>
      </p>
      <div className="action-row">
        <button type="button" className="btn btn-answer" disabled={incoming.answering} onClick={() => phone.answer()}>
          {incoming.answering ? '正在接通…' : '接听'}
        </button>
        <button type="button" className="btn btn-decline" disabled={incoming.answering} onClick={() => phone.decline()}>
          拒接
        </button>
      </div>
    </div>
  );
}

function Keypad() {
  const [sent, setSent] = useState('');
  return (
    <div className="softphone-keypad" role="group" aria-label="拨号盘">
      <div className="mono softphone-dtmf-sent" aria-live="polite">
        {sent || '\u00a0'}
      </div>
      <div className="softphone-keys" style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 3rem)', gap: '0.25rem' }}>
        {DTMF_KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className="btn btn-small btn-ghost"
            aria-label={`按键 ${k}`}
            onClick={() => {
              phone.sendDtmf(k);
              setSent((s) => (s + k).slice(-16));
            }}
          >
            {k}
          </button>
        ))}
      </div>
    </div>
  );
}

function Active({ p }: { p: PhoneState }) {
  const active = p.active!;
  const [keypad, setKeypad] = useState(false);
  return (
    <div className="softphone-active" role="group" aria-label="通话控制">
      <p className="softphone-line">
        <strong>{active.held ? '通话保持中' : '通话中'}</strong> <Elapsed since={active.answeredAt} className="call-timer-value" />
        {active.muted && <span className="badge"> 已静音</span>}
      </p>
      <div className="action-row">
        <button type="button" className="btn btn-ghost" aria-pressed={active.muted} onClick={() => phone.toggleMute()}>
          {active.muted ? '取消静音' : '静音'}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          aria-pressed={active.held}
          disabled={active.holdPending}
          onClick={() => phone.toggleHold()}
        >
          {active.holdPending ? '处理中…' : active.held ? '恢复通话' : '保持'}
        </button>
        <button type="button" className="btn btn-ghost" aria-expanded={keypad} onClick={() => setKeypad((k) => !k)}>
          拨号盘
        </button>
        <button type="button" className="btn btn-danger" onClick={() => phone.hangup()}>
          挂断
        </button>
      </div>
      {keypad && <Keypad />}
      {p.transferring && <p className="muted small">正在转接,等待对方确认…</p>}
    </div>
  );
}

function Devices({ p }: { p: PhoneState }) {
  const d = p.devices;
  return (
    <details className="softphone-devices">
      <summary>音频设备</summary>
      <WrappedField label="麦克风">
        <select value={d.inputId ?? ''} onChange={(e) => phone.selectInput(e.target.value || null)}>
          <option value="">系统默认</option>
          {d.inputs.map((x) => (
            <option key={x.deviceId} value={x.deviceId}>
              {x.label}
            </option>
          ))}
          {d.inputId && !d.inputs.some((x) => x.deviceId === d.inputId) && <option value={d.inputId}>上次选择的麦克风(未连接)</option>}
        </select>
      </WrappedField>
      <WrappedField label="扬声器">
        <select value={d.outputId ?? ''} disabled={!d.canSelectOutput} onChange={(e) => phone.selectOutput(e.target.value || null)}>
          <option value="">系统默认</option>
          {d.outputs.map((x) => (
            <option key={x.deviceId} value={x.deviceId}>
              {x.label}
            </option>
          ))}
          {d.outputId && !d.outputs.some((x) => x.deviceId === d.outputId) && <option value={d.outputId}>上次选择的扬声器(未连接)</option>}
        </select>
      </WrappedField>
      {!d.canSelectOutput && <p className="muted small">此浏览器不支持选择扬声器,声音从系统默认设备播放。</p>}
    </details>
  );
}

/**
 * 软电话 on the seat workbench: registration in plain words, the ringing call (接听/拒接), the call
 * controls (talk timer, 静音, 保持, 拨号盘, 挂断), the consultation call, the 转接 slot, and the
 * microphone and speaker pickers. Everything goes through the phone controller (app/root.ts `phone`).
 */
export function Softphone(props: SoftphoneProps) {
  const p = useAppStore((s) => s.phone);
  return (
    <section className="panel softphone" aria-label="软电话">
      <h2 className="panel-title">软电话</h2>
      <StatusBlock p={p} />
      <OrphanCall p={p} />
      {p.incoming && <Incoming p={p} />}
      {p.active ? <Active p={p} /> : !p.incoming && !p.consult && p.registration === 'registered' && <p className="muted">暂无通话</p>}
      {p.consult && (
        <div className="softphone-consult" role="group" aria-label="咨询通话">
          <p>
            咨询通话:
            {p.consult.answeredAt !== null ? (
              <>
                通话中 <Elapsed since={p.consult.answeredAt} />
              </>
            ) : (
              '正在呼叫…'
            )}
            {!p.active && '(来电方已挂机)'}
          </p>
          <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => phone.hangupConsult()}>
            挂断咨询
          </button>
        </div>
      )}
      {/* 转接: filled by the transfer module (TransferPanel); it decides what fits the call's state. */}
      <div className="softphone-transfer" role="group" aria-label="转接">
        {props.transferSlot ?? <div data-slot="transfer" />}
      </div>
      {p.registration !== 'other-tab' && p.registration !== 'elsewhere' && p.registration !== 'off' && <Devices p={p} />}
    </section>
  );
}
