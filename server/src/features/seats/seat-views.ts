import type { SeatView } from '../../contract/index.js';
import type { Seat } from '../../domain/seat.js';

export function seatView(seat: Seat): SeatView {
  const p = seat.profile;
  return {
    id: p.id,
    name: p.name,
    staffNo: p.staffNo,
    centreId: p.centreId,
    skills: p.skills,
    languages: p.languages,
    registered: seat.registered,
    state: seat.state,
  };
}
