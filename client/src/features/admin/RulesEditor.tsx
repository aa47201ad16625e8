import { useEffect, useState } from 'react';
import {
  CALLER_FLAG_LABELS,
  CALLER_FLAGS,
  configVersion,
  OVERFLOW_TRIGGER_LABELS,
  OVERFLOW_TRIGGERS,
  type RoutingRulesView,
} from '../../contract';
import { adminApi, refusalLines } from './admin-api';
import { SaveNote, type SaveResult } from './SaveNote';

const TARGET_LABELS: Record<string, string> = { city: '市中心', '12345': '12345', callback: '回电' };
const TARGET_IDS: Record<string, string> = { 市中心: 'city', 回电: 'callback' };

/** Number fields as typed: '' stays '' (null where the rule allows "不启用"). */
type Draft = Record<string, string>;

const NUMBER_FIELDS: { key: string; label: string; nullable?: boolean }[] = [
  { key: 'ringTimeoutS', label: '振铃超时(秒)' },
  { key: 'maxOfferAttempts', label: '最多振铃次数' },
  { key: 'wrapUp.seconds', label: '话后整理(秒)' },
  { key: 'wrapUp.extendS', label: '每次延长(秒)' },
  { key: 'wrapUp.maxExtensions', label: '最多延长次数' },
  { key: 'defaultPolicy.initialMinProficiency', label: '初始熟练度要求(1-5)' },
  { key: 'defaultPolicy.lowerProficiencyAfterS', label: '等待多久降低熟练度(秒,空=不启用)', nullable: true },
  { key: 'defaultPolicy.expandedMinProficiency', label: '扩展后熟练度要求(1-5)' },
  { key: 'defaultPolicy.generalAfterS', label: '等待多久转综合坐席(秒,空=不启用)', nullable: true },
  { key: 'defaultPolicy.cityAfterS', label: '区县来电等待多久转市中心(秒,空=不启用)', nullable: true },
  { key: 'defaultPolicy.countyAfterS', label: '市中心来电等待多久转区县(秒,空=不启用)', nullable: true },
  { key: 'defaultPolicy.maxWaitS', label: '最长排队(秒)' },
  { key: 'defaultPolicy.stickyWindowS', label: '熟客优先时段(秒)' },
];

function read(rules: RoutingRulesView, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], rules);
  return typeof v === 'number' ? String(v) : '';
}

function toDraft(r: RoutingRulesView): Draft {
  const d: Draft = {};
  for (const f of NUMBER_FIELDS) d[f.key] = read(r, f.key);
  for (const t of OVERFLOW_TRIGGERS) d[`overflow.${t}`] = r.defaultPolicy.overflow[t].map((x) => TARGET_LABELS[x] ?? x).join(',');
  for (const f of CALLER_FLAGS) d[`flag.${f}`] = String(r.flagPriorities[f] ?? '');
  return d;
}

const num = (v: string | undefined, nullable = false): number | null => {
  const t = (v ?? '').trim();
  if (t === '') return nullable ? null : Number.NaN;
  return Number(t);
};

function fromDraft(d: Draft, base: RoutingRulesView): RoutingRulesView {
  const n = (k: string) => num(d[k]) as number;
  const nn = (k: string) => num(d[k], true);
  const targets = (t: string) =>
    (d[`overflow.${t}`] ?? '')
      .split(/[,,\s]+/)
      .filter(Boolean)
      .map((x) => TARGET_IDS[x] ?? x);
  const flagPriorities: Record<string, number> = {};
  for (const f of CALLER_FLAGS) if ((d[`flag.${f}`] ?? '').trim() !== '') flagPriorities[f] = n(`flag.${f}`);
  return {
    ringTimeoutS: n('ringTimeoutS'),
    maxOfferAttempts: n('maxOfferAttempts'),
    wrapUp: {
      seconds: n('wrapUp.seconds'),
      extendS: n('wrapUp.extendS'),
      maxExtensions: n('wrapUp.maxExtensions'),
      requireSummary: base.wrapUp.requireSummary,
    },
    defaultPolicy: {
      ...base.defaultPolicy,
      initialMinProficiency: n('defaultPolicy.initialMinProficiency'),
      lowerProficiencyAfterS: nn('defaultPolicy.lowerProficiencyAfterS'),
      expandedMinProficiency: n('defaultPolicy.expandedMinProficiency'),
      generalAfterS: nn('defaultPolicy.generalAfterS'),
      cityAfterS: nn('defaultPolicy.cityAfterS'),
      countyAfterS: nn('defaultPolicy.countyAfterS'),
      maxWaitS: n('defaultPolicy.maxWaitS'),
      stickyWindowS: n('defaultPolicy.stickyWindowS'),
      overflow: Object.fromEntries(OVERFLOW_TRIGGERS.map((t) => [t, targets(t)])) as RoutingRulesView['defaultPolicy']['overflow'],
    },
    flagPriorities,
  };
}

/** 路由规则: expansion steps, ring timeout, offers, wrap-up, overflow order and flag priorities. */
export function RulesEditor() {
  const [base, setBase] = useState<RoutingRulesView | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [summary, setSummary] = useState(true);
  const [result, setResult] = useState<SaveResult>(null);
  const [busy, setBusy] = useState(false);
  const load = (r: RoutingRulesView) => {
    setBase(r);
    setDraft(toDraft(r));
    setSummary(r.wrapUp.requireSummary);
  };
  useEffect(() => {
    void adminApi.rules().then((ack) => (ack.ok ? load(ack.data) : setResult({ ok: false, lines: refusalLines(ack.error) })));
  }, []);
  if (!base) return <SaveNote result={result} />;
  const field = (key: string, label: string) => (
    <label key={key}>
      {label}
      <input value={draft[key] ?? ''} inputMode="numeric" onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
    </label>
  );
  const save = async () => {
    setBusy(true);
    setResult(null);
    const rules = fromDraft(draft, base);
    const ack = await adminApi.saveRules({ ...rules, wrapUp: { ...rules.wrapUp, requireSummary: summary } }, configVersion(base));
    setBusy(false);
    if (ack.ok) {
      load(ack.data);
      setResult({ ok: true });
    } else setResult({ ok: false, lines: refusalLines(ack.error) });
  };
  return (
    <form
      className="panel admin-section"
      aria-label="路由规则"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="panel-title">路由规则</h2>
      <fieldset className="admin-fields">
        <legend>振铃、扩展与话后整理</legend>
        {NUMBER_FIELDS.map((f) => field(f.key, f.label))}
        <label className="check">
          <input type="checkbox" checked={summary} onChange={(e) => setSummary(e.target.checked)} />
          提交小结后才能结束话后整理
        </label>
      </fieldset>
      <fieldset className="admin-fields">
        <legend>溢出去向(按顺序,逗号分隔:市中心、12345、回电)</legend>
        {OVERFLOW_TRIGGERS.map((t) => field(`overflow.${t}`, OVERFLOW_TRIGGER_LABELS[t]))}
      </fieldset>
      <fieldset className="admin-fields">
        <legend>特殊人群优先级(0-100,越大越先接)</legend>
        {CALLER_FLAGS.map((f) => field(`flag.${f}`, CALLER_FLAG_LABELS[f]))}
      </fieldset>
      <div className="admin-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存
        </button>
      </div>
      <SaveNote result={result} />
    </form>
  );
}
