/**
 * The listening leg's offer as the browser gets it (rtpengine's `subscribe request` offer, two
 * changes; the browser's answer goes back to rtpengine unchanged).
 *
 * Mids: rtpengine 10.5's `subscribe request` for two parties (from-tags) gives one audio m= line
 * per party, each with `a=mid:1` when `generate-mid` is on (each comes from its own monologue). A
 * browser refuses an offer with a duplicate mid (JsSIP answers 488), so the m= lines are numbered
 * 1, 2, … here; rtpengine takes the answer with those mids (it matches the lines in order).
 *
 * DTLS roles: rtpengine offers `a=setup:actpass`; the browser would answer `active` and start its
 * DTLS handshake as soon as ICE connects, which can be before rtpengine has the answer (it goes
 * phone → Kamailio → router → rtpengine): rtpengine then never verifies the phone's fingerprint
 * and that stream stays silent (seen on one of the two streams in some runs). So the offer says
 * `a=setup:active`: the browser answers `passive` and waits, and rtpengine starts the handshake
 * once `subscribe answer` has given it the phone's fingerprint.
 *
 * ICE roles: with both sides full ICE, one of the two streams sometimes stayed silent with
 * rtpengine logging "ICE role conflict detected" in a loop for it (both agents controlled, each
 * switching back and forth). The offer says `a=ice-lite` to the browser only: the browser then
 * takes the controlling role and nominates; rtpengine (full ICE, answering and checking) follows.
 * Passing `ICE-lite` to rtpengine instead left both streams silent. Both changes were tried on
 * Debian 12's rtpengine 10.5.3 and Chromium (docs/telephony-notes.md).
 */
export function browserOffer(offer: string): string {
  return offer
    .split(/(?=^m=)/m)
    .map((section, i) => (i === 0 ? section : section.replace(/^a=mid:.*$/m, `a=mid:${i}`)))
    .join('')
    .replace(/^a=setup:actpass$/gm, 'a=setup:active')
    .replace(/^(t=.*\r?\n)/m, '$1a=ice-lite\r\n');
}
