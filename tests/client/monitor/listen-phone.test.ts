/**
 * The monitor's listening phone (client/src/features/monitor/listen-phone.ts) with a fake user
 * agent and a fake API: it answers only the leg it asked for, receive-only, and hangs up itself.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import { createListenPhone, type ListenState } from '../../../client/src/features/monitor/listen-phone';
import type { ListenView } from '../../../client/src/contract';
import type { SupervisionApi } from '../../../client/src/features/monitor/supervision';
import type { MediaChoice, PhoneAdapter, PhoneUa, PhoneUaEvent } from '../../../client/src/features/phone/types';

function setup(listenReply: 'ok' | 'refused' = 'ok', mine: ListenView | null = null) {
  const log: string[] = [];
  let emit: (e: PhoneUaEvent) => void = () => undefined;
  const ua = {
    start: () => {
      log.push('start');
      queueMicrotask(() => emit({ type: 'registered' }));
    },
    stop: () => log.push('stop'),
    answer: (id: string, m: MediaChoice) => log.push(`answer ${id} ${m.listenOnly ? 'listen-only' : 'mic'}`),
    reject: (id: string, status: number) => log.push(`reject ${id} ${status}`),
    hangup: (id: string) => {
      log.push(`hangup ${id}`);
      emit({ type: 'ended', callId: id, end: { by: 'local', cause: 'Terminated', status: null, failed: false } });
    },
    setCredentials: () => undefined,
    register: () => undefined,
  } as unknown as PhoneUa;
  const adapter: PhoneAdapter = {
    createUa: (config, onEvent) => {
      log.push(`ua ${config.uri}`);
      emit = onEvent;
      return ua;
    },
  };
  const api = {
    listenPhone: () =>
      Promise.resolve({
        ok: true as const,
        data: {
          username: '9:listen-u3',
          password: 'p',
          expiresAt: Date.now() + 3600_000,
          uri: 'sip:listen-u3@d',
          domain: 'd',
          wsUrl: 'ws://x',
        },
      }),
    listen: async (callId: string) => {
      // Kamailio's INVITE reaches the phone while the router waits for its answer.
      emit({ type: 'incoming', callId: 'leg-1', remoteUser: 'listen' });
      emit({ type: 'incoming', callId: 'other', remoteUser: 'listen' });
      return listenReply === 'ok'
        ? { ok: true as const, data: { lid: 'listen-1', callId, seatId: 's05' } }
        : { ok: false as const, error: { code: 'FORBIDDEN' as const, message: '该来电不在您的管辖范围内' } };
    },
    stopListen: (lid: string) => {
      log.push(`stop-api ${lid}`);
      return Promise.resolve({ ok: true as const, data: { stopped: true } });
    },
    myListen: () => Promise.resolve({ ok: true as const, data: mine }),
  } as unknown as SupervisionApi;
  const store = createStore<ListenState>()(() => ({ status: 'idle', callId: null, seatId: null, note: null, noteIsError: false }));
  const phone = createListenPhone({ api, loadAdapter: () => Promise.resolve(adapter), store, setTimeout: () => 0 });
  return { phone, store, log };
}

describe('listen phone', () => {
  it('registers, answers the one leg receive-only (a second INVITE is refused), and 停止监听 hangs up', async () => {
    const { phone, store, log } = setup();
    const ack = await phone.start('call-1', 's05', '抽听');
    expect(ack.ok).toBe(true);
    expect(log).toEqual(['ua sip:listen-u3@d', 'start', 'answer leg-1 listen-only', 'reject other 486']);
    expect(store.getState()).toMatchObject({ status: 'listening', callId: 'call-1', seatId: 's05' });
    await phone.stop();
    expect(log.slice(-2)).toEqual(['stop-api listen-1', 'hangup leg-1']);
    expect(store.getState()).toMatchObject({ status: 'idle', note: '已停止监听' });
  });

  it('a refused start hangs up the leg and says why', async () => {
    const { phone, store, log } = setup('refused');
    const ack = await phone.start('call-1', 's05', '抽听');
    expect(ack.ok).toBe(false);
    expect(log).toContain('hangup leg-1');
    expect(store.getState()).toMatchObject({ status: 'idle', note: '该来电不在您的管辖范围内', noteIsError: true });
  });

  it('the call ending (the live queue) hangs the leg up', async () => {
    const { phone, store, log } = setup();
    await phone.start('call-1', 's05', '抽听');
    phone.callGone();
    expect(log.at(-1)).toBe('hangup leg-1');
    expect(store.getState()).toMatchObject({ status: 'idle', note: '通话已结束,监听随之结束' });
  });

  it('after a reload the page shows the leg another page holds, with 停止监听; the push of its end clears it', async () => {
    const { phone, store, log } = setup('ok', { lid: 'listen-9', callId: 'call-1', seatId: 's05' });
    await phone.refresh();
    expect(store.getState()).toMatchObject({ status: 'elsewhere', callId: 'call-1', seatId: 's05' });
    await phone.stopElsewhere();
    expect(log).toEqual(['stop-api listen-9']);
    expect(store.getState()).toMatchObject({ status: 'idle', note: '已停止监听' });

    // Shown again, then the page holding it closes: Kamailio reports its phone gone, the router pushes.
    await phone.refresh();
    phone.sync({ leg: null, ended: { lid: 'listen-9', callId: 'call-1', why: 'phone-gone' } });
    expect(store.getState()).toMatchObject({ status: 'idle', note: '监听所在的页面已关闭或刷新,监听已结束' });
  });

  it("this page's leg ended by another page (停止监听 there, or 监听 of another call there): the phone hangs up and says so", async () => {
    for (const [why, note] of [
      ['stopped', '监听已在另一个页面停止'],
      ['another-call', '您已在另一个页面开始监听,本页的监听已结束'],
    ] as const) {
      const { phone, store, log } = setup();
      await phone.start('call-1', 's05', '抽听');
      phone.sync({ leg: null, ended: { lid: 'listen-1', callId: 'call-1', why } });
      expect(log).toContain('hangup leg-1');
      expect(store.getState()).toMatchObject({ status: 'idle', note });
      // another page's new leg is shown with its own 停止监听
      phone.sync({ leg: { lid: 'listen-2', callId: 'call-2', seatId: 's06' }, ended: null });
      expect(store.getState()).toMatchObject({ status: 'elsewhere', callId: 'call-2', seatId: 's06' });
      if (why === 'another-call') expect(log).toContain('stop'); // its registration was taken over: a fresh one next time
    }
  });

  it("a page that listened earlier registers afresh after another page started listening (that page's REGISTER took the SIP user's one contact)", async () => {
    const { phone, log } = setup();
    await phone.start('call-1', 's05', '抽听');
    await phone.stop();
    phone.sync({ leg: { lid: 'listen-7', callId: 'call-2', seatId: 's06' }, ended: null });
    expect(log.at(-1)).toBe('stop');
    phone.sync({ leg: null, ended: { lid: 'listen-7', callId: 'call-2', why: 'stopped' } });
    await phone.start('call-1', 's05', '再听');
    expect(log.filter((l) => l === 'ua sip:listen-u3@d')).toHaveLength(2);
  });

  it("the push of this page's own new leg, arriving before the start's reply, is not taken for another page's", async () => {
    const { phone, store } = setup();
    const pending = phone.start('call-1', 's05', '抽听');
    phone.sync({ leg: { lid: 'listen-1', callId: 'call-1', seatId: 's05' }, ended: null });
    await pending;
    expect(store.getState()).toMatchObject({ status: 'listening', callId: 'call-1' });
    phone.sync({ leg: { lid: 'listen-1', callId: 'call-1', seatId: 's05' }, ended: null });
    expect(store.getState()).toMatchObject({ status: 'listening' });
  });
});
