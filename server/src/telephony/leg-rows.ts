import type { Logger } from 'pino';
import type { AcdUnitOfWork } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import type { SipLeg, SipLegRepo } from '../store/sip-legs.js';

/**
 * The stored SIP legs, written in the engine's unit of work: a leg's row and what
 * the engine decides about the same Kamailio event are one commit (one fsync per
 * event), so after a kill -9 a restarted router has both or neither.
 */
export class LegRows {
  /** Legs Kamailio is done with whose rows are not deleted yet: they go in the next commit. */
  private readonly toDelete = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly engine: AcdUnitOfWork,
    private readonly repo: SipLegRepo,
    private readonly logger: Logger,
  ) {}

  /** Oldest first. */
  list(): SipLeg[] {
    return this.repo.list();
  }

  /** Stores the leg with the engine's decision about it (a row written now supersedes a delete still to come). */
  saveWith(leg: SipLeg, decide: () => void): void {
    this.toDelete.delete(leg.callId);
    this.inOneCommit(() => this.repo.save(leg), decide);
  }

  /** Deletes the leg's row (when `callId` is not null) with the engine's decision about the same event. */
  deleteWith(callId: string | null, decide: () => void): void {
    this.inOneCommit(() => {
      if (callId !== null) this.repo.delete(callId);
    }, decide);
  }

  /**
   * Deletes a row after a decision went out (that runs after the engine's commit): it goes
   * in the next event's commit, or in one commit for all of them once the current events
   * are handled. A row left by a kill in between is dropped by the next resync.
   */
  deleteLater(callId: string): void {
    this.toDelete.add(callId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.toDelete.size === 0) return;
      try {
        this.inOneCommit(
          () => {},
          () => {},
        );
      } catch (err) {
        // A full disk (degraded mode) is alarmed once elsewhere; the rows go at the resync after it.
        if (!(err instanceof DomainError && err.code === 'STORAGE_FULL')) this.logger.error({ err }, 'could not delete finished SIP legs');
      }
    });
  }

  /**
   * The rows (`write`, and the deletes still to do) and the engine's decision (`decide`) in
   * one commit. When the engine refuses the event (a domain rule), the rows are still
   * written, on their own, as they were before the engine was asked.
   */
  private inOneCommit(write: () => void, decide: () => void): void {
    const deletes = [...this.toDelete];
    const writeAll = () => {
      for (const id of deletes) this.repo.delete(id);
      write();
    };
    try {
      this.engine.unitOfWork(() => {
        writeAll();
        decide();
      });
    } catch (err) {
      if (err instanceof DomainError) this.engine.unitOfWork(writeAll);
      throw err;
    } finally {
      for (const id of deletes) this.toDelete.delete(id);
    }
  }
}
