import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../client/src/shared/api';
import type { Ack } from '../../../client/src/contract';
import { createSessionController, SIGNED_OUT_PHONE_ELSEWHERE, validateLogin } from '../../../client/src/features/session/controller';
import { createAppStore } from '../../../client/src/app/store';
import { bindSocket } from '../../../client/src/app/socket-bindings';
import { FakeSocket, flush } from '../support/fake-socket';
import { call, reference, seat, snapshot, T0, user } from '../support/fixtures';

const unauth = { ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } } as const;

function fakeApi(over: Partial<Api> = {}): Api {
  return {
    login: vi.fn(async () => unauth),
    logout: vi.fn(async () => ({ ok: true, data: null }) as const),
    me: vi.fn(async () => unauth),
    reference: vi.fn(async () => ({ ok: true, data: reference }) as const),
    sipCredentials: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '只有坐席账号可以使用软电话' } }) as const),
    claimPhone: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '当前账号无权执行此操作' } }) as const),
    releasePhone: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '当前账号无权执行此操作' } }) as const),
    transferTargets: vi.fn(async () => ({ ok: true as const, data: { categories: [], seats: [] } })),
    seatToday: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '只有坐席账号' } }) as const),
    searchKnowledge: vi.fn(async ({ q, category }: { q: string; category?: string | null }) => ({
      ok: true as const,
      data: { q, category: category ?? null, terms: q ? [q] : [], hits: [] },
    })),
    getKnowledge: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    createKnowledge: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    updateKnowledge: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    retireKnowledge: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    openAlerts: vi.fn(async () => ({ ok: true as const, data: [] })),
    ackAlert: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    openCallbacks: vi.fn(async () => ({ ok: true as const, data: [] })),
    summaryState: vi.fn(async () => ({ ok: true as const, data: { summary: null, draft: null } })),
    saveSummaryDraft: vi.fn(async () => ({ ok: true as const, data: { savedAt: T0 } })),
    fileSummary: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    amendSummary: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    callerHistory: vi.fn(async (callId: string) => ({ ok: true as const, data: { callId, entries: [], total: 0 } })),
    myCalls: vi.fn(async () => ({ ok: true as const, data: { day: '2025-01-06', entries: [] } })),
    reportMajor: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    handover: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    handoverCallback: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    ticket12345: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    handovers: vi.fn(async () => ({ ok: true as const, data: { handovers: [], stuck: [] } })),
    referrals: vi.fn(async () => ({ ok: true as const, data: { referrals: [], overdue: [] } })),
    handoverReport: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    referralReport: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    updateReferral: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    visits: vi.fn(async () => ({ ok: true as const, data: [] })),
    visitOutcome: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    assignVisit: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    dialVisit: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    myOutboundCalls: vi.fn(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '未找到' } }) as const),
    satisfactionFigures: vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '无权限' } }) as const),
    ...over,
  };
}

function setup(api: Api, server?: (event: string, payload: unknown) => Ack<unknown> | 'no-answer') {
  const store = createAppStore();
  const socket = new FakeSocket(server);
  const later: (() => void)[] = [];
  const controller = createSessionController({
    api,
    store,
    makeSocket: () => socket.asSocket(),
    bindPushes: (s, hooks) => bindSocket(s, store, hooks),
    setTimeout: (fn) => later.push(fn),
  });
  return { store, socket, controller, later };
}

const seatServer = (event: string): Ack<unknown> | 'no-answer' => {
  if (event === 'seat:get') return { ok: true, data: seat({ kind: 'offline', since: T0 }) };
  if (event === 'seat:set-status') return { ok: true, data: seat({ kind: 'ready', since: T0 + 1 }) };
  return 'no-answer';
};

describe('session controller: login', () => {
  it('when the fields are empty, should show field errors without calling the server', async () => {
    const api = fakeApi();
    const { store, controller } = setup(api);
    await controller.login({ username: ' ', password: '' }, null);
    expect(api.login).not.toHaveBeenCalled();
    expect(store.getState().login.fields).toEqual({ username: ['请输入用户名'], password: ['请输入密码'] });
  });

  it('when the server answers 401, should show its message and stay on login', async () => {
    const { store, controller } = setup(fakeApi());
    await controller.login({ username: 'seat01', password: 'wrong' }, null);
    expect(store.getState().login.message).toBe('用户名或密码错误');
    expect(store.getState().route).toBe('login');
  });

  it('when a seat logs in, should open the socket and load its state', async () => {
    const api = fakeApi({ login: async () => ({ ok: true, data: { user: user('seat') } }) });
    const { store, socket, controller } = setup(api, seatServer);
    await controller.login({ username: 'seat01', password: 'pw' }, null);
    await flush();
    expect(store.getState().route).toBe('seat');
    expect(socket.emitted[0]?.event).toBe('seat:get');
    expect(store.getState().seat?.state.kind).toBe('offline');
    expect(store.getState().reference).toEqual(reference);
  });

  it('when a supervisor logs in, should subscribe to the queue and show the snapshot', async () => {
    const api = fakeApi({ login: async () => ({ ok: true, data: { user: user('supervisor') } }) });
    const snap = snapshot({ calls: [call()] });
    const { store, socket, controller } = setup(api, (e) => (e === 'queue:subscribe' ? { ok: true, data: snap } : 'no-answer'));
    await controller.login({ username: 'supervisor', password: 'pw' }, null);
    await flush();
    expect(socket.emitted.map((e) => e.event)).toEqual(['queue:subscribe']);
    expect(store.getState().snapshot).toEqual(snap);
    socket.fire('queue:updated', snapshot({ at: T0 + 1_000 }));
    expect(store.getState().snapshot?.at).toBe(T0 + 1_000);
  });
});

describe('session controller: live session', () => {
  async function seatSession(server = seatServer) {
    const api = fakeApi({ me: vi.fn(async (): ReturnType<Api['me']> => ({ ok: true, data: { user: user('seat') } })) });
    const ctx = setup(api, server);
    await ctx.controller.bootstrap(null);
    await flush();
    return { ...ctx, api };
  }

  it('when the server pushes a status change, should apply it', async () => {
    const { store, socket } = await seatSession();
    socket.fire('seat:status-changed', seat({ kind: 'ringing', since: T0 + 5, callId: 'c1', attempt: 1, idleSince: T0 }));
    socket.fire('call:offered', call({ state: { kind: 'ringing', since: T0 + 5, seatId: 's01' } }));
    expect(store.getState().seat?.state.kind).toBe('ringing');
    expect(store.getState().call?.id).toBe('c1');
  });

  it('when the seat sets itself not-ready, should send the reason', async () => {
    const { socket, controller } = await seatSession();
    await controller.setNotReady('meal');
    expect(socket.emitted.at(-1)).toEqual({ event: 'seat:set-status', payload: { status: 'not-ready', reason: 'meal' } });
  });

  it('when the server does not answer a command, should show a timeout inline', async () => {
    const { store, controller } = await seatSession((e) => (e === 'seat:get' ? seatServer(e) : 'no-answer'));
    await controller.setReady();
    expect(store.getState().seatError).toBe('服务器响应超时,请稍后重试');
  });

  it('when the socket is down, should refuse commands at once with a reconnecting message', async () => {
    const { store, socket, controller } = await seatSession();
    socket.connected = false;
    await controller.setReady();
    expect(store.getState().seatError).toMatch(/连接已断开/);
  });

  it('when the server refuses the socket and the session expired, should go to login', async () => {
    const { store, socket, api } = await seatSession();
    vi.mocked(api.me).mockResolvedValue({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已失效,请重新登录' } });
    socket.refuse();
    await flush();
    expect(store.getState().route).toBe('login');
    expect(store.getState().notice).toBe('登录已失效,请重新登录');
  });

  it('when the server refuses the socket but the session is valid, should retry later', async () => {
    const { store, socket, later } = await seatSession();
    socket.refuse();
    await flush();
    expect(store.getState().connection).toBe('offline');
    expect(later).toHaveLength(1);
    later[0]?.();
    expect(socket.connected).toBe(true);
  });

  it('when a ready seat logs out, should go offline first, then end the session', async () => {
    const { store, socket, controller, api } = await seatSession();
    store.getState().applySeat(seat({ kind: 'ready', since: T0 + 1 }));
    await controller.logout();
    expect(socket.emitted.at(-1)).toEqual({ event: 'seat:set-status', payload: { status: 'offline' } });
    expect(api.logout).toHaveBeenCalled();
    expect(store.getState().route).toBe('login');
    expect(socket.active).toBe(false);
  });

  it('when the seat’s phone is on another computer, logging out here should end only this session and leave the seat’s state alone', async () => {
    const { store, socket, controller, api } = await seatSession();
    store.getState().applySeat(seat({ kind: 'ready', since: T0 + 1 }));
    store.getState().phoneChanged({ registration: 'elsewhere', elsewhere: '此坐席已在另一台电脑登录,电话已转到那台电脑,本机不再振铃。' });
    const sent = socket.emitted.length;
    await controller.logout();
    expect(socket.emitted.slice(sent).some((e) => e.event === 'seat:set-status')).toBe(false);
    expect(api.logout).toHaveBeenCalled();
    expect(store.getState()).toMatchObject({ route: 'login', notice: SIGNED_OUT_PHONE_ELSEWHERE });
  });

  it('when a seat signs in with its password, the page should be marked a fresh sign-in (its phone takes over); a resumed session not', async () => {
    const fresh = setup(
      fakeApi({ login: vi.fn(async (): ReturnType<Api['login']> => ({ ok: true, data: { user: user('seat') } })) }),
      seatServer,
    );
    await fresh.controller.login({ username: 'seat01', password: 'pw' }, null);
    expect(fresh.store.getState().freshSignIn).toBe(true);
    const { store } = await seatSession();
    expect(store.getState().freshSignIn).toBe(false);
  });
});

describe('validateLogin', () => {
  it('when both fields are filled, should pass', () => {
    expect(validateLogin({ username: 'seat01', password: 'x' })).toBeNull();
  });
});
