/**
 * The router's side of Kamailio's dialog module (server/src/telephony/dialog-control.ts): arming
 * the survey needs the dialog's tags; an end settles on Kamailio's answer, and a refused, silent
 * or impossible end is a clear error; the survey is started only for a seat's kept-caller BYE.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../server/src/domain/clock.js';
import { DialogControl } from '../../server/src/telephony/dialog-control.js';
import type { KamailioCommand } from '../../server/src/telephony/kamailio-protocol.js';

function control(o: { linkUp?: boolean; now?: () => number } = {}) {
  const sent: KamailioCommand[] = [];
  const survey: string[] = [];
  const d = new DialogControl({
    send: (cmd) => {
      sent.push(cmd);
      return o.linkUp !== false;
    },
    surveys: {
      start: (callId, tags) => survey.push(`start ${callId} ${tags.ftag}/${tags.ttag}`),
      callerHungUp: (callId) => survey.push(`hung-up ${callId}`),
      ended: (callId) => survey.push(`ended ${callId}`),
    },
    logger: pino({ level: 'silent' }),
    endTimeoutMs: 50,
    retryMs: 1,
    settleMs: 1000,
    clock: { ...SystemClock, now: o.now ?? SystemClock.now },
  });
  return { d, sent, survey };
}

describe('dialog control', () => {
  it('arms the survey with the caller’s tag once the call is answered, not before', () => {
    const { d, sent } = control();
    expect(d.armSurvey('c1', true)).toBe(false);
    d.answered('c1', 'ft', 'tt');
    expect(d.armSurvey('c1', true)).toBe(true);
    expect(d.armSurvey('c1', false)).toBe(true);
    expect(sent).toEqual([
      { cmd: 'survey-arm', callid: 'c1', ftag: 'ft' },
      { cmd: 'survey-disarm', callid: 'c1', ftag: 'ft' },
    ]);
  });

  it('a seat’s BYE that Kamailio kept the caller for starts the survey; other BYEs forget the dialog', () => {
    const { d, survey } = control();
    d.answered('c1', 'ft', 'tt');
    d.answered('c2', 'ft2', 'tt2');
    d.bye('c1', true);
    d.bye('c2', false);
    expect(survey).toEqual(['start c1 ft/tt']);
    expect(d.armSurvey('c2', true)).toBe(false);
    d.surveyBye('c1');
    expect(survey).toEqual(['start c1 ft/tt', 'hung-up c1']);
  });

  it('强拆: the end resolves when Kamailio says ended', async () => {
    const { d, sent } = control();
    d.answered('c1', 'ft', 'tt');
    const p = d.endCall('c1');
    expect(sent.at(-1)).toEqual({ cmd: 'end', callid: 'c1', ftag: 'ft', ttag: 'tt', side: 'all' });
    d.ended('c1');
    await expect(p).resolves.toBeUndefined();
  });

  it('强拆 of an unknown call, twice at once, with the link down, or without an answer: clear errors', async () => {
    await expect(control().d.endCall('nope')).rejects.toMatchObject({ code: 'CONFLICT' });
    const twice = control();
    twice.d.answered('c1', 'ft', 'tt');
    const first = twice.d.endCall('c1');
    await expect(twice.d.endCall('c1')).rejects.toMatchObject({ code: 'CONFLICT', message: '这通电话正在结束' });
    await expect(first).rejects.toMatchObject({ code: 'UNAVAILABLE' }); // Kamailio never answered
    const down = control({ linkUp: false });
    down.d.answered('c1', 'ft', 'tt');
    await expect(down.d.endCall('c1')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('连接已断开') });
  });

  it('强拆 right after the answer (the dialog module not ready yet) is asked again until Kamailio can end the call', async () => {
    const { d, sent } = control();
    d.answered('c1', 'ft', 'tt');
    const p = d.endCall('c1');
    d.endFailed('c1', 'no-dialog'); // the dialog module has not seen the 200 yet
    await new Promise((r) => setTimeout(r, 10));
    d.endFailed('c1', 'not-confirmed');
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.filter((c) => c.cmd === 'end')).toHaveLength(3);
    d.ended('c1');
    await expect(p).resolves.toBeUndefined();
  });

  it('强拆 of a call answered long ago that Kamailio has no dialog for is refused at once as already ended; one never ready is refused when the end’s time runs out', async () => {
    let now = 0;
    const { d, sent } = control({ now: () => now });
    d.answered('c1', 'ft', 'tt');
    now = 60_000;
    const p = d.endCall('c1');
    d.endFailed('c1', 'no-dialog');
    await expect(p).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('已经结束') });
    expect(sent.filter((c) => c.cmd === 'end')).toHaveLength(1);
    d.answered('c2', 'ft', 'tt');
    const q = d.endCall('c2');
    d.endFailed('c2', 'not-confirmed');
    await expect(q).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
