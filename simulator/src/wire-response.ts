/** One HTTP answer of the simulated AWS endpoint (FSx or STS), before the transport sends it. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
