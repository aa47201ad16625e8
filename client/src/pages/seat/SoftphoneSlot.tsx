/**
 * PLACEHOLDER(softphone): the JsSIP softphone (answer, hang up, hold, mute, transfer to 12345)
 * arrives in a later issue. It will live in its own adapter module with a small event
 * interface that calls store actions; this slot only reserves its place on the page.
 */
export function SoftphoneSlot() {
  return (
    <section className="panel softphone-slot" aria-label="软电话(待接入)">
      <h2 className="panel-title">软电话</h2>
      <p className="muted">接听、挂断、保持与转接功能将在后续版本接入。</p>
    </section>
  );
}
