import { describe, expect, it } from 'vitest';
import type { CallSummaryInput } from '../../../client/src/contract';
import { call, seat, T0 } from '../support/fixtures';
import { filedView, settle, summaryRig } from '../support/summary-fakes';

const input: CallSummaryInput = {
  categoryId: 'labor',
  topic: '拖欠工资',
  question: '公司三个月没发工资',
  answer: '可申请劳动仲裁',
  disposition: 'answered',
  referral: '',
  followUpAt: null,
  riskFlag: false,
  riskNote: '',
  knowledgeIds: [],
};

/** A seat that talked on c1, typed part of the summary here, and has moved on (ready again). */
async function earlierCallUnfiled() {
  const rig = summaryRig();
  rig.controller.attach();
  const s = rig.store.getState();
  s.applyCall(call({ state: { kind: 'talking', since: T0, seatId: 's01' } }));
  s.applySeat(seat({ kind: 'talking', since: T0, callId: 'c1' }));
  await settle();
  rig.controller.edit({ topic: '拖欠' });
  s.applySeat(seat({ kind: 'ready', since: T0 + 60_000 }));
  return rig;
}

describe('summary: in step across tabs and computers', () => {
  it('when the summary is filed on another computer, should show it filed here without a reload and drop this browser’s copy', async () => {
    const rig = await earlierCallUnfiled();
    expect(rig.work()?.filed).toBeNull();
    expect(rig.storage.map.size).toBe(1);

    rig.controller.filedElsewhere(filedView('c1', input, T0 + 90_000));

    expect(rig.work()).toMatchObject({ callId: 'c1', sync: 'idle', error: null, filed: { revision: 1, topic: '拖欠工资' } });
    expect(rig.work()?.draft.topic).toBe('拖欠工资');
    expect(rig.storage.map.size).toBe(0);
    // The typing left here is not sent over the filed summary.
    await rig.timers.advance(10_000);
    expect(rig.server.saves).toHaveLength(0);
  });

  it('when a summary is amended on another computer, should show the new revision', async () => {
    const rig = await earlierCallUnfiled();
    rig.controller.filedElsewhere(filedView('c1', input, T0 + 90_000));
    rig.controller.filedElsewhere({
      ...filedView('c1', { ...input, answer: '先协商,再申请劳动仲裁' }, T0 + 90_000, 2),
      updatedAt: T0 + 120_000,
    });
    expect(rig.work()?.filed).toMatchObject({ revision: 2, answer: '先协商,再申请劳动仲裁' });
  });

  it('when a summary of a call not open here is filed elsewhere, should drop this browser’s copy of its draft', async () => {
    const rig = summaryRig();
    rig.drafts.write('seat01', {
      v: 1,
      callId: 'c9',
      draft: { topic: '残留' },
      editedAt: T0,
      dirty: true,
      serverSavedAt: null,
      sentEditedAt: null,
      reported: null,
    });
    rig.controller.filedElsewhere(filedView('c9', input, T0 + 1_000));
    expect(rig.storage.map.size).toBe(0);
    expect(rig.work()).toBeNull();
  });
});
