import type { ReferenceData, SeatView } from '../../contract';
import { categoryName, centreName, seatStateLabel } from '../../shared/labels';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { skillList, sortedSeats } from './selectors';
import { useAppStore } from '../../app/store';
import { TablePanel } from '../../shared/components/TablePanel';

const SHOWN_SKILLS = 2;

function Skills({ skills, reference }: { skills: Record<string, number>; reference: ReferenceData | null }) {
  const list = skillList(skills);
  const full = list.map((s) => `${categoryName(s.id, reference)} ${s.level}`).join('、');
  return (
    <span className="skills" title={full}>
      {list.slice(0, SHOWN_SKILLS).map((s) => (
        <span key={s.id} className="skill">
          {categoryName(s.id, reference)}
          <b>{s.level}</b>
        </span>
      ))}
      {list.length > SHOWN_SKILLS && <span className="muted">+{list.length - SHOWN_SKILLS}</span>}
    </span>
  );
}

function SeatRow({ seat, now, reference }: { seat: SeatView; now: number; reference: ReferenceData | null }) {
  return (
    <tr className={seat.state.kind === 'offline' ? 'row-offline' : undefined}>
      <td>
        <div>{seat.name}</div>
        <div className="muted small">{centreName(seat.centreId, reference)}</div>
      </td>
      <td className="mono">{seat.staffNo}</td>
      <td>
        <span className={`state-chip chip-${seat.state.kind}`}>{seatStateLabel(seat.state, reference)}</span>
        {/* An unregistered softphone matters when the seat is meant to take calls. */}
        {!seat.registered && (seat.state.kind === 'ready' || seat.state.kind === 'ringing') && (
          <span className="warn-note" title="软电话未注册,来电无法振铃">
            话机未注册
          </span>
        )}
      </td>
      <td className="num mono">{formatElapsed(seat.state.since, now)}</td>
      <td className="fill">
        <Skills skills={seat.skills} reference={reference} />
      </td>
    </tr>
  );
}

/** Every seat with its live state and time in state. */
export function SeatTable() {
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const now = useServerNow();
  const seats = sortedSeats(snapshot);
  return (
    <TablePanel
      title="坐席状态"
      count={seats.length}
      empty="暂无坐席"
      head={
        <tr>
          <th>姓名 / 中心</th>
          <th>工号</th>
          <th>状态</th>
          <th className="num">状态时长</th>
          <th>专业技能</th>
        </tr>
      }
    >
      {seats.map((s) => (
        <SeatRow key={s.id} seat={s} now={now} reference={reference} />
      ))}
    </TablePanel>
  );
}
