/**
 * Per-request work that does not depend on the request: statements are prepared once, and
 * the filed-summary schema is built once yet checks each summary against its own time.
 */
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { AuthService } from '../../server/src/features/auth/auth-service.js';
import { hashPassword } from '../../server/src/features/auth/passwords.js';
import { SessionRepository } from '../../server/src/features/auth/session-repository.js';
import { UserRepository } from '../../server/src/features/auth/user-repository.js';
import { parseSummaryInput } from '../../server/src/features/summaries/summary-input.js';
import { ValidationError } from '../../server/src/features/shared/validation.js';
import { openDatabase } from '../../server/src/store/db.js';

describe('statements on the request path', () => {
  it('when an authenticated request looks up its session, should prepare no statement', async () => {
    const db = openDatabase(':memory:');
    const clock = new VirtualClock(Date.UTC(2026, 11, 1));
    const users = new UserRepository(db);
    users.create(
      { username: 'seat1', passwordHash: await hashPassword('pw-123456'), role: 'seat', displayName: 'Seat 1', seatId: null },
      clock.now(),
    );
    const auth = new AuthService(users, new SessionRepository(db), clock, 3_600_000);
    const { token } = await auth.login('seat1', 'pw-123456', '127.0.0.1');
    const prepare = vi.spyOn(db, 'prepare');
    for (let i = 0; i < 3; i++) {
      clock.advance(120_000); // also extends the session (the UPDATE)
      expect(auth.sessionForToken(token)?.user.username).toBe('seat1');
    }
    expect(prepare).not.toHaveBeenCalled();
    db.close();
  });
});

describe('the filed-summary schema, built once', () => {
  const categories = [{ id: 'general' }];
  const callback = (followUpAt: number) => ({
    categoryId: 'general',
    topic: '回电',
    question: '问题',
    answer: '解答',
    disposition: 'callback',
    followUpAt,
  });

  it('when the same follow-up time is checked at different times, should judge it against each time', () => {
    expect(parseSummaryInput(callback(2_000), 1_000, categories).followUpAt).toBe(2_000);
    expect(() => parseSummaryInput(callback(2_000), 3_000, categories)).toThrow(ValidationError);
    expect(parseSummaryInput(callback(5_000), 4_000, categories).followUpAt).toBe(5_000);
  });
});
