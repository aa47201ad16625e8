import { describe, expect, it, vi } from 'vitest';
import { HANDOVER_DELIVERY_LABELS, HANDOVER_STATE_LABELS, type HandoverView } from '../../../client/src/contract';
import { createHandoverController, handoverSentence } from '../../../client/src/features/handover/controller';

const h = (over: Partial<HandoverView> = {}): HandoverView => ({
  id: 'ho-1',
  direction: 'to-12345',
  callId: 'c1',
  seatId: 's03',
  ticket: null,
  state: 'pending',
  detail: '',
  delivery: 'queued',
  attempts: 0,
  lastError: null,
  nextAttemptAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const labels = { state: HANDOVER_STATE_LABELS, delivery: HANDOVER_DELIVERY_LABELS };

describe('转12345 as the seat reads it', () => {
  it('says whether the caller reached 12345 and whether 12345 has the work order', () => {
    expect(handoverSentence(h({ state: 'connected', delivery: 'accepted' }), labels)).toBe('转接:已接通12345;工单:12345 已接收');
    expect(handoverSentence(h({ state: 'not-connected', detail: '486 Busy Here', delivery: 'accepted' }), labels)).toBe(
      '转接:未接通(486 Busy Here);工单:12345 已接收',
    );
  });

  it('names the delivery problem while the outbox retries, and a refusal', () => {
    expect(handoverSentence(h({ delivery: 'retrying', lastError: '无法送达:connect ECONNREFUSED' }), labels)).toBe(
      '转接:转接中;工单:发送失败,重试中:无法送达:connect ECONNREFUSED',
    );
    expect(handoverSentence(h({ state: 'connected', delivery: 'failed', lastError: '对方拒收(422)' }), labels)).toBe(
      '转接:已接通12345;工单:12345 拒收:对方拒收(422)',
    );
  });

  it('books a 12345 call-back for the hand-over with a note', async () => {
    const callback = vi.fn(async () => ({ ok: true as const, data: h() }));
    const ctl = createHandoverController({ handover: vi.fn(), callback, ticket: vi.fn() });
    await ctl.bookCallback('ho-1');
    expect(callback).toHaveBeenCalledWith('ho-1', '转接未接通,请12345回电来电人');
  });
});

describe("the supervisors' watch on hand-overs", () => {
  it('lists stuck 12345 messages with why, 12345 call-back requests and overdue referrals', async () => {
    const handovers = vi.fn(async () => ({
      ok: true as const,
      data: {
        handovers: [h({ id: 'tk-1', direction: 'from-12345', ticket: 'GD-9', state: 'callback-requested' })],
        stuck: [
          {
            id: 7,
            kind: 'work-order',
            handoverId: 'ho-1',
            state: 'rejected' as const,
            attempts: 1,
            lastStatus: 422,
            lastError: '对方拒收(422)',
            nextAttemptAt: null,
            createdAt: 0,
          },
        ],
      },
    }));
    const referrals = vi.fn(async () => ({
      ok: true as const,
      data: {
        referrals: [],
        overdue: [
          {
            id: 'rf-1',
            callId: 'c1',
            seatId: 's03',
            centreId: 'city',
            kind: 'complaint' as const,
            kindLabel: '司法局投诉受理',
            officeName: '市司法局投诉受理科',
            channel: 'http' as const,
            state: 'open' as const,
            outcome: '',
            dueAt: null,
            overdue: true,
            delivery: 'accepted' as const,
            createdAt: 0,
          },
        ],
      },
    }));
    const ctl = createHandoverController({ handover: vi.fn(), callback: vi.fn(), ticket: vi.fn(), handovers, referrals });
    const { lines, error } = await ctl.watch();
    expect(error).toBeNull();
    expect(lines.map((l) => l.text)).toEqual([
      '12345 消息 ho-1(work-order)被拒收:对方拒收(422)',
      '12345 工单 GD-9 请求 12348 回电',
      '转介 司法局投诉受理 → 市司法局投诉受理科 已逾期(期限 —)',
    ]);
  });

  it('says when the lists cannot be read', async () => {
    const denied = vi.fn(async () => ({ ok: false as const, error: { code: 'FORBIDDEN' as const, message: '当前账号无权执行此操作' } }));
    const ctl = createHandoverController({ handover: vi.fn(), callback: vi.fn(), ticket: vi.fn(), handovers: denied, referrals: denied });
    expect(await ctl.watch()).toEqual({ lines: [], error: '当前账号无权执行此操作' });
  });
});
