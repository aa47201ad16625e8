import { CallCard } from './seat/CallCard';
import { SeatStatePanel } from './seat/SeatStatePanel';
import { SoftphoneSlot } from './seat/SoftphoneSlot';
import { StatusActions } from './seat/StatusActions';
import { WrapUpPanel } from './seat/WrapUpPanel';

/** 坐席工作台 */
export function SeatPage() {
  return (
    <div className="seat-page">
      <div className="seat-col">
        <SeatStatePanel />
        <WrapUpPanel />
        <StatusActions />
      </div>
      <div className="seat-col">
        <CallCard />
        <SoftphoneSlot />
      </div>
    </div>
  );
}
