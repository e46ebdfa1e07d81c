// Retransmission timeout estimate (RFC 6298, Jacobson/Karels), with the constants both official
// peers use: initial SRTT 100 ms, RTTVAR 0, RTO 200 ms, clock granularity 10 ms, cap 1 s.

const INITIAL_SRTT_MS = 100;
const INITIAL_RTO_MS = 200;
const GRANULARITY_MS = 10;
const MAX_RTO_MS = 1000;

export class RtoEstimator {
  private srtt = INITIAL_SRTT_MS;
  private rttvar = 0;
  private rto = INITIAL_RTO_MS;

  get timeoutMs(): number {
    return this.rto;
  }

  get smoothedRttMs(): number {
    return this.srtt;
  }

  sample(rttMs: number): void {
    const r = Math.max(0, rttMs);
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
    this.srtt = 0.875 * this.srtt + 0.125 * r;
    this.rto = Math.min(MAX_RTO_MS, this.srtt + Math.max(GRANULARITY_MS, 4 * this.rttvar));
  }
}
